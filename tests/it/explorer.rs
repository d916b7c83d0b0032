//! The graph explorer at `/`: its files over HTTP, and a person's walk through it in headless
//! Chromium (`tests/js/explorer.mjs`, playwright-core driving Debian's `chromium`), on the
//! seed, on the seed plus a second source and a denial with the provenance filters (several
//! at once, kept in the page's URL), the time slider and a path's evidence chain
//! (`tests/js/explorer_provenance.mjs`), on a generated graph with a hub
//! of more than 20,000 relations (`tests/js/explorer_hub.mjs`) and on a private server, whose
//! token the page asks for (`tests/js/explorer_private.mjs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::access::{logged_server, stopped_log};
use crate::http;
use crate::provenance::{DENIAL, SECOND, seed_plus};
use crate::server::{DataDir, TestServer, repo_path};

/// Where a browser test keeps its screenshots: `EVENTGRAPH_TEST_ARTIFACTS/NAME`, else
/// `test-artifacts/NAME` in cargo's target directory.
fn artifacts(name: &str) -> PathBuf {
    std::env::var_os("EVENTGRAPH_TEST_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
            PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .expect("the target directory")
                .join("test-artifacts")
        })
        .join(name)
}

/// Runs `node tests/js/SCRIPT BASE SCREENSHOTS ARGS...` and returns its report, failing the test
/// when the script fails.
fn run_browser_script(
    script: &str,
    server: &TestServer,
    screenshots: &Path,
    args: &[&str],
) -> String {
    assert!(
        repo_path("tests/js/node_modules/playwright-core").exists(),
        "tests/js/node_modules is missing: run `npm ci --ignore-scripts` in tests/js (scripts/test does)"
    );
    let output = Command::new("node")
        .arg(repo_path(&format!("tests/js/{script}")))
        .arg(&server.base)
        .arg(screenshots)
        .args(args)
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
    report
}

/// Asserts that each step left a real screenshot.
fn assert_screenshots(screenshots: &Path, steps: &[&str]) {
    for step in steps {
        let file = screenshots.join(format!("{step}.png"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{} is not a real screenshot",
            file.display()
        );
    }
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
    let screenshots = artifacts("explorer");
    let report = run_browser_script("explorer.mjs", &server, &screenshots, &[]);
    assert!(report.contains("explorer test passed: 9 steps"), "{report}");
    assert_screenshots(
        &screenshots,
        &[
            "01-open",
            "02-search",
            "03-pick",
            "04-expand",
            "05-statement",
            "06-sparql",
            "07-download",
            "08-timeline",
            "09-sources",
        ],
    );
}

#[test]
fn filters_the_time_slider_and_a_paths_evidence_chain_show_what_the_api_answers_in_chromium() {
    let server = seed_plus(&[SECOND, DENIAL]);
    let screenshots = artifacts("explorer-provenance");
    let report = run_browser_script("explorer_provenance.mjs", &server, &screenshots, &[]);
    assert!(
        report.contains("explorer provenance test passed: 19 steps"),
        "{report}"
    );
    assert_screenshots(
        &screenshots,
        &[
            "01-open",
            "02-expand",
            "03-said-by",
            "04-min-sources",
            "05-publisher-confirmed",
            "06-two-speakers",
            "07-exclude-source",
            "08-modality-denied",
            "09-event-window",
            "10-path",
            "11-as-of-before",
            "12-as-of-article",
            "13-play",
            "14-every-day",
            "15-contested",
            "16-contested-as-of",
            "17-url-round-trip",
            "18-url-invalid",
            "19-hash-edit",
        ],
    );
}

#[test]
fn a_hub_of_20000_relations_shows_its_counts_and_opens_a_page_at_a_time_in_chromium() {
    let graph = eventgraph::graph::generate::generate_with_hub(31, 6000, 6000, 20_000);
    assert!(graph.hub_relations >= 20_000, "{}", graph.hub_relations);
    let (_, label) = graph.hub.clone().unwrap();
    let data = DataDir::loaded(&graph.quads);
    drop(graph);
    let server = TestServer::on(&data);
    let screenshots = artifacts("explorer-hub");
    let report = run_browser_script("explorer_hub.mjs", &server, &screenshots, &[&label]);
    assert!(
        report.contains("explorer hub test passed: 6 steps"),
        "{report}"
    );
    assert_screenshots(
        &screenshots,
        &[
            "01-open",
            "02-pick",
            "03-expand",
            "04-open-predicate",
            "05-next-page",
            "06-another-predicate",
        ],
    );
}

#[test]
fn on_a_private_server_the_explorer_asks_for_the_token_then_shows_the_seed_in_chromium() {
    const TOKEN: &str = "explorer-reader-secret-7a2c";
    let (server, log) = logged_server(&["--memory"], &[], &[("EVENTGRAPH_READ_TOKEN", TOKEN)]);
    let screenshots = artifacts("explorer-private");
    let report = run_browser_script("explorer_private.mjs", &server, &screenshots, &[TOKEN]);
    assert!(
        report.contains("explorer private test passed: 6 steps"),
        "{report}"
    );
    assert_screenshots(
        &screenshots,
        &[
            "01-open",
            "02-wrong-token",
            "03-token",
            "04-event",
            "05-sparql",
            "06-reload",
        ],
    );
    let text = stopped_log(server, &log);
    assert!(!text.contains(TOKEN), "the token is in the log:\n{text}");
}
