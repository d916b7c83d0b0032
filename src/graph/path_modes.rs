//! The path selectors and modes of GQL and MillenniumDB beyond "k shortest simple paths"
//! (`paths::k_shortest_paths`): every shortest path ([`all_shortest_paths`]), the k shortest
//! walks, where nodes and edges may repeat ([`k_shortest_walks`]), and the k shortest trails,
//! where nodes may repeat but edges may not ([`k_shortest_trails`]).
//!
//! Like the other searches they walk any [`Neighbours`], expanding a node's neighbours in
//! (node, edge) order, so that every answer is the same on every call: paths of one length
//! come in the order of their (node, edge) sequences.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use rustc_hash::FxHashMap;

use super::marks::{Marks, PooledMarks};
use super::paths::{Path, shortest_path};
use super::{Direction, Neighbours};

/// Paths of a graph's nodes and edges.
pub type Paths<G> = Vec<Path<<G as Neighbours>::Node, <G as Neighbours>::Edge>>;

/// The other way along the edges.
fn reverse(direction: Direction) -> Direction {
    match direction {
        Direction::Out => Direction::In,
        Direction::In => Direction::Out,
        Direction::Both => Direction::Both,
    }
}

/// Distances to `to` (following edges in `direction` towards it) of the nodes within
/// `max_length`, by a breadth-first search backwards from `to`.
fn distances_to<G: Neighbours>(
    graph: G,
    to: G::Node,
    max_length: usize,
    direction: Direction,
) -> PooledMarks {
    let backward = reverse(direction);
    let mut distances = Marks::take(graph.node_bound());
    distances.set(graph.index_of(to), 0);
    let mut level = vec![to];
    let mut buffer = Vec::new();
    for depth in 1..=max_length {
        let mut next = Vec::new();
        let distance = u32::try_from(depth).unwrap_or(u32::MAX);
        for &node in &level {
            let _ = graph.each_neighbour(node, backward, &mut buffer, |other, _| {
                let at = graph.index_of(other);
                if !distances.contains(at) {
                    distances.set(at, distance);
                    next.push(other);
                }
                ControlFlow::Continue(())
            });
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    distances
}

/// Every shortest path from `from` to `to` of at most `max_length` edges, up to `limit` of
/// them, in the order of their (node, edge) sequences; and whether there were more.
///
/// # Complexity
/// The search of [`shortest_path`], a breadth-first search back from `to` within the
/// distance, then O(limit · L · Δ) to spell out the paths.
pub fn all_shortest_paths<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    limit: usize,
    max_length: usize,
    direction: Direction,
) -> (Paths<G>, bool) {
    let Some(first) = shortest_path(graph, from, to, max_length, direction) else {
        return (Vec::new(), false);
    };
    if first.is_empty() || limit == 0 {
        return (vec![first], false);
    }
    let length = first.len();
    let to_end = distances_to(graph, to, length, direction);
    let mut found = Vec::new();
    let mut more = false;
    let mut nodes = vec![from];
    let mut edges = Vec::with_capacity(length);
    let mut buffers: Vec<Vec<(G::Node, G::Edge)>> = vec![Vec::new(); length];
    // Depth-first over the edges that keep the distance to `to` falling by one each step.
    #[allow(clippy::too_many_arguments)]
    fn spell<G: Neighbours>(
        graph: G,
        direction: Direction,
        to_end: &Marks,
        length: usize,
        limit: usize,
        nodes: &mut Vec<G::Node>,
        edges: &mut Vec<G::Edge>,
        buffers: &mut [Vec<(G::Node, G::Edge)>],
        found: &mut Vec<Path<G::Node, G::Edge>>,
        more: &mut bool,
    ) -> ControlFlow<()> {
        let step = edges.len();
        if step == length {
            if found.len() == limit {
                *more = true;
                return ControlFlow::Break(());
            }
            found.push(Path {
                nodes: nodes.clone(),
                edges: edges.clone(),
            });
            return ControlFlow::Continue(());
        }
        let wanted = u32::try_from(length - step - 1).ok();
        let at = nodes[step];
        let (buffer, rest) = buffers.split_first_mut().expect("one buffer per step");
        let mut next = Vec::new();
        let _ = graph.each_neighbour(at, direction, buffer, |other, edge| {
            // A self-loop walked both ways comes twice: once is enough.
            if to_end.get(graph.index_of(other)) == wanted && next.last() != Some(&(other, edge)) {
                next.push((other, edge));
            }
            ControlFlow::Continue(())
        });
        for (other, edge) in next {
            nodes.push(other);
            edges.push(edge);
            let flow = spell(
                graph, direction, to_end, length, limit, nodes, edges, rest, found, more,
            );
            nodes.pop();
            edges.pop();
            flow?;
        }
        ControlFlow::Continue(())
    }
    let _ = spell(
        graph,
        direction,
        &to_end,
        length,
        limit,
        &mut nodes,
        &mut edges,
        &mut buffers,
        &mut found,
        &mut more,
    );
    (found, more)
}

/// Up to `k` walks from `from` to `to` of at most `max_length` edges, shortest first: nodes
/// and edges may repeat (a walk around a cycle and back is a walk).
///
/// A breadth-first search in which each node is expanded at most `k` times, the classic
/// k-shortest-walks search: the i-th time a node is reached is by its i-th shortest walk from
/// `from`, so the first `k` arrivals at `to` are the answer. Walks of one length come in
/// breadth-first order of their (node, edge) sequences.
///
/// # Complexity
/// O(k · (V + E)) for the V nodes and E edges within `max_length` of `from`.
pub fn k_shortest_walks<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    k: usize,
    max_length: usize,
    direction: Direction,
) -> Vec<Path<G::Node, G::Edge>> {
    /// One arrival: the node, the edge it came over and the arrival it came from.
    struct Arrival<N, E> {
        node: N,
        step: Option<(E, usize)>,
        length: usize,
    }
    let mut arrivals: Vec<Arrival<G::Node, G::Edge>> = vec![Arrival {
        node: from,
        step: None,
        length: 0,
    }];
    let mut queue = VecDeque::from([0usize]);
    let mut expanded: FxHashMap<usize, usize> = FxHashMap::default();
    let mut found = Vec::new();
    let mut buffer = Vec::new();
    while let Some(index) = queue.pop_front() {
        let (node, length) = (arrivals[index].node, arrivals[index].length);
        let times = expanded.entry(graph.index_of(node)).or_insert(0);
        if *times >= k {
            continue;
        }
        *times += 1;
        if node == to {
            let mut nodes = vec![node];
            let mut edges = Vec::with_capacity(length);
            let mut at = index;
            while let Some((edge, previous)) = arrivals[at].step {
                edges.push(edge);
                nodes.push(arrivals[previous].node);
                at = previous;
            }
            nodes.reverse();
            edges.reverse();
            found.push(Path { nodes, edges });
            if found.len() == k {
                break;
            }
        }
        if length == max_length {
            continue;
        }
        let mut last = None;
        let _ = graph.each_neighbour(node, direction, &mut buffer, |other, edge| {
            // A self-loop walked both ways comes twice: once is enough.
            if last == Some((other, edge)) {
                return ControlFlow::Continue(());
            }
            last = Some((other, edge));
            queue.push_back(arrivals.len());
            arrivals.push(Arrival {
                node: other,
                step: Some((edge, index)),
                length: length + 1,
            });
            ControlFlow::Continue(())
        });
    }
    found
}

