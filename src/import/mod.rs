//! Importing news feeds: GDELT 2.0 events and mentions, and ACLED's CSV export, mapped onto
//! the ontology in the seed's model — a direct triple and a statement node with its
//! provenance, one named graph per source document — one file at a time, all or nothing.
//!
//! **Reading.** Files are read as their publishers write them (`gdelt.rs`: tab-separated
//! without a header, 61 and 16 fields; `acled.rs`: comma-separated with the codebook's header),
//! zipped or not (a zip is recognised by its first bytes and must hold one file), with the
//! `csv` crate, one record at a time. Each row is checked field by field before anything is
//! made of it; a bad row names its line and its codebook field ([`ImportError::InvalidRow`]).
//! Names are matched to entities by `matching.rs`; quads are made by `emit.rs`.
//!
//! **Atomic, in constant memory.** A row's quads are staged, not written: in memory up to
//! [`STAGED_IN_MEMORY`] quads, beyond that in the store's bulk loader ([`Store::bulk_load`]),
//! which sorts them batch by batch into SST files while the rows are read and shows nothing of
//! them before its commit (the quads go to it as made: no text is written and parsed again).
//! Only when the whole file has been read without a fatal error is the staging committed: a
//! small import as one journaled transaction whose [`ChangeSet`] lists its quads (the read
//! models take it incrementally), a large one as the bulk loader's commit between two flushes
//! (the journal is checkpointed first, so that no record replays over it, and the loaded files
//! are synced after), answered as an unlisted change so that the read models rebuild. A failed
//! file commits nothing: the loader, dropped, deletes its SST files. Memory is the staging
//! buffer (in the loader, a batch being gathered and one being sorted per core), the names
//! decided so far (one entry per distinct name) and, for ACLED, one entry per event of the
//! file (to see a revision within the file); never the file or its quads.
//!
//! **Idempotent and revisable.** Every IRI is a stable uuid v5: an event of its
//! `GLOBALEVENTID` or `event_id_cnty`, a source document of its URL, a statement of its graph
//! and triple. A row whose event (or mention) the store holds already is left out
//! (`rows_unchanged`), so a second import of a file writes nothing. An ACLED row with a newer
//! `timestamp` replaces the older version: see `acled.rs`.
//!
//! Through the server the whole import is one [`ReadModels::write`] step (no other write runs
//! meanwhile; the read models take its change). The command line runs the same [`Importer`]
//! on a store it opened itself. This module knows neither HTTP nor the terminal; it does not
//! check the imported quads against the SHACL shapes (the mapping is fixed and tested), nor
//! fetch anything.

mod acled;
pub mod cameo;
mod emit;
mod gdelt;
pub mod matching;
pub mod report;

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef};
use oxigraph::store::StorageError;
use rustc_hash::FxHashSet;

use crate::catalog::search::SearchIndex;
use crate::read_models::{ReadModels, ReadModelsError, Written};
use crate::store::Store;
use crate::store::change::ChangeSet;
use crate::store::load::BulkLoad;
use crate::store::write::WriteError;

pub use matching::Matcher;
pub use report::{AmbiguousName, ImportReport, NameMatch, SkippedRow};

use emit::RowQuads;

/// The staged quads kept in memory; past them the staging, and then the commit, go through the
/// bulk loader. Below the read models' rebuild threshold, so that an
/// import committed as a transaction is applied incrementally.
pub const STAGED_IN_MEMORY: usize = 100_000;

/// How often, in rows, the progress callback is called.
const PROGRESS_EVERY: u64 = 1_000;

/// The feeds eventgraph imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A GDELT 2.0 events file (`*.export.CSV`, 61 tab-separated fields).
    GdeltEvents,
    /// A GDELT 2.0 mentions file (`*.mentions.CSV`, 16 tab-separated fields).
    GdeltMentions,
    /// An ACLED CSV export, with its header row.
    Acled,
}

/// The names [`Format::from_name`] accepts, for messages.
pub const FORMAT_NAMES: &str = "gdelt-events, gdelt-mentions, acled";

