//! SPARQL 1.1 query evaluation over the store, without any HTTP type.
//!
//! A request comes in as query text plus a dataset description
//! ([`DatasetRequest`]); it leaves as [`QueryResults`] that [`results::write`]
//! serializes in a [`ResultFormat`]. Parsing and evaluation are Oxigraph's
//! (spargebra, spareval); this module adds eventgraph's defaults (the union of
//! all graphs as the default graph, since every source lives in its own named
//! graph) and errors that keep the query position as data. Content
//! negotiation, time limits and the protocol's status codes are the HTTP
//! edge's business.

pub mod format;
pub mod remote;
pub mod results;
pub mod service_description;
pub mod update;

use std::io;

use oxigraph::model::NamedNode;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use spargebra::SparqlParser;

pub use self::format::{QueryForm, ResultFormat};
use self::remote::{RemoteAccess, RemoteError};
use crate::store::Store;

/// Errors of parsing, evaluating and writing a query.
#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    /// The query text is not SPARQL 1.1.
    #[error("malformed query{}: {message}", position.map(|p| format!(" at line {}, column {}", p.line, p.column)).unwrap_or_default())]
    Syntax {
        /// What the parser expected.
        message: String,
        /// Where the parser stopped, when it says so.
        position: Option<QueryPosition>,
    },
    /// A graph named in the request is not an absolute IRI.
    #[error("invalid graph IRI <{iri}> in {field}: {message}")]
    InvalidGraphIri {
        /// The request field (`default-graph-uri`, `named-graph-uri`).
        field: &'static str,
        /// The value given.
        iri: String,
        /// Why it is not an IRI.
        message: String,
    },
    /// Evaluation failed.
    #[error("query evaluation failed: {0}")]
    Evaluation(QueryEvaluationError),
    /// The query ran longer than its time limit and was stopped.
    #[error(
        "the query was stopped after its time limit of {seconds} s; narrow it, or ask for more time with timeout=SECONDS (up to the server's maximum)"
    )]
    Timeout {
        /// The limit, in seconds.
        seconds: f64,
    },
    /// The result has more rows than the server returns.
    #[error(
        "the result has more than {limit} rows (or triples), the most this server returns; add a LIMIT"
    )]
    TooManyResults {
        /// The server's row limit.
        limit: u64,
    },
    /// The request's `using-graph-uri` / `using-named-graph-uri` conflict with the update's
    /// own `USING`, `USING NAMED` or `WITH`.
    #[error(
        "using-graph-uri and using-named-graph-uri cannot be given for an update that has its own USING, USING NAMED or WITH (SPARQL 1.1 Protocol, 2.2.3)"
    )]
    DatasetConflict,
    /// The query calls a SPARQL service on a host the operator did not allow.
    #[error(
        "SERVICE <{service}> is not allowed: this server sends queries only to the hosts its operator allows (--allow-remote-host)"
    )]
    FederationRefused {
        /// The service named in the query.
        service: String,
    },
    /// An update asks the server to fetch a document from a host the operator did not allow.
    #[error(
        "LOAD <{url}> is not allowed: this server fetches documents only from the hosts its operator allows (--allow-remote-host); otherwise send the data itself (Graph Store PUT/POST to /store, or `eventgraph load`)"
    )]
    RemoteLoadRefused {
        /// The URL to load.
        url: String,
    },
    /// The query uses something the evaluator does not support (a SERVICE whose IRI is only
    /// bound later in the query, say).
    #[error("unsupported query: {0}")]
    Unsupported(String),
    /// An allowed remote server failed or answered something unreadable.
    #[error("a remote server failed: {0}")]
    RemoteFailed(String),
    /// An update operation failed; nothing was written.
    #[error("update failed: {0}")]
    Update(String),
    /// The store failed while applying an update.
    #[error(transparent)]
    Write(crate::store::write::WriteError),
    /// Writing the results failed.
    #[error("cannot write the query results: {0}")]
    Output(#[from] io::Error),
}

/// A 1-based position in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct QueryPosition {
    /// Line, starting at 1.
    pub line: u64,
    /// Column, starting at 1.
    pub column: u64,
}

