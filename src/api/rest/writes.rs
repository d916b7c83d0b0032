//! REST writes: create, change and delete entities; create and delete statements.
//!
//! Every write needs the bearer token, is checked field by field before
//! anything is written (errors name the field), and is one transaction. New
//! resources get a random (v4) uuid under the id base, and their triples go
//! to the graph `https://w3id.org/eventgraph/graph/api`. A statement is
//! written twice, as the seed is: the direct triple and the statement node
//! with its provenance. After the write the read models are rebuilt, so the
//! next read sees it.
//!
//! Before anything is written, the resources a create or change writes are
//! checked against the SHACL shapes (`crate::shapes`), as the store would hold
//! them after the write; a violation the write would introduce refuses it with
//! `400 shape-violation`, each violation mapped back to the request field that
//! causes it. Deletes are not checked: they carry no input. REST writes run
//! one at a time (`AppState::rest_write`), from the check to the commit, so
//! two of them cannot each pass against the old store and together break a
//! shape; SPARQL Update and the Graph Store are not checked against shapes.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use serde::Deserialize;
use utoipa::ToSchema;

use super::views::{EntityView, StatementView};
use super::{Resolved, resolve};
use crate::api::auth::require_write_access;
use crate::api::problem::{ApiError, ProblemView, ViolationView};
use crate::api::{AppState, blocking};
use crate::catalog::Catalog;
use crate::model::EntityId;
use crate::shapes::{ShapesError, Violation};
use crate::store::Store;
use crate::vocab::{eg, graph, skos};

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

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
    ApiError::InvalidParameter {
        field: field.into(),
        message: message.into(),
    }
}

fn quad(subject: &NamedNode, predicate: NamedNodeRef<'_>, object: impl Into<Term>) -> Quad {
    Quad::new(subject.clone(), predicate, object, graph::API)
}

/// An IRI, or an `eg:` local name made into one.
fn term_iri(field: &str, name: &str) -> Result<NamedNode, ApiError> {
    let iri = if name.contains(':') {
        name.to_owned()
    } else {
        format!("{}{name}", eg::NAMESPACE)
    };
    NamedNode::new(iri).map_err(|e| invalid(field, format!("'{name}' is not an IRI: {e}")))
}