impl Format {
    /// The format a user names.
    ///
    /// # Errors
    /// [`ImportError::UnknownFormat`] for any name but those of [`FORMAT_NAMES`].
    pub fn from_name(name: &str) -> Result<Self, ImportError> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "gdelt-events" | "gdelt-export" => Ok(Self::GdeltEvents),
            "gdelt-mentions" => Ok(Self::GdeltMentions),
            "acled" => Ok(Self::Acled),
            _ => Err(ImportError::UnknownFormat {
                name: name.to_owned(),
            }),
        }
    }

    /// Its name, as [`Format::from_name`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::GdeltEvents => "gdelt-events",
            Self::GdeltMentions => "gdelt-mentions",
            Self::Acled => "acled",
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// The feed the files are in.
    pub format: Format,
    /// Import the good rows of a file with bad ones, listing the bad ones, instead of nothing.
    pub skip_invalid: bool,
}

/// How far the reading of a file has gone, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Rows read.
    pub rows: u64,
    /// Bytes read (of the decompressed text, for a zip).
    pub bytes: u64,
    /// Bytes in all (of the decompressed text, for a zip).
    pub total_bytes: u64,
}

/// Errors of an import; after any of them the file has written nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The format name is not one eventgraph imports.
    #[error("unknown import format '{name}'; expected one of {}", FORMAT_NAMES)]
    UnknownFormat {
        /// What the user wrote.
        name: String,
    },
    /// The file cannot be read (or its zip stream breaks off).
    #[error("cannot read {file}{}: {source}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Read {
        /// The file.
        file: String,
        /// The line reached, when reading had started.
        line: Option<u64>,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The file starts as a zip archive but is not a readable one holding one file.
    #[error("{file} is not a readable zip archive of one file: {message}")]
    Zip {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A row is not in the codebook's layout; nothing of the file was written.
    #[error("{file}:{line}: field {field}: {message}")]
    InvalidRow {
        /// The file.
        file: String,
        /// The 1-based line of the row.
        line: u64,
        /// The codebook's name of the field at fault (`SQLDATE`, `event_date`), or `row`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The embedded CAMEO scheme does not parse (a broken build; a unit test parses it).
    #[error("the embedded CAMEO scheme does not parse: {0}")]
    Scheme(#[source] oxigraph::io::RdfParseError),
    /// The store failed; nothing of the file was committed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The store failed to write.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The store failed to flush.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The read models could not be read, or not take the committed import.
    #[error(transparent)]
    ReadModels(#[from] ReadModelsError),
}

/// Why one row is not imported.
#[derive(Debug)]
pub(crate) enum RowError {
    /// It breaks the codebook: the field and what is wrong.
    Invalid {
        /// The codebook's name of the field, or `row`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The store could not be read while mapping it.
    Storage(StorageError),
}

impl From<StorageError> for RowError {
    fn from(error: StorageError) -> Self {
        Self::Storage(error)
    }
}

/// A [`RowError::Invalid`].
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> RowError {
    RowError::Invalid {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// What became of a row that is valid.
pub(crate) enum RowOutcome {
    /// Its quads, staged.
    Imported(RowQuads),
    /// The store holds it already.
    Unchanged,
    /// A newer version of its event is in the store or earlier in the file.
    Superseded,
}

/// What a row's mapping may read and change besides its own quads.
pub(crate) struct Context<'c, 'm> {
    /// The store, for point look-ups (is this event there already?).
    pub store: &'c Store,
    /// The names decided so far.
    pub matcher: &'c mut Matcher<'m>,
    /// The file's report, which the mapping counts into.
    pub report: &'c mut ImportReport,
    /// (subject, graph) pairs whose quads the commit removes: the direct triples of
    /// superseded ACLED versions.
    pub strips: &'c mut Vec<(NamedNode, NamedNode)>,
}

/// One feed's reading of rows.
pub(crate) trait RowMapper {
    /// The codebook's name of each field, by position (for messages about a field).
    fn field_name(&self, index: usize) -> String;

    /// Reads the header row of a format that has one.
    ///
    /// # Errors
    /// A [`RowError::Invalid`] naming a missing column.
    fn header(&mut self, _header: &csv::StringRecord) -> Result<(), RowError> {
        Ok(())
    }

    /// Checks one row, then maps it.
    ///
    /// # Errors
    /// [`RowError::Invalid`] when a field breaks the codebook (nothing of the row is made),
    /// [`RowError::Storage`] when a look-up fails.
    fn row(
        &mut self,
        record: &csv::StringRecord,
        context: &mut Context<'_, '_>,
    ) -> Result<RowOutcome, RowError>;
}

/// Imports files, one at a time, each all or nothing, remembering the names it decided from
/// one file to the next.
pub struct Importer<'m> {
    matcher: Matcher<'m>,
}

impl<'m> Importer<'m> {
    /// An importer matching names against `index`.
    pub fn new(index: &'m SearchIndex) -> Self {
        Self {
            matcher: Matcher::new(index),
        }
    }

    /// Imports the file at `path` (`name` is how messages call it) into `store` and returns
    /// its report with the change committed.
    ///
    /// # Errors
    /// [`ImportError::InvalidRow`] for the first bad row (unless `skip_invalid`),
    /// [`ImportError::Read`], [`ImportError::Zip`], or a failure of the store. The store is
    /// then unchanged.
    pub fn import_file(
        &mut self,
        store: &Store,
        path: &Path,
        name: &str,
        options: &ImportOptions,
        on_progress: &dyn Fn(Progress),
    ) -> Result<(ImportReport, ChangeSet), ImportError> {
        let started = Instant::now();
        self.matcher.start_file();
        let result = self.read_and_commit(store, path, name, options, on_progress);
        match result {
            Ok((mut report, change)) => {
                report.elapsed_ms =
                    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                Ok((report, change))
            }
            Err(error) => {
                // The entities this file created were never written.
                self.matcher.forget_file();
                Err(error)
            }
        }
    }

    fn read_and_commit(
        &mut self,
        store: &Store,
        path: &Path,
        name: &str,
        options: &ImportOptions,
        on_progress: &dyn Fn(Progress),
    ) -> Result<(ImportReport, ChangeSet), ImportError> {
        let read_error = |source| ImportError::Read {
            file: name.to_owned(),
            line: None,
            source,
        };
        let mut file = File::open(path).map_err(read_error)?;
        let mut magic = [0_u8; 4];
        let zipped = file.read(&mut magic).map_err(read_error)? == 4 && magic == *b"PK\x03\x04";
        file.seek(SeekFrom::Start(0)).map_err(read_error)?;
        let started = Instant::now();
        let mut staging = Staging::new();
        let mut report = ImportReport::new(name, options.format);
        let mut strips = Vec::new();
        if options.format == Format::GdeltEvents
            && !store.oxigraph().contains(cameo::scheme_marker())?
        {
            // A store seeded before the CAMEO scheme existed: the events' types need it.
            let quads = cameo::quads().map_err(ImportError::Scheme)?;
            staging.push(store, quads)?;
        }
        let mut mapper: Box<dyn RowMapper> = match options.format {
            Format::GdeltEvents => Box::new(gdelt::Events),
            Format::GdeltMentions => Box::new(gdelt::Mentions),
            Format::Acled => Box::new(acled::Acled::default()),
        };
        let mut context = Context {
            store,
            matcher: &mut self.matcher,
            report: &mut report,
            strips: &mut strips,
        };
        if zipped {
            let mut archive = zip::ZipArchive::new(file).map_err(|e| ImportError::Zip {
                file: name.to_owned(),
                message: e.to_string(),
            })?;
            if archive.len() != 1 {
                return Err(ImportError::Zip {
                    file: name.to_owned(),
                    message: format!("it holds {} files", archive.len()),
                });
            }
            let entry = archive.by_index(0).map_err(|e| ImportError::Zip {
                file: name.to_owned(),
                message: e.to_string(),
            })?;
            let total = entry.size();
            read_rows(
                entry,
                total,
                name,
                options,
                mapper.as_mut(),
                store,
                &mut context,
                &mut staging,
                on_progress,
            )?;
        } else {
            let total = file.metadata().map(|m| m.len()).unwrap_or(0);
            read_rows(
                BufReader::with_capacity(1 << 16, file),
                total,
                name,
                options,
                mapper.as_mut(),
                store,
                &mut context,
                &mut staging,
                on_progress,
            )?;
        }
        report.quads = staging.count();
        // The phases' times, for profiling an import (`--log eventgraph=debug`).
        tracing::debug!(
            file = name,
            quads = report.quads,
            elapsed = ?started.elapsed(),
            "rows read and staged"
        );
        let change = staging.commit(store, &strips)?;
        tracing::debug!(file = name, elapsed = ?started.elapsed(), "staged quads committed");
        Ok((report, change))
    }
}

/// Imports one file through the read models: the whole import is one [`ReadModels::write`]
/// step, matched against the read models' search index.
///
/// # Errors
/// As [`Importer::import_file`]; the store is then unchanged.
pub fn import_into(
    models: &Arc<ReadModels>,
    path: &Path,
    name: &str,
    options: &ImportOptions,
    on_progress: &dyn Fn(Progress),
) -> Result<Written<ImportReport>, ImportError> {
    models.write(|store| {
        let view = models.read()?;
        let mut importer = Importer::new(&view.index);
        importer.import_file(store, path, name, options, on_progress)
    })
}

/// Reads every row of `input` through `mapper` into `staging`.
#[allow(clippy::too_many_arguments)]
fn read_rows<'s>(
    input: impl Read,
    total_bytes: u64,
    name: &str,
    options: &ImportOptions,
    mapper: &mut dyn RowMapper,
    store: &'s Store,
    context: &mut Context<'_, '_>,
    staging: &mut Staging<'s>,
    on_progress: &dyn Fn(Progress),
) -> Result<(), ImportError> {
    let bytes = Rc::new(Cell::new(0_u64));
    let counted = Counted {
        inner: input,
        bytes: Rc::clone(&bytes),
    };
    let mut builder = csv::ReaderBuilder::new();
    match options.format {
        // GDELT quotes nothing: a `"` is part of a name or a URL.
        Format::GdeltEvents | Format::GdeltMentions => builder
            .delimiter(b'\t')
            .has_headers(false)
            .quoting(false)
            .flexible(true),
        Format::Acled => builder.has_headers(true).flexible(true),
    };
    let mut reader = builder.from_reader(counted);
    let fail = |line: u64, field: String, message: String| ImportError::InvalidRow {
        file: name.to_owned(),
        line,
        field,
        message,
    };
    if options.format == Format::Acled {
        let header = reader
            .headers()
            .map_err(|e| csv_error(name, e, mapper, &fail))?
            .clone();
        match mapper.header(&header) {
            Ok(()) => {}
            Err(RowError::Invalid { field, message }) => return Err(fail(1, field, message)),
            Err(RowError::Storage(error)) => return Err(error.into()),
        }
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let error = csv_error(name, error, mapper, &fail);
                match error {
                    ImportError::InvalidRow {
                        line,
                        field,
                        message,
                        ..
                    } if options.skip_invalid => {
                        context.report.rows_read += 1;
                        context.report.skipped.push(SkippedRow {
                            line,
                            field,
                            reason: message,
                        });
                        continue;
                    }
                    ImportError::Read { file, source, .. } => {
                        return Err(ImportError::Read {
                            file,
                            line: Some(line),
                            source,
                        });
                    }
                    other => return Err(other),
                }
            }
        }
        let line = record.position().map_or(line, csv::Position::line);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            // A blank line (a trailing one, typically) is no row.
            continue;
        }
        context.report.rows_read += 1;
        match mapper.row(&record, context) {
            Ok(RowOutcome::Imported(row)) => {
                context.report.rows_imported += 1;
                context.report.statements_created += row.statements;
                staging.push(store, row.quads)?;
            }
            Ok(RowOutcome::Unchanged) => context.report.rows_unchanged += 1,
            Ok(RowOutcome::Superseded) => context.report.rows_superseded += 1,
            Err(RowError::Invalid { field, message }) => {
                if !options.skip_invalid {
                    return Err(fail(line, field, message));
                }
                context.report.skipped.push(SkippedRow {
                    line,
                    field,
                    reason: message,
                });
            }
            Err(RowError::Storage(error)) => return Err(error.into()),
        }
        let rows = context.report.rows_read;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            on_progress(Progress {
                rows,
                bytes: bytes.get(),
                total_bytes,
            });
        }
    }
    on_progress(Progress {
        rows: context.report.rows_read,
        bytes: bytes.get(),
        total_bytes,
    });
    Ok(())
}

