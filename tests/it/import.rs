//! Imports of GDELT 2.0 events and mentions and of ACLED exports, over HTTP and the command
//! line: files written here in the codebooks' layouts, read back through SPARQL and REST.

use std::io::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use crate::http;
use crate::server::{DataDir, TestServer, WRITE_TOKEN};

const EG: &str = "https://w3id.org/eventgraph/ontology#";
/// The seed's United States, Qatar, Israel, Hamas and Sputnik Africa.
const UNITED_STATES: &str = "https://w3id.org/eventgraph/id/8939f5b6-fdf7-5543-b06c-bc11c02832d1";
const QATAR: &str = "https://w3id.org/eventgraph/id/a8335669-d55c-53b8-aeae-8c5468e2141c";
const ISRAEL: &str = "https://w3id.org/eventgraph/id/db9bf135-5372-5fc1-a990-0a59735b3aa4";
const HAMAS: &str = "https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df";
const SPUTNIK_AFRICA: &str = "https://w3id.org/eventgraph/id/e0c3a387-ae09-5443-a753-f60ac593eed9";

const PREFIXES: &str = "PREFIX eg: <https://w3id.org/eventgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
";

// ---------------------------------------------------------------- test data

/// The actors of the generated events: (name, code, country code); the first four are seed
/// entities (GDELT's upper-case names fold to their labels), the last two are not.
const ACTORS: [(&str, &str, &str); 6] = [
    ("UNITED STATES", "USA", "USA"),
    ("QATAR", "QAT", "QAT"),
    ("ISRAEL", "ISR", "ISR"),
    ("HAMAS", "PSEREB", "PSE"),
    ("ANKARA", "TURGOV", "TUR"),
    ("NORWEGIAN REFUGEE COUNCIL", "NGO", ""),
];
const CODES: [&str; 5] = ["042", "0211", "190", "112", "036"];

/// The SOURCEURL of the generated event `i`.
fn source_url(i: usize) -> String {
    format!("https://news{}.example.com/story/{i}", i % 7)
}

/// The `GLOBALEVENTID` of the generated event `i`.
fn event_id(i: usize) -> u64 {
    1_100_000 + i as u64
}

/// One row of the GDELT 2.0 Event codebook (61 fields) for event `i`.
fn event_row(i: usize) -> Vec<String> {
    let (name1, code1, country1) = ACTORS[i % ACTORS.len()];
    let (name2, code2, country2) = ACTORS[(i + 1) % ACTORS.len()];
    let code = CODES[i % CODES.len()];
    let day = 1 + i % 28;
    let mut row = vec![String::new(); 61];
    row[0] = event_id(i).to_string();
    row[1] = format!("202310{day:02}");
    row[2] = "202310".into();
    row[3] = "2023".into();
    row[4] = "2023.8000".into();
    row[5] = code1.into();
    row[6] = name1.into();
    row[7] = country1.into();
    row[15] = code2.into();
    row[16] = name2.into();
    row[17] = country2.into();
    row[25] = "1".into();
    row[26] = code.into();
    row[27] = code[..3.min(code.len())].into();
    row[28] = code[..2].into();
    row[29] = if code.starts_with('0') { "1" } else { "4" }.into();
    row[30] = "-2.5".into();
    row[31] = "10".into();
    row[32] = "3".into();
    row[33] = "10".into();
    row[34] = "-4.71428571428571".into();
    let (place, lat, long) = match i % 3 {
        0 => ("Israel", "31.5", "34.75"),
        1 => ("Doha, Ad Dawhah, Qatar", "25.2867", "51.5333"),
        _ => ("Gaza Strip", "31.4167", "34.3333"),
    };
    row[51] = if i.is_multiple_of(3) { "1" } else { "4" }.into();
    row[52] = place.into();
    row[56] = lat.into();
    row[57] = long.into();
    row[59] = format!("202310{day:02}153000");
    row[60] = source_url(i);
    row
}

fn tsv(rows: &[Vec<String>]) -> String {
    rows.iter().map(|row| row.join("\t") + "\n").collect()
}

/// 60 events, `1_100_000` to `1_100_059`.
fn events_file() -> String {
    tsv(&(0..60).map(event_row).collect::<Vec<_>>())
}

