//! The projection's edges in compressed sparse rows, each node's neighbours sorted, for the
//! traversals the REST API runs.
//!
//! The projection's `StableGraph` keeps each node's edges in a linked list in the order they
//! were added: walking it reads one 20-byte edge slot per neighbour, scattered over the edge
//! array, and every traversal that must be deterministic sorts the list first. [`Adjacency`]
//! holds every edge twice — from its subject (outgoing) and from its object (incoming) — in
//! one array where each node's steps are contiguous and sorted by (other node, edge,
//! direction), the order [`Neighbours`] promises; so a breadth-first search reads each node's
//! neighbours as one sequential slice and sorts nothing. The predicate of each edge is kept by
//! edge index for predicate filters ([`AdjacencyView`]).
//!
//! It costs 16 bytes per edge (two 8-byte steps), 4 more for the predicate and 8 per node;
//! [`Projection::adjacency`](super::Projection::adjacency) builds it on first use after a
//! build or a load, in O(V + E log Δ). A refresh does not rebuild it: [`Adjacency::update_rows`]
//! re-derives the rows of the nodes whose edges changed from the graph, in O(their degrees), and
//! keeps them beside the compressed rows until they hold half as many steps, when the next
//! traversal rebuilds the whole. It is a copy of the topology, nothing more: labels, types and
//! statements stay with the projection and the store.

use std::ops::ControlFlow;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};
use rustc_hash::FxHashMap;

use super::{Direction, EdgeTest, Neighbours};

/// One edge seen from one of its ends: the other end, and the edge index shifted left by one
/// with the low bit set when the edge comes in (the node is its object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Step {
    other: u32,
    edge: u32,
}

impl Step {
    #[inline]
    fn incoming(self) -> bool {
        self.edge & 1 == 1
    }

    #[inline]
    fn edge(self) -> EdgeIndex {
        EdgeIndex::new((self.edge >> 1) as usize)
    }
}

/// One node's steps re-derived after a refresh, in the order of the compressed rows.
#[derive(Debug, Clone, Default)]
struct Row {
    steps: Box<[Step]>,
    out_degree: u32,
}

/// Every node's edges, both directions, in one sorted array: see the module documentation.
/// Two adjacencies are equal when they list the same steps for every node, with the same
/// predicates, however they were built.
#[derive(Debug, Clone)]
pub struct Adjacency<P = super::PredicateId> {
    /// Where each node's steps start in `steps`, by node index; one more than the node bound
    /// at the build.
    offsets: Vec<u32>,
    /// How many of each node's steps go out, so that degrees cost nothing.
    out_degrees: Vec<u32>,
    /// Each node's steps, sorted by (other node, edge, incoming).
    steps: Vec<Step>,
    /// The predicate of each edge, by edge index (a vacant index holds any predicate).
    predicates: Vec<P>,
    /// The rows of the nodes whose edges changed since the build, which replace theirs in
    /// `steps` (see [`Adjacency::update_rows`]).
    patched: FxHashMap<u32, Row>,
    /// One bit per node index: whether it has a row in `patched`, so that walking an
    /// unchanged node costs no hash look-up.
    patched_bits: Vec<u64>,
    /// How many steps the rows in `patched` hold.
    patched_steps: usize,
    /// The node bound: one more than the largest node index, at the build or since.
    bound: usize,
}