/// A csv error as an import error: a row that is not UTF-8 is a bad row, a failed read is not.
fn csv_error(
    name: &str,
    error: csv::Error,
    mapper: &dyn RowMapper,
    fail: &dyn Fn(u64, String, String) -> ImportError,
) -> ImportError {
    let line = error.position().map_or(0, csv::Position::line);
    match error.into_kind() {
        csv::ErrorKind::Io(source) => ImportError::Read {
            file: name.to_owned(),
            line: None,
            source,
        },
        csv::ErrorKind::Utf8 { pos, err } => fail(
            pos.map_or(line, |p| p.line()),
            mapper.field_name(err.field()),
            "not UTF-8 text".to_owned(),
        ),
        other => fail(line, "row".to_owned(), format!("{other:?}")),
    }
}

/// A reader that counts the bytes read through it, for progress.
struct Counted<R> {
    inner: R,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + read as u64);
        Ok(read)
    }
}

/// The quads of a file's good rows, until the commit: in memory, or past
/// [`STAGED_IN_MEMORY`] in the store's bulk loader, which writes them to SST files batch by
/// batch and shows nothing of them before its commit.
enum Staging<'s> {
    /// Few quads so far, kept to be committed as one listed transaction.
    Memory(Vec<Quad>),
    /// More: on their way through the bulk loader (dropped, it deletes what it wrote).
    Loading(BulkLoad<'s>),
}

