//! Writes from concurrent clients on a generated graph: each is seen by the read that follows
//! it, none causes a full rebuild, and afterwards the read models equal a fresh build.

use std::io::Write;
use std::process::Command;

use serde_json::{Value, json};

use crate::http::{self, encode, encode_path};
use crate::server::{DataDir, TestServer, WRITE_TOKEN, binary};

const CLIENTS: usize = 4;
const WRITES_PER_CLIENT: usize = 25;
const HAMAS: &str = "https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df";
const EG: &str = "https://w3id.org/eventgraph/ontology#";

fn bearer() -> String {
    format!("Bearer {WRITE_TOKEN}")
}

fn rest(server: &TestServer, method: &str, path: &str, body: Option<Value>) -> http::Response {
    let bearer = bearer();
    let text = body.map(|b| b.to_string());
    http::request(
        method,
        &server.url(path),
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
        ],
        text.as_deref(),
    )
}

fn sparql_update(server: &TestServer, update: &str) {
    let bearer = bearer();
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &bearer),
        ],
        update,
    );
    assert_eq!(response.status, 204, "{update}: {}", response.body);
}

fn get(server: &TestServer, path: &str) -> http::Response {
    http::get(&server.url(path), &[])
}

/// The labels of the exact matches of a search.
fn exact_matches(server: &TestServer, name: &str) -> Vec<String> {
    let page = get(
        server,
        &format!("/api/v1/entities?q={}&limit=50", encode(name)),
    )
    .json();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["match"] == "exact")
        .map(|item| item["label"].as_str().unwrap().to_owned())
        .collect()
}

