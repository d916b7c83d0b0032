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
//! Evaluation and serialization run on actix's blocking pool, never on an
//! HTTP worker; when the time limit passes, the query's cancellation token
//! stops it, which frees its thread.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};

use super::auth::WriteAccess;
use super::negotiation::choose_format;
use super::problem::ApiError;
use super::{AppState, blocking, negotiated};
use crate::sparql::service_description::{self, ServiceFacts};
use crate::sparql::update::{ParsedUpdate, UpdateDataset};
use crate::sparql::{DatasetRequest, ParsedQuery, QueryForm, ResultFormat, SparqlError, results};

/// The media types a POST to `/sparql` may carry.
const POST_MEDIA_TYPES: &[&str] = &[
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
];

/// The protocol parameters of one request.
#[derive(Debug, Default)]
struct ProtocolParameters {
    /// `query`: the SPARQL query text.
    query: Option<String>,
    /// `update`: the SPARQL update text.
    update: Option<String>,
    /// `default-graph-uri`, `named-graph-uri`, `union-default-graph`.
    dataset: DatasetRequest,
    /// `using-graph-uri`, `using-named-graph-uri`.
    using: UpdateDataset,
    /// `timeout`, in seconds.
    timeout: Option<f64>,
}

impl ProtocolParameters {
    /// Reads the parameters of an `application/x-www-form-urlencoded` string.
    fn parse(encoded: &[u8], union_default: bool) -> Result<Self, ApiError> {
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
    let query = ParsedQuery::parse(&text, Some(&endpoint_url(request)))?;
    let format = choose_format(request, query.form())?;
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

/// Runs `work` on the blocking pool under `limit`: when the limit passes, the request answers
/// `503 query-timeout` and the cancellation token `work` was given fires, so that the
/// evaluation stops at its next step and frees its thread.
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
    let evaluation = web::block(move || work(token));
    let timed_out = SparqlError::Timeout {
        seconds: limit.as_secs_f64(),
    };
    match actix_web::rt::time::timeout(limit, evaluation).await {
        Err(_elapsed) => {
            cancellation.cancel();
            Err(timed_out.into())
        }
        Ok(joined) => match joined.map_err(|e| ApiError::Internal(e.to_string()))? {
            Ok(value) => Ok(value),
            Err(SparqlError::Evaluation(QueryEvaluationError::Cancelled)) => Err(timed_out.into()),
            Err(error) => Err(error.into()),
        },
    }
}

/// Applies one update, after checking the write token, as one ordered write of the read
/// models: they take exactly the quads it changed before it is acknowledged.
async fn apply_update(
    request: &HttpRequest,
    state: &AppState,
    parameters: ProtocolParameters,
) -> Result<HttpResponse, ApiError> {
    WriteAccess::check(request, state.write_token.as_deref())?;
    let update = ParsedUpdate::parse(
        &parameters.update.unwrap_or_default(),
        Some(&endpoint_url(request)),
    )?;
    let models = state.models.clone();
    let remote = state.remote.clone();
    let using = parameters.using;
    let written = blocking(move || {
        models.write(|store| -> Result<_, ApiError> {
            Ok(((), update.apply(store, &using, &remote)?))
        })
    })
    .await?;
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
