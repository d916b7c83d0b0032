//! `/api/v1/statements/{id}`: one statement with its full provenance.

use actix_web::{HttpResponse, web};

use super::views::StatementView;
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking};
use crate::catalog::Catalog;
use crate::model::EntityId;

/// GET `/api/v1/statements/{id}`: `{id}` is the statement's uuid.
#[utoipa::path(
    get,
    path = "/api/v1/statements/{id}",
    tag = "statements",
    params(("id" = uuid::Uuid, Path, description = "The statement's uuid")),
    responses(
        (status = 200, description = "The statement with its provenance", body = StatementView),
        (status = 400, description = "The id is not a uuid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No statement has that id", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let id: EntityId = key.parse().map_err(|_| ApiError::InvalidParameter {
        field: "id".into(),
        message: format!("'{key}' is not a uuid"),
    })?;
    let store = state.store.clone();
    let statement =
        blocking(move || Ok(Catalog::new(&store).statement(id.iri().as_ref())?)).await?;
    let statement = statement.ok_or(ApiError::UnknownStatement { key })?;
    Ok(HttpResponse::Ok().json(StatementView::from(&statement)))
}
