//! What a provenance filter costs a traversal, and what the evidence costs the projection's
//! memory (issue 17): on a generated news graph of about a million quads in which every
//! direct triple is reported by three documents of 60 publishers (so about three statements
//! per edge, with the confirmations), the 2-hop neighbourhood of 256 entities and the shortest
//! path between 256 pairs, unfiltered and with each kind of filter, over the sorted adjacency
//! the REST API walks.
//!
//! `cargo bench --bench provenance` prints, before criterion's own figures, the median of
//! each traversal and its ratio to the unfiltered one (the target is at most 2×: measured
//! with filters every edge passes, so that both walk the same edges; a selective filter
//! changes the walk itself — a neighbourhood capped at 1,000 nodes that fills up at once
//! unfiltered may have to scan a hub's every edge filtered), and the
//! projection's estimated bytes per edge with the evidence against the same graph's without
//! its statements (the target is at most 1.5×). `EVENTGRAPH_BENCH_QUADS` sets the size
//! (default 1,000,000). It also prints what the best-supported path (`weight=publishers`,
//! `weight=recency`) costs against the unfiltered shortest path.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eventgraph::graph::generate::news::{NewsOptions, news};
use eventgraph::graph::{
    Direction, EdgeTest, EvidenceFilter, PathWeight, Projection, ProjectionOptions,
    best_supported_paths, neighborhood, shortest_path,
};
use eventgraph::vocab::eg;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term};
use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashSet;

