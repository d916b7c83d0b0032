//! Paths: how two nodes are connected, shortest first.
//!
//! Edges are unweighted, so a breadth-first search is the shortest-path search, and Yen's
//! algorithm over it gives the k shortest simple paths. A path is a sequence of edges, so that
//! the caller can attach to each step the statements behind its triple. The searches walk any
//! [`Neighbours`] and keep their distances in pooled dense maps ([`Marks`]).

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use super::marks::Marks;
use super::{Direction, Neighbours};

/// A path: `nodes[i]` and `nodes[i + 1]` are the ends of `edges[i]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path<N, E> {
    /// The nodes visited, from the start to the end; one more than the edges.
    pub nodes: Vec<N>,
    /// The edges followed, in order.
    pub edges: Vec<E>,
}

impl<N, E> Path<N, E> {
    /// The number of edges.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether the path has no edge (it starts where it ends).
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// A shortest path from `from` to `to` of at most `max_length` edges, following edges in
/// `direction`; `None` when there is none.
///
/// Among several shortest paths the one returned is the smallest when paths are compared step
/// by step, each step by (node, edge) — the path a breadth-first search from `from` finds when
/// it expands neighbours in that order and each node keeps the first edge that reached it —
/// so it is the same on every call. From a node to itself the path is empty. Filter predicates
/// by passing a [`View`](super::View) or an [`AdjacencyView`](super::AdjacencyView).
///
/// The search runs from both ends, a level at a time, expanding the side whose frontier has
/// fewer edges to follow, and then picks the smallest path among the shortest ones within the
/// nodes it met.
///
/// # Complexity
/// O(V + E) for the V nodes and E edges the two searches meet — about the square root of what
/// a one-sided search within `max_length` hops would — plus O(L · Δ) for a path of L edges
/// through nodes of degree at most Δ; on a petgraph graph each node's edges are also sorted,
/// O(Δ log Δ) per node expanded.
pub fn shortest_path<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    max_length: usize,
    direction: Direction,
) -> Option<Path<G::Node, G::Edge>> {
    shortest_path_avoiding(graph, from, to, max_length, direction, &[], &[])
}

