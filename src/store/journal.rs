//! The redo journal that makes an acknowledged write survive a power cut.
//!
//! Oxigraph 0.5 commits through RocksDB with its default write options: each commit is
//! written to RocksDB's write-ahead log but the log is not synced, so a commit survives the
//! death of the process (the operating system holds the bytes) but not a power cut. Oxigraph
//! exposes no way to sync that log, and `Store::flush` (memtables to SST files) costs far too
//! much to run per write. So the store keeps its own journal, `eventgraph.journal` in the
//! data directory: before a write's transaction commits, the quads it removes and inserts
//! are appended as one record and the file is synced (`fdatasync`). The record is durable
//! before RocksDB sees the write, so after any crash the store plus the journal hold every
//! acknowledged write, and replaying the journal in order cannot leave part of a write that
//! RocksDB kept without its record (see [`Store::commit_journaled`](super::Store)).
//!
//! Replaying a record removes its removed quads and inserts its inserted ones: it sets the
//! presence of concrete quads, so replaying a run of records over any prefix of them gives
//! the state after the last one. Records are replayed at open, then the store is flushed
//! and the journal emptied (a checkpoint); a checkpoint also happens at a clean shutdown,
//! when the journal grows past [`CHECKPOINT_BYTES`], and around a change that cannot be
//! listed (`CLEAR ALL`, `DROP NAMED`) or that creates an empty named graph or drops one
//! (records hold quads, not graphs), which is made durable by a flush instead.
//!
//! A record is `[payload length: u32 LE][crc32 of payload: u32 LE][payload]`; the payload is
//! `[removed length: u32 LE][removed quads][inserted quads]`, each block N-Quads. A record
//! cut short or damaged at the end (a crash during the append, before its write was
//! acknowledged) ends the replay and is dropped. This module knows files and quads only;
//! it does not know transactions, HTTP or the read models.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;

/// The journal's file name in the data directory.
pub const FILE_NAME: &str = "eventgraph.journal";

/// The size past which the store is flushed and the journal emptied after a write.
pub const CHECKPOINT_BYTES: u64 = 32 * 1024 * 1024;

/// The bytes before a record's payload: its length and its checksum.
const HEADER: usize = 8;

/// Errors of the journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file cannot be opened, read, written or synced.
    #[error("journal {path}: {source}")]
    Io {
        /// The journal file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A complete record (its checksum right) does not parse: written by another version.
    #[error("journal {path}: record at byte {offset} does not parse: {message}")]
    Record {
        /// The journal file.
        path: PathBuf,
        /// Where the record starts.
        offset: u64,
        /// What the N-Quads parser said.
        message: String,
    },
}

/// One write as the journal keeps it: what it removed, then what it inserted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// Quads the write removed; replay removes them first.
    pub removed: Vec<Quad>,
    /// Quads the write inserted; replay inserts them after the removals.
    pub inserted: Vec<Quad>,
}

/// The open journal file, appended to by one writer at a time (the store holds it in a mutex).
#[derive(Debug)]
pub struct Journal {
    /// The file, opened for reading and appending.
    file: File,
    /// Its path, for messages.
    path: PathBuf,
    /// Its length: where the next record starts, and where a failed commit cuts back to.
    len: u64,
}

impl Journal {
    /// Opens (or creates) the journal in `directory` and reads the complete records in it,
    /// cutting off a damaged tail.
    ///
    /// # Errors
    /// [`JournalError::Io`] when the file cannot be opened or read;
    /// [`JournalError::Record`] when a record with a good checksum does not parse.
    pub fn open(directory: &Path) -> Result<(Self, Vec<Record>), JournalError> {
        let path = directory.join(FILE_NAME);
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let mut records = Vec::new();
        let mut at = 0usize;
        while let Some((payload, next)) = next_record(&bytes, at) {
            let record = decode(payload).map_err(|message| JournalError::Record {
                path: path.clone(),
                offset: at as u64,
                message,
            })?;
            records.push(record);
            at = next;
        }
        if at < bytes.len() {
            tracing::warn!(
                path = %path.display(),
                dropped_bytes = bytes.len() - at,
                "the journal ends with an incomplete record (a write cut short, never acknowledged): dropped"
            );
            file.set_len(at as u64).map_err(io)?;
            file.sync_data().map_err(io)?;
        }
        file.seek(SeekFrom::End(0)).map_err(io)?;
        let journal = Self {
            file,
            len: at as u64,
            path,
        };
        Ok((journal, records))
    }

