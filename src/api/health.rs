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
use serde_json::json;

use super::AppState;

/// `GET /healthz`: 200 while the process runs.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: 200 with the read models' generation when the server is ready, 503 with
/// the reason otherwise.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let not_ready = |reason: &str| {
        HttpResponse::ServiceUnavailable()
            .insert_header((actix_web::http::header::RETRY_AFTER, "1"))
            .json(json!({"status": "not ready", "reason": reason}))
    };
    if state.shutting_down.load(Ordering::Relaxed) {
        return not_ready("the server is shutting down");
    }
    if state.models.read().is_err() {
        return not_ready("the read models are unavailable");
    }
    // One look-up: the store answers.
    if let Err(error) = state.store.is_empty() {
        tracing::warn!(%error, "readiness: the store does not answer");
        return not_ready("the store does not answer");
    }
    let stats = state.models.stats();
    HttpResponse::Ok().json(json!({
        "status": "ready",
        "generation": stats.generation,
        "rebuilding": stats.rebuilding,
        "read_only": state.read_only,
    }))
}
