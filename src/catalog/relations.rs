//! The relations of a resource, a page at a time, each with the statements that report it.
//!
//! A relation is a distinct direct triple between the resource asked about and another
//! resource, named by its [`RelationKey`] (direction, predicate IRI, other IRI): pages list
//! relations in key order, and a page ends with the key of its last relation, from which the
//! next page starts. Keys are IRIs, so a position still means the same after a write.
//!
//! The caller gives the [`Candidate`]s in key order: from the projection in memory for the
//! entities and events of the graph (the HTTP edge adapts `graph::IncidentEdges`), or from
//! the store ([`Catalog::relation_keys`]) for any other resource, such as a source document.
//! [`Catalog::relation_page`] then reads from the store only what the page shows: the
//! statements reifying each of its triples, found in a few batched index reads
//! ([`Catalog::statements_reifying`]) from whichever end of each triple has fewer
//! statements, and each of those statements once. Under a date filter it also reads the dates
//! of the statements of the candidates it examines, and examines a bounded number of them
//! ([`MAX_EXAMINED_PER_LIMIT`]).
//!
//! This module only reads, and knows nothing of the projection: it takes IRIs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Catalog, CatalogError, Direction, LabelMemo, Labelled, StatementRecord, local_name};
use crate::model::EntityId;
use crate::vocab::eg;

/// A page under a date filter examines at most this many candidates per relation it may list
/// (and at least [`MIN_EXAMINED`]), so that a filter few relations pass costs a bounded read;
/// the page then ends early, shorter than its limit, with a cursor where it stopped.
pub const MAX_EXAMINED_PER_LIMIT: usize = 10;

/// The fewest candidates a page under a date filter examines before it may stop short.
pub const MIN_EXAMINED: usize = 1000;

/// The fewest candidates whose dates are read in one batch under a date filter.
const MIN_BATCH: usize = 32;

/// One relation of a resource, with the statements that report it.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The predicate.
    pub predicate: Labelled,
    /// Which way it points.
    pub direction: Direction,
    /// The entity at the other end.
    pub entity: Labelled,
    /// The other end's types.
    pub entity_types: Vec<Labelled>,
    /// The statements reporting this triple, by IRI; empty for a triple no statement reports.
    pub statements: Vec<Arc<StatementRecord>>,
}

/// The position of a relation in the order of relations: direction (out first), predicate
/// IRI, the other end's IRI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelationKey {
    /// Which way the triple points from the resource.
    pub direction: Direction,
    /// Its predicate.
    pub predicate: NamedNode,
    /// Its other end.
    pub other: NamedNode,
}

/// The end of a triple its statements are found from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TripleEnd {
    /// The statements whose `rdf:subject` is the triple's subject.
    Subject,
    /// The statements whose `rdf:object` is the triple's object.
    Object,
}

/// A direct triple whose statements are wanted, with the end to find them from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reified<'a> {
    /// The subject.
    pub subject: NamedNodeRef<'a>,
    /// The predicate.
    pub predicate: NamedNodeRef<'a>,
    /// The object.
    pub object: NamedNodeRef<'a>,
    /// The end with fewer statements, as far as the caller knows.
    pub from: TripleEnd,
}

/// A relation a page may list, as the caller knows it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its key.
    pub key: RelationKey,
    /// The other end, labelled, when the caller knows it (else read from the store).
    pub entity: Option<Labelled>,
    /// The other end's classes, when the caller knows them (else read from the store).
    pub entity_types: Option<Vec<NamedNode>>,
    /// The end of the triple to find its statements from.
    pub from: TripleEnd,
}

impl Candidate {
    /// A relation known only by its key, its statements found from the resource's own end
    /// (every relation of a page shares it, so one index scan serves them all).
    pub fn from_own_end(key: RelationKey) -> Self {
        Self {
            from: match key.direction {
                Direction::Out => TripleEnd::Subject,
                Direction::In => TripleEnd::Object,
            },
            key,
            entity: None,
            entity_types: None,
        }
    }
}

/// What a page holds: at most `limit` relations, each with a statement dated within
/// `since..=until` when those are given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// The most relations a page lists.
    pub limit: usize,
    /// Only relations with a statement dated on or after this day (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only relations with a statement dated on or before this day.
    pub until: Option<String>,
}

