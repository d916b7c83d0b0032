//! The HTTP edge: routes, request parsing, content negotiation and problem+json.
//!
//! Only this module knows actix-web. Handlers read the request, call the
//! library modules (`sparql`, `catalog`, `graph`, `export`), and turn their
//! results and errors into responses; every error leaves as
//! [`problem::ApiError`]. Routes:
//!
//! | path | methods | module |
//! |---|---|---|
//! | `/sparql` | GET, POST | [`sparql`] (SPARQL 1.1 Protocol: query, update, service description) |
//! | `/store`, `/store/{path}` | GET, HEAD, PUT, POST, DELETE | [`graph_store`] (Graph Store HTTP Protocol) |
//! | `/api/v1/...` | GET, POST, PATCH, DELETE | [`rest`] (entities, relations, statements, events, traversals, exports) |
//! | `/`, `/explorer/{file}` | GET, HEAD | [`explorer`] (the graph explorer's page, scripts and styles; open without a token) |
//! | `/healthz`, `/readyz` | GET | [`health`] (liveness and readiness, open without a token) |
//! | `/metrics` | GET | [`metrics`] (Prometheus) |
//! | `/admin/backup` | POST | [`admin`] (an online backup, with a write token) |
//!
//! CORS is open by default (any origin, the methods above, `Authorization`
//! allowed), so that browser tools served elsewhere (YASGUI, ...) work; writes
//! still need the bearer token, which a browser never sends on its own.
//! `--cors-origin` narrows it to the origins named. [`security_headers`] adds
//! `nosniff`, `Referrer-Policy` and framing refusal to every answer;
//! [`request_id`] names each request; [`auth`] checks tokens.

pub mod admin;
pub mod admission;
pub mod auth;
pub mod explorer;
pub mod graph_store;
pub mod health;
pub mod metrics;
pub mod negotiation;
pub mod problem;
pub mod query_threads;
pub mod request_id;
pub mod rest;
pub mod sparql;

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use self::problem::ApiError;
use crate::config::{LimitsConfig, QueryConfig};
use crate::read_models::ReadModels;
use crate::sparql::remote::RemoteAccess;
use crate::store::Store;

/// What every handler shares.
pub struct AppState {
    /// The store queries run on (writes go through `models`).
    pub store: Store,
    /// The read models of the store, and the one way to write to it.
    pub models: Arc<ReadModels>,
    /// How queries see the dataset by default.
    pub query: QueryConfig,
    /// The tokens writes must carry (one of them); `None` refuses every write.
    pub write_token: Option<Arc<auth::Tokens>>,
    /// The tokens reads must carry when the deployment is private; `None`: reads are open.
    pub read_tokens: Option<Arc<auth::Tokens>>,
    /// `--read-only`: every write is refused, whatever token it carries.
    pub read_only: bool,
    /// Set when a shutdown starts, so that `/readyz` turns 503 while requests drain.
    pub shutting_down: Arc<AtomicBool>,
    /// Request counts and latencies for `/metrics`.
    pub metrics: metrics::Metrics,
    /// Where `POST /admin/backup` writes backups; `None` for a store in memory.
    pub backup_dir: Option<std::path::PathBuf>,
    /// Time, size and row limits.
    pub limits: LimitsConfig,
    /// The remote hosts SERVICE and LOAD may reach.
    pub remote: RemoteAccess,
    /// The SHACL shapes, compiled once, that REST writes are checked against.
    pub shapes: crate::shapes::Shapes,
    /// The permits expensive requests take before they run.
    pub admission: admission::Admission,
}

/// The response header naming the generation of the read models an answer was computed
/// from, or the generation a write was given.
pub const GENERATION_HEADER: &str = "Eventgraph-Generation";

/// The generation header for `generation`.
pub(crate) fn generation(generation: u64) -> (&'static str, String) {
    (GENERATION_HEADER, generation.to_string())
}

/// The CORS policy: the origins given (any origin when none is) may read, and send writes
/// with a token.
pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let cors = if origins.is_empty() {
        actix_cors::Cors::default().allow_any_origin()
    } else {
        origins
            .iter()
            .fold(actix_cors::Cors::default(), |cors, origin| {
                cors.allowed_origin(origin)
            })
    };
    cors.allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allow_any_header()
        .expose_headers([
            "Location",
            "Content-Type",
            GENERATION_HEADER,
            request_id::HEADER,
        ])
        .max_age(3600)
}

