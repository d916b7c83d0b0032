//! Acknowledged writes survive `kill -9` at any moment and, with the default durability, the
//! loss of everything RocksDB had not synced (a power cut, simulated by emptying its
//! write-ahead logs after the kill); no write is ever half there afterwards.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::http::{self, column, sparql_json};
use crate::server::{DataDir, TestServer, WRITE_TOKEN};

const KILLS: usize = 22;
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const EG: &str = "https://w3id.org/eventgraph/ontology#";

/// A client whose requests fail instead of panicking when the server dies under them.
fn send(
    method: &str,
    url: &str,
    content_type: &str,
    body: &str,
) -> Result<(u16, String), ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("Authorization", format!("Bearer {WRITE_TOKEN}"))
        .header("Content-Type", content_type)
        .body(body.to_owned())
        .unwrap();
    let mut response = agent.run(request)?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_string()?))
}

/// What the clients were told was written.
#[derive(Default)]
struct Acknowledged {
    /// REST statements: (statement id, subject entity id, subject label).
    statements: Vec<(String, String, String)>,
    /// REST entities created, statement or not: (id, label).
    entities: Vec<(String, String)>,
    /// Numbers `n` whose SPARQL `INSERT DATA` of two triples about `<urn:kill:n>` was answered 204.
    inserted: Vec<u64>,
    /// The last value the counter was set to by an acknowledged `DELETE`/`INSERT`, and the
    /// value of the update in flight when the server died (it may or may not have committed).
    counter: Option<u64>,
    counter_in_flight: Option<u64>,
}

/// Streams writes at `base` until one fails (the server died) or `stop` is set; every
/// response is checked, so what is recorded was acknowledged.
fn stream_writes(base: &str, first: u64, stop: &AtomicBool, acked: &mut Acknowledged) -> u64 {
    let mut n = first;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let outcome = match n % 3 {
            0 => {
                let label = format!("Kill entity {n}");
                let entity = json!({"label": label, "types": ["Organisation"], "description": "A kill test."}).to_string();
                let Ok((status, body)) = send(
                    "POST",
                    &format!("{base}/api/v1/entities"),
                    "application/json",
                    &entity,
                ) else {
                    break;
                };
                assert_eq!(status, 201, "{body}");
                let id = parse(&body)["id"].as_str().unwrap().to_owned();
                acked.entities.push((id.clone(), label.clone()));
                let statement = json!({
                    "subject": id,
                    "predicate": "contactsVia",
                    "object": "Hamas",
                    "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
                    "speaker": "Sputnik Africa",
                    "date": "2023-11-01",
                    "quote": format!("kill test {n}")
                })
                .to_string();
                send(
                    "POST",
                    &format!("{base}/api/v1/statements"),
                    "application/json",
                    &statement,
                )
                .map(|(status, body)| {
                    assert_eq!(status, 201, "{body}");
                    let statement = parse(&body)["id"].as_str().unwrap().to_owned();
                    acked.statements.push((statement, id, label));
                })
            }
            1 => send(
                "POST",
                &format!("{base}/sparql"),
                "application/sparql-update",
                &format!(
                    "INSERT DATA {{ GRAPH <urn:kill:graph> {{ <urn:kill:{n}> <urn:kill:a> {n} ; <urn:kill:b> \"{n}\" }} }}"
                ),
            )
            .map(|(status, body)| {
                assert_eq!(status, 204, "{body}");
                acked.inserted.push(n);
            }),
            _ => {
                acked.counter_in_flight = Some(n);
                send(
                    "POST",
                    &format!("{base}/sparql"),
                    "application/sparql-update",
                    &format!(
                        "DELETE {{ GRAPH <urn:kill:graph> {{ <urn:kill:counter> <urn:kill:value> ?v }} }} INSERT {{ GRAPH <urn:kill:graph> {{ <urn:kill:counter> <urn:kill:value> {n} }} }} WHERE {{ OPTIONAL {{ GRAPH <urn:kill:graph> {{ <urn:kill:counter> <urn:kill:value> ?v }} }} }}"
                    ),
                )
                .map(|(status, body)| {
                    assert_eq!(status, 204, "{body}");
                    acked.counter = Some(n);
                    acked.counter_in_flight = None;
                })
            }
        };
        if outcome.is_err() {
            break;
        }
    }
    n
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// A small deterministic sequence of delays, so that a failure can be replayed.
fn delays() -> impl Iterator<Item = Duration> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Some(Duration::from_millis(50 + state % 700))
    })
}

