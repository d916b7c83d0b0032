//! A store on disk keeps every quad across a clean stop, a load and a crash.

use crate::http::{self, encode};
use crate::server::{DataDir, TestServer, repo_path};

/// Every quad of the store, as sorted TSV rows read over HTTP.
fn all_quads(server: &TestServer) -> Vec<String> {
    let query = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";
    let response = http::get(
        &server.url(&format!(
            "/sparql?union-default-graph=false&query={}",
            encode(query)
        )),
        &[("Accept", "text/tab-separated-values")],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let mut rows: Vec<String> = response.body.lines().skip(1).map(str::to_owned).collect();
    rows.sort();
    rows
}

#[test]
fn stopping_and_restarting_serve_keeps_every_triple() {
    let data = DataDir::new();
    let server = TestServer::on(&data);
    let seeded = all_quads(&server);
    assert!(seeded.len() > 500, "{}", seeded.len());
    assert!(server.stop(), "serve must exit cleanly on SIGTERM");

    let restarted = TestServer::on(&data);
    assert_eq!(
        all_quads(&restarted),
        seeded,
        "a restart must neither lose nor re-seed quads"
    );
    assert!(restarted.stop());

    let extra = repo_path("tests/fixtures/extra.ttl");
    let output = data.run(&["load", extra.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let with_extra = TestServer::on(&data);
    let quads = all_quads(&with_extra);
    assert_eq!(quads.len(), seeded.len() + 2);
    assert!(quads.iter().any(|row| row.contains("An extra observer")));
    assert!(with_extra.stop());

    let again = TestServer::on(&data);
    assert_eq!(all_quads(&again), quads);
}

#[test]
fn a_killed_server_loses_nothing_it_had_written() {
    let data = DataDir::new();
    let server = TestServer::on(&data);
    let seeded = all_quads(&server);
    server.crash();

    let restarted = TestServer::on(&data);
    assert_eq!(all_quads(&restarted), seeded);
}

#[test]
fn a_second_process_cannot_open_a_store_in_use() {
    let data = DataDir::new();
    let _server = TestServer::on(&data);
    let output = data.run(&["query", "ASK {}"]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("cannot open the store in"), "{message}");
}

#[test]
fn an_acknowledged_update_survives_a_kill() {
    let data = DataDir::new();
    let dir = data.path();
    let env = [("EVENTGRAPH_WRITE_TOKEN", crate::server::WRITE_TOKEN)];
    let server = TestServer::start_with(&["--data-dir", dir.to_str().unwrap()], &[], &env);
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            (
                "Authorization",
                &format!("Bearer {}", crate::server::WRITE_TOKEN),
            ),
        ],
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> \"kept\" } }",
    );
    assert_eq!(response.status, 204, "{}", response.body);
    server.crash();

    let restarted = TestServer::on(&data);
    let quads = all_quads(&restarted);
    assert!(
        quads.iter().any(|row| row.contains("\"kept\"")),
        "the acknowledged write is lost after SIGKILL"
    );
}
