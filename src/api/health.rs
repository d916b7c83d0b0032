//! Health checks for orchestrators: `GET /healthz` (the process answers) and `GET /readyz`
//! (it serves reads and writes), both open without a token.
//!
//! The server binds its socket only once the read models are built (or loaded from their
//! snapshot), so a server that answers has them; `/readyz` still checks them, and the store,
//! on each call, and turns 503 as soon as a shutdown starts, so that a load balancer stops
//! sending requests while the ones in flight finish. Neither check computes anything in
//! proportion to the data.

use std::sync::atomic::Ordering;

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::problem::{ApiError, ProblemView};

/// `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthView {
    /// `ok`.
    #[schema(value_type = String)]
    pub status: &'static str,
}

/// `GET /readyz` when the server is ready.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessView {
    /// `ready`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// The generation of the read models readers see.
    pub generation: u64,
    /// Whether a full build of the read models runs in the background (reads answer from
    /// the previous generation meanwhile).
    pub rebuilding: bool,
    /// Whether the server runs with `--read-only`.
    pub read_only: bool,
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "The process runs; open without a token", body = HealthView))
)]
/// `GET /healthz`: 200 while the process runs.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(HealthView { status: "ok" })
}

#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    description = "200 with the read models' generation once the server serves, 503 from the start of a shutdown, so that a load balancer stops sending requests while those in flight finish.",
    responses(
        (status = 200, description = "The server serves reads and writes; open without a token", body = ReadinessView),
        (status = 503, description = "Not ready (`not-ready`): shutting down, or the store or the read models do not answer",
            body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before asking again"))),
    )
)]
/// `GET /readyz`: 200 with the read models' generation when the server is ready, a
/// `503 not-ready` problem naming the reason otherwise.
///
/// # Errors
/// [`ApiError::NotReady`] when the server is shutting down or a part of it does not answer.
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if state.shutting_down.load(Ordering::Relaxed) {
        return Err(ApiError::NotReady {
            reason: "the server is shutting down",
        });
    }
    if state.models.read().is_err() {
        return Err(ApiError::NotReady {
            reason: "the read models are unavailable",
        });
    }
    // One look-up: the store answers.
    if let Err(error) = state.store.is_empty() {
        tracing::warn!(%error, "readiness: the store does not answer");
        return Err(ApiError::NotReady {
            reason: "the store does not answer",
        });
    }
    let stats = state.models.stats();
    Ok(HttpResponse::Ok().json(ReadinessView {
        status: "ready",
        generation: stats.generation,
        rebuilding: stats.rebuilding,
        read_only: state.read_only,
    }))
}
