//! The graph explorer at `/`: its files over HTTP, and a person's walk through it in headless
//! Chromium (`tests/js/explorer.mjs`, playwright-core driving Debian's `chromium`).

use std::path::PathBuf;
use std::process::Command;

use crate::http;
use crate::server::{TestServer, repo_path};

/// Where the browser test keeps its screenshots: `EVENTGRAPH_TEST_ARTIFACTS/explorer`, else
/// `test-artifacts/explorer` in cargo's target directory.
fn artifacts() -> PathBuf {
    std::env::var_os("EVENTGRAPH_TEST_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
            PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .expect("the target directory")
                .join("test-artifacts")
        })
        .join("explorer")
}

#[test]
fn the_page_and_its_files_are_served_with_their_type_and_revalidated_by_etag() {
    let server = TestServer::memory();
    let page = http::get(&server.url("/"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(page.body.contains("<title>eventgraph explorer</title>"));
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");

    let cases = [
        (
            "/explorer/app.js",
            "text/javascript; charset=utf-8",
            "import",
        ),
        ("/explorer/app.css", "text/css; charset=utf-8", "#cy"),
        (
            "/explorer/vendor/cytoscape.min.js",
            "text/javascript; charset=utf-8",
            "cytoscape",
        ),
        (
            "/explorer/vendor/cytoscape-fcose.js",
            "text/javascript; charset=utf-8",
            "fcose",
        ),
        (
            "/explorer/vendor/yasgui.min.js",
            "text/javascript; charset=utf-8",
            "Yasgui",
        ),
        (
            "/explorer/vendor/yasgui.min.css",
            "text/css; charset=utf-8",
            ".yasqe",
        ),
    ];
    for (path, media_type, needle) in cases {
        let response = http::get(&server.url(path), &[]);
        assert_eq!(response.status, 200, "{path}: {}", response.body);
        assert_eq!(response.content_type, media_type, "{path}");
        assert!(response.body.contains(needle), "{path} lacks {needle:?}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
        let etag = response.header("etag").unwrap_or_else(|| panic!("{path}"));
        let again = http::get(&server.url(path), &[("If-None-Match", etag)]);
        assert_eq!(again.status, 304, "{path} with its ETag");
        assert!(again.body.is_empty(), "{path}: a 304 has no body");
    }

    for (case, response) in [
        (
            "an unknown file",
            http::get(&server.url("/explorer/missing.js"), &[]),
        ),
        (
            "a path outside the assets",
            http::get(&server.url("/explorer/../Cargo.toml"), &[]),
        ),
    ] {
        assert_eq!(response.status, 404, "{case}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{case}");
        assert_eq!(
            response.json()["type"],
            "https://w3id.org/eventgraph/problems/not-found",
            "{case}"
        );
    }
    let post = http::post(&server.url("/"), &[], "");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn a_person_searches_expands_reads_the_provenance_queries_and_downloads_in_chromium() {
    let server = TestServer::memory();
    let screenshots = artifacts();
    let script = repo_path("tests/js/explorer.mjs");
    assert!(
        repo_path("tests/js/node_modules/playwright-core").exists(),
        "tests/js/node_modules is missing: run `npm ci --ignore-scripts` in tests/js (scripts/test does)"
    );
    let output = Command::new("node")
        .arg(&script)
        .arg(&server.base)
        .arg(&screenshots)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run node ({e}); install Node.js, or run the tests with scripts/test")
        });
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{report}");
    println!("screenshots of each step: {}", screenshots.display());
    assert!(
        output.status.success(),
        "the browser test failed (screenshots in {}):\n{report}",
        screenshots.display()
    );
    assert!(report.contains("explorer test passed: 8 steps"), "{report}");
    for step in [
        "01-open",
        "02-search",
        "03-pick",
        "04-expand",
        "05-statement",
        "06-sparql",
        "07-download",
        "08-timeline",
    ] {
        let file = screenshots.join(format!("{step}.png"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{} is not a real screenshot",
            file.display()
        );
    }
}