/// The dataset a request asks for (SPARQL 1.1 Protocol, section 2.1.4).
#[derive(Debug, Clone, Default)]
pub struct DatasetRequest {
    /// `default-graph-uri` values: the graphs merged into the default graph.
    pub default_graph_uris: Vec<String>,
    /// `named-graph-uri` values: the graphs available to `GRAPH`.
    pub named_graph_uris: Vec<String>,
    /// Whether the default graph is the union of all graphs when neither the request nor the
    /// query (`FROM`, `FROM NAMED`) names a dataset.
    pub union_default_graph: bool,
}

/// A parsed query, ready to evaluate.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    /// The algebra, from spargebra.
    query: spargebra::Query,
}

impl ParsedQuery {
    /// Parses SPARQL 1.1 query text; relative IRIs resolve against `base_iri` (the endpoint's
    /// URL over HTTP, as SPARQL 1.1 Protocol section 2.3 allows).
    ///
    /// # Errors
    /// [`SparqlError::Syntax`] with the line and column where parsing stopped.
    pub fn parse(text: &str, base_iri: Option<&str>) -> Result<Self, SparqlError> {
        parser(base_iri)?
            .parse_query(text)
            .map(|query| Self { query })
            .map_err(|e| syntax_error(&e.to_string()))
    }

    /// Whether the query returns solutions, a boolean or a graph.
    pub fn form(&self) -> QueryForm {
        match self.query {
            spargebra::Query::Select { .. } => QueryForm::Solutions,
            spargebra::Query::Ask { .. } => QueryForm::Boolean,
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => {
                QueryForm::Graph
            }
        }
    }

    /// Evaluates the query on `store` with the dataset `dataset` asks for.
    ///
    /// The results are lazy: solutions are computed while they are read, and reading them
    /// fails with `QueryEvaluationError::Cancelled` once `cancellation` is cancelled.
    ///
    /// # Errors
    /// [`SparqlError::InvalidGraphIri`] for a malformed graph name, [`SparqlError::Evaluation`]
    /// when evaluation fails to start.
    pub fn evaluate(
        self,
        store: &Store,
        dataset: &DatasetRequest,
        cancellation: CancellationToken,
        remote: &RemoteAccess,
    ) -> Result<QueryResults<'static>, SparqlError> {
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(cancellation)
            .with_default_service_handler(remote.clone())
            .for_query(self.query);
        let default_graphs = graph_iris("default-graph-uri", &dataset.default_graph_uris)?;
        let named_graphs = graph_iris("named-graph-uri", &dataset.named_graph_uris)?;
        let spec = prepared.dataset_mut();
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            // The protocol's dataset overrides FROM and FROM NAMED (SPARQL 1.1 Protocol, 2.1.4).
            spec.set_default_graph(default_graphs.into_iter().map(Into::into).collect());
            spec.set_available_named_graphs(named_graphs.into_iter().map(Into::into).collect());
        } else if dataset.union_default_graph && spec.is_default_dataset() {
            spec.set_default_graph_as_union();
        }
        Ok(prepared.on_store(store.oxigraph()).execute()?)
    }
}

impl From<QueryEvaluationError> for SparqlError {
    fn from(error: QueryEvaluationError) -> Self {
        match error {
            QueryEvaluationError::UnsupportedService(service) => Self::FederationRefused {
                service: service.as_str().to_owned(),
            },
            error @ (QueryEvaluationError::UnboundService
            | QueryEvaluationError::InvalidServiceName(_)) => Self::Unsupported(error.to_string()),
            QueryEvaluationError::Service(cause) => match cause.downcast::<RemoteError>() {
                Ok(remote) => (*remote).into(),
                Err(other) => Self::Evaluation(QueryEvaluationError::Service(other)),
            },
            other => Self::Evaluation(other),
        }
    }
}

impl From<RemoteError> for SparqlError {
    fn from(error: RemoteError) -> Self {
        match error {
            RemoteError::HostNotAllowed { url } => Self::FederationRefused { service: url },
            failed @ RemoteError::Failed { .. } => Self::RemoteFailed(failed.to_string()),
        }
    }
}