/// Checks that every acknowledged write is in the store and none is half there.
fn assert_all_there(server: &TestServer, acked: &Acknowledged, round: usize) {
    let base = &server.base;
    let found: Vec<u64> = column(
        &sparql_json(
            base,
            "SELECT ?n WHERE { GRAPH <urn:kill:graph> { ?s <urn:kill:a> ?n } }",
        ),
        "n",
    )
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    for n in &acked.inserted {
        assert!(
            found.contains(n),
            "round {round}: the acknowledged INSERT DATA {n} is lost"
        );
    }
    let halves = sparql_json(
        base,
        "SELECT ?s WHERE { GRAPH <urn:kill:graph> { { ?s <urn:kill:a> ?n FILTER NOT EXISTS { ?s <urn:kill:b> ?m } } UNION { ?s <urn:kill:b> ?m FILTER NOT EXISTS { ?s <urn:kill:a> ?n } } } }",
    );
    assert!(
        column(&halves, "s").is_empty(),
        "round {round}: half an INSERT DATA: {halves}"
    );

    let counter: Vec<u64> = column(
        &sparql_json(
            base,
            "SELECT ?v WHERE { GRAPH <urn:kill:graph> { <urn:kill:counter> <urn:kill:value> ?v } }",
        ),
        "v",
    )
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    if let Some(last) = acked.counter {
        assert_eq!(
            counter.len(),
            1,
            "round {round}: a DELETE/INSERT half applied: counter values {counter:?}"
        );
        assert!(
            counter[0] == last || Some(counter[0]) == acked.counter_in_flight,
            "round {round}: the counter is {counter:?}, the last acknowledged value {last}"
        );
    }

    // A REST statement is a direct triple and a statement node in one transaction.
    let orphans = sparql_json(
        base,
        &format!(
            "SELECT ?x WHERE {{ {{ ?x <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o FILTER NOT EXISTS {{ ?s ?p ?o }} }} UNION {{ ?x <{EG}contactsVia> ?o ; <{LABEL}> ?l FILTER(STRSTARTS(STR(?l), \"Kill entity\")) FILTER NOT EXISTS {{ ?st <{RDF}subject> ?x ; <{RDF}predicate> <{EG}contactsVia> ; <{RDF}object> ?o }} }} }}"
        ),
    );
    assert!(
        column(&orphans, "x").is_empty(),
        "round {round}: a direct triple without its statement node, or the reverse: {orphans}"
    );
    for (id, label) in &acked.entities {
        let entity = http::get(&server.url(&format!("/api/v1/entities/{id}")), &[]);
        assert_eq!(
            entity.status, 200,
            "round {round}: the acknowledged entity {label} is lost: {}",
            entity.body
        );
    }
    for (statement, subject, label) in &acked.statements {
        let found = http::get(&server.url(&format!("/api/v1/statements/{statement}")), &[]);
        assert_eq!(
            found.status, 200,
            "round {round}: the acknowledged statement about {label} is lost: {}",
            found.body
        );
        let relations = http::get(
            &server.url(&format!(
                "/api/v1/entities/{subject}/relations?predicate=contactsVia"
            )),
            &[],
        );
        assert_eq!(relations.status, 200, "{}", relations.body);
        assert!(
            relations.body.contains("kill test") || relations.body.contains(statement.as_str()),
            "round {round}: the read models miss the statement about {label}: {}",
            relations.body
        );
    }
}

fn writable(data: &DataDir, serve_args: &[&str]) -> TestServer {
    let dir = data.path();
    TestServer::start_with(
        &["--data-dir", dir.to_str().unwrap()],
        serve_args,
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    )
}

