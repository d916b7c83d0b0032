//! `/api/v1/events`: the timeline.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::entities::parse_date;
use super::resolve;
use super::views::AmbiguousView;
use super::views::{EventView, TimelineView};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking};
use crate::catalog::events::{EventFilter, timeline as build_timeline};

/// Query parameters of the timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineRequest {
    /// Only events this entity (uuid, label or alias) takes part in.
    actor: Option<String>,
    /// Only events of this type (an IRI, or the local name of an `eg:` class).
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only events that can have happened on or after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Only events that can have happened on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

/// GET `/api/v1/events?actor=&type=&from=&to=`.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    params(TimelineRequest),
    responses(
        (status = 200, description = "The events, in date order", body = TimelineView),
        (status = 300, description = "Several entities have the actor's name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has the actor's id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn timeline(
    state: web::Data<AppState>,
    request: web::Query<TimelineRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = match super::given(&request.actor) {
        Some(key) => Some(resolve(&state, key).await?),
        None => None,
    };
    let filter = EventFilter {
        actor,
        event_type: super::given(&request.event_type),
        from: parse_date("from", request.from.as_ref())?,
        to: parse_date("to", request.to.as_ref())?,
    };
    let store = state.store.clone();
    let events = blocking(move || Ok(build_timeline(&store, &filter)?)).await?;
    Ok(HttpResponse::Ok().json(TimelineView {
        events: events.iter().map(EventView::from).collect(),
    }))
}
