//! The REST API over HTTP: search, entities, relations with provenance, statements, events,
//! and the competency questions answered without SPARQL.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::http::{self, encode_path};
use crate::server::{TestServer, WRITE_TOKEN, repo_path};

fn get_json(server: &TestServer, path: &str) -> Value {
    let response = http::get(&server.url(path), &[]);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    assert!(
        response.content_type.starts_with("application/json"),
        "{path}: {}",
        response.content_type
    );
    response.json()
}

fn labels(values: &Value) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap().to_owned())
        .collect()
}

fn relations(server: &TestServer, entity: &str, query: &str) -> Vec<Value> {
    get_json(
        server,
        &format!("/api/v1/entities/{}/relations?{query}", encode_path(entity)),
    )["relations"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn search_finds_prefixes_first_ignores_case_and_accents_and_pages_with_a_cursor() {
    let server = TestServer::memory();
    let page = get_json(&server, "/api/v1/entities?q=QAT");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items[0]["label"], "Qatar");
    assert_eq!(items[0]["match"], "label_prefix");
    let government = items
        .iter()
        .position(|i| i["label"] == "Government of Qatar")
        .unwrap();
    assert_eq!(
        items[government]["match"], "alias_prefix",
        "its alias 'Qatari government'"
    );
    assert_eq!(
        get_json(&server, "/api/v1/entities?q=qat%C3%A1r")["items"][0]["label"],
        "Qatar"
    );

    let states = get_json(&server, "/api/v1/entities?type=State&limit=100");
    let names = labels(&states["items"]);
    assert!(
        names.contains(&"Qatar".to_owned()) && !names.contains(&"Hamas".to_owned()),
        "{names:?}"
    );

    let mut seen = Vec::new();
    let mut path = "/api/v1/entities?q=a&limit=7".to_owned();
    loop {
        let page = get_json(&server, &path);
        seen.extend(labels(&page["items"]));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/entities?q=a&limit=7&cursor={cursor}"),
            None => {
                assert_eq!(seen.len() as u64, page["total"].as_u64().unwrap());
                break;
            }
        }
    }
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len(), "pages do not overlap");
}

