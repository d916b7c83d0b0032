//! Atomic loading of RDF files and streams into the store.
//!
//! Every source of one call goes through a single Oxigraph bulk loader and is
//! committed at the end, only when all of them parsed: a syntax error in the
//! last file leaves the store exactly as it was (the loader's staged files are
//! dropped). Parse errors keep their file, line and column as data
//! ([`LoadError::Syntax`]) so that the CLI and the HTTP edge can both point at
//! the offending place. Progress is reported as a running quad count; showing
//! it is the caller's business.
//!
//! [`BulkLoad`] is the same loader fed with quads made elsewhere (the importers' rows), in
//! batches as they come and committed all at once: no text is written and parsed again.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::StorageError;

use super::Store;

/// How often, in quads, the progress callback is called.
const PROGRESS_EVERY: u64 = 10_000;

/// A 1-based line and column in a source, in characters, with the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TextPosition {
    /// Line number, starting at 1.
    pub line: u64,
    /// Column number in characters, starting at 1.
    pub column: u64,
    /// Byte offset from the start of the source, starting at 0.
    pub offset: u64,
}

/// Errors of loading RDF; none of them leaves anything written.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file extension names no RDF format eventgraph reads.
    #[error(
        "cannot tell the RDF format of {file} from its extension; name it with --format (one of {})",
        FORMAT_NAMES
    )]
    UnknownExtension {
        /// The file.
        file: String,
    },
    /// A format name given by the user is not one eventgraph reads.
    #[error("unknown RDF format '{name}'; expected one of {}", FORMAT_NAMES)]
    UnknownFormat {
        /// What the user wrote.
        name: String,
    },
    /// The source could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The source is not valid in its format.
    #[error("{file}{}: {message}", position.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default())]
    Syntax {
        /// The file or stream name.
        file: String,
        /// Where the error starts, when the parser knows it (the RDF/XML parser does not).
        position: Option<TextPosition>,
        /// What is wrong, without the position.
        message: String,
    },
    /// The base IRI given for relative IRIs is not an absolute IRI.
    #[error("invalid base IRI <{iri}>: {message}")]
    InvalidBaseIri {
        /// The IRI given.
        iri: String,
        /// Why it is invalid.
        message: String,
    },
    /// Writing to the store failed; nothing was committed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The format names accepted by [`format_from_name`], for messages.
const FORMAT_NAMES: &str = "turtle, trig, ntriples, nquads, rdfxml, jsonld";

/// One RDF document to load: a name for messages, its format and its bytes.
pub struct RdfSource<'a> {
    /// The file path or another name the user recognises.
    pub name: String,
    /// The serialization of the bytes.
    pub format: RdfFormat,
    /// The bytes.
    pub reader: Box<dyn Read + 'a>,
    /// The graph that receives the triples of a triple format (and the default graph of a
    /// dataset format); without it they go to the default graph.
    pub graph: Option<NamedNode>,
}

impl<'a> RdfSource<'a> {
    /// A source read from a string, such as the seed data embedded in the binary.
    pub fn from_str(name: impl Into<String>, format: RdfFormat, text: &'a str) -> Self {
        Self {
            name: name.into(),
            format,
            reader: Box::new(text.as_bytes()),
            graph: None,
        }
    }

    /// Puts the source's default-graph triples into `graph`.
    #[must_use]
    pub fn with_graph(mut self, graph: NamedNode) -> Self {
        self.graph = Some(graph);
        self
    }
}

