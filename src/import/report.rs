//! What an import did, file by file: the counts the issue asks for and the names behind them.
//!
//! An [`ImportReport`] is filled while a file is read and returned once it is committed (or
//! dropped with the file). The lists of names are capped at [`LISTED_NAMES`] each so that a
//! report stays small on a feed of millions of rows; the counts are never capped, and every
//! skipped row is listed. It knows nothing of HTTP or of the terminal; the edges render it.

use serde::Serialize;

use super::Format;

/// How many matched, created and ambiguous names a report lists (each; counts are exact).
pub const LISTED_NAMES: usize = 1_000;

/// A name and the entity it was decided to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameMatch {
    /// The name as the feed writes it.
    pub name: String,
    /// The entity's IRI.
    pub entity: String,
}

/// A name that several entities have: a new entity was made and linked to each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmbiguousName {
    /// The name as the feed writes it.
    pub name: String,
    /// The new entity.
    pub entity: String,
    /// The entities it is possibly the same as.
    pub candidates: Vec<String>,
}

/// A row left out by `--skip-invalid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// Its 1-based line in the file (of the decompressed text, for a zip).
    pub line: u64,
    /// The codebook's name of the field at fault, or `row`.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

/// What importing one file did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The file as the user named it.
    pub file: String,
    /// How it was read.
    pub format: Format,
    /// Data rows read (the header of an ACLED file not counted).
    pub rows_read: u64,
    /// Rows that added something.
    pub rows_imported: u64,
    /// Rows already in the store, exactly (an import repeated): nothing written.
    pub rows_unchanged: u64,
    /// ACLED rows older than the version the store (or the file) already holds: nothing written.
    pub rows_superseded: u64,
    /// Events new to the store.
    pub events_created: u64,
    /// ACLED events whose older version was replaced.
    pub events_revised: u64,
    /// Statement nodes written.
    pub statements_created: u64,
    /// Entities created (actors, publishers, places), ambiguous names included.
    pub entities_created: u64,
    /// Names that matched exactly one existing entity.
    pub entities_matched: u64,
    /// Names that several entities have.
    pub ambiguous_names: u64,
    /// Quads given to the store (before those it already held were left out).
    pub quads: u64,
    /// The matched names, at most [`LISTED_NAMES`].
    pub matched: Vec<NameMatch>,
    /// The new entities, at most [`LISTED_NAMES`].
    pub created: Vec<NameMatch>,
    /// The ambiguous names, at most [`LISTED_NAMES`].
    pub ambiguous: Vec<AmbiguousName>,
    /// Every row skipped (only with `skip_invalid`).
    pub skipped: Vec<SkippedRow>,
    /// Wall-clock time of the file's import, commit included, in milliseconds.
    pub elapsed_ms: u64,
}

impl ImportReport {
    /// An empty report for `file`.
    pub fn new(file: &str, format: Format) -> Self {
        Self {
            file: file.to_owned(),
            format,
            rows_read: 0,
            rows_imported: 0,
            rows_unchanged: 0,
            rows_superseded: 0,
            events_created: 0,
            events_revised: 0,
            statements_created: 0,
            entities_created: 0,
            entities_matched: 0,
            ambiguous_names: 0,
            quads: 0,
            matched: Vec::new(),
            created: Vec::new(),
            ambiguous: Vec::new(),
            skipped: Vec::new(),
            elapsed_ms: 0,
        }
    }

    pub(crate) fn record_match(&mut self, name: NameMatch) {
        self.entities_matched += 1;
        if self.matched.len() < LISTED_NAMES {
            self.matched.push(name);
        }
    }

    pub(crate) fn record_created(&mut self, name: NameMatch) {
        if self.created.len() < LISTED_NAMES {
            self.created.push(name);
        }
    }

    pub(crate) fn record_ambiguous(&mut self, name: AmbiguousName) {
        self.ambiguous_names += 1;
        if self.ambiguous.len() < LISTED_NAMES {
            self.ambiguous.push(name);
        }
    }

    /// One line for people: the counts.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} rows read, {} imported, {} unchanged, {} superseded, {} skipped; {} events created, {} revised, {} statements, {} entities created, {} matched, {} ambiguous; {:.2} s",
            self.file,
            self.rows_read,
            self.rows_imported,
            self.rows_unchanged,
            self.rows_superseded,
            self.skipped.len(),
            self.events_created,
            self.events_revised,
            self.statements_created,
            self.entities_created,
            self.entities_matched,
            self.ambiguous_names,
            self.elapsed_ms as f64 / 1000.0
        )
    }
}
