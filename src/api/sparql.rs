//! `/sparql`: the SPARQL 1.1 Protocol — query, update and service description.
//!
//! Queries arrive by GET (`?query=`), by POST `application/sparql-query`
//! (the query is the body) or by POST `application/x-www-form-urlencoded`;
//! updates by POST `application/sparql-update` or by POST form (`update=`),
//! with the write token. `default-graph-uri` / `named-graph-uri` and
//! `using-graph-uri` / `using-named-graph-uri` name a dataset;
//! `union-default-graph=false` turns off the union default graph for one
//! request; `timeout=SECONDS` asks for another time limit, up to the
//! operator's maximum. GET without a query answers the service description.
//!
//! Queries and updates are checked against the server's input limits
//! (`config::InputLimits`: length, nesting, literals, triple patterns) before
//! they are parsed. Evaluation and serialization run on a thread of their own
//! with a large stack, never on an HTTP worker; when the time limit passes, the
//! cancellation token stops the evaluation (every operator, sorts and joins
//! included: spareval is patched for it, see `vendor/spareval/PATCHED.md`),
//! which frees its thread and memory. Updates have the same time limit; a
//! stopped update writes nothing.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};

use super::auth::WriteAccess;
use super::negotiation::choose_format;
use super::problem::ApiError;
use super::{AppState, blocking, negotiated};
use crate::config::InputLimits;
use crate::sparql::service_description::{self, ServiceFacts};
use crate::sparql::update::{ParsedUpdate, UpdateDataset};
use crate::sparql::{
    DatasetRequest, ParsedQuery, QueryForm, ResultFormat, SMALL_TEXT_BYTES, SparqlError, results,
};

/// The media types a POST to `/sparql` may carry.
const POST_MEDIA_TYPES: &[&str] = &[
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
];

/// The protocol parameters of one request.
#[derive(Debug, Default)]
pub(crate) struct ProtocolParameters {
    /// `query`: the SPARQL query text.
    pub(crate) query: Option<String>,
    /// `update`: the SPARQL update text.
    pub(crate) update: Option<String>,
    /// `default-graph-uri`, `named-graph-uri`, `union-default-graph`.
    dataset: DatasetRequest,
    /// `using-graph-uri`, `using-named-graph-uri`.
    using: UpdateDataset,
    /// `timeout`, in seconds.
    timeout: Option<f64>,
}

impl ProtocolParameters {
    /// Reads the parameters of an `application/x-www-form-urlencoded` string.
    pub(crate) fn parse(encoded: &[u8], union_default: bool) -> Result<Self, ApiError> {
        let mut parameters = Self {
            dataset: DatasetRequest {
                union_default_graph: union_default,
                ..DatasetRequest::default()
            },
            ..Self::default()
        };
        for (key, value) in form_urlencoded::parse(encoded) {
            match key.as_ref() {
                "query" => set_once(&mut parameters.query, "query", value.into_owned())?,
                "update" => set_once(&mut parameters.update, "update", value.into_owned())?,
                "default-graph-uri" => parameters
                    .dataset
                    .default_graph_uris
                    .push(value.into_owned()),
                "named-graph-uri" => parameters.dataset.named_graph_uris.push(value.into_owned()),
                "using-graph-uri" => parameters.using.using_graph_uris.push(value.into_owned()),
                "using-named-graph-uri" => {
                    parameters
                        .using
                        .using_named_graph_uris
                        .push(value.into_owned());
                }
                "union-default-graph" => {
                    parameters.dataset.union_default_graph =
                        parse_bool("union-default-graph", &value)?;
                }
                "timeout" => parameters.timeout = Some(parse_seconds(&value)?),
                _ => {}
            }
        }
        Ok(parameters)
    }
}

/// Sets a parameter that may be given once only.
fn set_once(slot: &mut Option<String>, field: &str, value: String) -> Result<(), ApiError> {
    let earlier = slot.replace(value);
    if earlier.is_some() {
        return Err(ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("give exactly one {field}"),
        });
    }
    Ok(())
}

