//! The edges of one node as its list of relations: counted per predicate and direction, and
//! listed in a stable order of IRIs, a page at a time.
//!
//! A relation of a node is one of its edges seen from it: `Outgoing` when the node is the
//! subject of the direct triple, `Incoming` when it is the object. Relations are ordered by
//! direction (out first), then predicate IRI, then the IRI of the node at the other end: IRIs,
//! not petgraph indices, so that a position in the list (a page's cursor) still means the same
//! after a write renumbers the nodes. A page costs O(d) for the d edges of the node plus the
//! sorting of what is listed, never a sort of all d: [`IncidentEdges::after`] selects each
//! chunk with `select_nth_unstable_by` before sorting it.
//!
//! This module reads the projection only; the statements behind each relation are the
//! catalog's (`crate::catalog`), found from the IRIs this module gives.

use std::cmp::Ordering;

use petgraph::Direction::{self as EdgeDirection, Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

use super::{Direction, PredicateId, Projection};

/// One edge of a node, seen from the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incident {
    /// `Outgoing` when the node is the subject of the triple, `Incoming` when it is the object.
    pub direction: EdgeDirection,
    /// The predicate of the triple.
    pub predicate: PredicateId,
    /// The node at the other end (the node itself for a self-loop).
    pub other: NodeIndex,
    /// The edge.
    pub edge: EdgeIndex,
}

/// How many relations have one predicate in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredicateCount {
    /// `Outgoing` or `Incoming`, from the node counted around.
    pub direction: EdgeDirection,
    /// The predicate.
    pub predicate: PredicateId,
    /// How many.
    pub count: usize,
}

/// A position in the order of relations, by IRIs: the relations strictly after it are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef<'k> {
    /// The direction of the last relation listed.
    pub direction: EdgeDirection,
    /// Its predicate's IRI.
    pub predicate: &'k str,
    /// The IRI of its other end.
    pub other: &'k str,
}

/// An incident edge with the rank of its predicate's IRI among the projection's predicates, so
/// that ordering compares one string (the other end's IRI) instead of two.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    incident: Incident,
    predicate_rank: u32,
}

/// The edges of one node that a listing asks for (a direction, some predicates).
#[derive(Debug, Clone)]
pub struct IncidentEdges<'p> {
    projection: &'p Projection,
    edges: Vec<Ranked>,
    /// The node's edges in each direction, whatever the filters, to choose the cheaper end of
    /// a triple to find its statements from.
    out_degree: usize,
    in_degree: usize,
}

impl<'p> IncidentEdges<'p> {
    /// The edges of `node` in `direction` (`Both` for all), with one of `predicates` (any for
    /// `None`). A self-loop is listed twice with `Both`, once in each direction.
    ///
    /// # Complexity
    /// O(d + P log P) for the d edges of the node and the P predicates of the projection.
    pub fn new(
        projection: &'p Projection,
        node: NodeIndex,
        direction: Direction,
        predicates: Option<&[PredicateId]>,
    ) -> Self {
        let mut by_iri: Vec<(PredicateId, &str)> = projection
            .predicates()
            .map(|(id, iri)| (id, iri.as_str()))
            .collect();
        by_iri.sort_unstable_by(|a, b| a.1.cmp(b.1));
        let rank: FxHashMap<PredicateId, u32> = by_iri
            .iter()
            .zip(0..)
            .map(|(&(id, _), rank)| (id, rank))
            .collect();
        let graph = projection.graph();
        let mut edges = Vec::new();
        let mut degrees = [0; 2];
        for (i, edge_direction) in [Outgoing, Incoming].into_iter().enumerate() {
            let wanted = match direction {
                Direction::Out => edge_direction == Outgoing,
                Direction::In => edge_direction == Incoming,
                Direction::Both => true,
            };
            for edge in graph.edges_directed(node, edge_direction) {
                degrees[i] += 1;
                let predicate = projection.relation_of(*edge.weight()).predicate;
                if !wanted || predicates.is_some_and(|p| !p.contains(&predicate)) {
                    continue;
                }
                let other = match edge_direction {
                    Outgoing => edge.target(),
                    Incoming => edge.source(),
                };
                edges.push(Ranked {
                    incident: Incident {
                        direction: edge_direction,
                        predicate,
                        other,
                        edge: edge.id(),
                    },
                    predicate_rank: rank.get(&predicate).copied().unwrap_or(u32::MAX),
                });
            }
        }
        Self {
            projection,
            edges,
            out_degree: degrees[0],
            in_degree: degrees[1],
        }
    }

