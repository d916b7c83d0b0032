//! Builds the actix-web `App` and `HttpServer` for `serve` and the tests alike.
//!
//! SIGINT and SIGTERM are caught from the moment `serve` starts: one that arrives while the
//! read models are being built ends `serve` before it binds. Once the read models are
//! ready, the server binds and reports the address it really got (a test asks for port 0),
//! then serves until SIGINT or SIGTERM: `/readyz` turns 503, the requests in flight
//! (writes included) finish within 30 s, and the store is flushed (and its journal
//! emptied) before `serve` returns. The middleware, outermost first: request id, metrics,
//! security headers, CORS, the access log, the read-token guard, problem+json for the
//! framework's errors.

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::middleware::{Condition, ErrorHandlers, Logger, from_fn};
use actix_web::rt::signal::unix::{SignalKind, signal};
use actix_web::{App, HttpServer, web};
use futures_util::future::{Either, select};

use crate::api::auth::Tokens;
use crate::api::{self, AppState};
use crate::config::{QueryConfig, ServerConfig, StoreLocation, TokenRole};
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
    // Caught from here on: the default action would end the process mid-build. A signal
    // held pending since `hold_stop_signals` is delivered to these handlers now.
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    release_stop_signals();
    let (write_token, read_tokens) = tokens(server)?;
    let read_only = server.access.read_only;
    if read_only {
        tracing::info!("read-only mode: every write is refused");
    } else if write_token.is_none() {
        tracing::info!(
            "no write token set (EVENTGRAPH_WRITE_TOKEN or --tokens-file): updates and Graph Store writes are refused"
        );
    }
    if let Some(read_tokens) = &read_tokens {
        tracing::info!(
            read_tokens = read_tokens.len(),
            "private deployment: every route but the health checks, the explorer's files and the API's description needs a token"
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
    let rebuild = server.rebuild_read_models;
    let build_store = store.clone();
    let build = actix_web::rt::task::spawn_blocking(move || {
        let saved = match (build_store.location(), fingerprint) {
            (StoreLocation::Directory(directory), Some(fingerprint)) if !rebuild => {
                snapshot::load(directory, &fingerprint)
                    .inspect_err(
                        |why| tracing::info!(%why, "building the read models from the store"),
                    )
                    .ok()
            }
            _ => None,
        };
        match saved {
            Some(view) => Ok(ReadModels::from_snapshot(build_store, view)),
            None => {
                ReadModels::build(build_store).map_err(|e| std::io::Error::other(e.to_string()))
            }
        }
    });
    let stop = async {
        select(pin!(terminate.recv()), pin!(interrupt.recv())).await;
    };
    let models = match select(build, pin!(stop)).await {
        Either::Left((built, _)) => built.map_err(std::io::Error::other)??,
        Either::Right(((), _)) => {
            // Nothing was served and nothing written: the store needs no flush, and the
            // build's thread ends with the process.
            tracing::info!("stopped before the read models were ready; nothing was served");
            return Ok(());
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
        read_tokens,
        read_only,
        shutting_down: Arc::new(AtomicBool::new(false)),
        metrics: api::metrics::Metrics::default(),
        backup_dir: match store.location() {
            StoreLocation::Memory => None,
            StoreLocation::Directory(directory) => {
                Some(server.backup_dir.clone().unwrap_or_else(|| {
                    let mut name = directory.file_name().unwrap_or_default().to_os_string();
                    name.push(".backups");
                    directory.with_file_name(name)
                }))
            }
        },
        limits: limits.clone(),
        remote,
        shapes,
        admission: crate::api::admission::Admission::from_limits(&limits),
    });
    let models = state.models.clone();
    let shutting_down = state.shutting_down.clone();
    let cors_origins = server.access.cors_origins.clone();
    // The access log formats and writes a line to standard error on every request, which costs
    // a busy endpoint a sixth of its throughput: it is wired in only when asked for.
    let access_log = server.access_log;
    let http = HttpServer::new(move || {
        let limits = limits.clone();
        App::new()
            .app_data(state.clone())
            .wrap(ErrorHandlers::new().default_handler(api::problem_for_framework_error))
            .wrap(from_fn(api::auth::read_guard))
            // No header but the request id is logged: never `Authorization`. The id is read
            // from the request, where `request_id::assign` puts it.
            .wrap(Condition::new(
                access_log,
                Logger::new("%a \"%r\" %s %b %Dms id=%{x-request-id}i")
                    .log_target("eventgraph::http"),
            ))
            .wrap(api::cors(&cors_origins))
            .wrap(api::security_headers())
            .wrap(from_fn(api::metrics::record))
            .wrap(from_fn(api::request_id::assign))
            .configure(move |config| api::routes(config, &limits))
    })
    .disable_signals()
    .shutdown_timeout(30)
    .bind(server.bind)?;
    on_bound(&http.addrs());
    let http = http.run();
    let handle = http.handle();
    actix_web::rt::spawn(async move {
        select(pin!(terminate.recv()), pin!(interrupt.recv())).await;
        tracing::info!("stopping: finishing the requests in flight");
        shutting_down.store(true, Ordering::Relaxed);
        handle.stop(true).await;
    });
    http.await?;
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

/// A configured set of tokens, or `None` when none is.
type TokenSet = Option<Arc<Tokens>>;

/// The write and read tokens, from the flags, the environment and the tokens file.
///
/// # Errors
/// A token file cannot be read or holds a bad line, or a token is empty.
fn tokens(server: &ServerConfig) -> std::io::Result<(TokenSet, TokenSet)> {
    let mut write = Vec::new();
    let mut read = Vec::new();
    if let Some(token) = server.resolve_write_token()? {
        write.push(Tokens::digest(&token));
    }
    if let Some(token) = &server.access.read_token {
        let token = token.trim();
        if token.is_empty() {
            return Err(std::io::Error::other(
                "the read token is empty; set a non-empty EVENTGRAPH_READ_TOKEN",
            ));
        }
        read.push(Tokens::digest(token));
    }
    for (role, digest) in server.access.token_digests()? {
        match role {
            TokenRole::Write => write.push(digest),
            TokenRole::Read => read.push(digest),
        }
    }
    let set = |digests: Vec<[u8; 32]>| {
        (!digests.is_empty()).then(|| Arc::new(Tokens::from_digests(digests)))
    };
    Ok((set(write), set(read)))
}

/// Holds SIGTERM and SIGINT pending in this thread and the threads it starts from now on,
/// until [`serve`] has installed its handlers: called first thing by `eventgraph serve`, so
/// that a stop asked for while the store opens or the read models are built ends the server
/// cleanly instead of killing it.
pub fn hold_stop_signals() {
    stop_signals(libc::SIG_BLOCK);
}

/// Lets SIGTERM and SIGINT through again (and any held pending): for the commands that
/// do not serve, and for `serve` once its handlers are installed.
pub fn release_stop_signals() {
    stop_signals(libc::SIG_UNBLOCK);
}

/// Blocks or unblocks SIGTERM and SIGINT in the calling thread.
fn stop_signals(how: libc::c_int) {
    // SAFETY: `set` is a local signal set initialised by `sigemptyset` before use, and
    // `pthread_sigmask` only reads it; a null old-set pointer is allowed.
    let failed = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(how, &set, std::ptr::null_mut()) != 0
    };
    if failed {
        tracing::warn!("cannot change the signal mask: a stop during start-up may kill the server");
    }
}
