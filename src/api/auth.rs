//! Access: every write (REST, SPARQL Update, Graph Store) needs `Authorization: Bearer TOKEN`
//! with a write token; when read tokens are configured, every other route but the health
//! checks, the explorer's files and the API's description needs a read or a write token too;
//! `--read-only` refuses every write.
//!
//! Tokens are kept as SHA-256 digests only ([`Tokens`]): the operator may give them as
//! digests in a tokens file, so that no plain secret sits on disk, and a plain token given by
//! flag or environment is hashed at start-up. A presented token is hashed and compared with
//! every configured digest in constant time. Several tokens may be configured; a token is
//! revoked by removing it and restarting. A write handler takes a [`WriteAccess`] argument,
//! so that it cannot run without the check; [`read_guard`] is the middleware for reads. No
//! token, and no `Authorization` header, is ever logged.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, ResponseError, web};
use sha2::{Digest, Sha256};

use super::AppState;
use super::problem::ApiError;

/// A set of tokens, as the SHA-256 digests of their bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    digests: Vec<[u8; 32]>,
}

impl Tokens {
    /// The set holding `digests`.
    pub fn from_digests(digests: Vec<[u8; 32]>) -> Self {
        Self { digests }
    }

    /// The SHA-256 digest of a plain token.
    pub fn digest(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    /// Whether the set holds no token.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// How many tokens the set holds.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether `given` is one of the tokens. Every digest is compared, in constant time, so
    /// the answer's timing says nothing about which digest came close.
    pub fn admits(&self, given: &str) -> bool {
        let given = Self::digest(given);
        self.digests.iter().fold(false, |found, digest| {
            found | constant_time_eq::constant_time_eq_32(digest, &given)
        })
    }
}

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
    pub fn check(request: &HttpRequest, tokens: Option<&Tokens>) -> Result<Self, ApiError> {
        let read_only = request
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.read_only);
        if read_only {
            return Err(ApiError::ReadOnly);
        }
        require_write_access(request, tokens).map(|()| Self(()))
    }
}

impl FromRequest for WriteAccess {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let tokens = request
            .app_data::<web::Data<AppState>>()
            .and_then(|state| state.write_token.as_deref());
        ready(Self::check(request, tokens))
    }
}

/// The bearer token of a request, if it carries one.
fn bearer(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, credentials) = value.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| credentials.trim())
        })
}

/// Checks that `request` may write, given the server's write tokens.
///
/// # Errors
/// [`ApiError::WritesDisabled`] when the server has no write token, [`ApiError::Unauthorized`]
/// when the request carries none or a wrong one.
pub fn require_write_access(
    request: &HttpRequest,
    tokens: Option<&Tokens>,
) -> Result<(), ApiError> {
    let Some(tokens) = tokens.filter(|tokens| !tokens.is_empty()) else {
        return Err(ApiError::WritesDisabled);
    };
    match bearer(request) {
        None => Err(ApiError::Unauthorized {
            reason: "this write needs an Authorization: Bearer <token> header",
        }),
        Some(given) if tokens.admits(given) => Ok(()),
        Some(_) => Err(ApiError::Unauthorized {
            reason: "the bearer token is not one of the server's write tokens",
        }),
    }
}

/// The paths that answer without a read token, none of which holds data: the health checks,
/// for orchestrators; the explorer's page and files, which a browser fetches by navigating and
/// so without a bearer header (the page asks for the token when an API call answers 401); and
/// the description of the API, the same in every binary, which the explorer links to.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/readyz" | "/" | "/api/v1/docs" | "/api/v1/openapi.json"
    ) || path.starts_with("/explorer/")
}

/// The middleware (`actix_web::middleware::from_fn`) that asks for a read or a write token
/// on every route but the public ones ([`is_public`]), when the server has read tokens. CORS
/// preflights (`OPTIONS`) are answered by the CORS layer outside it.
///
/// # Errors
/// Whatever the inner services return.
pub async fn read_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refusal = request
        .app_data::<web::Data<AppState>>()
        .and_then(|state| state.read_tokens.clone())
        .filter(|_| !is_public(request.path()))
        .and_then(|read_tokens| {
            let state = request.app_data::<web::Data<AppState>>()?;
            let reason = match bearer(request.request()) {
                None => "this server is private: every request needs an Authorization: Bearer <token> header",
                Some(given)
                    if read_tokens.admits(given)
                        || state.write_token.as_deref().is_some_and(|w| w.admits(given)) =>
                {
                    return None;
                }
                Some(_) => "the bearer token is not one of the server's read or write tokens",
            };
            Some(ApiError::Unauthorized { reason })
        });
    match refusal {
        Some(error) => {
            let (request, _) = request.into_parts();
            Ok(ServiceResponse::new(request, error.error_response()).map_into_right_body())
        }
        None => Ok(next.call(request).await?.map_into_left_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_admit_exactly_the_tokens_whose_digests_they_hold() {
        let tokens = Tokens::from_digests(vec![Tokens::digest("first"), Tokens::digest("second")]);
        assert!(tokens.admits("first"));
        assert!(tokens.admits("second"));
        assert!(!tokens.admits("third"));
        assert!(!tokens.admits(""));
        assert!(!Tokens::default().admits("first"));
    }

    #[test]
    fn only_the_health_checks_the_explorers_files_and_the_api_description_are_public() {
        for (path, public) in [
            ("/healthz", true),
            ("/readyz", true),
            ("/", true),
            ("/explorer/app.js", true),
            ("/explorer/vendor/yasgui.min.js", true),
            ("/api/v1/docs", true),
            ("/api/v1/openapi.json", true),
            ("/api/v1/stats", false),
            ("/api/v1/docs/", false),
            ("/explorer", false),
            ("/sparql", false),
            ("/store", false),
            ("/metrics", false),
            ("/admin/backup", false),
        ] {
            assert_eq!(is_public(path), public, "{path}");
        }
    }

    #[test]
    fn the_digest_is_sha256_of_the_tokens_bytes() {
        // printf %s test | sha256sum
        assert_eq!(
            hex::encode(Tokens::digest("test")),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }
}
