//! REST writes: entities and statements created, changed and deleted over HTTP.

use serde_json::{Value, json};

use crate::http;
use crate::server::{TestServer, WRITE_TOKEN};

fn writable() -> TestServer {
    TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    )
}

fn send(server: &TestServer, method: &str, path: &str, body: Option<Value>) -> http::Response {
    let bearer = format!("Bearer {WRITE_TOKEN}");
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

fn get(server: &TestServer, path: &str) -> http::Response {
    http::get(&server.url(path), &[])
}

#[test]
fn an_entity_is_created_found_changed_and_deleted() {
    let server = writable();
    let created = send(
        &server,
        "POST",
        "/api/v1/entities",
        Some(
            json!({"label": "Egypt", "aliases": ["Arab Republic of Egypt"], "types": ["State"], "description": "A state."}),
        ),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let entity = created.json();
    let id = entity["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/entities/{id}").as_str())
    );
    assert!(
        entity["types"][0]["iri"]
            .as_str()
            .unwrap()
            .ends_with("#State")
    );
    assert_eq!(
        get(&server, "/api/v1/entities?q=arab%20rep").json()["items"][0]["id"],
        id.as_str()
    );

    let changed = send(
        &server,
        "PATCH",
        &format!("/api/v1/entities/{id}"),
        Some(json!({"label": "Egypt (state)"})),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["label"], "Egypt (state)");
    assert_eq!(
        changed.json()["aliases"],
        json!(["Arab Republic of Egypt"]),
        "fields not given stay"
    );

    let deleted = send(&server, "DELETE", &format!("/api/v1/entities/{id}"), None);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(get(&server, &format!("/api/v1/entities/{id}")).status, 404);
}