impl<'s> Staging<'s> {
    fn new() -> Self {
        Self::Memory(Vec::new())
    }

    /// How many quads were staged.
    fn count(&self) -> u64 {
        match self {
            Self::Memory(quads) => quads.len() as u64,
            Self::Loading(load) => load.len(),
        }
    }

    fn push(&mut self, store: &'s Store, quads: Vec<Quad>) -> Result<(), ImportError> {
        match self {
            Self::Loading(load) => load.extend(quads)?,
            Self::Memory(memory) => {
                memory.extend(quads);
                if memory.len() > STAGED_IN_MEMORY {
                    let mut load = store.bulk_load();
                    load.extend(std::mem::take(memory))?;
                    *self = Self::Loading(load);
                }
            }
        }
        Ok(())
    }

    /// Writes what was staged, then removes the quads of each (subject, graph) of `strips`.
    fn commit(
        self,
        store: &Store,
        strips: &[(NamedNode, NamedNode)],
    ) -> Result<ChangeSet, ImportError> {
        match self {
            Self::Memory(memory) => {
                let stripped: FxHashSet<(NamedOrBlankNode, GraphName)> = strips
                    .iter()
                    .map(|(subject, graph)| (subject.clone().into(), graph.clone().into()))
                    .collect();
                let mut seen = FxHashSet::default();
                let mut inserted = Vec::with_capacity(memory.len());
                for quad in memory {
                    if stripped.contains(&(quad.subject.clone(), quad.graph_name.clone()))
                        || store.oxigraph().contains(&quad)?
                        || !seen.insert(quad.clone())
                    {
                        continue;
                    }
                    inserted.push(quad);
                }
                let removed = stored_quads(store, strips)?;
                if inserted.is_empty() && removed.is_empty() {
                    return Ok(ChangeSet::default());
                }
                Ok(store.apply_changes(&removed, &inserted)?)
            }
            Self::Loading(load) => {
                // The journal is checkpointed first: a record replayed after a crash must not
                // undo what the bulk loader wrote past it.
                store.flush()?;
                let started = Instant::now();
                load.commit()?;
                tracing::debug!(elapsed = ?started.elapsed(), "bulk load committed");
                let removed = stored_quads(store, strips)?;
                if !removed.is_empty() {
                    store.apply_changes(&removed, &[])?;
                }
                // The loaded files are synced before the import is acknowledged.
                store.flush()?;
                Ok(ChangeSet {
                    unlisted: true,
                    ..ChangeSet::default()
                })
            }
        }
    }
}