/// One row of the Mentions codebook (16 fields).
fn mention_row(event: u64, outlet: &str, url: &str, confidence: u32, sentence: u32) -> Vec<String> {
    [
        event.to_string(),
        "20231001153000".to_owned(),
        "20231001160000".to_owned(),
        "1".to_owned(),
        outlet.to_owned(),
        url.to_owned(),
        sentence.to_string(),
        "120".to_owned(),
        "-1".to_owned(),
        "150".to_owned(),
        "1".to_owned(),
        confidence.to_string(),
        "2400".to_owned(),
        "-3.2".to_owned(),
        String::new(),
        String::new(),
    ]
    .into()
}

/// 56 mentions: event 0 is mentioned 12 times by 9 outlets (its own SOURCEURL among them),
/// events 1 to 44 once each.
fn mentions_file() -> String {
    let mut rows = vec![mention_row(
        event_id(0),
        "news0.example.com",
        &source_url(0),
        100,
        1,
    )];
    for k in 1..12 {
        let outlet = format!("outlet{}.example.org", k % 8);
        rows.push(mention_row(
            event_id(0),
            &outlet,
            &format!("https://{outlet}/world/{k}"),
            if k % 4 == 0 { 20 } else { 80 },
            k as u32,
        ));
    }
    for i in 1..45 {
        rows.push(mention_row(
            event_id(i),
            "wire.example.net",
            &format!("https://wire.example.net/{i}"),
            60,
            2,
        ));
    }
    tsv(&rows)
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// One ACLED row.
#[allow(clippy::too_many_arguments)]
fn acled_row(
    id: &str,
    date: &str,
    precision: u8,
    event_type: &str,
    sub: &str,
    actor1: &str,
    actor2: &str,
    location: &str,
    source: &str,
    notes: &str,
    fatalities: u32,
    timestamp: u64,
) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    [
        id.to_owned(),
        date.to_owned(),
        date[..4].to_owned(),
        precision.to_string(),
        "Political violence".to_owned(),
        event_type.to_owned(),
        sub.to_owned(),
        quote(actor1),
        String::new(),
        "1".to_owned(),
        quote(actor2),
        String::new(),
        "2".to_owned(),
        "12".to_owned(),
        String::new(),
        "376".to_owned(),
        "Middle East".to_owned(),
        "Israel".to_owned(),
        "HaDarom".to_owned(),
        String::new(),
        String::new(),
        quote(location),
        "31.5".to_owned(),
        "34.6".to_owned(),
        "1".to_owned(),
        quote(source),
        "National".to_owned(),
        quote(notes),
        fatalities.to_string(),
        String::new(),
        timestamp.to_string(),
    ]
    .join(",")
}

/// The first version of ISR1003, and of every event, is stamped with this time.
const FIRST_VERSION: u64 = 1_698_710_400;

