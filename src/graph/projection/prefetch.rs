//! The store reads a refresh will make, made before it: [`Projection::prefetch`] walks a
//! committed write's quads as [`Projection::refresh`] will, without changing anything, and
//! keeps what each read answered, so that the refresh — which runs with the read models
//! locked against readers — finds its answers in memory instead of seeking in RocksDB (a seek
//! into blocks not yet cached costs a read from disk, a refresh several seeks). The prefetch
//! needs only shared access to the projection, so readers keep answering while it runs.
//!
//! Answers kept are exact, not a guess: the prefetch and the refresh run for the same write,
//! with the writer's lock held from the commit to the end of the refresh, so the store does not
//! change between them. A read the prefetch did not foresee (a resource reached only through
//! another one that enters the projection) is made against the store, as without it.

use std::borrow::Cow;
use std::cell::Cell;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNodeRef, Quad, QuadRef, Term, TermRef};
use oxigraph::store::StorageError;
use rustc_hash::FxHashMap;

use super::Projection;
use super::evidence::{
    StatementFacts, facts_of, is_date_predicate, is_publisher_predicate, is_statement_predicate,
};
use super::intern::{resource_of_object, resource_of_subject};
use crate::graph::ProjectionError;
use crate::store::Store;

/// One read a refresh makes, by what it asks of the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Pattern {
    /// `<iri> rdf:type ?class` in any graph.
    Types(Box<str>),
    /// `<iri> rdfs:label ?label` in any graph.
    Labels(Box<str>),
    /// Every quad whose subject is `<iri>`.
    About(Box<str>),
    /// Every quad whose object is `<iri>`.
    Mentioning(Box<str>),
    /// The quads of one triple, in every graph.
    Triple(Box<str>, Box<str>, Box<str>),
    /// The statements reifying one triple: a quad of each (`?statement rdf:subject <s>`, or
    /// `rdf:object <o>`, whichever end it was found from).
    Reifying(Box<str>, Box<str>, Box<str>),
}

/// The answers of the reads a refresh will make, read ahead of it.
#[derive(Debug, Default)]
pub struct Prefetched {
    answers: FxHashMap<Pattern, Vec<Quad>>,
}

impl Prefetched {
    /// How many reads were made ahead.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether no read was made ahead.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// The refresh's way to the store: from what was prefetched, else from the store itself.
pub(super) struct Reads<'a> {
    store: &'a oxigraph::store::Store,
    prefetched: &'a Prefetched,
    /// Reads the prefetch did not answer.
    missed: Cell<usize>,
}

impl<'a> Reads<'a> {
    pub(super) fn new(store: &'a oxigraph::store::Store, prefetched: &'a Prefetched) -> Self {
        Self {
            store,
            prefetched,
            missed: Cell::new(0),
        }
    }

    /// How many reads went to the store so far, past what was prefetched.
    pub(super) fn missed(&self) -> usize {
        self.missed.get()
    }

