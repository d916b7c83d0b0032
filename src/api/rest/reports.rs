//! `POST /api/v1/reports`: one article and its claims in one request.
//!
//! The handler checks the write token, checks the body against the input limits, reads it
//! into a [`ReportEdit`] — a body that does not parse is refused with the field path serde
//! stopped at (`statements[2].modality`) — runs [`edits::report::create`] on the blocking
//! pool and answers `201` with what was written and its generation. Resolving names, the
//! model written, the SHACL check and the all-or-nothing commit are the library's
//! (`crate::edits::report`); this file only speaks HTTP and holds the wire types.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::writes::{AttributionRequest, ModalityRequest};
use crate::api::auth::WriteAccess;
use crate::api::problem::{ApiError, ProblemView, WriteRefusal};
use crate::api::{AppState, blocking, generation};
use crate::edits::report::{
    Confirmed, EntityRef, Hedge, NewEntity, ObjectRef, QuantityEdit, ReportEdit, ReportStatement,
    ReportWritten, SourceEdit,
};
use crate::edits::statement::{Attribution, Modality};
use crate::edits::{self};
use crate::model::EntityId;

/// An entity a report names: a uuid, label or alias as a string, `{"id": ...}`,
/// `{"name": ...}`, or `{"new": {...}}` for an entity the report creates.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum EntityRefRequest {
    /// A uuid, label or alias naming exactly one entity (or one this report creates).
    Key(String),
    /// An entity by its uuid.
    Id(IdRequest),
    /// An entity by its label or alias.
    Name(NameRequest),
    /// A new entity; refused when its label already names one.
    New(NewRequest),
}

/// `{"id": UUID}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdRequest {
    /// The entity's uuid.
    pub id: String,
}

/// `{"name": LABEL}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameRequest {
    /// A label or alias of exactly one entity.
    pub name: String,
}

/// `{"new": {...}}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// The entity to create.
    pub new: NewEntityRequest,
}

/// An entity a report creates.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntityRequest {
    /// The English label.
    pub label: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Classes of the ontology (IRIs or `eg:` local names).
    pub types: Vec<String>,
    /// A description; the shapes require one.
    pub description: Option<String>,
    /// For a new event: the day it happened, `YYYY-MM-DD`; an event needs a date or bounds.
    pub date: Option<String>,
    /// For a new event: the earliest day it can have happened.
    pub not_before: Option<String>,
    /// For a new event: the latest day it can have happened.
    pub not_after: Option<String>,
}

/// How a printed figure relates to the true one.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HedgeRequest {
    /// No hedging word (`eg:Exact`).
    #[default]
    Exact,
    /// 'more than', 'over', 'exceeded' (`eg:LowerBound`).
    LowerBound,
    /// 'fewer than', 'up to' (`eg:UpperBound`).
    UpperBound,
    /// 'about', 'some' (`eg:Approximate`).
    Approximate,
}

/// A figure a statement reports (`eg:Quantity`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityRequest {
    /// The number, when the printed figure is usable as printed (a JSON number, or its
    /// decimal digits as a string; checked by the edit, which names the field).
    #[schema(value_type = Option<f64>)]
    pub value: Option<serde_json::Value>,
    /// The most likely intended number when the printed figure is evidently wrong (give a
    /// `note`).
    #[schema(value_type = Option<f64>)]
    pub probable_value: Option<serde_json::Value>,
    /// The figure exactly as printed ("more than 1,400").
    pub printed_as: String,
    /// The hedging word as printed ("more than").
    pub hedge_word: Option<String>,
    /// How the printed figure relates to the true one.
    #[serde(default)]
    pub hedge: HedgeRequest,
    /// What is counted, in words ("people killed in Israel").
    pub count_of: String,
    /// Why the figure is read as it is.
    pub note: Option<String>,
}

/// `{"quantity": {...}}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityObjectRequest {
    /// The figure.
    pub quantity: QuantityRequest,
}

/// The object of a statement: an entity, or a figure.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ObjectRequest {
    /// A figure, created with the statement.
    Quantity(QuantityObjectRequest),
    /// An entity.
    Entity(EntityRefRequest),
}

