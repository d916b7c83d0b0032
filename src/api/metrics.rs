//! Prometheus metrics at `GET /metrics`, in the text exposition format (version 0.0.4).
//!
//! [`record`] is a middleware that counts every request by method, route pattern (the
//! pattern that matched, such as `/api/v1/entities/{key}`, never the raw path, so the number
//! of series stays bounded) and status, times it into a latency histogram per route, and
//! counts the queries stopped at a limit (time or rows). [`render`] adds what is read at
//! scrape time: the store's size on disk, the projection's nodes and edges, the read models'
//! generation. The format is written by hand: a few counters and histograms do not need a
//! metrics library, and this keeps the dependency list short.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use super::AppState;
use super::problem::{ApiError, ProblemView};
use crate::config::StoreLocation;
use crate::read_models::locked;
use crate::sparql::SparqlError;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The request metrics, shared by every worker.
#[derive(Debug, Default)]
pub struct Metrics {
    /// A std mutex: each request holds it for a few map operations, never across an await.
    inner: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    /// Requests by (method, route, status).
    requests: BTreeMap<(String, String, u16), u64>,
    /// Latency by route: the count in each bucket (not cumulative), the sum and the count.
    latency: BTreeMap<String, Histogram>,
    /// Queries stopped at a limit, by which (`time`, `rows`).
    stopped: BTreeMap<&'static str, u64>,
}

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Metrics {
    fn observe(
        &self,
        method: &str,
        route: &str,
        status: u16,
        seconds: f64,
        stopped: Option<&'static str>,
    ) {
        let mut counters = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *counters
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let histogram = counters.latency.entry(route.to_owned()).or_default();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.sum += seconds;
        histogram.count += 1;
        if let Some(limit) = stopped {
            *counters.stopped.entry(limit).or_default() += 1;
        }
    }
}

/// The middleware (`actix_web::middleware::from_fn`) that counts and times each request.
///
/// # Errors
/// Whatever the inner services return.
pub async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let metrics = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.clone().into_inner());
    let response = next.call(request).await?;
    if let Some(state) = metrics {
        let stopped = response
            .response()
            .error()
            .and_then(|error| error.as_error::<ApiError>())
            .and_then(|error| match error {
                ApiError::Sparql(SparqlError::Timeout { .. }) => Some("time"),
                ApiError::Sparql(SparqlError::TooManyResults { .. }) => Some("rows"),
                _ => None,
            });
        state.metrics.observe(
            &method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
            stopped,
        );
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    description = "Prometheus text (exposition format 0.0.4): requests by method, route pattern and status, their latency, queries stopped at a limit, the store's size on disk, the projection's size, the read models' generation.",
    responses(
        (status = 200, description = "The metrics", body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"),
        (status = 401, description = "A private server (read tokens), and no or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// `GET /metrics`.
pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    let mut out = String::new();
    {
        let counters = state
            .metrics
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        out.push_str("# HELP eventgraph_http_requests_total HTTP requests answered, by method, route pattern and status.\n# TYPE eventgraph_http_requests_total counter\n");
        for ((method, route, status), count) in &counters.requests {
            let _ = writeln!(
                out,
                "eventgraph_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str("# HELP eventgraph_http_request_duration_seconds Time to answer a request, by route pattern.\n# TYPE eventgraph_http_request_duration_seconds histogram\n");
        for (route, histogram) in &counters.latency {
            let route = escape(route);
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "eventgraph_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "eventgraph_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\neventgraph_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\neventgraph_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count, histogram.sum, histogram.count
            );
        }
        out.push_str("# HELP eventgraph_queries_stopped_total Queries stopped at a limit: time (the time limit) or rows (the result size limit).\n# TYPE eventgraph_queries_stopped_total counter\n");
        for limit in ["time", "rows"] {
            let count = counters.stopped.get(limit).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "eventgraph_queries_stopped_total{{limit=\"{limit}\"}} {count}"
            );
        }
    }
    if let StoreLocation::Directory(path) = state.store.location() {
        let _ = writeln!(
            out,
            "# HELP eventgraph_store_disk_bytes Bytes of the store's files on disk.\n# TYPE eventgraph_store_disk_bytes gauge\neventgraph_store_disk_bytes {}",
            disk_bytes(path)
        );
    }
    let stats = state.models.stats();
    let _ = writeln!(
        out,
        "# HELP eventgraph_read_models_generation The generation of the read models readers see.\n# TYPE eventgraph_read_models_generation gauge\neventgraph_read_models_generation {}\n# HELP eventgraph_read_models_written_generation The generation of the last acknowledged write.\n# TYPE eventgraph_read_models_written_generation gauge\neventgraph_read_models_written_generation {}\n# HELP eventgraph_read_models_full_builds_total Full builds of the read models from the store.\n# TYPE eventgraph_read_models_full_builds_total counter\neventgraph_read_models_full_builds_total {}",
        stats.generation, stats.written_generation, stats.full_builds
    );
    out.push_str("# HELP eventgraph_read_models_locked_seconds How long each write kept readers out of the read models, from asking for their lock to letting it go.\n# TYPE eventgraph_read_models_locked_seconds histogram\n");
    let mut cumulative = 0;
    for (bound, count) in locked::BOUNDS.iter().zip(stats.locked.buckets) {
        cumulative += count;
        let _ = writeln!(
            out,
            "eventgraph_read_models_locked_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
        );
    }
    let _ = writeln!(
        out,
        "eventgraph_read_models_locked_seconds_bucket{{le=\"+Inf\"}} {}\neventgraph_read_models_locked_seconds_sum {}\neventgraph_read_models_locked_seconds_count {}",
        stats.locked.count,
        stats.locked.sum_micros as f64 / 1e6,
        stats.locked.count
    );
    if let Ok(view) = state.models.read() {
        let projection = view.projection.stats();
        let _ = writeln!(
            out,
            "# HELP eventgraph_projection_nodes Nodes of the graph projection.\n# TYPE eventgraph_projection_nodes gauge\neventgraph_projection_nodes {}\n# HELP eventgraph_projection_edges Edges of the graph projection.\n# TYPE eventgraph_projection_edges gauge\neventgraph_projection_edges {}\n# HELP eventgraph_projection_estimated_bytes Estimated memory of the graph projection.\n# TYPE eventgraph_projection_estimated_bytes gauge\neventgraph_projection_estimated_bytes {}\n# HELP eventgraph_search_index_entities Entities in the search index.\n# TYPE eventgraph_search_index_entities gauge\neventgraph_search_index_entities {}",
            projection.nodes,
            projection.edges,
            projection.estimated_bytes,
            view.index.len()
        );
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out)
}

/// A label value with `\`, `"` and line breaks escaped, as the exposition format asks.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The total size of the files in `directory` (RocksDB keeps its files flat).
fn disk_bytes(directory: &Path) -> u64 {
    std::fs::read_dir(directory)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|metadata| metadata.len())
        .sum()
}
