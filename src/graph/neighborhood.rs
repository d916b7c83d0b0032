//! Neighbourhoods: what lies within a few hops of a node, and what `max_nodes` left out.
//!
//! A breadth-first search over [`Neighbours`], its distances in a pooled dense map
//! ([`Marks`]); the answer's node list is its queue.

use std::ops::ControlFlow;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::incident::{PredicateCount, count_by_predicate};
use super::marks::Marks;
use super::{Direction, Neighbours, Projection};

/// The part of a graph a traversal reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph<N, E> {
    /// The nodes reached, each with its distance in hops from the start, in breadth-first
    /// order (the start first, at distance 0).
    pub nodes: Vec<(N, usize)>,
    /// The edges followed between two of those nodes, in the order they were met.
    pub edges: Vec<E>,
    /// Whether `max_nodes` stopped the traversal before it reached everything within `depth`.
    pub truncated: bool,
    /// The edges `max_nodes` left out: each edge met while expanding a kept node (given first)
    /// whose other end could not be kept, in the order they were met. Edges beyond `depth`
    /// are not in it: they were never met.
    pub cut: Vec<(N, E)>,
}

/// The nodes within `depth` hops of `start`, following edges in `direction`, and the edges
/// between them, breadth first, up to `max_nodes` nodes (the start included).
///
/// Neighbours are expanded in the order of (node, edge), so the result is the same on every
/// call. `edges` holds every edge met while expanding the nodes closer than `depth` whose other
/// end was kept: the breadth-first tree and the cross edges among those nodes, but not the
/// edges between two nodes at exactly `depth`. When `max_nodes` is reached no node is added,
/// the nodes already queued are still expanded for the edges among kept nodes, `truncated` is
/// set and each edge to a node left out is kept in `cut`. Filter predicates by passing a
/// [`View`](super::View) or an [`AdjacencyView`](super::AdjacencyView). A start node that is
/// not in the graph yields only itself.
///
/// # Complexity
/// O(n + m) for the n nodes kept and the m edges met around the nodes expanded, on an
/// [`Adjacency`](super::Adjacency); O(n + m log m) on a petgraph graph, whose edges are sorted
/// node by node. Independent of the size of the whole graph.
pub fn neighborhood<G: Neighbours>(
    graph: G,
    start: G::Node,
    depth: usize,
    direction: Direction,
    max_nodes: usize,
) -> Subgraph<G::Node, G::Edge> {
    let mut result = Subgraph {
        nodes: Vec::new(),
        edges: Vec::new(),
        truncated: false,
        cut: Vec::new(),
    };
    if max_nodes == 0 {
        result.truncated = true;
        return result;
    }
    // Each node kept, with its position in `result.nodes`.
    let mut position = Marks::take(graph.node_bound());
    let mut buffer = Vec::new();
    position.set(graph.index_of(start), 0);
    result.nodes.push((start, 0));
    let mut next = 0;
    while let Some(&(node, d)) = result.nodes.get(next) {
        // Breadth first: every node after this one is as far or farther.
        if d >= depth {
            break;
        }
        let here = next;
        next += 1;
        let Subgraph {
            nodes,
            edges,
            truncated,
            cut,
        } = &mut result;
        let _ = graph.each_neighbour(node, direction, &mut buffer, |other, edge| {
            let at = graph.index_of(other);
            match position.get(at) {
                Some(p) => {
                    let p = p as usize;
                    // Following both directions, an edge is met from both of its ends: it was
                    // listed when its other end, expanded earlier, met it. One direction meets
                    // an edge from one end only.
                    if direction != Direction::Both || p >= here {
                        edges.push(edge);
                    }
                }
                None if nodes.len() < max_nodes => {
                    // A position is below the number of nodes, which u32 indices bound.
                    position.set(at, u32::try_from(nodes.len()).unwrap_or(u32::MAX));
                    nodes.push((other, d + 1));
                    edges.push(edge);
                }
                None => {
                    *truncated = true;
                    cut.push((node, edge));
                }
            }
            ControlFlow::Continue(())
        });
    }
    result
}