/// Reads a boolean parameter (`true`, `false`, or empty for true, as a flag).
fn parse_bool(field: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "" | "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("'{other}' is not a boolean; use true or false"),
        }),
    }
}

/// Reads the `timeout` parameter: a positive number of seconds.
fn parse_seconds(value: &str) -> Result<f64, ApiError> {
    match value.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(ApiError::InvalidParameter {
            field: "timeout".to_owned(),
            message: format!("'{value}' is not a positive number of seconds"),
        }),
    }
}

/// GET `/sparql?query=...`, or the service description without a query.
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let parameters = ProtocolParameters::parse(
        request.query_string().as_bytes(),
        state.query.union_default_graph,
    )?;
    if parameters.update.is_some() {
        return Err(ApiError::InvalidParameter {
            field: "update".to_owned(),
            message: "updates must be sent with POST (SPARQL 1.1 Protocol, 2.2)".to_owned(),
        });
    }
    if parameters.query.is_none() {
        return describe_service(&request, &state).await;
    }
    answer_query(&request, &state, parameters).await
}

/// POST `/sparql` with a query or an update, in the body or in a form.
pub async fn post(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let union_default = state.query.union_default_graph;
    let url_parameters =
        || ProtocolParameters::parse(request.query_string().as_bytes(), union_default);
    let parameters = match essence.as_str() {
        "application/sparql-query" => ProtocolParameters {
            query: Some(body_text(&body)?),
            ..url_parameters()?
        },
        "application/sparql-update" => ProtocolParameters {
            update: Some(body_text(&body)?),
            ..url_parameters()?
        },
        "application/x-www-form-urlencoded" => ProtocolParameters::parse(&body, union_default)?,
        _ => {
            return Err(ApiError::UnsupportedMediaType {
                content_type,
                accepted: POST_MEDIA_TYPES.to_vec(),
            });
        }
    };
    match (&parameters.query, &parameters.update) {
        (Some(_), Some(_)) => Err(ApiError::InvalidParameter {
            field: "update".to_owned(),
            message: "a request carries a query or an update, not both".to_owned(),
        }),
        (None, Some(_)) => apply_update(&request, &state, parameters).await,
        (Some(_), None) => answer_query(&request, &state, parameters).await,
        (None, None) => Err(ApiError::MissingParameter {
            field: "query",
            hint: "send a query (query=... or Content-Type application/sparql-query) or an update (update=... or application/sparql-update)",
        }),
    }
}

