//! The store's operations that only RocksDB has: opening a directory, flushing the memtables,
//! taking a checkpoint.
//!
//! They live here so that the rest of `store` does not depend on how the crate was built. With
//! the `rocksdb` feature (on by default) each calls Oxigraph's RocksDB store. Without it — the
//! cargo-fuzz build, which fuzzes request parsers and so has no use for the C++ storage engine
//! and its quarter of an hour of compilation — only stores in memory exist: opening a
//! directory or taking a checkpoint fails with a clear error, and a flush has nothing to do.

use std::path::Path;

use oxigraph::store::{StorageError, Store};

/// Opens (or creates) the RocksDB store in `path`.
#[cfg(feature = "rocksdb")]
pub(super) fn open(path: &Path) -> Result<Store, StorageError> {
    Store::open(path)
}

/// Writes the memtables to SST files, which RocksDB syncs.
#[cfg(feature = "rocksdb")]
pub(super) fn flush(store: &Store) -> Result<(), StorageError> {
    store.flush()
}

/// A RocksDB checkpoint of `store` into `target`, which must not exist.
#[cfg(feature = "rocksdb")]
pub(super) fn backup(store: &Store, target: &Path) -> Result<(), StorageError> {
    store.backup(target)
}

#[cfg(not(feature = "rocksdb"))]
fn without_rocksdb() -> StorageError {
    StorageError::Io(std::io::Error::other(
        "this eventgraph was built without RocksDB (the `rocksdb` feature): only stores in memory",
    ))
}

/// Opens (or creates) the RocksDB store in `path`: not in this build.
#[cfg(not(feature = "rocksdb"))]
pub(super) fn open(_path: &Path) -> Result<Store, StorageError> {
    Err(without_rocksdb())
}

/// Writes the memtables to disk: a store in memory has none.
#[cfg(not(feature = "rocksdb"))]
pub(super) fn flush(_store: &Store) -> Result<(), StorageError> {
    Ok(())
}

/// A RocksDB checkpoint: not in this build.
#[cfg(not(feature = "rocksdb"))]
pub(super) fn backup(_store: &Store, _target: &Path) -> Result<(), StorageError> {
    Err(without_rocksdb())
}
