//! `POST /api/v1/reports`: one article and its claims in one request, read back through REST and
//! SPARQL; a report with one bad statement writes nothing; names resolve exactly or are refused.

use serde_json::{Value, json};

use crate::http;
use crate::server::{TestServer, WRITE_TOKEN};

const EG: &str = "https://w3id.org/eventgraph/ontology#";
/// The seed's United States, Hamas and the attack of 7 October.
const UNITED_STATES: &str = "8939f5b6-fdf7-5543-b06c-bc11c02832d1";
const ATTACK: &str = "2f94c0ba-32c7-5262-b999-f847d5a2777f";
/// The seed's statement of the diplomatic source (paraphrased by Sputnik).
const SOURCE_STATEMENT: &str = "5d060ce2-0eca-50f3-8ac8-f753fefa0197";
const URL: &str = "https://example.org/wire/2023-11-02/qatar-talks";
const TITLE: &str = "Qatar Says Talks With Hamas Continue";

fn writable() -> TestServer {
    TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    )
}

fn post(server: &TestServer, path: &str, body: &Value) -> http::Response {
    let bearer = format!("Bearer {WRITE_TOKEN}");
    http::request(
        "POST",
        &server.url(path),
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
        ],
        Some(&body.to_string()),
    )
}

fn get(server: &TestServer, path: &str) -> Value {
    let response = http::get(&server.url(path), &[]);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    response.json()
}

fn sparql(server: &TestServer, query: &str) -> Value {
    http::sparql_json(&server.base, &format!("PREFIX eg: <{EG}>\n{query}"))
}

fn ask(server: &TestServer, query: &str) -> bool {
    sparql(server, query)["boolean"]
        .as_bool()
        .expect("an ASK answers a boolean")
}

fn quad_count(server: &TestServer) -> u64 {
    let results = sparql(
        server,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    );
    http::column(&results, "n")[0].parse().unwrap()
}

/// An article that is not the seed's: six statements, one confirming another of the report and
/// one confirming a seed statement, a hedged figure, a new publisher, a new speaker and a new
/// event (whose participant comes from its statement: the report is checked as a whole).
fn article() -> Value {
    json!({
        "source": {
            "url": URL,
            "title": TITLE,
            "publisher": {"new": {"label": "Example Wire", "types": ["NewsOutlet"],
                                  "description": "A news agency invented for this test."}},
            "published": "2023-11-02",
            "text": "Qatar said on Thursday that talks between the United States and Hamas continue."
        },
        "statements": [
            {
                "subject": "United States", "predicate": "contactsVia", "object": "Hamas",
                "speaker": {"new": {"label": "Spokesperson of the Qatari Foreign Ministry",
                                    "types": ["Person"],
                                    "description": "The spokesperson quoted by Example Wire."}},
                "date": "2023-11-02",
                "quote": "The talks between Washington and Hamas continue through us",
                "qualifiers": {"intermediary": "Government of Qatar", "referredToAs": "Washington"}
            },
            {
                "subject": {"id": UNITED_STATES}, "predicate": "contactsVia", "object": {"name": "Hamas"},
                "speaker": "Russian Foreign Ministry",
                "date_not_before": "2023-11-01", "date_not_after": "2023-11-02",
                "quote": "We confirm what our Qatari colleagues say",
                "confirms": [0]
            },
            {
                "subject": ATTACK, "predicate": "deathToll",
                "object": {"quantity": {"value": 1200, "printed_as": "about 1,200", "hedge": "approximate",
                                        "hedge_word": "about", "count_of": "people killed in Israel"}},
                "speaker": "Spokesperson of the Qatari Foreign Ministry",
                "date": "2023-11-02", "modality": "possible",
                "quote": "about 1,200 people may have been killed"
            },
            {
                "subject": "Government of Qatar", "predicate": "governmentOf", "object": "Qatar",
                "speaker": "Example Wire", "attribution": "publisher_narration",
                "date": "2023-11-02", "quote": "the Qatari government"
            },
            {
                "subject": {"new": {"label": "Talks in Doha on US contacts with Hamas (2023-11-01)",
                                    "types": ["Meeting"], "date": "2023-11-01",
                                    "description": "Talks that Example Wire reports."}},
                "predicate": "agent", "object": "Government of Qatar",
                "speaker": "Example Wire", "attribution": "publisher_narration",
                "date": "2023-11-02", "quote": "talks held in Doha on Wednesday"
            },
            {
                "subject": "United States", "predicate": "contactsVia", "object": "Hamas",
                "speaker": "Spokesperson of the Qatari Foreign Ministry",
                "date": "2023-11-02", "quote": "as the source in Doha said, these contacts exist",
                "confirms": [SOURCE_STATEMENT]
            }
        ]
    })
}