impl<P: Copy + Eq> Adjacency<P> {
    /// The adjacency of `graph`, reading each edge's predicate from its weight with `predicate`.
    ///
    /// # Complexity
    /// O(V + E log Δ) for the V node slots and E edges, Δ the largest degree.
    ///
    /// # Panics
    /// When the graph has 2³¹ edge slots or more (a projection of 40 GB).
    pub fn new<N, E>(graph: &StableDiGraph<N, E, u32>, predicate: impl Fn(&E) -> P) -> Self {
        let bound = NodeIndexable::node_bound(&graph);
        let edge_bound = graph.edge_references().map(|e| e.id().index() + 1).max();
        let edge_bound = edge_bound.unwrap_or(0);
        assert!(edge_bound < 1 << 31, "an edge index must fit in 31 bits");
        let mut offsets = vec![0u32; bound + 1];
        let mut out_degrees = vec![0u32; bound];
        for edge in graph.edge_references() {
            offsets[edge.source().index() + 1] += 1;
            offsets[edge.target().index() + 1] += 1;
            out_degrees[edge.source().index()] += 1;
        }
        for i in 0..bound {
            offsets[i + 1] += offsets[i];
        }
        let mut next: Vec<u32> = offsets[..bound].to_vec();
        let mut steps = vec![Step { other: 0, edge: 0 }; offsets[bound] as usize];
        let mut predicates = Vec::with_capacity(edge_bound);
        for edge in graph.edge_references() {
            let (s, t, e) = (
                edge.source().index(),
                edge.target().index(),
                edge.id().index(),
            );
            // Edge indices fit in 31 bits (asserted above), node indices in 32.
            let shifted = (e as u32) << 1;
            steps[next[s] as usize] = Step {
                other: t as u32,
                edge: shifted,
            };
            next[s] += 1;
            steps[next[t] as usize] = Step {
                other: s as u32,
                edge: shifted | 1,
            };
            next[t] += 1;
            let p = predicate(edge.weight());
            // Vacant edge indices are never read: fill them with this predicate.
            predicates.resize(e, p);
            predicates.push(p);
        }
        for node in 0..bound {
            steps[offsets[node] as usize..offsets[node + 1] as usize].sort_unstable();
        }
        Self {
            offsets,
            out_degrees,
            steps,
            predicates,
            patched: FxHashMap::default(),
            patched_bits: Vec::new(),
            patched_steps: 0,
            bound,
        }
    }

    /// Brings the rows of `nodes` in step with `graph` after their edges changed (edges added
    /// or removed at either end, the node added or removed), reading each edge's predicate
    /// with `predicate` as [`Adjacency::new`] does. Every node whose edges changed must be
    /// among `nodes`; others may be too. Returns false when the re-derived rows have grown to
    /// half the size of the compressed ones: the caller should then drop this adjacency and
    /// build a new one, which is cheaper than walking the patches.
    ///
    /// # Complexity
    /// O(d log d) per node of degree d in `nodes`.
    ///
    /// # Panics
    /// When an edge index reaches 2³¹, as [`Adjacency::new`].
    pub fn update_rows<N, E>(
        &mut self,
        graph: &StableDiGraph<N, E, u32>,
        nodes: impl IntoIterator<Item = NodeIndex>,
        predicate: impl Fn(&E) -> P,
    ) -> bool {
        self.bound = self.bound.max(NodeIndexable::node_bound(&graph));
        for node in nodes {
            let n = node.index();
            let mut steps = Vec::new();
            let mut out_degree = 0;
            if graph.contains_node(node) {
                for (direction, incoming) in [(Outgoing, 0), (Incoming, 1)] {
                    for edge in graph.edges_directed(node, direction) {
                        let e = edge.id().index();
                        assert!(e < 1 << 31, "an edge index must fit in 31 bits");
                        let other = if incoming == 0 {
                            edge.target()
                        } else {
                            edge.source()
                        };
                        steps.push(Step {
                            other: other.index() as u32,
                            edge: (e as u32) << 1 | incoming,
                        });
                        out_degree += 1 - incoming;
                        let p = predicate(edge.weight());
                        if e >= self.predicates.len() {
                            self.predicates.resize(e + 1, p);
                        }
                        self.predicates[e] = p;
                    }
                }
            }
            steps.sort_unstable();
            self.patched_steps += steps.len();
            let row = Row {
                steps: steps.into_boxed_slice(),
                out_degree,
            };
            if let Some(old) = self.patched.insert(n as u32, row) {
                self.patched_steps -= old.steps.len();
            }
            if self.patched_bits.len() <= n / 64 {
                self.patched_bits.resize(n / 64 + 1, 0);
            }
            self.patched_bits[n / 64] |= 1 << (n % 64);
        }
        self.patched_steps <= self.steps.len() / 2 + 4096
    }

