//! Hostile and malformed input: every item of the corpus is answered with a 4xx problem that
//! says what is wrong, the process survives it and the store is unchanged; a query or update
//! stopped at its time limit stops using CPU and memory; SERVICE in an update obeys the
//! allow-list.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::{encode, get, sparql_json};
use crate::server::{TestServer, WRITE_TOKEN, repo_path};

/// A raw HTTP/1.1 exchange, so that bodies may be any bytes and targets are sent verbatim.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn raw(
    server: &TestServer,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Raw {
    let address = server.base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer a large body (413) from its Content-Length alone, and close:
    // then the body is not sent, lest the close reset the connection before the answer is read.
    let answered_early = body.len() > 1024 * 1024 && {
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut byte = [0_u8; 1];
        let peeked = matches!(stream.peek(&mut byte), Ok(n) if n > 0);
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        peeked
    };
    if !answered_early {
        let _ = stream.write_all(body);
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| {
        panic!("{method} {target}: no HTTP answer (the server died or hung?): {text:?}")
    });
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect::<Vec<_>>();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Raw {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// [`Case::status`]: any 4xx answer.
const ANY_4XX: u16 = 4;
/// [`Case::status`]: any answer but a 5xx (an ignored parameter may well succeed).
const NOT_5XX: u16 = 0;

/// [`Case::line`]: any line, as long as the problem has one (the SPARQL parser reports
/// the furthest place it tried, often the end of the text).
const ANY_LINE: u64 = 0;

/// One hostile request and what its answer must say.
struct Case {
    /// What the case is, for messages.
    name: &'static str,
    method: &'static str,
    target: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// The status expected.
    status: u16,
    /// The end of the problem's `type` URI, when the case pins it.
    slug: Option<&'static str>,
    /// Words the `detail` must contain (what and where).
    detail: &'static [&'static str],
    /// The problem's `line` member, when the case pins it.
    line: Option<u64>,
}

fn case(name: &'static str, method: &'static str, target: impl Into<String>) -> Case {
    Case {
        name,
        method,
        target: target.into(),
        headers: Vec::new(),
        body: Vec::new(),
        status: 400,
        slug: None,
        detail: &[],
        line: None,
    }
}

impl Case {
    fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.headers.push(("Content-Type", content_type.to_owned()));
        self.body = body.into();
        self
    }
    fn token(mut self) -> Self {
        self.headers
            .push(("Authorization", format!("Bearer {WRITE_TOKEN}")));
        self
    }
    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
    fn expect(mut self, status: u16, slug: &'static str, detail: &'static [&'static str]) -> Self {
        self.status = status;
        self.slug = Some(slug);
        self.detail = detail;
        self
    }
    fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
    fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo_path(&format!("tests/fixtures/hostile/{name}"))).unwrap()
}

fn query_target(query: &str) -> String {
    format!("/sparql?query={}", encode(query))
}

/// Turtle whose one object nests `depth` blank nodes.
fn nested_blank_nodes(depth: usize) -> String {
    format!(
        "<https://example.org/a> <https://example.org/p> {}1{} .",
        "[ <https://example.org/p> ".repeat(depth),
        " ]".repeat(depth)
    )
}

