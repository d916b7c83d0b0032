//! Every error the HTTP edge returns, as RFC 9457 `application/problem+json`.
//!
//! [`ApiError`] is the one type handlers fail with. Its `ResponseError`
//! implementation is the single table that maps each library error variant to
//! a status and a stable `type` URI, so library modules never name HTTP
//! statuses. Positions travel as members (`line`, `column`, `field`) next to a
//! human `detail`. A 500 logs the whole cause chain and answers with an
//! opaque detail, so internals never leak to clients.

use std::error::Error as _;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::import::ImportError;
use crate::limits::LimitError;
use crate::sparql::SparqlError;
use crate::store::load::LoadError;
use crate::store::write::WriteError;

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the problem `type` URIs live; each is documented in the README.
const TYPE_BASE: &str = "https://w3id.org/eventgraph/problems/";

/// An RFC 9457 problem document, with eventgraph's extension members.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    /// A URI naming the kind of problem; stable across versions.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem.
    #[schema(value_type = String)]
    pub title: &'static str,
    /// The HTTP status, repeated for clients that lose it.
    pub status: u16,
    /// What went wrong in this request, and where.
    pub detail: String,
    /// The request field at fault (a parameter or header name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The 1-based line of the error in the submitted text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The 1-based column of the error in the submitted text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// What the client may send instead (media types, methods).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    /// Each SHACL violation a write would introduce (`shape-violation` only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<ViolationView>,
    /// The id of the request (its `X-Request-Id`), to find it in the server's log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The entities an ambiguous name in a field could mean (`ambiguous-reference` only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<crate::api::rest::views::EntitySummaryView>,
}

/// The answers of a write refused for its token, as the OpenAPI document of every write lists
/// them (`responses(..., WriteRefusal)`).
#[derive(utoipa::IntoResponses)]
pub enum WriteRefusal {
    /// No or a wrong bearer token
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(ProblemView),
    /// The server accepts no writes
    #[response(status = 403, content_type = "application/problem+json")]
    WritesDisabled(ProblemView),
}

/// One SHACL violation, in a `shape-violation` problem.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ViolationView {
    /// The request field at fault.
    pub field: String,
    /// The IRI of the resource that would be out of shape.
    pub focus: String,
    /// The IRI of the property at fault, when the constraint is on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The SHACL constraint component, e.g. `MinCountConstraintComponent`.
    pub constraint: String,
    /// The offending value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the shapes want, in words.
    pub message: String,
}

