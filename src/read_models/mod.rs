//! The state derived from the store — the search index, the graph projection and the rankings —
//! kept in step with every write, in write order, under a generation number that only grows.
//!
//! [`ReadModels`] owns the store handle and is the one way in for writes: a write is a step
//! ([`ReadModels::write`]) that reads what it needs, commits one transaction and returns the
//! [`ChangeSet`] it made; the read models then apply exactly that change (the projection's
//! [`Projection::refresh`] and the index's [`SearchIndex::refresh`], each proportional to the
//! quads changed) before the write is acknowledged. Writes take one lock from their first read
//! to the end of that apply, so they are applied in the order they committed and a read that
//! starts after a write was acknowledged to anyone sees it: the order is kept by a single
//! writer, not by a sequence to reconcile, because a write's cost (a transaction and an
//! incremental refresh, milliseconds) is far below the rate of news.
//!
//! A change that cannot be listed (`CLEAR DEFAULT`, `DROP ALL`) or that touches more quads than
//! [`REBUILD_THRESHOLD`] is not applied quad by quad: the read models are rebuilt from the store
//! on a background thread while reads keep answering from the previous generation; the writes
//! acknowledged meanwhile are remembered and applied to the rebuilt models before they are
//! swapped in. Every read sees one generation ([`ReadView::generation`]), which the HTTP edge
//! sends with each answer.
//!
//! PageRank and betweenness are never computed inside a request: [`rankings`] computes them on
//! a background thread from a copy of the graph and serves them with the generation they were
//! computed from.
//!
//! This module knows nothing of HTTP; it reads and writes the store only through
//! [`crate::store::Store`].

pub mod locked;
pub mod rankings;
pub mod snapshot;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::time::{Duration, Instant};

use oxigraph::model::{NamedNode, Quad, QuadRef};

use crate::catalog::cache::ReadCache;
use crate::catalog::search::{IndexEntry, SearchIndex};
use crate::catalog::{Catalog, CatalogError};
use crate::graph::{Prefetched, Projection, ProjectionError};
use crate::model::EntityId;
use crate::store::Store;
use crate::store::change::ChangeSet;

pub use self::locked::{LockedSnapshot, LockedTimes};
pub use self::rankings::{Background, Metric, RankingError, Rankings, Scores};

/// A write that lists more quads than this is applied by a rebuild rather than quad by quad:
/// past it, re-reading the store once costs less than a look-up per quad.
pub const REBUILD_THRESHOLD: usize = 200_000;

/// How long a write looks for a moment with no reader in the read models before it waits in
/// line for one (and readers arriving meanwhile wait behind it).
pub const WRITER_PATIENCE: Duration = Duration::from_millis(20);

/// Errors of building or refreshing the read models.
#[derive(Debug, thiserror::Error)]
pub enum ReadModelsError {
    /// The store could not be read.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The projection could not read the store.
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    /// A thread panicked while holding the read models; they cannot be trusted any more.
    #[error("the read models are poisoned by an earlier panic")]
    Poisoned,
}

/// Why an id or name does not name one resource.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// Nothing has this id or name.
    #[error("no entity has the id or name '{key}'")]
    Unknown {
        /// The id or name given.
        key: String,
    },
    /// Several entities share this name.
    #[error("'{key}' names {} entities; ask again with one of their ids", candidates.len())]
    Ambiguous {
        /// The name given.
        key: String,
        /// The entities with that name.
        candidates: Vec<IndexEntry>,
    },
    /// The store could not be read.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// What one generation of the read models holds: what a reader sees.
pub struct ReadView {
    /// The entity graph in memory, for traversals and relations.
    pub projection: Projection,
    /// Labels and aliases of every entity, for search and names.
    pub index: SearchIndex,
    /// The last write these models include: every write acknowledged with this generation or
    /// a lower one is visible in them.
    pub generation: u64,
}