#[test]
fn every_acknowledged_write_survives_kills_at_random_moments_and_none_is_half_written() {
    let data = DataDir::new();
    let mut acked = Acknowledged::default();
    let mut n = 0;
    let mut delays = delays();
    for round in 0..KILLS {
        let server = writable(&data, &[]);
        assert_all_there(&server, &acked, round);
        let stop = AtomicBool::new(false);
        let delay = delays.next().unwrap();
        let pid = server.pid();
        n = std::thread::scope(|scope| {
            let writer = scope.spawn(|| stream_writes(&server.base, n, &stop, &mut acked));
            std::thread::sleep(delay);
            // SIGKILL while the writer is mid-stream: a write may be cut at any point.
            let status = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .unwrap();
            assert!(status.success());
            stop.store(true, Ordering::Relaxed);
            writer.join().unwrap()
        });
        server.crash();
    }
    let written = acked.inserted.len() + acked.statements.len() + acked.entities.len();
    assert!(
        written >= KILLS * 3,
        "the writer got too few writes through: {written}"
    );
    eprintln!(
        "durability: {KILLS} kills, {written} acknowledged writes ({} SPARQL inserts, {} entities, {} statements, counter at {:?})",
        acked.inserted.len(),
        acked.entities.len(),
        acked.statements.len(),
        acked.counter
    );

    // After the last crash: every write there, and the read models the start-up built after
    // replaying the journal equal a build from the store.
    let server = writable(&data, &[]);
    assert_all_there(&server, &acked, KILLS);
    let after_crash = crate::live_writes::projection_lines(&server);
    assert!(server.stop());
    let rebuilt = writable(&data, &["--rebuild-read-models"]);
    assert_eq!(
        crate::live_writes::projection_lines(&rebuilt),
        after_crash,
        "the read models after the restart differ from the store's"
    );
}

/// Kills the server after `writes` acknowledged SPARQL inserts, then empties RocksDB's
/// write-ahead logs, as a power cut loses what was never synced; returns the inserts found
/// after a restart.
fn writes_left_after_a_simulated_power_cut(durability: &str, writes: u64) -> Vec<u64> {
    let data = DataDir::new();
    // Flushed and stopped once, so that the seed is in SST files, not in a log.
    assert!(writable(&data, &[]).stop());
    let dir = data.path();
    let server = TestServer::start_with(
        &[
            "--data-dir",
            dir.to_str().unwrap(),
            "--durability",
            durability,
        ],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    for n in 1..=writes {
        let (status, body) = send(
            "POST",
            &server.url("/sparql"),
            "application/sparql-update",
            &format!(
                "INSERT DATA {{ GRAPH <urn:kill:graph> {{ <urn:kill:{n}> <urn:kill:a> {n} ; <urn:kill:b> \"{n}\" }} }}"
            ),
        )
        .unwrap();
        assert_eq!(status, 204, "{body}");
    }
    server.crash();
    let mut emptied = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(0)
                .unwrap();
            emptied += 1;
        }
    }
    assert!(emptied > 0, "no write-ahead log in {}", dir.display());
    let server = writable(&data, &[]);
    let mut found: Vec<u64> = column(
        &sparql_json(
            &server.base,
            "SELECT ?n WHERE { GRAPH <urn:kill:graph> { ?s <urn:kill:a> ?n ; <urn:kill:b> ?m } }",
        ),
        "n",
    )
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    found.sort_unstable();
    found
}

#[test]
fn with_the_default_durability_acknowledged_writes_survive_the_loss_of_the_unsynced_log() {
    let kept = writes_left_after_a_simulated_power_cut("sync", 30);
    assert_eq!(kept, (1..=30).collect::<Vec<_>>());
}

#[test]
fn with_process_durability_the_unsynced_log_is_all_there_is() {
    // The contrast that shows the journal is what keeps them: without it, emptying the
    // write-ahead logs loses the writes acknowledged since the last flush.
    let kept = writes_left_after_a_simulated_power_cut("process", 30);
    assert!(
        kept.len() < 30,
        "process durability kept everything: the simulated power cut lost nothing ({kept:?})"
    );
}