impl From<crate::store::write::WriteError> for SparqlError {
    fn from(error: crate::store::write::WriteError) -> Self {
        use oxigraph::sparql::UpdateEvaluationError as E;
        match error {
            crate::store::write::WriteError::Update(
                error @ (E::GraphAlreadyExists(_)
                | E::GraphDoesNotExist(_)
                | E::UnboundService
                | E::InvalidServiceName(_)),
            ) => Self::Update(error.to_string()),
            crate::store::write::WriteError::Update(E::UnsupportedService(service)) => {
                Self::FederationRefused {
                    service: service.as_str().to_owned(),
                }
            }
            other => Self::Write(other),
        }
    }
}

/// A SPARQL parser resolving relative IRIs against `base_iri`.
pub(crate) fn parser(base_iri: Option<&str>) -> Result<SparqlParser, SparqlError> {
    match base_iri {
        None => Ok(SparqlParser::new()),
        Some(base) => SparqlParser::new()
            .with_base_iri(base)
            .map_err(|e| SparqlError::Syntax {
                message: format!("invalid base IRI <{base}>: {e}"),
                position: None,
            }),
    }
}

/// Parses the graph IRIs of one request field.
pub(crate) fn graph_iris(
    field: &'static str,
    iris: &[String],
) -> Result<Vec<NamedNode>, SparqlError> {
    iris.iter()
        .map(|iri| {
            NamedNode::new(iri).map_err(|e| SparqlError::InvalidGraphIri {
                field,
                iri: iri.clone(),
                message: e.to_string(),
            })
        })
        .collect()
}

/// Builds a syntax error from spargebra's message, which reads
/// `error at LINE:COLUMN: expected ...`: spargebra keeps the position only in its
/// message, so it is read back from there.
pub(crate) fn syntax_error(message: &str) -> SparqlError {
    let position = message
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(at, rest)| {
            let (line, column) = at.split_once(':')?;
            Some((
                QueryPosition {
                    line: line.parse().ok()?,
                    column: column.parse().ok()?,
                },
                rest,
            ))
        });
    match position {
        Some((position, rest)) => SparqlError::Syntax {
            message: rest.to_owned(),
            position: Some(position),
        },
        None => SparqlError::Syntax {
            message: message.to_owned(),
            position: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreLocation;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let Err(SparqlError::Syntax { message, position }) =
            ParsedQuery::parse("SELECT * WHERE {\n  ?s ?p \n}", None)
        else {
            panic!("the query is malformed");
        };
        assert_eq!(position, Some(QueryPosition { line: 3, column: 2 }));
        assert!(message.starts_with("expected"), "{message}");
    }

    #[test]
    fn union_default_graph_sees_the_named_graphs_and_can_be_turned_off() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        store.seed_if_empty().unwrap();
        let count = |union_default_graph| {
            let query = ParsedQuery::parse("ASK { ?s ?p ?o }", None).unwrap();
            let dataset = DatasetRequest {
                union_default_graph,
                ..DatasetRequest::default()
            };
            match query
                .evaluate(
                    &store,
                    &dataset,
                    CancellationToken::new(),
                    &RemoteAccess::none(),
                )
                .unwrap()
            {
                QueryResults::Boolean(b) => b,
                _ => panic!("ASK returns a boolean"),
            }
        };
        assert!(count(true), "the union default graph holds the seed");
        assert!(!count(false), "the seed is only in named graphs");
    }

    #[test]
    fn invalid_graph_iris_name_their_field() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        let query = ParsedQuery::parse("ASK { ?s ?p ?o }", None).unwrap();
        let dataset = DatasetRequest {
            named_graph_uris: vec!["not an iri".into()],
            ..DatasetRequest::default()
        };
        assert!(matches!(
            query.evaluate(
                &store,
                &dataset,
                CancellationToken::new(),
                &RemoteAccess::none()
            ),
            Err(SparqlError::InvalidGraphIri {
                field: "named-graph-uri",
                ..
            })
        ));
    }
}