/// Opens a file as a source, its format named or else taken from its extension.
///
/// # Errors
/// [`LoadError::UnknownExtension`] when no format is given and the extension is not an RDF one;
/// [`LoadError::Read`] when the file cannot be opened.
pub fn open_file(
    path: &Path,
    format: Option<RdfFormat>,
) -> Result<(RdfSource<'static>, u64), LoadError> {
    let name = path.display().to_string();
    let format = match format {
        Some(format) => format,
        None => format_from_path(path)?,
    };
    let file = File::open(path).map_err(|source| LoadError::Read {
        file: name.clone(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((
        RdfSource {
            name,
            format,
            reader: Box::new(BufReader::new(file)),
            graph: None,
        },
        size,
    ))
}

/// The RDF format of a file, from its extension (`.ttl`, `.trig`, `.nt`, `.nq`, `.rdf`, `.owl`, `.jsonld`, ...).
///
/// # Errors
/// [`LoadError::UnknownExtension`] when the extension names no RDF format.
pub fn format_from_path(path: &Path) -> Result<RdfFormat, LoadError> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| match e.to_ascii_lowercase().as_str() {
            "owl" | "xml" => Some(RdfFormat::RdfXml),
            "json" => Some(RdfFormat::JsonLd {
                profile: Default::default(),
            }),
            other => RdfFormat::from_extension(other),
        })
        .ok_or_else(|| LoadError::UnknownExtension {
            file: path.display().to_string(),
        })
}

/// The RDF format a user names: `turtle`, `trig`, `ntriples`, `nquads`, `rdfxml`, `jsonld`,
/// a file extension (`ttl`, `nt`, ...) or a media type.
///
/// # Errors
/// [`LoadError::UnknownFormat`] for any other name.
pub fn format_from_name(name: &str) -> Result<RdfFormat, LoadError> {
    let lower = name.to_ascii_lowercase();
    match lower.replace(['-', '_'], "").as_str() {
        "turtle" => Some(RdfFormat::Turtle),
        "trig" => Some(RdfFormat::TriG),
        "ntriples" => Some(RdfFormat::NTriples),
        "nquads" => Some(RdfFormat::NQuads),
        "rdfxml" | "xml" | "owl" => Some(RdfFormat::RdfXml),
        "jsonld" | "json" => Some(RdfFormat::JsonLd {
            profile: Default::default(),
        }),
        _ => RdfFormat::from_extension(&lower).or_else(|| RdfFormat::from_media_type(&lower)),
    }
    .ok_or(LoadError::UnknownFormat {
        name: name.to_owned(),
    })
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The base IRI against which relative IRIs are resolved.
    pub base_iri: Option<String>,
}

/// What a successful load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadReport {
    /// How many sources were read.
    pub sources: usize,
    /// How many quads were parsed (quads already in the store count too).
    pub quads: u64,
}

impl Store {
    /// Loads every source atomically: all of them, or, on the first error, none.
    ///
    /// `on_progress` is called with the running quad count every few thousand quads.
    ///
    /// # Errors
    /// [`LoadError::Syntax`] with the file and position of the first syntax error,
    /// [`LoadError::Read`] when a source cannot be read, [`LoadError::InvalidBaseIri`],
    /// [`LoadError::Storage`] when the store cannot be written. In every case the store is unchanged.
    pub fn load(
        &self,
        sources: Vec<RdfSource<'_>>,
        options: &LoadOptions,
        on_progress: &dyn Fn(u64),
    ) -> Result<LoadReport, LoadError> {
        let mut loader = self.inner.bulk_loader();
        let mut quads = 0_u64;
        let source_count = sources.len();
        for source in sources {
            let mut parser = RdfParser::from_format(source.format).rename_blank_nodes();
            if let Some(graph) = source.graph {
                parser = parser.with_default_graph(graph);
            }
            if let Some(base) = &options.base_iri {
                parser =
                    parser
                        .with_base_iri(base.clone())
                        .map_err(|e| LoadError::InvalidBaseIri {
                            iri: base.clone(),
                            message: e.to_string(),
                        })?;
            }
            let name = source.name;
            let parsed = parser.for_reader(source.reader).map(|result| {
                let quad = result.map_err(|e| parse_error(&name, e))?;
                quads += 1;
                if quads.is_multiple_of(PROGRESS_EVERY) {
                    on_progress(quads);
                }
                Ok(quad)
            });
            loader.load_ok_quads::<LoadError, LoadError>(parsed)?;
        }
        // Nothing is visible in the store before this commit; an early return drops the
        // loader, which deletes what it staged.
        loader.commit()?;
        on_progress(quads);
        Ok(LoadReport {
            sources: source_count,
            quads,
        })
    }
}

