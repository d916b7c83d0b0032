//! GraphML (<http://graphml.graphdrawing.org/>), as yEd, Gephi and networkx read it.
//!
//! Every attribute is declared by a `<key>` with its `attr.type`, so networkx's
//! `read_graphml` gives typed values (`statement_count` is an `int`); GraphML has no date
//! type, so dates are `YYYY-MM-DD` strings. yEd shows a node's label only from its own
//! `y:ShapeNode`, so each node also carries one in a `yfiles.type="nodegraphics"` key (yEd
//! lays the graph out on opening: Layout › Hierarchical, say). Escaping is quick-xml's;
//! characters XML 1.0 cannot hold are dropped ([`xml_text`]).

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{ExportGraph, Kind};

/// `(id, for, attr.name, attr.type)` of every key.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("label", "node", "label", "string"),
    ("iri", "node", "iri", "string"),
    ("types", "node", "types", "string"),
    ("kind", "node", "kind", "string"),
    ("start", "node", "start", "string"),
    ("end", "node", "end", "string"),
    ("edge_label", "edge", "label", "string"),
    ("predicate", "edge", "predicate", "string"),
    ("statements", "edge", "statements", "string"),
    ("statement_count", "edge", "statement_count", "int"),
    ("date", "edge", "date", "string"),
    ("quote", "edge", "quote", "string"),
    ("speakers", "edge", "speakers", "string"),
    ("publishers", "edge", "publishers", "string"),
    ("documents", "edge", "documents", "string"),
    ("publisher_count", "edge", "publisher_count", "int"),
];

/// `text` without the characters XML 1.0 cannot hold (control characters but tab, line feed
/// and carriage return; unpaired surrogates cannot occur in a `str`; U+FFFE and U+FFFF).
pub(crate) fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// The name of a node's kind.
pub(crate) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Event => "event",
        Kind::Place => "place",
        Kind::Actor => "actor",
        Kind::Quantity => "quantity",
        Kind::Other => "other",
    }
}

fn data<W: Write>(writer: &mut Writer<W>, key: &str, value: &str) -> io::Result<()> {
    writer
        .create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&xml_text(value)))?;
    Ok(())
}

/// Writes `graph` as GraphML.
///
/// # Errors
/// When the writer fails.
pub fn write<W: Write>(graph: &ExportGraph, writer: W) -> io::Result<W> {
    let mut xml = Writer::new_with_indent(writer, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("graphml")
        .with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:y", "http://www.yworks.com/xml/graphml"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd",
            ),
        ])
        .write_inner_content(|xml| {
            for (id, target, name, kind) in KEYS {
                xml.create_element("key")
                    .with_attributes([
                        ("id", *id),
                        ("for", *target),
                        ("attr.name", *name),
                        ("attr.type", *kind),
                    ])
                    .write_empty()?;
            }
            xml.create_element("key")
                .with_attributes([
                    ("id", "graphics"),
                    ("for", "node"),
                    ("yfiles.type", "nodegraphics"),
                ])
                .write_empty()?;
            xml.create_element("graph")
                .with_attributes([("id", "eventgraph"), ("edgedefault", "directed")])
                .write_inner_content(|xml| {
                    for node in &graph.nodes {
                        xml.create_element("node")
                            .with_attribute(("id", xml_text(&node.iri).as_ref()))
                            .write_inner_content(|xml| {
                                data(xml, "label", &node.label)?;
                                data(xml, "iri", &node.iri)?;
                                data(xml, "types", &node.types.join(" "))?;
                                data(xml, "kind", kind_name(node.kind))?;
                                if let Some(start) = &node.dates.start {
                                    data(xml, "start", start)?;
                                }
                                if let Some(end) = &node.dates.end {
                                    data(xml, "end", end)?;
                                }
                                xml.create_element("data")
                                    .with_attribute(("key", "graphics"))
                                    .write_inner_content(|xml| {
                                        xml.create_element("y:ShapeNode").write_inner_content(
                                            |xml| {
                                                xml.create_element("y:NodeLabel")
                                                    .write_text_content(BytesText::new(
                                                        &xml_text(&node.label),
                                                    ))?;
                                                Ok(())
                                            },
                                        )?;
                                        Ok(())
                                    })?;
                                Ok(())
                            })?;
                    }
                    for edge in &graph.edges {
                        xml.create_element("edge")
                            .with_attributes([
                                ("id", edge.id.as_str()),
                                ("source", xml_text(&edge.source).as_ref()),
                                ("target", xml_text(&edge.target).as_ref()),
                            ])
                            .write_inner_content(|xml| {
                                data(xml, "edge_label", &edge.label)?;
                                data(xml, "predicate", &edge.predicate)?;
                                data(xml, "statements", &edge.statements.join(" "))?;
                                data(
                                    xml,
                                    "statement_count",
                                    &edge.statements.len().to_string(),
                                )?;
                                if let Some(date) = &edge.date {
                                    data(xml, "date", date)?;
                                }
                                if let Some(quote) = &edge.quote {
                                    data(xml, "quote", quote)?;
                                }
                                data(xml, "speakers", &edge.speakers.join("; "))?;
                                data(xml, "publishers", &edge.publishers.join("; "))?;
                                data(xml, "documents", &edge.documents.join("; "))?;
                                data(
                                    xml,
                                    "publisher_count",
                                    &edge.publisher_count.to_string(),
                                )?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut writer = xml.into_inner();
    writer.write_all(b"\n")?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::awkward;

    #[test]
    fn graphml_escapes_markup_and_drops_what_xml_cannot_hold() {
        let out = String::from_utf8(write(&awkward(), Vec::new()).unwrap()).unwrap();
        assert!(out.contains("Say &quot;hi&quot; &lt;b&gt; &amp; &apos;bye&apos;\nnext line, côte d&apos;Ivoire \\ ok"), "{out}");
        assert!(out.contains("Opération «Déluge»"));
        assert!(!out.contains('\u{1}'));
        assert!(out.contains(
            r#"<key id="statement_count" for="edge" attr.name="statement_count" attr.type="int"/>"#
        ));
        assert!(out.contains(r#"<data key="statement_count">1</data>"#));
        assert_eq!(out.matches("<node ").count(), 2);
        assert_eq!(out.matches("<edge ").count(), 1);
    }

    #[test]
    fn an_empty_graph_is_a_graph_without_nodes() {
        let out = String::from_utf8(write(&ExportGraph::default(), Vec::new()).unwrap()).unwrap();
        assert!(
            out.contains(r#"<graph id="eventgraph" edgedefault="directed">"#),
            "{out}"
        );
        assert!(!out.contains("<node"));
        assert!(out.trim_end().ends_with("</graphml>"));
    }
}