/// The generated graph's quads.
fn quads() -> Vec<Quad> {
    let size: u64 = std::env::var("EVENTGRAPH_BENCH_QUADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut quads = Vec::new();
    news(
        &NewsOptions::triples(42, size).with_reports(3, 60),
        |quad| {
            quads.push(quad);
            Ok::<_, ()>(())
        },
    )
    .unwrap();
    quads
}

/// The quads less the statements' own (the same direct triples, with no evidence).
fn without_statements(quads: &[Quad]) -> Vec<Quad> {
    let statements: FxHashSet<&NamedOrBlankNode> = quads
        .iter()
        .filter(|q| q.predicate == rdf::TYPE && q.object == Term::from(eg::STATEMENT.into_owned()))
        .map(|q| &q.subject)
        .collect();
    quads
        .iter()
        .filter(|q| !statements.contains(&q.subject))
        .cloned()
        .collect()
}

/// Starts spread over the graph, the same on every run.
fn starts(projection: &Projection, count: usize) -> Vec<(NodeIndex, NodeIndex)> {
    let nodes: Vec<NodeIndex> = projection.graph().node_indices().collect();
    (0..count)
        .map(|i| {
            let a = (i * 7919) % nodes.len();
            let b = (i * 104_729 + nodes.len() / 2) % nodes.len();
            (nodes[a], nodes[b])
        })
        .collect()
}

/// The median time of one call of `run`, over 15 rounds of about 5 ms each.
fn median(mut run: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_millis(5) {
        run();
        calls += 1;
    }
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                run();
            }
            start.elapsed() / calls
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// The filters measured: one of each kind, with values that keep part of the graph.
fn filters(quads: &[Quad]) -> Vec<(&'static str, EvidenceFilter)> {
    let first = |predicate| {
        quads.iter().find_map(|q| {
            (q.predicate == predicate)
                .then(|| match &q.object {
                    Term::NamedNode(node) => Some(node.clone()),
                    _ => None,
                })
                .flatten()
        })
    };
    let publisher: NamedNode = first(oxigraph::model::NamedNodeRef::new_unchecked(
        "http://purl.org/dc/terms/publisher",
    ))
    .expect("the documents have publishers");
    let day = |d: &str| eventgraph::model::day_number(d);
    let f = EvidenceFilter::default;
    vec![
        // Filters every edge passes: the traversal is the same, so the ratio is the cost of
        // judging each edge from its evidence.
        ("pass_all_as_of_2100", f().with_as_of(day("2100-01-01"))),
        (
            "pass_all_as_of_2100_and_exclude_unknown",
            f().with_as_of(day("2100-01-01"))
                .with_excluded_sources(vec![NamedNode::new_unchecked(
                    "https://example.org/no-such-publisher",
                )]),
        ),
        // Selective filters: fewer edges pass, so a neighbourhood capped at 1,000 nodes or a
        // path search may walk much further before it stops.
        ("min_sources_2", f().with_min_sources(Some(2))),
        ("as_of_2024-01-01", f().with_as_of(day("2024-01-01"))),
        (
            "source_one_publisher",
            f().with_sources(vec![publisher.clone()]),
        ),
        ("exclude_source", f().with_excluded_sources(vec![publisher])),
        ("confirmed", f().with_confirmed(true)),
        (
            "as_of_and_min_sources_2",
            f().with_as_of(day("2024-06-30")).with_min_sources(Some(2)),
        ),
    ]
}

fn provenance(c: &mut Criterion) {
    let quads = quads();
    let projection =
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
    let bare_quads = without_statements(&quads);
    let bare = Projection::from_quads(
        bare_quads.iter().map(Quad::as_ref),
        ProjectionOptions::default(),
    );
    drop(bare_quads);
    let (stats, bare_stats) = (projection.stats(), bare.stats());
    let (with_evidence, evidences) = projection.evidence_counts();
    eprintln!(
        "{} quads: {} nodes, {} edges ({} with statements, {} distinct evidences, {:.2} per edge)",
        quads.len(),
        stats.nodes,
        stats.edges,
        with_evidence,
        evidences,
        evidences as f64 / with_evidence.max(1) as f64
    );
    eprintln!(
        "memory: {:.1} bytes per edge with evidence, {:.1} without ({} edges): {:.2}x (target at most 1.5x)",
        stats.bytes_per_edge(),
        bare_stats.bytes_per_edge(),
        bare_stats.edges,
        stats.bytes_per_edge() / bare_stats.bytes_per_edge()
    );
    drop(bare);
    let filters = filters(&quads);
    drop(quads);
    let starts = starts(&projection, 256);
    let adjacency = projection.adjacency();

    let run_neighborhoods = |test: Option<&EdgeTest<'_>>| {
        let view = adjacency.view(None).with_test(test);
        for &(start, _) in &starts {
            black_box(neighborhood(view, start, 2, Direction::Both, 1000));
        }
    };
    let run_paths = |test: Option<&EdgeTest<'_>>| {
        let view = adjacency.view(None).with_test(test);
        for &(from, to) in &starts {
            black_box(shortest_path(view, from, to, 6, Direction::Both));
        }
    };
    let base_neighborhoods = median(|| run_neighborhoods(None));
    let base_paths = median(|| run_paths(None));
    eprintln!(
        "unfiltered: 256 neighbourhoods of depth 2 in {base_neighborhoods:?}, 256 shortest paths in {base_paths:?}"
    );
    for (name, filter) in &filters {
        let test = projection.edge_test(filter);
        let edges: Vec<_> = projection.graph().edge_indices().collect();
        let every = median(|| {
            black_box(edges.iter().filter(|&&e| test.allows(e)).count());
        });
        eprintln!("{name}: every edge judged once in {every:?}");
        let n = median(|| run_neighborhoods(Some(&test)));
        let p = median(|| run_paths(Some(&test)));
        eprintln!(
            "{name}: neighbourhoods {n:?} ({:.2}x), paths {p:?} ({:.2}x)",
            n.as_secs_f64() / base_neighborhoods.as_secs_f64(),
            p.as_secs_f64() / base_paths.as_secs_f64(),
        );
    }

    // The best-supported path (`weight=`): a binary search over thresholds, each a
    // filtered shortest-path search.
    let open = EvidenceFilter::default();
    for (name, weight) in [
        ("publishers", PathWeight::Publishers),
        ("recency", PathWeight::Recency),
    ] {
        let p = median(|| {
            for &(from, to) in &starts {
                black_box(best_supported_paths(
                    &projection,
                    &open,
                    None,
                    from,
                    to,
                    1,
                    6,
                    Direction::Both,
                    weight,
                ));
            }
        });
        eprintln!(
            "weight={name}: 256 best-supported paths {p:?} ({:.1}x the unfiltered shortest)",
            p.as_secs_f64() / base_paths.as_secs_f64(),
        );
    }

    let mut group = c.benchmark_group("provenance");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("neighborhoods_256", "unfiltered"), |b| {
        b.iter(|| run_neighborhoods(None));
    });
    for (name, filter) in &filters {
        let test = projection.edge_test(filter);
        group.bench_function(BenchmarkId::new("neighborhoods_256", name), |b| {
            b.iter(|| run_neighborhoods(Some(&test)));
        });
    }
    group.bench_function(BenchmarkId::new("shortest_paths_256", "unfiltered"), |b| {
        b.iter(|| run_paths(None));
    });
    for (name, filter) in &filters {
        let test = projection.edge_test(filter);
        group.bench_function(BenchmarkId::new("shortest_paths_256", name), |b| {
            b.iter(|| run_paths(Some(&test)));
        });
    }
    group.finish();
}

criterion_group!(benches, provenance);
criterion_main!(benches);