#[test]
fn a_statement_writes_the_triple_and_its_provenance_and_deleting_it_removes_both() {
    let server = writable();
    let body = json!({
        "subject": "Qatar",
        "predicate": "contactsVia",
        "object": "Hamas",
        "qualifiers": {"intermediary": "Government of Qatar", "note": "a test statement"},
        "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
        "speaker": "Sputnik Africa",
        "date": "2023-11-01",
        "quote": "Qatar speaks with Hamas"
    });
    let created = send(&server, "POST", "/api/v1/statements", Some(body));
    assert_eq!(created.status, 201, "{}", created.body);
    let statement = created.json();
    let id = statement["id"].as_str().unwrap().to_owned();
    assert_eq!(statement["speaker"][0]["label"], "Sputnik Africa");
    assert_eq!(statement["date"], "2023-11-01");
    assert!(
        statement["qualifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["value"]["label"] == "Government of Qatar")
    );

    let relations = get(
        &server,
        "/api/v1/entities/Qatar/relations?direction=out&predicate=contactsVia",
    )
    .json();
    assert!(
        relations["relations"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["statements"].as_array().unwrap())
            .any(|s| s["id"] == id.as_str()),
        "the next read sees the statement: {relations}"
    );
    let path = get(
        &server,
        "/api/v1/paths?from=Qatar&to=Hamas&predicate=contactsVia",
    )
    .json();
    assert_eq!(
        path["paths"][0]["length"], 1,
        "the projection has the new edge: {path}"
    );

    let deleted = send(&server, "DELETE", &format!("/api/v1/statements/{id}"), None);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(
        get(&server, &format!("/api/v1/statements/{id}")).status,
        404
    );
    let path = get(
        &server,
        "/api/v1/paths?from=Qatar&to=Hamas&predicate=contactsVia",
    )
    .json();
    assert_eq!(
        path["paths"].as_array().unwrap().len(),
        0,
        "the direct triple went with its only statement"
    );
}

#[test]
fn invalid_writes_name_the_field_and_change_nothing() {
    let server = writable();
    let before = get(&server, "/api/v1/stats").json()["quads"].clone();
    let statement = |field: &str, value: Value| {
        let mut body = json!({
            "subject": "Qatar", "predicate": "contactsVia", "object": "Hamas",
            "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
            "speaker": "Sputnik Africa", "quote": "words"
        });
        body[field] = value;
        body
    };
    // (path, body, field at fault, why)
    let cases = [
        (
            "/api/v1/entities",
            json!({"aliases": ["x"]}),
            "label",
            "an entity without a label",
        ),
        (
            "/api/v1/entities",
            json!({"label": " "}),
            "label",
            "an empty label",
        ),
        (
            "/api/v1/entities",
            json!({"label": "X", "types": ["Unicorn"]}),
            "types[0]",
            "a class the ontology lacks",
        ),
        (
            "/api/v1/entities",
            json!({"label": "X", "colour": "red"}),
            "body",
            "an unknown field",
        ),
        (
            "/api/v1/statements",
            statement("subject", json!("Atlantis")),
            "subject",
            "an unknown subject",
        ),
        (
            "/api/v1/statements",
            statement("predicate", json!("likes")),
            "predicate",
            "a property the ontology lacks",
        ),
        (
            "/api/v1/statements",
            statement("quote", json!("")),
            "quote",
            "no quote",
        ),
        (
            "/api/v1/statements",
            statement("date", json!("1.11.2023")),
            "date",
            "a date in another format",
        ),
    ];
    for (path, body, field, why) in cases {
        let response = send(&server, "POST", path, Some(body));
        assert_eq!(response.status, 400, "{why}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{why}");
        assert_eq!(response.json()["field"], field, "{why}: {}", response.body);
    }
    let unauthorized = http::post(
        &server.url("/api/v1/entities"),
        &[("Content-Type", "application/json")],
        &json!({"label": "Y"}).to_string(),
    );
    assert_eq!(unauthorized.status, 401);
    assert_eq!(
        get(&server, "/api/v1/stats").json()["quads"],
        before,
        "nothing was written"
    );
}

#[test]
fn writes_that_break_the_shapes_are_refused_with_each_violation_and_change_nothing() {
    let server = writable();
    let before = get(&server, "/api/v1/stats").json()["quads"].clone();
    let statement = |field: &str, value: Value| {
        let mut body = json!({
            "subject": "Qatar", "predicate": "contactsVia", "object": "Hamas",
            "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
            "speaker": "Sputnik Africa", "quote": "words", "date": "2023-11-01"
        });
        body[field] = value;
        body
    };
    let event = "Rocket attack on Israel from the Gaza Strip (2023-10-07)";
    // (path, body, field at fault, the property's IRI ending, the SHACL constraint, why)
    let cases = [
        (
            "/api/v1/entities",
            json!({"label": "Jordan", "types": ["State"]}),
            "description",
            Some("rdf-schema#comment"),
            "MinCountConstraintComponent",
            "the shapes want a description of every resource",
        ),
        (
            "/api/v1/entities",
            json!({"label": "A meeting", "types": ["Meeting"], "description": "Undated."}),
            "types",
            None,
            "OrConstraintComponent",
            "an event needs a date or a status that excuses it",
        ),
        (
            "/api/v1/statements",
            statement("date", Value::Null),
            "date",
            None,
            "OrConstraintComponent",
            "a statement needs the date it was made",
        ),
        (
            "/api/v1/statements",
            statement(
                "speaker",
                json!("US in Contact With Leadership of Hamas Through Qatar, Source Says"),
            ),
            "speaker",
            Some("ontology#speaker"),
            "ClassConstraintComponent",
            "a speaker must be an actor, not a document",
        ),
        (
            "/api/v1/statements",
            json!({
                "subject": event, "predicate": "place", "object": "Hamas",
                "source": "US in Contact With Leadership of Hamas Through Qatar, Source Says",
                "speaker": "Sputnik Africa", "quote": "words", "date": "2023-11-01"
            }),
            "object",
            Some("ontology#place"),
            "ClassConstraintComponent",
            "an event's place must be a place: the subject's shape, once the triple is added",
        ),
    ];
    for (path, body, field, property, constraint, why) in cases {
        let response = send(&server, "POST", path, Some(body));
        assert_eq!(response.status, 400, "{why}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{why}");
        let problem = response.json();
        assert_eq!(
            problem["type"], "https://w3id.org/eventgraph/problems/shape-violation",
            "{why}: {problem}"
        );
        assert_eq!(problem["field"], field, "{why}: {problem}");
        let violation = problem["violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["field"] == field)
            .unwrap_or_else(|| panic!("{why}: no violation of {field} in {problem}"));
        assert_eq!(violation["constraint"], constraint, "{why}: {problem}");
        match property {
            Some(ending) => assert!(
                violation["path"].as_str().unwrap().ends_with(ending),
                "{why}: {problem}"
            ),
            None => assert!(violation.get("path").is_none(), "{why}: {problem}"),
        }
        assert!(
            violation["focus"]
                .as_str()
                .unwrap()
                .starts_with("https://w3id.org/eventgraph/id/"),
            "{why}: {problem}"
        );
    }
    assert_eq!(
        get(&server, "/api/v1/stats").json()["quads"],
        before,
        "nothing was written"
    );
    // The same writes, made conformant, pass.
    let created = send(
        &server,
        "POST",
        "/api/v1/entities",
        Some(json!({"label": "Jordan", "types": ["State"], "description": "A state."})),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let stated = send(
        &server,
        "POST",
        "/api/v1/statements",
        Some(statement("modality", json!("possible"))),
    );
    assert_eq!(stated.status, 201, "{}", stated.body);
}
