//! `/api/v1`: the REST API for people who do not write SPARQL.
//!
//! Entities are looked up by uuid or by a name (label or alias); their
//! relations come a page at a time, each with the statements that report it;
//! statements with their provenance; events as a timeline. Reads are answered
//! from the read models (`crate::read_models`), which every write updates before
//! it is acknowledged; each answer names the generation it was computed from in
//! the `Eventgraph-Generation` header. JSON uses snake_case throughout; every
//! error is problem+json.

pub mod contested;
pub mod entities;
pub mod events;
pub mod export;
pub mod imports;
pub mod openapi;
pub mod provenance;
pub mod relations;
pub mod reports;
pub mod statements;
pub mod traversal;
pub mod views;
pub mod writes;

use actix_web::web;
use oxigraph::model::NamedNode;

use super::problem::ApiError;
use super::{AppState, get_only, resource};
use crate::catalog::CatalogError;

/// Registers the `/api/v1` routes.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(resource(
            "/api/v1/entities",
            vec![
                web::get().to(entities::search),
                web::post().to(writes::create_entity),
            ],
            &["GET", "POST"],
        ))
        .service(resource(
            "/api/v1/entities/{id}",
            vec![
                web::get().to(entities::get),
                web::patch().to(writes::update_entity),
                web::delete().to(writes::delete_entity),
            ],
            &["GET", "PATCH", "DELETE"],
        ))
        .service(get_only(
            "/api/v1/entities/{id}/relations",
            entities::relations,
        ))
        .service(get_only(
            "/api/v1/entities/{id}/neighborhood",
            traversal::neighborhood,
        ))
        .service(get_only("/api/v1/entities/{id}/claims", contested::claims))
        .service(resource(
            "/api/v1/statements",
            vec![web::post().to(writes::create_statement)],
            &["POST"],
        ))
        .service(resource(
            "/api/v1/statements/{id}",
            vec![
                web::get().to(statements::get),
                web::delete().to(writes::delete_statement),
            ],
            &["GET", "DELETE"],
        ))
        .service(resource(
            "/api/v1/reports",
            vec![web::post().to(reports::create)],
            &["POST"],
        ))
        .service(resource(
            "/api/v1/imports",
            vec![web::post().to(imports::import)],
            &["POST"],
        ))
        .service(get_only("/api/v1/events", events::timeline))
        .service(get_only("/api/v1/paths", traversal::paths))
        .service(get_only("/api/v1/rankings", traversal::rankings))
        .service(get_only("/api/v1/contested", contested::contested))
        .service(get_only("/api/v1/stats", traversal::stats))
        .service(get_only("/api/v1/export", export::export))
        .service(get_only("/api/v1/openapi.json", openapi::document))
        .service(get_only("/api/v1/docs", openapi::page));
}

impl From<CatalogError> for ApiError {
    fn from(error: CatalogError) -> Self {
        match error {
            CatalogError::Sparql(error) => ApiError::Sparql(error),
            CatalogError::Storage(error) => ApiError::Internal(error.to_string()),
        }
    }
}

/// A query parameter's value, with an empty one taken as absent (`?type=` means no filter).
pub fn given(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Resolves a uuid, or a label or alias, to a resource.
///
/// # Errors
/// [`ApiError::UnknownEntity`] when nothing has that id or name, [`ApiError::Ambiguous`]
/// (answered 300 with the candidates) when several entities share the name.
/// On the blocking pool: the read models' lock may be held by a write being applied, and an
/// HTTP worker waiting for it would hold up every connection it serves.
pub async fn resolve(state: &AppState, key: String) -> Result<NamedNode, ApiError> {
    let models = state.models.clone();
    let store = state.store.clone();
    crate::api::blocking(move || Ok(models.read()?.resolve(&store, &key)?)).await
}