/// Errors of the HTTP edge.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Parsing, evaluating or writing a SPARQL query failed.
    #[error(transparent)]
    Sparql(#[from] SparqlError),
    /// Every permit of expensive work is taken and the line for them is full (see
    /// [`crate::api::admission`]).
    #[error(
        "the server is busy: {running} expensive requests (SPARQL queries, exports, traversals) are running and {waiting} more are waiting, its limits (--max-expensive-requests, --max-waiting-requests); retry after the time in Retry-After"
    )]
    Busy {
        /// How many run at once.
        running: usize,
        /// How many may wait.
        waiting: usize,
    },
    /// `/readyz`: the server does not serve now (it is shutting down, or a part of it does
    /// not answer).
    #[error("not ready: {reason}")]
    NotReady {
        /// Why, for the operator.
        reason: &'static str,
    },
    /// A request body breaks one of the server's input limits (nesting, literal size, UTF-8,
    /// XML entities).
    #[error(transparent)]
    Input(#[from] LimitError),
    /// A required parameter is missing.
    #[error("missing parameter '{field}': {hint}")]
    MissingParameter {
        /// The parameter.
        field: &'static str,
        /// How to give it.
        hint: &'static str,
    },
    /// A parameter has a value that cannot be used.
    #[error("invalid value for '{field}': {message}")]
    InvalidParameter {
        /// The parameter.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// No format the client accepts can carry the result.
    #[error("none of the media types in Accept ({accept}) can carry this result")]
    NotAcceptable {
        /// The Accept header as sent.
        accept: String,
        /// The media types that can.
        available: Vec<&'static str>,
    },
    /// The request body has a media type this endpoint does not read.
    #[error("request bodies of type '{content_type}' are not accepted here")]
    UnsupportedMediaType {
        /// The Content-Type as sent.
        content_type: String,
        /// The media types that are.
        accepted: Vec<&'static str>,
    },
    /// The method is not allowed on this resource.
    #[error("{method} is not allowed on {path}")]
    MethodNotAllowed {
        /// The method used.
        method: String,
        /// The resource.
        path: String,
        /// The methods that are.
        allowed: Vec<&'static str>,
    },
    /// Nothing is served at this path.
    #[error("nothing is served at {path}")]
    NotFound {
        /// The path requested.
        path: String,
    },
    /// The request could not be read (a malformed query string, an unreadable body, ...).
    #[error("{message}")]
    BadRequest {
        /// What actix-web reported.
        message: String,
    },
    /// The server has no write token, so it accepts no write.
    #[error(
        "writes are disabled on this server; its operator enables them by setting EVENTGRAPH_WRITE_TOKEN (or --write-token-file) and restarting it"
    )]
    WritesDisabled,
    /// The server runs with `--read-only`.
    #[error("this server runs in read-only mode (--read-only): it accepts no write")]
    ReadOnly,
    /// The write carries no token or the wrong one.
    #[error("{reason}")]
    Unauthorized {
        /// What is wrong with the credentials.
        reason: &'static str,
    },
    /// The Graph Store request names a graph that does not exist.
    #[error("the graph {graph} does not exist")]
    GraphNotFound {
        /// The graph, as `<iri>` or `default graph`.
        graph: String,
    },
    /// No entity has this id or name.
    #[error("no entity has the id or name '{key}'")]
    UnknownEntity {
        /// The id or name asked for.
        key: String,
    },
    /// Several entities share this name: answered `300 Multiple Choices` with the candidates
    /// (not as a problem: the body lists where to go next).
    #[error("'{key}' names {} entities; ask again with one of their ids", candidates.len())]
    Ambiguous {
        /// The name given.
        key: String,
        /// The entities with that name.
        candidates: Vec<crate::api::rest::views::EntitySummaryView>,
    },
    /// The first rankings are still being computed.
    #[error(transparent)]
    RankingPending(#[from] crate::read_models::RankingError),
    /// No entity has this id or name, given in a query parameter.
    #[error("no entity has the id or name '{key}' (in {field})")]
    UnknownEntityIn {
        /// The parameter naming it.
        field: &'static str,
        /// The id or name asked for.
        key: String,
    },
    /// No predicate or class of the graph has this name.
    #[error("the graph has no {field} named '{name}'")]
    UnknownName {
        /// The parameter naming it.
        field: &'static str,
        /// The name given.
        name: String,
    },
    /// No statement has this id.
    #[error("no statement has the id '{key}'")]
    UnknownStatement {
        /// The id asked for.
        key: String,
    },
    /// A Graph Store write failed.
    #[error(transparent)]
    Write(#[from] crate::store::write::WriteError),
    /// A REST write would leave data that does not conform to the SHACL shapes.
    #[error("the write does not conform to the shapes: {}", describe_violations(.violations))]
    ShapeViolation {
        /// Each violation, with the request field it comes from.
        violations: Vec<ViolationView>,
    },
    /// Checking a write against the shapes failed on our side.
    #[error(transparent)]
    Shapes(crate::shapes::ShapesError),
    /// An export failed on our side (the store could not be read).
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// A failure on our side; the cause is logged, not returned.
    #[error("internal error: {0}")]
    Internal(String),
    /// A field of a write names an entity by a name several entities share: refused, with
    /// the candidates, as a problem (a write has no page to go to next).
    #[error("'{key}' in '{field}' names {} entities; give one of their ids", candidates.len())]
    AmbiguousReference {
        /// The field at fault (`statements[3].speaker`).
        field: String,
        /// The name given.
        key: String,
        /// The entities with that name.
        candidates: Vec<crate::api::rest::views::EntitySummaryView>,
    },
    /// A report of this source URL was written before.
    #[error("a report of '{url}' exists already, as the source document <{document}>")]
    ReportExists {
        /// The URL given.
        url: String,
        /// The IRI of the document.
        document: String,
    },
    /// An import failed; nothing of its file was written.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// A request body is larger than the server accepts.
    #[error(
        "the request body is larger than {limit} bytes, this server's limit (--max-body-bytes); import larger files with `eventgraph import`"
    )]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