/// [`shortest_path`] in the graph without some nodes and edges (Yen's spur searches).
fn shortest_path_avoiding<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    max_length: usize,
    direction: Direction,
    banned_nodes: &[G::Node],
    banned_edges: &[G::Edge],
) -> Option<Path<G::Node, G::Edge>> {
    if from == to {
        return Some(Path {
            nodes: vec![from],
            edges: Vec::new(),
        });
    }
    let allowed = |node: G::Node, edge: G::Edge| {
        (banned_nodes.is_empty() || !banned_nodes.contains(&node))
            && (banned_edges.is_empty() || !banned_edges.contains(&edge))
    };
    let backward = match direction {
        Direction::Out => Direction::In,
        Direction::In => Direction::Out,
        Direction::Both => Direction::Both,
    };
    let bound = graph.node_bound();
    let mut buffer = Vec::new();
    // Distances from `from` and to `to`, and the nodes of each side level by level.
    let mut from_start = Marks::take(bound);
    let mut to_end = Marks::take(bound);
    from_start.set(graph.index_of(from), 0);
    to_end.set(graph.index_of(to), 0);
    let mut forward = Levels::new(from);
    let mut backward_levels = Levels::new(to);
    let cost = |frontier: &[G::Node], direction| -> usize {
        frontier.iter().map(|&n| graph.degree(n, direction)).sum()
    };
    loop {
        let (a, b) = (forward.depth(), backward_levels.depth());
        let (forward_frontier, backward_frontier) = (forward.last(), backward_levels.last());
        if a + b >= max_length || forward_frontier.is_empty() || backward_frontier.is_empty() {
            return None;
        }
        // Whole levels at a time: the first level that meets the other side gives the distance.
        let met = if cost(forward_frontier, direction) <= cost(backward_frontier, backward) {
            forward.next_level(
                graph,
                direction,
                &allowed,
                &mut from_start,
                &to_end,
                &mut buffer,
            )
        } else {
            backward_levels.next_level(
                graph,
                backward,
                &allowed,
                &mut to_end,
                &from_start,
                &mut buffer,
            )
        };
        if met {
            break;
        }
    }
    let (a, b) = (forward.depth(), backward_levels.depth());
    let length = a + b;
    // The nodes of the forward side that lie on a shortest path: those of its last level that
    // the other side reached, and every node with an edge to one of them one level further.
    let mut on_path = Marks::take(bound);
    for &node in forward.level(a) {
        if to_end.contains(graph.index_of(node)) {
            on_path.set(graph.index_of(node), 0);
        }
    }
    for level in (0..a).rev() {
        for &node in forward.level(level) {
            let next = u32::try_from(level + 1).ok();
            let leads_on = graph
                .each_neighbour(node, direction, &mut buffer, |other, edge| {
                    let at = graph.index_of(other);
                    if allowed(other, edge) && from_start.get(at) == next && on_path.contains(at) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
                .is_break();
            if leads_on {
                on_path.set(graph.index_of(node), 0);
            }
        }
    }
    // The smallest of the shortest paths, one step at a time.
    let mut path = Path {
        nodes: vec![from],
        edges: Vec::with_capacity(length),
    };
    let mut at = from;
    for step in 1..=length {
        let mut chosen = None;
        let wanted = u32::try_from(if step <= a { step } else { length - step }).ok();
        let _ = graph.each_neighbour(at, direction, &mut buffer, |other, edge| {
            let i = graph.index_of(other);
            let fits = allowed(other, edge)
                && if step <= a {
                    from_start.get(i) == wanted && on_path.contains(i)
                } else {
                    to_end.get(i) == wanted
                };
            if fits {
                chosen = Some((other, edge));
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let (next, edge) = chosen?;
        path.nodes.push(next);
        path.edges.push(edge);
        at = next;
    }
    Some(path)
}

/// One side of a search from both ends: the nodes it reached, level by level.
struct Levels<N> {
    nodes: Vec<N>,
    /// Where each level starts in `nodes`; the last level runs to the end.
    starts: Vec<usize>,
}

impl<N: Copy> Levels<N> {
    fn new(start: N) -> Self {
        Self {
            nodes: vec![start],
            starts: vec![0],
        }
    }

    /// The distance of the last level.
    fn depth(&self) -> usize {
        self.starts.len() - 1
    }

    fn level(&self, distance: usize) -> &[N] {
        let end = self
            .starts
            .get(distance + 1)
            .copied()
            .unwrap_or(self.nodes.len());
        &self.nodes[self.starts[distance]..end]
    }

    fn last(&self) -> &[N] {
        self.level(self.depth())
    }

    /// Adds the level of the nodes first reached from the last one over `allowed` steps,
    /// recording their distance in `distances`; whether one of them is in `other_side`.
    fn next_level<G: Neighbours<Node = N>>(
        &mut self,
        graph: G,
        direction: Direction,
        allowed: &impl Fn(N, G::Edge) -> bool,
        distances: &mut Marks,
        other_side: &Marks,
        buffer: &mut Vec<(N, G::Edge)>,
    ) -> bool {
        let (start, end) = (self.starts[self.depth()], self.nodes.len());
        // Distances are at most `max_length`, a small number.
        let distance = u32::try_from(self.depth() + 1).unwrap_or(u32::MAX);
        self.starts.push(end);
        let mut met = false;
        for i in start..end {
            let node = self.nodes[i];
            let nodes = &mut self.nodes;
            let _ = graph.each_neighbour(node, direction, buffer, |other, edge| {
                let at = graph.index_of(other);
                if allowed(other, edge) && !distances.contains(at) {
                    distances.set(at, distance);
                    nodes.push(other);
                    met |= other_side.contains(at);
                }
                ControlFlow::Continue(())
            });
        }
        met
    }
}

/// Up to `k` simple paths (no node twice) from `from` to `to` of at most `max_length` edges,
/// following edges in `direction`, shortest first.
///
/// Yen's algorithm, with [`shortest_path`]'s breadth-first search for the spur paths. Two paths
/// through the same nodes over different edges (two predicates between the same entities)
/// are two paths. Paths of the same length come in the order Yen's algorithm finds them, ties
/// between candidates broken by their node then edge sequences, so the answer is the same on
/// every call. From a node to itself the only simple path is the empty one.
///
/// # Complexity
/// O(k · L · (V + E)) for paths of up to L edges, as [`shortest_path`] for each spur node of
/// each path found, plus O(k · L · log(k · L)) to keep the candidates ordered.
pub fn k_shortest_paths<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    k: usize,
    max_length: usize,
    direction: Direction,
) -> Vec<Path<G::Node, G::Edge>> {
    if k == 0 {
        return Vec::new();
    }
    let Some(first) = shortest_path(graph, from, to, max_length, direction) else {
        return Vec::new();
    };
    let mut found = vec![first];
    // (length, nodes, edges): the first is the next shortest, ties in a fixed order.
    let mut candidates: BTreeSet<Candidate<G::Node, G::Edge>> = BTreeSet::new();
    let mut banned_edges = Vec::new();
    while found.len() < k {
        let last = &found[found.len() - 1];
        for i in 0..last.len() {
            let spur = last.nodes[i];
            let root_edges = &last.edges[..i];
            // Edges leaving the spur node on the paths already found with this root.
            banned_edges.clear();
            banned_edges.extend(
                found
                    .iter()
                    .filter(|p| p.len() > i && &p.edges[..i] == root_edges)
                    .map(|p| p.edges[i]),
            );
            // The root's own nodes, so that the whole path stays simple.
            let banned_nodes = &last.nodes[..i];
            if let Some(spur_path) = shortest_path_avoiding(
                graph,
                spur,
                to,
                max_length - i,
                direction,
                banned_nodes,
                &banned_edges,
            ) {
                let mut nodes = last.nodes[..i].to_vec();
                nodes.extend_from_slice(&spur_path.nodes);
                let mut edges = root_edges.to_vec();
                edges.extend_from_slice(&spur_path.edges);
                candidates.insert((edges.len(), nodes, edges));
            }
        }
        let Some((_, nodes, edges)) = candidates.pop_first() else {
            break;
        };
        let path = Path { nodes, edges };
        if !found.contains(&path) {
            found.push(path);
        }
    }
    found
}

/// A candidate path of Yen's algorithm: (length, nodes, edges), ordered shortest first.
type Candidate<N, E> = (usize, Vec<N>, Vec<E>);

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::hash::Hash;

    use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
    use petgraph::visit::{EdgeRef, IntoEdgesDirected};
    use proptest::prelude::*;
    use rustc_hash::{FxHashMap, FxHashSet};

    use super::*;
    use crate::graph::sorted_neighbours;

    /// Each node a search reached, with the node and edge it was reached from (none for the start).
    type Parents<N, E> = FxHashMap<N, Option<(N, E)>>;

    /// Breadth-first search from `from` to `to` avoiding some nodes and edges, from one end only:
    /// the reference the search from both ends is tested against.
    fn breadth_first_path<G>(
        graph: G,
        from: G::NodeId,
        to: G::NodeId,
        max_length: usize,
        direction: Direction,
        banned_nodes: &FxHashSet<G::NodeId>,
        banned_edges: &FxHashSet<G::EdgeId>,
    ) -> Option<Path<G::NodeId, G::EdgeId>>
    where
        G: IntoEdgesDirected,
        G::NodeId: Ord + Hash,
        G::EdgeId: Ord + Hash,
    {
        if from == to {
            return Some(Path {
                nodes: vec![from],
                edges: Vec::new(),
            });
        }
        // Each node reached, with the node and edge it was reached from.
        let mut parent: Parents<G::NodeId, G::EdgeId> = FxHashMap::default();
        parent.insert(from, None);
        let mut queue = VecDeque::from([(from, 0)]);
        let mut around = Vec::new();
        while let Some((node, depth)) = queue.pop_front() {
            if depth == max_length {
                continue;
            }
            sorted_neighbours(graph, node, direction, &mut around);
            for &(other, edge) in &around {
                if parent.contains_key(&other)
                    || banned_nodes.contains(&other)
                    || banned_edges.contains(&edge)
                {
                    continue;
                }
                parent.insert(other, Some((node, edge)));
                if other == to {
                    let mut nodes = vec![to];
                    let mut edges = Vec::new();
                    let mut at = to;
                    while let Some(&Some((previous, edge))) = parent.get(&at) {
                        nodes.push(previous);
                        edges.push(edge);
                        at = previous;
                    }
                    nodes.reverse();
                    edges.reverse();
                    return Some(Path { nodes, edges });
                }
                queue.push_back((other, depth + 1));
            }
        }
        None
    }

    fn n(i: usize) -> NodeIndex {
        NodeIndex::new(i)
    }

    /// A diamond 0 → 1 → 3, 0 → 2 → 3, a long way 0 → 4 → 5 → 3 and a second edge 0 → 1.
    fn diamond() -> DiGraph<(), char> {
        DiGraph::from_edges([
            (0, 1, 'a'),
            (1, 3, 'a'),
            (0, 2, 'a'),
            (2, 3, 'a'),
            (0, 4, 'a'),
            (4, 5, 'a'),
            (5, 3, 'a'),
            (0, 1, 'b'),
        ])
    }

    fn node_indices(path: &Path<NodeIndex, EdgeIndex>) -> Vec<usize> {
        path.nodes.iter().map(|n| n.index()).collect()
    }

    #[test]
    fn shortest_path_takes_the_first_neighbour_among_equals() {
        let g = diamond();
        let path = shortest_path(&g, n(0), n(3), 10, Direction::Out).unwrap();
        assert_eq!(node_indices(&path), vec![0, 1, 3]);
        assert_eq!(path.edges, vec![EdgeIndex::new(0), EdgeIndex::new(1)]);
    }

    #[test]
    fn shortest_path_respects_direction_and_maximum_length() {
        let g = diamond();
        assert!(shortest_path(&g, n(3), n(0), 10, Direction::Out).is_none());
        let back = shortest_path(&g, n(3), n(0), 10, Direction::In).unwrap();
        assert_eq!(node_indices(&back), vec![3, 1, 0]);
        assert_eq!(
            shortest_path(&g, n(5), n(2), 10, Direction::Both).map(|p| p.len()),
            Some(2)
        );
        assert!(shortest_path(&g, n(5), n(2), 1, Direction::Both).is_none());
        assert_eq!(
            shortest_path(&g, n(4), n(4), 0, Direction::Out).map(|p| p.len()),
            Some(0)
        );
    }

    #[test]
    fn k_shortest_paths_lists_parallel_edges_as_paths_and_the_long_way_last() {
        let g = diamond();
        let paths = k_shortest_paths(&g, n(0), n(3), 10, 10, Direction::Out);
        let lengths: Vec<usize> = paths.iter().map(Path::len).collect();
        assert_eq!(lengths, vec![2, 2, 2, 3]);
        assert_eq!(node_indices(&paths[3]), vec![0, 4, 5, 3]);
        let short = k_shortest_paths(&g, n(0), n(3), 2, 10, Direction::Out);
        assert_eq!(short, paths[..2]);
        assert_eq!(
            k_shortest_paths(&g, n(0), n(3), 10, 2, Direction::Out).len(),
            3
        );
    }

    /// A depth-first enumeration of simple paths.
    struct Walk<'g> {
        g: &'g DiGraph<(), u8>,
        to: NodeIndex,
        max: usize,
        direction: Direction,
        on_path: Vec<NodeIndex>,
        edges: Vec<EdgeIndex>,
        found: Vec<Vec<EdgeIndex>>,
    }

    impl Walk<'_> {
        fn from(&mut self, at: NodeIndex) {
            if at == self.to {
                self.found.push(self.edges.clone());
                return;
            }
            if self.edges.len() == self.max {
                return;
            }
            let mut steps = Vec::new();
            for e in self.g.edge_references() {
                if self.direction != Direction::In && e.source() == at {
                    steps.push((e.target(), e.id()));
                }
                if self.direction != Direction::Out && e.target() == at && e.source() != e.target()
                {
                    steps.push((e.source(), e.id()));
                }
            }
            for (next, e) in steps {
                if self.on_path.contains(&next) {
                    continue;
                }
                self.on_path.push(next);
                self.edges.push(e);
                self.from(next);
                self.edges.pop();
                self.on_path.pop();
            }
        }
    }

    /// Every simple path from `from` to `to` of at most `max` edges, by depth-first search.
    fn all_simple_paths(
        g: &DiGraph<(), u8>,
        from: NodeIndex,
        to: NodeIndex,
        max: usize,
        direction: Direction,
    ) -> Vec<Vec<EdgeIndex>> {
        let mut walk = Walk {
            g,
            to,
            max,
            direction,
            on_path: vec![from],
            edges: Vec::new(),
            found: Vec::new(),
        };
        walk.from(from);
        walk.found
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn searching_from_both_ends_finds_the_path_a_one_sided_search_finds(
            size in 2usize..40,
            edges in proptest::collection::vec((0u8..40, 0u8..40, 0u8..2), 0..120),
            ends in (0u8..40, 0u8..40),
            max in 0usize..10,
            direction in super::super::any_direction(),
            bans in (proptest::collection::vec(0u8..40, 0..4), proptest::collection::vec(0u8..120, 0..6)),
        ) {
            let mut g = DiGraph::<(), u8>::new();
            for _ in 0..size {
                g.add_node(());
            }
            for (a, b, w) in edges {
                g.add_edge(n(a as usize % size), n(b as usize % size), w);
            }
            let (from, to) = (n(ends.0 as usize % size), n(ends.1 as usize % size));
            let banned_nodes: FxHashSet<NodeIndex> = bans
                .0
                .iter()
                .map(|&b| n(b as usize % size))
                .filter(|&b| b != from && b != to)
                .collect();
            let banned_edges: FxHashSet<EdgeIndex> =
                bans.1.iter().map(|&e| EdgeIndex::new(e as usize)).collect();
            let one_sided =
                breadth_first_path(&g, from, to, max, direction, &banned_nodes, &banned_edges);
            let (nodes, edges): (Vec<NodeIndex>, Vec<EdgeIndex>) =
                (banned_nodes.iter().copied().collect(), banned_edges.iter().copied().collect());
            let both_ends = shortest_path_avoiding(&g, from, to, max, direction, &nodes, &edges);
            prop_assert_eq!(both_ends, one_sided);
        }

        #[test]
        fn k_shortest_paths_agree_with_enumerating_every_simple_path(
            size in 2usize..8,
            edges in proptest::collection::vec((0u8..8, 0u8..8, 0u8..3), 0..20),
            k in 1usize..8,
            max in 0usize..6,
            direction in super::super::any_direction(),
        ) {
            let mut g = DiGraph::<(), u8>::new();
            for _ in 0..size {
                g.add_node(());
            }
            for (a, b, w) in edges {
                g.add_edge(n(a as usize % size), n(b as usize % size), w);
            }
            let (from, to) = (n(0), n(size - 1));
            let every = all_simple_paths(&g, from, to, max, direction);
            let mut reference: Vec<usize> = every.iter().map(Vec::len).collect();
            reference.sort_unstable();
            reference.truncate(k);
            let paths = k_shortest_paths(&g, from, to, k, max, direction);
            let lengths: Vec<usize> = paths.iter().map(Path::len).collect();
            prop_assert_eq!(&lengths, &reference);
            let shortest = shortest_path(&g, from, to, max, direction);
            prop_assert_eq!(shortest.as_ref().map(Path::len), reference.first().copied());
            let one_sided = breadth_first_path(
                &g, from, to, max, direction, &FxHashSet::default(), &FxHashSet::default(),
            );
            prop_assert_eq!(shortest, one_sided, "both ends or one, the same path");
            for path in &paths {
                let distinct: FxHashSet<NodeIndex> = path.nodes.iter().copied().collect();
                prop_assert_eq!(distinct.len(), path.nodes.len(), "a path is simple");
                prop_assert_eq!(path.nodes[0], from);
                prop_assert_eq!(*path.nodes.last().unwrap(), to);
                for (i, &e) in path.edges.iter().enumerate() {
                    let (a, b) = g.edge_endpoints(e).unwrap();
                    let step = (path.nodes[i], path.nodes[i + 1]);
                    prop_assert!(
                        (direction != Direction::In && step == (a, b))
                            || (direction != Direction::Out && step == (b, a)),
                        "edge {} joins the nodes around it in the direction asked for", i
                    );
                }
            }
            for path in &paths {
                prop_assert!(every.contains(&path.edges), "a path the enumeration finds too: {:?}", path);
            }
            // The paths of the lengths every shortest one has come whole: all of the shorter
            // lengths than the longest returned.
            if let Some(longest) = lengths.last() {
                let shorter = every.iter().filter(|p| p.len() < *longest).count();
                let returned = lengths.iter().filter(|l| *l < longest).count();
                prop_assert_eq!(returned, shorter, "every path shorter than the longest returned");
            }
            let distinct: BTreeSet<&Vec<EdgeIndex>> = paths.iter().map(|p| &p.edges).collect();
            prop_assert_eq!(distinct.len(), paths.len(), "no path twice");
        }
    }
}
