//! The RDF formats — JSON-LD, Turtle, TriG, N-Quads — of a subgraph, written with Oxigraph's
//! serializers while the quads are read from the store.
//!
//! What is written: for each node its `rdf:type`s and literal properties (labels, aliases,
//! dates, descriptions); for each edge its direct triple; and, unless `provenance` is off,
//! each statement behind an edge with all of its quads (`rdf:subject`, `rdf:predicate`,
//! `rdf:object`, `eg:source`, `eg:speaker`, `eg:statedOn`, `eg:quote`, qualifiers,
//! `eg:confirmedBy`, ...) — the resources those name (sources, speakers, confirming
//! statements) are named by IRI, not described. TriG and N-Quads keep the named graph of
//! every quad (each source document's graph); Turtle and JSON-LD carry triples only, the
//! union of the graphs. JSON-LD declares the well-known prefixes in its `@context`; Turtle
//! and TriG declare them as `@prefix`.

use std::io::{self, Write};

use oxigraph::model::{GraphNameRef, QuadRef, TripleRef};

use super::{ExportError, ExportGraph, Format};
use crate::catalog::Catalog;
use crate::store::Store;
use crate::vocab;

/// The serializer of one RDF format.
enum Serializer<W: Write> {
    /// JSON-LD, with a context (Oxigraph's `RdfSerializer` does not pass prefixes on to it).
    JsonLd(oxjsonld::WriterJsonLdSerializer<W>),
    /// Turtle, TriG and N-Quads.
    Other(oxigraph::io::WriterQuadSerializer<W>, bool),
}

impl<W: Write> Serializer<W> {
    fn new(format: Format, writer: W) -> io::Result<Self> {
        match format {
            Format::JsonLd => {
                let mut serializer = oxjsonld::JsonLdSerializer::new();
                for (prefix, iri) in vocab::PREFIXES {
                    serializer = serializer
                        .with_prefix(*prefix, *iri)
                        .map_err(io::Error::other)?;
                }
                Ok(Self::JsonLd(serializer.for_writer(writer)))
            }
            other => {
                let Some(rdf_format) = other.rdf_format() else {
                    return Err(io::Error::other(format!(
                        "{} is not an RDF format",
                        other.name()
                    )));
                };
                Ok(Self::Other(
                    crate::store::dump::serializer(rdf_format).for_writer(writer),
                    rdf_format.supports_datasets(),
                ))
            }
        }
    }

    fn quad(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        match self {
            Self::JsonLd(serializer) => serializer.serialize_quad(QuadRef::new(
                quad.subject,
                quad.predicate,
                quad.object,
                GraphNameRef::DefaultGraph,
            )),
            Self::Other(serializer, true) => serializer.serialize_quad(quad),
            Self::Other(serializer, false) => serializer.serialize_triple(TripleRef::new(
                quad.subject,
                quad.predicate,
                quad.object,
            )),
        }
    }

    fn finish(self) -> io::Result<W> {
        match self {
            Self::JsonLd(serializer) => serializer.finish(),
            Self::Other(serializer, _) => serializer.finish(),
        }
    }
}

/// Writes the quads describing `graph`, read from `store`, in an RDF `format`; with the
/// statements behind its edges when `provenance`.
///
/// # Errors
/// [`ExportError::Catalog`] when the store cannot be read, [`ExportError::Write`] when the
/// writer fails or `format` is not an RDF format.
pub fn write<W: Write>(
    format: Format,
    store: &Store,
    graph: &ExportGraph,
    provenance: bool,
    writer: W,
) -> Result<W, ExportError> {
    let mut serializer = Serializer::new(format, writer)?;
    let (nodes, triples, statements) = graph.parts();
    let statements = if provenance { statements } else { Vec::new() };
    Catalog::new(store).for_each_subgraph_quad(
        nodes,
        triples.iter().map(|t| t.as_ref()),
        statements,
        |quad| -> Result<(), ExportError> { Ok(serializer.quad(quad)?) },
    )?;
    Ok(serializer.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Projection, Selection};
    use crate::model::EntityId;

    #[test]
    fn rdf_exports_hold_the_direct_triples_labels_and_statements_of_the_subgraph() {
        let store = crate::store::seed::seeded_in_memory();
        let projection = Projection::build(&store).unwrap();
        let names = ["United States", "Hamas", "Government of Qatar"];
        let nodes: Vec<_> = names
            .iter()
            .map(|n| {
                projection
                    .node(EntityId::from_canonical_name(n).iri().as_ref())
                    .unwrap()
            })
            .collect();
        let selection = Selection::induced(&projection, &nodes);
        let graph = ExportGraph::gather(
            &store,
            &projection,
            &selection,
            &Default::default(),
            true,
            &Default::default(),
        )
        .unwrap();
        assert!(!graph.edges.is_empty());
        let nq =
            String::from_utf8(write(Format::NQuads, &store, &graph, true, Vec::new()).unwrap())
                .unwrap();
        assert!(nq.contains("\"Hamas\"@en"));
        assert!(nq.contains("<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>"));
        let bare =
            String::from_utf8(write(Format::NQuads, &store, &graph, false, Vec::new()).unwrap())
                .unwrap();
        assert!(!bare.contains("#subject>"));
        let jsonld = write(Format::JsonLd, &store, &graph, true, Vec::new()).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&jsonld).unwrap();
        assert_eq!(doc["@context"]["eg"], vocab::eg::NAMESPACE);
        let ttl =
            String::from_utf8(write(Format::Turtle, &store, &graph, true, Vec::new()).unwrap())
                .unwrap();
        assert!(ttl.contains("@prefix eg:"));
        assert!(write(Format::Dot, &store, &graph, true, Vec::new()).is_err());
    }
}
