//! Benchmarks of the graph projection on generated graphs: building it from the store, and
//! neighbourhoods, paths and rankings over it; and a page of the relations of a hub of 34,000
//! relations, from the projection alone and with its statements read from the store.
//!
//! `cargo bench --bench projection` runs the seed and graphs of 10k and 100k edges (about 13 quads per
//! edge in the store) in a few minutes; `EVENTGRAPH_BENCH_LARGE=1` adds one of a million
//! edges (a few GB of memory and several minutes to load). Build throughput is reported per
//! edge, so the time per million edges is 10⁶ / (edges per second).
//!
//! The `adjacency` and `floor` groups (`cargo bench --bench projection -- 'adjacency|floor'`)
//! measure the traversals the REST API runs, over the projection's sorted adjacency, against
//! a plain compressed-sparse-row breadth-first search (`Vec<u32>` offsets and targets copied
//! from it, reused scratch) as the floor: a breadth-first search of the whole graph in edges
//! per second, the 2-hop neighbourhood of a hub and a shortest path from it; the same over
//! the petgraph graph for comparison. They print bytes per edge and the ratio of each
//! traversal to its floor (medians). The graph is `generate_with_hub(42, edges / 5, edges,
//! edges / 4)`, built in memory without a store; its size is `EVENTGRAPH_BENCH_EDGES` (default
//! 20,000 edges; 77,000 is the graph of about a million triples). Setting it runs these two
//! groups alone, in seconds: `EVENTGRAPH_BENCH_EDGES=77000 cargo bench --bench projection`.

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventgraph::api::rest::relations::{RelationsQuery, relations_page};
use eventgraph::catalog::PageRequest;
use eventgraph::config::StoreLocation;
use eventgraph::graph::generate::{generate, generate_with_hub};
use eventgraph::graph::rankings::{self, PageRankOptions};
use eventgraph::graph::{
    Direction, IncidentEdges, Projection, ProjectionOptions, k_shortest_paths, neighborhood,
    shortest_path,
};
use eventgraph::model::EntityId;
use eventgraph::store::Store;
use oxigraph::model::Quad;
use petgraph::stable_graph::NodeIndex;

/// A store holding a generated graph of `edges` direct triples, five per entity on average.
fn generated_store(edges: usize) -> Store {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    let quads = generate(42, edges / 5, edges);
    let mut loader = store.oxigraph().bulk_loader();
    loader.load_quads(quads).unwrap();
    loader.commit().unwrap();
    store
}

/// Pairs of nodes spread over the graph, the same on every run.
fn pairs(projection: &Projection, count: usize) -> Vec<(NodeIndex, NodeIndex)> {
    let nodes: Vec<NodeIndex> = projection.graph().node_indices().collect();
    (0..count)
        .map(|i| {
            let a = (i * 7919) % nodes.len();
            let b = (i * 104_729 + nodes.len() / 2) % nodes.len();
            (nodes[a], nodes[b])
        })
        .collect()
}

fn sizes() -> Vec<usize> {
    let mut sizes = vec![10_000, 100_000];
    if std::env::var_os("EVENTGRAPH_BENCH_LARGE").is_some() {
        sizes.push(1_000_000);
    }
    sizes
}

/// Whether `EVENTGRAPH_BENCH_EDGES` asks for the traversal groups alone.
fn traversal_only() -> bool {
    std::env::var_os("EVENTGRAPH_BENCH_EDGES").is_some()
}

/// The seed: one article, 80 nodes.
fn seed(c: &mut Criterion) {
    if traversal_only() {
        return;
    }
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store.seed_if_empty().unwrap();
    let projection = Projection::build(&store).unwrap();
    let graph = projection.graph();
    let node = |label: &str| {
        projection
            .entity(EntityId::from_canonical_name(label).iri().as_ref())
            .unwrap()
    };
    let (us, hamas, qatar) = (node("United States"), node("Hamas"), node("Qatar"));
    let mut group = c.benchmark_group("seed");
    group.bench_function("build", |b| {
        b.iter(|| Projection::build(black_box(&store)).unwrap());
    });
    group.bench_function("neighborhood_depth_2", |b| {
        b.iter(|| neighborhood(graph, black_box(qatar), 2, Direction::Both, 1000));
    });
    group.bench_function("shortest_path", |b| {
        b.iter(|| shortest_path(graph, black_box(us), hamas, 6, Direction::Both));
    });
    group.bench_function("k_shortest_paths_5", |b| {
        b.iter(|| k_shortest_paths(graph, black_box(us), hamas, 5, 6, Direction::Both));
    });
    group.bench_function("betweenness", |b| {
        b.iter(|| rankings::betweenness(graph, Direction::Both));
    });
    group.finish();
}