    /// Keeps only the relations whose edge `keep` returns true for (a provenance filter's
    /// test), in counts and pages alike.
    ///
    /// # Complexity
    /// O(d) calls of `keep` for the d relations listed.
    pub fn retain_edges(&mut self, mut keep: impl FnMut(EdgeIndex) -> bool) {
        self.edges.retain(|ranked| keep(ranked.incident.edge));
    }

    /// How many relations are listed.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The relations per direction and predicate, in the order of the list.
    ///
    /// # Complexity
    /// O(d + P log P).
    pub fn counts(&self) -> Vec<PredicateCount> {
        count_by_predicate(
            self.projection,
            self.edges
                .iter()
                .map(|r| (r.incident.direction, r.incident.predicate)),
        )
    }

    /// The costs of finding the statements of each relation's triple from either end, for
    /// pages of `page` relations.
    pub fn end_costs(&self, page: usize) -> EndCosts<'p> {
        let listed = |direction| {
            self.edges
                .iter()
                .filter(|r| r.incident.direction == direction)
                .count()
        };
        EndCosts {
            projection: self.projection,
            out_degree: self.out_degree,
            in_degree: self.in_degree,
            shared_out: listed(Outgoing).min(page).max(1),
            shared_in: listed(Incoming).min(page).max(1),
        }
    }

    /// The relations strictly after `key` (all for `None`), in order.
    ///
    /// The first `first_chunk` come from one selection and sort, the next ones from chunks
    /// twice as large each time, so that listing k relations costs O(d + k log k) comparisons
    /// and listing all of them O(d log d).
    pub fn after(self, key: Option<KeyRef<'_>>, first_chunk: usize) -> InKeyOrder<'p> {
        let projection = self.projection;
        let mut remaining = self.edges;
        if let Some(key) = key {
            remaining
                .retain(|r| compare_to_key(projection, &r.incident, &key) == Ordering::Greater);
        }
        InKeyOrder {
            projection,
            remaining,
            chunk: Vec::new(),
            chunk_size: first_chunk.max(1),
        }
    }
}

/// Which end of a node's triples is cheaper to find their statements from, from the degrees of
/// both ends.
///
/// The statements of a triple are found by scanning those whose `rdf:subject` is its subject
/// (about as many as the subject's outgoing edges) or those whose `rdf:object` is its object
/// (as many as the object's incoming edges). The node's own end is shared by every relation
/// of a page on that side, so one scan of it serves them all: its cost is divided among them.
/// The other end serves one relation. A hub's page is found from the other ends; an ordinary
/// node's from its own, in one scan.
#[derive(Debug, Clone, Copy)]
pub struct EndCosts<'p> {
    projection: &'p Projection,
    out_degree: usize,
    in_degree: usize,
    /// How many relations of a page share the node's end as their subject (at least 1).
    shared_out: usize,
    /// How many share it as their object (at least 1).
    shared_in: usize,
}

impl EndCosts<'_> {
    /// Whether the statements of `incident`'s triple are cheaper to find from its subject than
    /// from its object; ties go to the node's own end.
    ///
    /// # Complexity
    /// O(min(d', d / k)) for the degree d' of the other end, counted no further than the
    /// node's degree d on that side divided among the k relations of a page that share it.
    pub fn cheaper_from_subject(&self, incident: &Incident) -> bool {
        let graph = self.projection.graph();
        match incident.direction {
            Outgoing => {
                let own = self.out_degree.div_ceil(self.shared_out);
                let other = graph
                    .edges_directed(incident.other, Incoming)
                    .take(own)
                    .count();
                own <= other
            }
            Incoming => {
                let own = self.in_degree.div_ceil(self.shared_in);
                let other = graph
                    .edges_directed(incident.other, Outgoing)
                    .take(own)
                    .count();
                other < own
            }
        }
    }
}

/// The relations of a node in order, chunk by chunk: see [`IncidentEdges::after`].
#[derive(Debug)]
pub struct InKeyOrder<'p> {
    projection: &'p Projection,
    /// Not listed yet, in no order.
    remaining: Vec<Ranked>,
    /// Selected and sorted, the next one last.
    chunk: Vec<Ranked>,
    chunk_size: usize,
}

