//! Rankings: which nodes matter most, by degree, PageRank or betweenness.
//!
//! Each measure returns a score for every node, indexed by [`NodeIndexable::to_index`], so
//! that a caller can compute it once per projection and cache it (betweenness is costly);
//! [`top_n`] then keeps the best nodes that pass a filter (a node type, through
//! [`Projection::is_a`](super::Projection::is_a)), ties broken by node index.
//!
//! PageRank and betweenness run on the simple graph underneath: two edges between the same
//! nodes (two predicates) count once, and self-loops not at all. petgraph's own
//! `algo::page_rank` is not used: it takes O(n · V² · E) time, assumes node indices without
//! holes (a `StableGraph` after removals has some) and gives the teleport term only to nodes
//! without an edge to the target.

use std::hash::Hash;

use petgraph::visit::{IntoEdgesDirected, IntoNodeIdentifiers, NodeIndexable};

use super::{Direction, sorted_neighbours};

/// A node and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked<N> {
    /// The node.
    pub node: N,
    /// Its score in the measure ranked by.
    pub score: f64,
}

/// How PageRank iterates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// The probability of following an edge rather than jumping to a random node.
    damping: f64,
    /// The most iterations.
    max_iterations: usize,
    /// Stop when the scores move by less than this in total (L1 norm).
    tolerance: f64,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        Self {
            damping: 0.85,
            max_iterations: 100,
            tolerance: 1e-9,
        }
    }
}

impl PageRankOptions {
    /// Sets the damping factor (default 0.85), clamped to [0, 1].
    #[must_use]
    pub fn with_damping(mut self, damping: f64) -> Self {
        self.damping = damping.clamp(0.0, 1.0);
        self
    }

    /// Sets the most iterations (default 100).
    #[must_use]
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Sets the convergence tolerance on the L1 change of the scores (default 1e-9).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }
}

/// The number of edges of each node in `direction`: out-degree, in-degree, or both (a
/// self-loop then counts twice).
///
/// # Complexity
/// O(V + E).
pub fn degree<G>(graph: G, direction: Direction) -> Vec<f64>
where
    G: IntoNodeIdentifiers + IntoEdgesDirected + NodeIndexable,
{
    let mut scores = vec![0.0; graph.node_bound()];
    for node in graph.node_identifiers() {
        let out = || {
            graph
                .edges_directed(node, petgraph::Direction::Outgoing)
                .count()
        };
        let into = || {
            graph
                .edges_directed(node, petgraph::Direction::Incoming)
                .count()
        };
        scores[graph.to_index(node)] = match direction {
            Direction::Out => out(),
            Direction::In => into(),
            Direction::Both => out() + into(),
        } as f64;
    }
    scores
}

/// PageRank of every node, following edges in `direction` (`Both`: as an undirected graph),
/// with uniform teleport and the rank of nodes without edges spread uniformly; the scores sum
/// to 1.
///
/// # Complexity
/// O(E log Δ) to build the adjacency, then O(I · (V + E)) for I iterations (at most
/// `max_iterations`).
pub fn pagerank<G>(graph: G, direction: Direction, options: &PageRankOptions) -> Vec<f64>
where
    G: IntoNodeIdentifiers + IntoEdgesDirected + NodeIndexable,
    G::NodeId: Ord + Hash,
    G::EdgeId: Ord,
{
    let adjacency = Adjacency::new(graph, direction);
    let rank = pagerank_on(&adjacency, options);
    let mut scores = vec![0.0; graph.node_bound()];
    for (u, &node) in adjacency.nodes.iter().enumerate() {
        scores[graph.to_index(node)] = rank[u];
    }
    scores
}