/// The quads a [`BulkLoad`] gathers before handing them to the loader: Oxigraph's own batch
/// size, so that each hand-over is one of its batches (it sorts and writes each batch to SST
/// files on a thread of its own, and cuts a partial batch at the end of every call).
const BULK_BATCH: usize = 1_000_000;

/// Quads on their way into the store through Oxigraph's bulk loader, visible only after
/// [`BulkLoad::commit`]; dropped before it, it deletes what it staged and the store is
/// unchanged.
///
/// Memory is one batch being gathered and the batches the loader's threads are sorting (one
/// per core), whatever the number of quads.
#[must_use]
pub struct BulkLoad<'s> {
    /// The loader: SST files written per batch, ingested at the commit.
    loader: oxigraph::store::BulkLoader<'s>,
    /// The quads gathered since the last hand-over.
    batch: Vec<Quad>,
    /// How many quads were added.
    quads: u64,
}

impl BulkLoad<'_> {
    /// Adds quads; every [`BULK_BATCH`] of them go to the loader.
    ///
    /// # Errors
    /// [`StorageError`] when a batch cannot be written to its SST files.
    pub fn extend(&mut self, quads: impl IntoIterator<Item = Quad>) -> Result<(), StorageError> {
        for quad in quads {
            self.batch.push(quad);
            self.quads += 1;
            if self.batch.len() >= BULK_BATCH {
                let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BULK_BATCH));
                self.loader.load_quads(batch)?;
            }
        }
        Ok(())
    }

    /// How many quads were added so far (duplicates and quads the store holds included).
    pub fn len(&self) -> u64 {
        self.quads
    }

    /// Whether no quad was added.
    pub fn is_empty(&self) -> bool {
        self.quads == 0
    }

    /// Writes the last batch, then makes everything visible at once (RocksDB ingests the SST
    /// files of every batch in one step).
    ///
    /// # Errors
    /// [`StorageError`] when a batch or the ingestion fails; nothing is then visible.
    pub fn commit(mut self) -> Result<u64, StorageError> {
        let batch = std::mem::take(&mut self.batch);
        self.loader.load_quads(batch)?;
        self.loader.commit()?;
        Ok(self.quads)
    }
}

impl Store {
    /// A bulk load of quads made by the caller, all or nothing: see [`BulkLoad`].
    pub fn bulk_load(&self) -> BulkLoad<'_> {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        BulkLoad {
            // The loader's batch is its memory in megabytes × 1,000 / threads quads: set so
            // that it is exactly `BULK_BATCH`.
            loader: self
                .inner
                .bulk_loader()
                .with_num_threads(threads)
                .with_max_memory_size_in_megabytes(BULK_BATCH * threads / 1_000),
            batch: Vec::with_capacity(BULK_BATCH),
            quads: 0,
        }
    }
}

/// Turns a parser error into a [`LoadError`] that names the source.
pub(crate) fn parse_error(file: &str, error: RdfParseError) -> LoadError {
    match error {
        RdfParseError::Io(source) => LoadError::Read {
            file: file.to_owned(),
            source,
        },
        RdfParseError::Syntax(error) => LoadError::Syntax {
            file: file.to_owned(),
            position: error.location().map(|range| TextPosition {
                line: range.start.line + 1,
                column: range.start.column + 1,
                offset: range.start.offset,
            }),
            message: strip_position(&error.to_string()).to_owned(),
        },
    }
}