    #[inline]
    fn patched_row(&self, n: usize) -> Option<&Row> {
        let patched = self
            .patched_bits
            .get(n / 64)
            .is_some_and(|bits| bits >> (n % 64) & 1 == 1);
        if patched {
            self.patched.get(&(n as u32))
        } else {
            None
        }
    }

    /// The graph with only the edges whose predicate is in `predicates` (all for `None`).
    pub fn view<'a>(&'a self, predicates: Option<&'a [P]>) -> AdjacencyView<'a, P> {
        AdjacencyView {
            adjacency: self,
            predicates,
            test: None,
        }
    }

    /// How many edges `node` has in `direction`, before any filter (a self-loop counts twice
    /// with `Both`).
    #[inline]
    pub fn degree(&self, node: NodeIndex, direction: Direction) -> usize {
        let n = node.index();
        let (all, out) = if let Some(row) = self.patched_row(n) {
            (row.steps.len(), row.out_degree as usize)
        } else if n < self.out_degrees.len() {
            let all = (self.offsets[n + 1] - self.offsets[n]) as usize;
            (all, self.out_degrees[n] as usize)
        } else {
            return 0;
        };
        match direction {
            Direction::Out => out,
            Direction::In => all - out,
            Direction::Both => all,
        }
    }

    /// The bytes held.
    pub fn bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u32>()
            + self.out_degrees.capacity() * size_of::<u32>()
            + self.steps.capacity() * size_of::<Step>()
            + self.predicates.capacity() * size_of::<P>()
            + self.patched_bits.capacity() * size_of::<u64>()
            + self.patched.capacity() * (size_of::<u32>() + size_of::<Row>())
            + self.patched_steps * size_of::<Step>()
    }

    /// The node bound: one more than the largest node index.
    #[inline]
    pub fn node_bound(&self) -> usize {
        self.bound
    }

    /// The neighbours of `node` in `direction` as plain node indices, unfiltered, in the
    /// adjacency's order: what a compressed-sparse-row copy of the graph holds (benchmarks
    /// build their floor from it).
    pub fn targets(&self, node: NodeIndex, direction: Direction) -> impl Iterator<Item = u32> {
        let steps = self.steps_of(node.index());
        steps.iter().filter_map(move |step| {
            let keep = match direction {
                Direction::Out => !step.incoming(),
                Direction::In => step.incoming(),
                Direction::Both => !(step.incoming() && step.other as usize == node.index()),
            };
            keep.then_some(step.other)
        })
    }

    #[inline]
    fn steps_of(&self, n: usize) -> &[Step] {
        if let Some(row) = self.patched_row(n) {
            return &row.steps;
        }
        if n >= self.out_degrees.len() {
            return &[];
        }
        &self.steps[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }
}

impl<P: Copy + Eq> PartialEq for Adjacency<P> {
    fn eq(&self, other: &Self) -> bool {
        let bound = self.bound.max(other.bound);
        (0..bound).all(|n| {
            let (mine, theirs) = (self.steps_of(n), other.steps_of(n));
            let node = NodeIndex::new(n);
            mine == theirs
                && self.degree(node, Direction::Out) == other.degree(node, Direction::Out)
                && mine.iter().all(|step| {
                    let e = step.edge().index();
                    self.predicates[e] == other.predicates[e]
                })
        })
    }
}

impl<P: Copy + Eq> Eq for Adjacency<P> {}

/// An [`Adjacency`] seen through a predicate filter and, if given, an edge test;
/// traversals take it by value.
#[derive(Clone, Copy)]
pub struct AdjacencyView<'a, P = super::PredicateId> {
    adjacency: &'a Adjacency<P>,
    /// `None` keeps every edge.
    predicates: Option<&'a [P]>,
    /// `None` keeps every edge; else the edges it allows (a provenance filter), called
    /// directly rather than through a closure so that its per-edge digest read is inlined
    /// into the walk.
    test: Option<&'a EdgeTest<'a>>,
}

impl<P: std::fmt::Debug> std::fmt::Debug for AdjacencyView<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdjacencyView")
            .field("predicates", &self.predicates)
            .field("test", &self.test.is_some())
            .finish()
    }
}

