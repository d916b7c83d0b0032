//! REST writes: create, change and delete entities; create and delete statements.
//!
//! Each handler checks the write token (the [`WriteAccess`] argument), reads the
//! request into an edit of `crate::edits`, runs it on the blocking pool, and
//! renders what was written with the generation it was given
//! (`Eventgraph-Generation`). What an edit writes, how it is checked against
//! the SHACL shapes and in which order writes are applied is the library's
//! business (`crate::edits`, `crate::read_models`); this file only speaks HTTP.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::views::{EntityView, StatementView};
use crate::api::auth::WriteAccess;
use crate::api::problem::{ApiError, ProblemView, WriteRefusal};
use crate::api::{AppState, blocking, generation};
use crate::catalog::Catalog;
use crate::edits::entity::EntityEdit;
use crate::edits::statement::{Attribution, Modality, StatementEdit};
use crate::edits::{self};
use crate::model::EntityId;

/// `POST /api/v1/entities`, and the fields of `PATCH`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityRequest {
    /// The English label; required to create.
    pub label: Option<String>,
    /// Other names; replace the old ones on PATCH.
    pub aliases: Option<Vec<String>>,
    /// Classes of the ontology (IRIs or `eg:` local names); replace the old ones on PATCH.
    pub types: Option<Vec<String>>,
    /// A description; the shapes require one for a new entity.
    pub description: Option<String>,
}

/// How firmly a statement is made.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModalityRequest {
    /// Stated as fact (`eg:Asserted`).
    #[default]
    Asserted,
    /// Stated as possible (`eg:Possible`).
    Possible,
    /// Denied: the speaker says it does not hold (`eg:Denied`).
    Denied,
}

/// Whose voice a statement is in.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributionRequest {
    /// The text attributes it to its speaker (`eg:AttributedInText`).
    #[default]
    AttributedInText,
    /// The publisher says it in its own voice (`eg:PublisherNarration`); the speaker must
    /// then be the source's publisher.
    PublisherNarration,
}

/// `POST /api/v1/statements`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementRequest {
    /// The subject entity: uuid, label or alias.
    pub subject: String,
    /// A property of the ontology (IRI or `eg:` local name).
    pub predicate: String,
    /// The object entity: uuid, label or alias.
    pub object: String,
    /// Qualifiers: property (IRI or `eg:` local name) → an entity (uuid, label, alias) or text.
    #[serde(default)]
    pub qualifiers: BTreeMap<String, String>,
    /// The source document: uuid, label or alias.
    pub source: String,
    /// Who said it: uuid, label or alias.
    pub speaker: String,
    /// When it was said, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The verbatim evidence quote.
    pub quote: String,
    /// Stated as fact (the default) or as possible.
    #[serde(default)]
    pub modality: ModalityRequest,
    /// Attributed to the speaker in the text (the default) or the publisher's own narration.
    #[serde(default)]
    pub attribution: AttributionRequest,
    /// A note on the statement; by default one naming the speaker and the source.
    pub description: Option<String>,
}

impl From<&EntityRequest> for EntityEdit {
    fn from(request: &EntityRequest) -> Self {
        Self {
            label: request.label.clone(),
            aliases: request.aliases.clone(),
            types: request.types.clone(),
            description: request.description.clone(),
        }
    }
}

impl From<&StatementRequest> for StatementEdit {
    fn from(request: &StatementRequest) -> Self {
        Self {
            subject: request.subject.clone(),
            predicate: request.predicate.clone(),
            object: request.object.clone(),
            qualifiers: request.qualifiers.clone(),
            source: request.source.clone(),
            speaker: request.speaker.clone(),
            date: request.date.clone(),
            quote: request.quote.clone(),
            modality: match request.modality {
                ModalityRequest::Asserted => Modality::Asserted,
                ModalityRequest::Possible => Modality::Possible,
                ModalityRequest::Denied => Modality::Denied,
            },
            attribution: match request.attribution {
                AttributionRequest::AttributedInText => Attribution::AttributedInText,
                AttributionRequest::PublisherNarration => Attribution::PublisherNarration,
            },
            description: request.description.clone(),
        }
    }
}

