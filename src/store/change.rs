//! What a committed write did to the store: the quads it inserted and removed.
//!
//! Every write path (REST edits, SPARQL Update, the Graph Store Protocol, loads through the
//! server) returns a [`ChangeSet`] once its transaction has committed, so that the read models
//! can apply exactly that change instead of rebuilding from the store. A change that cannot be
//! listed cheaply (clearing the default graph, dropping every graph) says so with
//! [`ChangeSet::unlisted`]; the read models then rebuild.
//!
//! `TrackedTransaction` is how the store's writes compute it: an Oxigraph transaction that
//! notes, quad by quad, whether each insertion or removal changed the store, so that the
//! committed [`ChangeSet`] holds the net change and nothing else. It does not decide what to
//! write; the SPARQL Update evaluator ([`super::update`]) and the Graph Store writes
//! ([`super::write`]) do.

use std::collections::hash_map::Entry;

use oxigraph::model::{GraphNameRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad};
use oxigraph::store::{StorageError, Transaction};
use rustc_hash::FxHashMap;

use super::Store;

/// The quads a committed write inserted and removed.
///
/// The lists may hold quads the write did not really change (inserting a quad already there,
/// removing one that was not): consumers re-read the store for each quad they are given, so
/// naming a quad too many costs a look-up, never a wrong answer. They never miss a quad that
/// did change, unless `unlisted` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Quads the write inserted.
    pub inserted: Vec<Quad>,
    /// Quads the write removed.
    pub removed: Vec<Quad>,
    /// The write also changed quads it does not list (`CLEAR DEFAULT`, `DROP ALL`, ...): what
    /// is derived from the store must be rebuilt.
    pub unlisted: bool,
    /// The write created a named graph it left empty, or dropped one: a change of the set of
    /// graphs that no listed quad shows, so that the journal cannot replay it (the store is
    /// flushed after the commit instead, as for an unlisted change). The read models do not
    /// depend on empty graphs and ignore it.
    pub graphs_changed: bool,
}

impl ChangeSet {
    /// A change that lists everything it did.
    pub fn listed(inserted: Vec<Quad>, removed: Vec<Quad>) -> Self {
        Self {
            inserted,
            removed,
            unlisted: false,
            graphs_changed: false,
        }
    }

    /// Whether the write changed nothing at all.
    pub fn is_empty(&self) -> bool {
        self.inserted.is_empty() && self.removed.is_empty() && !self.unlisted
    }

    /// How many quads it lists.
    pub fn len(&self) -> usize {
        self.inserted.len() + self.removed.len()
    }

    /// Every quad it lists, inserted then removed.
    pub fn quads(&self) -> impl Iterator<Item = &Quad> + Clone {
        self.inserted.iter().chain(&self.removed)
    }

    /// Appends another change made after this one in the same ordered step.
    pub fn extend(&mut self, later: ChangeSet) {
        self.inserted.extend(later.inserted);
        self.removed.extend(later.removed);
        self.unlisted |= later.unlisted;
        self.graphs_changed |= later.graphs_changed;
    }
}

/// Which way a quad's presence changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Inserted,
    Removed,
}

/// An Oxigraph transaction that keeps the net change it makes.
///
/// Every insertion and removal goes through [`insert`](Self::insert) and
/// [`remove`](Self::remove), which look the quad up first: only a quad whose presence changed
/// is noted, and a quad inserted then removed again (or the other way round) drops out. Changes
/// made through [`untracked`](Self::untracked) are not noted; the change set then says so.
pub(super) struct TrackedTransaction<'a> {
    /// The transaction every read and write goes through, so that later reads see earlier writes.
    transaction: Transaction<'a>,
    /// Each quad whose presence differs from the committed store: its side, and when it was
    /// first noted, so that the change set lists quads in the order the write touched them.
    net: FxHashMap<Quad, (usize, Side)>,
    /// The next ordinal for `net`.
    next: usize,
    /// Whether a change went through [`untracked`](Self::untracked).
    unlisted: bool,
    /// The named graphs this transaction created (they did not exist before it).
    created_graphs: Vec<NamedOrBlankNode>,
    /// Whether it removed a named graph.
    removed_graph: bool,
}

impl<'a> TrackedTransaction<'a> {
    /// Starts tracking the changes made through `transaction`.
    pub(super) fn new(transaction: Transaction<'a>) -> Self {
        Self {
            transaction,
            net: FxHashMap::default(),
            next: 0,
            unlisted: false,
            created_graphs: Vec::new(),
            removed_graph: false,
        }
    }

