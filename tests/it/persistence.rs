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

/// The read models as the REST API shows them: every node and edge, and what stats says.
fn read_models(server: &TestServer) -> (Vec<String>, serde_json::Value) {
    let mut seen = crate::live_writes::projection_lines(server);
    let search = http::get(&server.url("/api/v1/entities?q=qat&limit=100"), &[]).json();
    seen.push(search.to_string());
    let stats = http::get(&server.url("/api/v1/stats"), &[]).json();
    (seen, stats["read_models"].clone())
}

#[test]
fn a_clean_restart_loads_the_read_models_saved_beside_the_store_and_any_change_rebuilds_them() {
    let data = DataDir::new();
    let dir = data.path();
    let env = [("EVENTGRAPH_WRITE_TOKEN", crate::server::WRITE_TOKEN)];
    let global = ["--data-dir", dir.to_str().unwrap()];
    let server = TestServer::start_with(&global, &[], &env);
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            (
                "Authorization",
                &format!("Bearer {}", crate::server::WRITE_TOKEN),
            ),
        ],
        "INSERT DATA { GRAPH <https://example.org/g> { <https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df> <https://w3id.org/eventgraph/ontology#partOf> <https://w3id.org/eventgraph/id/3b1f0c8e-6a7d-5e7b-9a1e-2f4a6c8e0b1d> } }",
    );
    assert_eq!(response.status, 204, "{}", response.body);
    let (before, counters) = read_models(&server);
    assert_eq!(counters["full_builds"], 1, "{counters}");
    assert!(server.stop(), "serve must exit cleanly on SIGTERM");
    assert!(dir.join("read-models.snapshot").exists());

    let restarted = TestServer::start_with(&global, &[], &env);
    let (after, counters) = read_models(&restarted);
    assert_eq!(counters["full_builds"], 0, "loaded, not built: {counters}");
    assert_eq!(
        counters["generation"], 1,
        "the generation goes on: {counters}"
    );
    assert_eq!(after, before, "the loaded read models are the saved ones");
    restarted.crash();

    // Killed, the server saved nothing; opening the store changed its files: rebuilt.
    let after_crash = TestServer::start_with(&global, &[], &env);
    let (rebuilt, counters) = read_models(&after_crash);
    assert_eq!(counters["full_builds"], 1, "{counters}");
    assert_eq!(rebuilt, before);
    assert!(after_crash.stop());

    // A load with the server stopped changes the store: the saved read models are not used.
    let extra = repo_path("tests/fixtures/extra.ttl");
    let output = data.run(&["load", extra.to_str().unwrap()]);
    assert!(output.status.success());
    let after_load = TestServer::start_with(&global, &[], &env);
    let (_, counters) = read_models(&after_load);
    assert_eq!(counters["full_builds"], 1, "{counters}");
}