/// The quads of each (subject, graph) in the store.
fn stored_quads(
    store: &Store,
    pairs: &[(NamedNode, NamedNode)],
) -> Result<Vec<Quad>, StorageError> {
    let mut quads = Vec::new();
    for (subject, graph) in pairs {
        for quad in store.oxigraph().quads_for_pattern(
            Some(subject.as_ref().into()),
            None,
            None,
            Some(graph.as_ref().into()),
        ) {
            quads.push(quad?);
        }
    }
    Ok(quads)
}

/// Whether the store holds `quad`: the look-up by which a row finds its event or mention
/// already imported. A row's graph (its source document) is new far more often than not, and
/// the index of named graphs — one short key per graph, every quad's graph in it — answers that
/// without probing the quad indexes, whose recently ingested files all overlap.
pub(crate) fn holds(store: &Store, quad: QuadRef<'_>) -> Result<bool, StorageError> {
    if let GraphNameRef::NamedNode(graph) = quad.graph_name {
        if !store.oxigraph().contains_named_graph(graph)? {
            return Ok(false);
        }
    }
    store.oxigraph().contains(quad)
}

/// A field that must be a whole number.
pub(crate) fn whole<T: std::str::FromStr>(value: &str, field: &str) -> Result<T, RowError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(field, format!("'{value}' is not a whole number")))
}