/// The edges a neighbourhood of the projection left out, counted per predicate and per
/// direction from the kept node (`Outgoing` when the kept node is the subject), in the order
/// of relations (out first, then by predicate IRI).
///
/// # Complexity
/// O(c + k log k) for the c edges cut, of k distinct (direction, predicate) pairs.
pub fn cut_counts(projection: &Projection, cut: &[(NodeIndex, EdgeIndex)]) -> Vec<PredicateCount> {
    use petgraph::Direction::{Incoming, Outgoing};
    count_by_predicate(
        projection,
        cut.iter().filter_map(|&(kept, edge)| {
            let (subject, _, relation) = projection.relation(edge)?;
            let direction = if subject == kept { Outgoing } else { Incoming };
            Some((direction, relation.predicate))
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::hash::Hash;

    use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
    use petgraph::visit::IntoEdgesDirected;
    use proptest::prelude::*;
    use rustc_hash::{FxHashMap, FxHashSet};

    use super::*;
    use crate::graph::sorted_neighbours;

    /// The neighbourhood as first written here, with a queue, a hash map of distances and a
    /// hash set of the edges listed: the reference for the search above.
    fn reference<G>(
        graph: G,
        start: G::NodeId,
        depth: usize,
        direction: Direction,
        max_nodes: usize,
    ) -> Subgraph<G::NodeId, G::EdgeId>
    where
        G: IntoEdgesDirected,
        G::NodeId: Ord + Hash,
        G::EdgeId: Ord + Hash,
    {
        let mut result = Subgraph {
            nodes: Vec::new(),
            edges: Vec::new(),
            truncated: false,
            cut: Vec::new(),
        };
        if max_nodes == 0 {
            result.truncated = true;
            return result;
        }
        let mut distance: FxHashMap<G::NodeId, usize> = FxHashMap::default();
        let mut edges_seen: FxHashSet<G::EdgeId> = FxHashSet::default();
        let mut queue = VecDeque::new();
        let mut around = Vec::new();
        distance.insert(start, 0);
        result.nodes.push((start, 0));
        queue.push_back((start, 0));
        while let Some((node, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            sorted_neighbours(graph, node, direction, &mut around);
            for &(other, edge) in &around {
                let kept = match distance.get(&other) {
                    Some(_) => true,
                    None if result.nodes.len() < max_nodes => {
                        distance.insert(other, d + 1);
                        result.nodes.push((other, d + 1));
                        queue.push_back((other, d + 1));
                        true
                    }
                    None => {
                        result.truncated = true;
                        result.cut.push((node, edge));
                        false
                    }
                };
                if kept && edges_seen.insert(edge) {
                    result.edges.push(edge);
                }
            }
        }
        result
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn the_neighbourhood_is_the_one_a_queue_and_hash_maps_find(
            size in 1usize..30,
            edges in proptest::collection::vec((0u8..30, 0u8..30), 0..90),
            start in 0u8..30,
            depth in 0usize..5,
            max_nodes in 0usize..40,
            direction in crate::graph::any_direction(),
        ) {
            let mut g = DiGraph::<(), ()>::new();
            for _ in 0..size {
                g.add_node(());
            }
            for (a, b) in edges {
                g.add_edge(NodeIndex::new(a as usize % size), NodeIndex::new(b as usize % size), ());
            }
            let start = NodeIndex::new(start as usize % size);
            prop_assert_eq!(
                neighborhood(&g, start, depth, direction, max_nodes),
                reference(&g, start, depth, direction, max_nodes)
            );
        }
    }

    /// 0 → 1 → 2 → 3, 0 → 4, 5 → 0.
    fn chain() -> DiGraph<(), &'static str> {
        DiGraph::from_edges([
            (0, 1, "a"),
            (1, 2, "a"),
            (2, 3, "b"),
            (0, 4, "b"),
            (5, 0, "a"),
        ])
    }

    fn nodes(sub: &Subgraph<NodeIndex, EdgeIndex>) -> Vec<(usize, usize)> {
        sub.nodes.iter().map(|&(n, d)| (n.index(), d)).collect()
    }

    #[test]
    fn neighborhood_follows_the_direction_asked_for() {
        let g = chain();
        let out = neighborhood(&g, NodeIndex::new(0), 2, Direction::Out, 100);
        assert_eq!(nodes(&out), vec![(0, 0), (1, 1), (4, 1), (2, 2)]);
        let into = neighborhood(&g, NodeIndex::new(0), 2, Direction::In, 100);
        assert_eq!(nodes(&into), vec![(0, 0), (5, 1)]);
        let both = neighborhood(&g, NodeIndex::new(1), 1, Direction::Both, 100);
        assert_eq!(nodes(&both), vec![(1, 0), (0, 1), (2, 1)]);
        assert!(!both.truncated);
    }

    #[test]
    fn neighborhood_stops_at_max_nodes_and_says_so() {
        let g = chain();
        let sub = neighborhood(&g, NodeIndex::new(0), 3, Direction::Both, 3);
        assert_eq!(nodes(&sub), vec![(0, 0), (1, 1), (4, 1)]);
        assert!(sub.truncated);
        let cut: Vec<(usize, usize)> = sub
            .cut
            .iter()
            .map(|&(n, e)| (n.index(), e.index()))
            .collect();
        assert_eq!(
            cut,
            vec![(0, 4), (1, 1)],
            "0's edge from 5 and 1's edge to 2 were left out"
        );
        assert!(
            sub.edges.iter().all(|&e| {
                let (a, b) = g.edge_endpoints(e).unwrap();
                sub.nodes.iter().any(|&(n, _)| n == a) && sub.nodes.iter().any(|&(n, _)| n == b)
            }),
            "edges join kept nodes only"
        );
    }

    #[test]
    fn neighborhood_of_depth_zero_is_the_start_alone() {
        let g = chain();
        let sub = neighborhood(&g, NodeIndex::new(2), 0, Direction::Both, 10);
        assert_eq!(nodes(&sub), vec![(2, 0)]);
        assert!(sub.edges.is_empty());
    }

    #[test]
    fn neighborhood_lists_a_cross_edge_and_a_self_loop_once() {
        let mut g = chain();
        g.add_edge(NodeIndex::new(4), NodeIndex::new(1), "c");
        g.add_edge(NodeIndex::new(1), NodeIndex::new(1), "d");
        let sub = neighborhood(&g, NodeIndex::new(0), 1, Direction::Both, 10);
        assert_eq!(nodes(&sub), vec![(0, 0), (1, 1), (4, 1), (5, 1)]);
        // The cross edge 4 → 1 joins two nodes at the full depth, so it was never met.
        assert_eq!(sub.edges.len(), 3);
        let sub = neighborhood(&g, NodeIndex::new(1), 1, Direction::Both, 10);
        let loops = sub
            .edges
            .iter()
            .filter(|&&e| g.edge_endpoints(e) == Some((NodeIndex::new(1), NodeIndex::new(1))))
            .count();
        assert_eq!(loops, 1);
    }

    #[test]
    fn neighborhood_filters_edges_through_a_view() {
        let g = chain();
        let only_a = petgraph::visit::EdgeFiltered::from_fn(
            &g,
            |e: petgraph::graph::EdgeReference<'_, &str>| *e.weight() == "a",
        );
        let sub = neighborhood(&only_a, NodeIndex::new(0), 3, Direction::Out, 10);
        assert_eq!(nodes(&sub), vec![(0, 0), (1, 1), (2, 2)]);
    }
}
