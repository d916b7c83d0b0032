//! `/sparql` over HTTP: the query operation, its formats and its errors.

use crate::http::{self, column, encode, sparql_json};
use crate::server::TestServer;

const COUNT_ALL: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";

fn count(results: &serde_json::Value) -> u64 {
    column(results, "n")[0].parse().unwrap()
}

#[test]
fn served_seed_answers_the_count_query_by_get_and_both_posts() {
    let server = TestServer::memory();
    let by_get = count(&sparql_json(&server.base, COUNT_ALL));
    assert!(
        by_get > 500,
        "the seed graph should hold hundreds of quads, got {by_get}"
    );

    let by_post = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        COUNT_ALL,
    );
    assert_eq!(by_post.status, 200, "{}", by_post.body);
    assert_eq!(count(&by_post.json()), by_get);

    let by_form = http::post(
        &server.url("/sparql"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("query={}", encode(COUNT_ALL)),
    );
    assert_eq!(by_form.status, 200, "{}", by_form.body);
    assert!(
        by_form
            .content_type
            .starts_with("application/sparql-results+json")
    );
    assert_eq!(count(&by_form.json()), by_get);
}

#[test]
fn union_default_graph_is_on_by_default_and_can_be_turned_off_per_request() {
    let server = TestServer::memory();
    let ask = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    let union = http::get(&server.url(&ask), &[]);
    assert_eq!(union.json()["boolean"], true, "{}", union.body);
    let plain = http::get(
        &server.url(&format!("{ask}&union-default-graph=false")),
        &[],
    );
    assert_eq!(
        plain.json()["boolean"],
        false,
        "the default graph itself is empty"
    );
}

#[test]
fn results_come_in_the_format_the_accept_header_asks_for() {
    let server = TestServer::memory();
    let select = format!(
        "/sparql?query={}",
        encode(
            "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 3"
        )
    );
    let cases = [
        ("text/csv", "text/csv", "label\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?label\n",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<?xml",
        ),
        ("*/*", "application/sparql-results+json", "{\"head\""),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "label\r\n"),
    ];
    for (accept, expected_type, expected_start) in cases {
        let response = http::get(&server.url(&select), &[("Accept", accept)]);
        assert_eq!(response.status, 200, "Accept: {accept}: {}", response.body);
        assert!(
            response.content_type.starts_with(expected_type),
            "Accept: {accept} gave {}",
            response.content_type
        );
        assert!(
            response.body.starts_with(expected_start),
            "Accept: {accept} gave a body starting {:?}",
            &response.body[..response.body.len().min(40)]
        );
    }

    let construct = format!(
        "/sparql?query={}",
        encode("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    );
    let turtle = http::get(&server.url(&construct), &[]);
    assert_eq!(turtle.status, 200);
    assert!(
        turtle.content_type.starts_with("text/turtle"),
        "{}",
        turtle.content_type
    );
    let ntriples = http::get(
        &server.url(&construct),
        &[("Accept", "application/n-triples")],
    );
    assert!(ntriples.content_type.starts_with("application/n-triples"));
    assert_eq!(ntriples.body.lines().count(), 5, "{}", ntriples.body);
}

#[test]
fn a_malformed_query_gets_a_problem_naming_line_and_column() {
    let server = TestServer::memory();
    let response = http::get(
        &server.url(&format!(
            "/sparql?query={}",
            encode("SELECT ?s\nWHERE { ?s ?p }")
        )),
        &[],
    );
    assert_eq!(response.status, 400);
    assert_eq!(response.content_type, "application/problem+json");
    let problem = response.json();
    assert_eq!(
        problem["type"],
        "https://w3id.org/eventgraph/problems/malformed-query"
    );
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["field"], "query");
    assert_eq!(problem["line"], 2);
    assert_eq!(problem["column"], 16);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("line 2, column 16"),
        "{problem}"
    );
}

#[test]
fn protocol_errors_are_problems_with_the_right_status() {
    let server = TestServer::memory();
    let sparql = server.url("/sparql");
    let cases: Vec<(&str, http::Response, u16, &str)> = vec![
        (
            "a form with neither query nor update",
            http::post(
                &sparql,
                &[("Content-Type", "application/x-www-form-urlencoded")],
                "timeout=1",
            ),
            400,
            "missing-parameter",
        ),
        (
            "a body type /sparql does not read",
            http::post(&sparql, &[("Content-Type", "text/plain")], "ASK {}"),
            415,
            "unsupported-media-type",
        ),
        (
            "a method /sparql does not have",
            http::send("DELETE", &sparql),
            405,
            "method-not-allowed",
        ),
        (
            "an Accept nothing satisfies",
            http::get(
                &format!("{sparql}?query={}", encode("ASK {}")),
                &[("Accept", "image/png")],
            ),
            406,
            "not-acceptable",
        ),
        (
            "a graph name that is not an IRI",
            http::get(
                &format!(
                    "{sparql}?query={}&named-graph-uri=not%20an%20iri",
                    encode("ASK {}")
                ),
                &[],
            ),
            400,
            "invalid-graph-iri",
        ),
        (
            "an unknown path",
            http::get(&server.url("/nowhere"), &[]),
            404,
            "not-found",
        ),
    ];
    for (case, response, status, slug) in cases {
        assert_eq!(response.status, status, "{case}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{case}");
        let problem = response.json();
        assert_eq!(
            problem["type"],
            format!("https://w3id.org/eventgraph/problems/{slug}"),
            "{case}"
        );
        assert!(!problem["detail"].as_str().unwrap().is_empty(), "{case}");
    }
}
