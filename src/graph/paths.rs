//! Paths: how two nodes are connected, shortest first.
//!
//! Edges are unweighted, so a breadth-first search is the shortest-path search, and Yen's
//! algorithm over it gives the k shortest simple paths. A path is a sequence of edges, so that
//! the caller can attach to each step the statements behind its triple.

use std::collections::BTreeSet;
use std::hash::Hash;

use petgraph::visit::IntoEdgesDirected;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Direction, sorted_neighbours};

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
/// by passing a [`View`](super::View).
///
/// The search runs from both ends, expanding the smaller frontier, and then picks the smallest
/// path among the shortest ones within the nodes it met.
///
/// # Complexity
/// O(V + E + L · Δ log Δ) for the V nodes and E edges the two searches meet — about the
/// square root of what a one-sided search within `max_length` hops would — and a path of L
/// edges through nodes of degree at most Δ.
pub fn shortest_path<G>(
    graph: G,
    from: G::NodeId,
    to: G::NodeId,
    max_length: usize,
    direction: Direction,
) -> Option<Path<G::NodeId, G::EdgeId>>
where
    G: IntoEdgesDirected,
    G::NodeId: Ord + Hash,
    G::EdgeId: Ord + Hash,
{
    shortest_path_avoiding(
        graph,
        from,
        to,
        max_length,
        direction,
        &FxHashSet::default(),
        &FxHashSet::default(),
    )
}

/// [`shortest_path`] in the graph without some nodes and edges (Yen's spur searches).
fn shortest_path_avoiding<G>(
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
    let allowed = |(node, edge): &(G::NodeId, G::EdgeId)| {
        !banned_nodes.contains(node) && !banned_edges.contains(edge)
    };
    let backward = match direction {
        Direction::Out => Direction::In,
        Direction::In => Direction::Out,
        Direction::Both => Direction::Both,
    };
    // Distances from `from` and to `to`, and the nodes at each distance.
    let mut from_start: FxHashMap<G::NodeId, usize> = FxHashMap::default();
    let mut to_end: FxHashMap<G::NodeId, usize> = FxHashMap::default();
    from_start.insert(from, 0);
    to_end.insert(to, 0);
    let mut forward_levels = vec![vec![from]];
    let mut backward_levels = vec![vec![to]];
    let meeting = loop {
        let (a, b) = (forward_levels.len() - 1, backward_levels.len() - 1);
        let (forward_frontier, backward_frontier) = (&forward_levels[a], &backward_levels[b]);
        if a + b >= max_length || forward_frontier.is_empty() || backward_frontier.is_empty() {
            return None;
        }
        // Whole levels at a time: the first level that meets the other side gives the distance.
        let met = if forward_frontier.len() <= backward_frontier.len() {
            let next = next_level(
                graph,
                forward_frontier,
                direction,
                &allowed,
                &mut from_start,
                a + 1,
            );
            let met = meeting_nodes(&next, &to_end);
            forward_levels.push(next);
            met
        } else {
            let next = next_level(
                graph,
                backward_frontier,
                backward,
                &allowed,
                &mut to_end,
                b + 1,
            );
            let met = meeting_nodes(&next, &from_start);
            backward_levels.push(next);
            met
        };
        if !met.is_empty() {
            break met;
        }
    };
    let (a, b) = (forward_levels.len() - 1, backward_levels.len() - 1);
    let length = a + b;
    // The nodes of the forward side that lie on a shortest path: the meeting nodes, and every
    // node with an edge to one of them one level further.
    let mut on_path: FxHashSet<G::NodeId> = meeting.into_iter().collect();
    for level in (0..a).rev() {
        for &node in &forward_levels[level] {
            let leads_on = neighbours(graph, node, direction).any(|step| {
                allowed(&step)
                    && from_start.get(&step.0) == Some(&(level + 1))
                    && on_path.contains(&step.0)
            });
            if leads_on {
                on_path.insert(node);
            }
        }
    }
    // The smallest of the shortest paths, one step at a time.
    let mut path = Path {
        nodes: vec![from],
        edges: Vec::with_capacity(length),
    };
    let mut around = Vec::new();
    let mut at = from;
    for step in 1..=length {
        sorted_neighbours(graph, at, direction, &mut around);
        let &(next, edge) = around.iter().find(|candidate| {
            let other = &candidate.0;
            if !allowed(candidate) {
                false
            } else if step <= a {
                from_start.get(other) == Some(&step) && on_path.contains(other)
            } else {
                to_end.get(other) == Some(&(length - step))
            }
        })?;
        path.nodes.push(next);
        path.edges.push(edge);
        at = next;
    }
    Some(path)
}