/// The body as UTF-8 text.
fn body_text(body: &Bytes) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|e| ApiError::InvalidParameter {
        field: "body".into(),
        message: format!(
            "the body is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Parses, negotiates, evaluates and serializes one query within its time limit.
async fn answer_query(
    request: &HttpRequest,
    state: &AppState,
    parameters: ProtocolParameters,
) -> Result<HttpResponse, ApiError> {
    let text = parameters.query.unwrap_or_default();
    let query = parse_query(text, endpoint_url(request), &state.limits.input).await?;
    let format = match choose_format(request, query.form()) {
        Ok(format) => format,
        Err(error) => {
            discard(query);
            return Err(error);
        }
    };
    let limit = state.limits.query_timeout(parameters.timeout);
    let max_rows = state.limits.max_result_rows;
    let store = state.store.clone();
    let remote = state.remote.clone();
    let dataset = parameters.dataset;
    // The permit goes with the evaluation, which may outlive the request by a step after a
    // time-out.
    let permit = state.admission.enter().await?;
    let body = within_time_limit(limit, move |token| {
        let _permit = permit;
        let results = query.evaluate(&store, &dataset, token, &remote)?;
        results::write(results, format, Vec::new(), max_rows)
    })
    .await?;
    Ok(negotiated(format.media_type(), body))
}

/// Runs `work` on a query thread of its own under `limit`: when the limit passes, the
/// request answers `503 query-timeout` and the cancellation token `work` was given fires, so
/// that the evaluation stops at its next step and frees its thread. The token fires too when
/// the request is dropped (the client hung up), lest a query run with no limit at all.
///
/// # Errors
/// [`SparqlError::Timeout`] when the limit passed (or the evaluation saw the cancellation),
/// or what `work` returned.
pub(crate) async fn within_time_limit<T, F>(
    limit: std::time::Duration,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(CancellationToken) -> Result<T, SparqlError> + Send + 'static,
    T: Send + 'static,
{
    let cancellation = CancellationToken::new();
    let token = cancellation.clone();
    let _cancel_on_drop = CancelOnDrop(cancellation.clone());
    let evaluation = on_query_thread(move || work(token))?;
    let timed_out = SparqlError::Timeout {
        seconds: limit.as_secs_f64(),
    };
    match actix_web::rt::time::timeout(limit, evaluation).await {
        Err(_elapsed) => {
            cancellation.cancel();
            Err(timed_out.into())
        }
        Ok(joined) => match joined.map_err(|_| query_thread_failed())? {
            Ok(value) => Ok(value),
            Err(SparqlError::Evaluation(QueryEvaluationError::Cancelled)) => Err(timed_out.into()),
            Err(error) => Err(error.into()),
        },
    }
}

/// Cancels its token when dropped: when the request's future is dropped before the time
/// limit is polled, the evaluation still stops.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Starts `work` on a query thread ([`super::query_threads`]): a stack of
/// [`crate::sparql::PARSE_STACK_BYTES`], since parsing, checking and evaluating a query recurse once per
/// level of its algebra, and a query as deep as the limits allow nests deeper than the
/// blocking pool's 2 MiB stacks hold.
///
/// # Errors
/// [`ApiError::Internal`] when the system refuses a thread.
fn on_query_thread<T, F>(work: F) -> Result<tokio::sync::oneshot::Receiver<T>, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    super::query_threads::run(work)
        .map_err(|e| ApiError::Internal(format!("cannot start a query thread: {e}")))
}

/// Drops a parsed query or update on a query thread: its algebra may nest as deep as the
/// limits allow, and dropping it recurses as deep.
pub(crate) fn discard<T: Send + 'static>(value: T) {
    // When no thread can be started, the value drops here: a worker's stack survives all
    // but the longest operator chains, and the system is then out of threads anyway.
    let _ = on_query_thread(move || drop(value));
}

/// The error of a query thread that ended without an answer (it panicked).
fn query_thread_failed() -> ApiError {
    ApiError::Internal("the query thread ended without an answer".to_owned())
}

/// Parses a client's query within the server's input limits, on a thread with a large
/// stack unless the text is short (see [`ParsedQuery::parse_limited`]).
///
/// # Errors
/// [`SparqlError::Limit`] and [`SparqlError::Syntax`], as problems.
pub(crate) async fn parse_query(
    text: String,
    base_iri: String,
    limits: &InputLimits,
) -> Result<ParsedQuery, ApiError> {
    if text.len() <= SMALL_TEXT_BYTES {
        return Ok(ParsedQuery::parse_limited(&text, Some(&base_iri), limits)?);
    }
    let limits = limits.clone();
    let parsed =
        on_query_thread(move || ParsedQuery::parse_limited(&text, Some(&base_iri), &limits))?
            .await
            .map_err(|_| query_thread_failed())?;
    Ok(parsed?)
}

/// Parses a client's update as [`parse_query`] parses a query.
///
/// # Errors
/// [`SparqlError::Limit`] and [`SparqlError::Syntax`], as problems.
async fn parse_update(
    text: String,
    base_iri: String,
    limits: &InputLimits,
) -> Result<ParsedUpdate, ApiError> {
    if text.len() <= SMALL_TEXT_BYTES {
        return Ok(ParsedUpdate::parse_limited(&text, Some(&base_iri), limits)?);
    }
    let limits = limits.clone();
    let parsed =
        on_query_thread(move || ParsedUpdate::parse_limited(&text, Some(&base_iri), &limits))?
            .await
            .map_err(|_| query_thread_failed())?;
    Ok(parsed?)
}

/// Applies one update, after checking the write token, as one ordered write of the read
/// models: they take exactly the quads it changed before it is acknowledged.
async fn apply_update(
    request: &HttpRequest,
    state: &AppState,
    parameters: ProtocolParameters,
) -> Result<HttpResponse, ApiError> {
    WriteAccess::check(request, state.write_token.as_deref())?;
    let update = parse_update(
        parameters.update.unwrap_or_default(),
        endpoint_url(request),
        &state.limits.input,
    )
    .await?;
    let models = state.models.clone();
    let remote = state.remote.clone();
    let using = parameters.using;
    let limit = state.limits.query_timeout(parameters.timeout);
    let cancellation = CancellationToken::new();
    let token = cancellation.clone();
    // At the normal priority: the update holds the locks that lookups wait for.
    let mut applied = super::query_threads::run_update(move || {
        models.write(|store| -> Result<_, ApiError> {
            Ok(((), update.apply_cancellable(store, &using, &remote, token)?))
        })
    })
    .map_err(|e| ApiError::Internal(format!("cannot start an update thread: {e}")))?;
    let outcome = match actix_web::rt::time::timeout(limit, &mut applied).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => {
            // Unlike a query, the update's outcome is awaited after the cancellation: a
            // write that committed meanwhile is reported as done, never as stopped.
            cancellation.cancel();
            applied.await
        }
    };
    let written = match outcome.map_err(|_| query_thread_failed())? {
        Ok(written) => written,
        Err(ApiError::Sparql(SparqlError::Evaluation(QueryEvaluationError::Cancelled))) => {
            return Err(SparqlError::Timeout {
                seconds: limit.as_secs_f64(),
            }
            .into());
        }
        Err(error) => return Err(error),
    };
    Ok(HttpResponse::NoContent()
        .insert_header(super::generation(written.generation))
        .finish())
}