/// PageRank on adjacency lists already built, by position in [`Adjacency::nodes`] (for a
/// caller that copies the graph out under a lock and computes later).
///
/// # Complexity
/// O(I · (V + E)) for I iterations (at most `max_iterations`).
pub fn pagerank_on<N: Copy>(adjacency: &Adjacency<N>, options: &PageRankOptions) -> Vec<f64> {
    let n = adjacency.len();
    if n == 0 {
        return Vec::new();
    }
    let d = options.damping;
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..options.max_iterations {
        let dangling: f64 = (0..n)
            .filter(|&u| adjacency.neighbours(u).is_empty())
            .map(|u| rank[u])
            .sum();
        next.fill((1.0 - d) * uniform + d * dangling * uniform);
        for (u, &r) in rank.iter().enumerate() {
            let targets = adjacency.neighbours(u);
            if !targets.is_empty() {
                let share = d * r / targets.len() as f64;
                for &v in targets {
                    next[v as usize] += share;
                }
            }
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < options.tolerance {
            break;
        }
    }
    rank
}

/// Betweenness centrality of every node: the sum, over pairs of other nodes (s, t), of the
/// share of shortest s–t paths through it (Brandes' algorithm on the unweighted graph).
///
/// `Out` and `In` count directed paths (the same scores: reversing every edge reverses every
/// path); `Both` counts undirected paths, each unordered pair once. Scores are not normalised.
///
/// # Complexity
/// O(V · E) time and O(V + E) space: about a second for 10⁴ nodes and 10⁵ edges, so compute
/// it once per projection, not per request.
pub fn betweenness<G>(graph: G, direction: Direction) -> Vec<f64>
where
    G: IntoNodeIdentifiers + IntoEdgesDirected + NodeIndexable,
    G::NodeId: Ord + Hash,
    G::EdgeId: Ord,
{
    let adjacency = Adjacency::new(graph, direction);
    let centrality = betweenness_on(&adjacency, direction, 0..adjacency.len());
    let mut scores = vec![0.0; graph.node_bound()];
    for (u, &node) in adjacency.nodes.iter().enumerate() {
        scores[graph.to_index(node)] = centrality[u];
    }
    scores
}

/// Betweenness on adjacency lists already built, by position in [`Adjacency::nodes`],
/// summing the dependencies of the shortest paths from `sources` only. With every position as
/// a source it is exact; with k sources drawn uniformly and the scores scaled by V / k it is
/// the unbiased estimate of Brandes and Pich (2007), for graphs too large for O(V · E).
///
/// # Complexity
/// O(k · E) time for k sources, O(V + E) space.
pub fn betweenness_on<N: Copy>(
    adjacency: &Adjacency<N>,
    direction: Direction,
    sources: impl IntoIterator<Item = usize>,
) -> Vec<f64> {
    let n = adjacency.len();
    let mut centrality = vec![0.0; n];
    let mut order = Vec::with_capacity(n);
    let mut paths = vec![0.0_f64; n];
    let mut distance = vec![usize::MAX; n];
    let mut dependency = vec![0.0_f64; n];
    let mut queue = std::collections::VecDeque::with_capacity(n);
    for s in sources {
        order.clear();
        paths.fill(0.0);
        distance.fill(usize::MAX);
        dependency.fill(0.0);
        paths[s] = 1.0;
        distance[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &w in adjacency.neighbours(v) {
                let w = w as usize;
                if distance[w] == usize::MAX {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    paths[w] += paths[v];
                }
            }
        }
        // Predecessors are the neighbours one step closer (in the reversed adjacency for
        // directed graphs), so walk back from the farthest nodes.
        for &w in order.iter().rev() {
            for &v in adjacency.predecessors(w) {
                let v = v as usize;
                if distance[v] != usize::MAX && distance[v] + 1 == distance[w] {
                    dependency[v] += paths[v] / paths[w] * (1.0 + dependency[w]);
                }
            }
            if w != s {
                centrality[w] += dependency[w];
            }
        }
    }
    if direction == Direction::Both {
        for score in &mut centrality {
            *score *= 0.5;
        }
    }
    centrality
}

/// The `n` nodes with the highest scores among those `keep` accepts, best first, ties broken
/// by node index.
///
/// # Complexity
/// O(V + k log k) for the k nodes kept.
pub fn top_n<G, F>(graph: G, scores: &[f64], mut keep: F, n: usize) -> Vec<Ranked<G::NodeId>>
where
    G: IntoNodeIdentifiers + NodeIndexable,
    F: FnMut(G::NodeId) -> bool,
{
    let mut ranked: Vec<(f64, usize, G::NodeId)> = graph
        .node_identifiers()
        .filter(|&node| keep(node))
        .map(|node| {
            let index = graph.to_index(node);
            (scores.get(index).copied().unwrap_or(0.0), index, node)
        })
        .collect();
    let order = |a: &(f64, usize, G::NodeId), b: &(f64, usize, G::NodeId)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
    };
    if ranked.len() > n && n > 0 {
        ranked.select_nth_unstable_by(n - 1, order);
    }
    ranked.truncate(n);
    ranked.sort_unstable_by(order);
    ranked
        .into_iter()
        .map(|(score, _, node)| Ranked { node, score })
        .collect()
}

/// The simple graph under `graph` as compact adjacency lists (positions, not node ids), with
/// the reversed lists for walking back.
#[derive(Debug, Clone)]
pub struct Adjacency<N> {
    /// Position → node.
    nodes: Vec<N>,
    /// Neighbours of position `u`: `targets[offsets[u]..offsets[u + 1]]`.
    offsets: Vec<usize>,
    targets: Vec<u32>,
    /// The same, reversed (the lists above for `Both`, which is symmetric).
    reverse_offsets: Vec<usize>,
    reverse_targets: Vec<u32>,
}

