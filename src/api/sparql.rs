//! `/sparql`: the SPARQL 1.1 Protocol query operation.
//!
//! A query arrives by GET (`?query=`), by POST `application/sparql-query`
//! (the query is the body) or by POST `application/x-www-form-urlencoded`;
//! `default-graph-uri` and `named-graph-uri` name a dataset, and
//! `union-default-graph=false` turns off eventgraph's union default graph for
//! one request. Evaluation and serialization run on actix's blocking pool, so
//! a long query never holds an HTTP worker.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::AppState;
use super::negotiation::choose_format;
use super::problem::ApiError;
use crate::sparql::{DatasetRequest, ParsedQuery, results};

/// The media types a POST to `/sparql` may carry.
const POST_MEDIA_TYPES: &[&str] = &[
    "application/sparql-query",
    "application/x-www-form-urlencoded",
];

/// The protocol parameters of one request.
#[derive(Debug, Default)]
struct QueryParameters {
    /// `query`: the SPARQL text.
    query: Option<String>,
    /// `default-graph-uri`, `named-graph-uri`, `union-default-graph`.
    dataset: DatasetRequest,
}

impl QueryParameters {
    /// Reads the parameters of an `application/x-www-form-urlencoded` string.
    fn parse(encoded: &[u8], union_default: bool) -> Result<Self, ApiError> {
        let mut parameters = Self {
            query: None,
            dataset: DatasetRequest {
                union_default_graph: union_default,
                ..DatasetRequest::default()
            },
        };
        for (key, value) in form_urlencoded::parse(encoded) {
            match key.as_ref() {
                "query" => {
                    let earlier = parameters.query.replace(value.into_owned());
                    if earlier.is_some() {
                        return Err(ApiError::InvalidParameter {
                            field: "query".into(),
                            message: "give exactly one query".into(),
                        });
                    }
                }
                "default-graph-uri" => parameters
                    .dataset
                    .default_graph_uris
                    .push(value.into_owned()),
                "named-graph-uri" => parameters.dataset.named_graph_uris.push(value.into_owned()),
                "union-default-graph" => {
                    parameters.dataset.union_default_graph =
                        parse_bool("union-default-graph", &value)?;
                }
                _ => {}
            }
        }
        Ok(parameters)
    }
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

/// GET `/sparql?query=...`.
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let parameters = QueryParameters::parse(
        request.query_string().as_bytes(),
        state.query.union_default_graph,
    )?;
    answer(&request, &state, parameters).await
}

/// POST `/sparql` with a query in the body or in a form.
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
    let parameters = match essence.as_str() {
        "application/sparql-query" => {
            let mut parameters =
                QueryParameters::parse(request.query_string().as_bytes(), union_default)?;
            let text =
                String::from_utf8(body.to_vec()).map_err(|e| ApiError::InvalidParameter {
                    field: "body".into(),
                    message: format!(
                        "the query is not UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ),
                })?;
            parameters.query = Some(text);
            parameters
        }
        "application/x-www-form-urlencoded" => QueryParameters::parse(&body, union_default)?,
        _ => {
            return Err(ApiError::UnsupportedMediaType {
                content_type,
                accepted: POST_MEDIA_TYPES.to_vec(),
            });
        }
    };
    answer(&request, &state, parameters).await
}

/// Parses, negotiates, evaluates and serializes one query.
async fn answer(
    request: &HttpRequest,
    state: &AppState,
    parameters: QueryParameters,
) -> Result<HttpResponse, ApiError> {
    let text = parameters.query.ok_or(ApiError::MissingParameter {
        field: "query",
        hint: "send the query as ?query=... or as the body of a POST with Content-Type application/sparql-query",
    })?;
    let query = ParsedQuery::parse(&text)?;
    let format = choose_format(request, query.form())?;
    let store = state.store.clone();
    let dataset = parameters.dataset;
    let body = web::block(move || {
        let results = query.evaluate(&store, &dataset)?;
        results::write(results, format, Vec::new())
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header((header::VARY, "Accept"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_collect_repeated_graph_uris() {
        let parameters = QueryParameters::parse(
            b"query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa&default-graph-uri=http%3A%2F%2Fb&union-default-graph=false",
            true,
        )
        .unwrap();
        assert_eq!(parameters.query.as_deref(), Some("ASK{}"));
        assert_eq!(
            parameters.dataset.default_graph_uris,
            ["http://a", "http://b"]
        );
        assert!(!parameters.dataset.union_default_graph);
    }

    #[test]
    fn parameters_reject_two_queries_and_bad_booleans() {
        assert!(QueryParameters::parse(b"query=a&query=b", true).is_err());
        assert!(QueryParameters::parse(b"union-default-graph=maybe", true).is_err());
    }
}