fn projection(c: &mut Criterion) {
    if traversal_only() {
        return;
    }
    for edges in sizes() {
        let store = generated_store(edges);
        let projection = Projection::build(&store).unwrap();
        let stats = projection.stats();
        eprintln!(
            "{edges} edges: {stats:?}, {:.1} bytes per edge",
            stats.bytes_per_edge()
        );

        let mut group = c.benchmark_group("build");
        group.throughput(Throughput::Elements(stats.edges as u64));
        group.bench_function(BenchmarkId::from_parameter(edges), |b| {
            b.iter(|| Projection::build(black_box(&store)).unwrap());
        });
        group.finish();

        let graph = projection.graph();
        let pairs = pairs(&projection, 256);
        let mut group = c.benchmark_group("traversal");
        let mut i = 0;
        group.bench_function(BenchmarkId::new("neighborhood_depth_2", edges), |b| {
            b.iter(|| {
                i = (i + 1) % pairs.len();
                neighborhood(graph, pairs[i].0, 2, Direction::Both, 1000)
            });
        });
        group.bench_function(BenchmarkId::new("shortest_path", edges), |b| {
            b.iter(|| {
                i = (i + 1) % pairs.len();
                shortest_path(graph, pairs[i].0, pairs[i].1, 6, Direction::Both)
            });
        });
        group.bench_function(BenchmarkId::new("k_shortest_paths_5", edges), |b| {
            b.iter(|| {
                i = (i + 1) % pairs.len();
                k_shortest_paths(graph, pairs[i].0, pairs[i].1, 5, 6, Direction::Both)
            });
        });
        group.bench_function(BenchmarkId::new("pagerank", edges), |b| {
            b.iter(|| rankings::pagerank(graph, Direction::Out, &PageRankOptions::default()));
        });
        if edges <= 10_000 {
            group.bench_function(BenchmarkId::new("betweenness", edges), |b| {
                b.iter(|| rankings::betweenness(graph, Direction::Both));
            });
        }
        group.finish();
    }
}

/// One entity with 34,000 relations among 10,000 entities and 20,000 other edges.
fn hub(c: &mut Criterion) {
    if traversal_only() {
        return;
    }
    let graph = generate_with_hub(42, 10_000, 20_000, 34_000);
    let (hub, _) = graph.hub.clone().unwrap();
    let store = Store::open(&StoreLocation::Memory).unwrap();
    let mut loader = store.oxigraph().bulk_loader();
    loader.load_quads(graph.quads).unwrap();
    loader.commit().unwrap();
    let view = eventgraph::read_models::ReadView::build(&store, 0).unwrap();
    let projection = &view.projection;
    let node = projection.node(hub.as_ref()).unwrap();
    let mut group = c.benchmark_group("hub_34000");
    group.bench_function("counts_and_first_101_in_order", |b| {
        b.iter(|| {
            let incident = IncidentEdges::new(projection, node, Direction::Both, None);
            let counts = incident.counts();
            (counts, incident.after(None, 101).take(101).count())
        });
    });
    for limit in [10, 100, 1000] {
        let query = RelationsQuery {
            direction: Direction::Both,
            predicate: None,
            after: None,
            page: PageRequest {
                limit,
                ..PageRequest::default()
            },
            evidence: eventgraph::graph::EvidenceFilter::default(),
        };
        group.bench_function(BenchmarkId::new("relations_page", limit), |b| {
            b.iter(|| {
                // A fresh cache each time: this measures the page read from the store.
                let cache = eventgraph::catalog::cache::ReadCache::default();
                relations_page(&store, &view, &cache, hub.as_ref(), black_box(&query)).unwrap()
            });
        });
    }
    group.finish();
}

/// A plain compressed-sparse-row copy of the graph in both directions, and a breadth-first
/// search over it with scratch reused between calls: the floor of what a traversal can cost.
struct Floor {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    /// The epoch each node was last reached in, and its distance (forward side) …
    seen: Vec<(u32, u32)>,
    /// … and the same for the backward side of a search from both ends.
    seen_back: Vec<(u32, u32)>,
    epoch: u32,
    queue: VecDeque<u32>,
}

