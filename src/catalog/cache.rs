//! A cache of what relations pages read from the store: statement records, and the statements
//! that reify each triple, valid for one generation of the read models.
//!
//! A relations page of an ordinary entity is answered from the projection in memory, but the
//! statements behind its relations — their sources, speakers, quotes, confirmations — are read
//! from the store, a dozen look-ups each. Entities that people look at are looked at again, so
//! the records read are kept here, tagged with the generation of the read models they were
//! read at: the first read at a newer generation empties the cache, so that a record is never
//! older than the last write acknowledged (every write makes a new generation). The cache is
//! bounded ([`CAPACITY`] entries of each kind); past it, it starts again empty.

use std::sync::{Arc, Mutex, MutexGuard};

use oxigraph::model::NamedNode;
use rustc_hash::FxHashMap;

use super::StatementRecord;

/// The most entries of each kind the cache holds before it starts again empty.
pub const CAPACITY: usize = 100_000;

/// A triple as the cache keys it: subject, predicate and object IRIs.
type TripleKey = (Box<str>, Box<str>, Box<str>);

#[derive(Default)]
struct Entries {
    /// The generation every entry was read at.
    generation: u64,
    statements: FxHashMap<Box<str>, Arc<StatementRecord>>,
    reifying: FxHashMap<TripleKey, Arc<[NamedNode]>>,
}

/// Statement records and reifying statements, read at one generation of the read models.
#[derive(Default)]
pub struct ReadCache {
    entries: Mutex<Entries>,
}

impl ReadCache {
    /// The entries of `generation`, emptied first when they are of an older one.
    fn at(&self, generation: u64) -> MutexGuard<'_, Entries> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.generation != generation {
            entries.statements.clear();
            entries.reifying.clear();
            entries.generation = generation;
        }
        entries
    }

    /// The record of a statement, if read at `generation`.
    pub fn statement(&self, generation: u64, iri: &str) -> Option<Arc<StatementRecord>> {
        self.at(generation).statements.get(iri).cloned()
    }

    /// Keeps the record of a statement read at `generation`.
    pub fn keep_statement(&self, generation: u64, record: Arc<StatementRecord>) {
        let mut entries = self.at(generation);
        if entries.statements.len() >= CAPACITY {
            entries.statements.clear();
        }
        entries
            .statements
            .insert(record.resource.iri.as_str().into(), record);
    }

    /// The statements reifying a triple, if read at `generation`.
    pub fn reifying(
        &self,
        generation: u64,
        subject: &str,
        predicate: &str,
        object: &str,
    ) -> Option<Arc<[NamedNode]>> {
        self.at(generation)
            .reifying
            .get(&(subject.into(), predicate.into(), object.into()))
            .cloned()
    }

    /// Keeps the statements reifying a triple, read at `generation`.
    pub fn keep_reifying(
        &self,
        generation: u64,
        triple: (&str, &str, &str),
        statements: Arc<[NamedNode]>,
    ) {
        let mut entries = self.at(generation);
        if entries.reifying.len() >= CAPACITY {
            entries.reifying.clear();
        }
        entries.reifying.insert(
            (triple.0.into(), triple.1.into(), triple.2.into()),
            statements,
        );
    }
}