impl ReadView {
    /// Builds every read model from `store`, as generation `generation`.
    ///
    /// # Errors
    /// [`ReadModelsError`] when the store cannot be read.
    pub fn build(store: &Store, generation: u64) -> Result<Self, ReadModelsError> {
        let (projection, index) = std::thread::scope(|scope| {
            // The two builds read different quads; on two cores they overlap.
            let index = scope.spawn(|| SearchIndex::build(store));
            let projection = Projection::build(store);
            let index = index
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (projection, index)
        });
        Ok(Self {
            projection: projection?,
            index: index?,
            generation,
        })
    }

    /// The resource a uuid, or a label or alias, names.
    ///
    /// # Errors
    /// [`ResolveError::Unknown`] when nothing has that id or name, [`ResolveError::Ambiguous`]
    /// when several entities share the name.
    pub fn resolve(&self, store: &Store, key: &str) -> Result<NamedNode, ResolveError> {
        if let Ok(id) = key.parse::<EntityId>() {
            let iri = id.iri();
            if self.projection.node(iri.as_ref()).is_some()
                || self.index.by_id(id).is_some()
                || Catalog::new(store).exists(iri.as_ref())?
            {
                return Ok(iri);
            }
            return Err(ResolveError::Unknown {
                key: key.to_owned(),
            });
        }
        match self.index.exact(key).as_slice() {
            [] => Err(ResolveError::Unknown {
                key: key.to_owned(),
            }),
            [one] => Ok(NamedNode::new_unchecked(one.resource.iri.clone())),
            many => Err(ResolveError::Ambiguous {
                key: key.to_owned(),
                candidates: many.iter().map(|&entry| entry.clone()).collect(),
            }),
        }
    }

    /// Applies the quads a committed write touched (inserted and removed alike), with the
    /// projection's store reads made ahead in `prefetched`.
    fn refresh<'a>(
        &mut self,
        store: &Store,
        touched: impl IntoIterator<Item = QuadRef<'a>> + Clone,
        prefetched: &Prefetched,
    ) -> Result<(), ReadModelsError> {
        self.projection
            .refresh_prefetched(store, touched.clone(), prefetched)?;
        self.index.refresh(store, touched)?;
        Ok(())
    }
}

/// How a write reached the read models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Its quads were applied to the current read models before it was acknowledged.
    Incrementally,
    /// It changed nothing.
    Unchanged,
    /// A rebuild is under way (started by this write or an earlier one); the write becomes
    /// visible to REST reads when the rebuilt models are swapped in.
    ByRebuild,
}

/// A committed write: what the step returned, the generation it was given and how it reached
/// the read models.
#[derive(Debug)]
pub struct Written<T> {
    /// What the write step returned.
    pub value: T,
    /// The write's generation: reads answering with this generation or a later one see it.
    pub generation: u64,
    /// How the read models took it.
    pub applied: Applied,
}

/// Counters of what the read models did since the server started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadModelsStats {
    /// The generation readers currently see.
    pub generation: u64,
    /// The generation of the last acknowledged write.
    pub written_generation: u64,
    /// Writes applied quad by quad.
    pub incremental_writes: u64,
    /// Full builds from the store, the one at start-up included.
    pub full_builds: u64,
    /// Whether a rebuild is running now.
    pub rebuilding: bool,
    /// How long the last full build took.
    pub last_build: Duration,
    /// How long incremental writes kept readers out, from asking for the lock to letting go.
    pub locked: LockedSnapshot,
}

/// A rebuild under way: the writes it must still apply when it is done.
struct PendingRebuild {
    /// The quads every write acknowledged since the rebuild started touched, in order.
    touched: Vec<Quad>,
    /// An unlisted change came after the rebuild had started reading: it must start over.
    restart: bool,
}

/// The writer's state, behind the write lock.
struct WriteLog {
    /// The generation of the last acknowledged write.
    generation: u64,
    /// A rebuild running on a background thread, if any.
    rebuild: Option<PendingRebuild>,
}

