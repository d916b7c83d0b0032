//! Content negotiation: the client's `Accept` header against what a result can be written as.
//!
//! The ranges of `Accept` are tried in order of quality (RFC 9110,
//! section 12.5.1); a wildcard takes the result's default format; a missing or
//! empty header takes the default too.

use actix_web::HttpRequest;
use actix_web::http::header::{self, Header};

use super::problem::ApiError;
use crate::sparql::{QueryForm, ResultFormat};

/// Chooses the format of a `form` result for this request.
///
/// # Errors
/// [`ApiError::NotAcceptable`] when no range of `Accept` fits any format of `form`.
pub fn choose_format(request: &HttpRequest, form: QueryForm) -> Result<ResultFormat, ApiError> {
    let raw = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
        .to_owned();
    if raw.is_empty() {
        return Ok(ResultFormat::default_for(form));
    }
    let ranked = header::Accept::parse(request)
        .map(|accept| accept.ranked())
        .unwrap_or_default();
    let available = ResultFormat::all_for(form);
    for range in ranked {
        let (kind, subtype) = (range.type_().as_str(), range.subtype().as_str());
        if kind == "*" {
            return Ok(ResultFormat::default_for(form));
        }
        if subtype == "*" {
            if let Some(format) = available
                .iter()
                .find(|f| f.media_type().split('/').next() == Some(kind))
            {
                return Ok(*format);
            }
            continue;
        }
        if let Some(format) = ResultFormat::from_media_type(form, range.essence_str()) {
            return Ok(format);
        }
    }
    Err(ApiError::NotAcceptable {
        accept: raw,
        available: available.iter().map(|f| f.media_type()).collect(),
    })
}