fn describe_violations(violations: &[ViolationView]) -> String {
    let described: Vec<String> = violations
        .iter()
        .map(|v| match &v.value {
            Some(value) => format!("{} {} (value {value})", v.field, v.message),
            None => format!("{} {}", v.field, v.message),
        })
        .collect();
    described.join("; ")
}

impl ApiError {
    /// The problem document for this error.
    pub fn problem(&self) -> ProblemView {
        let (status, slug, title) = self.kind();
        let mut problem = ProblemView {
            problem_type: format!("{TYPE_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail: if status == StatusCode::INTERNAL_SERVER_ERROR {
                "the server failed to answer this request; the cause is in its log".to_owned()
            } else {
                self.to_string()
            },
            field: None,
            line: None,
            column: None,
            accepted: Vec::new(),
            violations: Vec::new(),
            request_id: crate::api::request_id::current(),
            candidates: Vec::new(),
        };
        match self {
            Self::Sparql(SparqlError::Syntax { position, .. }) => {
                problem.field = Some("query".to_owned());
                problem.line = position.map(|p| p.line);
                problem.column = position.map(|p| p.column);
            }
            Self::Sparql(SparqlError::InvalidGraphIri { field, .. }) => {
                problem.field = Some((*field).to_owned());
            }
            Self::Sparql(SparqlError::Limit(limit)) => {
                problem.field = Some("query".to_owned());
                problem.line = limit.position().map(|p| p.line);
                problem.column = limit.position().map(|p| p.column);
            }
            Self::Input(limit) => {
                problem.field = Some("body".to_owned());
                problem.line = limit.position().map(|p| p.line);
                problem.column = limit.position().map(|p| p.column);
            }
            Self::Write(WriteError::Parse(LoadError::Syntax { position, .. })) => {
                problem.field = Some("body".to_owned());
                problem.line = position.map(|p| p.line);
                problem.column = position.map(|p| p.column);
            }
            Self::UnknownEntity { .. } | Self::UnknownStatement { .. } => {
                problem.field = Some("id".to_owned());
            }
            Self::UnknownName { field, .. } | Self::UnknownEntityIn { field, .. } => {
                problem.field = Some((*field).to_owned());
            }
            Self::Unauthorized { .. } | Self::WritesDisabled => {
                problem.field = Some("Authorization".to_owned());
            }
            Self::MissingParameter { field, .. } => problem.field = Some((*field).to_owned()),
            Self::InvalidParameter { field, .. } => problem.field = Some(field.clone()),
            Self::NotAcceptable { available, .. } => {
                problem.field = Some("Accept".to_owned());
                problem.accepted = available.iter().map(|s| (*s).to_owned()).collect();
            }
            Self::UnsupportedMediaType { accepted, .. } => {
                problem.field = Some("Content-Type".to_owned());
                problem.accepted = accepted.iter().map(|s| (*s).to_owned()).collect();
            }
            Self::MethodNotAllowed { allowed, .. } => {
                problem.accepted = allowed.iter().map(|s| (*s).to_owned()).collect();
            }
            Self::ShapeViolation { violations } => {
                problem.field = violations.first().map(|v| v.field.clone());
                problem.violations.clone_from(violations);
            }
            Self::AmbiguousReference {
                field, candidates, ..
            } => {
                problem.field = Some(field.clone());
                problem.candidates.clone_from(candidates);
            }
            Self::ReportExists { .. } => problem.field = Some("source.url".to_owned()),
            Self::Import(ImportError::InvalidRow { line, field, .. }) => {
                problem.field = Some(field.clone());
                problem.line = Some(*line);
            }
            Self::Import(ImportError::Read { line, .. }) => {
                problem.field = Some("body".to_owned());
                problem.line = *line;
            }
            Self::Import(ImportError::Zip { .. }) | Self::BodyTooLarge { .. } => {
                problem.field = Some("body".to_owned());
            }
            Self::Import(ImportError::UnknownFormat { .. }) => {
                problem.field = Some("format".to_owned());
            }
            _ => {}
        }
        problem
    }

