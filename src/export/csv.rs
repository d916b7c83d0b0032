//! CSV (RFC 4180), one file of nodes and one of edges, with the csv crate's quoting.
//!
//! The headers are those Gephi's spreadsheet import recognises (`Id`, `Label`; `Source`,
//! `Target`, `Type`, `Id`, `Label`), then eventgraph's own columns. Lists (types,
//! statements) are space-separated in one cell; absent values are empty cells.

use std::io::{self, Write};

use super::ExportGraph;
use super::graphml::kind_name;

fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes the nodes of `graph`: `Id,Label,Types,Kind,Start,End` (the id is the IRI).
///
/// # Errors
/// When the writer fails.
pub fn write_nodes<W: Write>(graph: &ExportGraph, writer: W) -> io::Result<W> {
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(["Id", "Label", "Types", "Kind", "Start", "End"])
        .map_err(csv_error)?;
    for node in &graph.nodes {
        csv.write_record([
            node.iri.as_str(),
            &node.label,
            &node.types.join(" "),
            kind_name(node.kind),
            node.dates.start.as_deref().unwrap_or_default(),
            node.dates.end.as_deref().unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

/// Writes the edges of `graph`:
/// `Source,Target,Type,Id,Label,Predicate,Statements,Date,Quote,Speakers,Publishers,Documents,PublisherCount`
/// (lists separated by `; `).
///
/// # Errors
/// When the writer fails.
pub fn write_edges<W: Write>(graph: &ExportGraph, writer: W) -> io::Result<W> {
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record([
        "Source",
        "Target",
        "Type",
        "Id",
        "Label",
        "Predicate",
        "Statements",
        "Date",
        "Quote",
        "Speakers",
        "Publishers",
        "Documents",
        "PublisherCount",
    ])
    .map_err(csv_error)?;
    for edge in &graph.edges {
        csv.write_record([
            edge.source.as_str(),
            &edge.target,
            "Directed",
            &edge.id,
            &edge.label,
            &edge.predicate,
            &edge.statements.join(" "),
            edge.date.as_deref().unwrap_or_default(),
            edge.quote.as_deref().unwrap_or_default(),
            &edge.speakers.join("; "),
            &edge.publishers.join("; "),
            &edge.documents.join("; "),
            &edge.publisher_count.to_string(),
        ])
        .map_err(csv_error)?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::awkward;

    #[test]
    fn csv_quotes_cells_with_commas_quotes_and_line_breaks() {
        let nodes = String::from_utf8(write_nodes(&awkward(), Vec::new()).unwrap()).unwrap();
        assert!(nodes.starts_with("Id,Label,Types,Kind,Start,End\n"));
        assert!(
            nodes.contains("\"Say \"\"hi\"\" <b> & 'bye'\nnext line, côte d'Ivoire \\ ok\""),
            "{nodes}"
        );
        let mut reader = csv::Reader::from_reader(nodes.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[1][1], "Opération «Déluge»");
        let edges = String::from_utf8(write_edges(&awkward(), Vec::new()).unwrap()).unwrap();
        assert_eq!(
            csv::Reader::from_reader(edges.as_bytes()).records().count(),
            1
        );
        let empty =
            String::from_utf8(write_edges(&ExportGraph::default(), Vec::new()).unwrap()).unwrap();
        assert_eq!(empty.lines().count(), 1, "only the header");
    }
}