/// The entity as the store holds it now.
async fn entity_view(state: &AppState, iri: NamedNode) -> Result<EntityView, ApiError> {
    let store = state.store.clone();
    let entity = blocking(move || Ok(Catalog::new(&store).entity(iri.as_ref())?)).await?;
    entity
        .map(|e| EntityView::from(&e))
        .ok_or_else(|| ApiError::Internal("a written entity cannot be read back".into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/entities",
    tag = "entities",
    request_body = EntityRequest,
    responses(
        (status = 201, description = "Created; Location names it", body = EntityView),
        (status = 400, description = "A field is invalid", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
    )
)]
/// POST `/api/v1/entities`: a new entity with a random uuid.
pub async fn create_entity(
    _: WriteAccess,
    state: web::Data<AppState>,
    body: web::Json<EntityRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = EntityEdit::from(&*body);
    let shared = state.clone();
    let written = blocking(move || {
        Ok(edits::entity::create(
            &shared.models,
            &shared.shapes,
            &edit,
        )?)
    })
    .await?;
    let view = entity_view(&state, written.value).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/entities/{}", view.id.clone().unwrap_or_default()),
        ))
        .insert_header(generation(written.generation))
        .json(view))
}

#[utoipa::path(
    patch,
    path = "/api/v1/entities/{id}",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias")),
    request_body = EntityRequest,
    responses(
        (status = 200, description = "The entity as changed", body = EntityView),
        (status = 400, description = "A field is invalid", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// PATCH `/api/v1/entities/{id}`: replaces the fields given.
pub async fn update_entity(
    _: WriteAccess,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: web::Json<EntityRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = EntityEdit::from(&*body);
    let shared = state.clone();
    let written = blocking(move || {
        Ok(edits::entity::update(
            &shared.models,
            &shared.shapes,
            &key,
            &edit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(written.generation))
        .json(entity_view(&state, written.value).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/entities/{id}",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias")),
    responses(
        (status = 204, description = "Deleted, with every triple and statement about it"),
        WriteRefusal,
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// DELETE `/api/v1/entities/{id}`: the entity, its triples, and the statements about them.
pub async fn delete_entity(
    _: WriteAccess,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let written = blocking(move || Ok(edits::entity::delete(&state.models, &key)?)).await?;
    Ok(HttpResponse::NoContent()
        .insert_header(generation(written.generation))
        .finish())
}

#[utoipa::path(
    post,
    path = "/api/v1/statements",
    tag = "statements",
    request_body = StatementRequest,
    responses(
        (status = 201, description = "Created: the direct triple and the statement; Location names it", body = StatementView),
        (status = 400, description = "A field is invalid", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
    )
)]
/// POST `/api/v1/statements`: the direct triple and its statement node, in one transaction.
pub async fn create_statement(
    _: WriteAccess,
    state: web::Data<AppState>,
    body: web::Json<StatementRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = StatementEdit::from(&*body);
    let shared = state.clone();
    let written = blocking(move || {
        Ok(edits::statement::create(
            &shared.models,
            &shared.shapes,
            &edit,
        )?)
    })
    .await?;
    let store = state.store.clone();
    let read = written.value.clone();
    let record = blocking(move || Ok(Catalog::new(&store).statement(read.as_ref())?))
        .await?
        .ok_or_else(|| ApiError::Internal("a written statement cannot be read back".into()))?;
    let view = StatementView::from(&record);
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/statements/{}", view.id.clone().unwrap_or_default()),
        ))
        .insert_header(generation(written.generation))
        .json(view))
}

#[utoipa::path(
    delete,
    path = "/api/v1/statements/{id}",
    tag = "statements",
    params(("id" = uuid::Uuid, Path, description = "The statement's uuid")),
    responses(
        (status = 204, description = "Deleted, with its direct triple when no other statement reports it"),
        WriteRefusal,
        (status = 404, description = "No statement has that id", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// DELETE `/api/v1/statements/{id}`: the statement node, and its direct triple when no other
/// statement reports that triple.
pub async fn delete_statement(
    _: WriteAccess,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: EntityId = key.parse().map_err(|_| ApiError::InvalidParameter {
        field: "id".into(),
        message: format!("'{key}' is not a uuid"),
    })?;
    let written = blocking(move || Ok(edits::statement::delete(&state.models, id)?)).await?;
    Ok(HttpResponse::NoContent()
        .insert_header(generation(written.generation))
        .finish())
}
