//! The read models kept on disk beside the store, so that a restart loads them instead of
//! rebuilding them from the store.
//!
//! At a clean shutdown (every write acknowledged and applied, the store flushed) the current
//! [`ReadView`] is written to `read-models.snapshot` in the data directory, together with a
//! fingerprint of the store's own files: their names and sizes (the write-ahead logs aside,
//! see [`Fingerprint::of`]). RocksDB's files are written by appending and replaced by new ones,
//! never rewritten in place, and every open of the store starts a new manifest, so a write made
//! since — by this server after a crash, by `eventgraph load`, or by any program that opens
//! the store — changes a name or a size. At the next
//! start, before the store is opened, the fingerprint is taken again; the snapshot is loaded
//! only when both agree, and the server rebuilds from the store otherwise. Modification times
//! are left out: closing the store touches its manifest without changing it. A snapshot that is missing, from another version, damaged or stale is never an
//! error: the read models are built from the store, as without one. It is written to a
//! temporary file and renamed into place, so a crash while writing it leaves the old one or
//! none.
//!
//! The format is bincode (serde) behind a magic string and a format version; it is a cache,
//! not an interchange format, and is rewritten whenever this version changes.

use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ReadView;
use crate::catalog::search::SearchIndex;
use crate::graph::Projection;

/// The file, in the data directory, that holds the snapshot.
pub const FILE_NAME: &str = "read-models.snapshot";

/// Bumped whenever the serialized types change.
const FORMAT: u32 = 2;
const MAGIC: &[u8; 16] = b"eventgraph-rm\0\0\0";

/// A store directory's files as they were when the snapshot was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// (file name, size), sorted by name.
    files: Vec<(String, u64)>,
}

impl Fingerprint {
    /// The fingerprint of the store in `directory`: every file but the snapshot itself and
    /// RocksDB's informational logs.
    ///
    /// # Errors
    /// When the directory cannot be listed.
    pub fn of(directory: &Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        for entry in fs::read_dir(directory)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Write-ahead logs are left out: the store is flushed before the fingerprint is
            // taken, and RocksDB deletes the obsolete log in the background, maybe after it.
            // Any later write goes through an open, which starts a new manifest.
            if name.starts_with(FILE_NAME)
                || name.starts_with("LOG")
                || name == "LOCK"
                || name.ends_with(".log")
            {
                continue;
            }
            let metadata = entry.metadata()?;
            if !metadata.is_file() {
                continue;
            }
            files.push((name, metadata.len()));
        }
        files.sort();
        Ok(Self { files })
    }
}

impl Fingerprint {
    /// The fingerprint of the store in `directory` once its files stop changing: a flush can
    /// start a compaction that replaces files for a moment longer. Gives up waiting after
    /// `patience`, with the last fingerprint taken (then the next start rebuilds).
    ///
    /// # Errors
    /// When the directory cannot be listed.
    pub fn settled(directory: &Path, patience: std::time::Duration) -> std::io::Result<Self> {
        let deadline = std::time::Instant::now() + patience;
        let mut last = Self::of(directory)?;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = Self::of(directory)?;
            if now == last || std::time::Instant::now() >= deadline {
                return Ok(now);
            }
            last = now;
        }
    }
}

/// What the snapshot file holds after its header.
#[derive(Serialize, Deserialize)]
struct Saved {
    fingerprint: Fingerprint,
    generation: u64,
    projection: Projection,
    index: SearchIndex,
}

/// Why a snapshot was not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// There is none.
    #[error("no snapshot")]
    Missing,
    /// It was written by another version of eventgraph, or is not a snapshot.
    #[error("the snapshot is of another format")]
    OtherFormat,
    /// The store changed since it was written.
    #[error("the store changed since the snapshot was written")]
    Stale,
    /// It cannot be read or decoded.
    #[error("the snapshot cannot be read: {0}")]
    Unreadable(String),
}

fn path_in(directory: &Path) -> PathBuf {
    directory.join(FILE_NAME)
}

/// Loads the snapshot of the store in `directory` if it matches `fingerprint` (taken before
/// the store was opened).
///
/// # Errors
/// [`SnapshotError`] saying why the read models must be built from the store instead.
pub fn load(directory: &Path, fingerprint: &Fingerprint) -> Result<ReadView, SnapshotError> {
    let file = match fs::File::open(path_in(directory)) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(SnapshotError::Missing);
        }
        Err(error) => return Err(SnapshotError::Unreadable(error.to_string())),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut header = [0u8; 20];
    reader
        .read_exact(&mut header)
        .map_err(|_| SnapshotError::OtherFormat)?;
    if &header[..16] != MAGIC || header[16..] != FORMAT.to_le_bytes() {
        return Err(SnapshotError::OtherFormat);
    }
    let saved: Saved =
        bincode::serde::decode_from_std_read(&mut reader, bincode::config::standard())
            .map_err(|e| SnapshotError::Unreadable(e.to_string()))?;
    if saved.fingerprint != *fingerprint {
        return Err(SnapshotError::Stale);
    }
    Ok(ReadView {
        projection: saved.projection,
        index: saved.index,
        generation: saved.generation,
    })
}

/// Writes `view` as the snapshot of the store in `directory`, whose files now have
/// `fingerprint`.
///
/// # Errors
/// When the file cannot be written; the previous snapshot, if any, is then left as it was.
pub fn save(directory: &Path, view: &ReadView, fingerprint: Fingerprint) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Saving<'a> {
        fingerprint: Fingerprint,
        generation: u64,
        projection: &'a Projection,
        index: &'a SearchIndex,
    }
    let temporary = directory.join(format!("{FILE_NAME}.tmp"));
    {
        let mut writer = BufWriter::with_capacity(1 << 20, fs::File::create(&temporary)?);
        writer.write_all(MAGIC)?;
        writer.write_all(&FORMAT.to_le_bytes())?;
        let saving = Saving {
            fingerprint,
            generation: view.generation,
            projection: &view.projection,
            index: &view.index,
        };
        bincode::serde::encode_into_std_write(&saving, &mut writer, bincode::config::standard())
            .map_err(std::io::Error::other)?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
    }
    fs::rename(&temporary, path_in(directory))
}

/// Removes the snapshot of the store in `directory`, if there is one (nothing else may trust
/// it once the store is written to).
///
/// # Errors
/// When it exists and cannot be removed.
pub fn discard(directory: &Path) -> std::io::Result<()> {
    match fs::remove_file(path_in(directory)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}