impl<'a, P> AdjacencyView<'a, P> {
    /// The view keeping, besides its predicates, only the edges `test` allows; an open test
    /// (one that asks nothing) is dropped, so that the walk pays nothing for it.
    #[must_use]
    pub fn with_test(mut self, test: Option<&'a EdgeTest<'a>>) -> Self {
        self.test = test.filter(|test| !test.is_open());
        self
    }
}

impl<P: Copy + Eq> Neighbours for AdjacencyView<'_, P> {
    type Node = NodeIndex;
    type Edge = EdgeIndex;

    #[inline]
    fn node_bound(&self) -> usize {
        self.adjacency.node_bound()
    }

    #[inline]
    fn index_of(&self, node: NodeIndex) -> usize {
        node.index()
    }

    #[inline]
    fn degree(&self, node: NodeIndex, direction: Direction) -> usize {
        self.adjacency.degree(node, direction)
    }

    #[inline]
    fn each_neighbour(
        &self,
        node: NodeIndex,
        direction: Direction,
        _buffer: &mut Vec<(NodeIndex, EdgeIndex)>,
        mut visit: impl FnMut(NodeIndex, EdgeIndex) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let n = node.index();
        let predicates = &self.adjacency.predicates;
        for &step in self.adjacency.steps_of(n) {
            let keep = match direction {
                Direction::Out => !step.incoming(),
                Direction::In => step.incoming(),
                // A self-loop is listed once, from its subject.
                Direction::Both => !(step.incoming() && step.other as usize == n),
            };
            if !keep {
                continue;
            }
            let edge = step.edge();
            if let Some(wanted) = self.predicates
                && !wanted.contains(&predicates[edge.index()])
            {
                continue;
            }
            if let Some(test) = self.test
                && !test.allows(edge)
            {
                continue;
            }
            visit(NodeIndex::new(step.other as usize), edge)?;
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use petgraph::visit::EdgeFiltered;
    use proptest::prelude::*;

    use super::*;
    use crate::graph::{
        Subgraph, any_direction, k_shortest_paths, neighborhood, paths::Path, shortest_path,
    };

    /// A graph of `size` nodes and some edges labelled 0 to 2, with `removed` nodes taken out
    /// again so that indices have holes, as a refreshed projection's do.
    fn graph(size: usize, edges: &[(u8, u8, u8)], removed: &[u8]) -> StableDiGraph<(), u8> {
        let mut g = StableDiGraph::<(), u8>::default();
        let nodes: Vec<NodeIndex> = (0..size).map(|_| g.add_node(())).collect();
        for &(a, b, p) in edges {
            g.add_edge(nodes[a as usize % size], nodes[b as usize % size], p);
        }
        for &r in removed {
            g.remove_node(nodes[r as usize % size]);
        }
        g
    }

    #[test]
    fn steps_are_sorted_and_a_self_loop_is_listed_once_from_both_directions() {
        let g = graph(3, &[(0, 2, 0), (0, 1, 1), (1, 1, 0), (2, 0, 2)], &[]);
        let adjacency = Adjacency::new(&g, |&p| p);
        let view = adjacency.view(None);
        let list = |node: usize, direction| {
            let mut out = Vec::new();
            let _ =
                view.each_neighbour(NodeIndex::new(node), direction, &mut Vec::new(), |n, e| {
                    out.push((n.index(), e.index()));
                    ControlFlow::Continue(())
                });
            out
        };
        assert_eq!(list(0, Direction::Both), vec![(1, 1), (2, 0), (2, 3)]);
        assert_eq!(list(0, Direction::Out), vec![(1, 1), (2, 0)]);
        assert_eq!(list(0, Direction::In), vec![(2, 3)]);
        assert_eq!(list(1, Direction::Both), vec![(0, 1), (1, 2)]);
        assert_eq!(list(1, Direction::In), vec![(0, 1), (1, 2)]);
        assert_eq!(adjacency.degree(NodeIndex::new(1), Direction::Both), 3);
        assert_eq!(adjacency.degree(NodeIndex::new(0), Direction::Out), 2);
    }

    /// One change to a graph in [`rows_updated_after_changes_equal_a_new_build`].
    #[derive(Debug, Clone)]
    enum Change {
        AddEdge(u8, u8, u8),
        RemoveEdge(u8),
        AddNode,
        RemoveNode(u8),
    }

    fn any_change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0u8..40, 0u8..40, 0u8..3).prop_map(|(a, b, p)| Change::AddEdge(a, b, p)),
            (0u8..255).prop_map(Change::RemoveEdge),
            Just(Change::AddNode),
            (0u8..40).prop_map(Change::RemoveNode),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn rows_updated_after_changes_equal_a_new_build(
            size in 1usize..30,
            edges in proptest::collection::vec((0u8..30, 0u8..30, 0u8..3), 0..90),
            batches in proptest::collection::vec(
                proptest::collection::vec(any_change(), 0..8), 1..5),
        ) {
            let mut g = graph(size, &edges, &[]);
            let mut adjacency = Adjacency::new(&g, |&p| p);
            for batch in batches {
                let mut touched = Vec::new();
                for change in batch {
                    let nodes: Vec<NodeIndex> = g.node_indices().collect();
                    let pick = |i: u8| nodes.get(i as usize % nodes.len().max(1)).copied();
                    match change {
                        Change::AddEdge(a, b, p) => {
                            if let (Some(a), Some(b)) = (pick(a), pick(b)) {
                                g.add_edge(a, b, p);
                                touched.extend([a, b]);
                            }
                        }
                        Change::RemoveEdge(i) => {
                            let all: Vec<EdgeIndex> = g.edge_indices().collect();
                            if let Some(&e) = all.get(i as usize % all.len().max(1)) {
                                let (a, b) = g.edge_endpoints(e).unwrap();
                                g.remove_edge(e);
                                touched.extend([a, b]);
                            }
                        }
                        Change::AddNode => {
                            g.add_node(());
                        }
                        Change::RemoveNode(i) => {
                            if let Some(n) = pick(i) {
                                touched.push(n);
                                touched.extend(g.neighbors_undirected(n));
                                g.remove_node(n);
                            }
                        }
                    }
                }
                if !adjacency.update_rows(&g, touched, |&p| p) {
                    adjacency = Adjacency::new(&g, |&p| p);
                }
                prop_assert_eq!(&adjacency, &Adjacency::new(&g, |&p| p));
                // The bound never shrinks: traversals size their marks by it.
                prop_assert!(adjacency.node_bound() >= NodeIndexable::node_bound(&g));
            }
        }

        #[test]
        fn traversals_over_the_adjacency_answer_as_over_the_petgraph_graph(
            size in 1usize..30,
            edges in proptest::collection::vec((0u8..30, 0u8..30, 0u8..3), 0..90),
            removed in proptest::collection::vec(0u8..30, 0..3),
            start in 0u8..30,
            end in 0u8..30,
            depth in 0usize..4,
            max_nodes in 1usize..40,
            k in 1usize..5,
            max_length in 0usize..7,
            direction in any_direction(),
            only in proptest::option::of(0u8..3),
        ) {
            let g = graph(size, &edges, &removed);
            let adjacency = Adjacency::new(&g, |&p| p);
            let wanted = only.map(|p| vec![p]);
            let view = adjacency.view(wanted.as_deref());
            let filtered = EdgeFiltered::from_fn(&g, |e: petgraph::stable_graph::EdgeReference<'_, u8>| {
                only.is_none_or(|p| *e.weight() == p)
            });
            let nodes: Vec<NodeIndex> = g.node_indices().collect();
            prop_assume!(!nodes.is_empty());
            let from = nodes[start as usize % nodes.len()];
            let to = nodes[end as usize % nodes.len()];
            let reference: Subgraph<_, _> = neighborhood(&filtered, from, depth, direction, max_nodes);
            prop_assert_eq!(neighborhood(view, from, depth, direction, max_nodes), reference);
            let reference: Option<Path<_, _>> = shortest_path(&filtered, from, to, max_length, direction);
            prop_assert_eq!(shortest_path(view, from, to, max_length, direction), reference);
            let reference = k_shortest_paths(&filtered, from, to, k, max_length, direction);
            prop_assert_eq!(k_shortest_paths(view, from, to, k, max_length, direction), reference);
        }
    }
}
