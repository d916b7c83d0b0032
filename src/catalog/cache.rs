//! A cache of what relations pages read from the store: statement records, the statements
//! that reify each triple, and the display labels of resources the projection does not hold
//! (predicates, classes, documents, ontology terms), kept across writes and invalidated by what
//! each write changed.
//!
//! A relations page of an ordinary entity is answered from the projection in memory, but the
//! statements behind its relations — their sources, speakers, quotes, confirmations — are read
//! from the store, a dozen look-ups each. Entities that people look at are looked at again, so
//! the records read are kept here. News keeps arriving while people look, so a write must not
//! empty the cache: each committed write hands the cache what it [`Touched`] (before it is
//! acknowledged), and only the entries that depend on those quads are dropped, so that an entry
//! is never older than the last write acknowledged.
//!
//! **What an entry depends on.** A statement record is read from the quads about the statement
//! (any predicate) and about the statements confirming it, and from the `rdfs:label`s of every
//! resource it names (subject, predicate, object, qualifiers, sources, speakers, ...): a change
//! to a quad about the first kind, or to a label of the second, drops it. The statements
//! reifying a triple are read from the `rdf:subject`, `rdf:predicate` and `rdf:object` quads of
//! statement nodes: a write that changes one of those for a statement drops the entries of every
//! triple with that statement's subject and object (its predicate may be the one changed). A
//! display label is read from the resource's `rdfs:label` quads: a write that changes one drops
//! it.
//!
//! **Reads racing writes.** A reader takes a [`Ticket`] before it reads the store and hands it
//! back with what it read; the cache keeps it only when no write applied since the ticket
//! touched what it depends on (the cache remembers what the last [`RECENT_WRITES`] writes
//! touched; an older ticket keeps nothing). So a record read before a write and kept after it
//! cannot outlive the write.
//!
//! The cache is bounded ([`CAPACITY`] entries of each kind); past it, it starts again empty. It
//! does not decide what a write touched beyond the [`ChangeSet`] and the statement nodes' triples
//! in the store, and it knows nothing of the read models' generations.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::StorageError;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{StatementRecord, Value};
use crate::store::Store;
use crate::store::change::ChangeSet;

/// The most entries of each kind the cache holds before it starts again empty.
pub const CAPACITY: usize = 100_000;

/// How many writes' [`Touched`] the cache remembers for the readers that started before them.
pub const RECENT_WRITES: usize = 64;

/// A write listing more quads than this empties the cache instead of naming what it touched.
pub const TOUCHED_LIMIT: usize = 20_000;

/// A triple as the cache keys it: subject, predicate and object IRIs.
type TripleKey = (Box<str>, Box<str>, Box<str>);

/// A triple's two ends, subject and object IRIs.
type EndsKey = (Box<str>, Box<str>);

/// How a statement record depends on the quads about a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dependence {
    /// On every quad about it (the statement itself, a statement confirming it).
    Quads,
    /// On its labels only (a resource the record names).
    Labels,
}

/// What one committed write changed, as the cache's entries depend on it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The subject of every quad written or removed, with whether one of them was a label.
    subjects: FxHashMap<Box<str>, bool>,
    /// The ends (subject, object) of each statement node whose triple the write changed.
    ends: FxHashSet<EndsKey>,
}

impl Touched {
    /// What `change`, committed to `store`, touched: its quads' subjects, and for each
    /// statement node whose `rdf:subject`, `rdf:predicate` or `rdf:object` it changed, the
    /// subjects and objects that node has in the change or in the store now.
    ///
    /// # Complexity
    /// O(q) for the q quads of the change, plus two index reads per statement node whose triple
    /// it changed.
    ///
    /// # Errors
    /// [`StorageError`] when the store cannot be read.
    pub fn of(change: &ChangeSet, store: &Store) -> Result<Self, StorageError> {
        let mut touched = Self::default();
        // Statement node → its subjects and objects named by the change.
        let mut triples: FxHashMap<&NamedNode, (Vec<&str>, Vec<&str>)> = FxHashMap::default();
        for quad in change.quads() {
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            let label = quad.predicate.as_ref() == rdfs::LABEL;
            *touched.subjects.entry(subject.as_str().into()).or_default() |= label;
            let predicate = quad.predicate.as_ref();
            if predicate != rdf::SUBJECT && predicate != rdf::PREDICATE && predicate != rdf::OBJECT
            {
                continue;
            }
            let (subjects, objects) = triples.entry(subject).or_default();
            if let Term::NamedNode(end) = &quad.object {
                if predicate == rdf::SUBJECT {
                    subjects.push(end.as_str());
                } else if predicate == rdf::OBJECT {
                    objects.push(end.as_str());
                }
            }
        }
        for (statement, (mut subjects, mut objects)) in triples {
            let now_subjects = ends_in_store(store, statement.as_ref(), rdf::SUBJECT)?;
            let now_objects = ends_in_store(store, statement.as_ref(), rdf::OBJECT)?;
            subjects.extend(now_subjects.iter().map(NamedNode::as_str));
            objects.extend(now_objects.iter().map(NamedNode::as_str));
            for subject in &subjects {
                for object in &objects {
                    touched.ends.insert(((*subject).into(), (*object).into()));
                }
            }
        }
        Ok(touched)
    }