/// The URL of this endpoint as the client reached it: the base IRI of queries and updates.
fn endpoint_url(request: &HttpRequest) -> String {
    format!("{}{}", super::base_url(request), request.path())
}

/// The SPARQL 1.1 Service Description, in the RDF format the client accepts.
async fn describe_service(
    request: &HttpRequest,
    state: &AppState,
) -> Result<HttpResponse, ApiError> {
    let format = choose_format(request, QueryForm::Graph)?;
    let ResultFormat::Rdf(rdf_format) = format else {
        return Err(ApiError::Internal("a graph format was expected".into()));
    };
    let facts = ServiceFacts {
        endpoint: endpoint_url(request),
        union_default_graph: state.query.union_default_graph,
        accepts_updates: state.write_token.is_some(),
    };
    let store = state.store.clone();
    let body = blocking(move || {
        let graph = service_description::describe(&store, &facts)?;
        let mut serializer = crate::store::dump::serializer(rdf_format)
            .with_prefix("sd", "http://www.w3.org/ns/sparql-service-description#")
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .for_writer(Vec::new());
        for triple in graph.iter() {
            serializer
                .serialize_triple(triple)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        serializer
            .finish()
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok(negotiated(format.media_type(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_collect_repeated_graph_uris() {
        let parameters = ProtocolParameters::parse(
            b"query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa&default-graph-uri=http%3A%2F%2Fb&union-default-graph=false&timeout=2.5",
            true,
        )
        .unwrap();
        assert_eq!(parameters.query.as_deref(), Some("ASK{}"));
        assert_eq!(
            parameters.dataset.default_graph_uris,
            ["http://a", "http://b"]
        );
        assert!(!parameters.dataset.union_default_graph);
        assert_eq!(parameters.timeout, Some(2.5));
    }

    #[test]
    fn parameters_reject_two_queries_bad_booleans_and_bad_timeouts() {
        assert!(ProtocolParameters::parse(b"query=a&query=b", true).is_err());
        assert!(ProtocolParameters::parse(b"update=a&update=b", true).is_err());
        assert!(ProtocolParameters::parse(b"union-default-graph=maybe", true).is_err());
        assert!(ProtocolParameters::parse(b"timeout=-1", true).is_err());
        assert!(ProtocolParameters::parse(b"timeout=soon", true).is_err());
    }
}
