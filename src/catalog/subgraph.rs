//! What the store says about a subgraph: the dates of its events, the statements behind its
//! edges, and the quads that describe it, for exports.
//!
//! The projection (`crate::graph`) knows nodes and edges; the dates of events (`eg:date`,
//! `eg:notBefore`, `eg:notAfter`) and the statements that reify each direct triple
//! (`rdf:subject`, `rdf:predicate`, `rdf:object`, with `eg:statedOn` and `eg:quote`) are in
//! the store, and are read here by index for the nodes and edges asked about, never by a full
//! scan. The statements of a subject are read once for all of its edges, so a hub with
//! thousands of edges costs one pass over its statements, not one per edge. This module only
//! reads; it takes IRIs, not projection indices, so it does not depend on `graph`.

use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    NamedNode, NamedNodeRef, NamedOrBlankNode, QuadRef, Term, TermRef, Triple, TripleRef,
};
use oxigraph::store::StorageError;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Catalog, CatalogError};
use crate::vocab::eg;

/// When an event happened, as far as the source says: both ends the same day for an exactly
/// dated event, one or both open for a bounded one, neither for an undated resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dates {
    /// `eg:date`, else `eg:notBefore` (lexical `xsd:date`).
    pub start: Option<String>,
    /// `eg:date`, else `eg:notAfter`.
    pub end: Option<String>,
}

/// A statement behind an edge, in short: what exports write of it and what provenance
/// filters judge it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFacts {
    /// The statement node.
    pub iri: NamedNode,
    /// `eg:statedOn`, else `eg:statedNotBefore`.
    pub date: Option<String>,
    /// `eg:statedOn`, else `eg:statedNotAfter`: the latest day it can have been made, which
    /// `as_of` compares.
    pub stated_until: Option<String>,
    /// `eg:quote`.
    pub quote: Option<String>,
    /// `eg:source`, sorted.
    pub sources: Vec<NamedNode>,
    /// `eg:speaker`, sorted.
    pub speakers: Vec<NamedNode>,
    /// `eg:modality`.
    pub modality: Option<NamedNode>,
}

/// What one statement's own quads say, gathered as they are read.
#[derive(Default)]
struct Parts {
    subject: Option<NamedNode>,
    predicates: Vec<NamedNode>,
    objects: Vec<Term>,
    stated_on: Option<String>,
    not_before: Option<String>,
    not_after: Option<String>,
    quote: Option<String>,
    sources: Vec<NamedNode>,
    speakers: Vec<NamedNode>,
    modality: Option<NamedNode>,
}

impl Parts {
    /// Takes in one property of the statement; of several literal values the smallest, as a
    /// reader one statement at a time sees them first.
    fn take(&mut self, predicate: NamedNodeRef<'_>, object: Term) {
        let least = |slot: &mut Option<String>, term: &Term| {
            if let Term::Literal(literal) = term {
                let value = literal.value();
                if slot.as_deref().is_none_or(|current| value < current) {
                    *slot = Some(value.to_owned());
                }
            }
        };
        let add = |list: &mut Vec<NamedNode>, term: Term| {
            if let Term::NamedNode(node) = term
                && !list.contains(&node)
            {
                list.push(node);
            }
        };
        if predicate == rdf::SUBJECT {
            if let Term::NamedNode(node) = object {
                self.subject = Some(node);
            }
        } else if predicate == rdf::PREDICATE {
            add(&mut self.predicates, object);
        } else if predicate == rdf::OBJECT {
            if !self.objects.contains(&object) {
                self.objects.push(object);
            }
        } else if predicate == eg::STATED_ON {
            least(&mut self.stated_on, &object);
        } else if predicate == eg::STATED_NOT_BEFORE {
            least(&mut self.not_before, &object);
        } else if predicate == eg::STATED_NOT_AFTER {
            least(&mut self.not_after, &object);
        } else if predicate == eg::QUOTE {
            least(&mut self.quote, &object);
        } else if predicate == eg::SOURCE {
            add(&mut self.sources, object);
        } else if predicate == eg::SPEAKER {
            add(&mut self.speakers, object);
        } else if predicate == eg::MODALITY
            && let Term::NamedNode(node) = object
            && self.modality.as_ref().is_none_or(|m| node < *m)
        {
            self.modality = Some(node);
        }
    }

