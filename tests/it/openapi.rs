//! The OpenAPI document of `/api/v1` and of the operational routes, its page, and schemathesis
//! checking the server against it.

use std::path::PathBuf;
use std::process::Command;

use crate::http;
use crate::server::{TestServer, repo_path};

/// Every route the REST API and the operations serve, as the document must list them.
const PATHS: &[&str] = &[
    "/admin/backup",
    "/api/v1/contested",
    "/api/v1/entities",
    "/api/v1/entities/{id}",
    "/api/v1/entities/{id}/claims",
    "/api/v1/entities/{id}/neighborhood",
    "/api/v1/entities/{id}/relations",
    "/api/v1/events",
    "/api/v1/export",
    "/api/v1/imports",
    "/api/v1/paths",
    "/api/v1/rankings",
    "/api/v1/reports",
    "/api/v1/statements",
    "/api/v1/statements/{id}",
    "/api/v1/stats",
    "/healthz",
    "/metrics",
    "/readyz",
];

/// The operational routes' answers the document must describe: (path, method, status, media
/// type), errors as problem+json.
const OPERATIONS: &[(&str, &str, &str, &str)] = &[
    ("/healthz", "get", "200", "application/json"),
    ("/readyz", "get", "200", "application/json"),
    ("/readyz", "get", "503", "application/problem+json"),
    (
        "/metrics",
        "get",
        "200",
        "text/plain; version=0.0.4; charset=utf-8",
    ),
    ("/metrics", "get", "401", "application/problem+json"),
    ("/admin/backup", "post", "201", "application/json"),
    ("/admin/backup", "post", "400", "application/problem+json"),
    ("/admin/backup", "post", "401", "application/problem+json"),
    ("/admin/backup", "post", "403", "application/problem+json"),
    ("/admin/backup", "post", "500", "application/problem+json"),
];

#[test]
fn the_document_is_openapi_3_1_and_lists_every_route_and_the_page_shows_them() {
    let server = TestServer::memory();
    let document = http::get(&server.url("/api/v1/openapi.json"), &[]).json();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        document["openapi"]
    );
    let mut paths: Vec<&str> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, PATHS);
    assert!(document["components"]["schemas"]["ProblemView"].is_object());
    for (path, method, status, media_type) in OPERATIONS {
        let content = &document["paths"][path][method]["responses"][status]["content"];
        assert!(
            content[media_type]["schema"].is_object(),
            "{method} {path} does not describe its {status} as {media_type}: {content}"
        );
    }

    let page = http::get(&server.url("/api/v1/docs"), &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let operation = format!("{} {path}", method.to_uppercase());
            assert!(page.body.contains(&operation), "the page lacks {operation}");
        }
    }
}

/// The schemathesis command beside the test interpreter (`scripts/test`'s virtualenv), else on PATH.
fn schemathesis() -> PathBuf {
    std::env::var("EVENTGRAPH_TEST_PYTHON")
        .map(|python| PathBuf::from(python).with_file_name("schemathesis"))
        .ok()
        .filter(|path| path.exists())
        .unwrap_or_else(|| PathBuf::from("schemathesis"))
}

#[test]
fn schemathesis_finds_no_server_error_and_no_response_contradicting_the_document() {
    let server = TestServer::memory();
    let output = Command::new(schemathesis())
        // Per-operation settings, each with the reason it exists.
        .arg("--config-file")
        .arg(repo_path("tests/schemathesis.toml"))
        .args(["run", &server.url("/api/v1/openapi.json")])
        .args(["--checks", "all", "--max-examples", "40", "--seed", "1"])
        .env("SCHEMATHESIS_HOOKS", "")
        // schemathesis keeps a cache in its working directory; keep it out of the checkout.
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run schemathesis ({e}); run the tests with scripts/test, which installs it"
            )
        });
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("generated"),
        "schemathesis ran no test case:\n{report}"
    );
}