/// 55 ACLED rows: ISR1000 to ISR1051, where ISR1003 says "at least 5" killed, its sources
/// Al Jazeera and Times of Israel; ISR1010 is revised within the file (its second row newer)
/// and ISR1011 out of order (its newer row first).
fn acled_file() -> String {
    let mut lines = vec![ACLED_HEADER.to_owned()];
    for n in 0..52 {
        let id = format!("ISR{}", 1000 + n);
        let (actor1, actor2, event_type, sub) = match n % 4 {
            0 => ("Israel Defense Forces", "Hamas", "Battles", "Armed clash"),
            1 => (
                "Hamas",
                "Civilians (Israel)",
                "Violence against civilians",
                "Attack",
            ),
            2 => (
                "Military Forces of Israel (2022-)",
                "Hamas",
                "Explosions/Remote violence",
                "Air/drone strike",
            ),
            _ => ("Protesters (Israel)", "", "Protests", "Peaceful protest"),
        };
        let (source, notes, fatalities) = match n {
            3 => (
                "Al Jazeera; Times of Israel",
                "On 3 October 2023, at least 5 people were killed in a clash.",
                5,
            ),
            4 => (
                "Sputnik Africa",
                "Reportedly, 2 people were killed in an attack.",
                2,
            ),
            _ => ("Reuters", "An event.", (n % 3) as u32),
        };
        let date = format!("2023-10-{:02}", 1 + n % 28);
        let precision = if n == 5 {
            2
        } else if n == 6 {
            3
        } else {
            1
        };
        lines.push(acled_row(
            &id,
            &date,
            precision,
            event_type,
            sub,
            actor1,
            actor2,
            "Sderot",
            source,
            notes,
            fatalities,
            FIRST_VERSION,
        ));
    }
    // ISR1010: revised within the file; ISR1011: the newer row before the older one.
    lines.push(acled_row(
        "ISR1010",
        "2023-10-11",
        1,
        "Battles",
        "Armed clash",
        "Hamas",
        "Israel Defense Forces",
        "Sderot",
        "Reuters",
        "Revised: 4 killed.",
        4,
        FIRST_VERSION + 3600,
    ));
    lines.push(acled_row(
        "ISR1011",
        "2023-10-12",
        1,
        "Battles",
        "Armed clash",
        "Hamas",
        "Israel Defense Forces",
        "Sderot",
        "Reuters",
        "Newer.",
        9,
        FIRST_VERSION + 7200,
    ));
    lines.push(acled_row(
        "ISR1011",
        "2023-10-12",
        1,
        "Battles",
        "Armed clash",
        "Hamas",
        "Israel Defense Forces",
        "Sderot",
        "Reuters",
        "Older.",
        1,
        FIRST_VERSION + 60,
    ));
    lines.join("\n") + "\n"
}

// ---------------------------------------------------------------- helpers

fn writable() -> TestServer {
    TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    )
}

/// POSTs `body` to `/api/v1/imports?QUERY` with the write token.
fn import(server: &TestServer, query: &str, body: &[u8]) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&server.url(&format!("/api/v1/imports?{query}")))
        .header("Authorization", &format!("Bearer {WRITE_TOKEN}"))
        .header("Content-Type", "application/octet-stream")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

fn imported(server: &TestServer, format: &str, body: &str) -> Value {
    let (status, report) = import(server, &format!("format={format}"), body.as_bytes());
    assert_eq!(status, 200, "{report}");
    report
}

fn select(server: &TestServer, query: &str, variable: &str) -> Vec<String> {
    let mut values = http::column(
        &http::sparql_json(&server.base, &format!("{PREFIXES}{query}")),
        variable,
    );
    values.sort();
    values
}

fn count(server: &TestServer, query: &str) -> u64 {
    select(server, query, "n")[0].parse().unwrap()
}

fn gdelt_event(i: usize) -> String {
    // The importer's id scheme: uuid v5 of "GDELT event {GLOBALEVENTID}" in eventgraph's namespace.
    let namespace = uuid::Uuid::from_u128(0x76e1c699_d595_5c98_a869_a789ed44b63b);
    let name = format!("GDELT event {}", event_id(i));
    format!(
        "https://w3id.org/eventgraph/id/{}",
        uuid::Uuid::new_v5(&namespace, name.as_bytes())
    )
}

fn acled_event(id: &str) -> String {
    let namespace = uuid::Uuid::from_u128(0x76e1c699_d595_5c98_a869_a789ed44b63b);
    let name = format!("ACLED event {id}");
    format!(
        "https://w3id.org/eventgraph/id/{}",
        uuid::Uuid::new_v5(&namespace, name.as_bytes())
    )
}

const IMPORTED_EVENTS: &str =
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a eg:Event ; dcterms:identifier ?id }";

fn quad_count(server: &TestServer) -> u64 {
    count(
        server,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
}

fn zipped(name: &str, text: &str) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut buffer);
    archive
        .start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
    archive.write_all(text.as_bytes()).unwrap();
    archive.finish().unwrap();
    buffer.into_inner()
}

/// The events file with a date that is no date on line 17 and a short row on line 30.
fn bad_events_file() -> String {
    let mut rows: Vec<Vec<String>> = (0..60).map(event_row).collect();
    rows[16][1] = "20231345".into();
    rows[29].truncate(40);
    tsv(&rows)
}

// ---------------------------------------------------------------- tests