    /// Whether a record with these dependencies read before this write may be out of date.
    fn hits(&self, dependencies: &[(Box<str>, Dependence)]) -> bool {
        dependencies.iter().any(|(iri, dependence)| {
            self.subjects
                .get(iri)
                .is_some_and(|&label| label || *dependence == Dependence::Quads)
        })
    }
}

/// The IRIs a statement node has as its `rdf:subject` (or `rdf:object`) in `store`.
fn ends_in_store(
    store: &Store,
    statement: NamedNodeRef<'_>,
    role: NamedNodeRef<'_>,
) -> Result<Vec<NamedNode>, StorageError> {
    let mut ends = Vec::new();
    for quad in store
        .oxigraph()
        .quads_for_pattern(Some(statement.into()), Some(role), None, None)
    {
        if let Term::NamedNode(end) = quad?.object {
            ends.push(end);
        }
    }
    Ok(ends)
}

/// When a reader began reading the store: see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Default)]
struct Entries {
    /// How many writes the cache has taken; a ticket is the epoch its reader started at.
    epoch: u64,
    /// Tickets older than this keep nothing (the cache was emptied by a write at this epoch).
    emptied_at: u64,
    /// What the last writes touched, oldest first, each with the epoch it made.
    recent: VecDeque<(u64, Touched)>,
    statements: FxHashMap<Box<str>, Arc<StatementRecord>>,
    reifying: FxHashMap<TripleKey, Arc<[NamedNode]>>,
    /// Resource → its display label ([`super::display_label`]).
    labels: FxHashMap<Box<str>, Arc<str>>,
    /// Resource → the statement records depending on quads about it. Entries may outlive their
    /// record (dropping one leaves the others' entries); a stale one costs a miss, no error.
    dependents: FxHashMap<Box<str>, Vec<(Box<str>, Dependence)>>,
    /// How many (record, dependence) pairs `dependents` holds, to bound it.
    dependent_count: usize,
    /// A triple's ends → the predicates of the kept triples with those ends.
    by_ends: FxHashMap<EndsKey, Vec<Box<str>>>,
}

impl Entries {
    /// Whether what a reader read since `ticket` may be kept: no write since touched it.
    fn still_valid(&self, ticket: Ticket, stale: impl Fn(&Touched) -> bool) -> bool {
        if ticket.0 < self.emptied_at {
            return false;
        }
        if ticket.0 == self.epoch {
            return true;
        }
        // The writes after the ticket must all be remembered, and none may touch it.
        let remembered_from = self
            .recent
            .front()
            .map_or(self.epoch + 1, |(epoch, _)| *epoch);
        if ticket.0 + 1 < remembered_from {
            return false;
        }
        !self
            .recent
            .iter()
            .filter(|(epoch, _)| *epoch > ticket.0)
            .any(|(_, touched)| stale(touched))
    }

    fn empty(&mut self) {
        self.statements.clear();
        self.reifying.clear();
        self.labels.clear();
        self.dependents.clear();
        self.dependent_count = 0;
        self.by_ends.clear();
    }
}

/// Statement records and reifying statements, kept until a write touches what they were read
/// from.
#[derive(Default)]
pub struct ReadCache {
    entries: Mutex<Entries>,
}