impl PageRequest {
    /// Whether a date filter is asked for.
    pub fn filters_dates(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether a statement's date (`eg:statedOn`, else `eg:statedNotAfter`) passes the date
    /// filter; an undated statement passes only when there is none.
    pub fn admits(&self, date: Option<&str>) -> bool {
        let after_since = self
            .since
            .as_deref()
            .is_none_or(|since| date.is_some_and(|d| d >= since));
        let before_until = self
            .until
            .as_deref()
            .is_none_or(|until| date.is_some_and(|d| d <= until));
        after_since && before_until
    }
}

/// One page of relations.
#[derive(Debug, Clone)]
pub struct RelationPage {
    /// The relations, in key order.
    pub relations: Vec<Relation>,
    /// Where the next page starts: the key of the last relation examined, when candidates
    /// remain after it; `None` on the last page.
    pub next: Option<RelationKey>,
}

/// Whether a predicate IRI is the one a filter names: the IRI itself or its local name
/// (`contactsVia` for `eg:contactsVia`).
pub fn names_predicate(iri: &str, name: &str) -> bool {
    iri == name || local_name(iri) == name
}

/// How many relations have one predicate in one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationCount {
    /// The direction.
    pub direction: Direction,
    /// The predicate.
    pub predicate: NamedNode,
    /// How many.
    pub count: usize,
}

/// Counts the keys per direction and predicate, in key order.
pub fn count_keys(keys: &[RelationKey]) -> Vec<RelationCount> {
    let mut counts: BTreeMap<(Direction, &NamedNode), usize> = BTreeMap::new();
    for key in keys {
        *counts.entry((key.direction, &key.predicate)).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((direction, predicate), count)| RelationCount {
            direction,
            predicate: predicate.clone(),
            count,
        })
        .collect()
}

/// Predicates that tie a statement to what it reports or to its telling, never relations.
const REIFYING: &[NamedNodeRef<'static>] = &[
    rdf::TYPE,
    rdf::SUBJECT,
    rdf::OBJECT,
    rdf::PREDICATE,
    eg::SOURCE,
    eg::SPEAKER,
    eg::CONFIRMED_BY,
    eg::CONFIRMS,
];

