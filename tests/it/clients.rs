//! Real SPARQL clients against the real server: Python's SPARQLWrapper and rdflib.

use std::process::Command;

use crate::server::{TestServer, WRITE_TOKEN, repo_path};

/// The Python interpreter with the test packages: the one `scripts/test` prepared, else `python3`.
pub fn python() -> String {
    std::env::var("EVENTGRAPH_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

#[test]
fn sparqlwrapper_and_rdflib_read_every_format_and_write_with_the_token() {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    let output = Command::new(python())
        .arg(repo_path("tests/python/sparql_clients.py"))
        .arg(&server.base)
        .arg(WRITE_TOKEN)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); run the tests with scripts/test",
                python()
            )
        });
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the Python clients failed:\n{report}"
    );
    assert!(report.contains("13 passed, 0 failed"), "{report}");
}
