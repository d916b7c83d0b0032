//! Provenance filters over HTTP on the seed, and on the seed plus a second source document
//! of another publisher (`tests/fixtures/provenance/second-source.ttl`), written through the
//! Graph Store protocol (the incremental refresh) and read again after a restart (the saved
//! or rebuilt read models).

use serde_json::Value;

use crate::http::{self, encode, encode_path};
use crate::server::{DataDir, TestServer, WRITE_TOKEN, repo_path};

const SECOND_SOURCE: &str = "https://w3id.org/eventgraph/id/5e0c0b1e-0000-5000-8000-000000000001";

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
        &server.url("/api/v1/paths?from=United%20States&to=Hamas&k=3&said_by=&source="),
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
        ("event_to=", 400, "event_to"),
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
    put_fixture(&server, SECOND);
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

const DENIAL_SOURCE: &str = "https://w3id.org/eventgraph/id/5e0c0b1e-0000-5000-8000-000000000011";

/// A writable in-memory server with the seed, plus these fixture documents, each PUT into
/// the graph its document names.
pub fn seed_plus(fixtures: &[(&str, &str)]) -> TestServer {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    for &fixture in fixtures {
        put_fixture(&server, fixture);
    }
    server
}

/// PUTs a fixture document `(file, graph)` into its named graph through the Graph Store
/// protocol, on a server that accepts [`WRITE_TOKEN`].
fn put_fixture(server: &TestServer, (file, graph): (&str, &str)) {
    let body = std::fs::read_to_string(repo_path(file)).unwrap();
    let put = http::request(
        "PUT",
        &server.url(&format!("/store?graph={}", encode(graph))),
        &[
            ("Content-Type", "text/turtle"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        Some(&body),
    );
    assert!(
        put.status == 201 || put.status == 204,
        "{file}: {}",
        put.body
    );
}

/// The second source document: another publisher reporting two of the seed's relations.
pub const SECOND: (&str, &str) = ("tests/fixtures/provenance/second-source.ttl", SECOND_SOURCE);
/// The third: a publisher reporting that the United States denies the contacts.
pub const DENIAL: (&str, &str) = ("tests/fixtures/provenance/denial.ttl", DENIAL_SOURCE);

/// The (source, predicate, target) IRIs of a D3 export's links.
fn exported(
    server: &TestServer,
    query: &str,
) -> std::collections::BTreeSet<(String, String, String)> {
    let view = get_json(server, &format!("/api/v1/export?format=d3&{query}"));
    view["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let text = |k: &str| l[k].as_str().unwrap().to_owned();
            (text("source"), text("predicate"), text("target"))
        })
        .collect()
}

#[test]
fn every_sparql_question_of_provenance_md_gives_the_relations_its_rest_filter_gives() {
    let doc = std::fs::read_to_string(repo_path("PROVENANCE.md")).unwrap();
    let mut examples = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(query) = line
            .trim()
            .strip_prefix("<!-- same-as: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(lines.next().map(str::trim), Some("```sparql"), "{query}");
        let sparql: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        examples.push((query.to_owned(), sparql.join("\n")));
    }
    assert!(
        examples.len() >= 8,
        "one example per filter: {}",
        examples.len()
    );
    let server = seed_plus(&[SECOND]);
    let nodes: std::collections::BTreeSet<String> =
        get_json(&server, "/api/v1/export?format=d3")["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
    let mut non_empty = 0;
    for (query, sparql) in examples {
        let rest = exported(&server, &query);
        let results = http::sparql_json(&server.base, &sparql);
        let rows = results["results"]["bindings"].as_array().unwrap();
        let asked: std::collections::BTreeSet<(String, String, String)> = rows
            .iter()
            .map(|row| {
                let text = |k: &str| row[k]["value"].as_str().unwrap().to_owned();
                (text("s"), text("p"), text("o"))
            })
            .filter(|(s, _, o)| nodes.contains(s) && nodes.contains(o))
            .collect();
        assert_eq!(rest, asked, "{query}: REST and SPARQL differ");
        non_empty += usize::from(!rest.is_empty());
    }
    assert!(non_empty >= 6, "the examples are not vacuous: {non_empty}");
}

#[test]
fn contested_lists_the_seed_figures_with_their_hedges_and_a_denied_relation_as_disputed() {
    let server = seed_plus(&[SECOND, DENIAL]);
    let view = get_json(&server, "/api/v1/contested?limit=100");
    let groups = view["figures"]["items"].as_array().unwrap();
    assert_eq!(view["figures"]["total"], groups.len(), "{view}");
    let figure = |counted: &str| -> Value {
        groups
            .iter()
            .find(|g| g["counted"] == counted)
            .unwrap_or_else(|| panic!("{counted} in {view}"))["figures"][0]
            .clone()
    };
    let killed = figure("people killed in Israel");
    assert_eq!(killed["hedge"], "LowerBound");
    assert_eq!(killed["hedge_word"], "more than");
    assert_eq!(killed["printed_as"], "more than 1,400");
    assert_eq!(killed["value"], "1400");
    let captives = figure("Israelis in captivity");
    assert_eq!(captives["hedge"], "Approximate");
    assert_eq!(captives["printed_as"], "about 240");
    let victims = figure("victims in the Gaza Strip (people killed)");
    assert_eq!(victims["printed_as"], "8,500 thousand", "as printed");
    assert!(victims["value"].is_null(), "no value invented");
    assert_eq!(victims["probable_value"], "8500");
    let quotes: Vec<&str> = victims["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["quote"].as_str())
        .collect();
    assert!(
        quotes.contains(&"The number of victims in the Gaza Strip exceeded 8,500 thousand people"),
        "{quotes:?}"
    );

    let disputed = view["disputed"]["items"].as_array().unwrap();
    assert_eq!(view["disputed"]["total"], 1, "{view}");
    assert_eq!(disputed[0]["subject"]["label"], "United States");
    assert_eq!(disputed[0]["predicate"]["label"], "contactsVia");
    assert_eq!(disputed[0]["object"]["label"], "Hamas");
    assert_eq!(
        disputed[0]["denied"][0]["quote"],
        "Washington denies any contact with Hamas"
    );
    assert!(
        disputed[0]["asserted"].as_array().unwrap().len() >= 2,
        "the seed's and the wire's: {}",
        disputed[0]
    );
    // Known on 2023-11-01, before the denial: nothing disputed.
    let before = get_json(&server, "/api/v1/contested?as_of=2023-11-01");
    assert_eq!(before["disputed"]["total"], 0, "{before}");

    // Single-sourced: the contact has three publishers, Biden's office one.
    let single = get_json(&server, "/api/v1/contested?limit=100")["single_source"].clone();
    let listed = |s: &str, p: &str, o: &str| {
        single["items"].as_array().unwrap().iter().any(|i| {
            i["subject"]["label"] == s && i["predicate"]["label"] == p && i["object"]["label"] == o
        })
    };
    assert!(single["total"].as_u64().unwrap() > 10, "{single}");
    assert!(!listed("United States", "contactsVia", "Hamas"), "{single}");
    let page = get_json(&server, "/api/v1/contested?limit=2&offset=1");
    assert!(page["single_source"]["items"].as_array().unwrap().len() <= 2);
    assert_eq!(page["single_source"]["total"], single["total"]);
    let wire_only = get_json(
        &server,
        "/api/v1/contested?source=Test%20Wire%20Agency&limit=100",
    );
    assert_eq!(
        wire_only["single_source"]["total"], 2,
        "the wire's two relations, among its statements: {wire_only}"
    );
    let bad = http::get(&server.url("/api/v1/contested?limit=0"), &[]);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["field"], "limit");
}

#[test]
fn claims_group_an_entitys_statements_by_source_and_follow_the_filters() {
    let server = seed_plus(&[SECOND, DENIAL]);
    let claims = get_json(&server, "/api/v1/entities/Hamas/claims?limit=10");
    assert_eq!(claims["entity"]["label"], "Hamas");
    assert_eq!(claims["total_sources"], 3, "{claims}");
    let sources = claims["sources"].as_array().unwrap();
    let counts: Vec<u64> = sources
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most first: {counts:?}"
    );
    assert_eq!(
        counts.iter().sum::<u64>(),
        claims["statements"].as_u64().unwrap()
    );
    assert_eq!(
        sources[0]["publisher"]["label"], "Sputnik Africa",
        "{claims}"
    );
    let wire = sources
        .iter()
        .find(|s| s["publisher"]["label"] == "Test Wire Agency")
        .unwrap();
    assert_eq!(wire["count"], 2, "{wire}");
    let denied = get_json(&server, "/api/v1/entities/Hamas/claims?modality=Denied");
    assert_eq!(denied["statements"], 1, "{denied}");
    assert_eq!(
        denied["sources"][0]["statements"][0]["quote"],
        "Washington denies any contact with Hamas"
    );
    let as_of = get_json(&server, "/api/v1/entities/Hamas/claims?as_of=2023-10-31");
    assert_eq!(
        as_of["total_sources"], 1,
        "only the seed article by then: {as_of}"
    );
    let missing = http::get(
        &server.url("/api/v1/entities/Nobody%20at%20all/claims"),
        &[],
    );
    assert_eq!(missing.status, 404);
}

#[test]
fn paths_take_gql_selectors_and_modes_and_their_steps_list_only_passing_statements() {
    let server = seed_plus(&[SECOND]);
    let get = |query: &str| {
        get_json(
            &server,
            &format!("/api/v1/paths?from=United%20States&to=Hamas&{query}"),
        )
    };
    let lengths = |view: &Value| -> Vec<u64> {
        view["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["length"].as_u64().unwrap())
            .collect()
    };
    let shortest = get("selector=shortest");
    assert_eq!(lengths(&shortest), [1]);
    let all = get("selector=all_shortest&max_length=3");
    assert!(all["complete"].as_bool().unwrap());
    assert!(lengths(&all).iter().all(|&l| l == 1), "{all}");
    let simple = get("selector=k_shortest&k=10&max_length=3");
    let trails = get("selector=k_shortest&mode=trail&k=10&max_length=3");
    let walks = get("selector=k_shortest&mode=walk&k=10&max_length=3");
    for view in [&simple, &trails, &walks] {
        let l = lengths(view);
        assert!(l.windows(2).all(|w| w[0] <= w[1]), "shortest first: {l:?}");
    }
    // Every simple path is a trail and every trail a walk: the k shortest can only get
    // shorter as the mode allows more.
    let (s, t, w) = (lengths(&simple), lengths(&trails), lengths(&walks));
    assert!(s.len() >= 2, "{s:?}");
    assert!(
        t.len() >= s.len() && w.len() >= t.len(),
        "{s:?} {t:?} {w:?}"
    );
    assert!(t.iter().zip(&s).all(|(t, s)| t <= s), "{t:?} vs {s:?}");
    assert!(w.iter().zip(&t).all(|(w, t)| w <= t), "{w:?} vs {t:?}");
    assert_eq!(w.len(), 10, "walks can always go back and forth: {w:?}");
    // From Hamas back to Hamas: the simple path is the empty one; a walk may go out and back
    // over one edge; a trail must come back over another.
    let round = |mode: &str| {
        get_json(
            &server,
            &format!("/api/v1/paths?from=Hamas&to=Hamas&k=3&max_length=3&mode={mode}"),
        )
    };
    let edges_of = |path: &Value| -> Vec<String> {
        path["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                // The edge's triple: subject first, whichever way the step walked it.
                let (subject, object) = if s["direction"] == "forward" {
                    (&s["from"]["iri"], &s["to"]["iri"])
                } else {
                    (&s["to"]["iri"], &s["from"]["iri"])
                };
                format!("{subject} {} {object}", s["predicate"]["iri"])
            })
            .collect()
    };
    assert_eq!(lengths(&round("simple")), [0]);
    let walks_back = round("walk");
    assert_eq!(lengths(&walks_back), [0, 2, 2], "{walks_back}");
    let there_and_back = &walks_back["paths"][1]["steps"];
    assert_eq!(
        there_and_back[0]["to"]["iri"],
        there_and_back[1]["from"]["iri"]
    );
    let trails_back = round("trail");
    for path in trails_back["paths"].as_array().unwrap() {
        let mut edges = edges_of(path);
        let n = edges.len();
        edges.sort();
        edges.dedup();
        assert_eq!(edges.len(), n, "no edge twice in a trail: {path}");
    }
    let bad = http::get(
        &server.url("/api/v1/paths?from=United%20States&to=Hamas&selector=cheapest"),
        &[],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["field"], "selector");

    // A filtered step lists the statements that passed only.
    let ministry = get(&format!("said_by={}", encode("Russian Foreign Ministry")));
    for statement in ministry["paths"][0]["steps"][0]["statements"]
        .as_array()
        .unwrap()
    {
        let speakers: Vec<&str> = statement["speaker"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap())
            .collect();
        assert_eq!(speakers, ["Russian Foreign Ministry"], "{statement}");
    }
    let wire = get("source=Test%20Wire%20Agency");
    let step = &wire["paths"][0]["steps"][0];
    assert_eq!(step["statements"].as_array().unwrap().len(), 1, "{step}");
    assert_eq!(
        step["statements"][0]["quote"],
        "Washington may be talking to Hamas through Doha"
    );
}

#[test]
fn exported_edges_carry_speakers_publishers_documents_and_their_count_in_every_format() {
    let server = seed_plus(&[SECOND]);
    let contact = |links: &Value| -> Value {
        links
            .as_array()
            .unwrap()
            .iter()
            .find(|l| {
                l["predicate"] == "https://w3id.org/eventgraph/ontology#contactsVia"
                    && l["source"]
                        == "https://w3id.org/eventgraph/id/8939f5b6-fdf7-5543-b06c-bc11c02832d1"
            })
            .cloned()
            .unwrap()
    };
    let d3 = contact(&get_json(&server, "/api/v1/export?format=d3")["links"]);
    assert_eq!(d3["publisher_count"], 2, "{d3}");
    let publishers: Vec<&str> = d3["publishers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(publishers, ["Sputnik Africa", "Test Wire Agency"]);
    let speakers = d3["speakers"].as_array().unwrap();
    assert!(
        speakers.iter().any(|s| s == "Russian Foreign Ministry"),
        "{d3}"
    );
    let filtered = contact(
        &get_json(
            &server,
            "/api/v1/export?format=d3&source=Test%20Wire%20Agency",
        )["links"],
    );
    assert_eq!(filtered["publisher_count"], 1, "{filtered}");
    assert_eq!(
        filtered["statements"].as_array().unwrap().len(),
        1,
        "{filtered}"
    );
    assert_eq!(
        filtered["quote"],
        "Washington may be talking to Hamas through Doha"
    );

    let cytoscape = get_json(&server, "/api/v1/export?format=cytoscape");
    let edges: Vec<&Value> = cytoscape["elements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["data"])
        .collect();
    assert!(
        edges.iter().any(|e| e["publisher_count"] == 2),
        "cytoscape fields"
    );
    let graphml = http::get(&server.url("/api/v1/export?format=graphml"), &[]).body;
    assert!(graphml.contains(
        r#"<key id="publisher_count" for="edge" attr.name="publisher_count" attr.type="int"/>"#
    ));
    assert!(graphml.contains(r#"<data key="publishers">Sputnik Africa; Test Wire Agency</data>"#));
    let gexf = http::get(&server.url("/api/v1/export?format=gexf"), &[]).body;
    assert!(
        gexf.contains(
            r#"<attribute id="publisher_count" title="publisher_count" type="integer"/>"#
        )
    );
    let csv = http::get(&server.url("/api/v1/export?format=csv-edges"), &[]).body;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("Speakers,Publishers,Documents,PublisherCount")
    );
}

#[test]
fn weighted_paths_put_the_best_supported_and_the_most_recently_reported_first() {
    let server = seed_plus(&[SECOND]);
    let get = |query: &str| {
        get_json(
            &server,
            &format!("/api/v1/paths?from=United%20States&to=Hamas&max_length=3&{query}"),
        )
    };
    let paths = |view: &Value| view["paths"].as_array().unwrap().clone();
    let steps_of = |path: &Value| -> Vec<Vec<String>> {
        path["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let mut iris: Vec<String> =
                    [&s["from"]["iri"], &s["predicate"]["iri"], &s["to"]["iri"]]
                        .iter()
                        .map(|v| v.as_str().unwrap().to_owned())
                        .collect();
                iris.sort();
                iris
            })
            .collect()
    };

    // By publishers: the contact two publishers report comes first; then the paths whose
    // weakest step has one, shortest first.
    let best = paths(&get("weight=publishers&k=10"));
    let weakest: Vec<u64> = best
        .iter()
        .map(|p| p["weakest_link"]["publishers"].as_u64().unwrap())
        .collect();
    assert_eq!(weakest[0], 2, "{best:?}");
    assert_eq!(best[0]["length"], 1);
    assert!(weakest.windows(2).all(|w| w[0] >= w[1]), "{weakest:?}");
    for pair in best.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a["weakest_link"] == b["weakest_link"] {
            assert!(
                a["length"].as_u64() <= b["length"].as_u64(),
                "shortest first among equals"
            );
        }
    }
    // The paths whose weakest step has two publishers are the paths min_sources=2 finds.
    let two: Vec<_> = best
        .iter()
        .filter(|p| p["weakest_link"]["publishers"] == 2)
        .map(steps_of)
        .collect();
    let filtered: Vec<_> = paths(&get("min_sources=2&k=10"))
        .iter()
        .map(steps_of)
        .collect();
    assert_eq!(two, filtered);
    assert!(
        paths(&get("min_sources=3&k=10")).is_empty(),
        "no step has three publishers"
    );
    assert_eq!(
        paths(&get("weight=publishers&selector=shortest")).len(),
        1,
        "shortest: the one best path"
    );

    // By recency: every step has a statement made on or after the weakest link's day, and
    // some step none later.
    let recent = paths(&get("weight=recency&k=5"));
    assert!(!recent.is_empty());
    let mut days = Vec::new();
    for path in &recent {
        let day = path["weakest_link"]["latest_statement"]
            .as_str()
            .expect("the seed's statements are dated")
            .to_owned();
        let latest: Vec<String> = path["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| {
                step["statements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s["date"].as_str().or(s["date_not_after"].as_str()))
                    .map(|d| d[..10].to_owned())
                    .max()
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(latest.iter().min(), Some(&day), "{path}");
        days.push(day);
    }
    assert!(
        days.windows(2).all(|w| w[0] >= w[1]),
        "most recent first: {days:?}"
    );
    // The second document (2023-11-01) reports the contact: the direct path is the most
    // recently reported.
    assert_eq!(days[0], "2023-11-01");
    assert_eq!(recent[0]["length"], 1);
    // A filter still applies: said by the seed's own speakers only, the contact was last
    // reported earlier.
    let without_second = paths(&get(&format!(
        "weight=recency&k=1&exclude_source={}",
        encode(SECOND_SOURCE)
    )));
    assert!(
        without_second[0]["weakest_link"]["latest_statement"]
            .as_str()
            .unwrap()
            < "2023-11-01",
        "{without_second:?}"
    );

    // Unweighted paths carry no weakest link; weights that do not fit are refused by name.
    assert!(paths(&get("k=3"))[0].get("weakest_link").is_none());
    for (query, says) in [
        ("weight=loudest", "not a weight"),
        ("weight=publishers&selector=all_shortest", "selector"),
        ("weight=recency&mode=walk", "simple"),
        ("weight=publishers&k=11", "k from 1 to 10"),
    ] {
        let response = http::get(
            &server.url(&format!(
                "/api/v1/paths?from=United%20States&to=Hamas&{query}"
            )),
            &[],
        );
        assert_eq!(response.status, 400, "{query}: {}", response.body);
        assert!(
            response.body.contains("weight") && response.body.contains(says),
            "{query}: {}",
            response.body
        );
    }
}