/// Registers every route, and problem+json for unknown paths, wrong methods and unreadable requests.
pub fn routes(config: &mut web::ServiceConfig, limits: &LimitsConfig) {
    config
        .app_data(web::PayloadConfig::new(limits.max_body_bytes))
        .app_data(
            web::JsonConfig::default()
                .limit(limits.max_body_bytes)
                .error_handler(|error, _| {
                    ApiError::InvalidParameter {
                        field: "body".to_owned(),
                        message: error.to_string(),
                    }
                    .into()
                }),
        )
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::BadRequest {
                message: error.to_string(),
            }
            .into()
        }))
        .service(resource(
            "/sparql",
            vec![web::get().to(sparql::get), web::post().to(sparql::post)],
            &["GET", "POST"],
        ))
        .service(get_only("/healthz", health::live))
        .service(get_only("/readyz", health::ready))
        .service(get_only("/metrics", metrics::render))
        .service(resource(
            "/admin/backup",
            vec![web::post().to(admin::backup)],
            &["POST"],
        ));
    rest::routes(config);
    explorer::routes(config);
    for path in ["/store", "/store/{graph:.+}"] {
        config.service(resource(
            path,
            vec![
                web::get().to(graph_store::read),
                web::head().to(graph_store::read),
                web::put().to(graph_store::put),
                web::post().to(graph_store::post),
                web::delete().to(graph_store::delete),
            ],
            &["GET", "HEAD", "PUT", "POST", "DELETE"],
        ));
    }
    config.default_service(web::to(not_found));
}

/// A resource answering GET only.
pub(crate) fn get_only<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    resource(path, vec![web::get().to(handler)], &["GET"])
}

/// A resource with these routes, answering `405 method-not-allowed` with `Allow` to any other
/// method.
pub(crate) fn resource(
    path: &str,
    routes: Vec<actix_web::Route>,
    allowed: &'static [&'static str],
) -> actix_web::Resource {
    routes
        .into_iter()
        .fold(web::resource(path), actix_web::Resource::route)
        .default_service(web::to(move |request: HttpRequest| async move {
            method_not_allowed(&request, allowed)
        }))
}

/// The security headers every answer carries unless it sets its own (the explorer's page
/// sets a Content-Security-Policy of its own, which this leaves alone).
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Content-Security-Policy", "frame-ancestors 'none'"))
        .add(("Cross-Origin-Resource-Policy", "same-site"))
}

/// Runs `work` on the blocking thread pool, off the HTTP workers.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    // The request's span goes along, so that log lines written there carry its id.
    let span = tracing::Span::current();
    web::block(move || span.in_scope(work))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// A 200 answer whose format was negotiated from `Accept`.
pub(crate) fn negotiated(media_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((actix_web::http::header::VARY, "Accept"))
        .body(body)
}

/// The base URL clients reach this server at, e.g. `http://127.0.0.1:7878`.
pub(crate) fn base_url(request: &HttpRequest) -> String {
    let connection = request.connection_info();
    format!("{}://{}", connection.scheme(), connection.host())
}

/// The answer to a method a resource does not have (HEAD and OPTIONS included).
pub(crate) fn method_not_allowed(
    request: &HttpRequest,
    allowed: &'static [&'static str],
) -> HttpResponse {
    ApiError::MethodNotAllowed {
        method: request.method().to_string(),
        path: request.path().to_owned(),
        allowed: allowed.to_vec(),
    }
    .error_response()
}

/// The answer for paths nothing serves.
async fn not_found(request: HttpRequest) -> HttpResponse {
    let error = ApiError::NotFound {
        path: request.path().to_owned(),
    };
    if request.method() == Method::HEAD {
        return HttpResponse::NotFound().finish();
    }
    error.error_response()
}

/// Rewrites actix-web's own plain-text errors (payload too large, ...) as problem+json.
pub fn problem_for_framework_error<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    let already_problem = response
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == problem::PROBLEM_JSON.as_bytes());
    if already_problem {
        return Ok(actix_web::middleware::ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let (request, response) = response.into_parts();
    let error = match response.error() {
        Some(error) if error.as_response_error().status_code() == response.status() => {
            error.to_string()
        }
        _ => response
            .status()
            .canonical_reason()
            .unwrap_or("error")
            .to_owned(),
    };
    let status = response.status();
    let mut problem = ApiError::BadRequest { message: error }.problem();
    problem.status = status.as_u16();
    problem.problem_type = "about:blank".to_owned();
    problem.title = status.canonical_reason().unwrap_or("Error");
    let new_response = HttpResponse::build(status)
        .content_type(problem::PROBLEM_JSON)
        .json(problem);
    Ok(actix_web::middleware::ErrorHandlerResponse::Response(
        ServiceResponse::new(request, new_response).map_into_right_body(),
    ))
}