/// A statement another one confirms: its index in this report's `statements`, or the uuid of
/// an existing statement.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ConfirmedRequest {
    /// A statement of this report, by index (from 0).
    Index(usize),
    /// An existing statement, by uuid.
    Id(String),
}

/// The source document of a report.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// Where it was published; one report per URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Who published it (an actor).
    pub publisher: EntityRefRequest,
    /// When, `YYYY-MM-DD`.
    pub published: String,
    /// Its language (BCP 47); `en` when absent.
    pub language: Option<String>,
    /// Its text, stored as given.
    pub text: Option<String>,
    /// A description; by default one naming the publisher and the date.
    pub description: Option<String>,
}

/// One statement of a report.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportStatementRequest {
    /// The subject entity.
    pub subject: EntityRefRequest,
    /// An object property of the ontology (IRI or `eg:` local name).
    pub predicate: String,
    /// The object: an entity or `{"quantity": {...}}`.
    pub object: ObjectRequest,
    /// Who said it.
    pub speaker: EntityRefRequest,
    /// When it was said, `YYYY-MM-DD`; or give the bounds.
    pub date: Option<String>,
    /// The earliest day it can have been said.
    pub date_not_before: Option<String>,
    /// The latest day it can have been said.
    pub date_not_after: Option<String>,
    /// The verbatim evidence quote.
    pub quote: String,
    /// Stated as fact (the default) or as possible.
    #[serde(default)]
    pub modality: ModalityRequest,
    /// Attributed to the speaker in the text (the default) or the publisher's own narration.
    #[serde(default)]
    pub attribution: AttributionRequest,
    /// Qualifiers: property (IRI or `eg:` local name) → an entity for an object property
    /// (`intermediary`, `reportedTo`), a text for a datatype property (`referredToAs`).
    #[serde(default)]
    pub qualifiers: BTreeMap<String, EntityRefRequest>,
    /// The statements this one confirms.
    #[serde(default)]
    pub confirms: Vec<ConfirmedRequest>,
    /// A note on how the statement was read (`eg:note`).
    pub note: Option<String>,
}

/// `POST /api/v1/reports`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "source": {
        "url": "https://example.org/sputnik-africa/2023-10-31/us-hamas-qatar",
        "title": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
        "publisher": "Sputnik Africa",
        "published": "2023-10-31"
    },
    "statements": [
        {
            "subject": "United States",
            "predicate": "contactsVia",
            "object": "Hamas",
            "speaker": "Diplomatic source in Doha",
            "date": "2023-10-31",
            "quote": "The US is in contact with Hamas. It does it through Qatar",
            "qualifiers": {"intermediary": "Qatar", "reportedTo": "Sputnik"}
        },
        {
            "subject": "United States",
            "predicate": "contactsVia",
            "object": "Hamas",
            "speaker": "Russian Foreign Ministry",
            "date_not_before": "2023-10-31",
            "date_not_after": "2023-10-31",
            "quote": "This is true",
            "confirms": [0]
        }
    ]
}))]
pub struct ReportRequest {
    /// The article.
    pub source: SourceRequest,
    /// What it reports, each statement with its provenance.
    pub statements: Vec<ReportStatementRequest>,
}

/// A resource a report wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WrittenView {
    /// The uuid.
    pub id: String,
    /// The IRI.
    pub iri: String,
}

/// A figure a report wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WrittenQuantityView {
    /// The index of its statement in the request.
    pub statement: usize,
    /// The uuid.
    pub id: String,
    /// The IRI.
    pub iri: String,
}

/// A new entity a report created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedEntityView {
    /// The uuid.
    pub id: String,
    /// The IRI.
    pub iri: String,
    /// Its label.
    pub label: String,
}

/// The answer to `POST /api/v1/reports`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    /// The source document; its IRI also names the graph that holds the report.
    pub document: WrittenView,
    /// The statements, in the order of the request.
    pub statements: Vec<WrittenView>,
    /// The entities the report created.
    pub created: Vec<CreatedEntityView>,
    /// The figures.
    pub quantities: Vec<WrittenQuantityView>,
    /// How many quads were written.
    pub quads: usize,
}