impl<N: Copy> Adjacency<N> {
    /// The adjacency of `graph` followed in `direction` (`Both`: as an undirected graph).
    ///
    /// # Complexity
    /// O(V + E log Δ).
    pub fn new<G>(graph: G, direction: Direction) -> Self
    where
        G: IntoNodeIdentifiers<NodeId = N> + IntoEdgesDirected + NodeIndexable,
        G::NodeId: Ord + Hash,
        G::EdgeId: Ord,
    {
        let nodes: Vec<N> = graph.node_identifiers().collect();
        let mut position = vec![u32::MAX; graph.node_bound()];
        for (u, &node) in nodes.iter().enumerate() {
            // Node counts fit petgraph's u32 indices.
            position[graph.to_index(node)] = u as u32;
        }
        let mut offsets = Vec::with_capacity(nodes.len() + 1);
        let mut targets = Vec::new();
        let mut around = Vec::new();
        offsets.push(0);
        for &node in &nodes {
            sorted_neighbours(graph, node, direction, &mut around);
            let mut previous = None;
            for &(other, _) in &around {
                if other == node || previous == Some(other) {
                    continue;
                }
                previous = Some(other);
                targets.push(position[graph.to_index(other)]);
            }
            offsets.push(targets.len());
        }
        let (reverse_offsets, reverse_targets) = if direction == Direction::Both {
            (Vec::new(), Vec::new())
        } else {
            reverse(nodes.len(), &offsets, &targets)
        };
        Self {
            nodes,
            offsets,
            targets,
            reverse_offsets,
            reverse_targets,
        }
    }

    /// How many nodes it has.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether it has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node at each position.
    pub fn nodes(&self) -> &[N] {
        &self.nodes
    }

    fn neighbours(&self, u: usize) -> &[u32] {
        &self.targets[self.offsets[u]..self.offsets[u + 1]]
    }

    fn predecessors(&self, u: usize) -> &[u32] {
        if self.reverse_offsets.is_empty() {
            self.neighbours(u)
        } else {
            &self.reverse_targets[self.reverse_offsets[u]..self.reverse_offsets[u + 1]]
        }
    }
}