    /// The one table of status, `type` slug and title for every error.
    fn kind(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Sparql(SparqlError::Limit(limit)) | Self::Input(limit) => limit_kind(limit),
            Self::Sparql(SparqlError::Syntax { .. }) => (
                StatusCode::BAD_REQUEST,
                "malformed-query",
                "Malformed SPARQL query",
            ),
            Self::Sparql(SparqlError::InvalidGraphIri { .. }) => (
                StatusCode::BAD_REQUEST,
                "invalid-graph-iri",
                "Invalid graph IRI",
            ),
            Self::Sparql(SparqlError::Evaluation(_)) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "query-evaluation-failed",
                "Query evaluation failed",
            ),
            Self::Sparql(SparqlError::Timeout { .. }) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "query-timeout",
                "Query time limit reached",
            ),
            Self::Sparql(SparqlError::TooManyResults { .. }) => (
                StatusCode::BAD_REQUEST,
                "result-too-large",
                "Result too large",
            ),
            Self::Sparql(SparqlError::FederationRefused { .. }) => (
                StatusCode::BAD_REQUEST,
                "federation-refused",
                "Federated query refused",
            ),
            Self::Sparql(SparqlError::RemoteLoadRefused { .. }) => (
                StatusCode::BAD_REQUEST,
                "remote-load-refused",
                "Remote LOAD refused",
            ),
            Self::Sparql(SparqlError::DatasetConflict) => (
                StatusCode::BAD_REQUEST,
                "dataset-conflict",
                "Conflicting dataset",
            ),
            Self::Sparql(SparqlError::Unsupported(_)) => (
                StatusCode::BAD_REQUEST,
                "unsupported-query",
                "Unsupported query",
            ),
            Self::Sparql(SparqlError::RemoteFailed(_)) => (
                StatusCode::BAD_GATEWAY,
                "remote-failed",
                "Remote server failed",
            ),
            Self::Sparql(SparqlError::Update(_)) => {
                (StatusCode::BAD_REQUEST, "update-failed", "Update failed")
            }
            Self::Write(WriteError::Parse(LoadError::Syntax { .. })) => {
                (StatusCode::BAD_REQUEST, "malformed-rdf", "Malformed RDF")
            }
            Self::Write(WriteError::Parse(LoadError::Read { .. })) => (
                StatusCode::BAD_REQUEST,
                "unreadable-body",
                "Unreadable request body",
            ),
            Self::ShapeViolation { .. } => (
                StatusCode::BAD_REQUEST,
                "shape-violation",
                "Shape violation",
            ),
            Self::Sparql(SparqlError::Write(_) | SparqlError::Output(_))
            | Self::Write(_)
            | Self::Shapes(_)
            | Self::Export(_)
            | Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal server error",
            ),
            Self::WritesDisabled => (StatusCode::FORBIDDEN, "writes-disabled", "Writes disabled"),
            Self::ReadOnly => (StatusCode::FORBIDDEN, "read-only", "Read-only mode"),
            Self::Unauthorized { .. } => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Self::UnknownEntity { .. } | Self::UnknownEntityIn { .. } => {
                (StatusCode::NOT_FOUND, "unknown-entity", "Unknown entity")
            }
            Self::UnknownName { .. } => (StatusCode::NOT_FOUND, "unknown-name", "Unknown name"),
            Self::Ambiguous { .. } => (
                StatusCode::MULTIPLE_CHOICES,
                "ambiguous-name",
                "Ambiguous name",
            ),
            Self::Busy { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "server-busy",
                "Server busy",
            ),
            Self::NotReady { .. } => (StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready"),
            Self::RankingPending(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "rankings-pending",
                "Rankings not computed yet",
            ),
            Self::UnknownStatement { .. } => (
                StatusCode::NOT_FOUND,
                "unknown-statement",
                "Unknown statement",
            ),
            Self::GraphNotFound { .. } => {
                (StatusCode::NOT_FOUND, "graph-not-found", "Graph not found")
            }
            Self::MissingParameter { .. } => (
                StatusCode::BAD_REQUEST,
                "missing-parameter",
                "Missing parameter",
            ),
            Self::InvalidParameter { .. } => (
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "Invalid parameter",
            ),
            Self::NotAcceptable { .. } => (
                StatusCode::NOT_ACCEPTABLE,
                "not-acceptable",
                "Not acceptable",
            ),
            Self::UnsupportedMediaType { .. } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Self::MethodNotAllowed { .. } => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            Self::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::AmbiguousReference { .. } => (
                StatusCode::BAD_REQUEST,
                "ambiguous-reference",
                "Ambiguous reference",
            ),
            Self::ReportExists { .. } => (StatusCode::CONFLICT, "report-exists", "Report exists"),
            Self::Import(ImportError::InvalidRow { .. }) => {
                (StatusCode::BAD_REQUEST, "invalid-row", "Invalid row")
            }
            Self::Import(ImportError::Read { .. }) => (
                StatusCode::BAD_REQUEST,
                "unreadable-body",
                "Unreadable request body",
            ),
            Self::Import(ImportError::Zip { .. }) => (
                StatusCode::BAD_REQUEST,
                "unreadable-zip",
                "Unreadable zip archive",
            ),
            Self::Import(ImportError::UnknownFormat { .. }) => (
                StatusCode::BAD_REQUEST,
                "unknown-import-format",
                "Unknown import format",
            ),
            Self::Import(
                ImportError::Scheme(_)
                | ImportError::Storage(_)
                | ImportError::Write(_)
                | ImportError::Store(_)
                | ImportError::ReadModels(_),
            ) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal server error",
            ),
            Self::BodyTooLarge { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Request body too large",
            ),
        }
    }
}