/// A field that must be a decimal number (`-3.25`, `12`); the text, trimmed, is its lexical form.
pub(crate) fn decimal<'v>(value: &'v str, field: &str) -> Result<&'v str, RowError> {
    let value = value.trim();
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(value)
    } else {
        Err(invalid(field, format!("'{value}' is not a decimal number")))
    }
}

/// A decimal field that may be empty.
pub(crate) fn optional_decimal<'v>(
    value: &'v str,
    field: &str,
) -> Result<Option<&'v str>, RowError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        decimal(value, field).map(Some)
    }
}

/// `YYYYMMDD` as `YYYY-MM-DD`, when it is a calendar day.
pub(crate) fn compact_day(value: &str, field: &str) -> Result<String, RowError> {
    let value = value.trim();
    let day = if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &value[..4], &value[4..6], &value[6..])
    } else {
        String::new()
    };
    if crate::model::is_day(&day) {
        Ok(day)
    } else {
        Err(invalid(
            field,
            format!("'{value}' is not a date (YYYYMMDD)"),
        ))
    }
}

/// `YYYYMMDDHHMMSS` (UTC) as an `xsd:dateTime` lexical form, with its day.
pub(crate) fn compact_time(value: &str, field: &str) -> Result<(String, String), RowError> {
    let value = value.trim();
    let bad = || {
        invalid(
            field,
            format!("'{value}' is not a date and time (YYYYMMDDHHMMSS)"),
        )
    };
    if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let day = compact_day(&value[..8], field).map_err(|_| bad())?;
    let (hours, minutes, seconds) = (&value[8..10], &value[10..12], &value[12..14]);
    if hours > "23" || minutes > "59" || seconds > "60" {
        return Err(bad());
    }
    Ok((format!("{day}T{hours}:{minutes}:{seconds}Z"), day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_checked_as_the_codebooks_write_them() {
        assert_eq!(decimal("-3.25", "x").unwrap(), "-3.25");
        assert_eq!(decimal("12", "x").unwrap(), "12");
        assert!(decimal("1e5", "x").is_err());
        assert!(decimal("", "x").is_err());
        assert!(decimal(".", "x").is_err());
        assert_eq!(compact_day("20231031", "SQLDATE").unwrap(), "2023-10-31");
        assert!(compact_day("20231331", "SQLDATE").is_err());
        assert!(compact_day("2023103", "SQLDATE").is_err());
        assert_eq!(
            compact_time("20231031154500", "DATEADDED").unwrap(),
            ("2023-10-31T15:45:00Z".to_owned(), "2023-10-31".to_owned())
        );
        assert!(compact_time("20231031254500", "DATEADDED").is_err());
        assert!(whole::<u64>("x", "NumMentions").is_err());
    }

    #[test]
    fn formats_are_named_as_the_command_line_names_them() {
        assert_eq!(
            Format::from_name("gdelt-events").unwrap(),
            Format::GdeltEvents
        );
        assert_eq!(
            Format::from_name("GDELT_MENTIONS").unwrap(),
            Format::GdeltMentions
        );
        assert_eq!(Format::from_name("acled").unwrap(), Format::Acled);
        assert!(matches!(
            Format::from_name("csv"),
            Err(ImportError::UnknownFormat { .. })
        ));
    }
}