#[test]
fn gdelt_events_and_mentions_become_events_with_actors_dates_places_types_and_publishers() {
    let server = writable();
    let report = imported(&server, "gdelt-events", &events_file());
    assert_eq!(report["rows_read"], 60, "{report}");
    assert_eq!(report["events_created"], 60, "{report}");
    assert_eq!(report["skipped"], json!([]));
    let matched: Vec<(&str, &str)> = report["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["entity"].as_str().unwrap()))
        .collect();
    assert!(
        matched.contains(&("UNITED STATES", UNITED_STATES)),
        "{report}"
    );
    assert!(matched.contains(&("QATAR", QATAR)), "{report}");
    assert!(matched.contains(&("HAMAS", HAMAS)), "{report}");
    assert!(
        matched.contains(&("Israel", ISRAEL)),
        "a place matches too: {report}"
    );
    let created: Vec<&str> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        created.contains(&"ANKARA") && created.contains(&"Doha, Ad Dawhah, Qatar"),
        "{report}"
    );
    assert!(
        created.contains(&"news3.example.com"),
        "publishers are entities: {report}"
    );
    assert_eq!(report["ambiguous_names"], 0);

    // Event 0: UNITED STATES makes a visit to QATAR in Israel on 2023-10-01.
    let event = gdelt_event(0);
    let facts = |p: &str| {
        select(
            &server,
            &format!("SELECT ?o WHERE {{ <{event}> <{p}> ?o }}"),
            "o",
        )
    };
    assert_eq!(facts(&format!("{EG}agent")), [UNITED_STATES]);
    assert_eq!(facts(&format!("{EG}target")), [QATAR]);
    assert_eq!(facts(&format!("{EG}place")), [ISRAEL]);
    assert_eq!(facts(&format!("{EG}date")), ["2023-10-01"]);
    assert_eq!(
        facts(&format!("{EG}eventType")),
        ["https://w3id.org/eventgraph/cameo/042"]
    );
    assert_eq!(facts(&format!("{EG}goldsteinScale")), ["-2.5"]);
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?label ?root WHERE {{ <{event}> eg:eventType ?c . ?c skos:prefLabel ?label ; skos:broader+ ?root . ?root skos:topConceptOf ?scheme }}"
            ),
            "label"
        ),
        ["Make a visit"],
        "CAMEO codes are a concept scheme, up to their QuadClass"
    );
    // Each fact has its statement, from its SOURCEURL, by its publisher.
    assert_eq!(
        select(&server, &format!("SELECT ?speaker WHERE {{ ?s rdf:subject <{event}> ; rdf:predicate eg:agent ; eg:source ?d ; eg:speaker ?speaker . ?d <https://schema.org/url> \"{}\"^^<http://www.w3.org/2001/XMLSchema#anyURI> }}", source_url(0)), "speaker").len(),
        1
    );
    // A new place keeps its coordinates.
    assert_eq!(
        select(
            &server,
            "SELECT ?lat WHERE { ?p rdfs:label \"Doha, Ad Dawhah, Qatar\" ; <https://schema.org/latitude> ?lat }",
            "lat"
        ),
        ["25.2867"]
    );

    let report = imported(&server, "gdelt-mentions", &mentions_file());
    assert_eq!(report["rows_read"], 56, "{report}");
    assert_eq!(report["rows_imported"], 56, "{report}");
    // 12 mentions from 9 outlets (the first the event's own SOURCEURL): 9 publishers.
    let publishers = format!(
        "SELECT (COUNT(DISTINCT ?publisher) AS ?n) WHERE {{ ?s rdf:subject <{event}> ; eg:source ?d . ?d dcterms:publisher ?publisher }}"
    );
    assert_eq!(count(&server, &publishers), 9);
    assert_eq!(
        count(
            &server,
            &format!(
                "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?s rdf:subject <{event}> ; eg:source ?d }}"
            )
        ),
        12
    );
    // A mention's statement carries its confidence, sentence and offsets.
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?c WHERE {{ ?s rdf:subject <{event}> ; eg:source <https://w3id.org/eventgraph/id/{}> ; eg:mentionConfidence ?c ; eg:sentenceNumber 4 ; eg:actor1Offset 120 ; eg:actionOffset 150 }}",
                uuid5("https://outlet4.example.org/world/4")
            ),
            "c"
        ),
        ["20"]
    );

    // Through REST: the United States' timeline holds its GDELT events, with their sources.
    let timeline = http::get(
        &server.url("/api/v1/events?actor=United%20States&from=2023-10-01&to=2023-10-01"),
        &[],
    )
    .json();
    let events = timeline["events"].as_array().unwrap();
    let ours = events
        .iter()
        .find(|e| e["iri"] == event.as_str())
        .unwrap_or_else(|| panic!("{timeline}"));
    assert_eq!(ours["date"], "2023-10-01");
    assert!(
        ours["label"].as_str().unwrap().starts_with("Make a visit"),
        "{ours}"
    );
    assert_eq!(ours["sources"].as_array().unwrap().len(), 12, "{ours}");
    let roles: Vec<(&str, &str)> = ours["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["role"]["iri"].as_str().unwrap(),
                a["actor"]["iri"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        roles.contains(&(&format!("{EG}agent")[..], UNITED_STATES)),
        "{ours}"
    );
    let entity = http::get(
        &server.url(&format!(
            "/api/v1/entities/{}",
            &event[event.rfind('/').unwrap() + 1..]
        )),
        &[],
    );
    assert_eq!(entity.status, 200, "{}", entity.body);
    assert!(
        entity.json()["types"].to_string().contains("#Event"),
        "{}",
        entity.body
    );
}

