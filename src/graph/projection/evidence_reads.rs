//! Reading the evidence of edges (`evidence.rs`) for a build — from the store in one SPARQL
//! pass over the statements plus index scans of publishers and event dates, or from quads —
//! and for a refresh, the statements of the triples a write touched (through `Reads`, so
//! that what the prefetch read ahead is answered from memory).
//!
//! A build finds the edge of each statement's triple in a hash table of (subject, object,
//! predicate) made for the pass and dropped after it; a refresh finds it as the refresh
//! finds edges (`find_edge`).

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNodeRef, QuadRef, Term};
use oxigraph::store::StorageError;
use petgraph::stable_graph::EdgeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use rustc_hash::{FxHashMap, FxHashSet};

use super::evidence::{StatementFacts, event_days, facts_of, iri_of, publisher_of, statements_in};
use super::prefetch::Reads;
use super::{PredicateId, Projection};
use crate::vocab::{self, eg};

/// The statements pass: every statement's triple and provenance, one row per combination of
/// its values (a statement has one of each in the ontology).
pub(super) fn statements_query() -> String {
    format!(
        "SELECT ?s ?p ?o ?src ?speaker ?on ?na ?mod ?c WHERE {{ \
         ?st a {statement} ; {subject} ?s ; {predicate} ?p ; {object} ?o . \
         OPTIONAL {{ ?st {source} ?src }} OPTIONAL {{ ?st {speaker} ?speaker }} \
         OPTIONAL {{ ?st {on} ?on }} OPTIONAL {{ ?st {na} ?na }} \
         OPTIONAL {{ ?st {modality} ?mod }} \
         BIND(EXISTS {{ {{ ?st {by} ?x }} UNION {{ ?st {confirms} ?x }} }} AS ?c) }}",
        statement = eg::STATEMENT,
        subject = rdf::SUBJECT,
        predicate = rdf::PREDICATE,
        object = rdf::OBJECT,
        source = eg::SOURCE,
        speaker = eg::SPEAKER,
        on = eg::STATED_ON,
        na = eg::STATED_NOT_AFTER,
        modality = eg::MODALITY,
        by = eg::CONFIRMED_BY,
        confirms = eg::CONFIRMS,
    )
}

/// The edges of a fresh build by (subject, object, predicate), for the build's passes.
struct EdgesByTriple<'p> {
    projection: &'p Projection,
    edges: FxHashMap<(u32, u32, PredicateId), EdgeIndex>,
}

impl<'p> EdgesByTriple<'p> {
    fn new(projection: &'p Projection) -> Self {
        let mut edges = FxHashMap::default();
        edges.reserve(projection.graph.edge_count());
        for edge in (&projection.graph).edge_references() {
            let predicate = projection.relation_of(*edge.weight()).predicate;
            edges.insert(
                (
                    edge.source().index() as u32,
                    edge.target().index() as u32,
                    predicate,
                ),
                edge.id(),
            );
        }
        Self { projection, edges }
    }

    fn find(&self, (s, p, o): (&str, &str, &str)) -> Option<EdgeIndex> {
        let s = self.projection.node_of(s)?;
        let o = self.projection.node_of(o)?;
        let p = PredicateId(self.projection.predicates.get(p)?);
        self.edges
            .get(&(s.index() as u32, o.index() as u32, p))
            .copied()
    }
}