/// The status, `type` slug and title of each input limit.
fn limit_kind(limit: &LimitError) -> (StatusCode, &'static str, &'static str) {
    match limit {
        LimitError::TooDeep { .. } => (
            StatusCode::BAD_REQUEST,
            "nesting-too-deep",
            "Nesting too deep",
        ),
        LimitError::TooDeepAlgebra { .. } => (
            StatusCode::BAD_REQUEST,
            "operators-too-deep",
            "Operators nested too deep",
        ),
        LimitError::TooLong { .. } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "query-too-long",
            "Query too long",
        ),
        LimitError::LiteralTooLong { .. } => (
            StatusCode::BAD_REQUEST,
            "literal-too-long",
            "Literal too long",
        ),
        LimitError::IriTooLong { .. } => (StatusCode::BAD_REQUEST, "iri-too-long", "IRI too long"),
        LimitError::TooManyTriplePatterns { .. } => (
            StatusCode::BAD_REQUEST,
            "too-many-triple-patterns",
            "Too many triple patterns",
        ),
        LimitError::InvalidUtf8 { .. } => {
            (StatusCode::BAD_REQUEST, "invalid-utf8", "Invalid UTF-8")
        }
        LimitError::XmlDoctype { .. } => (
            StatusCode::BAD_REQUEST,
            "xml-entities-refused",
            "XML entities refused",
        ),
    }
}

impl From<crate::read_models::ResolveError> for ApiError {
    fn from(error: crate::read_models::ResolveError) -> Self {
        use crate::read_models::ResolveError;
        match error {
            ResolveError::Unknown { key } => Self::UnknownEntity { key },
            ResolveError::Ambiguous { key, candidates } => Self::Ambiguous {
                key,
                candidates: candidates
                    .iter()
                    .map(crate::api::rest::views::EntitySummaryView::exact)
                    .collect(),
            },
            ResolveError::Catalog(error) => error.into(),
        }
    }
}