    /// The store itself, for the reads no prefetch covers (the class hierarchy).
    pub(super) fn store(&self) -> &'a oxigraph::store::Store {
        self.store
    }

    pub(super) fn types(&self, iri: &str) -> Result<Cow<'a, [Quad]>, StorageError> {
        self.answer(Pattern::Types(iri.into()))
    }

    pub(super) fn labels(&self, iri: &str) -> Result<Cow<'a, [Quad]>, StorageError> {
        self.answer(Pattern::Labels(iri.into()))
    }

    pub(super) fn about(&self, iri: &str) -> Result<Cow<'a, [Quad]>, StorageError> {
        self.answer(Pattern::About(iri.into()))
    }

    pub(super) fn mentioning(&self, iri: &str) -> Result<Cow<'a, [Quad]>, StorageError> {
        self.answer(Pattern::Mentioning(iri.into()))
    }

    pub(super) fn triple(
        &self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
    ) -> Result<Cow<'a, [Quad]>, StorageError> {
        self.answer(Pattern::Triple(
            subject.into(),
            predicate.as_str().into(),
            object.into(),
        ))
    }

    /// The statements reifying a triple, found from its subject (`from_subject`) or its
    /// object when not prefetched (the answer is the same; only its cost differs).
    pub(super) fn reifying(
        &self,
        subject: &str,
        predicate: &str,
        object: &str,
        from_subject: bool,
    ) -> Result<Cow<'a, [Quad]>, StorageError> {
        let pattern = Pattern::Reifying(subject.into(), predicate.into(), object.into());
        match self.prefetched.answers.get(&pattern) {
            Some(quads) => Ok(Cow::Borrowed(quads)),
            None => {
                self.missed.set(self.missed.get() + 1);
                let node = NamedNodeRef::new_unchecked;
                reifying(
                    self.store,
                    node(subject),
                    node(predicate),
                    node(object),
                    from_subject,
                )
                .map(Cow::Owned)
            }
        }
    }

    fn answer(&self, pattern: Pattern) -> Result<Cow<'a, [Quad]>, StorageError> {
        match self.prefetched.answers.get(&pattern) {
            Some(quads) => Ok(Cow::Borrowed(quads)),
            None => {
                self.missed.set(self.missed.get() + 1);
                read(self.store, &pattern).map(Cow::Owned)
            }
        }
    }
}

/// Asks the store.
fn read(store: &oxigraph::store::Store, pattern: &Pattern) -> Result<Vec<Quad>, StorageError> {
    let node = NamedNodeRef::new_unchecked;
    let quads = match pattern {
        Pattern::Types(iri) => {
            store.quads_for_pattern(Some(node(iri).into()), Some(rdf::TYPE), None, None)
        }
        Pattern::Labels(iri) => {
            store.quads_for_pattern(Some(node(iri).into()), Some(rdfs::LABEL), None, None)
        }
        Pattern::About(iri) => store.quads_for_pattern(Some(node(iri).into()), None, None, None),
        Pattern::Mentioning(iri) => {
            store.quads_for_pattern(None, None, Some(node(iri).into()), None)
        }
        Pattern::Triple(s, p, o) => store.quads_for_pattern(
            Some(node(s).into()),
            Some(NamedNodeRef::new_unchecked(p)),
            Some(node(o).into()),
            None,
        ),
        Pattern::Reifying(s, p, o) => return reifying(store, node(s), node(p), node(o), true),
    };
    quads.collect()
}

/// The statements reifying `s p o`, as [`Pattern::Reifying`] says.
fn reifying(
    store: &oxigraph::store::Store,
    s: NamedNodeRef<'_>,
    p: NamedNodeRef<'_>,
    o: NamedNodeRef<'_>,
    from_subject: bool,
) -> Result<Vec<Quad>, StorageError> {
    let (end, end_term, others) = if from_subject {
        (rdf::SUBJECT, s, [(rdf::PREDICATE, p), (rdf::OBJECT, o)])
    } else {
        (rdf::OBJECT, o, [(rdf::SUBJECT, s), (rdf::PREDICATE, p)])
    };
    let mut found = Vec::new();
    for quad in store.quads_for_pattern(None, Some(end), Some(end_term.into()), None) {
        let quad = quad?;
        let mut matches = true;
        for (predicate, value) in others {
            let mut quads = store.quads_for_pattern(
                Some(quad.subject.as_ref()),
                Some(predicate),
                Some(value.into()),
                None,
            );
            matches &= quads.next().transpose()?.is_some();
        }
        if matches {
            found.push(quad);
        }
    }
    Ok(found)
}

