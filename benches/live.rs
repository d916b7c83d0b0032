//! The live-service benchmark of a generated news graph: start-up, the read models' build
//! rate and memory, write latency over SPARQL and REST, and relations requests per second.
//!
//! Run with `cargo bench --bench live` (about 1 M triples; `-- --entities N --edges M` for
//! another size). It generates the graph with `eventgraph::graph::generate`, loads it with
//! `eventgraph load` into a temporary directory, starts the real `eventgraph serve` on
//! 127.0.0.1, and measures over HTTP as a client would. Every figure is a median or a
//! percentile of many requests, printed with what was measured; nothing here asserts a
//! target (the targets are in the closing notes and ARCHITECTURE.md).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use eventgraph::graph::generate::generate;
use eventgraph::graph::{Projection, ProjectionOptions};
use oxigraph::model::Quad;
use petgraph::Direction::{Incoming, Outgoing};

const TOKEN: &str = "bench-write-token";
const WRITES: usize = 300;
const RELATIONS_SECONDS: u64 = 10;
const CONNECTIONS: usize = 4;

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_eventgraph")
}

fn argument(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data: &std::path::Path) -> (Self, Duration) {
        Self::start_with(data, &[])
    }

    fn start_with(data: &std::path::Path, flags: &[&str]) -> (Self, Duration) {
        let started = Instant::now();
        let mut child = Command::new(binary())
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(flags)
            .env("EVENTGRAPH_WRITE_TOKEN", TOKEN)
            .env("EVENTGRAPH_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let elapsed = started.elapsed();
        let address = line
            .strip_prefix("eventgraph listening on http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
            .to_owned();
        (
            Self {
                child,
                base: format!("http://{address}"),
            },
            elapsed,
        )
    }

    /// `GET /api/v1/stats`.
    fn stats(&self, agent: &ureq::Agent) -> serde_json::Value {
        let body = agent
            .get(format!("{}/api/v1/stats", self.base))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// Waits until the server answers (its signal handlers are installed once it serves).
    fn ready(&self) {
        let _ = new_agent()
            .get(format!("{}/api/v1/stats", self.base))
            .call();
    }

    fn stop(mut self) {
        self.ready();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank]
}

fn report(what: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    println!(
        "{what}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

/// The node whose number of relations is closest to `wanted`, and that number.
fn entity_with_relations(projection: &Projection, wanted: usize) -> (String, usize) {
    let graph = projection.graph();
    graph
        .node_indices()
        .map(|n| {
            let degree = graph.edges_directed(n, Outgoing).count()
                + graph.edges_directed(n, Incoming).count();
            (
                projection.resource(n).unwrap().iri().as_str().to_owned(),
                degree,
            )
        })
        .min_by_key(|(iri, degree)| (degree.abs_diff(wanted), iri.clone()))
        .unwrap()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let entities = argument("--entities", 26_000);
    let edges = argument("--edges", 77_000);
    let dir = tempfile::tempdir().unwrap();
    let quads = generate(7, entities, edges);
    println!(
        "graph: generate(seed 7, {entities} entities, {edges} edges) = {} quads",
        quads.len()
    );
    let file = dir.path().join("generated.nq");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    for quad in &quads {
        writeln!(out, "{quad} .").unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let projection =
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
    let (entity, degree) = entity_with_relations(&projection, 50);
    let hub = entity_with_relations(&projection, usize::MAX / 2).0;
    // Existing entities, so that each SPARQL write adds an edge to the projection.
    let subjects: Vec<String> = projection
        .graph()
        .node_indices()
        .take(WRITES)
        .map(|n| projection.resource(n).unwrap().iri().as_str().to_owned())
        .collect();
    drop(projection);
    drop(quads);
    let data = dir.path().join("data");
    let started = Instant::now();
    let loaded = Command::new(binary())
        .arg("--data-dir")
        .arg(&data)
        .arg("load")
        .arg(&file)
        .env("EVENTGRAPH_LOG", "warn")
        .status()
        .unwrap();
    assert!(loaded.success());
    println!("load: {:.2} s", started.elapsed().as_secs_f64());

    // Start-up: a cold start builds the read models from the store; a restart after a clean
    // shutdown loads the ones saved beside it.
    let mut cold = Vec::new();
    for _ in 0..3 {
        let (server, elapsed) = Server::start_with(&data, &["--rebuild-read-models"]);
        cold.push(elapsed);
        server.stop();
    }
    let mut warm = Vec::new();
    for _ in 0..3 {
        let (server, elapsed) = Server::start(&data);
        warm.push(elapsed);
        server.stop();
    }
    report(
        "start-up, cold (spawn to listening, read models built from the store)",
        cold,
    );
    warm.sort();
    let warm_median = warm[warm.len() / 2];
    report(
        "start-up, restart (spawn to listening, read models loaded)",
        warm,
    );

    let (server, _) = Server::start(&data);
    let agent = new_agent();
    let stats = server.stats(&agent);
    let projection = &stats["projection"];
    let edges_built = projection["edges"].as_f64().unwrap();
    let build_ms = projection["build_ms"].as_f64().unwrap();
    println!(
        "restart: {:.0} edges/s (projection edges / whole restart, process start and store open included)",
        edges_built / warm_median.as_secs_f64()
    );
    println!(
        "projection: {} nodes, {} edges, {:.1} bytes/edge, last built in {:.0} ms = {:.0} edges/s; read models last built in {:.0} ms; {} quads",
        projection["nodes"],
        projection["edges"],
        projection["bytes_per_edge"].as_f64().unwrap(),
        build_ms,
        edges_built / (build_ms / 1e3),
        stats["read_models"]["last_build_ms"].as_f64().unwrap(),
        stats["quads"],
    );

    let bearer = format!("Bearer {TOKEN}");
    let mut sparql = Vec::with_capacity(subjects.len());
    for subject in &subjects {
        let update = format!(
            "INSERT DATA {{ GRAPH <https://example.org/bench> {{ <{subject}> <https://w3id.org/eventgraph/ontology#partOf> <{hub}> }} }}"
        );
        let started = Instant::now();
        let response = agent
            .post(format!("{}/sparql", server.base))
            .header("Content-Type", "application/sparql-update")
            .header("Authorization", &bearer)
            .send(update)
            .unwrap();
        sparql.push(started.elapsed());
        assert_eq!(response.status(), 204);
    }
    report(
        "write: one-triple SPARQL INSERT DATA (a new edge to the hub)",
        sparql,
    );

    let mut created = Vec::with_capacity(WRITES);
    for i in 0..WRITES {
        let body = serde_json::json!({"label": format!("Bench organisation {i}"), "types": ["Organisation"], "description": "benchmark"});
        let started = Instant::now();
        let response = agent
            .post(format!("{}/api/v1/entities", server.base))
            .header("Content-Type", "application/json")
            .header("Authorization", &bearer)
            .send(body.to_string())
            .unwrap();
        created.push(started.elapsed());
        assert_eq!(response.status(), 201);
    }
    report("write: REST POST /api/v1/entities (SHACL-checked)", created);

    let stats = server.stats(&agent);
    println!("after the writes: read models {}", stats["read_models"]);

    let id = entity.rsplit('/').next().unwrap().to_owned();
    let url = format!("{}/api/v1/entities/{id}/relations", server.base);
    let deadline = Instant::now() + Duration::from_secs(RELATIONS_SECONDS);
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let url = &url;
                scope.spawn(move || {
                    let agent = new_agent();
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let started = Instant::now();
                        let mut response = agent.get(url).call().unwrap();
                        let _ = response.body_mut().read_to_vec().unwrap();
                        latencies.push(started.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    println!(
        "relations of an entity with {degree} relations, {CONNECTIONS} connections for {RELATIONS_SECONDS} s: {:.0} req/s",
        latencies.len() as f64 / RELATIONS_SECONDS as f64
    );
    report("relations latency", latencies);
    server.stop();
}