fn id_of(iri: &str) -> String {
    EntityId::from_iri(iri)
        .map(|id| id.to_string())
        .unwrap_or_default()
}

fn written(iri: &oxigraph::model::NamedNode) -> WrittenView {
    WrittenView {
        id: id_of(iri.as_str()),
        iri: iri.as_str().to_owned(),
    }
}

impl From<&ReportWritten> for ReportView {
    fn from(w: &ReportWritten) -> Self {
        Self {
            document: written(&w.document),
            statements: w.statements.iter().map(written).collect(),
            created: w
                .created
                .iter()
                .map(|(iri, label)| CreatedEntityView {
                    id: id_of(iri.as_str()),
                    iri: iri.as_str().to_owned(),
                    label: label.clone(),
                })
                .collect(),
            quantities: w
                .quantities
                .iter()
                .map(|(k, iri)| WrittenQuantityView {
                    statement: *k,
                    id: id_of(iri.as_str()),
                    iri: iri.as_str().to_owned(),
                })
                .collect(),
            quads: w.quads,
        }
    }
}

impl From<&EntityRefRequest> for EntityRef {
    fn from(r: &EntityRefRequest) -> Self {
        match r {
            EntityRefRequest::Key(key) => Self::Key(key.clone()),
            EntityRefRequest::Id(IdRequest { id }) => Self::Key(id.clone()),
            EntityRefRequest::Name(NameRequest { name }) => Self::Key(name.clone()),
            EntityRefRequest::New(NewRequest { new }) => Self::New(NewEntity {
                label: new.label.clone(),
                aliases: new.aliases.clone(),
                types: new.types.clone(),
                description: new.description.clone(),
                date: new.date.clone(),
                not_before: new.not_before.clone(),
                not_after: new.not_after.clone(),
            }),
        }
    }
}

/// A figure's number as text: a JSON number as written, a string as given (the edit checks it).
fn number_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl From<&QuantityRequest> for QuantityEdit {
    fn from(q: &QuantityRequest) -> Self {
        Self {
            value: q.value.as_ref().map(number_text),
            probable_value: q.probable_value.as_ref().map(number_text),
            printed_as: q.printed_as.clone(),
            hedge_word: q.hedge_word.clone(),
            hedge: match q.hedge {
                HedgeRequest::Exact => Hedge::Exact,
                HedgeRequest::LowerBound => Hedge::LowerBound,
                HedgeRequest::UpperBound => Hedge::UpperBound,
                HedgeRequest::Approximate => Hedge::Approximate,
            },
            count_of: q.count_of.clone(),
            note: q.note.clone(),
        }
    }
}

impl From<&ReportStatementRequest> for ReportStatement {
    fn from(s: &ReportStatementRequest) -> Self {
        Self {
            subject: (&s.subject).into(),
            predicate: s.predicate.clone(),
            object: match &s.object {
                ObjectRequest::Quantity(q) => ObjectRef::Quantity((&q.quantity).into()),
                ObjectRequest::Entity(e) => ObjectRef::Entity(e.into()),
            },
            speaker: (&s.speaker).into(),
            date: s.date.clone(),
            date_not_before: s.date_not_before.clone(),
            date_not_after: s.date_not_after.clone(),
            quote: s.quote.clone(),
            modality: match s.modality {
                ModalityRequest::Asserted => Modality::Asserted,
                ModalityRequest::Possible => Modality::Possible,
                ModalityRequest::Denied => Modality::Denied,
            },
            attribution: match s.attribution {
                AttributionRequest::AttributedInText => Attribution::AttributedInText,
                AttributionRequest::PublisherNarration => Attribution::PublisherNarration,
            },
            qualifiers: s
                .qualifiers
                .iter()
                .map(|(name, value)| (name.clone(), value.into()))
                .collect(),
            confirms: s
                .confirms
                .iter()
                .map(|c| match c {
                    ConfirmedRequest::Index(i) => Confirmed::InReport(*i),
                    ConfirmedRequest::Id(id) => Confirmed::Existing(id.clone()),
                })
                .collect(),
            note: s.note.clone(),
        }
    }
}

