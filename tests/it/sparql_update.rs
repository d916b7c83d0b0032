//! SPARQL Update over `/sparql`: the write token, the protocol's forms, errors, and what is refused.

use crate::http::{self, column, encode, sparql_json};
use crate::server::{TestServer, WRITE_TOKEN};

const BEARER: &str = "Bearer test-write-token";

fn update(server: &TestServer, text: &str, authorization: Option<&str>) -> http::Response {
    let mut headers = vec![("Content-Type", "application/sparql-update")];
    if let Some(value) = authorization {
        headers.push(("Authorization", value));
    }
    http::post(&server.url("/sparql"), &headers, text)
}

const INSERT: &str = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> \"o\" } }";

#[test]
fn writes_are_refused_without_a_configured_token_and_say_how_to_enable_them() {
    let server = TestServer::memory();
    let response = update(&server, INSERT, Some(BEARER));
    assert_eq!(response.status, 403, "{}", response.body);
    assert_eq!(response.content_type, "application/problem+json");
    let problem = response.json();
    assert_eq!(
        problem["type"],
        "https://w3id.org/eventgraph/problems/writes-disabled"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("EVENTGRAPH_WRITE_TOKEN"),
        "{problem}"
    );
}

#[test]
fn writes_need_the_right_bearer_token() {
    let server = TestServer::empty_writable();
    // (Authorization header, why it is refused)
    let refused = [
        (None, "no Authorization header"),
        (Some("Bearer wrong-token"), "a wrong token"),
        (Some("Basic dGVzdDp0ZXN0"), "another scheme"),
    ];
    for (authorization, case) in refused {
        let response = update(&server, INSERT, authorization);
        assert_eq!(response.status, 401, "{case}: {}", response.body);
        assert_eq!(
            response.header("www-authenticate"),
            Some("Bearer realm=\"eventgraph\""),
            "{case}"
        );
        assert_eq!(
            response.json()["type"],
            "https://w3id.org/eventgraph/problems/unauthorized",
            "{case}"
        );
    }
    let ask = "ASK { GRAPH <https://example.org/g> { ?s ?p ?o } }";
    assert_eq!(
        sparql_json(&server.base, ask)["boolean"],
        false,
        "refused writes change nothing"
    );

    let accepted = update(&server, INSERT, Some(&format!("Bearer {WRITE_TOKEN}")));
    assert_eq!(accepted.status, 204, "{}", accepted.body);
    assert_eq!(
        sparql_json(&server.base, ask)["boolean"],
        true,
        "the next read sees the write"
    );
}

#[test]
fn updates_by_form_honour_using_graph_uri() {
    let server = TestServer::empty_writable();
    let setup = update(
        &server,
        "INSERT DATA { GRAPH <https://example.org/a> { <https://example.org/x> <https://example.org/n> 1 } GRAPH <https://example.org/b> { <https://example.org/y> <https://example.org/n> 2 } }",
        Some(BEARER),
    );
    assert_eq!(setup.status, 204, "{}", setup.body);
    let copy = "INSERT { GRAPH <https://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }";
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", BEARER),
        ],
        &format!(
            "update={}&using-graph-uri={}",
            encode(copy),
            encode("https://example.org/b")
        ),
    );
    assert_eq!(response.status, 204, "{}", response.body);
    let copied = sparql_json(
        &server.base,
        "SELECT ?s WHERE { GRAPH <https://example.org/copy> { ?s ?p ?o } }",
    );
    assert_eq!(
        column(&copied, "s"),
        ["https://example.org/y"],
        "only graph b was the USING graph"
    );
}

#[test]
fn a_malformed_update_names_line_and_column_and_writes_nothing() {
    let server = TestServer::empty_writable();
    let response = update(
        &server,
        "INSERT DATA { <https://example.org/s> <https://example.org/p> \"o\" } ;\nDELETE DATA { <https://example.org/s> }",
        Some(BEARER),
    );
    assert_eq!(response.status, 400, "{}", response.body);
    let problem = response.json();
    assert_eq!(
        problem["type"],
        "https://w3id.org/eventgraph/problems/malformed-query"
    );
    assert_eq!(problem["line"], 2, "{problem}");
    assert!(problem["column"].as_u64().unwrap() > 1, "{problem}");
    assert_eq!(
        sparql_json(&server.base, "ASK { ?s ?p ?o }")["boolean"],
        false
    );
}

#[test]
fn remote_load_and_federated_service_are_refused_with_a_reason() {
    let server = TestServer::empty_writable();
    let load = update(&server, "LOAD <http://example.org/data.ttl>", Some(BEARER));
    assert_eq!(load.status, 400, "{}", load.body);
    assert_eq!(
        load.json()["type"],
        "https://w3id.org/eventgraph/problems/remote-load-refused"
    );

    let service = http::get(
        &server.url(&format!(
            "/sparql?query={}",
            encode("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        )),
        &[],
    );
    assert_eq!(service.status, 400, "{}", service.body);
    assert_eq!(
        service.json()["type"],
        "https://w3id.org/eventgraph/problems/federation-refused"
    );
}

#[test]
fn a_failed_update_operation_is_a_client_error_and_changes_nothing() {
    let server = TestServer::empty_writable();
    let response = update(
        &server,
        "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 } ; DROP GRAPH <https://example.org/missing>",
        Some(BEARER),
    );
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(
        response.json()["type"],
        "https://w3id.org/eventgraph/problems/update-failed"
    );
    assert_eq!(
        sparql_json(&server.base, "ASK { ?s ?p ?o }")["boolean"],
        false,
        "the whole update is one transaction"
    );
}
