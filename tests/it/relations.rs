//! An entity's relations a page at a time (`GET /api/v1/entities/{id}/relations`): a hub of
//! more than 20,000 relations walked by cursor, the filters of a 300-relation entity, a cursor
//! across a write, and the limits and cursors refused. Every expectation is computed from the
//! generated quads, not by the server.

use std::collections::{BTreeMap, BTreeSet};

use eventgraph::graph::generate::{WithHub, generate_with_hub};
use oxigraph::model::{NamedOrBlankNode, Term};
use serde_json::Value;

use crate::http::{self, encode, encode_path};
use crate::server::{DataDir, TestServer, WRITE_TOKEN};

const EG: &str = "https://w3id.org/eventgraph/ontology#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// A relation as the wire names it: (direction, predicate IRI, other end's IRI).
type Key = (String, String, String);

/// Which relations a filter keeps.
type Keeps = Box<dyn Fn(&Key) -> bool>;

/// What the generated quads say of the hub: its relations, each with the dates of its
/// statements.
fn expected_relations(graph: &WithHub) -> BTreeMap<Key, Vec<String>> {
    let hub = graph.hub.as_ref().unwrap().0.as_str().to_owned();
    let iri = |term: &NamedOrBlankNode| match term {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    };
    let mut excluded = BTreeSet::new();
    let mut entities = BTreeSet::new();
    for quad in graph
        .quads
        .iter()
        .filter(|q| q.predicate.as_str() == format!("{RDF}type"))
    {
        match &quad.object {
            Term::NamedNode(class)
                if [format!("{EG}Statement"), format!("{EG}SourceDocument")]
                    .contains(&class.as_str().to_owned()) =>
            {
                excluded.insert(iri(&quad.subject));
            }
            _ => {
                entities.insert(iri(&quad.subject));
            }
        }
    }
    let mut relations: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    // statement → (subject, predicate, object, date)
    let mut statements: BTreeMap<String, [Option<String>; 4]> = BTreeMap::new();
    for quad in &graph.quads {
        let subject = iri(&quad.subject);
        let object = match &quad.object {
            Term::NamedNode(n) => n.as_str().to_owned(),
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        };
        let slot = match quad.predicate.as_str() {
            p if p == format!("{RDF}subject") => Some(0),
            p if p == format!("{RDF}predicate") => Some(1),
            p if p == format!("{RDF}object") => Some(2),
            p if p == format!("{EG}statedOn") => Some(3),
            _ => None,
        };
        if let Some(slot) = slot {
            statements.entry(subject.clone()).or_default()[slot] = Some(object.clone());
        }
        let predicate = quad.predicate.as_str().to_owned();
        if predicate == format!("{RDF}type")
            || excluded.contains(&subject)
            || !entities.contains(&subject)
            || !entities.contains(&object)
        {
            continue;
        }
        if subject == hub {
            relations
                .entry(("out".into(), predicate.clone(), object.clone()))
                .or_default();
        }
        if object == hub {
            relations
                .entry(("in".into(), predicate, subject))
                .or_default();
        }
    }
    for [s, p, o, date] in statements.into_values() {
        let (Some(s), Some(p), Some(o), Some(date)) = (s, p, o, date) else {
            continue;
        };
        if s == hub {
            if let Some(dates) = relations.get_mut(&("out".into(), p.clone(), o.clone())) {
                dates.push(date.clone());
            }
        }
        if o == hub {
            if let Some(dates) = relations.get_mut(&("in".into(), p, s)) {
                dates.push(date);
            }
        }
    }
    relations
}

/// A server on the generated graph, and the graph.
fn serve(seed: u64, entities: usize, edges: usize, hub: usize) -> (TestServer, DataDir, WithHub) {
    let graph = generate_with_hub(seed, entities, edges, hub);
    let data = DataDir::loaded(&graph.quads);
    (TestServer::writable_on(&data), data, graph)
}

fn hub_id(graph: &WithHub) -> String {
    let iri = graph.hub.as_ref().unwrap().0.as_str();
    iri.rsplit('/').next().unwrap().to_owned()
}

fn get_json(server: &TestServer, path: &str) -> Value {
    let response = http::get(&server.url(path), &[]);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    response.json()
}

