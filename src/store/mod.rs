//! The storage boundary: owns the Oxigraph `Store` and every write to it.
//!
//! [`Store`] opens the embedded store (RocksDB in a directory, or memory),
//! seeds an empty store with the ontology and the seed graph ([`seed`]),
//! loads RDF files, or quads made by the importers ([`load::BulkLoad`]), atomically through
//! Oxigraph's bulk loader ([`load`]) and dumps the dataset ([`dump`]).
//! Every later write — SPARQL Update ([`update`]), the Graph Store Protocol and
//! the REST API ([`write`]) — is one transaction that returns the quads it
//! changed as a [`change::ChangeSet`], and commits through
//! [`Store::commit_journaled`]: with [`Durability::Sync`] its quads are in the
//! synced [`journal`] before RocksDB commits, so an acknowledged write survives
//! a power cut; the journal is replayed when the store opens.
//! Readers (`sparql`, `graph`) borrow the Oxigraph store through
//! [`Store::oxigraph`]; nothing outside this module opens a database.
//! It deliberately knows nothing of HTTP or of the command line: progress is
//! reported through [`load::LoadProgress`], errors as [`StoreError`] and
//! [`load::LoadError`] with their positions as data.
//!
//! This is the seam where a remote SPARQL store (Virtuoso, QLever, ...) will
//! plug in when one machine is not enough: callers depend on this type, not
//! on RocksDB.

pub mod change;
mod disk;
pub mod dump;
pub mod journal;
pub mod load;
pub mod seed;
pub mod update;
pub mod write;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use oxigraph::store::{StorageError, Transaction};

use self::change::ChangeSet;
use self::journal::{Journal, JournalError};
use crate::config::{Durability, StoreLocation};

/// Errors of opening or using the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (an `eventgraph serve`, say) holds the store's lock.
    #[error(
        "cannot open the store in {path}: another process is using it (stop it, or query it over HTTP)"
    )]
    InUse {
        /// The data directory.
        path: PathBuf,
    },
    /// The directory cannot be opened as a store (missing permissions, not a store, ...).
    #[error("cannot open the store in {path}: {source}")]
    Open {
        /// The data directory.
        path: PathBuf,
        /// What RocksDB said.
        #[source]
        source: StorageError,
    },
    /// A read or write failed inside the store.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A store in memory has no files to back up.
    #[error("a store in memory cannot be backed up (dump it instead)")]
    NotOnDisk,
    /// The journal cannot be read or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// The embedded RDF store eventgraph serves.
#[derive(Clone)]
pub struct Store {
    /// The Oxigraph store; cloning shares it.
    inner: oxigraph::store::Store,
    /// Where it lives, for messages and logs.
    location: StoreLocation,
    /// The redo journal, on disk with [`Durability::Sync`]; `None` in memory or with
    /// [`Durability::Process`]. Its mutex also orders commits: a record is appended and its
    /// transaction committed under one lock, so the journal's order is the commit order.
    journal: Option<Arc<Mutex<Journal>>>,
    /// How many journal records were replayed when the store opened.
    replayed: usize,
}

impl Store {
    /// Opens the store at `location` with [`Durability::Sync`], creating the directory when it
    /// does not exist yet.
    ///
    /// # Errors
    /// As [`Store::open_with`].
    pub fn open(location: &StoreLocation) -> Result<Self, StoreError> {
        Self::open_with(location, Durability::Sync)
    }

    /// Opens the store at `location`, creating the directory when it does not exist yet, and
    /// replays the journal left by a crash (then flushes the store and empties the journal).
    ///
    /// # Errors
    /// [`StoreError::Open`] when the directory cannot be opened, for example because
    /// another eventgraph process holds it; [`StoreError::Journal`] when the journal cannot
    /// be read; [`StoreError::Storage`] when replaying it fails.
    pub fn open_with(location: &StoreLocation, durability: Durability) -> Result<Self, StoreError> {
        let inner = match location {
            StoreLocation::Memory => oxigraph::store::Store::new()?,
            StoreLocation::Directory(path) => {
                disk::open(path).map_err(|source| {
                    // RocksDB reports a held lock only in its message ("While lock file: .../LOCK").
                    if source.to_string().contains("lock file") {
                        StoreError::InUse { path: path.clone() }
                    } else {
                        StoreError::Open {
                            path: path.clone(),
                            source,
                        }
                    }
                })?
            }
        };
        let mut store = Self {
            inner,
            location: location.clone(),
            journal: None,
            replayed: 0,
        };
        if let StoreLocation::Directory(path) = location {
            // Opened, and replayed, whatever the durability: a journal left by a `sync` run
            // holds acknowledged writes that a `process` run must not lose.
            let (mut journal, records) = Journal::open(path)?;
            if !records.is_empty() {
                store.replayed = records.len();
                store.replay(&records)?;
                disk::flush(&store.inner)?;
                tracing::info!(
                    records = records.len(),
                    "replayed the journal of writes acknowledged before a crash"
                );
            }
            if !journal.is_empty() {
                journal.clear()?;
            }
            if durability == Durability::Sync {
                store.journal = Some(Arc::new(Mutex::new(journal)));
            }
        }
        Ok(store)
    }