#[test]
fn an_entity_is_found_by_uuid_label_or_alias() {
    let server = TestServer::memory();
    let by_alias = get_json(&server, "/api/v1/entities/IDF");
    assert_eq!(by_alias["label"], "Israel Defense Forces");
    assert!(
        by_alias["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "IDF")
    );
    assert!(
        by_alias["types"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["iri"].as_str().unwrap().ends_with("#ArmedForce"))
    );
    assert!(by_alias["description"].is_string());
    let id = by_alias["id"].as_str().unwrap();
    assert_eq!(
        get_json(&server, &format!("/api/v1/entities/{id}"))["label"],
        "Israel Defense Forces"
    );
    assert_eq!(
        get_json(&server, "/api/v1/entities/israel%20defense%20forces")["id"],
        id
    );
}

#[test]
fn errors_name_the_parameter_at_fault() {
    let server = TestServer::memory();
    // (path, status, problem type, field, why)
    let cases = [
        (
            "/api/v1/entities/Atlantis",
            404,
            "unknown-entity",
            "id",
            "an unknown name",
        ),
        (
            "/api/v1/entities/00000000-0000-0000-0000-000000000000",
            404,
            "unknown-entity",
            "id",
            "an unknown uuid",
        ),
        (
            "/api/v1/statements/not-a-uuid",
            400,
            "invalid-parameter",
            "id",
            "a malformed statement id",
        ),
        (
            "/api/v1/statements/00000000-0000-0000-0000-000000000000",
            404,
            "unknown-statement",
            "id",
            "an unknown statement",
        ),
        (
            "/api/v1/entities?limit=0",
            400,
            "invalid-parameter",
            "limit",
            "a limit below 1",
        ),
        (
            "/api/v1/entities?cursor=xyz",
            400,
            "invalid-parameter",
            "cursor",
            "a foreign cursor",
        ),
        (
            "/api/v1/entities/Hamas/relations?direction=up",
            400,
            "invalid-parameter",
            "direction",
            "an unknown direction",
        ),
        (
            "/api/v1/events?from=31.10.2023",
            400,
            "invalid-parameter",
            "from",
            "a date in another format",
        ),
    ];
    for (path, status, slug, field, why) in cases {
        let response = http::get(&server.url(path), &[]);
        assert_eq!(response.status, status, "{why}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{why}");
        let problem = response.json();
        assert_eq!(
            problem["type"],
            format!("https://w3id.org/eventgraph/problems/{slug}"),
            "{why}"
        );
        assert_eq!(problem["field"], field, "{why}");
    }
}

#[test]
fn a_statement_carries_its_full_provenance_and_confirmation() {
    let server = TestServer::memory();
    let contacts = relations(
        &server,
        "United States",
        "direction=out&predicate=contactsVia",
    );
    assert_eq!(
        contacts.len(),
        1,
        "one relation, with every statement that reports it"
    );
    let statements = contacts[0]["statements"].as_array().unwrap();
    assert_eq!(
        statements.len(),
        3,
        "the source's two statements and the ministry's confirmation report the contact"
    );
    let quoted = statements
        .iter()
        .find(|s| s["quote"] == "The US is in contact with Hamas. It does it through Qatar")
        .unwrap();
    let id = quoted["id"].as_str().unwrap();
    let statement = get_json(&server, &format!("/api/v1/statements/{id}"));
    assert_eq!(statement["subject"]["label"], "United States");
    assert_eq!(statement["object"]["label"], "Hamas");
    assert_eq!(
        statement["speaker"][0]["label"],
        "Diplomatic source in Doha"
    );
    assert_eq!(statement["date"], "2023-10-31");
    assert!(
        statement["quote"].as_str().unwrap().contains("through"),
        "{statement}"
    );
    assert_eq!(
        statement["sources"][0]["label"],
        "US in Contact With Leadership of Hamas Through Qatar, Source Says"
    );
    assert_eq!(
        statement["confirmed_by"][0]["speakers"][0]["label"],
        "Russian Foreign Ministry"
    );
    assert_eq!(statement["confirmed_by"][0]["quote"], "This is true");
}

#[test]
fn a_sparql_update_is_seen_by_the_next_rest_read_and_shared_names_are_ambiguous() {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    let update = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { GRAPH <https://example.org/g> {
          <https://w3id.org/eventgraph/id/0a7b2c7e-0000-4000-8000-000000000001> rdfs:label \"Doha Forum\"@en ; skos:altLabel \"DF\" .
          <https://w3id.org/eventgraph/id/0a7b2c7e-0000-4000-8000-000000000002> rdfs:label \"Doha Festival\"@en ; skos:altLabel \"DF\" .
        } }";
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        update,
    );
    assert_eq!(response.status, 204, "{}", response.body);
    let found = labels(&get_json(&server, "/api/v1/entities?q=doha%20fo")["items"]);
    assert_eq!(
        found,
        ["Doha Forum"],
        "the new entity is searchable at once"
    );
    let ambiguous = http::get(&server.url("/api/v1/entities/DF"), &[]);
    assert_eq!(ambiguous.status, 300, "{}", ambiguous.body);
    let candidates = labels(&ambiguous.json()["candidates"]);
    assert_eq!(candidates, ["Doha Festival", "Doha Forum"]);
}