/// Oxigraph's Turtle-family messages start with "Parser error at line L column C: ";
/// the position is kept as data, so the message keeps only what is wrong.
fn strip_position(message: &str) -> &str {
    if message.starts_with("Parser error ") {
        if let Some((_, rest)) = message.split_once(": ") {
            return rest;
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreLocation;

    fn memory_store() -> Store {
        Store::open(&StoreLocation::Memory).unwrap()
    }

    #[test]
    fn load_rejects_bad_turtle_and_keeps_store_unchanged() {
        let store = memory_store();
        let good = "<http://example.com/a> <http://example.com/b> <http://example.com/c> .\n";
        let bad = "<http://example.com/a> <http://example.com/b> .\n<http://example.com/x> <http://example.com/y> \"z\" .\n";
        let error = store
            .load(
                vec![
                    RdfSource::from_str("good.ttl", RdfFormat::Turtle, good),
                    RdfSource::from_str("bad.ttl", RdfFormat::Turtle, bad),
                ],
                &LoadOptions::default(),
                &|_| {},
            )
            .unwrap_err();
        match error {
            LoadError::Syntax {
                file,
                position: Some(position),
                message,
            } => {
                assert_eq!(file, "bad.ttl");
                assert_eq!((position.line, position.column), (1, 47));
                assert!(!message.starts_with("Parser error"), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        assert!(
            store.is_empty().unwrap(),
            "the good file must not be half-loaded"
        );
    }

    #[test]
    fn load_puts_triples_into_the_named_graph() {
        let store = memory_store();
        let graph = NamedNode::new("http://example.com/g").unwrap();
        let report = store
            .load(
                vec![
                    RdfSource::from_str(
                        "a.nt",
                        RdfFormat::NTriples,
                        "<http://example.com/a> <http://example.com/b> <http://example.com/c> .\n",
                    )
                    .with_graph(graph.clone()),
                ],
                &LoadOptions::default(),
                &|_| {},
            )
            .unwrap();
        assert_eq!(report.quads, 1);
        let quads: Vec<_> = store.oxigraph().iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(quads[0].graph_name, graph.into());
    }

    #[test]
    fn a_bulk_load_shows_nothing_before_its_commit_and_nothing_when_dropped() {
        let store = memory_store();
        let quad = |n: usize| {
            Quad::new(
                NamedNode::new_unchecked(format!("http://example.com/s{n}")),
                NamedNode::new_unchecked("http://example.com/p"),
                NamedNode::new_unchecked("http://example.com/o"),
                NamedNode::new_unchecked("http://example.com/g"),
            )
        };
        let mut dropped = store.bulk_load();
        dropped.extend((0..10).map(quad)).unwrap();
        drop(dropped);
        assert!(store.is_empty().unwrap(), "a dropped load writes nothing");

        let mut load = store.bulk_load();
        load.extend((0..10).map(quad)).unwrap();
        load.extend((5..20).map(quad)).unwrap();
        assert!(
            store.is_empty().unwrap(),
            "nothing is visible before the commit"
        );
        assert_eq!(load.commit().unwrap(), 25);
        assert_eq!(store.len().unwrap(), 20);
    }

    #[test]
    fn formats_are_known_by_extension_and_by_name() {
        assert_eq!(
            format_from_path(Path::new("x.ttl")).unwrap(),
            RdfFormat::Turtle
        );
        assert_eq!(
            format_from_path(Path::new("x.NQ")).unwrap(),
            RdfFormat::NQuads
        );
        assert_eq!(
            format_from_path(Path::new("x.owl")).unwrap(),
            RdfFormat::RdfXml
        );
        assert!(matches!(
            format_from_path(Path::new("x.csv")),
            Err(LoadError::UnknownExtension { .. })
        ));
        assert_eq!(format_from_name("N-Triples").unwrap(), RdfFormat::NTriples);
        assert_eq!(format_from_name("text/turtle").unwrap(), RdfFormat::Turtle);
        assert!(format_from_name("csv").is_err());
    }

    #[test]
    fn strip_position_keeps_only_the_message() {
        assert_eq!(
            strip_position("Parser error at line 1 column 46: expected an object"),
            "expected an object"
        );
        assert_eq!(strip_position("unexpected end"), "unexpected end");
    }
}
