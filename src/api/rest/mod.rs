//! `/api/v1`: the REST API for people who do not write SPARQL.
//!
//! Entities are looked up by uuid or by a name (label or alias); their
//! relations come a page at a time, each with the statements that report it;
//! statements with their provenance; events as a timeline. The search index (and, with it,
//! every derived read model) is rebuilt after each acknowledged write, so the
//! next read sees the write. JSON uses snake_case throughout; every error is
//! problem+json.

pub mod entities;
pub mod events;
pub mod export;
pub mod openapi;
pub mod relations;
pub mod statements;
pub mod traversal;
pub mod views;
pub mod writes;

use std::sync::{Arc, OnceLock, RwLock};

use actix_web::web;
use oxigraph::model::NamedNode;

use super::problem::ApiError;
use crate::catalog::search::SearchIndex;
use crate::catalog::{Catalog, CatalogError};
use crate::graph::{Projection, ProjectionError};
use crate::model::EntityId;
use crate::store::Store;

/// State derived from the store, rebuilt after every write.
pub struct ReadModels {
    /// Labels and aliases of every entity.
    pub index: SearchIndex,
    /// The entity graph in memory, for traversals.
    pub projection: Projection,
    /// PageRank of every node of `projection`, computed on the first request that asks.
    pub pagerank: OnceLock<Vec<f64>>,
    /// Betweenness of every node of `projection` (O(V·E)), computed on the first request
    /// that asks and kept until the next write replaces these read models.
    pub betweenness: OnceLock<Vec<f64>>,
}

impl ReadModels {
    /// Builds every read model from `store`.
    ///
    /// # Errors
    /// [`CatalogError`] when the store cannot be read.
    pub fn build(store: &Store) -> Result<Self, CatalogError> {
        Ok(Self {
            index: SearchIndex::build(store)?,
            projection: Projection::build(store).map_err(|e| match e {
                ProjectionError::Storage(e) => CatalogError::Storage(e),
            })?,
            pagerank: OnceLock::new(),
            betweenness: OnceLock::new(),
        })
    }
}

/// The read models, shared by the workers: a request takes the current `Arc` and works on it
/// without holding the lock, while a write swaps in a rebuilt one.
pub type SharedReadModels = RwLock<Arc<ReadModels>>;

/// The current read models.
///
/// # Errors
/// [`ApiError::Internal`] when the lock is poisoned (a panic while swapping).
pub fn current(models: &SharedReadModels) -> Result<Arc<ReadModels>, ApiError> {
    models
        .read()
        .map(|guard| Arc::clone(&guard))
        .map_err(|_| ApiError::Internal("the read models lock is poisoned".into()))
}

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
        .service(get_only("/api/v1/events", events::timeline))
        .service(get_only("/api/v1/paths", traversal::paths))
        .service(get_only("/api/v1/rankings", traversal::rankings))
        .service(get_only("/api/v1/stats", traversal::stats))
        .service(get_only("/api/v1/export", export::export))
        .service(get_only("/api/v1/openapi.json", openapi::document))
        .service(get_only("/api/v1/docs", openapi::page));
}

/// A resource with these routes, answering 405 with `Allow` to any other method.
fn resource(
    path: &str,
    routes: Vec<actix_web::Route>,
    allowed: &'static [&'static str],
) -> actix_web::Resource {
    routes
        .into_iter()
        .fold(web::resource(path), actix_web::Resource::route)
        .default_service(web::to(move |request: actix_web::HttpRequest| async move {
            super::method_not_allowed(&request, allowed)
        }))
}

/// A resource answering GET only.
fn get_only<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    resource(path, vec![web::get().to(handler)], &["GET"])
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

/// What an `{id}` path segment names.
pub enum Resolved {
    /// One resource.
    One(NamedNode),
    /// Several resources share that name.
    Many(Vec<views::EntitySummaryView>),
}

/// Resolves a uuid, or a label or alias, to a resource.
///
/// # Errors
/// [`ApiError::UnknownEntity`] when nothing has that id or name.
pub fn resolve(store: &Store, models: &SharedReadModels, key: &str) -> Result<Resolved, ApiError> {
    if let Ok(id) = key.parse::<EntityId>() {
        let iri = id.iri();
        if Catalog::new(store).exists(iri.as_ref())? {
            return Ok(Resolved::One(iri));
        }
        return Err(ApiError::UnknownEntity {
            key: key.to_owned(),
        });
    }
    let models = current(models)?;
    let matches = models.index.exact(key);
    match matches.as_slice() {
        [] => Err(ApiError::UnknownEntity {
            key: key.to_owned(),
        }),
        [one] => Ok(Resolved::One(NamedNode::new_unchecked(
            one.resource.iri.clone(),
        ))),
        many => Ok(Resolved::Many(
            many.iter()
                .map(|entry| {
                    views::EntitySummaryView::from(&crate::catalog::search::Hit {
                        entry,
                        kind: crate::catalog::search::MatchKind::Exact,
                    })
                })
                .collect(),
        )),
    }
}

/// The 300 answer for a name several entities share.
pub fn ambiguous(key: &str, candidates: Vec<views::EntitySummaryView>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::MultipleChoices().json(views::AmbiguousView {
        detail: format!(
            "'{key}' names {} entities; ask again with one of their ids",
            candidates.len()
        ),
        candidates,
    })
}
