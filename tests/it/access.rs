//! Access: write tokens given as SHA-256 digests, several of them; read tokens for a private
//! deployment; `--read-only`; CORS origins; security headers; and no token in any log line.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use crate::http::{self, encode};
use crate::server::{TestServer, binary};

const FIRST: &str = "first-write-secret-81f3";
const SECOND: &str = "second-write-secret-c0de";
const READER: &str = "reader-secret-5e11";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A tokens file with two write tokens and one read token, as digests only.
fn tokens_file(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("tokens");
    std::fs::write(
        &path,
        format!(
            "# eventgraph tokens\nwrite {} alice\nwrite sha256:{} bob  # the build robot\n\nread {} dashboard\n",
            digest(FIRST),
            digest(SECOND),
            digest(READER)
        ),
    )
    .unwrap();
    path
}

fn update(server: &TestServer, token: Option<&str>, n: u32) -> http::Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/sparql-update")];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer));
    }
    http::post(
        &server.url("/sparql"),
        &headers,
        &format!("INSERT DATA {{ <urn:access:{n}> <urn:access:p> {n} }}"),
    )
}

fn read(server: &TestServer, path: &str, token: Option<&str>) -> http::Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .as_deref()
        .map(|b| vec![("Authorization", b)])
        .unwrap_or_default();
    http::get(&server.url(path), &headers)
}

#[test]
fn hashed_write_tokens_each_allow_writes_and_nothing_plain_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let file = tokens_file(&dir);
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(!on_disk.contains(FIRST) && !on_disk.contains(SECOND));
    let server = TestServer::start_with(
        &["--memory"],
        &["--tokens-file", file.to_str().unwrap()],
        &[],
    );
    assert_eq!(update(&server, Some(FIRST), 1).status, 204);
    assert_eq!(update(&server, Some(SECOND), 2).status, 204);
    for (token, why) in [
        (Some("wrong"), "an unknown token"),
        (Some(READER), "a read token"),
        (Some(&digest(FIRST)[..]), "the digest itself"),
        (None, "no token"),
    ] {
        let refused = update(&server, token, 3);
        assert_eq!(refused.status, 401, "{why}: {}", refused.body);
        assert_eq!(
            refused.json()["type"],
            "https://w3id.org/eventgraph/problems/unauthorized",
            "{why}"
        );
    }
}

#[test]
fn a_bad_tokens_file_stops_the_start_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens");
    std::fs::write(&file, format!("write {}\nwrite not-hex\n", digest(FIRST))).unwrap();
    let output = Command::new(binary())
        .args([
            "--memory",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--tokens-file",
        ])
        .arg(&file)
        .env("EVENTGRAPH_LOG", "warn")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("tokens:2"), "{message}");
}

#[test]
fn with_read_tokens_every_route_but_the_health_checks_the_explorer_and_the_docs_needs_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let file = tokens_file(&dir);
    let server = TestServer::start_with(
        &["--memory"],
        &["--tokens-file", file.to_str().unwrap()],
        &[],
    );
    let query = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    for path in [
        query.as_str(),
        "/api/v1/stats",
        "/api/v1/entities/Hamas",
        "/store?default",
        "/metrics",
    ] {
        let refused = read(&server, path, None);
        assert_eq!(
            refused.status, 401,
            "{path} without a token: {}",
            refused.body
        );
        assert_eq!(refused.content_type, "application/problem+json", "{path}");
        assert_eq!(read(&server, path, Some("wrong")).status, 401, "{path}");
        assert_eq!(
            read(&server, path, Some(READER)).status,
            200,
            "{path} with the read token"
        );
        assert_eq!(
            read(&server, path, Some(FIRST)).status,
            200,
            "{path} with a write token"
        );
    }
    // Open: the health checks, for orchestrators; the explorer's page and files, which a
    // browser loads without a bearer header and which hold no data (the page asks for the
    // token); the API's description, which the explorer links to.
    for path in [
        "/healthz",
        "/readyz",
        "/",
        "/explorer/app.js",
        "/explorer/vendor/cytoscape.min.js",
        "/api/v1/docs",
        "/api/v1/openapi.json",
    ] {
        assert_eq!(read(&server, path, None).status, 200, "{path} is open");
    }
    // A path that only looks like the explorer's reaches no data.
    let dotted = read(&server, "/explorer/../api/v1/stats", None);
    assert_eq!(dotted.status, 404, "{}", dotted.body);
    assert!(!dotted.body.contains("entities"), "{}", dotted.body);
    // Without read tokens, reads stay open.
    let open = TestServer::memory();
    assert_eq!(read(&open, "/api/v1/stats", None).status, 200);
}

