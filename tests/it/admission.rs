//! Admission of expensive requests: a flood of slow SPARQL queries, traversals and exports is
//! answered `503 server-busy` with `Retry-After` beyond the permits, while lookups of
//! relations keep answering, and the permits come back once the slow work has stopped.

use std::time::{Duration, Instant};

use crate::http::{self, encode};
use crate::server::TestServer;

const SLOW: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

#[test]
fn a_flood_of_expensive_requests_is_refused_beyond_the_permits_and_lookups_keep_answering() {
    let server = TestServer::start_with(
        &["--memory"],
        &[
            "--max-expensive-requests",
            "1",
            "--max-waiting-requests",
            "1",
            "--max-admission-wait",
            "0.5",
            "--query-timeout",
            "3",
        ],
        &[],
    );
    let slow = server.url(&format!("/sparql?query={}", encode(SLOW)));
    let flood: Vec<_> = (0..6)
        .map(|i| {
            let url = slow.clone();
            std::thread::spawn(move || {
                // The first takes the permit; the others arrive while it runs.
                std::thread::sleep(Duration::from_millis(if i == 0 { 0 } else { 300 }));
                http::get(&url, &[])
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(600));
    // Traversals and exports take permits too: refused while the slow query holds the one.
    let traversal = http::get(
        &server.url("/api/v1/entities/Hamas/neighborhood?depth=2"),
        &[],
    );
    let export = http::get(&server.url("/api/v1/export?format=graphml"), &[]);
    // Lookups take none.
    let mut lookups = Vec::new();
    for _ in 0..20 {
        let response = http::get(&server.url("/api/v1/entities/Hamas/relations?limit=5"), &[]);
        lookups.push(response.status);
    }
    assert!(
        lookups.iter().all(|&s| s == 200),
        "every lookup answers while the flood runs: {lookups:?}"
    );

    let answers: Vec<http::Response> = flood.into_iter().map(|t| t.join().unwrap()).collect();
    let mut busy = 0;
    for response in answers.iter().chain([&traversal, &export]) {
        assert_eq!(response.status, 503, "{}", response.body);
        let problem = response.json();
        let kind = problem["type"].as_str().unwrap();
        if kind.ends_with("/server-busy") {
            busy += 1;
            assert_eq!(response.header("retry-after"), Some("1"));
            assert!(
                response
                    .header("content-type")
                    .unwrap()
                    .starts_with("application/problem+json")
            );
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("--max-expensive-requests"),
                "{problem}"
            );
        } else {
            assert!(kind.ends_with("/query-timeout"), "{problem}");
        }
    }
    // One query ran to its limit; at most one more waited its turn and got it (then reached
    // the limit too); the rest, the traversal and the export were refused.
    assert!(busy >= 6, "{busy} of 8 refused as busy");

    // Once the slow queries stopped, the permit is free again.
    let started = Instant::now();
    loop {
        let response = http::get(
            &server.url(&format!("/sparql?query={}", encode("ASK {}"))),
            &[],
        );
        if response.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the permit never came back: {} {}",
            response.status,
            response.body
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let neighbourhood = http::get(
        &server.url("/api/v1/entities/Hamas/neighborhood?depth=1"),
        &[],
    );
    assert_eq!(neighbourhood.status, 200, "{}", neighbourhood.body);
}