    fn facts(&self, iri: NamedNode) -> StatementFacts {
        let mut sources = self.sources.clone();
        sources.sort();
        let mut speakers = self.speakers.clone();
        speakers.sort();
        StatementFacts {
            iri,
            date: self.stated_on.clone().or_else(|| self.not_before.clone()),
            stated_until: self.stated_on.clone().or_else(|| self.not_after.clone()),
            quote: self.quote.clone(),
            sources,
            speakers,
            modality: self.modality.clone(),
        }
    }

    /// The facts filed under every triple the statement reifies.
    fn file(&self, iri: &NamedNode, by_triple: &mut FxHashMap<Triple, Vec<StatementFacts>>) {
        let Some(subject) = &self.subject else {
            return;
        };
        let facts = self.facts(iri.clone());
        for predicate in &self.predicates {
            for object in &self.objects {
                let list = by_triple
                    .entry(Triple::new(
                        subject.clone(),
                        predicate.clone(),
                        object.clone(),
                    ))
                    .or_default();
                if !list.iter().any(|s| s.iri == facts.iri) {
                    list.push(facts.clone());
                }
            }
        }
    }
}

impl Catalog<'_> {
    /// The dates of an event (none for anything undated).
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn dates(&self, iri: NamedNodeRef<'_>) -> Result<Dates, CatalogError> {
        if let Some(date) = self.first_literal(iri, eg::DATE)? {
            return Ok(Dates {
                start: Some(date.clone()),
                end: Some(date),
            });
        }
        Ok(Dates {
            start: self.first_literal(iri, eg::NOT_BEFORE)?,
            end: self.first_literal(iri, eg::NOT_AFTER)?,
        })
    }

    /// Every statement reifying a triple with this subject, by the triple it reifies, each
    /// list sorted by statement IRI.
    ///
    /// # Complexity
    /// One index read of each statement of the subject, and of its quads.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_of_subject(
        &self,
        subject: NamedNodeRef<'_>,
    ) -> Result<FxHashMap<Triple, Vec<StatementFacts>>, CatalogError> {
        let mut by_triple: FxHashMap<Triple, Vec<StatementFacts>> = FxHashMap::default();
        for quad in self.store.oxigraph().quads_for_pattern(
            None,
            Some(rdf::SUBJECT),
            Some(subject.into()),
            None,
        ) {
            let NamedOrBlankNode::NamedNode(statement) = quad?.subject else {
                continue;
            };
            let mut parts = self.statement_parts(statement.as_ref())?;
            parts.subject = Some(subject.into_owned());
            parts.file(&statement, &mut by_triple);
        }
        for list in by_triple.values_mut() {
            list.sort_by(|a, b| a.iri.cmp(&b.iri));
        }
        Ok(by_triple)
    }

    /// What a statement's own quads say, in one read of them.
    fn statement_parts(&self, statement: NamedNodeRef<'_>) -> Result<Parts, CatalogError> {
        let mut parts = Parts::default();
        for quad in
            self.store
                .oxigraph()
                .quads_for_pattern(Some(statement.into()), None, None, None)
        {
            let quad = quad?;
            parts.take(quad.predicate.as_ref(), quad.object);
        }
        Ok(parts)
    }

    /// Every statement whose `rdf:subject` is one of `subjects`, by the triple it reifies:
    /// [`Catalog::statements_of_subject`] for many subjects at once, reading each statement
    /// predicate's quads in one sequential scan instead of a read per statement —
    /// faster once the subjects hold a good part of the statements of the store.
    ///
    /// # Complexity
    /// Ten scans, each of every quad with one of the statement predicates.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_of_subjects(
        &self,
        subjects: &FxHashSet<NamedNode>,
    ) -> Result<FxHashMap<Triple, Vec<StatementFacts>>, CatalogError> {
        let store = self.store.oxigraph();
        let mut parts: FxHashMap<NamedNode, Parts> = FxHashMap::default();
        for quad in store.quads_for_pattern(None, Some(rdf::SUBJECT), None, None) {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(statement), Term::NamedNode(subject)) =
                (quad.subject, quad.object)
            {
                if subjects.contains(&subject) {
                    parts.entry(statement).or_default().subject = Some(subject);
                }
            }
        }
        for predicate in [
            rdf::PREDICATE,
            rdf::OBJECT,
            eg::STATED_ON,
            eg::STATED_NOT_BEFORE,
            eg::STATED_NOT_AFTER,
            eg::QUOTE,
            eg::SOURCE,
            eg::SPEAKER,
            eg::MODALITY,
        ] {
            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                let quad = quad?;
                if let NamedOrBlankNode::NamedNode(statement) = &quad.subject
                    && let Some(found) = parts.get_mut(statement)
                {
                    found.take(predicate, quad.object);
                }
            }
        }
        let mut by_triple: FxHashMap<Triple, Vec<StatementFacts>> = FxHashMap::default();
        for (statement, found) in &parts {
            found.file(statement, &mut by_triple);
        }
        for list in by_triple.values_mut() {
            list.sort_by(|a, b| a.iri.cmp(&b.iri));
        }
        Ok(by_triple)
    }

    /// Calls `sink` with every quad that describes a subgraph, in any graph: for each node its
    /// `rdf:type`s and its literal properties (labels, aliases, dates, ...); for each edge its
    /// direct triple, in every graph that asserts it; and for each statement given, every
    /// quad whose subject it is (its provenance). A node's links to resources outside the
    /// subgraph are left out; a statement's are kept (its sources and speakers, by IRI).
    ///
    /// # Complexity
    /// One index read per node, edge and statement, plus the quads read.
    ///
    /// # Errors
    /// The first error of `sink`, or a storage error converted into `E`.
    pub fn for_each_subgraph_quad<'n, E: From<StorageError>>(
        &self,
        nodes: impl IntoIterator<Item = NamedNodeRef<'n>>,
        edges: impl IntoIterator<Item = TripleRef<'n>>,
        statements: impl IntoIterator<Item = NamedNodeRef<'n>>,
        mut sink: impl FnMut(QuadRef<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let store = self.store.oxigraph();
        for node in nodes {
            for quad in store.quads_for_pattern(Some(node.into()), None, None, None) {
                let quad = quad?;
                if quad.predicate.as_ref() == rdf::TYPE
                    || matches!(quad.object.as_ref(), TermRef::Literal(_))
                {
                    sink(quad.as_ref())?;
                }
            }
        }
        for triple in edges {
            for quad in store.quads_for_pattern(
                Some(triple.subject),
                Some(triple.predicate),
                Some(triple.object),
                None,
            ) {
                sink(quad?.as_ref())?;
            }
        }
        for statement in statements {
            for quad in store.quads_for_pattern(Some(statement.into()), None, None, None) {
                sink(quad?.as_ref())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn seeded() -> Store {
        crate::store::seed::seeded_in_memory()
    }

    fn id(uuid: &str) -> NamedNode {
        NamedNode::new(format!("{}{uuid}", crate::vocab::id::BASE)).unwrap()
    }

    #[test]
    fn statements_of_a_subject_are_grouped_by_the_triple_they_reify() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let us = crate::model::EntityId::from_canonical_name("United States").iri();
        let hamas = crate::model::EntityId::from_canonical_name("Hamas").iri();
        let by_triple = catalog.statements_of_subject(us.as_ref()).unwrap();
        let contact = Triple::new(us.clone(), eg::CONTACTS_VIA, hamas);
        let statements = &by_triple[&contact];
        assert!(!statements.is_empty());
        assert!(statements.iter().all(|s| s.date.is_some()));
        assert!(
            statements
                .iter()
                .any(|s| s.quote.as_deref().is_some_and(|q| q.contains("Qatar")))
        );
    }

    #[test]
    fn statements_of_many_subjects_are_those_of_each_subject() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let names = ["United States", "Hamas", "Israel"];
        let subjects: FxHashSet<NamedNode> = names
            .iter()
            .map(|n| crate::model::EntityId::from_canonical_name(n).iri())
            .collect();
        let mut one_by_one = FxHashMap::default();
        for subject in &subjects {
            one_by_one.extend(catalog.statements_of_subject(subject.as_ref()).unwrap());
        }
        assert!(!one_by_one.is_empty());
        assert_eq!(
            catalog.statements_of_subjects(&subjects).unwrap(),
            one_by_one
        );
    }

    #[test]
    fn an_undated_resource_has_no_dates() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        assert_eq!(
            catalog
                .dates(id("00000000-0000-0000-0000-000000000000").as_ref())
                .unwrap(),
            Dates::default()
        );
        let war = crate::model::EntityId::from_canonical_name("Operation Iron Swords").iri();
        assert!(catalog.dates(war.as_ref()).unwrap().start.is_some());
    }
}