impl Floor {
    fn new(projection: &Projection) -> Self {
        let adjacency = projection.adjacency();
        let bound = adjacency.node_bound();
        let mut offsets = Vec::with_capacity(bound + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for n in 0..bound {
            targets.extend(adjacency.targets(NodeIndex::new(n), Direction::Both));
            offsets.push(targets.len() as u32);
        }
        Self {
            offsets,
            targets,
            seen: vec![(0, 0); bound],
            seen_back: vec![(0, 0); bound],
            epoch: 0,
            queue: VecDeque::new(),
        }
    }

    fn of(&self, n: u32) -> &[u32] {
        &self.targets[self.offsets[n as usize] as usize..self.offsets[n as usize + 1] as usize]
    }

    /// The nodes within `depth` hops of `start`, and the edges scanned.
    fn bfs(&mut self, start: u32, depth: u32) -> (usize, usize) {
        self.epoch += 1;
        let epoch = self.epoch;
        self.seen[start as usize] = (epoch, 0);
        self.queue.clear();
        self.queue.push_back(start);
        let (mut reached, mut scanned) = (1, 0);
        while let Some(n) = self.queue.pop_front() {
            let d = self.seen[n as usize].1;
            if d == depth {
                continue;
            }
            let (from, to) = (self.offsets[n as usize], self.offsets[n as usize + 1]);
            scanned += (to - from) as usize;
            for &m in &self.targets[from as usize..to as usize] {
                if self.seen[m as usize].0 != epoch {
                    self.seen[m as usize] = (epoch, d + 1);
                    self.queue.push_back(m);
                    reached += 1;
                }
            }
        }
        (reached, scanned)
    }

    /// The distance from `from` to `to`, searching from both ends a level at a time and
    /// expanding the frontier with fewer edges.
    fn distance(&mut self, from: u32, to: u32) -> Option<u32> {
        if from == to {
            return Some(0);
        }
        self.epoch += 1;
        let epoch = self.epoch;
        self.seen[from as usize] = (epoch, 0);
        self.seen_back[to as usize] = (epoch, 0);
        let (mut forward, mut backward) = (vec![from], vec![to]);
        let (mut a, mut b) = (0, 0);
        let mut next = Vec::new();
        while !forward.is_empty() && !backward.is_empty() {
            let cost =
                |frontier: &[u32]| -> usize { frontier.iter().map(|&n| self.of(n).len()).sum() };
            let go_forward = cost(&forward) <= cost(&backward);
            let (frontier, mine, theirs, depth) = if go_forward {
                (&forward, &mut self.seen, &self.seen_back, &mut a)
            } else {
                (&backward, &mut self.seen_back, &self.seen, &mut b)
            };
            next.clear();
            let mut met = None;
            for &n in frontier.iter() {
                for &m in &self.targets
                    [self.offsets[n as usize] as usize..self.offsets[n as usize + 1] as usize]
                {
                    if mine[m as usize].0 != epoch {
                        mine[m as usize] = (epoch, *depth + 1);
                        next.push(m);
                        if theirs[m as usize].0 == epoch {
                            met = Some(*depth + 1 + theirs[m as usize].1);
                        }
                    }
                }
            }
            *depth += 1;
            if met.is_some() {
                return met;
            }
            if go_forward {
                std::mem::swap(&mut forward, &mut next);
            } else {
                std::mem::swap(&mut backward, &mut next);
            }
        }
        None
    }
}

/// The median time of `run`, over `rounds` rounds of enough calls to take about a millisecond.
fn median(rounds: usize, mut run: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_millis(1) {
        run();
        calls += 1;
    }
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                run();
            }
            start.elapsed() / calls
        })
        .collect();
    times.sort_unstable();
    times[rounds / 2]
}