fn key_of(relation: &Value) -> Key {
    (
        relation["direction"].as_str().unwrap().to_owned(),
        relation["predicate"]["iri"].as_str().unwrap().to_owned(),
        relation["entity"]["iri"].as_str().unwrap().to_owned(),
    )
}

/// What a walk through every page saw.
struct Walk {
    /// Every relation, in the order the pages listed them.
    keys: Vec<Key>,
    /// The `total` and `totals` of the first page.
    total: u64,
    totals: BTreeMap<(String, String), u64>,
    pages: usize,
}

/// Walks every page of `query` with `next_cursor`, checking each page against `limit`, the
/// totals against the first page's, and each relation's statements against its triple.
/// `between` is called once after the first page (for a write in the middle of a walk).
fn walk(
    server: &TestServer,
    entity: &str,
    query: &str,
    limit: usize,
    mut between: impl FnMut(),
) -> Walk {
    let mut walk = Walk {
        keys: Vec::new(),
        total: 0,
        totals: BTreeMap::new(),
        pages: 0,
    };
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!(
            "/api/v1/entities/{}/relations?limit={limit}&{query}",
            encode_path(entity)
        );
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={}", encode(cursor)));
        }
        let page = get_json(server, &path);
        let relations = page["relations"].as_array().unwrap();
        assert!(
            relations.len() <= limit,
            "{path}: {} relations",
            relations.len()
        );
        let totals: BTreeMap<(String, String), u64> = page["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    (
                        t["direction"].as_str().unwrap().to_owned(),
                        t["predicate"]["iri"].as_str().unwrap().to_owned(),
                    ),
                    t["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            page["total"].as_u64().unwrap(),
            totals.values().sum::<u64>(),
            "{path}: the total sums the totals"
        );
        if walk.pages == 0 {
            walk.total = page["total"].as_u64().unwrap();
            walk.totals = totals;
        } else {
            assert_eq!(
                page["total"].as_u64().unwrap(),
                walk.total,
                "{path}: every page counts the same relations"
            );
        }
        for relation in relations {
            let key = key_of(relation);
            for statement in relation["statements"].as_array().unwrap() {
                let (subject, object) = if key.0 == "out" {
                    (&statement["subject"], &statement["object"])
                } else {
                    (&statement["object"], &statement["subject"])
                };
                assert_eq!(
                    statement["predicate"]["iri"], key.1,
                    "{path}: a statement of {key:?}"
                );
                assert_eq!(object["iri"], key.2, "{path}: a statement of {key:?}");
                assert!(subject["iri"].is_string(), "{statement}");
            }
            walk.keys.push(key);
        }
        walk.pages += 1;
        if walk.pages == 1 {
            between();
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    walk
}

/// Where a relation stands in the order of relations: out first, then predicate IRI, then the
/// other end's IRI.
fn rank(key: &Key) -> (bool, String, String) {
    (key.0 != "out", key.1.clone(), key.2.clone())
}

/// Relations in the order pages list them.
fn in_order(keys: impl IntoIterator<Item = Key>) -> Vec<Key> {
    let mut keys: Vec<Key> = keys.into_iter().collect();
    keys.sort_by_key(rank);
    keys
}

fn assert_in_order(keys: &[Key], context: &str) {
    assert!(
        keys.windows(2).all(|w| rank(&w[0]) < rank(&w[1])),
        "{context}: relations come once each, in order"
    );
}