#[test]
fn a_report_is_written_whole_and_read_back_with_its_provenance() {
    let server = writable();
    let before = quad_count(&server);
    let response = post(&server, "/api/v1/reports", &article());
    assert_eq!(response.status, 201, "{}", response.body);
    let report = response.json();
    let document = report["document"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/entities/{document}").as_str())
    );
    assert!(response.header("eventgraph-generation").is_some());
    let statements: Vec<String> = report["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statements.len(), 6);
    let created: Vec<&str> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        created,
        [
            "Example Wire",
            "Spokesperson of the Qatari Foreign Ministry",
            "Talks in Doha on US contacts with Hamas (2023-11-01)"
        ],
        "a new entity named again is the same entity"
    );
    let written = report["quads"].as_u64().unwrap();
    assert_eq!(quad_count(&server), before + written);

    // Through relations: the statement with its source, speaker, quote, qualifiers and the
    // confirmation from the same report.
    let relations = get(
        &server,
        &format!("/api/v1/entities/{UNITED_STATES}/relations?direction=out&predicate=contactsVia"),
    );
    let hamas = relations["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity"]["label"] == "Hamas")
        .expect("the United States contacts Hamas");
    let by_id = |id: &str| {
        hamas["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("statement {id} in {hamas}"))
            .clone()
    };
    let first = by_id(&statements[0]);
    assert_eq!(first["sources"][0]["label"], TITLE);
    assert_eq!(
        first["speaker"][0]["label"],
        "Spokesperson of the Qatari Foreign Ministry"
    );
    assert_eq!(
        first["quote"],
        "The talks between Washington and Hamas continue through us"
    );
    assert_eq!(first["date"], "2023-11-02");
    assert_eq!(first["confirmed_by"][0]["statement"]["id"], statements[1]);
    assert_eq!(
        first["confirmed_by"][0]["speakers"][0]["label"],
        "Russian Foreign Ministry"
    );
    let qualifiers = first["qualifiers"].to_string();
    assert!(qualifiers.contains("Government of Qatar"), "{qualifiers}");
    assert!(qualifiers.contains("Washington"), "{qualifiers}");
    let second = by_id(&statements[1]);
    assert_eq!(second["date_not_before"], "2023-11-01");
    assert_eq!(second["confirms"][0]["id"], statements[0]);
    assert!(
        by_id(SOURCE_STATEMENT)["confirmed_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["statement"]["id"] == statements[5]),
        "the seed's statement is confirmed by the report's"
    );

    // The new event on the timeline, with its date, its agent and its source.
    let timeline = get(&server, "/api/v1/events?from=2023-11-01&to=2023-11-01");
    let talks = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == "Talks in Doha on US contacts with Hamas (2023-11-01)")
        .unwrap_or_else(|| panic!("the new event is on the timeline: {timeline}"));
    assert_eq!(talks["date"], "2023-11-01");
    assert_eq!(talks["sources"][0]["label"], TITLE);
    assert!(
        talks["actors"].to_string().contains("Government of Qatar"),
        "{talks}"
    );

    // The document and its publisher.
    let entity = get(&server, &format!("/api/v1/entities/{document}"));
    assert_eq!(entity["label"], TITLE);
    let publisher = get(
        &server,
        &format!("/api/v1/entities/{document}/relations?direction=out"),
    );
    assert!(
        publisher["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(
                |r| r["predicate"]["iri"] == "http://purl.org/dc/terms/publisher"
                    && r["entity"]["label"] == "Example Wire"
            ),
        "{publisher}"
    );

    // Through SPARQL: everything in the document's own graph, the figure with its hedge.
    let doc_iri = report["document"]["iri"].as_str().unwrap();
    let figure = sparql(
        &server,
        &format!(
            "SELECT ?value ?hedge ?printed ?speaker WHERE {{ GRAPH <{doc_iri}> {{
                <https://w3id.org/eventgraph/id/{ATTACK}> eg:deathToll ?q .
                ?q eg:value ?value ; eg:hedge ?hedge ; eg:printedAs ?printed .
                ?st a eg:Statement ; eg:source <{doc_iri}> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?q ;
                    eg:speaker/<http://www.w3.org/2000/01/rdf-schema#label> ?speaker ; eg:modality eg:Possible . }} }}"
        ),
    );
    assert_eq!(http::column(&figure, "value"), ["1200"]);
    assert_eq!(http::column(&figure, "hedge"), [format!("{EG}Approximate")]);
    assert_eq!(http::column(&figure, "printed"), ["about 1,200"]);
    assert_eq!(
        http::column(&figure, "speaker"),
        ["Spokesperson of the Qatari Foreign Ministry"]
    );
    assert!(ask(
        &server,
        &format!(
            "ASK {{ GRAPH <{doc_iri}> {{ <{doc_iri}> a eg:SourceDocument ;
                <https://schema.org/url> <{URL}> ;
                <http://purl.org/dc/terms/publisher>/<http://www.w3.org/2000/01/rdf-schema#label> \"Example Wire\"@en ;
                <https://schema.org/datePublished> \"2023-11-02\"^^<http://www.w3.org/2001/XMLSchema#date> .
              <https://w3id.org/eventgraph/id/{SOURCE_STATEMENT}> eg:confirmedBy ?c .
              ?c eg:confirms <https://w3id.org/eventgraph/id/{SOURCE_STATEMENT}> }} }}"
        ),
    ));
    let in_graph = sparql(
        &server,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc_iri}> {{ ?s a eg:Statement }} }}"),
    );
    assert_eq!(http::column(&in_graph, "n"), ["6"]);

    // The same URL again: refused, nothing duplicated.
    let after = quad_count(&server);
    let again = post(&server, "/api/v1/reports", &article());
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        again.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(again.json()["field"], "source.url");
    assert!(
        again.json()["type"]
            .as_str()
            .unwrap()
            .ends_with("/report-exists")
    );
    assert_eq!(quad_count(&server), after);
}

