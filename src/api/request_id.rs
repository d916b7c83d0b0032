//! A request id on every request: taken from the client's `X-Request-Id` when it is a
//! plausible id, generated (a UUID v4) otherwise, echoed in the response's `X-Request-Id`,
//! carried by the `request` tracing span that every log line of the request is written in,
//! and put into every problem document (`request_id`) through [`current`].
//!
//! The id lives in a task-local for the duration of the request's future, so that
//! `problem.rs` can read it without each handler passing it along. Work moved to the
//! blocking pool through `api::blocking` takes the span along; work moved there otherwise
//! logs without it (its errors still carry the id, since they are rendered back on the
//! request's task).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

/// The header that carries the id, both ways.
pub const HEADER: &str = "x-request-id";

/// The longest client-given id kept; a longer one is replaced by a generated id.
const MAX_LEN: usize = 128;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Whether a client's id is kept: short, and only characters that cannot forge a log line.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The middleware (`actix_web::middleware::from_fn`): names the request, runs the rest of the
/// chain inside the id's scope and span, and echoes the id.
///
/// # Errors
/// Whatever the inner services return.
pub async fn assign(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    // Put back into the request too, so that the access log, which reads request headers,
    // logs the id that was kept or generated.
    let mut request = request;
    if let Ok(value) = HeaderValue::from_str(&id) {
        request
            .headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    let span = tracing::info_span!("request", id = %id);
    let mut response = REQUEST_ID
        .scope(id.clone(), next.call(request).instrument(span))
        .await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_kept_from_clients() {
        assert!(acceptable("3f2c-11aa_b.c:d"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("line\nbreak"));
        assert!(!acceptable(&"x".repeat(MAX_LEN + 1)));
    }
}