    /// Applies journal records in order, each in one transaction: removals, then insertions.
    fn replay(&self, records: &[journal::Record]) -> Result<(), StorageError> {
        for record in records {
            let mut transaction = self.inner.start_transaction()?;
            for quad in &record.removed {
                transaction.remove(quad);
            }
            for quad in &record.inserted {
                if let oxigraph::model::GraphName::NamedNode(graph) = &quad.graph_name {
                    transaction.insert_named_graph(graph);
                }
                transaction.insert(quad);
            }
            transaction.commit()?;
        }
        Ok(())
    }

    /// How many journal records were replayed when the store opened (0 after a clean stop).
    pub fn replayed(&self) -> usize {
        self.replayed
    }

    /// Commits `transaction`, whose net change is `changes`, so that once this returns the
    /// write survives what the store's [`Durability`] promises.
    ///
    /// With a journal, the change is appended and synced *before* the commit: RocksDB may
    /// keep a commit whose unsynced log survived a crash, and a record missing for it would
    /// let the replay of earlier records undo part of it. A commit that fails cuts its record
    /// off again. A change that cannot be listed, or that creates an empty named graph or drops
    /// one (which no record can replay), is made durable by flushing the store before (so that
    /// no record is left to replay over it) and after its commit. The journal's lock
    /// is held throughout, so records are in commit order.
    ///
    /// # Errors
    /// [`StorageError`] when the journal, the commit or a flush fails; the write is then not
    /// acknowledged.
    pub(crate) fn commit_journaled(
        &self,
        transaction: Transaction<'_>,
        changes: &ChangeSet,
    ) -> Result<(), StorageError> {
        let Some(journal) = &self.journal else {
            return transaction.commit();
        };
        let mut journal = lock(journal);
        if changes.unlisted || changes.graphs_changed {
            self.checkpoint(&mut journal)?;
            transaction.commit()?;
            return disk::flush(&self.inner);
        }
        if changes.inserted.is_empty() && changes.removed.is_empty() {
            return transaction.commit();
        }
        let before = journal
            .append(&changes.removed, &changes.inserted)
            .map_err(journal_failed)?;
        if let Err(error) = transaction.commit() {
            if let Err(cut) = journal.cut_back(before) {
                tracing::error!(%cut, "cannot drop the journal record of a failed commit");
            }
            return Err(error);
        }
        if journal.len() > journal::CHECKPOINT_BYTES {
            self.checkpoint(&mut journal)?;
        }
        Ok(())
    }

    /// Writes a consistent copy of the store into `target` (which must not exist): a RocksDB
    /// checkpoint, hard links to the immutable files when `target` is on the same file
    /// system. No commit happens while it is taken (it holds the journal's lock), so it holds
    /// exactly the writes committed before; the copy is a store directory that `serve`
    /// opens as it is.
    ///
    /// # Errors
    /// [`StoreError::NotOnDisk`] for a store in memory; [`StoreError::Storage`] when the
    /// checkpoint fails (`target` exists, the disk is full, ...).
    pub fn backup(&self, target: &std::path::Path) -> Result<(), StoreError> {
        if self.location == StoreLocation::Memory {
            return Err(StoreError::NotOnDisk);
        }
        let _held = self.journal.as_ref().map(|journal| lock(journal));
        disk::backup(&self.inner, target)?;
        Ok(())
    }

