//! The OpenAPI 3.1 document of `/api/v1` and of the operational routes (`/healthz`, `/readyz`,
//! `/metrics`, `/admin/backup`), generated from the handlers' annotations, and a browsable
//! documentation page rendered from it. The SPARQL and Graph Store protocols have their W3C
//! specifications instead.
//!
//! The page is plain HTML made here from the same document (no script, no
//! CDN), so it works offline and can never disagree with the document.

use std::fmt::Write as _;

use actix_web::HttpResponse;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, Parameter};
use utoipa::openapi::{RefOr, Required};

/// The REST API, as OpenAPI describes it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "eventgraph REST API",
        description = "Entities and events that news reports, their relations with the provenance of every statement, and traversals of the entity graph; and the operational routes (health, readiness, metrics, backup). Every error is application/problem+json (RFC 9457). Writes need Authorization: Bearer with a write token; on a private server (one with read tokens) every route but /healthz, /readyz, this document and its page needs a read or a write token too, and answers 401 without one.",
        license(name = "MIT")
    ),
    paths(
        super::entities::search,
        super::writes::create_entity,
        super::entities::get,
        super::writes::update_entity,
        super::writes::delete_entity,
        super::entities::relations,
        super::traversal::neighborhood,
        super::contested::claims,
        super::traversal::paths,
        super::writes::create_statement,
        super::statements::get,
        super::writes::delete_statement,
        super::events::timeline,
        super::traversal::rankings,
        super::contested::contested,
        super::traversal::stats,
        super::export::export,
        super::reports::create,
        super::imports::import,
        crate::api::health::live,
        crate::api::health::ready,
        crate::api::metrics::render,
        crate::api::admin::backup,
    ),
    tags(
        (name = "entities", description = "Search and look up entities, and list their relations"),
        (name = "statements", description = "Statements with their provenance"),
        (name = "events", description = "The timeline of events"),
        (name = "graph", description = "Traversals of the in-memory entity graph"),
        (name = "reports", description = "One article and its statements, written in one request"),
        (name = "imports", description = "GDELT and ACLED files imported with their provenance"),
        (name = "operations", description = "Health and readiness checks, metrics and backups, for operators and orchestrators"),
    )
)]
pub struct ApiDoc;

/// GET `/api/v1/openapi.json`.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// GET `/api/v1/docs`: the document as a page.
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(render(&ApiDoc::openapi()))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render_parameters(out: &mut String, parameters: &[Parameter]) {
    if parameters.is_empty() {
        return;
    }
    out.push_str(
        "<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>",
    );
    for parameter in parameters {
        let location = serde_json::to_value(&parameter.parameter_in)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&parameter.name),
            escape(&location),
            if matches!(parameter.required, Required::True) {
                "yes"
            } else {
                "no"
            },
            escape(parameter.description.as_deref().unwrap_or_default())
        );
    }
    out.push_str("</table>");
}

fn render_operation(out: &mut String, method: &str, path: &str, operation: &Operation) {
    let _ = write!(
        out,
        "<section><h3><code>{} {}</code></h3>",
        method.to_uppercase(),
        escape(path)
    );
    if let Some(description) = operation
        .description
        .as_deref()
        .or(operation.summary.as_deref())
    {
        let _ = write!(out, "<p>{}</p>", escape(description));
    }
    render_parameters(out, operation.parameters.as_deref().unwrap_or_default());
    out.push_str("<ul>");
    for (status, response) in &operation.responses.responses {
        let description = match response {
            RefOr::T(response) => response.description.clone(),
            RefOr::Ref(reference) => reference.ref_location.clone(),
        };
        let _ = write!(
            out,
            "<li><b>{}</b> {}</li>",
            escape(status),
            escape(&description)
        );
    }
    out.push_str("</ul></section>");
}

/// Renders the document as one HTML page: every operation with its parameters and responses.
pub fn render(document: &utoipa::openapi::OpenApi) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>eventgraph REST API</title>\
         <style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}\
         table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}\
         section{margin-bottom:1.5em}</style></head><body>",
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p><p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI {}).</p>",
        escape(&document.info.title),
        escape(document.info.description.as_deref().unwrap_or_default()),
        escape(
            &serde_json::to_value(&document.openapi)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        )
    );
    for (path, item) in &document.paths.paths {
        if let Some(operation) = &item.get {
            render_operation(&mut out, "get", path, operation);
        }
        if let Some(operation) = &item.post {
            render_operation(&mut out, "post", path, operation);
        }
        if let Some(operation) = &item.patch {
            render_operation(&mut out, "patch", path, operation);
        }
        if let Some(operation) = &item.delete {
            render_operation(&mut out, "delete", path, operation);
        }
    }
    out.push_str("</body></html>");
    out
}