fn uuid5(name: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::from_u128(0x76e1c699_d595_5c98_a869_a789ed44b63b),
        name.as_bytes(),
    )
}

#[test]
fn a_second_import_of_the_same_files_changes_nothing() {
    let server = writable();
    imported(&server, "gdelt-events", &events_file());
    imported(&server, "gdelt-mentions", &mentions_file());
    imported(&server, "acled", &acled_file());
    let before = quad_count(&server);
    for (format, body) in [
        ("gdelt-events", events_file()),
        ("gdelt-mentions", mentions_file()),
        ("acled", acled_file()),
    ] {
        let report = imported(&server, format, &body);
        // Rows older than the version held (ACLED's revised rows) are superseded.
        assert_eq!(
            report["rows_unchanged"].as_u64().unwrap()
                + report["rows_superseded"].as_u64().unwrap(),
            report["rows_read"].as_u64().unwrap(),
            "{format}: {report}"
        );
        assert_eq!(report["statements_created"], 0, "{format}: {report}");
        assert_eq!(report["entities_created"], 0, "{format}: {report}");
        assert_eq!(report["events_created"], 0, "{format}: {report}");
    }
    assert_eq!(quad_count(&server), before);
}

#[test]
fn a_name_several_entities_have_becomes_a_new_entity_possibly_the_same_as_each() {
    let server = writable();
    for description in ["A trader in Doha.", "A negotiator in Cairo."] {
        let created = http::request(
            "POST",
            &server.url("/api/v1/entities"),
            &[
                ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
                ("Content-Type", "application/json"),
            ],
            Some(
                &json!({"label": "Omar Haddad", "types": ["Person"], "description": description})
                    .to_string(),
            ),
        );
        assert_eq!(created.status, 201, "{}", created.body);
    }
    let mut row = event_row(0);
    row[6] = "OMAR HADDAD".into();
    row[5] = String::new();
    let mut rows = vec![row.clone()];
    row[0] = "1200001".into();
    rows.push(row);
    let report = imported(&server, "gdelt-events", &tsv(&rows));
    assert_eq!(report["ambiguous_names"], 1, "{report}");
    let ambiguous = &report["ambiguous"][0];
    assert_eq!(ambiguous["name"], "OMAR HADDAD");
    assert_eq!(
        ambiguous["candidates"].as_array().unwrap().len(),
        2,
        "{report}"
    );
    let entity = ambiguous["entity"].as_str().unwrap();
    // Both rows name the same new entity, linked to both candidates by reviewable statements.
    assert_eq!(
        count(
            &server,
            &format!("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e eg:agent <{entity}> }}")
        ),
        2
    );
    assert_eq!(
        count(
            &server,
            &format!(
                "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ <{entity}> eg:possiblySameAs ?c . ?s rdf:subject <{entity}> ; rdf:predicate eg:possiblySameAs ; rdf:object ?c ; eg:modality eg:Possible ; eg:source ?d . ?c rdfs:label ?l FILTER(str(?l) = \"Omar Haddad\") }}"
            )
        ),
        2
    );
    // Nothing was merged: the name now has three entities, and REST says so.
    let lookup = http::get(&server.url("/api/v1/events?actor=Omar%20Haddad"), &[]);
    assert_eq!(lookup.status, 300, "{}", lookup.body);
}

