//! `/api/v1/entities`: search, one entity, its relations.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::resolve;
use super::views::AmbiguousView;
use super::views::{
    EntityPageView, EntitySummaryView, EntityView, RelationView, RelationsView, ResourceView,
};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking, generation};
use crate::catalog::{Catalog, Direction, local_name};

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
    let models = state.models.read()?;
    let page = models.index.search(
        &request.q,
        super::given(&request.entity_type).as_deref(),
        offset,
        limit,
    );
    let total = page.total;
    let items: Vec<EntitySummaryView> = page.hits.iter().map(EntitySummaryView::from).collect();
    let next = offset.saturating_add(items.len());
    let computed_from = models.generation;
    drop(models);
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
    let iri = resolve(&state, &key)?;
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
    /// Only relations stated on or after this date (`YYYY-MM-DD`).
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    since: Option<String>,
    /// Only relations stated on or before this date (`YYYY-MM-DD`).
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    until: Option<String>,
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

/// GET `/api/v1/entities/{id}/relations?direction=&predicate=&since=&until=`.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}/relations",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias"), RelationsRequest),
    responses(
        (status = 200, description = "Every relation, each with the statement that reports it", body = RelationsView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
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
    let iri = resolve(&state, &key)?;
    let predicate = super::given(&request.predicate);
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