/// The corpus: each item generated here or read from `tests/fixtures/hostile/`.
fn corpus() -> Vec<Case> {
    let graph = "/store?graph=https%3A%2F%2Fexample.org%2Fhostile";
    let deep = |n: usize| format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(n), "}".repeat(n));
    let unions = format!(
        "SELECT * WHERE {{ {} }}",
        vec!["{}"; 20_000].join(" UNION ")
    );
    let sum = format!("SELECT (1{} AS ?n) WHERE {{}}", "+1".repeat(100_000));
    let patterns = format!(
        "SELECT * WHERE {{ {} }}",
        (0..2_000)
            .map(|i| format!("?s <https://example.org/p{i}> ?o{i} ."))
            .collect::<String>()
    );
    let huge_literal = format!(
        "<https://example.org/a> <https://example.org/p> \"{}\" .",
        "x".repeat(20 * 1024 * 1024)
    );
    let huge_iri = format!(
        "<https://example.org/{}> <https://example.org/p> 1 .",
        "i".repeat(1024 * 1024)
    );
    let deep_xml = format!(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"https://example.org/\">{}{}</rdf:RDF>",
        "<rdf:Description><ex:p>".repeat(50_000),
        "</ex:p></rdf:Description>".repeat(50_000)
    );
    let deep_json = format!(
        "{}1{}",
        "{\"https://example.org/p\": [".repeat(50_000),
        "]}".repeat(50_000)
    );
    let collections = format!(
        "<https://example.org/a> <https://example.org/p> {}1{} .",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let mut invalid_utf8 = b"<https://example.org/a> <https://example.org/p> \"".to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe]);
    invalid_utf8.extend_from_slice(b"\" .\n");
    let oversized = vec![b' '; 65 * 1024 * 1024];
    vec![
        // SPARQL queries.
        case("5,000 nested braces", "GET", query_target(&deep(5_000))).expect(
            400,
            "nesting-too-deep",
            &["200 levels", "line 1"],
        ),
        case("100,000 nested braces by POST", "POST", "/sparql")
            .body("application/sparql-query", deep(100_000))
            .expect(400, "nesting-too-deep", &["200 levels"]),
        case(
            "nested parentheses in a FILTER",
            "GET",
            query_target(&format!(
                "ASK {{ FILTER({}1{}) }}",
                "(".repeat(1_000),
                ")".repeat(1_000)
            )),
        )
        .expect(400, "nesting-too-deep", &["line 1, column"]),
        case("20,000 UNIONs", "POST", "/sparql")
            .body("application/sparql-query", unions)
            .expect(400, "operators-too-deep", &["UNION"]),
        case("1+1+… 100,000 times", "POST", "/sparql")
            .body("application/sparql-query", sum)
            .expect(400, "operators-too-deep", &["`+`"]),
        case(
            "1+1+… 500 times",
            "GET",
            query_target(&format!("SELECT (1{} AS ?n) WHERE {{}}", "+1".repeat(500))),
        )
        .status(200),
        case("a path of 10,000 alternatives", "POST", "/sparql")
            .body(
                "application/sparql-query",
                format!("ASK {{ ?s <urn:p>{} ?o }}", "|<urn:p>".repeat(10_000)),
            )
            .expect(400, "operators-too-deep", &[]),
        case("2,000 triple patterns", "POST", "/sparql")
            .body("application/sparql-query", patterns)
            .expect(400, "too-many-triple-patterns", &["2000", "1000"]),
        case("a 300 KiB query", "POST", "/sparql")
            .body(
                "application/sparql-query",
                format!("ASK {{}} # {}", "x".repeat(300 * 1024)),
            )
            .expect(413, "query-too-long", &["262144"]),
        case("a SPARQL syntax error", "POST", "/sparql")
            .body("application/sparql-query", fixture("syntax-error.rq"))
            .expect(400, "malformed-query", &["line "])
            .line(ANY_LINE),
        case("a query that is not UTF-8", "POST", "/sparql")
            .body("application/sparql-query", b"ASK { \"\xff\" }".to_vec())
            .status(400),
        case("an unknown Accept", "GET", query_target("ASK {}"))
            .header("Accept", "application/x-nothing")
            .expect(406, "not-acceptable", &[]),
        case("an unknown POST media type", "POST", "/sparql")
            .body("text/x-nothing", "ASK {}")
            .expect(415, "unsupported-media-type", &[]),
        case(
            "an invalid timeout",
            "GET",
            format!("{}&timeout=NaN", query_target("ASK {}")),
        )
        .expect(400, "invalid-parameter", &["timeout"]),
        case(
            "an invalid default-graph-uri",
            "GET",
            format!(
                "{}&default-graph-uri=not%20an%20iri",
                query_target("ASK {}")
            ),
        )
        .expect(400, "invalid-graph-iri", &["default-graph-uri"]),
        // SPARQL updates.
        case("an update syntax error", "POST", "/sparql")
            .token()
            .body("application/sparql-update", fixture("syntax-error.ru"))
            .expect(400, "malformed-query", &["line 1"]),
        case("an update 5,000 braces deep", "POST", "/sparql")
            .token()
            .body(
                "application/sparql-update",
                format!(
                    "INSERT {{ <urn:a> <urn:b> ?o }} WHERE {}?s ?p ?o{}",
                    "{".repeat(5_000),
                    "}".repeat(5_000)
                ),
            )
            .expect(400, "nesting-too-deep", &["update"]),
        case(
            "INSERT DATA with 5,000 nested blank nodes",
            "POST",
            "/sparql",
        )
        .token()
        .body(
            "application/sparql-update",
            format!("INSERT DATA {{ {} }}", nested_blank_nodes(5_000)),
        )
        .expect(400, "nesting-too-deep", &["update"]),
        // Graph Store bodies.
        case("broken Turtle", "PUT", graph)
            .token()
            .body("text/turtle", fixture("broken.ttl"))
            .expect(400, "malformed-rdf", &[])
            .line(3),
        case("TriG to a graph", "PUT", graph)
            .token()
            .body("application/trig", fixture("broken.trig"))
            .expect(415, "unsupported-media-type", &[]),
        case("broken JSON-LD", "PUT", graph)
            .token()
            .body("application/ld+json", fixture("broken.jsonld"))
            .expect(400, "malformed-rdf", &[]),
        case("broken RDF/XML", "PUT", graph)
            .token()
            .body("application/rdf+xml", fixture("broken.rdf"))
            .expect(400, "malformed-rdf", &[]),
        case("an IRI with a space", "PUT", graph)
            .token()
            .body("text/turtle", fixture("bad-iri.ttl"))
            .expect(400, "malformed-rdf", &[])
            .line(1),
        case("billion laughs", "PUT", graph)
            .token()
            .body("application/rdf+xml", fixture("billion-laughs.rdf"))
            .expect(400, "xml-entities-refused", &["line 2, column 1"]),
        case("an external XML entity", "PUT", graph)
            .token()
            .body("application/rdf+xml", fixture("external-entity.rdf"))
            .expect(400, "xml-entities-refused", &[]),
        case("RDF/XML 100,000 elements deep", "PUT", graph)
            .token()
            .body("application/rdf+xml", deep_xml)
            .expect(400, "nesting-too-deep", &["body", "200 levels"]),
        case("Turtle with 100,000 nested blank nodes", "PUT", graph)
            .token()
            .body("text/turtle", nested_blank_nodes(100_000))
            .expect(400, "nesting-too-deep", &["body", "line 1"]),
        case("Turtle with 100,000 nested collections", "PUT", graph)
            .token()
            .body("text/turtle", collections)
            .expect(400, "nesting-too-deep", &["body"]),
        case("JSON-LD 50,000 objects deep", "PUT", graph)
            .token()
            .body("application/ld+json", deep_json)
            .expect(400, "nesting-too-deep", &["body"]),
        case("a 20 MB literal", "PUT", graph)
            .token()
            .body("text/turtle", huge_literal)
            .expect(400, "literal-too-long", &["line 1, column 49"])
            .line(1),
        case("a 1 MB IRI", "PUT", graph)
            .token()
            .body("text/turtle", huge_iri)
            .expect(400, "iri-too-long", &["line 1, column 1"]),
        case("invalid UTF-8 in a literal", "PUT", graph)
            .token()
            .body("text/turtle", invalid_utf8)
            .expect(400, "invalid-utf8", &["line 1, column 50"]),
        case("an unknown body media type", "PUT", graph)
            .token()
            .body("application/x-nothing", "x")
            .expect(415, "unsupported-media-type", &[]),
        case("a body over --max-body-bytes", "PUT", graph)
            .token()
            .body("text/turtle", oversized)
            .status(413),
        case(
            "a graph that is not an IRI",
            "PUT",
            "/store?graph=not%20an%20iri",
        )
        .token()
        .body(
            "text/turtle",
            "<https://example.org/a> <https://example.org/b> 1 .",
        )
        .expect(400, "invalid-parameter", &["graph"]),
        // REST bodies.
        case(
            "a REST body 100,000 arrays deep",
            "POST",
            "/api/v1/entities",
        )
        .token()
        .body(
            "application/json",
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        )
        .expect(400, "invalid-parameter", &["body"]),
        case("a REST body that is not UTF-8", "POST", "/api/v1/entities")
            .token()
            .body("application/json", b"{\"label\": \"\xff\xfe\"}".to_vec())
            .expect(400, "invalid-parameter", &["body"]),
        // Paths, identifiers, parameters and headers.
        case("/store/../..", "GET", "/store/../..").status(ANY_4XX),
        case(
            "encoded dot segments",
            "GET",
            "/store/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        )
        .expect(404, "graph-not-found", &[]),
        case(
            "an invalid UUID",
            "GET",
            "/api/v1/entities/not-a-uuid%00%0d%0a",
        )
        .status(ANY_4XX),
        case(
            "an unknown export format",
            "GET",
            "/api/v1/export?format=exe",
        )
        .status(ANY_4XX),
        case(
            "a header injected in an export file name",
            "GET",
            "/api/v1/export?format=csv-nodes&filename=x%0d%0aX-Injected:%201",
        )
        .status(NOT_5XX),
    ]
}