#[test]
fn paging_walks_a_hub_of_20000_relations_once_each_and_counts_what_it_walks() {
    let (server, _data, graph) = serve(21, 6000, 6000, 20_000);
    let expected = expected_relations(&graph);
    assert!(
        expected.len() >= 20_000,
        "the hub has {} relations",
        expected.len()
    );
    assert_eq!(expected.len(), graph.hub_relations);
    let hub = hub_id(&graph);

    let first = get_json(&server, &format!("/api/v1/entities/{hub}/relations"));
    assert_eq!(
        first["relations"].as_array().unwrap().len(),
        100,
        "100 by default"
    );
    assert!(first["next_cursor"].is_string());

    let seen = walk(&server, &hub, "", 1000, || {});
    assert_in_order(&seen.keys, "the hub");
    assert!(seen.pages >= 20, "{} pages", seen.pages);
    assert_eq!(seen.keys.len(), expected.len());
    assert_eq!(
        seen.keys.iter().cloned().collect::<BTreeSet<_>>(),
        expected.keys().cloned().collect::<BTreeSet<_>>()
    );
    assert_eq!(
        seen.total as usize,
        seen.keys.len(),
        "the total is what the walk saw"
    );
    let mut counted: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (direction, predicate, _) in &seen.keys {
        *counted
            .entry((direction.clone(), predicate.clone()))
            .or_default() += 1;
    }
    assert_eq!(
        seen.totals, counted,
        "the totals per predicate and direction"
    );
    assert!(counted.len() >= 8, "the hub's predicates mix: {counted:?}");

    // A narrow date window: pages end early where they stopped looking, and still cover
    // every relation with a statement of that day, once.
    let day = "2023-10-07";
    let dated = walk(
        &server,
        &hub,
        &format!("since={day}&until={day}"),
        100,
        || {},
    );
    let expected_dated = in_order(
        expected
            .iter()
            .filter(|(_, dates)| dates.iter().any(|d| d == day))
            .map(|(key, _)| key.clone()),
    );
    assert_in_order(&dated.keys, "the hub on one day");
    assert_eq!(dated.keys, expected_dated);
    assert_eq!(
        dated.total as usize,
        expected.len(),
        "the totals are before the date filter"
    );

    // A neighbourhood that max_nodes cuts says what it left out.
    let around = get_json(
        &server,
        &format!("/api/v1/entities/{hub}/neighborhood?depth=1&max_nodes=50"),
    );
    assert_eq!(around["truncated"], true);
    assert_eq!(around["nodes"].as_array().unwrap().len(), 50);
    let cut: u64 = around["truncated_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        around["edges"].as_array().unwrap().len() as u64 + cut,
        expected.len() as u64,
        "every edge of the hub is either drawn or counted as cut"
    );
    let whole = get_json(
        &server,
        &format!(
            "/api/v1/entities/{}/neighborhood?depth=1",
            around["nodes"][1]["id"].as_str().unwrap()
        ),
    );
    if whole["truncated"] == false {
        assert_eq!(whole["truncated_counts"], serde_json::json!([]));
    }
}

#[test]
fn a_300_relation_entity_pages_by_predicate_and_direction_as_its_whole_list_filters() {
    let (server, _data, graph) = serve(22, 400, 0, 300);
    let expected = expected_relations(&graph);
    assert_eq!(expected.len(), 300);
    let hub = hub_id(&graph);
    let predicates: BTreeSet<String> = expected.keys().map(|k| k.1.clone()).collect();
    // (query, the relations it keeps, why)
    let mut cases: Vec<(String, Keeps, String)> = vec![
        ("".into(), Box::new(|_| true), "no filter".into()),
        (
            "direction=both".into(),
            Box::new(|_| true),
            "both directions".into(),
        ),
        (
            "direction=out".into(),
            Box::new(|k| k.0 == "out"),
            "out only".into(),
        ),
        (
            "direction=in".into(),
            Box::new(|k| k.0 == "in"),
            "in only".into(),
        ),
    ];
    for predicate in &predicates {
        let local = predicate.strip_prefix(EG).unwrap().to_owned();
        let by_local = local.clone();
        cases.push((
            format!("predicate={local}"),
            Box::new(move |k| k.1 == format!("{EG}{by_local}")),
            format!("the local name {local}"),
        ));
        let iri = predicate.clone();
        cases.push((
            format!("direction=in&predicate={}", encode(predicate)),
            Box::new(move |k| k.0 == "in" && k.1 == iri),
            format!("the IRI {predicate}, in"),
        ));
    }
    cases.push((
        "predicate=noSuchPredicate".into(),
        Box::new(|_| false),
        "an unknown predicate".into(),
    ));
    for (query, keeps, why) in &cases {
        let wanted = in_order(expected.keys().filter(|k| keeps(k)).cloned());
        let seen = walk(&server, &hub, query, 37, || {});
        assert_eq!(seen.keys, wanted, "{why}");
        assert_eq!(seen.total as usize, wanted.len(), "{why}");
        assert_eq!(
            seen.pages,
            wanted.len().div_ceil(37).max(1),
            "{why}: full pages"
        );
    }

    let window = walk(
        &server,
        &hub,
        "since=2023-10-10&until=2023-10-20",
        37,
        || {},
    );
    let in_window = in_order(
        expected
            .iter()
            .filter(|(_, dates)| {
                dates
                    .iter()
                    .any(|d| d.as_str() >= "2023-10-10" && d.as_str() <= "2023-10-20")
            })
            .map(|(key, _)| key.clone()),
    );
    assert!(!in_window.is_empty() && in_window.len() < 300);
    assert_eq!(
        window.keys, in_window,
        "a relation passes when one of its statements does"
    );
}