#[test]
fn acled_fatalities_are_figures_reported_by_their_sources_and_a_newer_version_replaces_the_older() {
    let server = writable();
    let report = imported(&server, "acled", &acled_file());
    assert_eq!(report["rows_read"], 55, "{report}");
    assert_eq!(report["events_created"], 52, "{report}");
    assert_eq!(
        report["events_revised"], 2,
        "ISR1010 and ISR1011 within the file: {report}"
    );
    assert_eq!(
        report["rows_superseded"], 1,
        "ISR1011's older row: {report}"
    );
    let matched: Vec<&str> = report["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["entity"].as_str().unwrap())
        .collect();
    assert!(
        matched.contains(&HAMAS) && matched.contains(&SPUTNIK_AFRICA),
        "{report}"
    );

    let figure = |id: &str| {
        select(
            &server,
            &format!(
                "SELECT ?value WHERE {{ ?r eg:concerns <{}> ; eg:deathToll ?q . ?q eg:value ?value }}",
                acled_event(id)
            ),
            "value",
        )
    };
    // ISR1003: "at least 5", reported by Al Jazeera and Times of Israel, quoted.
    let event = acled_event("ISR1003");
    assert_eq!(figure("ISR1003"), ["5"]);
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?hedge ?word WHERE {{ ?r eg:concerns <{event}> ; a eg:CasualtyReport ; eg:deathToll ?q . ?q a eg:Quantity ; eg:hedge ?hedge ; eg:hedgeWord ?word }}"
            ),
            "word"
        ),
        ["at least"]
    );
    let speakers = select(
        &server,
        &format!(
            "SELECT ?label WHERE {{ ?r eg:concerns <{event}> . ?s rdf:subject ?r ; rdf:predicate eg:deathToll ; eg:speaker ?who ; eg:quote ?quote ; eg:source ?d . ?d dcterms:publisher ?who . ?who rdfs:label ?label }}"
        ),
        "label",
    );
    assert_eq!(speakers, ["Al Jazeera", "Times of Israel"]);
    // ISR1004: "reportedly": its figure is stated as possible.
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?m WHERE {{ ?r eg:concerns <{}> . ?s rdf:subject ?r ; rdf:predicate eg:deathToll ; eg:modality ?m }}",
                acled_event("ISR1004")
            ),
            "m"
        ),
        [format!("{EG}Possible")]
    );
    // Dates at their precision: ISR1005 within a week, ISR1006 within its month.
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?from WHERE {{ <{}> eg:notBefore ?from ; eg:notAfter ?to ; eg:timePrecision 2 }}",
                acled_event("ISR1005")
            ),
            "from"
        ),
        ["2023-09-30"]
    );
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT ?to WHERE {{ <{}> eg:notBefore \"2023-10-01\"^^<http://www.w3.org/2001/XMLSchema#date> ; eg:notAfter ?to }}",
                acled_event("ISR1006")
            ),
            "to"
        ),
        ["2023-10-31"]
    );
    // Types as concepts, the sub-type narrower than the type.
    assert_eq!(
        select(
            &server,
            &format!(
                "SELECT DISTINCT ?label WHERE {{ <{event}> eg:eventType ?c . ?c skos:broader ?t . ?t skos:prefLabel ?label }}"
            ),
            "label"
        ),
        ["Protests"]
    );
    // The revisions within the file: the newest version's figure only.
    assert_eq!(figure("ISR1010"), ["4"]);
    assert_eq!(figure("ISR1011"), ["9"]);

    // A newer version of ISR1003 replaces the older: 7 killed, one figure, and the old
    // version's document is kept, the new one a revision of it.
    let revision = format!(
        "{ACLED_HEADER}\n{}\n",
        acled_row(
            "ISR1003",
            "2023-10-05",
            1,
            "Battles",
            "Armed clash",
            "Israel Defense Forces",
            "Hamas",
            "Sderot",
            "Reuters",
            "7 people were killed.",
            7,
            FIRST_VERSION + 86_400
        )
    );
    let report = imported(&server, "acled", &revision);
    assert_eq!(report["events_revised"], 1, "{report}");
    assert_eq!(figure("ISR1003"), ["7"]);
    assert_eq!(
        select(
            &server,
            &format!("SELECT ?date WHERE {{ <{event}> eg:date ?date }}"),
            "date"
        ),
        ["2023-10-05"]
    );
    assert_eq!(
        count(
            &server,
            &format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ ?new prov:wasRevisionOf ?old . ?old dcterms:identifier \"ISR1003\" . GRAPH ?old {{ ?s rdf:subject <{event}> ; eg:source ?old }} }}"
            )
        ),
        6,
        "the old version's statements stay as history"
    );
    // The older file again: its ISR1003 row is superseded, nothing changes.
    let before = quad_count(&server);
    let report = imported(&server, "acled", &acled_file());
    // ISR1003, ISR1010's first row and ISR1011's two older rows.
    assert_eq!(report["rows_superseded"], 4, "{report}");
    assert_eq!(quad_count(&server), before);
    assert_eq!(figure("ISR1003"), ["7"]);
}

