//! Builds the actix-web `App` and `HttpServer` for `serve` and the tests alike.
//!
//! The server binds first and reports the address it really got (a test asks
//! for port 0), then serves until SIGINT or SIGTERM, finishing the requests in
//! flight, and flushes the store before returning.

use std::net::SocketAddr;

use actix_web::middleware::{ErrorHandlers, Logger};
use actix_web::{App, HttpServer, web};

use crate::api::{self, AppState};
use crate::config::{QueryConfig, ServerConfig};
use crate::read_models::ReadModels;
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
    let models =
        ReadModels::build(store.clone()).map_err(|e| std::io::Error::other(e.to_string()))?;
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
            "built the read models: the search index and the graph projection"
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
    });
    let http = HttpServer::new(move || {
        let limits = limits.clone();
        App::new()
            .app_data(state.clone())
            .wrap(ErrorHandlers::new().default_handler(api::problem_for_framework_error))
            .wrap(api::cors())
            .wrap(Logger::new("%a \"%r\" %s %b %Dms").log_target("eventgraph::http"))
            .configure(move |config| api::routes(config, &limits))
    })
    .bind(server.bind)?;
    on_bound(&http.addrs());
    http.run().await?;
    store
        .flush()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(())
}
