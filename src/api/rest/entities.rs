//! `/api/v1/entities`: search, one entity, its relations.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::views::{
    EntityPageView, EntitySummaryView, EntityView, RelationView, RelationsView, ResourceView,
};
use super::{Resolved, ambiguous, resolve};
use crate::api::problem::ApiError;
use crate::api::{AppState, blocking};
use crate::catalog::{Catalog, Direction, local_name};

/// The largest page of search results.
const MAX_LIMIT: usize = 1000;

/// Query parameters of the search.
#[derive(Debug, Deserialize)]
pub struct SearchRequest {
    /// Text to find in labels and aliases; empty lists everything.
    #[serde(default)]
    q: String,
    /// Only entities of this type (an IRI, or the local name of an `eg:` class).
    #[serde(rename = "type")]
    entity_type: Option<String>,
    /// Page size, 1 to 1000 (default 20).
    limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// GET `/api/v1/entities?q=&type=&limit=&cursor=`.
pub async fn search(
    state: web::Data<AppState>,
    request: web::Query<SearchRequest>,
) -> Result<HttpResponse, ApiError> {
    let limit = request.limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidParameter {
            field: "limit".into(),
            message: format!("{limit} is not between 1 and {MAX_LIMIT}"),
        });
    }
    let offset = match &request.cursor {
        None => 0,
        Some(cursor) => cursor
            .parse::<usize>()
            .map_err(|_| ApiError::InvalidParameter {
                field: "cursor".into(),
                message: "not a cursor this API returned".into(),
            })?,
    };
    let models = super::current(&state.read_models)?;
    let hits = models
        .index
        .search(&request.q, request.entity_type.as_deref());
    let total = hits.len();
    let items: Vec<EntitySummaryView> = hits
        .iter()
        .skip(offset)
        .take(limit)
        .map(EntitySummaryView::from)
        .collect();
    let next = offset + items.len();
    Ok(HttpResponse::Ok().json(EntityPageView {
        items,
        total,
        next_cursor: (next < total).then(|| next.to_string()),
    }))
}

/// GET `/api/v1/entities/{id}`: `{id}` is a uuid, or a label or alias naming one entity.
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let iri = match resolve(&state.store, &state.read_models, &key)? {
        Resolved::One(iri) => iri,
        Resolved::Many(candidates) => return Ok(ambiguous(&key, candidates)),
    };
    let store = state.store.clone();
    let entity = blocking(move || Ok(Catalog::new(&store).entity(iri.as_ref())?)).await?;
    let entity = entity.ok_or(ApiError::UnknownEntity { key })?;
    Ok(HttpResponse::Ok().json(EntityView::from(&entity)))
}

/// Query parameters of the relations.
#[derive(Debug, Deserialize)]
pub struct RelationsRequest {
    /// `out`, `in` or `both` (the default).
    direction: Option<String>,
    /// Only this predicate (an IRI, or the local name of an `eg:` property).
    predicate: Option<String>,
    /// Only relations stated on or after this date (`YYYY-MM-DD`).
    since: Option<String>,
    /// Only relations stated on or before this date (`YYYY-MM-DD`).
    until: Option<String>,
}

/// Checks a `YYYY-MM-DD` date parameter.
pub fn parse_date(field: &str, value: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    let valid = value.len() == 10
        && value.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if valid {
        Ok(Some(value.clone()))
    } else {
        Err(ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("'{value}' is not a date written YYYY-MM-DD"),
        })
    }
}

/// GET `/api/v1/entities/{id}/relations?direction=&predicate=&since=&until=`.
pub async fn relations(
    state: web::Data<AppState>,
    key: web::Path<String>,
    request: web::Query<RelationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let directions = match request.direction.as_deref().unwrap_or("both") {
        "out" => vec![Direction::Out],
        "in" => vec![Direction::In],
        "both" => vec![Direction::Out, Direction::In],
        other => {
            return Err(ApiError::InvalidParameter {
                field: "direction".into(),
                message: format!("'{other}' is not one of out, in, both"),
            });
        }
    };
    let since = parse_date("since", request.since.as_ref())?;
    let until = parse_date("until", request.until.as_ref())?;
    let iri = match resolve(&state.store, &state.read_models, &key)? {
        Resolved::One(iri) => iri,
        Resolved::Many(candidates) => return Ok(ambiguous(&key, candidates)),
    };
    let predicate = request.predicate.clone();
    let store = state.store.clone();
    let (entity, relations) = blocking(move || {
        let catalog = Catalog::new(&store);
        Ok((
            catalog.labelled(iri.as_ref())?,
            catalog.relations(iri.as_ref(), &directions)?,
        ))
    })
    .await?;
    let relations = relations
        .iter()
        .filter(|r| {
            predicate
                .as_deref()
                .is_none_or(|p| r.predicate.iri == p || local_name(&r.predicate.iri) == p)
        })
        .filter(|r| {
            let date = r
                .statement
                .as_ref()
                .and_then(|s| s.date.clone().or_else(|| s.date_not_after.clone()));
            let after_since = since
                .as_ref()
                .is_none_or(|since| date.as_ref().is_some_and(|d| d >= since));
            let before_until = until
                .as_ref()
                .is_none_or(|until| date.as_ref().is_some_and(|d| d <= until));
            after_since && before_until
        })
        .map(RelationView::from)
        .collect();
    Ok(HttpResponse::Ok().json(RelationsView {
        entity: ResourceView::from(&entity),
        relations,
    }))
}
