//! `eventgraph gen`: a generated news graph written with its facts, loaded with
//! `eventgraph load` and served; the hub, the ordinary actor, the label, the events and the
//! path the facts name are checked over SPARQL and REST, against the counts the generator
//! computed from its own triples.

use std::process::Command;

use serde_json::Value;

use crate::clients::python;
use crate::http::{self, encode, encode_path};
use crate::server::{DataDir, TestServer, binary, repo_path};

/// Runs `eventgraph gen --triples TRIPLES --seed 42 -o OUT --facts FACTS`, returns the facts.
fn generate(triples: u64, out: &std::path::Path, facts: &std::path::Path) -> Value {
    let output = Command::new(binary())
        .args([
            "gen",
            "--triples",
            &triples.to_string(),
            "--seed",
            "42",
            "-o",
        ])
        .arg(out)
        .arg("--facts")
        .arg(facts)
        .env("EVENTGRAPH_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("triples"),
        "gen reports its counts: {stderr}"
    );
    serde_json::from_str(&std::fs::read_to_string(facts).unwrap()).unwrap()
}

fn uuid(iri: &str) -> &str {
    iri.rsplit('/').next().unwrap()
}

/// The distinct direct triples of `iri` with the graph's relation predicates, by SPARQL.
fn sparql_relations(server: &TestServer, iri: &str, predicates: &str) -> u64 {
    let query = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{
           {{ SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o VALUES ?p {{ {predicates} }} }} }}
           UNION
           {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> VALUES ?p {{ {predicates} }} }} }}
         }}"
    );
    let results = http::sparql_json(&server.base, &query);
    http::column(&results, "n")[0].parse().unwrap()
}

fn rest_relations(server: &TestServer, iri: &str) -> u64 {
    let path = format!(
        "/api/v1/entities/{}/relations?limit=1",
        encode_path(uuid(iri))
    );
    let response = http::get(&server.url(&path), &[]);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    response.json()["total"].as_u64().unwrap()
}

#[test]
fn a_generated_graph_loads_serves_and_has_the_counts_its_facts_say() {
    let data = DataDir::new();
    let dir = tempfile::tempdir().unwrap();
    let (file, facts_file) = (dir.path().join("news.nq"), dir.path().join("facts.json"));
    let facts = generate(20_000, &file, &facts_file);
    let triples = facts["triples"].as_u64().unwrap();
    assert!((20_000..20_200).contains(&triples), "{triples} triples");
    let lines = std::fs::read_to_string(&file).unwrap().lines().count() as u64;
    assert_eq!(lines, triples, "one N-Quads line per triple");
    let again = generate(
        20_000,
        &dir.path().join("again.nq"),
        &dir.path().join("again.json"),
    );
    assert_eq!(again, facts, "the same seed gives the same facts");
    assert!(
        std::fs::read(&file).unwrap() == std::fs::read(dir.path().join("again.nq")).unwrap(),
        "and the same file"
    );

    let output = data.run(&["load", file.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let server = TestServer::on(&data);
    let predicates: String = facts["relation_predicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("<{}> ", p.as_str().unwrap()))
        .collect();
    for which in ["hub", "ordinary"] {
        let entity = &facts[which];
        let iri = entity["iri"].as_str().unwrap();
        let relations = entity["relations"].as_u64().unwrap();
        assert_eq!(
            sparql_relations(&server, iri, &predicates),
            relations,
            "{which} over SPARQL"
        );
        assert_eq!(rest_relations(&server, iri), relations, "{which} over REST");
    }
    assert!(
        facts["hub"]["relations"].as_u64().unwrap()
            > 5 * facts["ordinary"]["relations"].as_u64().unwrap(),
        "the hub is a hub: {facts}"
    );

    // The label finds its entity, by search and by name.
    let lookup = &facts["label_lookup"];
    let label = lookup["label"].as_str().unwrap();
    let found = http::get(
        &server.url(&format!("/api/v1/entities?q={}", encode(label))),
        &[],
    )
    .json();
    assert_eq!(found["items"][0]["iri"], lookup["iri"], "{found}");
    assert_eq!(found["items"][0]["match"], "exact", "{found}");
    let by_name = http::get(
        &server.url(&format!("/api/v1/entities/{}", encode_path(label))),
        &[],
    );
    assert_eq!(by_name.status, 200, "{}", by_name.body);
    assert_eq!(by_name.json()["iri"], lookup["iri"]);

    // The actor's events in the window, by SPARQL.
    let window = &facts["actor_events"];
    let query = format!(
        "PREFIX eg: <https://w3id.org/eventgraph/ontology#>
         PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
         SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
           ?e eg:agent|eg:participant <{}> ; eg:date ?d .
           FILTER (?d >= \"{}\"^^xsd:date && ?d <= \"{}\"^^xsd:date)
         }}",
        window["iri"].as_str().unwrap(),
        window["from"].as_str().unwrap(),
        window["to"].as_str().unwrap()
    );
    let results = http::sparql_json(&server.base, &query);
    assert_eq!(
        http::column(&results, "n")[0].parse::<u64>().unwrap(),
        window["events"].as_u64().unwrap(),
        "the actor's events in the window"
    );

    // The path is as long as the server's shortest path.
    let path = &facts["path"];
    let response = http::get(
        &server.url(&format!(
            "/api/v1/paths?from={}&to={}&max_length=10",
            uuid(path["from"].as_str().unwrap()),
            uuid(path["to"].as_str().unwrap())
        )),
        &[],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.json()["paths"][0]["length"],
        path["length"],
        "{}",
        response.body
    );
}

#[test]
fn gen_takes_exactly_one_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.nq");
    for args in [
        vec!["gen", "-o", out.to_str().unwrap()],
        vec![
            "gen",
            "--triples",
            "5000",
            "--entities",
            "100",
            "-o",
            out.to_str().unwrap(),
        ],
    ] {
        let output = Command::new(binary()).args(&args).output().unwrap();
        assert!(!output.status.success(), "{args:?} is refused");
    }
    let output = Command::new(binary())
        .args(["gen", "--entities", "500", "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_small_generated_graph_conforms_to_every_shape_sparql_ones_included() {
    let dir = tempfile::tempdir().unwrap();
    let (file, facts) = (dir.path().join("small.nq"), dir.path().join("small.json"));
    generate(3_000, &file, &facts);
    let output = Command::new(python())
        .arg(repo_path("tests/python/validate_shapes.py"))
        .arg(repo_path("ontology/shapes.ttl"))
        .arg(repo_path("ontology/eventgraph.ttl"))
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "pySHACL: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