#[test]
fn a_bad_file_imports_nothing_and_names_its_line_and_field() {
    let server = writable();
    let before = quad_count(&server);
    let (status, problem) = import(&server, "format=gdelt-events", bad_events_file().as_bytes());
    assert_eq!(status, 400, "{problem}");
    assert_eq!(
        problem["type"],
        "https://w3id.org/eventgraph/problems/invalid-row"
    );
    assert_eq!(problem["line"], 17, "{problem}");
    assert_eq!(problem["field"], "SQLDATE", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("20231345"),
        "{problem}"
    );
    assert_eq!(
        quad_count(&server),
        before,
        "nothing of the file was written"
    );

    let mut short = vec![event_row(0)];
    short[0].truncate(58);
    let (status, problem) = import(&server, "format=gdelt-events", tsv(&short).as_bytes());
    assert_eq!(
        (status, &problem["field"], &problem["line"]),
        (400, &json!("row"), &json!(1)),
        "{problem}"
    );

    let mut acled = acled_file().lines().map(str::to_owned).collect::<Vec<_>>();
    acled[9] = acled[9].replacen("2023-10-", "2023-19-", 1);
    let (status, problem) = import(
        &server,
        "format=acled",
        (acled.join("\n") + "\n").as_bytes(),
    );
    assert_eq!(
        (status, &problem["field"], &problem["line"]),
        (400, &json!("event_date"), &json!(10)),
        "{problem}"
    );

    let mut broken = zipped("x.export.CSV", &events_file());
    broken.truncate(broken.len() / 2);
    let (status, problem) = import(&server, "format=gdelt-events", &broken);
    assert_eq!(status, 400, "{problem}");
    assert_eq!(
        problem["type"], "https://w3id.org/eventgraph/problems/unreadable-zip",
        "{problem}"
    );

    let (status, problem) = import(&server, "format=gdelt", events_file().as_bytes());
    assert_eq!(
        (status, &problem["field"]),
        (400, &json!("format")),
        "{problem}"
    );
    assert_eq!(quad_count(&server), before);
}

#[test]
fn skip_invalid_imports_the_good_rows_and_lists_every_skipped_one() {
    let server = writable();
    let (status, report) = import(
        &server,
        "format=gdelt-events&skip_invalid=true",
        bad_events_file().as_bytes(),
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows_read"], 60);
    assert_eq!(report["rows_imported"], 58);
    let skipped: Vec<(u64, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["line"].as_u64().unwrap(), s["field"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped, [(17, "SQLDATE"), (30, "row")], "{report}");
    assert_eq!(count(&server, IMPORTED_EVENTS), 58);
    assert_eq!(
        count(
            &server,
            &format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ <{}> ?p ?o }}",
                gdelt_event(16)
            )
        ),
        0,
        "the bad row wrote nothing"
    );
}