/// The store as SPARQL sees it: the quad count and whether the report's document is there.
fn unchanged(server: &TestServer, count: u64) {
    assert_eq!(quad_count(server), count, "nothing was written");
    let document = format!("ASK {{ GRAPH ?g {{ ?d <https://schema.org/url> <{URL}> }} }}");
    assert!(!ask(server, &document), "no document was written");
}

/// What a case changes in the article.
type Spoil = Box<dyn Fn(&mut Value)>;

#[test]
fn a_report_with_one_bad_statement_writes_nothing_and_names_the_field() {
    let server = writable();
    let count = quad_count(&server);
    let cases: Vec<(&str, Spoil, &str, &str)> = vec![
        (
            "a speaker no entity is named by",
            Box::new(|r: &mut Value| r["statements"][3]["speaker"] = json!("Nobody Anyone Knows")),
            "statements[3].speaker",
            "invalid-parameter",
        ),
        (
            "a date that is no date",
            Box::new(|r: &mut Value| r["statements"][4]["date"] = json!("2023-13-45")),
            "statements[4].date",
            "invalid-parameter",
        ),
        (
            "a modality that does not exist",
            Box::new(|r: &mut Value| r["statements"][2]["modality"] = json!("certain")),
            "statements[2].modality",
            "invalid-parameter",
        ),
        (
            "a confirmation of a statement the report does not have",
            Box::new(|r: &mut Value| r["statements"][1]["confirms"] = json!([9])),
            "statements[1].confirms[0]",
            "invalid-parameter",
        ),
        (
            "a figure that is no number",
            Box::new(|r: &mut Value| {
                r["statements"][2]["object"]["quantity"]["value"] = json!("about");
            }),
            "statements[2].object.quantity.value",
            "invalid-parameter",
        ),
        (
            "a new speaker without the description the shapes require",
            Box::new(|r: &mut Value| {
                r["statements"][0]["speaker"]["new"]
                    .as_object_mut()
                    .unwrap()
                    .remove("description");
            }),
            "statements[0].speaker.new.description",
            "shape-violation",
        ),
        (
            "a new event without a date",
            Box::new(|r: &mut Value| {
                r["statements"][4]["subject"]["new"]
                    .as_object_mut()
                    .unwrap()
                    .remove("date");
            }),
            "statements[4].subject.new",
            "shape-violation",
        ),
        (
            "a new speaker that is no actor",
            Box::new(|r: &mut Value| {
                r["statements"][0]["speaker"]["new"]["types"] = json!(["City"]);
            }),
            "statements[0].speaker",
            "shape-violation",
        ),
    ];
    for (case, spoil, field, kind) in cases {
        let mut report = article();
        spoil(&mut report);
        let response = post(&server, "/api/v1/reports", &report);
        assert_eq!(response.status, 400, "{case}: {}", response.body);
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json"),
            "{case}"
        );
        let problem = response.json();
        assert_eq!(problem["field"], field, "{case}: {problem}");
        assert!(
            problem["type"].as_str().unwrap().ends_with(kind),
            "{case}: {problem}"
        );
        unchanged(&server, count);
    }
}