/// The transpose of adjacency lists.
fn reverse(n: usize, offsets: &[usize], targets: &[u32]) -> (Vec<usize>, Vec<u32>) {
    let mut counts = vec![0usize; n + 1];
    for &v in targets {
        counts[v as usize + 1] += 1;
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    let reverse_offsets = counts.clone();
    let mut reverse_targets = vec![0u32; targets.len()];
    for u in 0..n {
        for &v in &targets[offsets[u]..offsets[u + 1]] {
            reverse_targets[counts[v as usize]] = u as u32;
            counts[v as usize] += 1;
        }
    }
    (reverse_offsets, reverse_targets)
}

#[cfg(test)]
mod tests {
    use petgraph::graph::{DiGraph, NodeIndex};
    use proptest::prelude::*;

    use super::*;

    fn graph(size: usize, edges: &[(u8, u8)]) -> DiGraph<(), ()> {
        let mut g = DiGraph::new();
        for _ in 0..size {
            g.add_node(());
        }
        for &(a, b) in edges {
            g.add_edge(
                NodeIndex::new(a as usize % size),
                NodeIndex::new(b as usize % size),
                (),
            );
        }
        g
    }

    /// The distinct neighbours of each node in `direction`, without self-loops.
    fn simple(g: &DiGraph<(), ()>, direction: Direction) -> Vec<Vec<usize>> {
        let mut adjacency = vec![Vec::new(); g.node_count()];
        for e in g.raw_edges() {
            let (a, b) = (e.source().index(), e.target().index());
            if a == b {
                continue;
            }
            if direction != Direction::In {
                adjacency[a].push(b);
            }
            if direction != Direction::Out {
                adjacency[b].push(a);
            }
        }
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
        }
        adjacency
    }

    /// PageRank by the textbook formula, iterated a fixed number of times.
    fn reference_pagerank(g: &DiGraph<(), ()>, direction: Direction, d: f64) -> Vec<f64> {
        let adjacency = simple(g, direction);
        let n = adjacency.len();
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..200 {
            rank = (0..n)
                .map(|v| {
                    let mut x = (1.0 - d) / n as f64;
                    for (u, targets) in adjacency.iter().enumerate() {
                        if targets.is_empty() {
                            x += d * rank[u] / n as f64;
                        } else if targets.contains(&v) {
                            x += d * rank[u] / targets.len() as f64;
                        }
                    }
                    x
                })
                .collect();
        }
        rank
    }

    /// Betweenness from all-pairs distances and path counts: σ_st(v) = σ_sv · σ_vt when v
    /// lies on a shortest s–t path.
    fn reference_betweenness(g: &DiGraph<(), ()>, direction: Direction) -> Vec<f64> {
        let adjacency = simple(g, direction);
        let n = adjacency.len();
        let mut dist = vec![vec![usize::MAX; n]; n];
        let mut count = vec![vec![0.0; n]; n];
        for s in 0..n {
            dist[s][s] = 0;
            count[s][s] = 1.0;
            let mut frontier = vec![s];
            let mut d = 0;
            while !frontier.is_empty() {
                let mut next = Vec::new();
                for &u in &frontier {
                    for &v in &adjacency[u] {
                        if dist[s][v] == usize::MAX {
                            dist[s][v] = d + 1;
                            next.push(v);
                        }
                        if dist[s][v] == d + 1 {
                            count[s][v] += count[s][u];
                        }
                    }
                }
                next.sort_unstable();
                next.dedup();
                frontier = next;
                d += 1;
            }
        }
        let mut scores = vec![0.0; n];
        for s in 0..n {
            for t in 0..n {
                if s == t || dist[s][t] == usize::MAX {
                    continue;
                }
                for v in 0..n {
                    if v != s
                        && v != t
                        && dist[s][v] != usize::MAX
                        && dist[v][t] != usize::MAX
                        && dist[s][v] + dist[v][t] == dist[s][t]
                    {
                        scores[v] += count[s][v] * count[v][t] / count[s][t];
                    }
                }
            }
        }
        if direction == Direction::Both {
            scores.iter_mut().for_each(|s| *s /= 2.0);
        }
        scores
    }

    #[test]
    fn degree_counts_edges_in_each_direction() {
        let g = graph(3, &[(0, 1), (0, 1), (1, 2), (2, 2)]);
        assert_eq!(degree(&g, Direction::Out), vec![2.0, 1.0, 1.0]);
        assert_eq!(degree(&g, Direction::In), vec![0.0, 2.0, 2.0]);
        assert_eq!(degree(&g, Direction::Both), vec![2.0, 3.0, 3.0]);
    }

    #[test]
    fn betweenness_of_the_middle_of_a_path_counts_the_pair_it_joins() {
        let g = graph(3, &[(0, 1), (1, 2)]);
        assert_eq!(betweenness(&g, Direction::Both), vec![0.0, 1.0, 0.0]);
        assert_eq!(betweenness(&g, Direction::Out), vec![0.0, 1.0, 0.0]);
        assert_eq!(
            betweenness(&graph(3, &[(1, 0), (1, 2)]), Direction::Out),
            vec![0.0; 3]
        );
    }

    #[test]
    fn top_n_keeps_the_filtered_best_and_breaks_ties_by_index() {
        let g = graph(5, &[]);
        let scores = [1.0, 3.0, 3.0, 0.5, 3.0];
        let top = top_n(&g, &scores, |n| n.index() != 4, 2);
        let picked: Vec<(usize, f64)> = top.iter().map(|r| (r.node.index(), r.score)).collect();
        assert_eq!(picked, vec![(1, 3.0), (2, 3.0)]);
        assert_eq!(top_n(&g, &scores, |_| true, 10).len(), 5);
        assert!(top_n(&g, &scores, |_| true, 0).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn pagerank_agrees_with_the_textbook_iteration_and_sums_to_one(
            size in 1usize..12,
            edges in proptest::collection::vec((0u8..12, 0u8..12), 0..40),
            direction in super::super::any_direction(),
        ) {
            let g = graph(size, &edges);
            let options = PageRankOptions::default().with_tolerance(1e-13).with_max_iterations(500);
            let ranks = pagerank(&g, direction, &options);
            let expected = reference_pagerank(&g, direction, 0.85);
            for (a, b) in ranks.iter().zip(&expected) {
                prop_assert!((a - b).abs() < 1e-9, "{:?} != {:?}", ranks, expected);
            }
            prop_assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }

        #[test]
        fn betweenness_agrees_with_counting_shortest_paths_pair_by_pair(
            size in 1usize..12,
            edges in proptest::collection::vec((0u8..12, 0u8..12), 0..40),
            direction in super::super::any_direction(),
        ) {
            let g = graph(size, &edges);
            let scores = betweenness(&g, direction);
            let expected = reference_betweenness(&g, direction);
            for (a, b) in scores.iter().zip(&expected) {
                prop_assert!((a - b).abs() < 1e-9, "{:?} != {:?}", scores, expected);
            }
        }
    }
}
