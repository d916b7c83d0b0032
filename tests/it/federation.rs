//! SERVICE and LOAD reach other servers only on the hosts the operator allows.
//!
//! The "remote" server is a second eventgraph on 127.0.0.1, so these tests need no network.

use crate::http::{self, column, encode, sparql_json};
use crate::server::{TestServer, WRITE_TOKEN};

const HAMAS: &str = "https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df";

fn host_port(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// An empty writable server that may reach `allowed` hosts.
fn local_allowing(allowed: &str) -> TestServer {
    TestServer::start_with(
        &["--memory", "--no-seed"],
        &["--allow-remote-host", allowed],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    )
}

fn service_query(remote: &TestServer) -> String {
    format!(
        "SELECT ?label WHERE {{ SERVICE <{}> {{ <{HAMAS}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}",
        remote.url("/sparql")
    )
}

fn update(server: &TestServer, text: &str) -> http::Response {
    http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        text,
    )
}

#[test]
fn service_queries_an_allowed_endpoint() {
    let remote = TestServer::memory();
    let local = local_allowing(&host_port(&remote));
    let answer = sparql_json(&local.base, &service_query(&remote));
    assert_eq!(
        column(&answer, "label"),
        ["Hamas"],
        "the label comes from the remote seed"
    );
}

#[test]
fn service_to_a_host_that_is_not_allowed_never_reaches_it() {
    // A bare socket stands for the remote endpoint: any connection to it would be a request.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}/sparql", listener.local_addr().unwrap());
    let local = local_allowing("127.0.0.1:1");
    // (query, the problem type expected, or None where only the absence of a request is
    // checked, case). Oxigraph evaluates SERVICE ?var only when ?var is bound before it, so a
    // variable bound by VALUES is unsupported. Inside FILTER EXISTS, Oxigraph 0.5 counts the
    // refused SERVICE's error as a match (the ASK answers true): no request is made either way.
    let cases = [
        (
            format!("SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"),
            Some("federation-refused"),
            "a literal service IRI on a port that is not allowed",
        ),
        (
            format!(
                "SELECT * WHERE {{ VALUES ?endpoint {{ <{endpoint}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}"
            ),
            Some("unsupported-query"),
            "a service IRI computed from a variable",
        ),
        (
            format!(
                "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{endpoint}> {{ ?s ?q ?r }} }} }}"
            ),
            None,
            "a service inside OPTIONAL",
        ),
        (
            format!("ASK {{ FILTER EXISTS {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }} }}"),
            None,
            "a service inside FILTER EXISTS",
        ),
    ];
    for (query, slug, case) in cases {
        let response = http::get(
            &local.url(&format!("/sparql?query={}", encode(&query))),
            &[],
        );
        if let Some(slug) = slug {
            assert_eq!(response.status, 400, "{case}: {}", response.body);
            assert_eq!(
                response.json()["type"],
                format!("https://w3id.org/eventgraph/problems/{slug}"),
                "{case}"
            );
        }
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{case}: the server connected to a host that is not allowed"
        );
    }
}

#[test]
fn load_fetches_from_an_allowed_host_into_the_named_graph() {
    let remote = TestServer::memory();
    let local = local_allowing(&host_port(&remote));
    let source = remote.url(&format!(
        "/store?graph={}",
        encode("https://w3id.org/eventgraph/ontology")
    ));
    let response = update(
        &local,
        &format!("LOAD <{source}> INTO GRAPH <https://example.org/copy>"),
    );
    assert_eq!(response.status, 204, "{}", response.body);
    let count = sparql_json(
        &local.base,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/copy> { ?s ?p ?o } }",
    );
    let n: u64 = column(&count, "n")[0].parse().unwrap();
    assert!(n > 500, "the ontology graph was copied: {n} triples");
}

#[test]
fn load_from_a_host_that_is_not_allowed_is_refused_and_writes_nothing() {
    let remote = TestServer::memory();
    let local = local_allowing("127.0.0.1:1");
    let source = remote.url("/store?default");
    let response = update(
        &local,
        &format!(
            "INSERT DATA {{ <https://example.org/a> <https://example.org/b> 1 }} ; LOAD <{source}>"
        ),
    );
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(
        response.json()["type"],
        "https://w3id.org/eventgraph/problems/remote-load-refused"
    );
    assert_eq!(
        sparql_json(&local.base, "ASK { ?s ?p ?o }")["boolean"],
        false
    );
}

#[test]
fn load_silent_from_an_allowed_host_that_fails_is_no_error() {
    let local = local_allowing("127.0.0.1:1");
    let silent = update(&local, "LOAD SILENT <http://127.0.0.1:1/nothing.ttl>");
    assert_eq!(silent.status, 204, "{}", silent.body);
    let loud = update(&local, "LOAD <http://127.0.0.1:1/nothing.ttl>");
    assert_eq!(loud.status, 502, "{}", loud.body);
    assert_eq!(
        loud.json()["type"],
        "https://w3id.org/eventgraph/problems/remote-failed"
    );
}