impl Projection {
    /// Reads the evidence of every edge and the days of every event from the store, after
    /// the build of the graph.
    pub(super) fn read_evidence(
        &mut self,
        store: &oxigraph::store::Store,
    ) -> Result<(), StorageError> {
        let mut table = std::mem::take(&mut self.evidence);
        table.start_build();
        for predicate in [vocab::publisher::DCTERMS, vocab::publisher::SCHEMA] {
            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                let quad = quad?;
                if let (oxigraph::model::NamedOrBlankNode::NamedNode(doc), Some(publisher)) =
                    (&quad.subject, iri_of(&quad.object))
                {
                    table.add_publisher(doc.as_str(), publisher);
                }
            }
        }
        let mut found: Vec<(EdgeIndex, u32)> = Vec::new();
        {
            let edges = EdgesByTriple::new(self);
            let text = statements_query();
            for solution in super::build::passes::select(store, &text, true)? {
                let solution = solution.map_err(super::build::passes::storage_error)?;
                let iri = |i: usize| match solution.get(i) {
                    Some(Term::NamedNode(node)) => Some(Box::<str>::from(node.as_str())),
                    _ => None,
                };
                let day = |i: usize| match solution.get(i) {
                    Some(Term::Literal(literal)) => crate::model::day_number(literal.value()),
                    _ => None,
                };
                // One row: one value of each field (an unbound one is absent).
                let bound = |i: usize| solution.get(i).is_some();
                let facts = StatementFacts {
                    subjects: iri(0).into_iter().collect(),
                    predicates: iri(1).into_iter().collect(),
                    objects: iri(2).into_iter().collect(),
                    sources: iri(3).into_iter().collect(),
                    speakers: iri(4).into_iter().collect(),
                    stated_on: if bound(5) { vec![day(5)] } else { Vec::new() },
                    not_after: if bound(6) { vec![day(6)] } else { Vec::new() },
                    modalities: iri(7).into_iter().collect(),
                    confirmed: matches!(solution.get(8), Some(Term::Literal(l)) if l.value() == "true"),
                    statement: true,
                };
                let Some(edge) = facts.triples().first().and_then(|&t| edges.find(t)) else {
                    continue;
                };
                for id in table.intern(&facts, &[]) {
                    found.push((edge, id));
                }
            }
        }
        set_grouped(&mut table, found);
        self.evidence = table;
        self.read_days(store)?;
        self.evidence.finish_build();
        Ok(())
    }

    fn read_days(&mut self, store: &oxigraph::store::Store) -> Result<(), StorageError> {
        let mut by_node: FxHashMap<u32, Vec<oxigraph::model::Quad>> = FxHashMap::default();
        for predicate in [eg::DATE, eg::NOT_BEFORE, eg::NOT_AFTER] {
            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                let quad = quad?;
                if let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &quad.subject
                    && let Some(node) = self.node_of(subject.as_str())
                {
                    by_node.entry(node.index() as u32).or_default().push(quad);
                }
            }
        }
        for (node, quads) in by_node {
            let days = event_days(quads.iter().map(oxigraph::model::Quad::as_ref));
            self.evidence.set_days(node, days);
        }
        Ok(())
    }

    /// Reads the evidence of every edge and the days of every event from the quads a
    /// projection was built from.
    pub(super) fn evidence_from_quads<'a>(
        &mut self,
        quads: impl IntoIterator<Item = QuadRef<'a>> + Clone,
    ) {
        let mut table = std::mem::take(&mut self.evidence);
        table.start_build();
        let mut publishers: FxHashMap<&str, Vec<QuadRef<'a>>> = FxHashMap::default();
        let mut dated: FxHashMap<u32, Vec<QuadRef<'a>>> = FxHashMap::default();
        for quad in quads.clone() {
            let oxigraph::model::NamedOrBlankNodeRef::NamedNode(subject) = quad.subject else {
                continue;
            };
            if super::evidence::is_publisher_predicate(quad.predicate) {
                publishers.entry(subject.as_str()).or_default().push(quad);
            } else if super::evidence::is_date_predicate(quad.predicate)
                && let Some(node) = self.node_of(subject.as_str())
            {
                dated.entry(node.index() as u32).or_default().push(quad);
            }
        }
        let mut documents: Vec<_> = publishers.into_iter().collect();
        documents.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (document, quads) in documents {
            if let Some(publisher) = publisher_of(quads) {
                table.add_publisher(document, &publisher);
            }
        }
        let mut found = Vec::new();
        {
            let edges = EdgesByTriple::new(self);
            for facts in statements_in(quads) {
                let triples = facts.triples();
                let found_edges: Vec<EdgeIndex> =
                    triples.iter().filter_map(|&t| edges.find(t)).collect();
                if found_edges.is_empty() {
                    continue;
                }
                let ids = table.intern(&facts, &[]);
                for edge in found_edges {
                    found.extend(ids.iter().map(|&id| (edge, id)));
                }
            }
        }
        set_grouped(&mut table, found);
        for (node, quads) in dated {
            table.set_days(node, event_days(quads));
        }
        self.evidence = table;
        self.evidence.finish_build();
    }

    /// Brings the evidence in step after a write: the publishers of `documents`, the days of
    /// `dated`, and the evidence of the edges of the triples the `statements` reify (now, or
    /// before the write as `old_triples` says) and of the `new_edges`.
    pub(super) fn refresh_evidence(
        &mut self,
        store: &Reads<'_>,
        statements: &[&str],
        old_triples: &[(&str, &str, &str)],
        new_edges: &[EdgeIndex],
        documents: &[&str],
        dated: &[&str],
    ) -> Result<(), StorageError> {
        for &document in documents {
            let quads = store.about(document)?;
            let publisher = publisher_of(quads.iter().map(oxigraph::model::Quad::as_ref));
            self.evidence.set_publisher(document, publisher.as_deref());
        }
        for &iri in dated {
            if let Some(node) = self.node_of(iri) {
                let quads = store.about(iri)?;
                let days = event_days(quads.iter().map(oxigraph::model::Quad::as_ref));
                self.evidence.set_days(node.index() as u32, days);
            }
        }
        let mut edges: FxHashSet<EdgeIndex> = new_edges.iter().copied().collect();
        for &(s, p, o) in old_triples {
            if let Some(edge) = self.find_edge(s, NamedNodeRef::new_unchecked(p), o) {
                edges.insert(edge);
            }
        }
        for &statement in statements {
            let facts = facts_of(&store.about(statement)?);
            for (s, p, o) in facts.named_triples() {
                if let Some(edge) = self.find_edge(s, NamedNodeRef::new_unchecked(p), o) {
                    edges.insert(edge);
                }
            }
        }
        let mut edges: Vec<EdgeIndex> = edges.into_iter().collect();
        edges.sort_unstable();
        let known_sources = self.evidence.source_count();
        for edge in edges {
            self.reread_evidence(store, edge)?;
        }
        // Documents first met now: their publishers (a build reads every document's).
        for id in known_sources..self.evidence.source_count() {
            let document = self.evidence.source_iri(id).to_owned();
            let quads = store.about(&document)?;
            let publisher = publisher_of(quads.iter().map(oxigraph::model::Quad::as_ref));
            self.evidence.set_publisher(&document, publisher.as_deref());
        }
        Ok(())
    }

    /// Re-reads the statements of one edge's triple, from the end with fewer edges.
    fn reread_evidence(&mut self, store: &Reads<'_>, edge: EdgeIndex) -> Result<(), StorageError> {
        let Some((s, o, relation)) = self.relation(edge) else {
            self.evidence.clear(edge);
            return Ok(());
        };
        let (Some(subject), Some(object)) = (self.resource(s), self.resource(o)) else {
            return Ok(());
        };
        let subject = subject.iri().as_str().to_owned();
        let object = object.iri().as_str().to_owned();
        let predicate = self.predicate(relation.predicate).as_str().to_owned();
        let from_subject = self
            .graph
            .edges_directed(s, petgraph::Direction::Outgoing)
            .count()
            <= self
                .graph
                .edges_directed(o, petgraph::Direction::Incoming)
                .count();
        let reifying = store.reifying(&subject, &predicate, &object, from_subject)?;
        let before = self.evidence.ids(edge);
        let mut ids = Vec::with_capacity(reifying.len());
        for quad in reifying.iter() {
            let oxigraph::model::NamedOrBlankNode::NamedNode(statement) = &quad.subject else {
                continue;
            };
            let facts = facts_of(&store.about(statement.as_str())?);
            if facts.reifies((&subject, &predicate, &object)) {
                for id in self
                    .evidence
                    .intern(&facts, &[&before[..], &ids[..]].concat())
                {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        self.evidence.set(edge, ids);
        Ok(())
    }
}

/// Sets each edge's evidence from (edge, id) pairs in any order.
fn set_grouped(table: &mut super::evidence::EvidenceTable, mut found: Vec<(EdgeIndex, u32)>) {
    found.sort_unstable();
    found.dedup();
    for group in found.chunk_by(|a, b| a.0 == b.0) {
        table.set(group[0].0, group.iter().map(|&(_, id)| id).collect());
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::sparql::SparqlEvaluator;

    #[test]
    fn the_statements_query_parses() {
        let query = super::statements_query();
        assert!(
            SparqlEvaluator::new().parse_query(&query).is_ok(),
            "{query}"
        );
    }
}