    /// Appends one record and syncs the file: when this returns, the record survives a power cut.
    ///
    /// Returns the length the journal had before, for [`Journal::cut_back`].
    ///
    /// # Errors
    /// [`JournalError::Io`] when writing or syncing fails; the journal is then cut back.
    pub fn append(&mut self, removed: &[Quad], inserted: &[Quad]) -> Result<u64, JournalError> {
        let before = self.len;
        let bytes = encode(removed, inserted);
        let written = self
            .file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data());
        if let Err(source) = written {
            // Best effort: a record that may be half there must not be replayed.
            let _ = self.cut_back(before);
            return Err(JournalError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.len = before + bytes.len() as u64;
        Ok(before)
    }

    /// Cuts the journal back to `len` bytes (dropping the record of a write whose commit failed).
    ///
    /// # Errors
    /// [`JournalError::Io`] when truncating or syncing fails.
    pub fn cut_back(&mut self, len: u64) -> Result<(), JournalError> {
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.set_len(len).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        self.file.seek(SeekFrom::Start(len)).map_err(io)?;
        self.len = len;
        Ok(())
    }

    /// Empties the journal, once the store has been flushed (everything in it is in SST files).
    ///
    /// # Errors
    /// [`JournalError::Io`] when truncating or syncing fails.
    pub fn clear(&mut self) -> Result<(), JournalError> {
        self.cut_back(0)
    }

    /// The journal's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the journal holds no record.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The record starting at `at`: its payload and where the next starts, or `None` at the end
/// or at a record cut short or damaged.
fn next_record(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let header = bytes.get(at..at + HEADER)?;
    let len = u32::from_le_bytes(header[0..4].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(header[4..8].try_into().ok()?);
    let payload = bytes.get(at + HEADER..at + HEADER + len)?;
    (crc32fast::hash(payload) == crc).then_some((payload, at + HEADER + len))
}

/// A record's bytes: header, then the removed and the inserted quads as N-Quads.
fn encode(removed: &[Quad], inserted: &[Quad]) -> Vec<u8> {
    let nquads = |quads: &[Quad]| {
        let mut text = String::new();
        for quad in quads {
            // `Quad`'s Display is an N-Quads line without its final dot.
            text.push_str(&quad.to_string());
            text.push_str(" .\n");
        }
        text
    };
    let removed = nquads(removed);
    let inserted = nquads(inserted);
    let mut payload = Vec::with_capacity(4 + removed.len() + inserted.len());
    payload.extend_from_slice(&(removed.len() as u32).to_le_bytes());
    payload.extend_from_slice(removed.as_bytes());
    payload.extend_from_slice(inserted.as_bytes());
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// The record in a payload whose checksum was right.
fn decode(payload: &[u8]) -> Result<Record, String> {
    let split = payload
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(|b: [u8; 4]| u32::from_le_bytes(b) as usize + 4)
        .filter(|split| *split <= payload.len())
        .ok_or("the removed block's length is out of bounds")?;
    let parse = |block: &[u8]| -> Result<Vec<Quad>, String> {
        // Blank nodes keep their labels: they name the store's own blank nodes.
        RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(block)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())
    };
    Ok(Record {
        removed: parse(&payload[4..split])?,
        inserted: parse(&payload[split..])?,
    })
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode};

    use super::*;

    fn quad(s: &str, o: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(format!("http://example.com/{s}")),
            NamedNode::new_unchecked("http://example.com/p"),
            NamedNode::new_unchecked(format!("http://example.com/{o}")),
            GraphName::DefaultGraph,
        )
    }

    #[test]
    fn records_read_back_as_appended_blank_nodes_and_literals_included() {
        let dir = tempfile::tempdir().unwrap();
        let odd = Quad::new(
            BlankNode::new_unchecked("b0"),
            NamedNode::new_unchecked("http://example.com/q"),
            Literal::new_language_tagged_literal_unchecked("say \"hi\"\n", "en"),
            NamedNode::new_unchecked("http://example.com/g"),
        );
        {
            let (mut journal, records) = Journal::open(dir.path()).unwrap();
            assert!(records.is_empty() && journal.is_empty());
            journal
                .append(&[quad("a", "b")], std::slice::from_ref(&odd))
                .unwrap();
            journal.append(&[], &[quad("c", "d")]).unwrap();
        }
        let (_, records) = Journal::open(dir.path()).unwrap();
        assert_eq!(
            records,
            [
                Record {
                    removed: vec![quad("a", "b")],
                    inserted: vec![odd]
                },
                Record {
                    removed: vec![],
                    inserted: vec![quad("c", "d")]
                }
            ]
        );
    }

    #[test]
    fn a_record_cut_short_is_dropped_and_the_records_before_it_kept() {
        let dir = tempfile::tempdir().unwrap();
        let full;
        {
            let (mut journal, _) = Journal::open(dir.path()).unwrap();
            journal.append(&[], &[quad("a", "b")]).unwrap();
            full = journal.len();
            journal.append(&[], &[quad("c", "d")]).unwrap();
        }
        let path = dir.path().join(FILE_NAME);
        let len = std::fs::metadata(&path).unwrap().len();
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(len - 3).unwrap();
        drop(file);
        let (mut journal, records) = Journal::open(dir.path()).unwrap();
        assert_eq!(records.len(), 1, "the cut record is dropped");
        assert_eq!(journal.len(), full, "and cut off the file");
        journal.append(&[], &[quad("e", "f")]).unwrap();
        let (_, records) = Journal::open(dir.path()).unwrap();
        assert_eq!(records.len(), 2, "appends go on after the cut");
        assert_eq!(records[1].inserted, [quad("e", "f")]);
    }

    #[test]
    fn a_damaged_byte_ends_the_replay_there() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (mut journal, _) = Journal::open(dir.path()).unwrap();
            journal.append(&[], &[quad("a", "b")]).unwrap();
            journal.append(&[], &[quad("c", "d")]).unwrap();
        }
        let path = dir.path().join(FILE_NAME);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 5;
        bytes[last] ^= 0x20;
        std::fs::write(&path, bytes).unwrap();
        let (_, records) = Journal::open(dir.path()).unwrap();
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn cut_back_and_clear_drop_records() {
        let dir = tempfile::tempdir().unwrap();
        let (mut journal, _) = Journal::open(dir.path()).unwrap();
        journal.append(&[], &[quad("a", "b")]).unwrap();
        let before = journal.append(&[], &[quad("c", "d")]).unwrap();
        journal.cut_back(before).unwrap();
        drop(journal);
        let (mut journal, records) = Journal::open(dir.path()).unwrap();
        assert_eq!(records.len(), 1);
        journal.clear().unwrap();
        drop(journal);
        let (journal, records) = Journal::open(dir.path()).unwrap();
        assert!(records.is_empty() && journal.is_empty());
        assert_eq!(
            std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().len(),
            0
        );
    }
}
