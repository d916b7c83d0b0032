//! Builds the actix-web `App` and `HttpServer` for `serve` and the tests alike.
//!
//! The server binds first and reports the address it really got (a test asks
//! for port 0), then serves until SIGINT or SIGTERM, finishing the requests in
//! flight, and flushes the store before returning.

use std::net::SocketAddr;

use actix_web::middleware::{Condition, ErrorHandlers, Logger};
use actix_web::{App, HttpServer, web};

use crate::api::{self, AppState};
use crate::config::{QueryConfig, ServerConfig, StoreLocation};
use crate::read_models::ReadModels;
use crate::read_models::snapshot::{self, Fingerprint};
use crate::shapes::Shapes;
use crate::sparql::remote::RemoteAccess;
use crate::store::Store;

/// Serves `store` over HTTP until the process is asked to stop.
///
/// `on_bound` receives the addresses actually bound, before the first request is served.
///
/// # Errors
/// Binding the address, or the server itself, failed.
pub async fn serve(
    store: Store,
    server: &ServerConfig,
    query: QueryConfig,
    fingerprint: Option<Fingerprint>,
    on_bound: impl FnOnce(&[SocketAddr]),
) -> std::io::Result<()> {
    let write_token = server.resolve_write_token()?;
    if write_token.is_none() {
        tracing::info!(
            "no write token set (EVENTGRAPH_WRITE_TOKEN): updates and Graph Store writes are refused"
        );
    }
    let limits = server.limits.clone();
    let remote = RemoteAccess::new(
        server.allow_remote_hosts.clone(),
        limits.query_timeout(None),
        limits.max_body_bytes as u64,
    );
    if remote.allows_any() {
        tracing::info!(hosts = ?server.allow_remote_hosts, "SERVICE and LOAD may reach these hosts");
    }
    let shapes = Shapes::compiled().map_err(|e| std::io::Error::other(e.to_string()))?;
    let started = std::time::Instant::now();
    let saved = match (store.location(), fingerprint) {
        (StoreLocation::Directory(directory), Some(fingerprint)) if !server.rebuild_read_models => {
            snapshot::load(directory, &fingerprint)
                .inspect_err(|why| tracing::info!(%why, "building the read models from the store"))
                .ok()
        }
        _ => None,
    };
    let models = match saved {
        Some(view) => ReadModels::from_snapshot(store.clone(), view),
        None => {
            ReadModels::build(store.clone()).map_err(|e| std::io::Error::other(e.to_string()))?
        }
    };
    {
        let read = models
            .read()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let projection = read.projection.stats();
        let elapsed = started.elapsed();
        tracing::info!(
            entities = read.index.len(),
            nodes = projection.nodes,
            edges = projection.edges,
            bytes_per_edge = format!("{:.1}", projection.bytes_per_edge()),
            edges_per_second = (projection.edges as f64 / elapsed.as_secs_f64().max(1e-9)) as u64,
            projection_ms = projection.build_time.as_secs_f64() * 1000.0,
            elapsed_ms = elapsed.as_millis() as u64,
            from_snapshot = models.stats().full_builds == 0,
            "read models ready: the search index and the graph projection"
        );
    }
    let state = web::Data::new(AppState {
        store: store.clone(),
        models,
        query,
        write_token,
        limits: limits.clone(),
        remote,
        shapes,
        admission: crate::api::admission::Admission::from_limits(&limits),
    });
    let models = state.models.clone();
    // The access log formats and writes a line to standard error on every request, which costs
    // a busy endpoint a sixth of its throughput: it is wired in only when asked for.
    let access_log = server.access_log;
    let http = HttpServer::new(move || {
        let limits = limits.clone();
        App::new()
            .app_data(state.clone())
            .wrap(ErrorHandlers::new().default_handler(api::problem_for_framework_error))
            .wrap(api::cors())
            .wrap(Condition::new(
                access_log,
                Logger::new("%a \"%r\" %s %b %Dms").log_target("eventgraph::http"),
            ))
            .configure(move |config| api::routes(config, &limits))
    })
    .bind(server.bind)?;
    on_bound(&http.addrs());
    http.run().await?;
    models.wait_for_rebuild(std::time::Duration::from_secs(3600));
    store
        .flush()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    if let StoreLocation::Directory(directory) = store.location() {
        // Every write has been applied and flushed: the read models match the store's files.
        let saved = Fingerprint::settled(directory, std::time::Duration::from_secs(3)).and_then(
            |fingerprint| {
                let view = models
                    .read()
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                snapshot::save(directory, &view, fingerprint)
            },
        );
        match saved {
            Ok(()) => tracing::info!("saved the read models beside the store"),
            Err(error) => tracing::warn!(%error, "cannot save the read models beside the store"),
        }
    }
    Ok(())
}
