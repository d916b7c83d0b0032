//! GEXF 1.2 (<https://gexf.net/>), as Gephi and networkx read it.
//!
//! The namespace is `http://www.gexf.net/1.2draft` with `version="1.2"`: the one Gephi writes
//! and the one networkx's `read_gexf` looks for (it knows `1.1draft` and `1.2draft`, not the
//! later `http://gexf.net/1.2`). The graph is `mode="dynamic"` with `timeformat="date"`: an
//! event's node lives from its date (or `eg:notBefore`) to its date (or `eg:notAfter`), an
//! edge from the date of its earliest statement on; undated nodes and edges have no
//! interval, which Gephi reads as always there — so Gephi's timeline plays the story as the
//! sources tell it. The other attributes are declared in `<attributes>` and static.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::ExportGraph;
use super::graphml::{kind_name, xml_text};

/// `(id, type)` of the node attributes; the title is the id.
const NODE_ATTRIBUTES: &[(&str, &str)] =
    &[("iri", "string"), ("types", "string"), ("kind", "string")];
/// `(id, type)` of the edge attributes.
const EDGE_ATTRIBUTES: &[(&str, &str)] = &[
    ("predicate", "string"),
    ("statements", "string"),
    ("statement_count", "integer"),
    ("date", "string"),
    ("quote", "string"),
    ("speakers", "string"),
    ("publishers", "string"),
    ("documents", "string"),
    ("publisher_count", "integer"),
];

/// The day of a date, as `timeformat="date"` wants it.
fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

fn declare<W: Write>(
    xml: &mut Writer<W>,
    class: &str,
    attributes: &[(&str, &str)],
) -> io::Result<()> {
    xml.create_element("attributes")
        .with_attributes([("class", class), ("mode", "static")])
        .write_inner_content(|xml| {
            for (id, kind) in attributes {
                xml.create_element("attribute")
                    .with_attributes([("id", *id), ("title", *id), ("type", *kind)])
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

fn values<W: Write>(xml: &mut Writer<W>, values: &[(&str, &str)]) -> io::Result<()> {
    xml.create_element("attvalues").write_inner_content(|xml| {
        for (key, value) in values {
            xml.create_element("attvalue")
                .with_attributes([("for", *key), ("value", xml_text(value).as_ref())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Writes `graph` as GEXF 1.2.
///
/// # Errors
/// When the writer fails.
pub fn write<W: Write>(graph: &ExportGraph, writer: W) -> io::Result<W> {
    let mut xml = Writer::new_with_indent(writer, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("gexf")
        .with_attributes([
            ("xmlns", "http://www.gexf.net/1.2draft"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd",
            ),
            ("version", "1.2"),
        ])
        .write_inner_content(|xml| {
            xml.create_element("meta").write_inner_content(|xml| {
                xml.create_element("creator")
                    .write_text_content(BytesText::new("eventgraph"))?;
                xml.create_element("description")
                    .write_text_content(BytesText::new(
                        "Entities and events that news reports, and the relations between them",
                    ))?;
                Ok(())
            })?;
            xml.create_element("graph")
                .with_attributes([
                    ("defaultedgetype", "directed"),
                    ("mode", "dynamic"),
                    ("timeformat", "date"),
                ])
                .write_inner_content(|xml| {
                    declare(xml, "node", NODE_ATTRIBUTES)?;
                    declare(xml, "edge", EDGE_ATTRIBUTES)?;
                    xml.create_element("nodes").write_inner_content(|xml| {
                        for node in &graph.nodes {
                            let label = xml_text(&node.label);
                            let mut element = xml
                                .create_element("node")
                                .with_attributes([("id", node.iri.as_str()), ("label", &label)]);
                            if let Some(start) = &node.dates.start {
                                element = element.with_attribute(("start", day(start)));
                            }
                            if let Some(end) = &node.dates.end {
                                element = element.with_attribute(("end", day(end)));
                            }
                            let types = node.types.join(" ");
                            element.write_inner_content(|xml| {
                                values(
                                    xml,
                                    &[
                                        ("iri", &node.iri),
                                        ("types", &types),
                                        ("kind", kind_name(node.kind)),
                                    ],
                                )
                            })?;
                        }
                        Ok(())
                    })?;
                    xml.create_element("edges").write_inner_content(|xml| {
                        for edge in &graph.edges {
                            let mut element = xml.create_element("edge").with_attributes([
                                ("id", edge.id.as_str()),
                                ("source", edge.source.as_str()),
                                ("target", edge.target.as_str()),
                                ("label", edge.label.as_str()),
                            ]);
                            if let Some(date) = &edge.date {
                                element = element.with_attribute(("start", day(date)));
                            }
                            let statements = edge.statements.join(" ");
                            let count = edge.statements.len().to_string();
                            let speakers = edge.speakers.join("; ");
                            let publishers = edge.publishers.join("; ");
                            let documents = edge.documents.join("; ");
                            let publisher_count = edge.publisher_count.to_string();
                            element.write_inner_content(|xml| {
                                let mut attributes = vec![
                                    ("predicate", edge.predicate.as_str()),
                                    ("statements", statements.as_str()),
                                    ("statement_count", count.as_str()),
                                    ("speakers", speakers.as_str()),
                                    ("publishers", publishers.as_str()),
                                    ("documents", documents.as_str()),
                                    ("publisher_count", publisher_count.as_str()),
                                ];
                                if let Some(date) = &edge.date {
                                    attributes.push(("date", date));
                                }
                                if let Some(quote) = &edge.quote {
                                    attributes.push(("quote", quote));
                                }
                                values(xml, &attributes)
                            })?;
                        }
                        Ok(())
                    })?;
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
    fn gexf_is_dynamic_with_dated_events_and_escaped_labels() {
        let out = String::from_utf8(write(&awkward(), Vec::new()).unwrap()).unwrap();
        assert!(out.contains(r#"xmlns="http://www.gexf.net/1.2draft""#));
        assert!(out.contains(r#"mode="dynamic" timeformat="date""#), "{out}");
        assert!(
            out.contains(r#"label="Opération «Déluge»" start="2023-10-07" end="2023-10-07""#),
            "{out}"
        );
        assert!(out.contains("&lt;b&gt; &amp;"));
        assert!(
            out.contains(r#"start="2023-10-31""#),
            "the edge starts with its statement"
        );
        assert!(!out.contains('\u{1}'));
        assert!(out.contains(
            r#"<attribute id="statement_count" title="statement_count" type="integer"/>"#
        ));
    }

    #[test]
    fn an_empty_graph_still_declares_its_attributes() {
        let out = String::from_utf8(write(&ExportGraph::default(), Vec::new()).unwrap()).unwrap();
        assert!(out.contains("<nodes>") && !out.contains("<node "), "{out}");
        assert!(out.contains(r#"<attribute id="iri""#));
    }
}