/// The read models of one store, shared by every request, and the only way to write to it.
pub struct ReadModels {
    store: Store,
    /// The current generation, read by every request and replaced or refreshed by writes.
    view: RwLock<ReadView>,
    /// Held by a write from its first read to the end of its apply, so that writes are
    /// applied in commit order and one at a time. A std `Mutex`: it is never held across an
    /// `.await`.
    writer: Mutex<WriteLog>,
    /// PageRank and betweenness, computed in the background.
    rankings: Rankings,
    /// The number of quads in the store: a full scan, so counted in the background.
    quads: Background<usize>,
    /// Statement records read for relations pages, kept until a write touches them.
    cache: ReadCache,
    incremental_writes: AtomicU64,
    full_builds: AtomicU64,
    last_build_micros: AtomicU64,
    /// How long each incremental write kept readers out.
    locked: LockedTimes,
    /// [`WRITER_PATIENCE`] unless set otherwise, in microseconds.
    writer_patience_micros: AtomicU64,
}

impl ReadModels {
    /// Builds the read models of `store` (generation 0).
    ///
    /// # Errors
    /// [`ReadModelsError`] when the store cannot be read.
    pub fn build(store: Store) -> Result<Arc<Self>, ReadModelsError> {
        let started = Instant::now();
        let view = ReadView::build(&store, 0)?;
        Ok(Self::with(store, view, 1, started.elapsed()))
    }

    /// The read models of `store` from a snapshot of them saved beside it (see [`snapshot`]);
    /// writes continue from its generation.
    pub fn from_snapshot(store: Store, view: ReadView) -> Arc<Self> {
        Self::with(store, view, 0, Duration::ZERO)
    }

    fn with(store: Store, view: ReadView, builds: u64, build_time: Duration) -> Arc<Self> {
        let generation = view.generation;
        Arc::new(Self {
            store,
            view: RwLock::new(view),
            writer: Mutex::new(WriteLog {
                generation,
                rebuild: None,
            }),
            rankings: Rankings::default(),
            quads: Background::default(),
            cache: ReadCache::default(),
            incremental_writes: AtomicU64::new(0),
            full_builds: AtomicU64::new(builds),
            last_build_micros: AtomicU64::new(micros(build_time)),
            locked: LockedTimes::default(),
            writer_patience_micros: AtomicU64::new(micros(WRITER_PATIENCE)),
        })
    }

