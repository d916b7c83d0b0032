//! `/api/v1/entities`: search, one entity, its relations a page at a time.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::relations::{RelationsQuery, decode_cursor, parse_limit, relations_page};
use super::resolve;
use super::traversal::parse_direction;
use super::views::AmbiguousView;
use super::views::{EntityPageView, EntitySummaryView, EntityView, RelationsView};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking, generation};
use crate::catalog::{Catalog, PageRequest};

/// The largest page of search results.
const MAX_LIMIT: usize = 1000;

/// Query parameters of the search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchRequest {
    /// Text to find in labels and aliases; empty lists everything.
    #[serde(default)]
    q: String,
    /// Only entities of this type (an IRI, or the local name of an `eg:` class).
    #[serde(rename = "type")]
    entity_type: Option<String>,
    /// Page size, 1 to 1000 (default 20).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]*$")]
    cursor: Option<String>,
}

/// GET `/api/v1/entities?q=&type=&limit=&cursor=`.
#[utoipa::path(
    get,
    path = "/api/v1/entities",
    tag = "entities",
    params(SearchRequest),
    responses(
        (status = 200, description = "A page of matching entities, best matches first", body = EntityPageView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
    )
)]
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
    // A cursor is an offset; one past the end (or too large to count) gives an empty page.
    let offset = match super::given(&request.cursor) {
        None => 0,
        Some(cursor) if cursor.bytes().all(|b| b.is_ascii_digit()) => {
            cursor.parse::<usize>().unwrap_or(usize::MAX)
        }
        Some(_) => {
            return Err(ApiError::InvalidParameter {
                field: "cursor".into(),
                message: "not a cursor this API returned".into(),
            });
        }
    };
    let models = state.models.clone();
    let entity_type = super::given(&request.entity_type);
    let q = request.q.clone();
    // On the blocking pool, as every read of the models: a write may hold them for a moment.
    let (items, total, computed_from) = blocking(move || {
        let models = models.read()?;
        let page = models
            .index
            .search(&q, entity_type.as_deref(), offset, limit);
        let items: Vec<EntitySummaryView> = page.hits.iter().map(EntitySummaryView::from).collect();
        Ok((items, page.total, models.generation))
    })
    .await?;
    let next = offset.saturating_add(items.len());
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(EntityPageView {
            items,
            total,
            next_cursor: (next < total).then(|| next.to_string()),
        }))
}

/// GET `/api/v1/entities/{id}`: `{id}` is a uuid, or a label or alias naming one entity.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, or a label or alias naming one entity")),
    responses(
        (status = 200, description = "The entity", body = EntityView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let iri = resolve(&state, key.clone()).await?;
    let store = state.store.clone();
    let entity = blocking(move || Ok(Catalog::new(&store).entity(iri.as_ref())?)).await?;
    let entity = entity.ok_or(ApiError::UnknownEntity { key })?;
    Ok(HttpResponse::Ok().json(EntityView::from(&entity)))
}

/// Query parameters of the relations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelationsRequest {
    /// `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
    /// Only this predicate (an IRI, or the local name of an `eg:` property).
    predicate: Option<String>,
    /// Only relations with a statement stated on or after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    since: Option<String>,
    /// Only relations with a statement stated on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    until: Option<String>,
    /// Relations per page, 1 to 1000 (default 100).
    #[param(value_type = Option<usize>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    cursor: Option<String>,
}

/// Checks a `YYYY-MM-DD` date parameter.
pub fn parse_date(field: &str, value: Option<&String>) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        Some(day) if crate::model::is_day(day) => Ok(Some(day.clone())),
        Some(day) => Err(ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("'{day}' is not a date written YYYY-MM-DD"),
        }),
    }
}

/// GET `/api/v1/entities/{id}/relations?direction=&predicate=&since=&until=&limit=&cursor=`.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}/relations",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias"), RelationsRequest, super::provenance::ProvenanceRequest),
    responses(
        (status = 200, description = "The entity's relations per predicate and direction, then a page of relations, each with every statement that reports it, and the cursor of the next page", body = RelationsView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid, or the cursor is not one this endpoint returned", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn relations(
    http: actix_web::HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
    request: web::Query<RelationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let provenance = super::provenance::ProvenanceRequest::parse(http.query_string())?;
    let query = RelationsQuery {
        direction: parse_direction(request.direction.as_deref())?,
        predicate: super::given(&request.predicate),
        after: super::given(&request.cursor)
            .map(|cursor| decode_cursor(&cursor))
            .transpose()?,
        page: PageRequest {
            limit: parse_limit(request.limit.as_deref())?,
            since: parse_date("since", request.since.as_ref())?,
            until: parse_date("until", request.until.as_ref())?,
        },
        evidence: crate::graph::EvidenceFilter::default(),
    };
    let models = state.models.clone();
    let store = state.store.clone();
    let (view, computed_from): (RelationsView, u64) = blocking(move || {
        // One read of the models for the name and the page: no write is applied between.
        let read = models.read()?;
        let iri = read.resolve(&store, &key)?;
        let mut query = query;
        query.evidence = provenance.resolve(&store, &read)?;
        let view = relations_page(&store, &read, models.cache(), iri.as_ref(), &query)?;
        Ok((view, read.generation))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}
