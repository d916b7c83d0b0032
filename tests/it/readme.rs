//! The README's `curl` examples, run as written against a real server.
//!
//! Every shell block preceded by `<!-- expect: TEXT -->` runs in order, with
//! `http://127.0.0.1:7878` pointed at the test server, and must print TEXT.

use std::process::Command;

use crate::server::{TestServer, repo_path};

/// The token the README's write examples use.
const README_TOKEN: &str = "s3cret";

/// (expected text, script) for every checked block, in order.
fn checked_blocks(readme: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(expect) = line
            .trim()
            .strip_prefix("<!-- expect: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next().map(str::trim),
            Some("```sh"),
            "an expect comment must precede a ```sh block"
        );
        let script: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push((expect.to_owned(), script.join("\n")));
    }
    blocks
}

#[test]
fn every_curl_example_in_the_readme_prints_what_it_promises() {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let blocks = checked_blocks(&readme);
    assert!(
        blocks.len() >= 8,
        "the README's tour has its checked examples: {}",
        blocks.len()
    );
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", README_TOKEN)],
    );
    for (expect, script) in blocks {
        let script = script.replace("http://127.0.0.1:7878", &server.base);
        let expect = expect.replace("http://127.0.0.1:7878", &server.base);
        let output = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .output()
            .expect("bash and curl run the README examples");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{script}\nfailed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains(&expect),
            "{script}\nprinted:\n{stdout}\nwhich lacks {expect:?}"
        );
    }
}