#[test]
fn an_ambiguous_name_is_refused_with_its_candidates() {
    let server = writable();
    for description in ["One mediator.", "Another mediator."] {
        let created = post(
            &server,
            "/api/v1/entities",
            &json!({"label": "The Mediator", "types": ["Person"], "description": description}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
    }
    let count = quad_count(&server);
    let mut report = article();
    report["statements"][1]["speaker"] = json!("the mediator");
    let response = post(&server, "/api/v1/reports", &report);
    assert_eq!(response.status, 400, "{}", response.body);
    let problem = response.json();
    assert_eq!(problem["field"], "statements[1].speaker");
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("/ambiguous-reference")
    );
    let candidates = problem["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 2, "{problem}");
    assert!(candidates.iter().all(|c| c["label"] == "The Mediator"));
    unchanged(&server, count);

    // A new entity whose label is taken is refused too: the report names it instead.
    let mut report = article();
    report["statements"][0]["speaker"] =
        json!({"new": {"label": "Hamas", "types": ["Organisation"], "description": "Again."}});
    let response = post(&server, "/api/v1/reports", &report);
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.json()["field"], "statements[0].speaker.new.label");
    unchanged(&server, count);
}

#[test]
fn a_report_without_a_token_is_refused() {
    let server = writable();
    let count = quad_count(&server);
    let response = http::request(
        "POST",
        &server.url("/api/v1/reports"),
        &[("Content-Type", "application/json")],
        Some(&article().to_string()),
    );
    assert_eq!(response.status, 401, "{}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
    unchanged(&server, count);
}

#[test]
fn a_written_report_conforms_to_every_shape_sparql_ones_included() {
    let server = writable();
    let response = post(&server, "/api/v1/reports", &article());
    assert_eq!(response.status, 201, "{}", response.body);
    // The whole dataset but the ontology: the seed and the report, checked by pySHACL with the
    // shapes' SPARQL-based constraints (both-way confirmations, the publisher's narration, ...),
    // which the server's own check does not evaluate.
    let dump = http::get(&server.url("/store"), &[("Accept", "application/n-quads")]);
    assert_eq!(dump.status, 200, "{}", dump.body);
    let data: String = dump
        .body
        .lines()
        .filter(|line| !line.ends_with("<https://w3id.org/eventgraph/ontology> ."))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(data.contains(URL), "the dump holds the report");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.nq");
    std::fs::write(&file, data).unwrap();
    let output = std::process::Command::new(crate::clients::python())
        .arg(crate::server::repo_path("tests/python/validate_shapes.py"))
        .arg(crate::server::repo_path("ontology/shapes.ttl"))
        .arg(crate::server::repo_path("ontology/eventgraph.ttl"))
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

#[test]
fn the_openapi_example_is_the_seed_articles_contact_and_its_confirmation_and_it_is_accepted() {
    let server = writable();
    let document = get(&server, "/api/v1/openapi.json");
    let example = document["components"]["schemas"]["ReportRequest"]["example"].clone();
    assert_eq!(
        example["source"]["title"],
        "US in Contact With Leadership of Hamas Through Qatar, Source Says"
    );
    assert_eq!(example["statements"][1]["confirms"], json!([0]));
    let response = post(&server, "/api/v1/reports", &example);
    assert_eq!(response.status, 201, "{}", response.body);
    let report = response.json();
    let statement = report["statements"][0]["id"].as_str().unwrap();
    let read = get(&server, &format!("/api/v1/statements/{statement}"));
    assert_eq!(
        read["quote"],
        "The US is in contact with Hamas. It does it through Qatar"
    );
    assert_eq!(
        read["confirmed_by"][0]["speakers"][0]["label"],
        "Russian Foreign Ministry"
    );
    assert_eq!(read["speaker"][0]["label"], "Diplomatic source in Doha");
}