/// The IRIs of the entities at the other end of an entity's relations with `predicate`.
fn related(server: &TestServer, key: &str, predicate: &str) -> Vec<String> {
    let response = get(
        server,
        &format!(
            "/api/v1/entities/{}/relations?predicate={predicate}&limit=1000",
            encode_path(key)
        ),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entity"]["iri"].as_str().unwrap().to_owned())
        .collect()
}

/// What one client remembers between its writes.
#[derive(Default)]
struct Client {
    /// The entity it created over REST and has not deleted yet: (id, label).
    entity: Option<(String, String)>,
    /// The statement it created over REST and has not deleted yet.
    statement: Option<String>,
    /// The entity it inserted with SPARQL: (IRI, label).
    inserted: Option<(String, String)>,
    /// The graph it put with the Graph Store Protocol, and the entity in it.
    graph: Option<(String, String)>,
}

/// One write of kind `step % 9`, then the read that must see it.
fn write_then_read(server: &TestServer, client: &mut Client, name: &str, step: usize) {
    match step % 9 {
        0 => {
            let created = rest(
                server,
                "POST",
                "/api/v1/entities",
                Some(
                    json!({"label": name, "types": ["Organisation"], "description": "A live test."}),
                ),
            );
            assert_eq!(created.status, 201, "{}", created.body);
            let id = created.json()["id"].as_str().unwrap().to_owned();
            assert_eq!(exact_matches(server, name), [name], "search sees {name}");
            client.entity = Some((id, name.to_owned()));
        }
        1 => {
            let (id, _) = client.entity.clone().unwrap();
            let renamed = format!("{name} renamed");
            let changed = rest(
                server,
                "PATCH",
                &format!("/api/v1/entities/{id}"),
                Some(json!({"label": renamed})),
            );
            assert_eq!(changed.status, 200, "{}", changed.body);
            assert_eq!(
                exact_matches(server, &renamed),
                std::slice::from_ref(&renamed)
            );
            client.entity = Some((id, renamed));
        }
        2 => {
            let (id, _) = client.entity.clone().unwrap();
            let created = rest(
                server,
                "POST",
                "/api/v1/statements",
                Some(json!({
                    "subject": id,
                    "predicate": "contactsVia",
                    "object": "Hamas",
                    "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
                    "speaker": "Sputnik Africa",
                    "date": "2023-11-01",
                    "quote": "a live test"
                })),
            );
            assert_eq!(created.status, 201, "{}", created.body);
            client.statement = Some(created.json()["id"].as_str().unwrap().to_owned());
            assert!(related(server, &id, "contactsVia").contains(&HAMAS.to_owned()));
        }
        3 => {
            let (id, _) = client.entity.clone().unwrap();
            let statement = client.statement.take().unwrap();
            let deleted = rest(
                server,
                "DELETE",
                &format!("/api/v1/statements/{statement}"),
                None,
            );
            assert_eq!(deleted.status, 204, "{}", deleted.body);
            assert!(!related(server, &id, "contactsVia").contains(&HAMAS.to_owned()));
        }
        4 => {
            let iri = format!(
                "https://w3id.org/eventgraph/id/{}",
                eventgraph::model::EntityId::from_canonical_name(name)
            );
            sparql_update(
                server,
                &format!(
                    "INSERT DATA {{ GRAPH <https://example.org/live> {{ <{iri}> a <{EG}Organisation> ; <http://www.w3.org/2000/01/rdf-schema#label> \"{name}\"@en ; <{EG}partOf> <{HAMAS}> }} }}"
                ),
            );
            assert_eq!(exact_matches(server, name), [name]);
            assert!(related(server, name, "partOf").contains(&HAMAS.to_owned()));
            client.inserted = Some((iri, name.to_owned()));
        }
        5 => {
            let (iri, _) = client.inserted.clone().unwrap();
            let moved = format!("{name} moved");
            sparql_update(
                server,
                &format!(
                    "DELETE {{ GRAPH ?g {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }} INSERT {{ GRAPH ?g {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> \"{moved}\"@en }} }} WHERE {{ GRAPH ?g {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} FILTER(?s = <{iri}>) }}"
                ),
            );
            assert_eq!(exact_matches(server, &moved), std::slice::from_ref(&moved));
            client.inserted = Some((iri, moved));
        }
        6 => {
            let graph = format!("https://example.org/live/{}", encode_path(name));
            let iri = format!(
                "https://w3id.org/eventgraph/id/{}",
                eventgraph::model::EntityId::from_canonical_name(name)
            );
            let bearer = bearer();
            let put = http::request(
                "PUT",
                &server.url(&format!("/store?graph={}", encode(&graph))),
                &[("Authorization", &bearer), ("Content-Type", "text/turtle")],
                Some(&format!(
                    "<{iri}> a <{EG}Organisation> ; <http://www.w3.org/2000/01/rdf-schema#label> \"{name}\"@en ; <{EG}contactsVia> <{HAMAS}> ."
                )),
            );
            assert_eq!(put.status, 201, "{}", put.body);
            assert!(related(server, name, "contactsVia").contains(&HAMAS.to_owned()));
            client.graph = Some((graph, name.to_owned()));
        }
        7 => {
            let (graph, label) = client.graph.take().unwrap();
            let bearer = bearer();
            let deleted = http::request(
                "DELETE",
                &server.url(&format!("/store?graph={}", encode(&graph))),
                &[("Authorization", &bearer)],
                None,
            );
            assert_eq!(deleted.status, 204, "{}", deleted.body);
            assert!(exact_matches(server, &label).is_empty(), "{label} is gone");
        }
        _ => {
            let (id, label) = client.entity.take().unwrap();
            let deleted = rest(server, "DELETE", &format!("/api/v1/entities/{id}"), None);
            assert_eq!(deleted.status, 204, "{}", deleted.body);
            assert_eq!(get(server, &format!("/api/v1/entities/{id}")).status, 404);
            assert!(exact_matches(server, &label).is_empty(), "{label} is gone");
        }
    }
}

/// Every node and edge of the projection as the CSV exports list them, sorted, without the
/// edge ids (`e123`): those number edges in the order the projection came to hold them, which
/// differs between a refreshed and a rebuilt projection, when nothing else may.
pub(crate) fn projection_lines(server: &TestServer) -> Vec<String> {
    let mut seen = Vec::new();
    for format in ["csv-nodes", "csv-edges"] {
        let export = get(
            server,
            &format!("/api/v1/export?format={format}&provenance=false"),
        );
        assert_eq!(export.status, 200, "{}", export.body);
        let is_edge_id = |field: &str| {
            field.len() > 1
                && field.starts_with('e')
                && field[1..].bytes().all(|b| b.is_ascii_digit())
        };
        let mut lines: Vec<String> = export
            .body
            .lines()
            .map(|line| {
                line.split(',')
                    .filter(|field| !is_edge_id(field))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        lines.sort();
        seen.extend(lines);
    }
    seen
}

/// What the read models show: every node and edge of the projection (from the exports, which
/// read them), and a few searches.
fn read_models(server: &TestServer) -> Vec<String> {
    let mut seen = Vec::new();
    seen.extend(projection_lines(server));
    for query in ["live", "Live t1", "generated", "Hamas", "state 1", "ttack"] {
        let page = get(
            server,
            &format!("/api/v1/entities?q={}&limit=1000", encode(query)),
        )
        .json();
        seen.push(format!("{query}: {} {}", page["total"], page["items"]));
    }
    seen
}

#[test]
fn concurrent_writes_are_each_seen_by_the_next_read_and_leave_the_read_models_as_a_fresh_build() {
    let data = DataDir::new();
    let dir = tempfile::tempdir().unwrap();
    let quads = eventgraph::graph::generate::generate(11, 4_000, 15_000);
    assert!(quads.len() >= 200_000, "{} quads", quads.len());
    let file = dir.path().join("generated.nq");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    for quad in &quads {
        writeln!(out, "{quad} .").unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let output = Command::new(binary())
        .arg("--data-dir")
        .arg(data.path())
        .arg("load")
        .arg(&file)
        .env("EVENTGRAPH_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir_arg = data.path();
    let global = ["--data-dir", dir_arg.to_str().unwrap()];
    let env = [("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)];
    let server = TestServer::start_with(&global, &[], &env);

    std::thread::scope(|scope| {
        for t in 0..CLIENTS {
            let server = &server;
            scope.spawn(move || {
                let mut client = Client::default();
                for step in 0..WRITES_PER_CLIENT {
                    let name = format!("Live t{t} s{step}");
                    write_then_read(server, &mut client, &name, step);
                }
            });
        }
    });

    let stats = get(&server, "/api/v1/stats").json();
    let counters = &stats["read_models"];
    assert_eq!(
        counters["full_builds"], 1,
        "only the start-up built the read models: {stats}"
    );
    assert_eq!(
        counters["incremental_writes"],
        (CLIENTS * WRITES_PER_CLIENT) as u64,
        "{stats}"
    );
    assert_eq!(
        counters["generation"], counters["written_generation"],
        "{stats}"
    );
    let live = read_models(&server);
    assert!(server.stop(), "the server stops cleanly");

    // Not from the read models the first server saved at its shutdown: from the store.
    let fresh_server = TestServer::start_with(&global, &["--rebuild-read-models"], &env);
    let rebuilt = get(&fresh_server, "/api/v1/stats").json();
    assert_eq!(rebuilt["read_models"]["full_builds"], 1, "{rebuilt}");
    let fresh = read_models(&fresh_server);
    assert_eq!(live.len(), fresh.len());
    for (live, fresh) in live.iter().zip(&fresh) {
        assert_eq!(
            live, fresh,
            "the live read models differ from a fresh build"
        );
    }
}