impl ReadCache {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves entries that were each complete: keep going.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The ticket of a reader about to read the store.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.lock().epoch)
    }

    /// The record of a statement, if kept.
    pub fn statement(&self, iri: &str) -> Option<Arc<StatementRecord>> {
        self.lock().statements.get(iri).cloned()
    }

    /// Keeps the record of a statement, read from the store after `ticket` was taken, unless a
    /// write since touched what it was read from.
    pub fn keep_statement(&self, ticket: Ticket, record: Arc<StatementRecord>) {
        let dependencies = dependencies_of(&record);
        let mut entries = self.lock();
        if !entries.still_valid(ticket, |touched| touched.hits(&dependencies)) {
            return;
        }
        if entries.statements.len() >= CAPACITY || entries.dependent_count >= 16 * CAPACITY {
            entries.empty();
        }
        let key: Box<str> = record.resource.iri.as_str().into();
        for (iri, dependence) in dependencies.iter() {
            entries
                .dependents
                .entry(iri.clone())
                .or_default()
                .push((key.clone(), *dependence));
        }
        entries.dependent_count += dependencies.len();
        entries.statements.insert(key, record);
    }

    /// The display label of a resource, if kept.
    pub fn label(&self, iri: &str) -> Option<Arc<str>> {
        self.lock().labels.get(iri).cloned()
    }

    /// Keeps the display label of a resource, read from the store after `ticket` was taken,
    /// unless a write since changed one of its labels.
    pub fn keep_label(&self, ticket: Ticket, iri: &str, label: Arc<str>) {
        let mut entries = self.lock();
        if !entries.still_valid(ticket, |touched| touched.subjects.get(iri) == Some(&true)) {
            return;
        }
        if entries.labels.len() >= CAPACITY {
            entries.labels.clear();
        }
        entries.labels.insert(iri.into(), label);
    }

    /// The statements reifying a triple, if kept.
    pub fn reifying(
        &self,
        subject: &str,
        predicate: &str,
        object: &str,
    ) -> Option<Arc<[NamedNode]>> {
        self.lock()
            .reifying
            .get(&(subject.into(), predicate.into(), object.into()))
            .cloned()
    }

    /// Keeps the statements reifying a triple, read from the store after `ticket` was taken,
    /// unless a write since changed a triple with the same ends.
    pub fn keep_reifying(
        &self,
        ticket: Ticket,
        triple: (&str, &str, &str),
        statements: Arc<[NamedNode]>,
    ) {
        let ends: EndsKey = (triple.0.into(), triple.2.into());
        let mut entries = self.lock();
        if !entries.still_valid(ticket, |touched| touched.ends.contains(&ends)) {
            return;
        }
        if entries.reifying.len() >= CAPACITY {
            entries.reifying.clear();
            entries.by_ends.clear();
        }
        let key = (ends.0.clone(), triple.1.into(), ends.1.clone());
        if entries.reifying.insert(key, statements).is_none() {
            entries
                .by_ends
                .entry(ends)
                .or_default()
                .push(triple.1.into());
        }
    }

    /// Takes a committed write: drops every entry that depends on what it touched. Called
    /// before the write is acknowledged.
    pub fn invalidate(&self, touched: Touched) {
        let mut entries = self.lock();
        entries.epoch += 1;
        let epoch = entries.epoch;
        let Entries {
            statements,
            reifying,
            labels,
            dependents,
            by_ends,
            ..
        } = &mut *entries;
        for (subject, &label) in &touched.subjects {
            if label {
                labels.remove(subject);
            }
            let Some(list) = dependents.get_mut(subject) else {
                continue;
            };
            list.retain(|(key, dependence)| {
                let dropped = label || *dependence == Dependence::Quads;
                if dropped {
                    statements.remove(key);
                }
                !dropped
            });
        }
        for ends in &touched.ends {
            for predicate in by_ends.remove(ends).unwrap_or_default() {
                reifying.remove(&(ends.0.clone(), predicate, ends.1.clone()));
            }
        }
        entries.recent.push_back((epoch, touched));
        while entries.recent.len() > RECENT_WRITES {
            entries.recent.pop_front();
        }
    }

    /// Takes a write that cannot be listed (or is too large to): empties the cache, and keeps
    /// nothing read before it.
    pub fn invalidate_all(&self) {
        let mut entries = self.lock();
        entries.epoch += 1;
        entries.emptied_at = entries.epoch;
        entries.recent.clear();
        entries.empty();
    }

    /// Takes a committed `change` to `store`: [`ReadCache::invalidate`] with what it touched, or
    /// [`ReadCache::invalidate_all`] when it is unlisted, larger than [`TOUCHED_LIMIT`], or the
    /// store cannot be read to tell.
    pub fn take_change(&self, change: &ChangeSet, store: &Store) {
        if change.unlisted || change.len() > TOUCHED_LIMIT {
            return self.invalidate_all();
        }
        match Touched::of(change, store) {
            Ok(touched) => self.invalidate(touched),
            Err(error) => {
                tracing::warn!(%error, "cannot tell what a write touched; emptying the read cache");
                self.invalidate_all();
            }
        }
    }

    /// How many statement records and reified triples it holds.
    pub fn len(&self) -> (usize, usize) {
        let entries = self.lock();
        (entries.statements.len(), entries.reifying.len())
    }
}