impl Catalog<'_> {
    /// Every relation between `iri` and another resource under the id base, read from the
    /// store (statements, `rdf:type` and the predicates tying statements to what they report
    /// left out), distinct, in key order.
    ///
    /// # Complexity
    /// One index scan per direction, and one type lookup per distinct triple.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn relation_keys(
        &self,
        iri: NamedNodeRef<'_>,
        directions: &[Direction],
    ) -> Result<Vec<RelationKey>, CatalogError> {
        let mut keys = BTreeSet::new();
        let store = self.store.oxigraph();
        if directions.contains(&Direction::Out) {
            for quad in store.quads_for_pattern(Some(iri.into()), None, None, None) {
                let quad = quad?;
                if let Term::NamedNode(object) = quad.object {
                    keys.insert(RelationKey {
                        direction: Direction::Out,
                        predicate: quad.predicate,
                        other: object,
                    });
                }
            }
        }
        if directions.contains(&Direction::In) {
            for quad in store.quads_for_pattern(None, None, Some(iri.into()), None) {
                let quad = quad?;
                if let NamedOrBlankNode::NamedNode(subject) = quad.subject {
                    keys.insert(RelationKey {
                        direction: Direction::In,
                        predicate: quad.predicate,
                        other: subject,
                    });
                }
            }
        }
        let mut relations = Vec::with_capacity(keys.len());
        let mut statements: FxHashMap<NamedNode, bool> = FxHashMap::default();
        for key in keys {
            if REIFYING.contains(&key.predicate.as_ref())
                || EntityId::from_iri(key.other.as_str()).is_none()
            {
                continue;
            }
            let is_statement = match statements.get(&key.other) {
                Some(&known) => known,
                None => {
                    let known = self.is_statement(key.other.as_ref())?;
                    statements.insert(key.other.clone(), known);
                    known
                }
            };
            if !is_statement {
                relations.push(key);
            }
        }
        Ok(relations)
    }

    /// The statements reifying each triple (`?st rdf:subject s; rdf:predicate p; rdf:object
    /// o`), sorted by IRI, in the order of `triples`.
    ///
    /// The triples are grouped by the end they are found from, and each group costs one scan
    /// of the `rdf:subject` (or `rdf:object`) index for its end, then a few lookups per
    /// statement found there (its other end and predicate); so a page of a hub's relations,
    /// found from their other ends, never scans the hub's statements.
    ///
    /// # Complexity
    /// O(Σ s(e) · min(t(e), 4)) index reads for the s(e) statements of each distinct end e
    /// scanned and the t(e) triples found from it.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_reifying(
        &self,
        triples: &[Reified<'_>],
    ) -> Result<Vec<Vec<NamedNode>>, CatalogError> {
        let Some(cache) = self.cache else {
            return self.read_statements_reifying(triples);
        };
        fn key<'t>(t: &Reified<'t>) -> (&'t str, &'t str, &'t str) {
            (t.subject.as_str(), t.predicate.as_str(), t.object.as_str())
        }
        let mut found: Vec<Option<Vec<NamedNode>>> = triples
            .iter()
            .map(|t| {
                let (s, p, o) = key(t);
                cache.reifying(s, p, o).map(|known| known.to_vec())
            })
            .collect();
        let missing: Vec<usize> = (0..triples.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let asked: Vec<Reified<'_>> = missing.iter().map(|&i| triples[i]).collect();
            let ticket = cache.ticket();
            for (i, statements) in missing
                .into_iter()
                .zip(self.read_statements_reifying(&asked)?)
            {
                cache.keep_reifying(ticket, key(&triples[i]), statements.as_slice().into());
                found[i] = Some(statements);
            }
        }
        Ok(found.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn read_statements_reifying(
        &self,
        triples: &[Reified<'_>],
    ) -> Result<Vec<Vec<NamedNode>>, CatalogError> {
        // (scanned end, its IRI) → the other end → (predicate, index of the triple).
        type Wanted<'t> = FxHashMap<&'t str, Vec<(NamedNodeRef<'t>, usize)>>;
        let mut groups: FxHashMap<(TripleEnd, &str), Wanted<'_>> = FxHashMap::default();
        for (i, triple) in triples.iter().enumerate() {
            let (end, other) = match triple.from {
                TripleEnd::Subject => (triple.subject, triple.object),
                TripleEnd::Object => (triple.object, triple.subject),
            };
            groups
                .entry((triple.from, end.as_str()))
                .or_default()
                .entry(other.as_str())
                .or_default()
                .push((triple.predicate, i));
        }
        let mut found: Vec<Vec<NamedNode>> = vec![Vec::new(); triples.len()];
        let store = self.store.oxigraph();
        // Sorted, so that the reads happen in the same order on every call.
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for ((from, end), wanted) in groups {
            let (scanned, other_role) = match from {
                TripleEnd::Subject => (rdf::SUBJECT, rdf::OBJECT),
                TripleEnd::Object => (rdf::OBJECT, rdf::SUBJECT),
            };
            let end = NamedNodeRef::new_unchecked(end);
            let mut seen = FxHashSet::default();
            for quad in store.quads_for_pattern(None, Some(scanned), Some(end.into()), None) {
                let NamedOrBlankNode::NamedNode(statement) = quad?.subject else {
                    continue;
                };
                if !seen.insert(statement.clone()) {
                    continue;
                }
                // A few other ends are checked by lookups that read nothing when they miss, as
                // most do (the other statements of the end are about other triples); many are
                // matched against the statement's one other end, read once.
                let others: Vec<&str> = if wanted.len() <= 4 {
                    let mut others = Vec::new();
                    for &other in wanted.keys() {
                        let other_node = NamedNodeRef::new_unchecked(other);
                        if self.holds(statement.as_ref(), other_role, other_node)? {
                            others.push(other);
                        }
                    }
                    others
                } else {
                    self.objects(statement.as_ref(), other_role)?
                        .iter()
                        .filter_map(|term| match term {
                            Term::NamedNode(other) => {
                                wanted.get_key_value(other.as_str()).map(|(&k, _)| k)
                            }
                            _ => None,
                        })
                        .collect()
                };
                for other in others {
                    for &(predicate, i) in wanted.get(other).into_iter().flatten() {
                        if self.holds(statement.as_ref(), rdf::PREDICATE, predicate)? {
                            found[i].push(statement.clone());
                        }
                    }
                }
            }
        }
        for statements in &mut found {
            statements.sort_unstable();
            statements.dedup();
        }
        Ok(found)
    }

    /// Whether the store holds `subject predicate object` in some graph.
    fn holds(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: NamedNodeRef<'_>,
    ) -> Result<bool, CatalogError> {
        Ok(self
            .store
            .oxigraph()
            .quads_for_pattern(
                Some(subject.into()),
                Some(predicate),
                Some(object.into()),
                None,
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// One page of the relations of `iri` from `candidates`, which must come in key order and
    /// name relations of `iri`.
    ///
    /// Without a date filter the page is the first `limit` candidates. With one, candidates
    /// are examined in key order, their statements' dates read in batches, and a relation is
    /// listed when one of its statements passes ([`PageRequest::admits`]); after examining
    /// `max(limit × MAX_EXAMINED_PER_LIMIT, MIN_EXAMINED)` candidates the page ends where it
    /// stopped, shorter than `limit`, possibly empty, with a `next` key to go on from.
    /// Each statement of the page is then read once, with its provenance.
    ///
    /// # Complexity
    /// O(k) candidates pulled for k examined, plus the reads of
    /// [`Catalog::statements_reifying`] for them (and two per statement under a date filter),
    /// one scan per statement listed, and one label read per distinct resource the labels
    /// handed in do not know (predicates, documents, ontology terms: a few per page).
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn relation_page(
        &self,
        iri: NamedNodeRef<'_>,
        candidates: impl IntoIterator<Item = Candidate>,
        request: &PageRequest,
    ) -> Result<RelationPage, CatalogError> {
        let limit = request.limit.max(1);
        let filters = request.filters_dates();
        let bound = if filters {
            limit
                .saturating_mul(MAX_EXAMINED_PER_LIMIT)
                .max(MIN_EXAMINED)
        } else {
            limit
        };
        let mut candidates = candidates.into_iter().peekable();
        let mut kept: Vec<(Candidate, Vec<NamedNode>)> = Vec::new();
        let mut examined = 0;
        let mut last_examined: Option<RelationKey> = None;
        let mut left_in_batch = false;
        while kept.len() < limit && examined < bound && !left_in_batch {
            let want = if filters {
                (limit - kept.len()).max(MIN_BATCH)
            } else {
                limit - kept.len()
            };
            let batch: Vec<Candidate> = candidates
                .by_ref()
                .take(want.min(bound - examined))
                .collect();
            if batch.is_empty() {
                break;
            }
            let triples: Vec<Reified<'_>> = batch.iter().map(|c| reified(iri, c)).collect();
            let statements = self.statements_reifying(&triples)?;
            let mut batch = batch.into_iter().zip(statements);
            for (candidate, statements) in batch.by_ref() {
                examined += 1;
                last_examined = Some(candidate.key.clone());
                if !filters || self.any_admitted(&statements, request)? {
                    kept.push((candidate, statements));
                    if kept.len() == limit {
                        break;
                    }
                }
            }
            left_in_batch = batch.next().is_some();
        }
        let more = left_in_batch || candidates.peek().is_some();
        let memo = LabelMemo::default();
        let catalog = Catalog {
            memo: Some(&memo),
            ..*self
        };
        let mut relations = Vec::with_capacity(kept.len());
        for (candidate, statements) in kept {
            relations.push(catalog.relation(candidate, &statements)?);
        }
        Ok(RelationPage {
            relations,
            next: if more { last_examined } else { None },
        })
    }

    /// A relation as a page shows it.
    fn relation(
        &self,
        candidate: Candidate,
        statements: &[NamedNode],
    ) -> Result<Relation, CatalogError> {
        let label_of = |iri: &NamedNode| self.labelled(iri.as_ref());
        let key = candidate.key;
        let types = match candidate.entity_types {
            Some(types) => types,
            None => self
                .objects(key.other.as_ref(), rdf::TYPE)?
                .into_iter()
                .filter_map(|t| match t {
                    Term::NamedNode(class) => Some(class),
                    _ => None,
                })
                .collect(),
        };
        let entity_types = types.iter().map(label_of).collect::<Result<Vec<_>, _>>()?;
        let predicate = label_of(&key.predicate)?;
        let entity = match candidate.entity {
            Some(entity) => entity,
            None => self.labelled(key.other.as_ref())?,
        };
        let mut records = Vec::with_capacity(statements.len());
        for statement in statements {
            if let Some(record) = self.shared_statement(statement.as_ref())? {
                records.push(record);
            }
        }
        Ok(Relation {
            predicate,
            direction: key.direction,
            entity,
            entity_types,
            statements: records,
        })
    }

    /// Whether one of `statements` is dated within the request's date filter.
    fn any_admitted(
        &self,
        statements: &[NamedNode],
        request: &PageRequest,
    ) -> Result<bool, CatalogError> {
        for statement in statements {
            if request.admits(self.stated_date(statement.as_ref())?.as_deref()) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// When a statement was made, for date filters: `eg:statedOn`, else `eg:statedNotAfter`.
    fn stated_date(&self, statement: NamedNodeRef<'_>) -> Result<Option<String>, CatalogError> {
        match self.first_literal(statement, eg::STATED_ON)? {
            Some(date) => Ok(Some(date)),
            None => self.first_literal(statement, eg::STATED_NOT_AFTER),
        }
    }
}

/// The triple of a candidate relation of `iri`.
fn reified<'a>(iri: NamedNodeRef<'a>, candidate: &'a Candidate) -> Reified<'a> {
    let (subject, object) = match candidate.key.direction {
        Direction::Out => (iri, candidate.key.other.as_ref()),
        Direction::In => (candidate.key.other.as_ref(), iri),
    };
    Reified {
        subject,
        predicate: candidate.key.predicate.as_ref(),
        object,
        from: candidate.from,
    }
}
