//! Entry points for the cargo-fuzz targets in `fuzz/`: our own request-facing parsers, each
//! given arbitrary bytes, with the properties they must keep.
//!
//! Compiled only with the `fuzzing` feature, so the library's API stays as it is; each
//! function panics when a property fails, which is what libFuzzer reports. They exercise the
//! parsing done at the HTTP edge (SPARQL protocol parameters, REST bodies, export requests,
//! `Accept`) and the input limits; they never open a store or a socket.

use actix_web::http::header;
use oxigraph::io::RdfFormat;

use crate::api::negotiation::{choose_format, choose_rdf_format};
use crate::api::rest::export::ExportRequest;
use crate::api::rest::writes::{EntityRequest, StatementRequest};
use crate::api::sparql::ProtocolParameters;
use crate::config::InputLimits;
use crate::limits::{self, LimitError, Syntax};
use crate::sparql::update::ParsedUpdate;
use crate::sparql::{ParsedQuery, QueryForm, ResultFormat};

/// SPARQL 1.1 Protocol parameters (a query string or a form body); the query or update they
/// carry goes through the input limits and the parser.
pub fn sparql_protocol(bytes: &[u8]) {
    let Ok(parameters) = ProtocolParameters::parse(bytes, true) else {
        return;
    };
    let limits = InputLimits::default();
    if let Some(query) = &parameters.query {
        checked_parse(query, |text| {
            ParsedQuery::parse_limited(text, Some("http://127.0.0.1/sparql"), &limits).map(drop)
        });
    }
    if let Some(update) = &parameters.update {
        checked_parse(update, |text| {
            ParsedUpdate::parse_limited(text, Some("http://127.0.0.1/sparql"), &limits).map(drop)
        });
    }
}

/// Runs `parse`: a text the limits refuse must be refused with a limit error.
fn checked_parse(text: &str, parse: impl Fn(&str) -> Result<(), crate::sparql::SparqlError>) {
    let refused = limits::check_sparql("query", text, &InputLimits::default()).is_err();
    let result = parse(text);
    if refused {
        assert!(
            matches!(result, Err(crate::sparql::SparqlError::Limit(_))),
            "the limits refuse {text:?} but parsing gave {result:?}"
        );
    }
}

/// A REST write body, as the JSON extractor and the edits read it.
pub fn rest_body(bytes: &[u8]) {
    if let Ok(request) = serde_json::from_slice::<EntityRequest>(bytes) {
        let _ = crate::edits::entity::EntityEdit::from(&request);
    }
    if let Ok(request) = serde_json::from_slice::<StatementRequest>(bytes) {
        let _ = crate::edits::statement::StatementEdit::from(&request);
    }
}

/// The query string of `/api/v1/export`: parsing never panics, and at most one selection
/// parameter of each kind is read.
pub fn export_request(bytes: &[u8]) {
    let query = String::from_utf8_lossy(bytes);
    if let Ok(request) = ExportRequest::parse(&query) {
        let selections = request.selections();
        let mut unique = selections.clone();
        unique.dedup();
        assert_eq!(unique, selections, "a selection is listed twice");
    }
}

/// An `Accept` header: the format chosen is one of those offered, for every result form.
pub fn accept(bytes: &[u8]) {
    let Ok(value) = header::HeaderValue::from_bytes(bytes) else {
        return;
    };
    let request = actix_web::test::TestRequest::default()
        .insert_header((header::ACCEPT, value))
        .to_http_request();
    for form in [QueryForm::Solutions, QueryForm::Boolean, QueryForm::Graph] {
        if let Ok(format) = choose_format(&request, form) {
            assert!(
                ResultFormat::all_for(form).contains(&format),
                "{format:?} is not a format for {form:?}"
            );
        }
    }
    let offered = [RdfFormat::Turtle, RdfFormat::NTriples, RdfFormat::RdfXml];
    if let Ok(format) = choose_rdf_format(&request, &offered) {
        assert!(offered.contains(&format), "{format:?} was not offered");
    }
}

/// The input limits on any bytes in every syntax: a refusal names a position inside the
/// input, and an RDF body they accept parses (or fails) without a crash.
pub fn input_limits(bytes: &[u8]) {
    let limits = InputLimits {
        max_nesting_depth: 16,
        max_literal_bytes: 256,
        max_iri_bytes: 128,
        ..InputLimits::default()
    };
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    for (syntax, format) in [
        (Syntax::Turtle, RdfFormat::Turtle),
        (Syntax::Sparql, RdfFormat::TriG),
        (
            Syntax::Json,
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        (Syntax::Xml, RdfFormat::RdfXml),
    ] {
        match limits::check(syntax, "body", bytes, &limits) {
            Ok(()) => {
                for quad in oxigraph::io::RdfParser::from_format(format).for_slice(bytes) {
                    if quad.is_err() {
                        break;
                    }
                }
            }
            Err(error) => {
                if let Some(position) = error.position() {
                    assert!(
                        position.line >= 1 && position.line <= lines && position.column >= 1,
                        "{error} is outside the input"
                    );
                }
                assert!(!matches!(error, LimitError::TooLong { .. }), "{error}");
            }
        }
    }
}