impl From<&ReportRequest> for ReportEdit {
    fn from(r: &ReportRequest) -> Self {
        Self {
            source: SourceEdit {
                url: r.source.url.clone(),
                title: r.source.title.clone(),
                publisher: Some((&r.source.publisher).into()),
                published: r.source.published.clone(),
                language: r.source.language.clone(),
                text: r.source.text.clone(),
                description: r.source.description.clone(),
            },
            statements: r.statements.iter().map(ReportStatement::from).collect(),
        }
    }
}

/// Reads a report body, naming the field path where it stops making sense.
///
/// # Errors
/// [`ApiError::InvalidParameter`] with the path (`statements[2].modality`) or `body`.
pub fn parse(bytes: &[u8]) -> Result<ReportRequest, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        ApiError::InvalidParameter {
            field: if path == "." || path.is_empty() {
                "body".to_owned()
            } else {
                path
            },
            message: error.into_inner().to_string(),
        }
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    request_body(content = ReportRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Written whole: the source document in a graph of its own, every statement with its direct triple, the new entities and figures; Location names the document", body = ReportView),
        (status = 400, description = "A field is invalid, names no entity, names several (with the candidates) or breaks a shape; `field` is its path, e.g. statements[3].speaker; nothing was written", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
        (status = 409, description = "A report of this source URL was written before; nothing was written", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// POST `/api/v1/reports`: one article and its statements, checked as a whole against the
/// shapes and written in one transaction, or not at all.
pub async fn create(
    _: WriteAccess,
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::UnsupportedMediaType {
            content_type,
            accepted: vec!["application/json"],
        });
    }
    let shared = state.clone();
    let written = blocking(move || {
        crate::limits::check(
            crate::limits::Syntax::Json,
            "body",
            &body,
            &shared.limits.input,
        )?;
        let edit = ReportEdit::from(&parse(&body)?);
        Ok(edits::report::create(
            &shared.models,
            &shared.shapes,
            &edit,
        )?)
    })
    .await?;
    let view = ReportView::from(&written.value);
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/entities/{}", view.document.id),
        ))
        .insert_header(generation(written.generation))
        .json(view))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_does_not_parse_names_its_field_path() {
        let body =
            br#"{"source": {"url": "u", "title": "t", "publisher": "p", "published": "2024-01-01"},
            "statements": [{"subject": "a", "predicate": "p", "object": "b", "speaker": "s",
            "date": "2024-01-01", "quote": "q", "modality": "certain"}]}"#;
        let Err(ApiError::InvalidParameter { field, .. }) = parse(body) else {
            panic!("a bad modality is refused");
        };
        assert_eq!(field, "statements[0].modality");
    }

    #[test]
    fn entity_references_quantities_and_confirmations_read_in_every_form() {
        let body = br#"{"source": {"url": "u", "title": "t", "publisher": {"new": {"label": "P", "types": ["NewsOutlet"]}}, "published": "2024-01-01"},
            "statements": [
              {"subject": {"id": "8939f5b6-fdf7-5543-b06c-bc11c02832d1"}, "predicate": "deathToll",
               "object": {"quantity": {"value": 1400, "printed_as": "more than 1,400", "hedge": "lower_bound", "count_of": "people"}},
               "speaker": {"name": "Hamas"}, "date": "2024-01-01", "quote": "q", "confirms": [1, "5d060ce2-0eca-50f3-8ac8-f753fefa0197"]}
            ]}"#;
        let edit = ReportEdit::from(&parse(body).unwrap());
        assert!(matches!(edit.source.publisher, Some(EntityRef::New(_))));
        let statement = &edit.statements[0];
        let ObjectRef::Quantity(quantity) = &statement.object else {
            panic!("the object is a figure");
        };
        assert_eq!(quantity.value.as_deref(), Some("1400"));
        assert_eq!(quantity.hedge, Hedge::LowerBound);
        assert!(matches!(&statement.speaker, EntityRef::Key(k) if k == "Hamas"));
        assert_eq!(
            statement.confirms,
            vec![
                Confirmed::InReport(1),
                Confirmed::Existing("5d060ce2-0eca-50f3-8ac8-f753fefa0197".into())
            ]
        );
    }
}