impl Projection {
    /// Makes ahead the store reads that [`Projection::refresh_prefetched`] will make for a
    /// write that inserted or removed `changed`, changing nothing. Call it after the write
    /// committed, with no other write in between.
    ///
    /// It follows the refresh: a triple's graphs; for an end that is not a node yet, its
    /// classes and labels, and — when it will enter the projection — every quad about it; for
    /// a resource whose type or label changed, the same. Never more than the refresh reads,
    /// so a write to a hub costs no read of the hub's relations.
    ///
    /// # Errors
    /// [`ProjectionError::Storage`] when the store cannot be read.
    pub fn prefetch<'a>(
        &self,
        store: &Store,
        changed: impl IntoIterator<Item = QuadRef<'a>>,
    ) -> Result<Prefetched, ProjectionError> {
        let mut ahead = Ahead {
            projection: self,
            store: store.oxigraph(),
            answers: FxHashMap::default(),
        };
        for quad in changed {
            if quad.predicate == rdfs::SUB_CLASS_OF {
                continue;
            }
            let Some(subject) = resource_of_subject(quad.subject) else {
                continue;
            };
            if is_statement_predicate(quad) {
                ahead.statement(subject, quad)?;
            } else if is_publisher_predicate(quad.predicate) || is_date_predicate(quad.predicate) {
                ahead.fetch(Pattern::About(subject.into()))?;
            }
            if quad.predicate == rdf::TYPE || quad.predicate == rdfs::LABEL {
                ahead.resource(subject)?;
            } else if let Some(object) = resource_of_object(quad.object) {
                ahead.triple(subject, quad.predicate, object)?;
            }
        }
        Ok(Prefetched {
            answers: ahead.answers,
        })
    }
}

/// A prefetch under way.
struct Ahead<'p> {
    projection: &'p Projection,
    store: &'p oxigraph::store::Store,
    answers: FxHashMap<Pattern, Vec<Quad>>,
}

/// What the classes and labels of a resource say of it, as the refresh will judge.
struct Judged {
    described: bool,
    excluded: bool,
}

