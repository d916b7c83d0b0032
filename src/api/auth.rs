//! Write access: every write (REST, SPARQL Update, Graph Store) needs `Authorization: Bearer TOKEN`.
//!
//! The operator sets the token (`EVENTGRAPH_WRITE_TOKEN`); without one every
//! write is refused with a message that says how to enable writes. Reads stay
//! open. Tokens are compared in constant time. A write handler takes a
//! [`WriteAccess`] argument, so that it cannot run without the check.

use std::future::{Ready, ready};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use super::AppState;
use super::problem::ApiError;

/// Proof that a request may write: extracted before the body, so a write without the token
/// is refused before anything else is read.
#[derive(Debug, Clone, Copy)]
pub struct WriteAccess(());

impl WriteAccess {
    /// Checks a request that turns out to be a write only once its body is read (a POST to
    /// `/sparql` carries a query or an update).
    ///
    /// # Errors
    /// As [`require_write_access`].
    pub fn check(request: &HttpRequest, token: Option<&str>) -> Result<Self, ApiError> {
        require_write_access(request, token).map(|()| Self(()))
    }
}

impl FromRequest for WriteAccess {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = request
            .app_data::<web::Data<AppState>>()
            .and_then(|state| state.write_token.as_deref());
        ready(require_write_access(request, token).map(|()| WriteAccess(())))
    }
}

/// Checks that `request` may write, given the server's token.
///
/// # Errors
/// [`ApiError::WritesDisabled`] when the server has no token, [`ApiError::Unauthorized`]
/// when the request carries none or the wrong one.
pub fn require_write_access(request: &HttpRequest, token: Option<&str>) -> Result<(), ApiError> {
    let Some(expected) = token else {
        return Err(ApiError::WritesDisabled);
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, credentials) = value.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| credentials.trim())
        });
    match given {
        None => Err(ApiError::Unauthorized {
            reason: "this write needs an Authorization: Bearer <token> header",
        }),
        Some(given)
            if constant_time_eq::constant_time_eq(given.as_bytes(), expected.as_bytes()) =>
        {
            Ok(())
        }
        Some(_) => Err(ApiError::Unauthorized {
            reason: "the bearer token is not the server's write token",
        }),
    }
}
