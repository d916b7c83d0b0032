//! Graphviz DOT (<https://graphviz.org/doc/info/lang.html>), for `dot -Tsvg`.
//!
//! Every id and label is a double-quoted string ([`quoted`]): a backslash and a double quote
//! are escaped, a line break becomes `\n` (Graphviz's centred line break), so no label can
//! end a string or smuggle in an escape such as `\N`. The graph reads left to right
//! (`rankdir=LR`); the shape and colour of a node say its kind (actors boxes, events
//! ellipses, places houses, figures notes), and its IRI is its link (`URL`) in SVG.

use std::io::{self, Write};

use super::{ExportGraph, Kind};

/// `text` as a DOT double-quoted string.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The shape and fill colour of a kind.
fn style(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Actor => ("box", "#dbe8f6"),
        Kind::Event => ("ellipse", "#fbe3c4"),
        Kind::Place => ("house", "#d9f0d3"),
        Kind::Quantity => ("note", "#eeeeee"),
        Kind::Other => ("box", "#ffffff"),
    }
}

/// Writes `graph` as a DOT digraph.
///
/// # Errors
/// When the writer fails.
pub fn write<W: Write>(graph: &ExportGraph, mut writer: W) -> io::Result<W> {
    writeln!(writer, "digraph eventgraph {{")?;
    writeln!(
        writer,
        "  graph [rankdir=LR, fontname=\"Helvetica\", overlap=false];"
    )?;
    writeln!(
        writer,
        "  node [style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];"
    )?;
    writeln!(
        writer,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\"];"
    )?;
    for node in &graph.nodes {
        let (shape, fill) = style(node.kind);
        let mut tooltip = node.types.join(", ");
        if let Some(start) = &node.dates.start {
            tooltip.push_str(&format!(" ({start}"));
            if let Some(end) = node.dates.end.as_ref().filter(|end| *end != start) {
                tooltip.push_str(&format!(" – {end}"));
            }
            tooltip.push(')');
        }
        writeln!(
            writer,
            "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}, URL={}];",
            quoted(&node.iri),
            quoted(&node.label),
            quoted(&tooltip),
            quoted(&node.iri),
        )?;
    }
    for edge in &graph.edges {
        let tooltip = match (&edge.date, &edge.quote) {
            (Some(date), Some(quote)) => format!("{date}: {quote}"),
            (None, Some(quote)) => quote.clone(),
            (Some(date), None) => date.clone(),
            (None, None) => edge.predicate.clone(),
        };
        writeln!(
            writer,
            "  {} -> {} [id={}, label={}, tooltip={}];",
            quoted(&edge.source),
            quoted(&edge.target),
            quoted(&edge.id),
            quoted(&edge.label),
            quoted(&tooltip),
        )?;
    }
    writeln!(writer, "}}")?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::awkward;

    #[test]
    fn quoted_strings_escape_quotes_backslashes_and_line_breaks() {
        assert_eq!(quoted(r#"a "b" \N"#), r#""a \"b\" \\N""#);
        assert_eq!(quoted("one\r\ntwo\u{1}"), r#""one\ntwo""#);
        assert_eq!(quoted("côte <d'Ivoire> & «x»"), "\"côte <d'Ivoire> & «x»\"");
    }

    #[test]
    fn dot_lists_every_node_and_edge_with_shapes_by_kind() {
        let out = String::from_utf8(write(&awkward(), Vec::new()).unwrap()).unwrap();
        assert!(out.starts_with("digraph eventgraph {"));
        assert!(
            out.contains(
                r#"label="Say \"hi\" <b> & 'bye'\nnext line, côte d'Ivoire \\ ok", shape=box"#
            ),
            "{out}"
        );
        assert!(out.contains("shape=ellipse"));
        assert!(out.contains(r#""https://w3id.org/eventgraph/id/a" -> "https://w3id.org/eventgraph/id/b" [id="e0", label="launched""#));
        let empty = String::from_utf8(write(&ExportGraph::default(), Vec::new()).unwrap()).unwrap();
        assert!(empty.trim_end().ends_with('}'));
    }
}