#[test]
fn read_only_mode_refuses_every_write_naming_the_mode() {
    let server =
        TestServer::start_with(&["--memory"], &["--read-only", "--write-token", FIRST], &[]);
    let bearer = format!("Bearer {FIRST}");
    let auth = ("Authorization", bearer.as_str());
    let writes = [
        update(&server, Some(FIRST), 1),
        http::request(
            "PUT",
            &server.url("/store?graph=urn:g"),
            &[auth, ("Content-Type", "text/turtle")],
            Some("<urn:a> <urn:b> <urn:c> ."),
        ),
        http::request(
            "POST",
            &server.url("/api/v1/entities"),
            &[auth, ("Content-Type", "application/json")],
            Some(r#"{"label": "Read only", "types": ["Organisation"], "description": "x"}"#),
        ),
    ];
    for response in writes {
        assert_eq!(response.status, 403, "{}", response.body);
        let problem = response.json();
        assert_eq!(
            problem["type"], "https://w3id.org/eventgraph/problems/read-only",
            "{problem}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("read-only mode"),
            "{problem}"
        );
    }
    assert_eq!(read(&server, "/readyz", None).json()["read_only"], true);
    let query = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    assert_eq!(read(&server, &query, None).status, 200, "reads still work");
}

#[test]
fn answers_carry_the_security_headers_and_the_explorer_keeps_its_policy() {
    let server = TestServer::memory();
    for path in ["/api/v1/stats", "/no/such/path", "/"] {
        let response = read(&server, path, None);
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
    }
    let page = read(&server, "/", None);
    let policy = page.header("content-security-policy").unwrap();
    assert!(
        policy.contains("script-src 'self'"),
        "the explorer's own policy is kept: {policy}"
    );
    let api = read(&server, "/api/v1/stats", None);
    assert_eq!(
        api.header("content-security-policy"),
        Some("frame-ancestors 'none'")
    );
}

#[test]
fn cors_allows_only_the_configured_origins() {
    let server = TestServer::start_with(
        &["--memory"],
        &["--cors-origin", "https://allowed.example"],
        &[],
    );
    let preflight = |origin: &str| {
        http::request(
            "OPTIONS",
            &server.url("/sparql"),
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "authorization"),
            ],
            None,
        )
    };
    let allowed = preflight("https://allowed.example");
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://allowed.example"),
        "{}",
        allowed.status
    );
    let other = preflight("https://other.example");
    assert_eq!(other.header("access-control-allow-origin"), None);

    let open = TestServer::memory();
    let response = http::get(
        &open.url("/api/v1/stats"),
        &[("Origin", "https://anywhere.example")],
    );
    assert!(response.header("access-control-allow-origin").is_some());
}

/// Starts `serve --access-log` with info logging, standard output and error both into one
/// file; returns the server and the file.
pub fn logged_server(
    global: &[&str],
    serve: &[&str],
    env: &[(&str, &str)],
) -> (TestServer, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("eventgraph-log-")
        .tempdir()
        .unwrap()
        .keep();
    let log = dir.join("server.log");
    let mut child = Command::new(binary())
        .args(global)
        .args(["serve", "--bind", "127.0.0.1:0", "--access-log"])
        .args(serve)
        .envs(env.iter().copied())
        .env("EVENTGRAPH_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    std::fs::write(dir.join("stdout.log"), &line).unwrap();
    (TestServer::adopt(child, &line), log)
}

/// Stops a server from [`logged_server`] and returns all it wrote.
pub fn stopped_log(server: TestServer, log: &PathBuf) -> String {
    assert!(server.stop());
    let mut text = std::fs::read_to_string(log).unwrap();
    text.push_str(&std::fs::read_to_string(log.with_file_name("stdout.log")).unwrap());
    let _ = std::fs::remove_dir_all(log.parent().unwrap());
    text
}

#[test]
fn no_token_and_no_authorization_header_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let file = tokens_file(&dir);
    let (server, log) = logged_server(
        &["--memory"],
        &[
            "--tokens-file",
            file.to_str().unwrap(),
            "--write-token",
            "plain-write-secret-99",
        ],
        &[],
    );
    assert_eq!(update(&server, Some(FIRST), 1).status, 204);
    assert_eq!(
        update(&server, Some("plain-write-secret-99"), 2).status,
        204
    );
    assert_eq!(update(&server, Some("guessed-secret-0000"), 3).status, 401);
    assert_eq!(read(&server, "/api/v1/stats", Some(READER)).status, 200);
    assert_eq!(
        read(&server, "/api/v1/stats", Some("wrong-reader-secret")).status,
        401
    );
    let text = stopped_log(server, &log);
    assert!(
        text.lines()
            .filter(|l| l.contains("eventgraph::http"))
            .count()
            >= 5,
        "the access log is on, so the test can see what it logs: {text}"
    );
    for secret in [
        FIRST,
        SECOND,
        READER,
        "plain-write-secret-99",
        "guessed-secret-0000",
        "wrong-reader-secret",
    ] {
        assert!(!text.contains(secret), "{secret} is in the log:\n{text}");
    }
    assert!(
        !text.to_ascii_lowercase().contains("authorization"),
        "an Authorization header is in the log:\n{text}"
    );
    assert!(!text.contains("Bearer"), "{text}");
}