impl Iterator for InKeyOrder<'_> {
    type Item = Incident;

    fn next(&mut self) -> Option<Incident> {
        if self.chunk.is_empty() {
            if self.remaining.is_empty() {
                return None;
            }
            let projection = self.projection;
            let descending = |a: &Ranked, b: &Ranked| compare(projection, b, a);
            let k = self.chunk_size.min(self.remaining.len());
            let split = self.remaining.len() - k;
            if split > 0 {
                // In descending order, the k smallest are at the end.
                self.remaining.select_nth_unstable_by(split, descending);
            }
            self.chunk = self.remaining.split_off(split);
            self.chunk.sort_unstable_by(descending);
            self.chunk_size = self.chunk_size.saturating_mul(2);
        }
        self.chunk.pop().map(|r| r.incident)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.remaining.len() + self.chunk.len();
        (n, Some(n))
    }
}

/// Counts `(direction, predicate)` pairs, in the order of relations (out first, then by
/// predicate IRI).
///
/// # Complexity
/// O(n + c log c) for n pairs of c distinct values.
pub fn count_by_predicate(
    projection: &Projection,
    pairs: impl IntoIterator<Item = (EdgeDirection, PredicateId)>,
) -> Vec<PredicateCount> {
    let mut counts: FxHashMap<(EdgeDirection, PredicateId), usize> = FxHashMap::default();
    for pair in pairs {
        *counts.entry(pair).or_default() += 1;
    }
    let mut counts: Vec<PredicateCount> = counts
        .into_iter()
        .map(|((direction, predicate), count)| PredicateCount {
            direction,
            predicate,
            count,
        })
        .collect();
    counts.sort_unstable_by(|a, b| {
        a.direction.cmp(&b.direction).then_with(|| {
            projection
                .predicate(a.predicate)
                .as_str()
                .cmp(projection.predicate(b.predicate).as_str())
        })
    });
    counts
}

/// The order of relations: direction, predicate IRI (by its rank), other end's IRI.
fn compare(projection: &Projection, a: &Ranked, b: &Ranked) -> Ordering {
    a.incident
        .direction
        .cmp(&b.incident.direction)
        .then(a.predicate_rank.cmp(&b.predicate_rank))
        .then_with(|| compare_nodes(projection, a.incident.other, b.incident.other))
}

