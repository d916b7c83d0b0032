//! Writing the dataset, or one graph of it, as RDF.
//!
//! Dataset formats (TriG, N-Quads) carry every graph; triple formats
//! (Turtle, N-Triples, RDF/XML, JSON-LD) need one graph to be named. The
//! well-known prefixes of [`crate::vocab::PREFIXES`] are declared where the
//! format has prefixes, so that a dump reads like the seed files.

use std::io::{self, Write};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::GraphNameRef;

use super::{Store, StoreError};
use crate::vocab;

/// Errors of dumping.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// A triple format was asked for the whole dataset.
    #[error(
        "{format} holds a single graph: name one with --graph, or dump the dataset as trig or nquads"
    )]
    NeedsGraph {
        /// The format's name.
        format: &'static str,
    },
    /// Writing the output failed.
    #[error("cannot write the dump: {0}")]
    Write(#[from] io::Error),
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A serializer for `format` with the well-known prefixes declared.
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    vocab::PREFIXES.iter().fold(
        RdfSerializer::from_format(format),
        |serializer, (prefix, iri)| {
            // The prefixes are constants and valid IRIs; a failure would only skip the prefix.
            serializer
                .clone()
                .with_prefix(*prefix, *iri)
                .unwrap_or(serializer)
        },
    )
}

impl Store {
    /// Writes the whole dataset, or only `graph`, to `writer` in `format`.
    ///
    /// # Errors
    /// [`DumpError::NeedsGraph`] for a triple format without a graph, [`DumpError::Write`]
    /// when the writer fails, [`DumpError::Store`] when the store cannot be read.
    pub fn dump<W: Write>(
        &self,
        writer: W,
        format: RdfFormat,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<W, DumpError> {
        let result = match graph {
            Some(graph) => self
                .inner
                .dump_graph_to_writer(graph, serializer(format), writer),
            None if format.supports_datasets() => {
                self.inner.dump_to_writer(serializer(format), writer)
            }
            None => {
                return Err(DumpError::NeedsGraph {
                    format: format.name(),
                });
            }
        };
        result.map_err(|e| match e {
            oxigraph::store::SerializerError::Io(e) => DumpError::Write(e),
            oxigraph::store::SerializerError::Storage(e) => DumpError::Store(e.into()),
            other => DumpError::Write(io::Error::other(other)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreLocation;
    use crate::store::load::{LoadOptions, RdfSource};

    #[test]
    fn dump_round_trips_through_trig() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        store.seed_if_empty().unwrap();
        let trig = store.dump(Vec::new(), RdfFormat::TriG, None).unwrap();
        let copy = Store::open(&StoreLocation::Memory).unwrap();
        copy.load(
            vec![RdfSource::from_str(
                "dump.trig",
                RdfFormat::TriG,
                std::str::from_utf8(&trig).unwrap(),
            )],
            &LoadOptions::default(),
            &|_| {},
        )
        .unwrap();
        assert_eq!(copy.len().unwrap(), store.len().unwrap());
    }

    #[test]
    fn dump_refuses_a_triple_format_for_the_whole_dataset() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        assert!(matches!(
            store.dump(Vec::new(), RdfFormat::Turtle, None),
            Err(DumpError::NeedsGraph { format: "Turtle" })
        ));
    }
}