/// What a trail search may spend: neighbour visits, after which it stops with what it found.
pub const TRAIL_BUDGET: usize = 2_000_000;

/// Up to `k` trails from `from` to `to` of at most `max_length` edges, shortest first: nodes
/// may repeat, edges may not. And whether the search stopped at its budget
/// ([`TRAIL_BUDGET`] neighbour visits) before it could tell there are no more.
///
/// Length by length, a depth-first search that follows only edges from which `to` is still
/// within reach (its distance to `to`, ignoring the edges already used, is a lower bound), so
/// that it spells out trails of that length in (node, edge) order.
///
/// # Complexity
/// Exponential in `max_length` at worst (there can be that many trails), bounded by the
/// budget.
pub fn k_shortest_trails<G: Neighbours>(
    graph: G,
    from: G::Node,
    to: G::Node,
    k: usize,
    max_length: usize,
    direction: Direction,
) -> (Paths<G>, bool) {
    let to_end = distances_to(graph, to, max_length, direction);
    let Some(least) = to_end.get(graph.index_of(from)) else {
        return (Vec::new(), false);
    };
    let mut search = TrailSearch {
        graph,
        direction,
        to,
        to_end: &to_end,
        k,
        budget: TRAIL_BUDGET,
        found: Vec::new(),
        nodes: vec![from],
        edges: Vec::new(),
        buffers: vec![Vec::new(); max_length + 1],
    };
    for length in usize::try_from(least).unwrap_or(usize::MAX)..=max_length {
        if search.spell(length).is_break() {
            break;
        }
    }
    let out_of_budget = search.budget == 0 && search.found.len() < k;
    (search.found, out_of_budget)
}