/// What the store holds, as the SPARQL endpoint and the stats count it.
fn snapshot(server: &TestServer) -> (String, Value) {
    let count = sparql_json(
        &server.base,
        "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    );
    let stats = get(&server.url("/api/v1/stats"), &[]).json();
    (
        count["results"]["bindings"][0]["n"]["value"].to_string(),
        stats,
    )
}

#[test]
fn the_hostile_corpus_gets_problems_that_say_what_and_where_and_changes_nothing() {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    let before = snapshot(&server);
    let mut failures = Vec::new();
    for case in corpus() {
        let headers: Vec<(&str, &str)> =
            case.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let started = Instant::now();
        let answer = raw(&server, case.method, &case.target, &headers, &case.body);
        let took = started.elapsed();
        let mut wrong = Vec::new();
        let status_ok = match case.status {
            NOT_5XX => answer.status < 500,
            ANY_4XX => (400..500).contains(&answer.status),
            status => answer.status == status,
        };
        if !status_ok {
            wrong.push(format!(
                "status {} (expected {})",
                answer.status, case.status
            ));
        }
        if took > Duration::from_secs(10) {
            wrong.push(format!("took {took:?}"));
        }
        if answer.status >= 400 {
            if answer.header("content-type") != Some("application/problem+json") {
                wrong.push(format!("content type {:?}", answer.header("content-type")));
            }
            match serde_json::from_str::<Value>(&answer.body) {
                Ok(problem) => {
                    let detail = problem["detail"].as_str().unwrap_or_default();
                    if let Some(slug) = case.slug {
                        let expected = format!("https://w3id.org/eventgraph/problems/{slug}");
                        if problem["type"] != expected.as_str() {
                            wrong.push(format!("type {} (expected {expected})", problem["type"]));
                        }
                    }
                    if let Some(line) = case.line {
                        if !(problem["line"] == line
                            || line == ANY_LINE && problem["line"].is_u64())
                        {
                            wrong.push(format!("line {} (expected {line})", problem["line"]));
                        }
                    }
                    for word in case.detail {
                        if !detail.contains(word) {
                            wrong.push(format!("detail {detail:?} lacks {word:?}"));
                        }
                    }
                }
                Err(e) => wrong.push(format!("body is not JSON ({e}): {:.300}", answer.body)),
            }
        }
        if answer.header("x-injected").is_some() {
            wrong.push("a header was injected".to_owned());
        }
        if let Some(disposition) = answer.header("content-disposition") {
            if disposition.contains('\r')
                || disposition.contains('\n')
                || disposition.contains("X-Injected")
            {
                wrong.push(format!("content-disposition {disposition:?}"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", case.name, wrong.join("; ")));
        }
    }
    // The process survived every item, and nothing was written.
    assert_eq!(snapshot(&server), before, "the corpus changed the store");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn queries_nested_below_the_limit_are_answered() {
    let server = TestServer::memory();
    let query = format!("ASK {}?s ?p ?o{}", "{".repeat(190), "}".repeat(190));
    let answer = get(
        &server.url(&query_target(&query)),
        &[("Accept", "application/sparql-results+json")],
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["boolean"], true);
}

/// User and system CPU time of a process, in clock ticks (`/proc/PID/stat`, fields 14, 15).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').unwrap().1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Resident memory of a process, in KiB (`VmRSS` of `/proc/PID/status`).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn ticks_per_second() -> u64 {
    let output = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn stopped_queries_stop_using_cpu_and_release_memory_within_a_second() {
    let server = TestServer::memory();
    let pid = server.pid();
    let hz = ticks_per_second();
    let cases = [
        (
            "sort",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g",
        ),
        (
            "group",
            "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?a",
        ),
        (
            "join",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) < 0) }",
        ),
        (
            "property path",
            "SELECT (COUNT(*) AS ?n) WHERE { ?x (!<urn:none>|^!<urn:none>)* ?y . ?z ?q ?w }",
        ),
    ];
    let baseline = rss_kib(pid);
    let mut report = Vec::new();
    for (operator, query) in cases {
        let answer = get(
            &server.url(&format!("{}&timeout=2", query_target(query))),
            &[("Accept", "application/sparql-results+json")],
        );
        assert_eq!(answer.status, 503, "{operator}: {}", answer.body);
        assert!(
            answer.body.contains("query-timeout"),
            "{operator}: {}",
            answer.body
        );
        std::thread::sleep(Duration::from_secs(1));
        let ticks = cpu_ticks(pid);
        let rss = rss_kib(pid);
        std::thread::sleep(Duration::from_secs(1));
        let busy = cpu_ticks(pid) - ticks;
        report.push(format!(
            "{operator}: {:.2} s of CPU in the second after, RSS {} MiB (baseline {} MiB)",
            busy as f64 / hz as f64,
            rss / 1024,
            baseline / 1024
        ));
        // A query still running would use a whole core (1.0 s per second).
        assert!(
            busy * 5 < hz,
            "{operator} still runs after its 503: {report:?}"
        );
        // A query still holding its tuples would hold gigabytes.
        assert!(
            rss < baseline + 512 * 1024,
            "{operator} still holds its memory: {report:?}"
        );
    }
    eprintln!("{}", report.join("\n"));
    // And the server still answers.
    assert_eq!(
        sparql_json(&server.base, "ASK { ?s ?p ?o }")["boolean"],
        true
    );
}

#[test]
fn updates_have_a_time_limit_and_a_stopped_update_writes_nothing() {
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    // An update's WHERE sees the store's default graph, and the seed is in named graphs.
    let update = "INSERT { <urn:eventgraph:stopped> <urn:eventgraph:count> ?n } WHERE { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } } }";
    let started = Instant::now();
    let answer = raw(
        &server,
        "POST",
        "/sparql?timeout=1",
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        update.as_bytes(),
    );
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("query-timeout"), "{}", answer.body);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        sparql_json(&server.base, "ASK { <urn:eventgraph:stopped> ?p ?o }")["boolean"],
        false
    );
}

