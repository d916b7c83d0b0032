//! `/api/v1/statements/{id}`: one statement with its full provenance.

use actix_web::{HttpResponse, web};

use super::views::StatementView;
use crate::api::problem::ApiError;
use crate::api::{AppState, blocking};
use crate::catalog::Catalog;
use crate::model::EntityId;

/// GET `/api/v1/statements/{id}`: `{id}` is the statement's uuid.
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
