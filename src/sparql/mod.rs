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
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};

pub use self::format::{QueryForm, ResultFormat};
use self::remote::{RemoteAccess, RemoteError};
use crate::config::InputLimits;
use crate::limits::LimitError;
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
    /// The text breaks one of the server's input limits (length, nesting, literal size,
    /// triple patterns).
    #[error(transparent)]
    Limit(#[from] LimitError),
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

    /// Parses query text sent by a client, within `limits`: its length, nesting and literals
    /// are checked before parsing, and its triple patterns and operator depth after.
    ///
    /// Call it on a thread with a stack of [`PARSE_STACK_BYTES`] unless the text is at most
    /// [`SMALL_TEXT_BYTES`] long: a chain of operators (`UNION`, `OPTIONAL`, `+`) as long as
    /// the text allows nests as deep, and parsing, checking and dropping it recurse.
    ///
    /// # Errors
    /// [`SparqlError::Limit`] for a limit broken, [`SparqlError::Syntax`] as [`Self::parse`].
    pub fn parse_limited(
        text: &str,
        base_iri: Option<&str>,
        limits: &InputLimits,
    ) -> Result<Self, SparqlError> {
        crate::limits::check_sparql("query", text, limits)?;
        let parsed = Self::parse(text, base_iri)?;
        let pattern = match &parsed.query {
            spargebra::Query::Select { pattern, .. }
            | spargebra::Query::Ask { pattern, .. }
            | spargebra::Query::Construct { pattern, .. }
            | spargebra::Query::Describe { pattern, .. } => pattern,
        };
        let mut shape = Shape::default();
        shape.walk(pattern, 1);
        shape.check("query", limits)?;
        Ok(parsed)
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
            // A SERVICE in an update's WHERE, refused or failed by `remote`.
            crate::store::write::WriteError::Update(E::Service(cause)) => {
                match cause.downcast::<RemoteError>() {
                    Ok(remote) => (*remote).into(),
                    Err(other) => Self::RemoteFailed(other.to_string()),
                }
            }
            // Oxigraph wraps the evaluator's cancellation of a WHERE as "unexpected".
            crate::store::write::WriteError::Update(E::Unexpected(cause)) => {
                match cause.downcast::<QueryEvaluationError>() {
                    Ok(evaluation) => Self::Evaluation(*evaluation),
                    Err(other) => Self::Write(crate::store::write::WriteError::Update(
                        E::Unexpected(other),
                    )),
                }
            }
            other => Self::Write(other),
        }
    }
}

/// Text up to this length may be parsed on any thread: its operators cannot nest deeper than
/// a default 2 MiB stack holds.
pub const SMALL_TEXT_BYTES: usize = 4 * 1024;

/// The stack of the threads that parse and evaluate longer queries and updates: enough for
/// the deepest algebra [`InputLimits::max_query_bytes`] (256 KiB) allows, about 128,000
/// levels of `1+1+…`. Reserved, not committed: a thread touches only what it recurses into.
pub const PARSE_STACK_BYTES: usize = 512 * 1024 * 1024;

/// How many operators may nest in the algebra per level of bracket nesting allowed: chains
/// of `UNION` or `OPTIONAL` nest without brackets.
const OPERATOR_DEPTH_PER_LEVEL: usize = 5;

/// The size of a query's or update's algebra: its deepest operator and its triple patterns.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// The deepest operator, 1 for the root.
    depth: usize,
    /// Triple patterns and property-path patterns.
    patterns: usize,
}