/// What a record was read from: the quads about the statement and its confirmations, and the
/// labels of every resource it names.
fn dependencies_of(record: &StatementRecord) -> Vec<(Box<str>, Dependence)> {
    let mut dependencies: Vec<(Box<str>, Dependence)> = Vec::new();
    let mut depend = |iri: &str, dependence| dependencies.push((iri.into(), dependence));
    depend(&record.resource.iri, Dependence::Quads);
    for confirmation in &record.confirmed_by {
        depend(&confirmation.statement.iri, Dependence::Quads);
        for speaker in &confirmation.speakers {
            depend(&speaker.iri, Dependence::Labels);
        }
    }
    let named = record
        .subject
        .iter()
        .chain(&record.predicate)
        .chain(&record.sources)
        .chain(&record.speakers)
        .chain(&record.confirms);
    for resource in named {
        depend(&resource.iri, Dependence::Labels);
    }
    let values = record
        .object
        .iter()
        .chain(record.qualifiers.iter().map(|q| &q.value));
    for value in values {
        if let Value::Resource(resource) = value {
            depend(&resource.iri, Dependence::Labels);
        }
    }
    for qualifier in &record.qualifiers {
        depend(&qualifier.predicate.iri, Dependence::Labels);
    }
    // One entry per resource, the stronger dependence kept (`Quads` sorts first).
    dependencies.sort_unstable_by(|a, b| {
        (&a.0, a.1 != Dependence::Quads).cmp(&(&b.0, b.1 != Dependence::Quads))
    });
    dependencies.dedup_by(|later, earlier| later.0 == earlier.0);
    dependencies
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphName, Literal, Quad};

    use super::*;
    use crate::catalog::Catalog;
    use crate::catalog::relations::{Reified, TripleEnd};
    use crate::model::EntityId;
    use crate::vocab::eg;

    struct Seed {
        store: Store,
        us: NamedNode,
        hamas: NamedNode,
    }

    fn seed() -> Seed {
        Seed {
            store: crate::store::seed::seeded_in_memory(),
            us: EntityId::from_canonical_name("United States").iri(),
            hamas: EntityId::from_canonical_name("Hamas").iri(),
        }
    }

    impl Seed {
        fn contact(&self) -> Reified<'_> {
            Reified {
                subject: self.us.as_ref(),
                predicate: eg::CONTACTS_VIA,
                object: self.hamas.as_ref(),
                from: TripleEnd::Subject,
            }
        }

        /// The statements reifying the contact, through `cache`.
        fn contact_statements(&self, cache: &ReadCache) -> Vec<NamedNode> {
            let catalog = Catalog::new(&self.store).with_cache(cache);
            catalog.statements_reifying(&[self.contact()]).unwrap()[0].clone()
        }

        /// Commits `inserted` and `removed` and hands the change to `cache`.
        fn write(&self, cache: &ReadCache, inserted: Vec<Quad>, removed: Vec<Quad>) {
            for quad in &inserted {
                self.store.oxigraph().insert(quad).unwrap();
            }
            for quad in &removed {
                self.store.oxigraph().remove(quad).unwrap();
            }
            cache.take_change(&ChangeSet::listed(inserted, removed), &self.store);
        }

        /// Every quad with this subject and predicate, in any graph.
        fn quads(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Vec<Quad> {
            self.store
                .oxigraph()
                .quads_for_pattern(Some(subject.into()), Some(predicate), None, None)
                .collect::<Result<_, _>>()
                .unwrap()
        }
    }

    fn quad(s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, o: impl Into<Term>) -> Quad {
        Quad::new(s, p, o, GraphName::DefaultGraph)
    }

    #[test]
    fn a_kept_record_survives_a_write_elsewhere_and_is_dropped_by_a_label_it_shows() {
        let seed = seed();
        let cache = ReadCache::default();
        let statement = seed.contact_statements(&cache)[0].clone();
        let catalog = Catalog::new(&seed.store).with_cache(&cache);
        let record = catalog.statement(statement.as_ref()).unwrap().unwrap();
        assert!(
            cache.statement(statement.as_str()).is_some(),
            "kept once read"
        );

        let elsewhere = NamedNode::new_unchecked("https://example.org/elsewhere");
        seed.write(
            &cache,
            vec![quad(elsewhere.as_ref(), rdfs::LABEL, Literal::from("x"))],
            vec![],
        );
        assert!(
            cache.statement(statement.as_str()).is_some(),
            "a write about another resource keeps the record"
        );
        let speaker = NamedNode::new_unchecked(&record.speakers[0].iri);
        seed.write(
            &cache,
            vec![quad(speaker.as_ref(), eg::QUOTE, Literal::from("y"))],
            vec![],
        );
        assert!(
            cache.statement(statement.as_str()).is_some(),
            "a quad about the speaker that is not a label keeps the record"
        );

        let old_labels = seed.quads(speaker.as_ref(), rdfs::LABEL);
        let renamed = quad(
            speaker.as_ref(),
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked("A source", "en"),
        );
        seed.write(&cache, vec![renamed], old_labels);
        assert!(
            cache.statement(statement.as_str()).is_none(),
            "renaming the speaker drops the record that shows its label"
        );
        let reread = catalog.statement(statement.as_ref()).unwrap().unwrap();
        assert_eq!(reread.speakers[0].label, "A source");
    }

    #[test]
    fn a_quad_about_the_statement_or_its_confirmation_drops_the_record() {
        let seed = seed();
        let cache = ReadCache::default();
        let catalog = Catalog::new(&seed.store).with_cache(&cache);
        let statement = seed.contact_statements(&cache)[0].clone();
        let record = catalog.statement(statement.as_ref()).unwrap().unwrap();
        let confirmation = NamedNode::new_unchecked(&record.confirmed_by[0].statement.iri);

        seed.write(
            &cache,
            vec![quad(
                confirmation.as_ref(),
                eg::QUOTE,
                Literal::from("Quite true"),
            )],
            vec![],
        );
        assert!(
            cache.statement(statement.as_str()).is_none(),
            "the confirmation changed"
        );
        let reread = catalog.statement(statement.as_ref()).unwrap().unwrap();
        assert!(
            reread
                .confirmed_by
                .iter()
                .any(|c| c.quote.as_deref() == Some("Quite true")
                    || c.quote.as_deref() == Some("This is true"))
        );

        let old_quotes = seed.quads(statement.as_ref(), eg::QUOTE);
        seed.write(
            &cache,
            vec![quad(
                statement.as_ref(),
                eg::QUOTE,
                Literal::from("new words"),
            )],
            old_quotes,
        );
        let reread = catalog.statement(statement.as_ref()).unwrap().unwrap();
        assert_eq!(reread.quote.as_deref(), Some("new words"));
    }

    #[test]
    fn a_new_statement_of_a_kept_triple_is_seen_and_one_moved_away_is_not() {
        let seed = seed();
        let cache = ReadCache::default();
        let before = seed.contact_statements(&cache);
        assert_eq!(before.len(), 3);
        assert_eq!(cache.len().1, 1, "the triple's statements are kept");

        let added = NamedNode::new_unchecked("https://w3id.org/eventgraph/id/statement-added");
        seed.write(
            &cache,
            vec![
                quad(added.as_ref(), rdf::SUBJECT, seed.us.clone()),
                quad(
                    added.as_ref(),
                    rdf::PREDICATE,
                    eg::CONTACTS_VIA.into_owned(),
                ),
                quad(added.as_ref(), rdf::OBJECT, seed.hamas.clone()),
            ],
            vec![],
        );
        let after = seed.contact_statements(&cache);
        assert_eq!(after.len(), 4, "{after:?}");
        assert!(after.contains(&added));

        // Only the predicate changes: the subject and object come from the store.
        let moved = before[0].clone();
        seed.write(
            &cache,
            vec![quad(
                moved.as_ref(),
                rdf::PREDICATE,
                eg::INTERMEDIARY.into_owned(),
            )],
            seed.quads(moved.as_ref(), rdf::PREDICATE),
        );
        let after = seed.contact_statements(&cache);
        assert_eq!(after.len(), 3, "{after:?}");
        assert!(!after.contains(&moved));
    }

    #[test]
    fn what_was_read_before_a_write_that_touched_it_is_not_kept() {
        let seed = seed();
        let cache = ReadCache::default();
        let statement = seed.contact_statements(&cache)[0].clone();
        let record = Arc::new(
            Catalog::new(&seed.store)
                .statement(statement.as_ref())
                .unwrap()
                .unwrap(),
        );
        let speaker = NamedNode::new_unchecked(&record.speakers[0].iri);

        let ticket = cache.ticket();
        seed.write(
            &cache,
            vec![quad(
                speaker.as_ref(),
                rdfs::LABEL,
                Literal::from("renamed"),
            )],
            vec![],
        );
        cache.keep_statement(ticket, Arc::clone(&record));
        assert!(
            cache.statement(statement.as_str()).is_none(),
            "read before the rename"
        );

        let ticket = cache.ticket();
        let elsewhere = NamedNode::new_unchecked("https://example.org/elsewhere");
        seed.write(
            &cache,
            vec![quad(elsewhere.as_ref(), rdfs::LABEL, Literal::from("x"))],
            vec![],
        );
        cache.keep_statement(ticket, Arc::clone(&record));
        assert!(
            cache.statement(statement.as_str()).is_some(),
            "the write since did not touch it"
        );

        let ticket = cache.ticket();
        seed.write(
            &cache,
            vec![quad(statement.as_ref(), rdf::OBJECT, seed.us.clone())],
            vec![],
        );
        cache.keep_reifying(
            ticket,
            (
                seed.us.as_str(),
                eg::CONTACTS_VIA.as_str(),
                seed.hamas.as_str(),
            ),
            Arc::from(Vec::new()),
        );
        assert_eq!(
            cache.reifying(
                seed.us.as_str(),
                eg::CONTACTS_VIA.as_str(),
                seed.hamas.as_str()
            ),
            None,
            "a statement of the triple changed since the ticket"
        );

        let other_statement = seed.contact_statements(&cache)[1].clone();
        let other_record = Arc::new(
            Catalog::new(&seed.store)
                .statement(other_statement.as_ref())
                .unwrap()
                .unwrap(),
        );
        let ticket = cache.ticket();
        for i in 0..=RECENT_WRITES {
            let other = NamedNode::new_unchecked(format!("https://example.org/other/{i}"));
            seed.write(
                &cache,
                vec![quad(other.as_ref(), rdfs::LABEL, Literal::from("x"))],
                vec![],
            );
        }
        cache.keep_statement(ticket, other_record);
        assert!(
            cache.statement(other_statement.as_str()).is_none(),
            "a ticket older than the writes remembered keeps nothing"
        );
    }

    #[test]
    fn an_unlisted_write_empties_the_cache_and_refuses_older_tickets() {
        let seed = seed();
        let cache = ReadCache::default();
        seed.contact_statements(&cache);
        let ticket = cache.ticket();
        cache.take_change(
            &ChangeSet {
                unlisted: true,
                ..ChangeSet::default()
            },
            &seed.store,
        );
        assert_eq!(cache.len(), (0, 0));
        cache.keep_reifying(ticket, ("a", "b", "c"), Arc::from(Vec::new()));
        assert_eq!(cache.len(), (0, 0));
    }

    #[test]
    fn a_kept_label_is_dropped_by_a_write_to_its_labels_only() {
        let seed = seed();
        let cache = ReadCache::default();
        let catalog = Catalog::new(&seed.store).with_cache(&cache);
        let predicate = eg::CONTACTS_VIA;
        let label = catalog.labelled(predicate).unwrap().label;
        assert_eq!(
            cache.label(predicate.as_str()).as_deref(),
            Some(label.as_str())
        );

        seed.write(
            &cache,
            vec![quad(predicate, eg::QUOTE, Literal::from("not a label"))],
            vec![],
        );
        assert!(
            cache.label(predicate.as_str()).is_some(),
            "a quad about it that is not a label keeps it"
        );

        let ticket = cache.ticket();
        let old_labels = seed.quads(predicate, rdfs::LABEL);
        let renamed = quad(
            predicate,
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked("reaches through", "en"),
        );
        seed.write(&cache, vec![renamed], old_labels);
        assert!(
            cache.label(predicate.as_str()).is_none(),
            "renaming drops it"
        );
        cache.keep_label(ticket, predicate.as_str(), label.as_str().into());
        assert!(
            cache.label(predicate.as_str()).is_none(),
            "a label read before the renaming is not kept after it"
        );
        assert_eq!(
            catalog.labelled(predicate).unwrap().label,
            "reaches through"
        );
        assert_eq!(
            cache.label(predicate.as_str()).as_deref(),
            Some("reaches through")
        );
    }
}
