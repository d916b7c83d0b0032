//! Benchmarks of the graph projection on generated graphs: building it from the store, and
//! neighbourhoods, paths and rankings over it; and a page of the relations of a hub of 34,000
//! relations, from the projection alone and with its statements read from the store.
//!
//! `cargo bench --bench projection` runs the seed and graphs of 10k and 100k edges (about 13 quads per
//! edge in the store) in a few minutes; `EVENTGRAPH_BENCH_LARGE=1` adds one of a million
//! edges (a few GB of memory and several minutes to load). Build throughput is reported per
//! edge, so the time per million edges is 10⁶ / (edges per second).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventgraph::api::rest::relations::{RelationsQuery, relations_page};
use eventgraph::catalog::PageRequest;
use eventgraph::config::StoreLocation;
use eventgraph::graph::generate::{generate, generate_with_hub};
use eventgraph::graph::rankings::{self, PageRankOptions};
use eventgraph::graph::{
    Direction, IncidentEdges, Projection, k_shortest_paths, neighborhood, shortest_path,
};
use eventgraph::model::EntityId;
use eventgraph::store::Store;
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

/// The seed: one article, 80 nodes.
fn seed(c: &mut Criterion) {
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

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = seed, projection, hub
}
criterion_main!(benches);