#[test]
fn a_cursor_stays_valid_across_an_unrelated_write() {
    let (server, _data, graph) = serve(23, 400, 0, 300);
    let expected = in_order(expected_relations(&graph).into_keys());
    let hub = hub_id(&graph);
    let nodes_before = get_json(&server, "/api/v1/stats")["projection"]["nodes"].clone();
    // An entity whose IRI sorts first, so that a rebuilt projection numbers every node anew.
    let write = || {
        let response = http::post(
            &server.url("/sparql"),
            &[
                ("Content-Type", "application/sparql-update"),
                ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
            ],
            "INSERT DATA { GRAPH <https://example.org/unrelated> {
               <https://w3id.org/eventgraph/id/00000000-0000-4000-8000-000000000000>
                 a <https://w3id.org/eventgraph/ontology#State> ;
                 <http://www.w3.org/2000/01/rdf-schema#label> \"Unrelated\"@en .
             } }",
        );
        assert_eq!(response.status, 204, "{}", response.body);
    };
    let seen = walk(&server, &hub, "", 50, write);
    let nodes_after = get_json(&server, "/api/v1/stats")["projection"]["nodes"].clone();
    assert_eq!(
        nodes_after.as_u64().unwrap(),
        nodes_before.as_u64().unwrap() + 1,
        "the write happened"
    );
    assert_eq!(seen.keys, expected, "every relation once, across the write");
}

#[test]
fn a_bad_limit_or_cursor_is_refused_naming_it_and_other_resources_page_from_the_store() {
    let server = TestServer::memory();
    let base = "/api/v1/entities/Qatar/relations";
    let garbage = "b3V0IHRoaXMtaXMtbm90LWFuLWlyaQ"; // base64url of "out this-is-not-an-iri"
    // (query, field at fault, why)
    let cases = [
        ("limit=0", "limit", "a limit below 1"),
        ("limit=1001", "limit", "a limit above 1000"),
        ("limit=ten", "limit", "a limit that is not a number"),
        ("limit=2.5", "limit", "a limit that is not whole"),
        (
            "cursor=%25%25%25",
            "cursor",
            "a cursor that is not base64url",
        ),
        ("cursor=eHl6", "cursor", "a cursor of three letters"),
        (
            &format!("cursor={garbage}") as &str,
            "cursor",
            "a cursor naming no IRI",
        ),
        ("direction=up", "direction", "an unknown direction"),
        ("since=31.10.2023", "since", "a date in another format"),
    ];
    for (query, field, why) in cases {
        let response = http::get(&server.url(&format!("{base}?{query}")), &[]);
        assert_eq!(response.status, 400, "{why}: {}", response.body);
        assert_eq!(response.content_type, "application/problem+json", "{why}");
        let problem = response.json();
        assert_eq!(
            problem["type"], "https://w3id.org/eventgraph/problems/invalid-parameter",
            "{why}"
        );
        assert_eq!(problem["field"], field, "{why}");
    }
    let unknown = http::get(
        &server.url("/api/v1/entities/Nobody%20at%20all/relations"),
        &[],
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // A source document is not a node of the graph: its relations come from the store, paged
    // the same way.
    let document = "73890f9d-bebf-50e2-a69a-906bc4c44f2f";
    let seen = walk(&server, document, "direction=out", 1, || {});
    assert!(seen.keys.len() >= 2, "{:?}", seen.keys);
    assert_eq!(seen.pages, seen.keys.len());
    assert_in_order(&seen.keys, "the document");
    assert!(
        seen.keys
            .iter()
            .any(|k| k.1 == "https://schema.org/publisher"),
        "{:?}",
        seen.keys
    );
}