impl Shape {
    /// Adds `pattern`, found at `depth`. Recursive: run it where the text's length bounds
    /// the depth (see [`ParsedQuery::parse_limited`]).
    pub(crate) fn walk(&mut self, pattern: &GraphPattern, depth: usize) {
        use GraphPattern as P;
        self.depth = self.depth.max(depth);
        match pattern {
            P::Bgp { patterns } => self.patterns += patterns.len(),
            P::Path { path, .. } => {
                self.patterns += 1;
                self.path(path, depth + 1);
            }
            P::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.walk(left, depth + 1);
                self.walk(right, depth + 1);
                if let Some(expression) = expression {
                    self.expression(expression, depth + 1);
                }
            }
            P::Join { left, right }
            | P::Lateral { left, right }
            | P::Union { left, right }
            | P::Minus { left, right } => {
                self.walk(left, depth + 1);
                self.walk(right, depth + 1);
            }
            P::Filter { expr, inner } => {
                self.expression(expr, depth + 1);
                self.walk(inner, depth + 1);
            }
            P::Extend {
                inner, expression, ..
            } => {
                self.expression(expression, depth + 1);
                self.walk(inner, depth + 1);
            }
            P::OrderBy { inner, expression } => {
                for order in expression {
                    let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                    self.expression(e, depth + 1);
                }
                self.walk(inner, depth + 1);
            }
            P::Group {
                inner, aggregates, ..
            } => {
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        self.expression(expr, depth + 1);
                    }
                }
                self.walk(inner, depth + 1);
            }
            P::Graph { inner, .. }
            | P::Project { inner, .. }
            | P::Distinct { inner }
            | P::Reduced { inner }
            | P::Slice { inner, .. }
            | P::Service { inner, .. } => self.walk(inner, depth + 1),
            P::Values { .. } => {}
        }
    }

    /// Adds an expression found at `depth`: chains of `+`, `||`, ... nest as deep as they
    /// are long, and Oxigraph's optimizer, which no cancellation reaches, walks them.
    fn expression(&mut self, expression: &Expression, depth: usize) {
        use Expression as E;
        self.depth = self.depth.max(depth);
        match expression {
            E::NamedNode(_) | E::Literal(_) | E::Variable(_) | E::Bound(_) => {}
            E::Or(a, b)
            | E::And(a, b)
            | E::Equal(a, b)
            | E::SameTerm(a, b)
            | E::Greater(a, b)
            | E::GreaterOrEqual(a, b)
            | E::Less(a, b)
            | E::LessOrEqual(a, b)
            | E::Add(a, b)
            | E::Subtract(a, b)
            | E::Multiply(a, b)
            | E::Divide(a, b) => {
                self.expression(a, depth + 1);
                self.expression(b, depth + 1);
            }
            E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => self.expression(a, depth + 1),
            E::In(a, list) => {
                self.expression(a, depth + 1);
                for e in list {
                    self.expression(e, depth + 1);
                }
            }
            E::If(a, b, c) => {
                self.expression(a, depth + 1);
                self.expression(b, depth + 1);
                self.expression(c, depth + 1);
            }
            E::Coalesce(list) | E::FunctionCall(_, list) => {
                for e in list {
                    self.expression(e, depth + 1);
                }
            }
            E::Exists(pattern) => self.walk(pattern, depth + 1),
        }
    }

    /// Adds a property path found at `depth`: `a/b/c/…` nests as deep as it is long.
    fn path(&mut self, path: &PropertyPathExpression, depth: usize) {
        use PropertyPathExpression as P;
        self.depth = self.depth.max(depth);
        match path {
            P::NamedNode(_) | P::NegatedPropertySet(_) => {}
            P::Reverse(a) | P::ZeroOrMore(a) | P::OneOrMore(a) | P::ZeroOrOne(a) => {
                self.path(a, depth + 1);
            }
            P::Sequence(a, b) | P::Alternative(a, b) => {
                self.path(a, depth + 1);
                self.path(b, depth + 1);
            }
        }
    }

    /// Checks the shape against `limits`.
    pub(crate) fn check(&self, what: &'static str, limits: &InputLimits) -> Result<(), LimitError> {
        if self.patterns > limits.max_triple_patterns {
            return Err(LimitError::TooManyTriplePatterns {
                what,
                count: self.patterns,
                limit: limits.max_triple_patterns,
            });
        }
        let limit = limits.max_nesting_depth * OPERATOR_DEPTH_PER_LEVEL;
        if self.depth > limit {
            return Err(LimitError::TooDeepAlgebra {
                what,
                depth: self.depth,
                limit,
            });
        }
        Ok(())
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
    fn parse_limited_refuses_long_operator_chains_and_many_patterns() {
        let limits = InputLimits {
            max_nesting_depth: 10,
            max_triple_patterns: 3,
            ..InputLimits::default()
        };
        let unions = format!("SELECT * WHERE {{ {} }}", vec!["{}"; 60].join(" UNION "));
        assert!(matches!(
            ParsedQuery::parse_limited(&unions, None, &limits),
            Err(SparqlError::Limit(LimitError::TooDeepAlgebra {
                limit: 50,
                ..
            }))
        ));
        let few = format!("SELECT * WHERE {{ {} }}", vec!["{}"; 40].join(" UNION "));
        assert!(ParsedQuery::parse_limited(&few, None, &limits).is_ok());
        assert!(matches!(
            ParsedQuery::parse_limited(
                "ASK { ?a ?b ?c . ?d ?e ?f OPTIONAL { ?g ?h ?i . ?j <http://p>+ ?k } }",
                None,
                &limits
            ),
            Err(SparqlError::Limit(LimitError::TooManyTriplePatterns {
                count: 4,
                ..
            }))
        ));
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