/// The expected answers of the competency questions, shared with the SPARQL tests.
fn expected(question: &str, variable: &str) -> Vec<String> {
    let all: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_path("tests/fixtures/competency/expected.json")).unwrap(),
    )
    .unwrap();
    let case = &all[question]["expected"];
    let list = if case.is_object() {
        &case[variable]
    } else {
        case
    };
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_competency_questions_are_answered_through_rest() {
    let server = TestServer::memory();

    // CQ1: through whom does the United States contact Hamas?
    let contacts = relations(
        &server,
        "United States",
        "direction=out&predicate=contactsVia",
    );
    let intermediaries: BTreeSet<String> = contacts
        .iter()
        .filter(|r| r["entity"]["label"] == "Hamas")
        .flat_map(|r| r["statements"].as_array().unwrap().clone())
        .flat_map(|s| s["qualifiers"].as_array().unwrap().clone())
        .filter(|q| q["predicate"]["iri"] == "https://w3id.org/eventgraph/ontology#intermediary")
        .map(|q| q["value"]["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        intermediaries,
        expected("cq1", "label").into_iter().collect()
    );

    // CQ2: who first gave that report, to whom, and who confirmed it?
    let statement = contacts
        .iter()
        .flat_map(|r| r["statements"].as_array().unwrap())
        .find(|s| s["confirms"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(
        statement["speaker"][0]["label"],
        expected("cq2", "reporterLabel")[0]
    );
    let reported_to: Vec<&str> = statement["qualifiers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["predicate"]["iri"] == "https://w3id.org/eventgraph/ontology#reportedTo")
        .map(|q| q["value"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(reported_to, expected("cq2", "recipientLabel"));
    assert_eq!(
        statement["confirmed_by"][0]["speakers"][0]["label"],
        expected("cq2", "confirmerLabel")[0]
    );

    // CQ3: what did the Israeli government announce on 2023-10-08?
    let announced: Vec<String> = relations(
        &server,
        "Government of Israel",
        "direction=out&predicate=announced",
    )
    .iter()
    .map(|r| r["entity"]["label"].as_str().unwrap().to_owned())
    .collect::<BTreeSet<_>>()
    .into_iter()
    .collect();
    assert!(
        announced.contains(&expected("cq3", "label")[0]),
        "{announced:?}"
    );
    let timeline = get_json(
        &server,
        "/api/v1/events?actor=Government%20of%20Israel&type=Announcement&from=2023-10-08&to=2023-10-08",
    );
    assert_eq!(
        timeline["events"].as_array().unwrap().len(),
        1,
        "{timeline}"
    );

    // CQ4: which operation did the IDF launch against Hamas, and where?
    let launched: Vec<String> = relations(&server, "IDF", "direction=out&predicate=launched")
        .iter()
        .map(|r| r["entity"]["label"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        launched.contains(&expected("cq4", "label")[0]),
        "{launched:?}"
    );
    let operation = get_json(&server, "/api/v1/events?actor=IDF&type=MilitaryOperation");
    let iron_swords = operation["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == "Operation Iron Swords")
        .unwrap();
    assert_eq!(
        labels(&iron_swords["places"]),
        expected("cq4", "placeLabel")
    );

    // CQ5: every event Hamas took part in, in date order.
    let events = get_json(&server, "/api/v1/events?actor=Hamas");
    assert_eq!(labels(&events["events"]), expected("cq5", "label"));

    // CQ6: every entity within two hops of Qatar (statements and documents are not hops).
    let neighbours = |name: &str| -> BTreeSet<(String, String)> {
        relations(&server, name, "direction=both")
            .iter()
            .map(|r| {
                (
                    r["entity"]["id"].as_str().unwrap().to_owned(),
                    r["entity"]["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let qatar = get_json(&server, "/api/v1/entities/Qatar")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one_hop = neighbours(&qatar);
    let mut within_two: BTreeSet<String> = one_hop.iter().map(|(_, label)| label.clone()).collect();
    for (id, _) in &one_hop {
        within_two.extend(
            neighbours(id)
                .into_iter()
                .filter(|(other, _)| *other != qatar)
                .map(|(_, label)| label),
        );
    }
    assert_eq!(within_two, expected("cq6", "label").into_iter().collect());
}

#[test]
fn the_neighborhood_of_qatar_within_two_hops_is_the_competency_answer() {
    let server = TestServer::memory();
    let view = get_json(&server, "/api/v1/entities/Qatar/neighborhood?depth=2");
    assert_eq!(view["root"]["label"], "Qatar");
    assert_eq!(view["truncated"], false);
    let nodes = view["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["distance"], 0);
    let reached: BTreeSet<String> = nodes
        .iter()
        .filter(|n| n["label"] != "Qatar")
        .map(|n| n["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reached, expected("cq6", "label").into_iter().collect());
    assert!(
        view["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["predicate"]["iri"].is_string())
    );

    let limited = get_json(
        &server,
        "/api/v1/entities/Qatar/neighborhood?depth=2&max_nodes=3",
    );
    assert_eq!(limited["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(limited["truncated"], true);
    let only_intermediary = get_json(
        &server,
        "/api/v1/entities/Qatar/neighborhood?predicate=intermediary",
    );
    assert!(
        labels(&only_intermediary["nodes"])
            .contains(&"Contacts of the United States with Hamas through Qatar".to_owned()),
        "{only_intermediary}"
    );
}

#[test]
fn the_lean_neighborhood_holds_the_full_ones_nodes_and_edges_with_the_fields_asked_for() {
    let server = TestServer::memory();
    for query in ["depth=2", "depth=2&max_nodes=5", "depth=1&direction=out"] {
        let full = get_json(
            &server,
            &format!("/api/v1/entities/Qatar/neighborhood?{query}"),
        );
        let lean = get_json(
            &server,
            &format!("/api/v1/entities/Qatar/neighborhood?{query}&fields=id,label"),
        );
        let nodes = full["nodes"].as_array().unwrap();
        let lean_nodes = lean["nodes"].as_array().unwrap();
        let picked: Vec<Value> = nodes
            .iter()
            .map(|n| serde_json::json!({"id": n["id"], "label": n["label"]}))
            .collect();
        assert_eq!(
            lean_nodes, &picked,
            "{query}: the same nodes in the same order, id and label only"
        );
        let predicates = lean["predicates"].as_array().unwrap();
        let edges: Vec<(Value, Value, Value)> = lean["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let at = |i: usize| e[i].as_u64().unwrap() as usize;
                (
                    nodes[at(0)]["iri"].clone(),
                    nodes[at(1)]["iri"].clone(),
                    predicates[at(2)].clone(),
                )
            })
            .collect();
        let full_edges: Vec<(Value, Value, Value)> = full["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["source"].clone(),
                    e["target"].clone(),
                    e["predicate"]["iri"].clone(),
                )
            })
            .collect();
        assert_eq!(
            edges, full_edges,
            "{query}: the same edges in the same order"
        );
        assert_eq!(lean["truncated"], full["truncated"], "{query}");
        assert_eq!(
            lean["truncated_counts"], full["truncated_counts"],
            "{query}"
        );
        assert!(
            lean.get("root").is_none(),
            "{query}: the root is the first node"
        );
    }
    let every = http::get(
        &server.url("/api/v1/entities/Qatar/neighborhood?fields=distance,types,iri"),
        &[],
    );
    let first = &every.body[every.body.find(r#""nodes":[{"#).unwrap()..];
    let first = &first[..first.find('}').unwrap()];
    let at = |key: &str| first.find(&format!(r#""{key}":"#));
    assert!(at("id").is_none() && at("label").is_none(), "{first}");
    assert!(
        at("iri") < at("types") && at("types") < at("distance"),
        "fields come in one fixed order: {first}"
    );
    assert_eq!(every.json()["nodes"][0]["distance"], 0);
    let bad = http::get(
        &server.url("/api/v1/entities/Qatar/neighborhood?fields=id,colour"),
        &[],
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["field"], "fields");
    for refused in ["", "id,", "id, label"] {
        let bad = http::get(
            &server.url(&format!(
                "/api/v1/entities/Qatar/neighborhood?fields={}",
                refused.replace(' ', "%20")
            )),
            &[],
        );
        assert_eq!(bad.status, 400, "fields={refused:?}: {}", bad.body);
        assert_eq!(bad.json()["field"], "fields", "fields={refused:?}");
    }
}

#[test]
fn paths_come_shortest_first_and_each_step_carries_its_statements() {
    let server = TestServer::memory();
    let view = get_json(&server, "/api/v1/paths?from=United%20States&to=Hamas&k=3");
    let paths = view["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 3, "{view}");
    let lengths: Vec<u64> = paths
        .iter()
        .map(|p| p["length"].as_u64().unwrap())
        .collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    let first = &paths[0]["steps"][0];
    assert_eq!(paths[0]["length"], 1);
    assert_eq!(first["predicate"]["label"], "contactsVia");
    assert_eq!(first["direction"], "forward");
    let quotes: Vec<&str> = first["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["quote"].as_str().unwrap())
        .collect();
    assert!(
        quotes.contains(&"The US is in contact with Hamas. It does it through Qatar"),
        "{quotes:?}"
    );

    let none = get_json(
        &server,
        "/api/v1/paths?from=United%20States&to=Hamas&predicate=locatedIn",
    );
    assert_eq!(
        none["paths"].as_array().unwrap().len(),
        0,
        "no path of that predicate"
    );
    let missing = http::get(&server.url("/api/v1/paths?from=Qatar"), &[]);
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["field"], "to");
}

#[test]
fn rankings_order_entities_by_centrality_and_filter_by_type() {
    let server = TestServer::memory();
    for metric in ["degree", "pagerank", "betweenness"] {
        let view = get_json(
            &server,
            &format!("/api/v1/rankings?metric={metric}&limit=5"),
        );
        let scores: Vec<f64> = view["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["score"].as_f64().unwrap())
            .collect();
        assert_eq!(scores.len(), 5, "{metric}");
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{metric}: {scores:?}"
        );
    }
    let states = get_json(&server, "/api/v1/rankings?type=State&limit=50");
    assert!(states["items"].as_array().unwrap().iter().all(|i| {
        i["entity"]["types"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t.as_str().unwrap().ends_with("#State"))
    }));
    let bad = http::get(&server.url("/api/v1/rankings?metric=fame"), &[]);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["field"], "metric");
}

#[test]
fn stats_report_the_store_and_the_projection_and_writes_reach_the_projection() {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    let stats = get_json(&server, "/api/v1/stats");
    assert_eq!(stats["quads"], 5419);
    let edges = stats["projection"]["edges"].as_u64().unwrap();
    assert!(
        edges > 50 && stats["projection"]["nodes"].as_u64().unwrap() > 50,
        "{stats}"
    );
    assert!(stats["projection"]["bytes_per_edge"].as_f64().unwrap() > 0.0);

    let qatar = get_json(&server, "/api/v1/entities/Qatar")["iri"]
        .as_str()
        .unwrap()
        .to_owned();
    let doha = get_json(&server, "/api/v1/entities/Doha")["iri"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        &format!(
            "INSERT DATA {{ GRAPH <https://example.org/g> {{ <{doha}> <https://w3id.org/eventgraph/ontology#locatedIn> <{qatar}> }} }}"
        ),
    );
    assert_eq!(response.status, 204, "{}", response.body);
    let after = get_json(&server, "/api/v1/stats");
    assert_eq!(after["projection"]["edges"].as_u64().unwrap(), edges + 1);
    let near = get_json(
        &server,
        "/api/v1/entities/Qatar/neighborhood?predicate=locatedIn",
    );
    assert!(
        labels(&near["nodes"]).contains(&"Doha".to_owned()),
        "{near}"
    );
}