struct TrailSearch<'m, G: Neighbours> {
    graph: G,
    direction: Direction,
    to: G::Node,
    to_end: &'m Marks,
    k: usize,
    budget: usize,
    found: Vec<Path<G::Node, G::Edge>>,
    nodes: Vec<G::Node>,
    edges: Vec<G::Edge>,
    buffers: Vec<Vec<(G::Node, G::Edge)>>,
}

impl<G: Neighbours> TrailSearch<'_, G> {
    /// Adds the trails of exactly `length` edges that extend the current prefix; breaks when
    /// `k` are found or the budget is spent.
    fn spell(&mut self, length: usize) -> ControlFlow<()> {
        let step = self.edges.len();
        let at = self.nodes[step];
        if step == length {
            if at == self.to {
                self.found.push(Path {
                    nodes: self.nodes.clone(),
                    edges: self.edges.clone(),
                });
                if self.found.len() == self.k {
                    return ControlFlow::Break(());
                }
            }
            return ControlFlow::Continue(());
        }
        let remaining = length - step - 1;
        let mut buffer = std::mem::take(&mut self.buffers[step]);
        let mut next = Vec::new();
        let (graph, to_end, edges) = (self.graph, self.to_end, &self.edges);
        let mut visits = 0;
        let _ = graph.each_neighbour(at, self.direction, &mut buffer, |other, edge| {
            visits += 1;
            let reachable = to_end
                .get(graph.index_of(other))
                .is_some_and(|d| usize::try_from(d).is_ok_and(|d| d <= remaining));
            if reachable && !edges.contains(&edge) && next.last() != Some(&(other, edge)) {
                next.push((other, edge));
            }
            ControlFlow::Continue(())
        });
        self.buffers[step] = buffer;
        self.budget = self.budget.saturating_sub(visits);
        if self.budget == 0 {
            return ControlFlow::Break(());
        }
        for (other, edge) in next {
            self.nodes.push(other);
            self.edges.push(edge);
            let flow = self.spell(length);
            self.nodes.pop();
            self.edges.pop();
            flow?;
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
    use proptest::prelude::*;

    use super::*;

    /// Every path from `from` to `to` of at most `max_length` edges that `keep` accepts,
    /// sorted by (length, nodes, edges): the brute-force reference.
    fn every_path(
        graph: &DiGraph<(), ()>,
        from: NodeIndex,
        to: NodeIndex,
        max_length: usize,
        direction: Direction,
        keep: &dyn Fn(&Path<NodeIndex, EdgeIndex>) -> bool,
    ) -> Vec<Path<NodeIndex, EdgeIndex>> {
        let mut out = Vec::new();
        let mut stack = vec![Path {
            nodes: vec![from],
            edges: vec![],
        }];
        let mut buffer = Vec::new();
        while let Some(path) = stack.pop() {
            let at = *path.nodes.last().unwrap();
            if at == to && keep(&path) {
                out.push(path.clone());
            }
            if path.len() == max_length {
                continue;
            }
            let mut last = None;
            let _ = graph.each_neighbour(at, direction, &mut buffer, |other, edge| {
                if last == Some((other, edge)) {
                    return ControlFlow::Continue(());
                }
                last = Some((other, edge));
                let mut next = path.clone();
                next.nodes.push(other);
                next.edges.push(edge);
                stack.push(next);
                ControlFlow::Continue(())
            });
        }
        // Shortest first, then step by step by (node, edge), as the searches spell them.
        let key = |p: &Path<NodeIndex, EdgeIndex>| {
            let steps: Vec<(NodeIndex, EdgeIndex)> = p.nodes[1..]
                .iter()
                .copied()
                .zip(p.edges.iter().copied())
                .collect();
            (p.len(), steps)
        };
        out.sort_by_key(key);
        out
    }

    fn is_trail(path: &Path<NodeIndex, EdgeIndex>) -> bool {
        let mut edges = path.edges.clone();
        edges.sort();
        edges.dedup();
        edges.len() == path.edges.len()
    }

    fn graph_of(nodes: usize, edges: &[(usize, usize)]) -> DiGraph<(), ()> {
        let mut graph = DiGraph::new();
        for _ in 0..nodes {
            graph.add_node(());
        }
        for &(a, b) in edges {
            graph.add_edge(NodeIndex::new(a % nodes), NodeIndex::new(b % nodes), ());
        }
        graph
    }

    fn directions() -> impl Strategy<Value = Direction> {
        prop_oneof![
            Just(Direction::Out),
            Just(Direction::In),
            Just(Direction::Both)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn all_shortest_paths_are_every_path_of_the_least_length(
            edges in prop::collection::vec((0usize..7, 0usize..7), 0..16),
            from in 0usize..7, to in 0usize..7, direction in directions(),
        ) {
            let graph = graph_of(7, &edges);
            let (from, to) = (NodeIndex::new(from), NodeIndex::new(to));
            let every = every_path(&graph, from, to, 4, direction, &|_| true);
            let (found, more) = all_shortest_paths(&graph, from, to, 1000, 4, direction);
            let least = every.first().map(Path::len);
            let expected: Vec<_> = every.into_iter().filter(|p| Some(p.len()) == least).collect();
            prop_assert!(!more);
            prop_assert_eq!(found, expected);
        }

        #[test]
        fn k_shortest_walks_have_the_lengths_of_the_k_shortest_walks(
            edges in prop::collection::vec((0usize..6, 0usize..6), 0..12),
            from in 0usize..6, to in 0usize..6, k in 1usize..8, direction in directions(),
        ) {
            let graph = graph_of(6, &edges);
            let (from, to) = (NodeIndex::new(from), NodeIndex::new(to));
            let every = every_path(&graph, from, to, 4, direction, &|_| true);
            let found = k_shortest_walks(&graph, from, to, k, 4, direction);
            let lengths: Vec<usize> = found.iter().map(Path::len).collect();
            let expected: Vec<usize> = every.iter().take(k).map(Path::len).collect();
            prop_assert_eq!(lengths, expected);
            for walk in &found {
                prop_assert!(every.contains(walk), "{:?} is no walk", walk);
            }
            let mut distinct = found.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), found.len());
        }

        #[test]
        fn k_shortest_trails_are_the_first_k_trails(
            edges in prop::collection::vec((0usize..6, 0usize..6), 0..12),
            from in 0usize..6, to in 0usize..6, k in 1usize..8, direction in directions(),
        ) {
            let graph = graph_of(6, &edges);
            let (from, to) = (NodeIndex::new(from), NodeIndex::new(to));
            let every = every_path(&graph, from, to, 5, direction, &is_trail);
            let (found, stopped) = k_shortest_trails(&graph, from, to, k, 5, direction);
            prop_assert!(!stopped);
            let expected: Vec<_> = every.into_iter().take(k).collect();
            prop_assert_eq!(found, expected);
        }
    }
}
