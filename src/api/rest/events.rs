//! `/api/v1/events`: the timeline.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::entities::parse_date;
use super::views::{EventView, TimelineView};
use super::{Resolved, ambiguous, resolve};
use crate::api::problem::ApiError;
use crate::api::{AppState, blocking};
use crate::catalog::events::{EventFilter, timeline as build_timeline};

/// Query parameters of the timeline.
#[derive(Debug, Deserialize)]
pub struct TimelineRequest {
    /// Only events this entity (uuid, label or alias) takes part in.
    actor: Option<String>,
    /// Only events of this type (an IRI, or the local name of an `eg:` class).
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only events that can have happened on or after this date (`YYYY-MM-DD`).
    from: Option<String>,
    /// Only events that can have happened on or before this date (`YYYY-MM-DD`).
    to: Option<String>,
}

/// GET `/api/v1/events?actor=&type=&from=&to=`.
pub async fn timeline(
    state: web::Data<AppState>,
    request: web::Query<TimelineRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = match &request.actor {
        None => None,
        Some(key) => match resolve(&state.store, &state.read_models, key)? {
            Resolved::One(iri) => Some(iri),
            Resolved::Many(candidates) => return Ok(ambiguous(key, candidates)),
        },
    };
    let filter = EventFilter {
        actor,
        event_type: request.event_type.clone(),
        from: parse_date("from", request.from.as_ref())?,
        to: parse_date("to", request.to.as_ref())?,
    };
    let store = state.store.clone();
    let events = blocking(move || Ok(build_timeline(&store, &filter)?)).await?;
    Ok(HttpResponse::Ok().json(TimelineView {
        events: events.iter().map(EventView::from).collect(),
    }))
}