/// Whether the ontology declares `iri` with `rdf:type` `kind` (OWL class or property).
fn declared(store: &Store, iri: &NamedNode, kinds: &[&str]) -> Result<bool, ApiError> {
    for kind in kinds {
        let kind = NamedNode::new_unchecked(format!("http://www.w3.org/2002/07/owl#{kind}"));
        let found = store
            .oxigraph()
            .quads_for_pattern(
                Some(iri.as_ref().into()),
                Some(rdf::TYPE),
                Some(kind.as_ref().into()),
                Some(graph::ONTOLOGY.into()),
            )
            .next()
            .transpose()
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .is_some();
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Resolves a field naming an entity to its IRI.
fn entity_field(state: &AppState, field: &str, key: &str) -> Result<NamedNode, ApiError> {
    match resolve(&state.store, &state.read_models, key) {
        Ok(Resolved::One(iri)) => Ok(iri),
        Ok(Resolved::Many(candidates)) => Err(invalid(
            field,
            format!("'{key}' names {} entities; give a uuid", candidates.len()),
        )),
        Err(ApiError::UnknownEntity { .. }) => Err(invalid(
            field,
            format!("no entity has the id or name '{key}'"),
        )),
        Err(other) => Err(other),
    }
}

/// The triples an entity request asks for, after checking every field.
fn entity_quads(
    state: &AppState,
    iri: &NamedNode,
    request: &EntityRequest,
) -> Result<Vec<Quad>, ApiError> {
    let mut quads = Vec::new();
    if let Some(label) = &request.label {
        if label.trim().is_empty() {
            return Err(invalid("label", "the label is empty"));
        }
        quads.push(quad(
            iri,
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked(label.trim(), "en"),
        ));
    }
    for (i, alias) in request.aliases.iter().flatten().enumerate() {
        if alias.trim().is_empty() {
            return Err(invalid(format!("aliases[{i}]"), "the alias is empty"));
        }
        quads.push(quad(
            iri,
            skos::ALT_LABEL,
            Literal::new_language_tagged_literal_unchecked(alias.trim(), "en"),
        ));
    }
    for (i, name) in request.types.iter().flatten().enumerate() {
        let field = format!("types[{i}]");
        let class = term_iri(&field, name)?;
        if !declared(&state.store, &class, &["Class"])? {
            return Err(invalid(
                field,
                format!("'{name}' is not a class of the ontology"),
            ));
        }
        quads.push(quad(iri, rdf::TYPE, class));
    }
    if let Some(description) = &request.description {
        quads.push(quad(
            iri,
            rdfs::COMMENT,
            Literal::new_language_tagged_literal_unchecked(description, "en"),
        ));
    }
    Ok(quads)
}

/// The quads whose subject is `iri`, in every graph, with `predicate` when given.
fn quads_of(
    store: &Store,
    iri: &NamedNode,
    predicate: Option<NamedNodeRef<'_>>,
) -> Result<Vec<Quad>, ApiError> {
    store
        .oxigraph()
        .quads_for_pattern(Some(iri.as_ref().into()), predicate, None, None)
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The quads whose object is `iri`, in every graph.
fn quads_to(store: &Store, iri: &NamedNode) -> Result<Vec<Quad>, ApiError> {
    store
        .oxigraph()
        .quads_for_pattern(None, None, Some(iri.as_ref().into()), None)
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Names the request field a SHACL violation comes from.
type FieldOf = Box<dyn Fn(&Violation) -> String + Send>;

/// Checks `focus` against the shapes as they would be after the write, then writes, then
/// rebuilds the read models. An empty `focus` writes without checking (deletes).
async fn written(
    state: &web::Data<AppState>,
    remove: Vec<Quad>,
    insert: Vec<Quad>,
    focus: Vec<NamedNode>,
    field_of: FieldOf,
) -> Result<(), ApiError> {
    let shared = web::Data::clone(state);
    blocking(move || {
        let _serialized = shared
            .rest_write
            .lock()
            .map_err(|_| ApiError::Internal("the REST write lock is poisoned".into()))?;
        if !focus.is_empty() {
            shared
                .shapes
                .check(&shared.store, &remove, &insert, &focus)
                .map_err(|e| shape_error(e, field_of))?;
        }
        Ok(shared.store.apply_changes(&remove, &insert)?)
    })
    .await?;
    state.refresh_read_models().await
}

fn shape_error(error: ShapesError, field_of: FieldOf) -> ApiError {
    match error {
        ShapesError::Violations(violations) => ApiError::ShapeViolation {
            violations: violations
                .iter()
                .map(|v| ViolationView {
                    field: field_of(v),
                    focus: v.focus.clone(),
                    path: v.path.clone(),
                    constraint: v.component.clone(),
                    value: v.value.clone(),
                    message: v.message.clone(),
                })
                .collect(),
        },
        other => ApiError::Shapes(other),
    }
}

/// The field of an entity request that sets the property a violation is about.
fn entity_field_of(violation: &Violation) -> String {
    let field = match violation.path.as_deref() {
        Some(path) if path == rdfs::LABEL.as_str() => "label",
        Some(path) if path == skos::ALT_LABEL.as_str() => "aliases",
        Some(path) if path == rdfs::COMMENT.as_str() => "description",
        Some(path) if path == rdf::TYPE.as_str() => "types",
        // What an entity must carry besides these depends on its types (an event's date).
        Some(_) => "types",
        None if violation.component == "PatternConstraintComponent" => "id",
        None => "types",
    };
    field.to_owned()
}

/// The field of a statement request that sets the property a violation is about: a
/// violation of the statement node's shape, or of the subject's once the direct triple
/// `subject predicate object` is added to it.
fn statement_field_of(statement: &str, predicate: &str, violation: &Violation) -> String {
    if violation.focus != statement {
        return if violation.path.as_deref() == Some(predicate) {
            "object".to_owned()
        } else {
            "predicate".to_owned()
        };
    }
    let Some(path) = violation.path.as_deref() else {
        return if violation.component == "PatternConstraintComponent" {
            "id".to_owned()
        } else {
            // The statement's one node-level constraint: it needs a date.
            "date".to_owned()
        };
    };
    let fields = [
        (rdf::SUBJECT, "subject"),
        (rdf::PREDICATE, "predicate"),
        (rdf::OBJECT, "object"),
        (rdfs::LABEL, "subject"),
        (rdfs::COMMENT, "description"),
        (eg::SOURCE, "source"),
        (eg::SPEAKER, "speaker"),
        (eg::QUOTE, "quote"),
        (eg::STATED_ON, "date"),
        (eg::MODALITY, "modality"),
        (eg::ATTRIBUTION, "attribution"),
    ];
    if let Some((_, field)) = fields.iter().find(|(p, _)| p.as_str() == path) {
        return (*field).to_owned();
    }
    if path.starts_with(eg::NAMESPACE) {
        return format!("qualifiers.{}", crate::catalog::local_name(path));
    }
    "body".to_owned()
}

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
        (status = 401, description = "No or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "The server accepts no writes", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// POST `/api/v1/entities`: a new entity with a random uuid.
pub async fn create_entity(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<EntityRequest>,
) -> Result<HttpResponse, ApiError> {
    require_write_access(&request, state.write_token.as_deref())?;
    if body.label.is_none() {
        return Err(invalid("label", "a new entity needs a label"));
    }
    let iri = EntityId::new_random().iri();
    let quads = entity_quads(&state, &iri, &body)?;
    written(
        &state,
        Vec::new(),
        quads,
        vec![iri.clone()],
        Box::new(entity_field_of),
    )
    .await?;
    let view = entity_view(&state, iri).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/entities/{}", view.id.clone().unwrap_or_default()),
        ))
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
        (status = 401, description = "No or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "The server accepts no writes", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// PATCH `/api/v1/entities/{id}`: replaces the fields given.
pub async fn update_entity(
    request: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
    body: web::Json<EntityRequest>,
) -> Result<HttpResponse, ApiError> {
    require_write_access(&request, state.write_token.as_deref())?;
    let iri = match resolve(&state.store, &state.read_models, &key)? {
        Resolved::One(iri) => iri,
        Resolved::Many(candidates) => return Ok(super::ambiguous(&key, candidates)),
    };
    let insert = entity_quads(&state, &iri, &body)?;
    let mut remove = Vec::new();
    let replaced = [
        (body.label.is_some(), rdfs::LABEL),
        (body.aliases.is_some(), skos::ALT_LABEL),
        (body.types.is_some(), rdf::TYPE),
        (body.description.is_some(), rdfs::COMMENT),
    ];
    for (given, predicate) in replaced {
        if given {
            remove.extend(quads_of(&state.store, &iri, Some(predicate))?);
        }
    }
    written(
        &state,
        remove,
        insert,
        vec![iri.clone()],
        Box::new(entity_field_of),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entity_view(&state, iri).await?))
}

/// The statement nodes that reify a triple with `iri` as subject or object.
fn statements_mentioning(store: &Store, iri: &NamedNode) -> Result<Vec<NamedNode>, ApiError> {
    let mut statements = Vec::new();
    for predicate in [rdf::SUBJECT, rdf::OBJECT] {
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(predicate),
            Some(iri.as_ref().into()),
            None,
        ) {
            let quad = quad.map_err(|e| ApiError::Internal(e.to_string()))?;
            if let NamedOrBlankNode::NamedNode(node) = quad.subject {
                if !statements.contains(&node) {
                    statements.push(node);
                }
            }
        }
    }
    Ok(statements)
}

#[utoipa::path(
    delete,
    path = "/api/v1/entities/{id}",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias")),
    responses(
        (status = 204, description = "Deleted, with every triple and statement about it"),
        (status = 401, description = "No or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "The server accepts no writes", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// DELETE `/api/v1/entities/{id}`: the entity, its triples, and the statements about them.
pub async fn delete_entity(
    request: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_write_access(&request, state.write_token.as_deref())?;
    let iri = match resolve(&state.store, &state.read_models, &key)? {
        Resolved::One(iri) => iri,
        Resolved::Many(candidates) => return Ok(super::ambiguous(&key, candidates)),
    };
    let mut remove = quads_of(&state.store, &iri, None)?;
    remove.extend(quads_to(&state.store, &iri)?);
    for statement in statements_mentioning(&state.store, &iri)? {
        remove.extend(quads_of(&state.store, &statement, None)?);
        remove.extend(quads_to(&state.store, &statement)?);
    }
    written(
        &state,
        remove,
        Vec::new(),
        Vec::new(),
        Box::new(entity_field_of),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    post,
    path = "/api/v1/statements",
    tag = "statements",
    request_body = StatementRequest,
    responses(
        (status = 201, description = "Created: the direct triple and the statement; Location names it", body = StatementView),
        (status = 400, description = "A field is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 401, description = "No or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "The server accepts no writes", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// POST `/api/v1/statements`: the direct triple and its statement node, in one transaction.
pub async fn create_statement(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<StatementRequest>,
) -> Result<HttpResponse, ApiError> {
    require_write_access(&request, state.write_token.as_deref())?;
    let subject = entity_field(&state, "subject", &body.subject)?;
    let predicate = term_iri("predicate", &body.predicate)?;
    if !declared(&state.store, &predicate, &["ObjectProperty"])? {
        return Err(invalid(
            "predicate",
            format!(
                "'{}' is not an object property of the ontology",
                body.predicate
            ),
        ));
    }
    let object = entity_field(&state, "object", &body.object)?;
    let source = entity_field(&state, "source", &body.source)?;
    let speaker = entity_field(&state, "speaker", &body.speaker)?;
    if body.quote.trim().is_empty() {
        return Err(invalid("quote", "a statement needs its verbatim quote"));
    }
    let date = super::entities::parse_date("date", body.date.as_ref())?
        .map(|date| Literal::new_typed_literal(date, xsd::DATE));
    let catalog = Catalog::new(&state.store);
    let label = format!(
        "Statement: {} — {} — {}",
        catalog.labelled(subject.as_ref())?.label,
        crate::catalog::local_name(predicate.as_str()),
        catalog.labelled(object.as_ref())?.label
    );
    let description = match &body.description {
        Some(description) => description.clone(),
        None => format!(
            "Reported by {} in {}.",
            catalog.labelled(speaker.as_ref())?.label,
            catalog.labelled(source.as_ref())?.label
        ),
    };
    let modality = match body.modality {
        ModalityRequest::Asserted => eg::ASSERTED,
        ModalityRequest::Possible => eg::POSSIBLE,
    };
    let attribution = match body.attribution {
        AttributionRequest::AttributedInText => eg::ATTRIBUTED_IN_TEXT,
        AttributionRequest::PublisherNarration => eg::PUBLISHER_NARRATION,
    };
    let statement = EntityId::new_random().iri();
    let mut quads = vec![
        quad(&subject, predicate.as_ref(), object.clone()),
        quad(&statement, rdf::TYPE, eg::STATEMENT.into_owned()),
        quad(
            &statement,
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked(label, "en"),
        ),
        quad(&statement, rdf::SUBJECT, subject.clone()),
        quad(&statement, rdf::PREDICATE, predicate.clone()),
        quad(&statement, rdf::OBJECT, object.clone()),
        quad(&statement, eg::SOURCE, source),
        quad(&statement, eg::SPEAKER, speaker),
        quad(
            &statement,
            eg::QUOTE,
            Literal::new_simple_literal(body.quote.clone()),
        ),
        quad(
            &statement,
            rdfs::COMMENT,
            Literal::new_language_tagged_literal_unchecked(description, "en"),
        ),
        quad(&statement, eg::MODALITY, modality.into_owned()),
        quad(&statement, eg::ATTRIBUTION, attribution.into_owned()),
    ];
    if let Some(date) = date {
        quads.push(quad(&statement, eg::STATED_ON, date));
    }
    for (name, value) in &body.qualifiers {
        let field = format!("qualifiers.{name}");
        let property = term_iri(&field, name)?;
        if !declared(
            &state.store,
            &property,
            &["ObjectProperty", "DatatypeProperty"],
        )? {
            return Err(invalid(
                field,
                format!("'{name}' is not a property of the ontology"),
            ));
        }
        let value: Term = match resolve(&state.store, &state.read_models, value) {
            Ok(Resolved::One(iri)) => iri.into(),
            _ => Literal::new_simple_literal(value.clone()).into(),
        };
        quads.push(quad(&statement, property.as_ref(), value));
    }
    let (checked, checked_predicate) =
        (statement.as_str().to_owned(), predicate.as_str().to_owned());
    written(
        &state,
        Vec::new(),
        quads,
        vec![statement.clone(), subject.clone()],
        Box::new(move |v| statement_field_of(&checked, &checked_predicate, v)),
    )
    .await?;
    let store = state.store.clone();
    let read = statement.clone();
    let record = blocking(move || Ok(Catalog::new(&store).statement(read.as_ref())?))
        .await?
        .ok_or_else(|| ApiError::Internal("a written statement cannot be read back".into()))?;
    let view = StatementView::from(&record);
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/statements/{}", view.id.clone().unwrap_or_default()),
        ))
        .json(view))
}

#[utoipa::path(
    delete,
    path = "/api/v1/statements/{id}",
    tag = "statements",
    params(("id" = uuid::Uuid, Path, description = "The statement's uuid")),
    responses(
        (status = 204, description = "Deleted, with its direct triple when no other statement reports it"),
        (status = 401, description = "No or a wrong bearer token", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "The server accepts no writes", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No statement has that id", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// DELETE `/api/v1/statements/{id}`: the statement node, and its direct triple when no other
/// statement reports that triple.
pub async fn delete_statement(
    request: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_write_access(&request, state.write_token.as_deref())?;
    let id: EntityId = key
        .parse()
        .map_err(|_| invalid("id", format!("'{key}' is not a uuid")))?;
    let iri = id.iri();
    let catalog = Catalog::new(&state.store);
    let record = catalog
        .statement(iri.as_ref())?
        .ok_or_else(|| ApiError::UnknownStatement {
            key: key.to_string(),
        })?;
    let mut remove = quads_of(&state.store, &iri, None)?;
    remove.extend(quads_to(&state.store, &iri)?);
    if let (Some(subject), Some(predicate), Some(crate::catalog::Value::Resource(object))) =
        (&record.subject, &record.predicate, &record.object)
    {
        let (s, p, o) = (
            NamedNode::new_unchecked(subject.iri.clone()),
            NamedNode::new_unchecked(predicate.iri.clone()),
            NamedNode::new_unchecked(object.iri.clone()),
        );
        let others = catalog.statements_about(s.as_ref(), p.as_ref(), o.as_ref().into())?;
        if others.iter().all(|other| *other == iri) {
            for quad in state.store.oxigraph().quads_for_pattern(
                Some(s.as_ref().into()),
                Some(p.as_ref()),
                Some(o.as_ref().into()),
                None,
            ) {
                remove.push(quad.map_err(|e| ApiError::Internal(e.to_string()))?);
            }
        }
    }
    written(
        &state,
        remove,
        Vec::new(),
        Vec::new(),
        Box::new(entity_field_of),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