#[test]
fn the_command_line_imports_zipped_files_with_a_report_and_refuses_a_bad_one() {
    let data = DataDir::new();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let events = write(
        "20231001.export.CSV.zip",
        &zipped("20231001.export.CSV", &events_file()),
    );
    let mentions = write(
        "20231001.mentions.CSV.zip",
        &zipped("20231001.mentions.CSV", &mentions_file()),
    );
    let path = |p: &Path| p.to_str().unwrap().to_owned();
    let output = data.run(&[
        "import",
        "--format",
        "gdelt-events",
        "--json",
        &path(&events),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["events_created"], 60, "{report}");
    let output = data.run(&["import", "--format", "gdelt-mentions", &path(&mentions)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("56 rows read"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let bad = write("bad.export.CSV", bad_events_file().as_bytes());
    let output = data.run(&["import", "--format", "gdelt-events", &path(&bad)]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:17: field SQLDATE", path(&bad))),
        "{stderr}"
    );
    let output = data.run(&[
        "import",
        "--format",
        "gdelt-events",
        "--skip-invalid",
        &path(&bad),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(":30 (field row)") && stderr.contains("58 unchanged"),
        "{stderr}"
    );

    let server = TestServer::on(&data);
    assert_eq!(count(&server, IMPORTED_EVENTS), 60);
    let publishers = format!(
        "SELECT (COUNT(DISTINCT ?publisher) AS ?n) WHERE {{ ?s rdf:subject <{}> ; eg:source ?d . ?d dcterms:publisher ?publisher }}",
        gdelt_event(0)
    );
    assert_eq!(count(&server, &publishers), 9);
    let timeline = http::get(
        &server.url("/api/v1/events?actor=Qatar&from=2023-10-01&to=2023-10-01"),
        &[],
    )
    .json();
    assert!(
        timeline["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["iri"] == gdelt_event(0).as_str()),
        "{timeline}"
    );
}

#[test]
fn a_bad_row_after_the_bulk_loader_started_imports_nothing() {
    let server = writable();
    let before = quad_count(&server);
    // Some 110,000 quads are staged (and handed to the bulk loader) before row 1,900.
    let mut rows: Vec<Vec<String>> = (0..2_000).map(event_row).collect();
    rows[1_899][1] = "20231345".to_owned();
    let (status, problem) = import(&server, "format=gdelt-events", tsv(&rows).as_bytes());
    assert_eq!(status, 400, "{problem}");
    assert_eq!(
        (&problem["line"], &problem["field"]),
        (&json!(1_900), &json!("SQLDATE")),
        "{problem}"
    );
    assert_eq!(
        quad_count(&server),
        before,
        "nothing of the file was written"
    );
    assert_eq!(count(&server, IMPORTED_EVENTS), 0);
}

#[test]
fn a_large_file_goes_through_the_bulk_loader_and_the_read_models_catch_up() {
    let server = writable();
    // 2,000 events make some 120,000 quads: past what an import stages in memory.
    let body = tsv(&(0..2_000).map(event_row).collect::<Vec<_>>());
    let (status, report) = import(&server, "format=gdelt-events", body.as_bytes());
    assert_eq!(status, 200, "{report}");
    assert!(report["quads"].as_u64().unwrap() > 100_000, "{report}");
    assert_eq!(report["events_created"], 2_000, "{report}");
    assert_eq!(count(&server, IMPORTED_EVENTS), 2_000);
    let event = gdelt_event(1_999);
    let id = &event[event.rfind('/').unwrap() + 1..];
    // The read models rebuild in the background; the entity appears in them once they have.
    let found = (0..600).any(|_| {
        let response = http::get(&server.url(&format!("/api/v1/entities/{id}")), &[]);
        if response.status == 200 {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        false
    });
    assert!(found, "the rebuilt read models hold the imported event");
    let relations = http::get(
        &server.url(&format!("/api/v1/entities/{id}/relations")),
        &[],
    );
    assert_eq!(relations.status, 200, "{}", relations.body);
    assert!(relations.body.contains("#agent"), "{}", relations.body);
    let report = imported(&server, "gdelt-events", &body);
    assert_eq!(report["rows_unchanged"], 2_000, "{report}");
}