    /// The transaction, for reads (queries, look-ups); they see the changes made so far.
    pub(super) fn transaction(&self) -> &Transaction<'a> {
        &self.transaction
    }

    /// Inserts `quad`, noting it when it was not there yet.
    ///
    /// # Errors
    /// [`StorageError`] when the look-up fails.
    pub(super) fn insert(&mut self, quad: Quad) -> Result<(), StorageError> {
        let absent = !self.transaction.contains(&quad)?;
        self.transaction.insert(&quad);
        if absent {
            self.note(quad, Side::Inserted);
        }
        Ok(())
    }

    /// Removes `quad`, noting it when it was there.
    ///
    /// # Errors
    /// [`StorageError`] when the look-up fails.
    pub(super) fn remove(&mut self, quad: Quad) -> Result<(), StorageError> {
        let present = self.transaction.contains(&quad)?;
        self.transaction.remove(&quad);
        if present {
            self.note(quad, Side::Removed);
        }
        Ok(())
    }

    /// Creates the named graph `graph` when it does not exist; no quad changes.
    ///
    /// # Errors
    /// [`StorageError`] when the look-up fails.
    pub(super) fn insert_named_graph<'b>(
        &mut self,
        graph: impl Into<NamedOrBlankNodeRef<'b>>,
    ) -> Result<(), StorageError> {
        let graph = graph.into();
        let known = self.created_graphs.iter().any(|g| g.as_ref() == graph);
        if !known && !self.transaction.contains_named_graph(graph)? {
            self.created_graphs.push(graph.into_owned());
        }
        self.transaction.insert_named_graph(graph);
        Ok(())
    }

    /// Empties `graph` (a named graph stays, empty), noting each of its quads as removed.
    ///
    /// # Errors
    /// [`StorageError`] when the graph cannot be read or cleared.
    pub(super) fn clear_graph(&mut self, graph: GraphNameRef<'_>) -> Result<(), StorageError> {
        self.note_graph_removed(graph)?;
        self.transaction.clear_graph(graph)
    }

    /// Removes the named graph `graph` and its quads, noting each of them as removed.
    ///
    /// # Errors
    /// [`StorageError`] when the graph cannot be read or removed.
    pub(super) fn remove_named_graph(
        &mut self,
        graph: NamedOrBlankNodeRef<'_>,
    ) -> Result<(), StorageError> {
        self.note_graph_removed(graph.into())?;
        self.removed_graph = true;
        self.transaction.remove_named_graph(graph)
    }

    /// The transaction, for a change too large to list (`CLEAR DEFAULT`, `DROP ALL`, ...):
    /// the change set will be [`ChangeSet::unlisted`].
    pub(super) fn untracked(&mut self) -> &mut Transaction<'a> {
        self.unlisted = true;
        &mut self.transaction
    }

    /// Commits the transaction through the store's journal ([`Store::commit_journaled`]) and
    /// returns what it changed.
    ///
    /// # Errors
    /// [`StorageError`] when the journal or the commit fails; nothing is then written.
    pub(super) fn commit(self, store: &Store) -> Result<ChangeSet, StorageError> {
        let (transaction, changes) = self.finish();
        store.commit_journaled(transaction, &changes)?;
        Ok(changes)
    }

    /// The transaction, uncommitted, and the net change it holds.
    fn finish(self) -> (Transaction<'a>, ChangeSet) {
        let mut net: Vec<(Quad, (usize, Side))> = self.net.into_iter().collect();
        net.sort_unstable_by_key(|(_, (ordinal, _))| *ordinal);
        let mut changes = ChangeSet {
            unlisted: self.unlisted,
            ..ChangeSet::default()
        };
        for (quad, (_, side)) in net {
            match side {
                Side::Inserted => changes.inserted.push(quad),
                Side::Removed => changes.removed.push(quad),
            }
        }
        // A graph created with quads in it is replayed from them; one left empty is not.
        let left_empty = self.created_graphs.iter().any(|graph| {
            !changes
                .inserted
                .iter()
                .any(|quad| quad.graph_name.as_ref() == GraphNameRef::from(graph.as_ref()))
        });
        changes.graphs_changed = self.removed_graph || left_empty;
        (self.transaction, changes)
    }

    /// Notes every quad of `graph` as removed, before the graph is emptied.
    fn note_graph_removed(&mut self, graph: GraphNameRef<'_>) -> Result<(), StorageError> {
        let quads = self
            .transaction
            .quads_for_pattern(None, None, None, Some(graph))
            .collect::<Result<Vec<_>, _>>()?;
        for quad in quads {
            self.note(quad, Side::Removed);
        }
        Ok(())
    }

    /// Notes that `quad`'s presence changed towards `side`.
    fn note(&mut self, quad: Quad, side: Side) {
        match self.net.entry(quad) {
            // Back where the committed store has it: no net change.
            Entry::Occupied(entry) if entry.get().1 != side => {
                entry.remove();
            }
            // Only after an untracked change made the notes stale; the set is unlisted then.
            Entry::Occupied(_) => {}
            Entry::Vacant(entry) => {
                entry.insert((self.next, side));
                self.next += 1;
            }
        }
    }
}