/// The traversals the REST API runs, over the sorted adjacency, against the floor.
fn adjacency(c: &mut Criterion) {
    let edges: usize = std::env::var("EVENTGRAPH_BENCH_EDGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let graph = generate_with_hub(42, edges / 5, edges, edges / 4);
    let quads: Vec<Quad> = graph.quads;
    let projection =
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
    let before = projection.stats();
    let built = Instant::now();
    let adjacency = projection.adjacency();
    let build_time = built.elapsed();
    let stats = projection.stats();
    let hub = projection
        .node(graph.hub.as_ref().unwrap().0.as_ref())
        .unwrap();
    let view = adjacency.view(None);
    let petgraph = projection.graph();
    // A node three hops from the hub (else two), the farthest a typical path goes here.
    let around = neighborhood(view, hub, 3, Direction::Both, usize::MAX);
    let far = around.nodes.last().map(|&(n, _)| n).unwrap();
    let mut floor = Floor::new(&projection);
    let (reached_2, _) = floor.bfs(hub.index() as u32, 2);
    let (reached_all, scanned_all) = floor.bfs(hub.index() as u32, u32::MAX);
    let hub_degree = adjacency.degree(hub, Direction::Both);
    eprintln!(
        "graph: {} nodes, {} edges; hub of {hub_degree} edges; 2 hops from it: {reached_2} nodes; \
         the path goes to a node {} hops away",
        stats.nodes,
        stats.edges,
        around.nodes.last().unwrap().1
    );
    eprintln!(
        "memory: projection {:.1} bytes per edge, adjacency {:.1} more ({:.1} in all); \
         adjacency built in {build_time:?}",
        before.bytes_per_edge(),
        adjacency.bytes() as f64 / stats.edges as f64,
        stats.bytes_per_edge(),
    );

    let hub32 = hub.index() as u32;
    let far32 = far.index() as u32;
    let floor_2 = median(9, || {
        black_box(floor.bfs(black_box(hub32), 2));
    });
    let ours_2 = median(9, || {
        black_box(neighborhood(
            view,
            black_box(hub),
            2,
            Direction::Both,
            usize::MAX,
        ));
    });
    let floor_all = median(9, || {
        black_box(floor.bfs(black_box(hub32), u32::MAX));
    });
    let ours_all = median(9, || {
        black_box(neighborhood(
            view,
            black_box(hub),
            usize::MAX,
            Direction::Both,
            usize::MAX,
        ));
    });
    let floor_path = median(9, || {
        black_box(floor.distance(black_box(hub32), far32));
    });
    let ours_path = median(9, || {
        black_box(shortest_path(view, black_box(hub), far, 6, Direction::Both));
    });
    let petgraph_2 = median(5, || {
        black_box(neighborhood(
            petgraph,
            black_box(hub),
            2,
            Direction::Both,
            usize::MAX,
        ));
    });
    let petgraph_path = median(5, || {
        black_box(shortest_path(
            petgraph,
            black_box(hub),
            far,
            6,
            Direction::Both,
        ));
    });
    let per_second = |d: Duration| scanned_all as f64 / d.as_secs_f64() / 1e6;
    eprintln!(
        "whole graph from the hub ({reached_all} nodes, {scanned_all} edges scanned): floor {floor_all:?} \
         ({:.0} M edges/s), adjacency {ours_all:?} ({:.0} M edges/s): {:.2}× the floor",
        per_second(floor_all),
        per_second(ours_all),
        ours_all.as_secs_f64() / floor_all.as_secs_f64()
    );
    eprintln!(
        "2 hops from the hub: floor {floor_2:?}, adjacency {ours_2:?} ({:.2}× the floor), petgraph graph {petgraph_2:?}",
        ours_2.as_secs_f64() / floor_2.as_secs_f64()
    );
    eprintln!(
        "shortest path from the hub: floor (distance only) {floor_path:?}, adjacency {ours_path:?} \
         ({:.2}× the floor), petgraph graph {petgraph_path:?}",
        ours_path.as_secs_f64() / floor_path.as_secs_f64()
    );

    let mut group = c.benchmark_group("floor");
    group.throughput(Throughput::Elements(scanned_all as u64));
    group.bench_function(BenchmarkId::new("bfs_whole_graph", edges), |b| {
        b.iter(|| floor.bfs(black_box(hub32), u32::MAX));
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("two_hops_from_hub", edges), |b| {
        b.iter(|| floor.bfs(black_box(hub32), 2));
    });
    group.bench_function(BenchmarkId::new("distance_from_hub", edges), |b| {
        b.iter(|| floor.distance(black_box(hub32), far32));
    });
    group.finish();

    let mut group = c.benchmark_group("adjacency");
    group.bench_function(BenchmarkId::new("build", edges), |b| {
        b.iter(|| {
            eventgraph::graph::Adjacency::new(petgraph, |&relation| {
                projection.relation_of(relation).predicate
            })
        });
    });
    group.throughput(Throughput::Elements(scanned_all as u64));
    group.bench_function(BenchmarkId::new("bfs_whole_graph", edges), |b| {
        b.iter(|| {
            neighborhood(
                view,
                black_box(hub),
                usize::MAX,
                Direction::Both,
                usize::MAX,
            )
        });
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("two_hops_from_hub", edges), |b| {
        b.iter(|| neighborhood(view, black_box(hub), 2, Direction::Both, 10_000));
    });
    group.bench_function(BenchmarkId::new("shortest_path_from_hub", edges), |b| {
        b.iter(|| shortest_path(view, black_box(hub), far, 6, Direction::Both));
    });
    group.bench_function(
        BenchmarkId::new("k_shortest_paths_5_from_hub", edges),
        |b| {
            b.iter(|| k_shortest_paths(view, black_box(hub), far, 5, 6, Direction::Both));
        },
    );
    group.bench_function(BenchmarkId::new("petgraph_two_hops_from_hub", edges), |b| {
        b.iter(|| neighborhood(petgraph, black_box(hub), 2, Direction::Both, 10_000));
    });
    group.bench_function(
        BenchmarkId::new("petgraph_k_shortest_paths_5_from_hub", edges),
        |b| {
            b.iter(|| k_shortest_paths(petgraph, black_box(hub), far, 5, 6, Direction::Both));
        },
    );
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = seed, projection, hub, adjacency
}
criterion_main!(benches);
