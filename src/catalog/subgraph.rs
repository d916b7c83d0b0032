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

/// A statement behind an edge, in short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFacts {
    /// The statement node.
    pub iri: NamedNode,
    /// `eg:statedOn`, else `eg:statedNotBefore`.
    pub date: Option<String>,
    /// `eg:quote`.
    pub quote: Option<String>,
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
    /// Five index reads per statement of the subject.
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
            let predicates = self.objects(statement.as_ref(), rdf::PREDICATE)?;
            let objects = self.objects(statement.as_ref(), rdf::OBJECT)?;
            let date = match self.first_literal(statement.as_ref(), eg::STATED_ON)? {
                Some(date) => Some(date),
                None => self.first_literal(statement.as_ref(), eg::STATED_NOT_BEFORE)?,
            };
            let quote = self.first_literal(statement.as_ref(), eg::QUOTE)?;
            for predicate in &predicates {
                let Term::NamedNode(predicate) = predicate else {
                    continue;
                };
                for object in &objects {
                    let facts = StatementFacts {
                        iri: statement.clone(),
                        date: date.clone(),
                        quote: quote.clone(),
                    };
                    let list = by_triple
                        .entry(Triple::new(subject, predicate.clone(), object.clone()))
                        .or_default();
                    if !list.iter().any(|s| s.iri == facts.iri) {
                        list.push(facts);
                    }
                }
            }
        }
        for list in by_triple.values_mut() {
            list.sort_by(|a, b| a.iri.cmp(&b.iri));
        }
        Ok(by_triple)
    }

    /// Every statement whose `rdf:subject` is one of `subjects`, by the triple it reifies:
    /// [`Catalog::statements_of_subject`] for many subjects at once, reading each statement
    /// predicate's quads in one sequential scan instead of five index reads per statement —
    /// faster once the subjects hold a good part of the statements of the store.
    ///
    /// # Complexity
    /// Six scans, each of every quad with one of the statement predicates.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_of_subjects(
        &self,
        subjects: &FxHashSet<NamedNode>,
    ) -> Result<FxHashMap<Triple, Vec<StatementFacts>>, CatalogError> {
        /// What the scans found of one statement.
        #[derive(Default)]
        struct Parts {
            subject: Option<NamedNode>,
            predicates: Vec<NamedNode>,
            objects: Vec<Term>,
            stated_on: Option<String>,
            not_before: Option<String>,
            quote: Option<String>,
        }
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
        let scan = |predicate,
                    parts: &mut FxHashMap<NamedNode, Parts>,
                    keep: &dyn Fn(&mut Parts, Term)|
         -> Result<(), CatalogError> {
            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                let quad = quad?;
                if let NamedOrBlankNode::NamedNode(statement) = &quad.subject {
                    if let Some(found) = parts.get_mut(statement) {
                        keep(found, quad.object);
                    }
                }
            }
            Ok(())
        };
        let literal = |term: Term| match term {
            Term::Literal(literal) => Some(literal.value().to_owned()),
            _ => None,
        };
        // Of several values, the smallest, as `first_literal` reads them one statement at a time.
        let least = |slot: &mut Option<String>, value: Option<String>| {
            if let Some(value) = value {
                if slot.as_ref().is_none_or(|current| value < *current) {
                    *slot = Some(value);
                }
            }
        };
        scan(rdf::PREDICATE, &mut parts, &|found, term| {
            if let Term::NamedNode(predicate) = term {
                if !found.predicates.contains(&predicate) {
                    found.predicates.push(predicate);
                }
            }
        })?;
        scan(rdf::OBJECT, &mut parts, &|found, term| {
            if !found.objects.contains(&term) {
                found.objects.push(term);
            }
        })?;
        scan(eg::STATED_ON, &mut parts, &|found, term| {
            least(&mut found.stated_on, literal(term));
        })?;
        scan(eg::STATED_NOT_BEFORE, &mut parts, &|found, term| {
            least(&mut found.not_before, literal(term));
        })?;
        scan(eg::QUOTE, &mut parts, &|found, term| {
            least(&mut found.quote, literal(term));
        })?;
        let mut by_triple: FxHashMap<Triple, Vec<StatementFacts>> = FxHashMap::default();
        for (statement, found) in parts {
            let Some(subject) = found.subject else {
                continue;
            };
            let date = found.stated_on.or(found.not_before);
            for predicate in &found.predicates {
                for object in &found.objects {
                    by_triple
                        .entry(Triple::new(
                            subject.clone(),
                            predicate.clone(),
                            object.clone(),
                        ))
                        .or_default()
                        .push(StatementFacts {
                            iri: statement.clone(),
                            date: date.clone(),
                            quote: found.quote.clone(),
                        });
                }
            }
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
