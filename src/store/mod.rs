//! The storage boundary: owns the Oxigraph `Store` and every write to it.
//!
//! [`Store`] opens the embedded store (RocksDB in a directory, or memory),
//! seeds an empty store with the ontology and the seed graph ([`seed`]),
//! loads RDF files atomically ([`load`]) and dumps the dataset ([`dump`]).
//! Every later write — SPARQL Update ([`update`]), the Graph Store Protocol and
//! the REST API ([`write`]) — is one transaction that returns the quads it
//! changed as a [`change::ChangeSet`].
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
pub mod dump;
pub mod load;
pub mod seed;
pub mod update;
pub mod write;

use std::path::PathBuf;

use oxigraph::store::StorageError;

use crate::config::StoreLocation;

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
}

/// The embedded RDF store eventgraph serves.
#[derive(Clone)]
pub struct Store {
    /// The Oxigraph store; cloning shares it.
    inner: oxigraph::store::Store,
    /// Where it lives, for messages and logs.
    location: StoreLocation,
}

impl Store {
    /// Opens the store at `location`, creating the directory when it does not exist yet.
    ///
    /// # Errors
    /// [`StoreError::Open`] when the directory cannot be opened, for example because
    /// another eventgraph process holds it.
    pub fn open(location: &StoreLocation) -> Result<Self, StoreError> {
        let inner = match location {
            StoreLocation::Memory => oxigraph::store::Store::new()?,
            StoreLocation::Directory(path) => {
                oxigraph::store::Store::open(path).map_err(|source| {
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
        Ok(Self {
            inner,
            location: location.clone(),
        })
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

    /// Writes every pending change to disk (RocksDB already logs each commit
    /// to its write-ahead log; this also flushes the memtables).
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the flush fails.
    pub fn flush(&self) -> Result<(), StoreError> {
        if let StoreLocation::Directory(_) = self.location {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// The Oxigraph store, for the read-side modules (`sparql`, `graph`).
    pub fn oxigraph(&self) -> &oxigraph::store::Store {
        &self.inner
    }
}