    /// Flushes the memtables to SST files, which RocksDB syncs, then empties the journal.
    fn checkpoint(&self, journal: &mut Journal) -> Result<(), StorageError> {
        if !journal.is_empty() {
            disk::flush(&self.inner)?;
            journal.clear().map_err(journal_failed)?;
        }
        Ok(())
    }

    /// Where the store lives.
    pub fn location(&self) -> &StoreLocation {
        &self.location
    }

    /// The number of quads in the whole dataset.
    ///
    /// # Complexity
    /// A full scan on RocksDB: O(quads).
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the scan fails.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Whether the dataset holds no quad at all.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the read fails.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// Writes every pending change to disk: flushes the memtables to SST files and empties
    /// the journal (a checkpoint).
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the flush fails.
    pub fn flush(&self) -> Result<(), StoreError> {
        if let StoreLocation::Directory(_) = self.location {
            match &self.journal {
                Some(journal) => {
                    let mut journal = lock(journal);
                    disk::flush(&self.inner)?;
                    journal.clear()?;
                }
                None => disk::flush(&self.inner)?,
            }
        }
        Ok(())
    }

    /// The Oxigraph store, for the read-side modules (`sparql`, `graph`).
    pub fn oxigraph(&self) -> &oxigraph::store::Store {
        &self.inner
    }
}

/// Locks the journal. A writer that panicked while holding it left at most a record whose
/// commit did not happen (replayed later as a write that was never acknowledged), or a
/// checkpoint half done (harmless): the journal stays usable.
fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    journal
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A journal failure, as the store's error type (the write paths return [`StorageError`]).
fn journal_failed(error: JournalError) -> StorageError {
    StorageError::Other(Box::new(error))
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphName, NamedNode, Quad};

    use super::*;

    fn quad(s: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(format!("http://example.com/{s}")),
            NamedNode::new_unchecked("http://example.com/p"),
            NamedNode::new_unchecked("http://example.com/o"),
            GraphName::from(NamedNode::new_unchecked("http://example.com/g")),
        )
    }

    #[test]
    fn opening_replays_the_journal_in_order_then_empties_it() {
        let dir = tempfile::tempdir().unwrap();
        let location = StoreLocation::Directory(dir.path().join("data"));
        {
            let store = Store::open(&location).unwrap();
            store.apply_changes(&[], &[quad("kept")]).unwrap();
        }
        {
            // Records whose commits RocksDB lost: a, then b, then a removed again.
            let (mut journal, _) = Journal::open(&dir.path().join("data")).unwrap();
            journal.append(&[], &[quad("a")]).unwrap();
            journal.append(&[], &[quad("b")]).unwrap();
            journal.append(&[quad("a")], &[]).unwrap();
        }
        let store = Store::open(&location).unwrap();
        // The first store was dropped without a flush: its own write's record is there too.
        assert_eq!(store.replayed(), 4);
        let oxigraph = store.oxigraph();
        assert!(oxigraph.contains(&quad("kept")).unwrap());
        assert!(oxigraph.contains(&quad("b")).unwrap());
        assert!(!oxigraph.contains(&quad("a")).unwrap());
        drop(store);
        let store = Store::open(&location).unwrap();
        assert_eq!(
            store.replayed(),
            0,
            "the journal was emptied after the replay"
        );
        assert_eq!(store.len().unwrap(), 2);
    }

    #[test]
    fn each_write_is_in_the_journal_until_a_flush() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data");
        let location = StoreLocation::Directory(path.clone());
        let store = Store::open(&location).unwrap();
        store.apply_changes(&[], &[quad("a")]).unwrap();
        store.apply_changes(&[quad("a")], &[quad("b")]).unwrap();
        let journal = std::fs::metadata(path.join(journal::FILE_NAME)).unwrap();
        assert!(journal.len() > 0);
        store.flush().unwrap();
        let journal = std::fs::metadata(path.join(journal::FILE_NAME)).unwrap();
        assert_eq!(journal.len(), 0);

        let relaxed = dir.path().join("relaxed");
        let store = Store::open_with(
            &StoreLocation::Directory(relaxed.clone()),
            Durability::Process,
        )
        .unwrap();
        store.apply_changes(&[], &[quad("a")]).unwrap();
        let journal = std::fs::metadata(relaxed.join(journal::FILE_NAME)).unwrap();
        assert_eq!(journal.len(), 0, "process durability writes no journal");
    }
}