#[test]
fn service_in_an_update_obeys_the_allow_list() {
    // A listener that would see the request, were the allow-list bypassed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}/sparql", listener.local_addr().unwrap());
    let server = TestServer::start_with(
        &["--memory"],
        &[],
        &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
    );
    let update = format!("INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}");
    let answer = raw(
        &server,
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &format!("Bearer {WRITE_TOKEN}")),
        ],
        update.as_bytes(),
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body.contains("federation-refused"),
        "{}",
        answer.body
    );
    assert!(
        listener.accept().is_err(),
        "the update reached a host that is not allowed"
    );
}

#[test]
fn the_command_line_is_trusted_with_a_literal_over_the_servers_limit() {
    let data = crate::server::DataDir::new();
    let file = data.path().with_file_name("long-literal.nt");
    let literal = "x".repeat(2 * 1024 * 1024);
    std::fs::write(
        &file,
        format!("<https://example.org/a> <https://example.org/p> \"{literal}\" .\n"),
    )
    .unwrap();
    let output = data.run(&["--no-seed", "load", file.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let server = TestServer::on(&data);
    let answer = sparql_json(
        &server.base,
        "SELECT (STRLEN(?o) AS ?n) WHERE { <https://example.org/a> ?p ?o }",
    );
    assert_eq!(
        answer["results"]["bindings"][0]["n"]["value"],
        (2 * 1024 * 1024).to_string()
    );
}

#[test]
fn a_query_whose_client_hangs_up_still_stops_at_its_time_limit() {
    // actix-web keeps a request's handler running when its client leaves (it notices only when
    // it writes the answer), so the time limit is what stops the query: it must still hold.
    let server = TestServer::memory();
    let pid = server.pid();
    let hz = ticks_per_second();
    let query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g";
    let address = server.base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {}&timeout=2 HTTP/1.1\r\nHost: {address}\r\n\r\n",
        query_target(query)
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(stream);
    std::thread::sleep(Duration::from_millis(2500));
    let ticks = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(1));
    let busy = cpu_ticks(pid) - ticks;
    assert!(
        busy * 5 < hz,
        "the query still runs a second after its limit: {busy} ticks in a second ({hz} a second)"
    );
}