impl Ahead<'_> {
    fn fetch(&mut self, pattern: Pattern) -> Result<&[Quad], StorageError> {
        if !self.answers.contains_key(&pattern) {
            let quads = read(self.store, &pattern)?;
            self.answers.insert(pattern.clone(), quads);
        }
        Ok(self.answers.get(&pattern).map_or(&[], Vec::as_slice))
    }

    /// Reads a resource's classes and labels, as `describe` does.
    fn judge(&mut self, iri: &str) -> Result<Judged, StorageError> {
        let options = self.projection.options;
        let types = self.fetch(Pattern::Types(iri.into()))?;
        let excluded = types.iter().any(|quad| match &quad.object {
            Term::NamedNode(class) => options.excludes(class.as_ref()),
            _ => false,
        });
        let typed = !types.is_empty();
        let labelled = !self.fetch(Pattern::Labels(iri.into()))?.is_empty();
        Ok(Judged {
            described: typed || labelled,
            excluded,
        })
    }

    /// The reads of the evidence of a triple's edge: its statements and what each says, and
    /// the publishers of documents the projection does not know yet (as
    /// `reread_evidence`).
    fn evidence(
        &mut self,
        subject: &str,
        predicate: &str,
        object: &str,
    ) -> Result<(), StorageError> {
        let from_subject = match (
            self.projection.node_of(subject),
            self.projection.node_of(object),
        ) {
            (Some(s), Some(o)) => {
                self.projection
                    .graph
                    .edges_directed(s, petgraph::Direction::Outgoing)
                    .count()
                    <= self
                        .projection
                        .graph
                        .edges_directed(o, petgraph::Direction::Incoming)
                        .count()
            }
            _ => true,
        };
        let pattern = Pattern::Reifying(subject.into(), predicate.into(), object.into());
        if !self.answers.contains_key(&pattern) {
            let node = NamedNodeRef::new_unchecked;
            let quads = reifying(
                self.store,
                node(subject),
                node(predicate),
                node(object),
                from_subject,
            )?;
            self.answers.insert(pattern.clone(), quads);
        }
        let statements: Vec<Box<str>> = self.answers[&pattern]
            .iter()
            .filter_map(|quad| match &quad.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(st) => Some(st.as_str().into()),
                oxigraph::model::NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        for statement in statements {
            self.statement_source(&statement)?;
        }
        Ok(())
    }

    /// Reads a statement's quads, and its document's when the projection does not know it.
    fn statement_source(&mut self, statement: &str) -> Result<StatementFacts, StorageError> {
        let facts = facts_of(self.fetch(Pattern::About(statement.into()))?);
        for source in &facts.sources {
            if self
                .projection
                .source_id(NamedNodeRef::new_unchecked(source))
                .is_none()
            {
                self.fetch(Pattern::About(source.as_ref().into()))?;
            }
        }
        Ok(facts)
    }

    /// The reads of a statement a write changed: its quads, and the evidence of the triples
    /// it reifies now and, for a part the write changed, reified before.
    fn statement(&mut self, statement: &str, quad: QuadRef<'_>) -> Result<(), StorageError> {
        let facts = self.statement_source(statement)?;
        let triples: Vec<(String, String, String)> = facts
            .named_triples()
            .into_iter()
            .map(|(s, p, o)| (s.to_owned(), p.to_owned(), o.to_owned()))
            .collect();
        for (s, p, o) in triples {
            self.evidence(&s, &p, &o)?;
            if let TermRef::NamedNode(old) = quad.object {
                let old = old.as_str();
                let triple = if quad.predicate == rdf::SUBJECT {
                    Some((old, p.as_str(), o.as_str()))
                } else if quad.predicate == rdf::PREDICATE {
                    Some((s.as_str(), old, o.as_str()))
                } else if quad.predicate == rdf::OBJECT {
                    Some((s.as_str(), p.as_str(), old))
                } else {
                    None
                };
                if let Some((s, p, o)) = triple
                    && self
                        .projection
                        .find_edge(s, NamedNodeRef::new_unchecked(p), o)
                        .is_some()
                {
                    self.evidence(s, p, o)?;
                }
            }
        }
        Ok(())
    }

    /// The reads of a resource whose own triples the refresh will read again.
    fn enter(&mut self, iri: &str) -> Result<(), StorageError> {
        self.fetch(Pattern::About(iri.into()))?;
        self.fetch(Pattern::Mentioning(iri.into()))?;
        Ok(())
    }

    /// As `refresh_resource`.
    fn resource(&mut self, iri: &str) -> Result<(), StorageError> {
        let judged = self.judge(iri)?;
        let node = self.projection.node_of(iri);
        let enters = match node {
            Some(node) => {
                !judged.excluded && self.projection.graph[node].described() != judged.described
            }
            None => !judged.excluded,
        };
        if enters {
            self.enter(iri)?;
        }
        Ok(())
    }

    /// As `refresh_triple`.
    fn triple(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
    ) -> Result<(), StorageError> {
        let present = !self
            .fetch(Pattern::Triple(
                subject.into(),
                predicate.as_str().into(),
                object.into(),
            ))?
            .is_empty();
        // The refresh looks the subject up first, whatever the triple's graphs.
        let source = self.projection.node_of(subject);
        let subject_described = match source {
            Some(node) => self.projection.graph[node].described(),
            None => {
                let judged = self.judge(subject)?;
                judged.described && !judged.excluded
            }
        };
        if !present || !subject_described {
            return Ok(());
        }
        if self
            .projection
            .find_edge(subject, predicate, object)
            .is_some()
        {
            return Ok(());
        }
        let target_excluded = match self.projection.node_of(object) {
            Some(_) => false,
            None => self.judge(object)?.excluded,
        };
        if target_excluded {
            return Ok(());
        }
        if source.is_none() {
            self.enter(subject)?;
        }
        if self.projection.node_of(object).is_none() {
            self.enter(object)?;
        }
        // The edge is new: the refresh reads its evidence.
        self.evidence(subject, predicate.as_str(), object)
    }
}