/// The edges of `node` in `direction` with the node at their other end, in no given order.
fn neighbours<G>(
    graph: G,
    node: G::NodeId,
    direction: Direction,
) -> impl Iterator<Item = (G::NodeId, G::EdgeId)>
where
    G: IntoEdgesDirected,
{
    use petgraph::Direction::{Incoming, Outgoing};
    use petgraph::visit::EdgeRef;
    let out = (direction != Direction::In)
        .then(|| graph.edges_directed(node, Outgoing))
        .into_iter()
        .flatten()
        .map(|e| (e.target(), e.id()));
    let into = (direction != Direction::Out)
        .then(|| graph.edges_directed(node, Incoming))
        .into_iter()
        .flatten()
        .map(|e| (e.source(), e.id()));
    out.chain(into)
}

/// The nodes first reached from `frontier` over `allowed` steps, recorded at `distance`.
fn next_level<G>(
    graph: G,
    frontier: &[G::NodeId],
    direction: Direction,
    allowed: &impl Fn(&(G::NodeId, G::EdgeId)) -> bool,
    distances: &mut FxHashMap<G::NodeId, usize>,
    distance: usize,
) -> Vec<G::NodeId>
where
    G: IntoEdgesDirected,
    G::NodeId: Eq + Hash,
{
    let mut next = Vec::new();
    for &node in frontier {
        for step in neighbours(graph, node, direction) {
            if !allowed(&step) {
                continue;
            }
            let other = step.0;
            if let std::collections::hash_map::Entry::Vacant(entry) = distances.entry(other) {
                entry.insert(distance);
                next.push(other);
            }
        }
    }
    next
}

/// The nodes of a new level that the other side has reached.
fn meeting_nodes<N: Copy + Eq + Hash>(level: &[N], other_side: &FxHashMap<N, usize>) -> Vec<N> {
    level
        .iter()
        .copied()
        .filter(|node| other_side.contains_key(node))
        .collect()
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
/// O(k · L · (V + E log Δ)) for paths of up to L edges, as [`shortest_path`] for each spur
/// node of each path found, plus O(k · L · log(k · L)) to keep the candidates ordered.
pub fn k_shortest_paths<G>(
    graph: G,
    from: G::NodeId,
    to: G::NodeId,
    k: usize,
    max_length: usize,
    direction: Direction,
) -> Vec<Path<G::NodeId, G::EdgeId>>
where
    G: IntoEdgesDirected,
    G::NodeId: Ord + Hash,
    G::EdgeId: Ord + Hash,
{
    if k == 0 {
        return Vec::new();
    }
    let Some(first) = shortest_path(graph, from, to, max_length, direction) else {
        return Vec::new();
    };
    let mut found = vec![first];
    // (length, nodes, edges): the first is the next shortest, ties in a fixed order.
    let mut candidates: BTreeSet<Candidate<G::NodeId, G::EdgeId>> = BTreeSet::new();
    while found.len() < k {
        let last = &found[found.len() - 1];
        for i in 0..last.len() {
            let spur = last.nodes[i];
            let root_edges = &last.edges[..i];
            // Edges leaving the spur node on the paths already found with this root.
            let banned_edges: FxHashSet<G::EdgeId> = found
                .iter()
                .filter(|p| p.len() > i && &p.edges[..i] == root_edges)
                .map(|p| p.edges[i])
                .collect();
            // The root's own nodes, so that the whole path stays simple.
            let banned_nodes: FxHashSet<G::NodeId> = last.nodes[..i].iter().copied().collect();
            if let Some(spur_path) = shortest_path_avoiding(
                graph,
                spur,
                to,
                max_length - i,
                direction,
                &banned_nodes,
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

    use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
    use petgraph::visit::EdgeRef;
    use proptest::prelude::*;

    use super::*;

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
            let both_ends =
                shortest_path_avoiding(&g, from, to, max, direction, &banned_nodes, &banned_edges);
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
            let mut reference: Vec<usize> = all_simple_paths(&g, from, to, max, direction)
                .iter()
                .map(Vec::len)
                .collect();
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
            let distinct: BTreeSet<&Vec<EdgeIndex>> = paths.iter().map(|p| &p.edges).collect();
            prop_assert_eq!(distinct.len(), paths.len(), "no path twice");
        }
    }
}