fn compare_nodes(projection: &Projection, a: NodeIndex, b: NodeIndex) -> Ordering {
    match (projection.resource(a), projection.resource(b)) {
        (Some(a), Some(b)) => a.iri().as_str().cmp(b.iri().as_str()),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// Where a relation stands against a key.
fn compare_to_key(projection: &Projection, incident: &Incident, key: &KeyRef<'_>) -> Ordering {
    incident
        .direction
        .cmp(&key.direction)
        .then_with(|| {
            projection
                .predicate(incident.predicate)
                .as_str()
                .cmp(key.predicate)
        })
        .then_with(|| match projection.resource(incident.other) {
            Some(other) => other.iri().as_str().cmp(key.other),
            None => Ordering::Less,
        })
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphName, NamedNode, Quad};
    use proptest::prelude::*;

    use super::*;
    use crate::graph::ProjectionOptions;

    const ID: &str = "https://w3id.org/eventgraph/id/";
    const EG: &str = "https://w3id.org/eventgraph/ontology#";

    /// A star around `hub`, every IRI in its own order: `edges` are (out, predicate, other).
    fn star(edges: &[(bool, u8, u8)]) -> Projection {
        let node = |n: u8| NamedNode::new_unchecked(format!("{ID}{:02x}", n.wrapping_mul(37)));
        let predicate = |p: u8| NamedNode::new_unchecked(format!("{EG}p{}", p % 4));
        let hub = NamedNode::new_unchecked(format!("{ID}hub"));
        let mut quads = Vec::new();
        let label = NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
        for n in std::iter::once(hub.clone()).chain((0..=255).map(node)) {
            quads.push(Quad::new(
                n.clone(),
                label.clone(),
                oxigraph::model::Literal::new_simple_literal("x"),
                GraphName::DefaultGraph,
            ));
        }
        for &(out, p, other) in edges {
            let (s, o) = if out {
                (hub.clone(), node(other))
            } else {
                (node(other), hub.clone())
            };
            quads.push(Quad::new(s, predicate(p), o, GraphName::DefaultGraph));
        }
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default())
    }

    fn key_of(projection: &Projection, incident: &Incident) -> (EdgeDirection, String, String) {
        (
            incident.direction,
            projection.predicate(incident.predicate).as_str().to_owned(),
            projection
                .resource(incident.other)
                .map(|r| r.iri().as_str().to_owned())
                .unwrap_or_default(),
        )
    }

    proptest! {
        #[test]
        fn chunks_list_every_relation_once_in_the_order_of_a_full_sort(
            edges in proptest::collection::vec((any::<bool>(), 0u8..4, any::<u8>()), 0..300),
            first_chunk in 1usize..50,
            cut in 0usize..300,
        ) {
            let projection = star(&edges);
            let hub = projection.node(NamedNode::new_unchecked(format!("{ID}hub")).as_ref()).unwrap();
            let all = IncidentEdges::new(&projection, hub, Direction::Both, None);
            let mut expected: Vec<_> = all.clone().after(None, usize::MAX).map(|i| key_of(&projection, &i)).collect();
            let listed: Vec<_> = all.clone().after(None, first_chunk).map(|i| key_of(&projection, &i)).collect();
            let mut sorted = expected.clone();
            sorted.sort();
            prop_assert_eq!(&expected, &sorted, "one chunk is a full sort");
            prop_assert_eq!(&listed, &expected);
            expected.dedup();
            prop_assert_eq!(expected.len(), listed.len(), "no relation twice");
            // Resuming after any relation lists exactly the ones after it.
            if let Some(at) = listed.get(cut) {
                let key = KeyRef { direction: at.0, predicate: &at.1, other: &at.2 };
                let rest: Vec<_> = all.after(Some(key), first_chunk).map(|i| key_of(&projection, &i)).collect();
                prop_assert_eq!(&rest[..], &listed[cut + 1..]);
            }
        }
    }

    #[test]
    fn counts_and_filters_follow_direction_and_predicate() {
        let projection = star(&[(true, 0, 1), (true, 0, 2), (false, 0, 3), (true, 1, 4)]);
        let hub = projection
            .node(NamedNode::new_unchecked(format!("{ID}hub")).as_ref())
            .unwrap();
        let counts: Vec<_> = IncidentEdges::new(&projection, hub, Direction::Both, None)
            .counts()
            .iter()
            .map(|c| {
                (
                    c.direction,
                    projection.predicate(c.predicate).as_str().to_owned(),
                    c.count,
                )
            })
            .collect();
        assert_eq!(
            counts,
            [
                (Outgoing, format!("{EG}p0"), 2),
                (Outgoing, format!("{EG}p1"), 1),
                (Incoming, format!("{EG}p0"), 1)
            ]
        );
        let p0 = projection
            .predicate_id(NamedNode::new_unchecked(format!("{EG}p0")).as_ref())
            .unwrap();
        let only = IncidentEdges::new(&projection, hub, Direction::In, Some(&[p0]));
        assert_eq!(only.len(), 1);
        assert!(
            IncidentEdges::new(&projection, hub, Direction::Out, Some(&[]))
                .after(None, 10)
                .next()
                .is_none()
        );
    }

    #[test]
    fn the_cheaper_end_of_a_triple_is_the_other_one_for_a_hub_and_the_own_one_for_a_full_page() {
        let edges: Vec<_> = (0..50).map(|n| (n % 2 == 0, 0, n)).collect();
        let projection = star(&edges);
        let hub = projection
            .node(NamedNode::new_unchecked(format!("{ID}hub")).as_ref())
            .unwrap();
        let incident = IncidentEdges::new(&projection, hub, Direction::Both, None);
        // Pages of 5: each scan of the hub's 25 statements on a side would serve 5 relations,
        // 5 statements each, more than the partner's one.
        let costs = incident.end_costs(5);
        for relation in incident.clone().after(None, 100) {
            let from_subject = costs.cheaper_from_subject(&relation);
            assert_eq!(
                from_subject,
                relation.direction == Incoming,
                "the hub's partner is the cheaper end: {relation:?}"
            );
        }
        // Pages of 25: one scan of the hub's side serves all, one statement each.
        let costs = incident.end_costs(25);
        for relation in incident.after(None, 100) {
            let from_subject = costs.cheaper_from_subject(&relation);
            assert_eq!(
                from_subject,
                relation.direction == Outgoing,
                "the hub's own end is as cheap: {relation:?}"
            );
        }
    }
}