impl From<crate::read_models::ReadModelsError> for ApiError {
    fn from(error: crate::read_models::ReadModelsError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<crate::edits::EditError> for ApiError {
    fn from(error: crate::edits::EditError) -> Self {
        use crate::edits::EditError;
        match error {
            EditError::InvalidField { field, message } => Self::InvalidParameter { field, message },
            EditError::UnknownEntity { key } => Self::UnknownEntity { key },
            EditError::Ambiguous { key, candidates } => Self::Ambiguous {
                key,
                candidates: candidates
                    .iter()
                    .map(crate::api::rest::views::EntitySummaryView::exact)
                    .collect(),
            },
            EditError::UnknownStatement { key } => Self::UnknownStatement { key },
            EditError::ShapeViolation { violations } => Self::ShapeViolation {
                violations: violations
                    .into_iter()
                    .map(|(field, v)| ViolationView {
                        field,
                        focus: v.focus,
                        path: v.path,
                        constraint: v.component,
                        value: v.value,
                        message: v.message,
                    })
                    .collect(),
            },
            EditError::AmbiguousField {
                field,
                key,
                candidates,
            } => Self::AmbiguousReference {
                field,
                key,
                candidates: candidates
                    .iter()
                    .map(crate::api::rest::views::EntitySummaryView::exact)
                    .collect(),
            },
            EditError::ReportExists { url, document } => Self::ReportExists { url, document },
            EditError::Shapes(error) => Self::Shapes(error),
            EditError::Write(error) => Self::Write(error),
            EditError::Catalog(error) => error.into(),
            EditError::ReadModels(error) => error.into(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind().0
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            let mut chain = self.to_string();
            let mut source = self.source();
            while let Some(cause) = source {
                chain.push_str(": ");
                chain.push_str(&cause.to_string());
                source = cause.source();
            }
            tracing::error!(status = status.as_u16(), "{chain}");
        }
        let mut response = HttpResponse::build(status);
        if let Self::Ambiguous { candidates, .. } = self {
            return response.json(crate::api::rest::views::AmbiguousView {
                detail: self.to_string(),
                candidates: candidates.clone(),
            });
        }
        if let Self::RankingPending(_) = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, "2"));
        }
        if let Self::Busy { .. } | Self::NotReady { .. } = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, "1"));
        }
        if let Self::MethodNotAllowed { allowed, .. } = self {
            response.insert_header((actix_web::http::header::ALLOW, allowed.join(", ")));
        }
        if let Self::Unauthorized { .. } = self {
            response.insert_header((
                actix_web::http::header::WWW_AUTHENTICATE,
                "Bearer realm=\"eventgraph\"",
            ));
        }
        response.content_type(PROBLEM_JSON).json(self.problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparql::QueryPosition;

    #[test]
    fn syntax_errors_become_400_with_their_position() {
        let error = ApiError::Sparql(SparqlError::Syntax {
            message: "expected a variable".into(),
            position: Some(QueryPosition { line: 2, column: 7 }),
        });
        let problem = serde_json::to_value(error.problem()).unwrap();
        assert_eq!(
            problem,
            serde_json::json!({
                "type": "https://w3id.org/eventgraph/problems/malformed-query",
                "title": "Malformed SPARQL query",
                "status": 400,
                "detail": "malformed query at line 2, column 7: expected a variable",
                "field": "query",
                "line": 2,
                "column": 7
            })
        );
    }

    #[test]
    fn server_errors_hide_their_cause() {
        let problem = ApiError::Internal("disk on fire".into()).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("disk"));
    }

    #[test]
    fn not_ready_is_a_503_problem_with_its_reason_and_retry_after() {
        let error = ApiError::NotReady {
            reason: "the server is shutting down",
        };
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get("retry-after").unwrap(),
            "1",
            "a load balancer asks again"
        );
        let problem = serde_json::to_value(error.problem()).unwrap();
        assert_eq!(
            problem,
            serde_json::json!({
                "type": "https://w3id.org/eventgraph/problems/not-ready",
                "title": "Not ready",
                "status": 503,
                "detail": "not ready: the server is shutting down"
            })
        );
    }
}
