//! Content negotiation: the client's `Accept` header against what a response can be written as.
//!
//! The ranges of `Accept` are tried in order of quality (RFC 9110,
//! section 12.5.1); a wildcard takes the default format; a missing or empty
//! header takes the default too.

use actix_web::HttpRequest;
use actix_web::http::header::{self, Header};
use oxigraph::io::RdfFormat;

use super::problem::ApiError;
use crate::sparql::{QueryForm, ResultFormat};

/// Chooses the format of a `form` result for this request.
///
/// # Errors
/// [`ApiError::NotAcceptable`] when no range of `Accept` fits any format of `form`.
pub fn choose_format(request: &HttpRequest, form: QueryForm) -> Result<ResultFormat, ApiError> {
    choose_from(request, &ResultFormat::all_for(form))
}

/// Chooses among RDF formats, the first being the default.
///
/// # Errors
/// [`ApiError::NotAcceptable`] when no range of `Accept` fits any of `formats`.
pub fn choose_rdf_format(
    request: &HttpRequest,
    formats: &[RdfFormat],
) -> Result<RdfFormat, ApiError> {
    let available: Vec<ResultFormat> = formats.iter().copied().map(ResultFormat::Rdf).collect();
    match choose_from(request, &available)? {
        ResultFormat::Rdf(format) => Ok(format),
        ResultFormat::Results(_) => Err(ApiError::Internal("an RDF format was expected".into())),
    }
}

/// Chooses among `available`, the first being the default.
fn choose_from(
    request: &HttpRequest,
    available: &[ResultFormat],
) -> Result<ResultFormat, ApiError> {
    let default = available[0];
    let raw = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
        .to_owned();
    if raw.is_empty() {
        return Ok(default);
    }
    let ranked = header::Accept::parse(request)
        .map(|accept| accept.ranked())
        .unwrap_or_default();
    for range in ranked {
        let (kind, subtype) = (range.type_().as_str(), range.subtype().as_str());
        if kind == "*" {
            return Ok(default);
        }
        let found = available.iter().find(|format| {
            let media_type = format.media_type();
            let essence = media_type.split(';').next().unwrap_or_default();
            if subtype == "*" {
                essence.split('/').next() == Some(kind)
            } else {
                essence.eq_ignore_ascii_case(range.essence_str())
                    || matches!(
                        (format, range.essence_str()),
                        (ResultFormat::Results(f), "application/json") if f.media_type().contains("json")
                    )
                    || matches!(
                        (format, range.essence_str()),
                        (ResultFormat::Results(f), "application/xml") if f.media_type().contains("xml")
                    )
                    || matches!(
                        (format, range.essence_str()),
                        (ResultFormat::Rdf(RdfFormat::NTriples), "text/plain")
                    )
            }
        });
        if let Some(format) = found {
            return Ok(*format);
        }
    }
    Err(ApiError::NotAcceptable {
        accept: raw,
        available: available.iter().map(|f| f.media_type()).collect(),
    })
}
