//! Cytoscape.js JSON (<https://js.cytoscape.org/#notation/elements-json>): `elements` with
//! `nodes` and `edges`, each element's fields under `data`.
//!
//! The document is the one Cytoscape desktop writes and imports (File › Import › Network
//! from File, "Cytoscape.js JSON"): `format_version`, `generated_by`, `data` and
//! `elements`. In cytoscape.js, `cytoscape({ elements: doc.elements })` loads it. Elements
//! are written one by one with serde_json, so the document never sits whole in memory.

use std::io::{self, Write};

use serde::Serialize;

use super::graphml::kind_name;
use super::{Edge, ExportGraph, Node};

/// A node's fields, as cytoscape.js and D3 read them.
#[derive(Serialize)]
pub(crate) struct NodeData<'a> {
    id: &'a str,
    label: &'a str,
    iri: &'a str,
    types: &'a [String],
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<&'a str>,
}

impl<'a> From<&'a Node> for NodeData<'a> {
    fn from(node: &'a Node) -> Self {
        Self {
            id: &node.iri,
            label: &node.label,
            iri: &node.iri,
            types: &node.types,
            kind: kind_name(node.kind),
            start: node.dates.start.as_deref(),
            end: node.dates.end.as_deref(),
        }
    }
}

/// An edge's fields, as cytoscape.js and D3 read them.
#[derive(Serialize)]
pub(crate) struct EdgeData<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    label: &'a str,
    predicate: &'a str,
    statements: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    speakers: &'a [String],
    publishers: &'a [String],
    documents: &'a [String],
    publisher_count: usize,
}

impl<'a> From<&'a Edge> for EdgeData<'a> {
    fn from(edge: &'a Edge) -> Self {
        Self {
            id: &edge.id,
            source: &edge.source,
            target: &edge.target,
            label: &edge.label,
            predicate: &edge.predicate,
            statements: &edge.statements,
            date: edge.date.as_deref(),
            quote: edge.quote.as_deref(),
            speakers: &edge.speakers,
            publishers: &edge.publishers,
            documents: &edge.documents,
            publisher_count: edge.publisher_count,
        }
    }
}

/// Writes `items` as the members of a JSON array, comma-separated, one per line.
pub(crate) fn array<W: Write, T: Serialize>(
    writer: &mut W,
    items: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            writer.write_all(b",")?;
        }
        writer.write_all(b"\n")?;
        serde_json::to_writer(&mut *writer, &item).map_err(io::Error::from)?;
    }
    Ok(())
}

/// One element: its fields under `data`.
#[derive(Serialize)]
struct Element<T> {
    data: T,
}

/// Writes `graph` as a Cytoscape.js JSON document.
///
/// # Errors
/// When the writer fails.
pub fn write<W: Write>(graph: &ExportGraph, mut writer: W) -> io::Result<W> {
    writer.write_all(
        br#"{"format_version":"1.0","generated_by":"eventgraph","target_cytoscapejs_version":"~3.34","data":{"name":"eventgraph"},"elements":{"nodes":["#,
    )?;
    array(
        &mut writer,
        graph.nodes.iter().map(|n| Element {
            data: NodeData::from(n),
        }),
    )?;
    writer.write_all(b"],\"edges\":[")?;
    array(
        &mut writer,
        graph.edges.iter().map(|e| Element {
            data: EdgeData::from(e),
        }),
    )?;
    writer.write_all(b"]}}\n")?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::awkward;

    #[test]
    fn cytoscape_json_parses_back_with_every_element() {
        let out = write(&awkward(), Vec::new()).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let nodes = doc["elements"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(
            nodes[0]["data"]["label"],
            "Say \"hi\" <b> & 'bye'\nnext line, côte d'Ivoire \\ ok"
        );
        assert_eq!(
            doc["elements"]["edges"][0]["data"]["source"],
            nodes[0]["data"]["id"]
        );
        let empty: serde_json::Value =
            serde_json::from_slice(&write(&ExportGraph::default(), Vec::new()).unwrap()).unwrap();
        assert_eq!(empty["elements"]["nodes"], serde_json::json!([]));
    }
}