    /// The store these models derive from, for reads that go to it directly.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current generation of the read models, for reading. Hold it only as long as the
    /// read needs: a write waits for the readers of the generation it replaces.
    ///
    /// # Errors
    /// [`ReadModelsError::Poisoned`] after a panic inside a write.
    pub fn read(&self) -> Result<RwLockReadGuard<'_, ReadView>, ReadModelsError> {
        self.view.read().map_err(|_| ReadModelsError::Poisoned)
    }

    /// What relations pages read from the store, kept for the generation it was read at.
    pub fn cache(&self) -> &ReadCache {
        &self.cache
    }

    /// PageRank and betweenness, computed in the background.
    pub fn rankings(&self) -> &Rankings {
        &self.rankings
    }

    /// The number of quads in the store, counted in the background (a full scan) and served
    /// with the generation it was counted at; a new count starts when writes came since.
    /// Waits up to `wait` for the first count.
    ///
    /// # Errors
    /// How long the first count has run, when `wait` passed without one.
    pub fn quad_count(self: &Arc<Self>, wait: Duration) -> Result<(usize, u64), Duration> {
        let generation = self
            .lock_writer()
            .map(|log| log.generation)
            .unwrap_or_default();
        let count = self.quads.get(generation, wait, || {
            let models = Arc::clone(self);
            std::thread::Builder::new()
                .name("quad-count".into())
                .spawn(move || match models.store.len() {
                    Ok(count) => models.quads.publish(generation, count),
                    Err(error) => {
                        tracing::error!(%error, "cannot count the quads of the store");
                        models.quads.abandon();
                    }
                })
                .map(drop)
        })?;
        Ok((*count, self.quads.generation().unwrap_or(generation)))
    }

    /// What the read models did since the server started.
    pub fn stats(&self) -> ReadModelsStats {
        let (written_generation, rebuilding) = match self.writer.lock() {
            Ok(log) => (log.generation, log.rebuild.is_some()),
            Err(_) => (0, false),
        };
        ReadModelsStats {
            generation: self.read().map(|view| view.generation).unwrap_or_default(),
            written_generation,
            incremental_writes: self.incremental_writes.load(Ordering::Relaxed),
            full_builds: self.full_builds.load(Ordering::Relaxed),
            rebuilding,
            last_build: Duration::from_micros(self.last_build_micros.load(Ordering::Relaxed)),
            locked: self.locked.snapshot(),
        }
    }

    /// Runs one write: `step` reads what it needs from the store, commits at most one
    /// transaction and returns its value with the [`ChangeSet`] it committed; the read models
    /// then take the change, and the write gets the next generation. No other write runs
    /// between `step`'s first read and the end of the apply.
    ///
    /// # Errors
    /// What `step` returns (nothing was committed, so nothing is applied), or
    /// [`ReadModelsError`] when the read models cannot take a committed change (the write is
    /// committed; a rebuild is started to repair them).
    pub fn write<T, E>(
        self: &Arc<Self>,
        step: impl FnOnce(&Store) -> Result<(T, ChangeSet), E>,
    ) -> Result<Written<T>, E>
    where
        E: From<ReadModelsError>,
    {
        let mut log = self.lock_writer()?;
        let (value, change) = step(&self.store)?;
        if change.is_empty() {
            return Ok(Written {
                value,
                generation: log.generation,
                applied: Applied::Unchanged,
            });
        }
        // Before the write is acknowledged, so that no read after it sees a record from before.
        self.cache.take_change(&change, &self.store);
        log.generation += 1;
        let generation = log.generation;
        if let Some(rebuild) = &mut log.rebuild {
            rebuild.touched.extend(change.inserted);
            rebuild.touched.extend(change.removed);
            rebuild.restart |= change.unlisted;
            return Ok(Written {
                value,
                generation,
                applied: Applied::ByRebuild,
            });
        }
        if change.unlisted || change.len() > REBUILD_THRESHOLD {
            self.start_rebuild(&mut log);
            return Ok(Written {
                value,
                generation,
                applied: Applied::ByRebuild,
            });
        }
        let applied = {
            // The store reads first, with readers still answering; then the models are
            // locked against them only for the in-memory part.
            let prefetched = self
                .read()?
                .projection
                .prefetch(&self.store, change.quads().map(Quad::as_ref));
            let (mut view, readers_out_since) = self.lock_view_for_write()?;
            let result = match prefetched {
                Ok(prefetched) => {
                    view.refresh(&self.store, change.quads().map(Quad::as_ref), &prefetched)
                }
                Err(error) => Err(error.into()),
            };
            if result.is_ok() {
                view.generation = generation;
            }
            drop(view);
            self.locked.record(readers_out_since.elapsed());
            result
        };
        if let Err(error) = applied {
            // Half-refreshed models cannot be trusted: rebuild them from the store, which
            // holds the committed write.
            tracing::error!(%error, "the read models could not take a write; rebuilding them");
            self.start_rebuild(&mut log);
            return Err(error.into());
        }
        self.incremental_writes.fetch_add(1, Ordering::Relaxed);
        Ok(Written {
            value,
            generation,
            applied: Applied::Incrementally,
        })
    }

    /// Rebuilds the read models from the store in the background (after a change made
    /// outside [`ReadModels::write`], such as a load through another path).
    ///
    /// # Errors
    /// [`ReadModelsError::Poisoned`] after a panic inside a write.
    pub fn rebuild(self: &Arc<Self>) -> Result<(), ReadModelsError> {
        let mut log = self.lock_writer()?;
        self.cache.invalidate_all();
        log.generation += 1;
        match &mut log.rebuild {
            Some(rebuild) => rebuild.restart = true,
            None => self.start_rebuild(&mut log),
        }
        Ok(())
    }

    /// Sets how long a write looks for a moment with no reader before it waits in line
    /// ([`WRITER_PATIENCE`] by default).
    pub fn set_writer_patience(&self, patience: Duration) {
        self.writer_patience_micros
            .store(micros(patience), Ordering::Relaxed);
    }

    /// Waits until no rebuild is running (for tests, benchmarks and shutdown).
    pub fn wait_for_rebuild(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            match self.writer.lock() {
                Ok(log) if log.rebuild.is_none() => return true,
                Err(_) => return false,
                Ok(_) => {}
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Takes the view for a write without keeping readers waiting behind it: the std lock
    /// makes readers that arrive while a writer waits wait too, for as long as the slowest
    /// reader already in (a relations page reads the store under the lock), so the write
    /// first tries again and again, in the gaps between readers, and waits in line only
    /// after [`WRITER_PATIENCE`]. Returns the guard and the moment from which readers were
    /// kept out.
    fn lock_view_for_write(
        &self,
    ) -> Result<(RwLockWriteGuard<'_, ReadView>, Instant), ReadModelsError> {
        let patience = Instant::now()
            + Duration::from_micros(self.writer_patience_micros.load(Ordering::Relaxed));
        loop {
            match self.view.try_write() {
                Ok(view) => return Ok((view, Instant::now())),
                Err(TryLockError::Poisoned(_)) => return Err(ReadModelsError::Poisoned),
                Err(TryLockError::WouldBlock) if Instant::now() < patience => {
                    std::thread::sleep(Duration::from_micros(50));
                }
                Err(TryLockError::WouldBlock) => {
                    let asked = Instant::now();
                    let view = self.view.write().map_err(|_| ReadModelsError::Poisoned)?;
                    return Ok((view, asked));
                }
            }
        }
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, WriteLog>, ReadModelsError> {
        self.writer.lock().map_err(|_| ReadModelsError::Poisoned)
    }

    /// Marks a rebuild as running and starts its thread. Called with the write lock held.
    fn start_rebuild(self: &Arc<Self>, log: &mut WriteLog) {
        log.rebuild = Some(PendingRebuild {
            touched: Vec::new(),
            restart: false,
        });
        let models = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("read-models-rebuild".into())
            .spawn(move || models.run_rebuild());
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the rebuild of the read models");
            log.rebuild = None;
        }
    }

    /// The rebuild thread: builds from the store without any lock, then, under the write lock
    /// (so no write is half done), applies the writes made meanwhile and swaps the new models in.
    fn run_rebuild(self: Arc<Self>) {
        loop {
            let started = Instant::now();
            let built = ReadView::build(&self.store, 0);
            let Ok(mut log) = self.writer.lock() else {
                return;
            };
            let Some(pending) = log.rebuild.take() else {
                return;
            };
            let mut view = match built {
                Ok(view) => view,
                Err(error) => {
                    tracing::error!(%error, "the rebuild of the read models failed; retrying");
                    log.rebuild = Some(pending);
                    drop(log);
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            if pending.restart {
                log.rebuild = Some(PendingRebuild {
                    touched: Vec::new(),
                    restart: false,
                });
                continue;
            }
            // A write committed during the build may or may not have been read by it; the
            // refresh re-reads the store for each quad, so applying it again is harmless.
            if let Err(error) = view.refresh(
                &self.store,
                pending.touched.iter().map(Quad::as_ref),
                &Prefetched::default(),
            ) {
                tracing::error!(%error, "cannot apply the writes made during a rebuild; retrying");
                log.rebuild = Some(PendingRebuild {
                    touched: Vec::new(),
                    restart: false,
                });
                continue;
            }
            view.generation = log.generation;
            let generation = view.generation;
            match self.view.write() {
                Ok(mut current) => *current = view,
                Err(_) => return,
            }
            self.full_builds.fetch_add(1, Ordering::Relaxed);
            self.last_build_micros
                .store(micros(started.elapsed()), Ordering::Relaxed);
            tracing::info!(
                generation,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "rebuilt the read models"
            );
            return;
        }
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// The projection knows the labels of its nodes: a catalog given it reads no label from the
/// store for an entity a traversal or a page shows.
impl crate::catalog::KnownLabels for crate::graph::Projection {
    fn label(&self, iri: oxigraph::model::NamedNodeRef<'_>) -> Option<String> {
        let resource = self.resource(self.node(iri)?)?;
        resource.label().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use oxigraph::model::{GraphName, NamedNode};

    use super::*;
    use crate::config::StoreLocation;
    use crate::store::write::WriteError;

    #[derive(Debug)]
    enum TestError {
        Models(ReadModelsError),
        Write(WriteError),
    }

    impl From<ReadModelsError> for TestError {
        fn from(error: ReadModelsError) -> Self {
            Self::Models(error)
        }
    }

    impl From<WriteError> for TestError {
        fn from(error: WriteError) -> Self {
            Self::Write(error)
        }
    }

    /// A labelled resource's edge to a new one (an unlabelled subject has no edges).
    /// The generation of a write that must have succeeded.
    fn generation_of(result: Result<Written<()>, TestError>) -> u64 {
        match result {
            Ok(written) => written.generation,
            Err(TestError::Models(error)) => panic!("the read models failed: {error}"),
            Err(TestError::Write(error)) => panic!("the write failed: {error}"),
        }
    }

    fn edge(n: usize) -> [Quad; 2] {
        let node =
            |name: &str| NamedNode::new_unchecked(format!("{}{name}", crate::vocab::id::BASE));
        [
            Quad::new(
                node("a"),
                oxigraph::model::vocab::rdfs::LABEL,
                oxigraph::model::Literal::new_simple_literal("A"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                node("a"),
                NamedNode::new_unchecked("https://w3id.org/eventgraph/ontology#contactsVia"),
                node(&format!("b{n}")),
                GraphName::DefaultGraph,
            ),
        ]
    }

    #[test]
    fn readers_arriving_while_a_write_waits_for_the_lock_are_not_held_up() {
        let models = ReadModels::build(Store::open(&StoreLocation::Memory).unwrap()).unwrap();
        models.set_writer_patience(Duration::from_secs(60));
        let first = models.read().unwrap();
        let (done, written) = mpsc::channel();
        let writer = {
            let models = Arc::clone(&models);
            std::thread::spawn(move || {
                let result = models.write(|store| -> Result<((), ChangeSet), TestError> {
                    Ok(((), store.apply_changes(&[], &edge(1))?))
                });
                done.send(result.map(|written| written.generation).ok())
                    .unwrap();
            })
        };
        // The write has committed and waits for the view while a reader holds it...
        assert!(written.recv_timeout(Duration::from_millis(100)).is_err());
        // ...and a reader arriving now gets in at once (behind a waiting std writer it would
        // wait).
        let second = models.view.try_read();
        assert!(second.is_ok(), "a new reader waited behind the write");
        assert_eq!(second.unwrap().generation, 0);
        drop(first);
        assert_eq!(
            written.recv_timeout(Duration::from_secs(10)).unwrap(),
            Some(1)
        );
        writer.join().unwrap();
        assert_eq!(models.read().unwrap().generation, 1);
        assert_eq!(models.stats().locked.count, 1);
    }

    #[test]
    fn a_write_past_its_patience_waits_in_line_and_still_applies() {
        let models = ReadModels::build(Store::open(&StoreLocation::Memory).unwrap()).unwrap();
        models.set_writer_patience(Duration::ZERO);
        let reader = models.read().unwrap();
        let writer = {
            let models = Arc::clone(&models);
            std::thread::spawn(move || {
                generation_of(models.write(|store| -> Result<((), ChangeSet), TestError> {
                    Ok(((), store.apply_changes(&[], &edge(2))?))
                }))
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(reader);
        assert_eq!(writer.join().unwrap(), 1);
        let view = models.read().unwrap();
        assert_eq!(view.generation, 1);
        assert!(view.projection.stats().edges >= 1);
    }
}
