//! Provenance filters over HTTP on the seed, and on the seed plus a second source document
//! of another publisher (`tests/fixtures/provenance/second-source.ttl`), written through the
//! Graph Store protocol (the incremental refresh) and read again after a restart (the saved
//! or rebuilt read models).

use serde_json::Value;

use crate::http::{self, encode, encode_path};
use crate::server::{DataDir, TestServer, WRITE_TOKEN, repo_path};

const SECOND_SOURCE: &str = "https://w3id.org/eventgraph/id/5e0c0b1e-0000-5000-8000-000000000001";

/// Writes the second source document (`tests/fixtures/provenance/second-source.ttl`) into its
/// named graph through the Graph Store protocol, on a server started with [`WRITE_TOKEN`].
pub fn put_second_source(server: &TestServer) {
    let body =
        std::fs::read_to_string(repo_path("tests/fixtures/provenance/second-source.ttl")).unwrap();
    let put = http::request(
        "PUT",
        &server.url(&format!("/store?graph={}", encode(SECOND_SOURCE))),
        &[
            ("Content-Type", "text/turtle"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        Some(&body),
    );
    assert!(put.status == 201 || put.status == 204, "{}", put.body);
}

fn get_json(server: &TestServer, path: &str) -> Value {
    let response = http::get(&server.url(path), &[]);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    response.json()
}

/// The (subject label, predicate label, object label) of a neighbourhood's edges, sorted.
fn edges(server: &TestServer, entity: &str, query: &str) -> Vec<(String, String, String)> {
    let view = get_json(
        server,
        &format!(
            "/api/v1/entities/{}/neighborhood?{query}",
            encode_path(entity)
        ),
    );
    let label = |iri: &str| -> String {
        view["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["iri"] == iri)
            .map(|n| n["label"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let mut edges: Vec<(String, String, String)> = view["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                label(e["source"].as_str().unwrap()),
                e["predicate"]["label"].as_str().unwrap().to_owned(),
                label(e["target"].as_str().unwrap()),
            )
        })
        .collect();
    edges.sort();
    edges
}

fn paths(server: &TestServer, query: &str) -> Vec<Value> {
    get_json(
        server,
        &format!("/api/v1/paths?from=United%20States&to=Hamas&k=3&{query}"),
    )["paths"]
        .as_array()
        .unwrap()
        .clone()
}

fn triple(s: &str, p: &str, o: &str) -> (String, String, String) {
    (s.to_owned(), p.to_owned(), o.to_owned())
}

#[test]
fn said_by_the_russian_foreign_ministry_the_path_is_the_confirmed_contact_and_as_of_october_30_there_is_none()
 {
    let server = TestServer::memory();
    let ministry = encode("Russian Foreign Ministry");
    for query in [
        format!("said_by={ministry}"),
        format!("said_by={ministry}&confirmed=true"),
    ] {
        let found = paths(&server, &query);
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        let step = &found[0]["steps"][0];
        assert_eq!(found[0]["length"], 1, "{query}");
        assert_eq!(step["predicate"]["label"], "contactsVia", "{query}");
        let quotes: Vec<&str> = step["statements"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["quote"].as_str())
            .collect();
        assert!(quotes.contains(&"This is true"), "{query}: {quotes:?}");
    }
    assert!(
        paths(&server, "as_of=2023-10-30").is_empty(),
        "every statement on the way is of 2023-10-31"
    );
    assert_eq!(
        paths(&server, "as_of=2023-10-31").len(),
        3,
        "the article's day"
    );
    assert!(
        paths(&server, "modality=Possible").is_empty(),
        "the seed asserts all"
    );
    assert!(
        paths(&server, "min_sources=2").is_empty(),
        "the seed has one publisher"
    );
    let unfiltered = http::get(
        &server.url("/api/v1/paths?from=United%20States&to=Hamas&k=3"),
        &[],
    );
    let empty_values = http::get(
        &server.url("/api/v1/paths?from=United%20States&to=Hamas&k=3&said_by=&as_of="),
        &[],
    );
    assert_eq!(
        unfiltered.body, empty_values.body,
        "empty values ask nothing"
    );

    // The same filter in every traversal.
    let contact = vec![triple("United States", "contactsVia", "Hamas")];
    assert_eq!(
        edges(&server, "United States", &format!("said_by={ministry}")),
        contact
    );
    let relations = get_json(
        &server,
        &format!("/api/v1/entities/United%20States/relations?said_by={ministry}"),
    );
    assert_eq!(relations["total"], 1, "{relations}");
    assert_eq!(
        relations["relations"][0]["predicate"]["iri"],
        "https://w3id.org/eventgraph/ontology#contactsVia"
    );
    let ranked = get_json(
        &server,
        &format!("/api/v1/rankings?metric=degree&limit=3&said_by={ministry}"),
    );
    let scores: Vec<f64> = ranked["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["score"].as_f64().unwrap())
        .collect();
    assert_eq!(
        scores[0], 1.0,
        "one relation said by the ministry: {ranked}"
    );
    let export = http::get(
        &server.url(&format!(
            "/api/v1/export?format=csv-edges&said_by={ministry}"
        )),
        &[],
    );
    assert_eq!(export.status, 200, "{}", export.body);
    assert_eq!(
        export.body.lines().count(),
        2,
        "a header and the contact: {}",
        export.body
    );
}

#[test]
fn bad_filter_values_are_refused_naming_the_parameter() {
    let server = TestServer::memory();
    for (query, status, field) in [
        ("min_sources=0", 400, "min_sources"),
        ("min_sources=many", 400, "min_sources"),
        ("confirmed=perhaps", 400, "confirmed"),
        ("as_of=2023-02-30", 400, "as_of"),
        ("event_from=yesterday", 400, "event_from"),
        ("modality=Certain", 400, "modality"),
        ("said_by=Nobody%20at%20all", 404, "said_by"),
        ("source=No%20such%20paper", 404, "source"),
    ] {
        for path in [
            format!("/api/v1/paths?from=United%20States&to=Hamas&{query}"),
            format!("/api/v1/entities/Hamas/neighborhood?{query}"),
            format!("/api/v1/entities/Hamas/relations?{query}"),
            format!("/api/v1/export?format=csv-edges&{query}"),
        ] {
            let response = http::get(&server.url(&path), &[]);
            assert_eq!(response.status, status, "{path}: {}", response.body);
            assert!(
                response
                    .content_type
                    .starts_with("application/problem+json"),
                "{path}"
            );
            assert_eq!(response.json()["field"], field, "{path}");
        }
    }
    let ranked = http::get(
        &server.url("/api/v1/rankings?metric=pagerank&confirmed=true"),
        &[],
    );
    assert_eq!(ranked.status, 400, "{}", ranked.body);
    assert_eq!(ranked.json()["field"], "metric");
}

#[test]
fn min_sources_keeps_what_two_publishers_say_after_a_write_and_after_a_restart() {
    let data = DataDir::new();
    let server = TestServer::writable_on(&data);
    assert!(
        edges(&server, "Hamas", "min_sources=2").is_empty(),
        "one publisher before the second document"
    );
    put_second_source(&server);
    let both = vec![
        triple(
            "Hamas",
            "launched",
            "Rocket attack on Israel from the Gaza Strip (2023-10-07)",
        ),
        triple("United States", "contactsVia", "Hamas"),
    ];
    let check = |server: &TestServer, when: &str| {
        assert_eq!(edges(server, "Hamas", "min_sources=2"), both, "{when}");
        assert_eq!(
            edges(server, "United States", "min_sources=2"),
            both[1..],
            "{when}"
        );
        assert_eq!(
            edges(server, "Hamas", "source=Test%20Wire%20Agency"),
            both,
            "{when}: by the publisher"
        );
        assert_eq!(
            edges(
                server,
                "Hamas",
                &format!("source={}", encode(SECOND_SOURCE))
            ),
            both,
            "{when}: by the document"
        );
        assert_eq!(
            edges(
                server,
                "United States",
                "exclude_source=Sputnik%20Africa&modality=Possible"
            ),
            both[1..],
            "{when}: the second document's hedged contact"
        );
        assert!(
            edges(
                server,
                "United States",
                "exclude_source=Test%20Wire%20Agency"
            )
            .contains(&triple("Joe Biden", "presidentOf", "United States")),
            "{when}: the seed's without the second publisher"
        );
    };
    check(&server, "after the write");
    assert!(server.stop());
    let server = TestServer::on(&data);
    check(&server, "after a restart");
}
