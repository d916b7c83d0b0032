//! Operations: health checks, Prometheus metrics, request ids in headers, logs and problem
//! documents, and a SIGTERM at any moment of the start-up ending the server cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::{self, encode};
use crate::server::{DataDir, TestServer, binary};

#[test]
fn healthz_and_readyz_answer_and_readyz_names_the_generation() {
    let server = TestServer::memory();
    let live = http::get(&server.url("/healthz"), &[]);
    assert_eq!(live.status, 200, "{}", live.body);
    assert_eq!(live.json()["status"], "ok");
    let ready = http::get(&server.url("/readyz"), &[]);
    assert_eq!(ready.status, 200, "{}", ready.body);
    let ready = ready.json();
    assert_eq!(ready["status"], "ready", "{ready}");
    assert!(ready["generation"].is_u64(), "{ready}");
}

/// The value of the sample `name{labels}` in a Prometheus text page, where `labels` is the
/// exact label set as written.
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn metrics_count_requests_by_route_pattern_and_status_and_show_the_read_models() {
    let server = TestServer::start_with(&["--memory"], &["--max-result-rows", "3"], &[]);
    for _ in 0..3 {
        assert_eq!(
            http::get(&server.url("/api/v1/entities/Hamas"), &[]).status,
            200
        );
    }
    assert_eq!(
        http::get(&server.url("/api/v1/entities/Qatar"), &[]).status,
        200
    );
    assert_eq!(http::get(&server.url("/no/such/path"), &[]).status, 404);
    let too_many = http::get(
        &server.url(&format!(
            "/sparql?query={}",
            encode("SELECT * WHERE { ?s ?p ?o }")
        )),
        &[("Accept", "application/sparql-results+json")],
    );
    assert_ne!(too_many.status, 200, "more rows than --max-result-rows");

    let page = http::get(&server.url("/metrics"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.content_type.starts_with("text/plain"),
        "{}",
        page.content_type
    );
    let body = &page.body;
    assert_eq!(
        sample(
            body,
            "eventgraph_http_requests_total{method=\"GET\",route=\"/api/v1/entities/{id}\",status=\"200\"}"
        ),
        Some(4.0),
        "four entity reads under one route pattern, not one series per path:\n{body}"
    );
    assert_eq!(
        sample(
            body,
            "eventgraph_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
        ),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(
            body,
            "eventgraph_http_request_duration_seconds_count{route=\"/api/v1/entities/{id}\"}"
        ),
        Some(4.0),
        "{body}"
    );
    assert_eq!(
        sample(
            body,
            "eventgraph_http_request_duration_seconds_bucket{route=\"/api/v1/entities/{id}\",le=\"+Inf\"}"
        ),
        Some(4.0),
        "{body}"
    );
    assert_eq!(
        sample(body, "eventgraph_queries_stopped_total{limit=\"rows\"}"),
        Some(1.0),
        "{body}"
    );
    assert!(
        sample(body, "eventgraph_projection_nodes").is_some_and(|n| n > 10.0),
        "{body}"
    );
    assert!(
        sample(body, "eventgraph_projection_edges").is_some_and(|n| n > 10.0),
        "{body}"
    );
    assert!(
        sample(body, "eventgraph_read_models_generation").is_some(),
        "{body}"
    );
}

#[test]
fn the_store_size_on_disk_is_a_metric_for_a_store_on_disk() {
    let data = DataDir::new();
    let server = TestServer::on(&data);
    let page = http::get(&server.url("/metrics"), &[]).body;
    assert!(
        sample(&page, "eventgraph_store_disk_bytes").is_some_and(|n| n > 10_000.0),
        "{page}"
    );
}

#[test]
fn a_request_id_is_echoed_or_generated_and_named_in_problem_documents() {
    let server = TestServer::memory();
    let echoed = http::get(&server.url("/healthz"), &[("X-Request-Id", "client-id-42")]);
    assert_eq!(echoed.header("x-request-id"), Some("client-id-42"));

    let generated = http::get(
        &server.url("/healthz"),
        &[("X-Request-Id", "bad id\twith tab")],
    );
    let id = generated.header("x-request-id").unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "an unusable client id is replaced by a UUID: {id}"
    );

    let missing = http::get(&server.url("/api/v1/entities/no-such-entity-xyz"), &[]);
    assert_eq!(missing.status, 404, "{}", missing.body);
    let problem = missing.json();
    assert_eq!(
        problem["request_id"].as_str(),
        missing.header("x-request-id"),
        "{problem}"
    );
    let framework = http::post(
        &server.url("/api/v1/entities"),
        &[("Content-Type", "application/json")],
        "{not json",
    );
    assert!(framework.status >= 400, "{}", framework.body);
    assert_eq!(
        framework.json()["request_id"].as_str(),
        framework.header("x-request-id"),
        "{}",
        framework.body
    );
}

#[test]
fn every_access_log_line_carries_the_request_id() {
    let (server, log) = crate::access::logged_server(&["--memory"], &[], &[]);
    http::get(&server.url("/healthz"), &[("X-Request-Id", "trace-me-7")]);
    http::get(&server.url("/api/v1/stats"), &[]);
    let text = crate::access::stopped_log(server, &log);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("eventgraph::http"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("id=trace-me-7"), "{text}");
    let generated = lines[1].rsplit("id=").next().unwrap().trim();
    assert!(
        uuid::Uuid::parse_str(generated).is_ok(),
        "a generated id is logged: {text}"
    );
}

#[test]
fn sigterm_during_start_up_ends_the_server_cleanly() {
    // A store large enough that the read models take a moment to build.
    let quads = eventgraph::graph::generate::generate(3, 1_500, 5_000);
    let data = DataDir::loaded(&quads);
    let dir = data.path();
    let count = || -> String {
        let output = data.run(&[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let before = count();
    // From 30 ms on the process is past its first lines (exec and the runtime's own start
    // come before any program can hold a signal).
    for delay in [30u64, 150, 400] {
        let mut child = Command::new(binary())
            .args([
                "--data-dir",
                dir.to_str().unwrap(),
                "serve",
                "--bind",
                "127.0.0.1:0",
            ])
            .env("EVENTGRAPH_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no exit within 60 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            status.success(),
            "SIGTERM {delay} ms after the start must end the server cleanly, not kill it: {status}"
        );
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // And the store is still whole and usable.
        assert_eq!(count(), before, "after SIGTERM at {delay} ms ({first:?})");
    }
}

/// The numbers of the `INSERT DATA` writes of [`insert`] that the store at `server` holds.
fn inserted(server: &TestServer) -> Vec<u64> {
    let mut found: Vec<u64> = http::column(
        &http::sparql_json(
            &server.base,
            "SELECT ?n WHERE { GRAPH <urn:backup:g> { ?s <urn:backup:a> ?n ; <urn:backup:b> ?m } }",
        ),
        "n",
    )
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    found.sort_unstable();
    found
}

/// Writes `INSERT DATA` number `n` and returns the generation it was acknowledged with.
fn insert(server: &TestServer, n: u64) -> u64 {
    let bearer = format!("Bearer {}", crate::server::WRITE_TOKEN);
    let response = http::post(
        &server.url("/sparql"),
        &[
            ("Content-Type", "application/sparql-update"),
            ("Authorization", &bearer),
        ],
        &format!(
            "INSERT DATA {{ GRAPH <urn:backup:g> {{ <urn:backup:{n}> <urn:backup:a> {n} ; <urn:backup:b> \"{n}\" }} }}"
        ),
    );
    assert_eq!(response.status, 204, "{}", response.body);
    response
        .header("eventgraph-generation")
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn an_online_backup_under_write_load_restores_exactly_the_writes_acknowledged_before_it() {
    let data = DataDir::new();
    let server = TestServer::writable_on(&data);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (acked, backup) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut acked = Vec::new();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || n < 100 {
                n += 1;
                acked.push((n, insert(&server, n)));
            }
            acked
        });
        std::thread::sleep(Duration::from_millis(150));
        let output = Command::new(binary())
            .args(["backup", "--server", &server.base])
            .env("EVENTGRAPH_WRITE_TOKEN", crate::server::WRITE_TOKEN)
            .env("EVENTGRAPH_LOG", "warn")
            .output()
            .unwrap();
        std::thread::sleep(Duration::from_millis(150));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (writer.join().unwrap(), output)
    });
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let said = String::from_utf8_lossy(&backup.stdout).into_owned();
    let path = said
        .strip_prefix("backed up the store into ")
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned();
    let generation: u64 = said
        .rsplit("generation ")
        .next()
        .and_then(|rest| rest.trim().trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    let before: Vec<u64> = acked
        .iter()
        .filter(|(_, g)| *g <= generation)
        .map(|(n, _)| *n)
        .collect();
    assert!(
        !before.is_empty() && before.len() < acked.len(),
        "the backup fell between writes: {} of {} before it",
        before.len(),
        acked.len()
    );
    // A store held by a server cannot be backed up from outside it.
    let offline = data.run(&["backup", "/nonexistent-eventgraph-backup"]);
    assert!(!offline.status.success());
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("another process is using it"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let everything = inserted(&server);
    assert_eq!(everything.len(), acked.len());
    assert!(server.stop());

    let restored = DataDir::new();
    let output = restored.run(&["restore", &path]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let again = restored.run(&["restore", &path]);
    assert!(!again.status.success(), "restore never overwrites a store");
    let server = TestServer::on(&restored);
    assert_eq!(
        inserted(&server),
        before,
        "the restored store holds exactly the writes acknowledged up to generation {generation}"
    );
    assert!(server.stop());

    // Offline, once no server holds the store: a backup of every write.
    let parent = tempfile::tempdir().unwrap();
    let target = parent.path().join("offline");
    let offline = data.run(&["backup", target.to_str().unwrap()]);
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let server = TestServer::start(&["--data-dir", target.to_str().unwrap()]);
    assert_eq!(inserted(&server), everything);
}

#[test]
fn sigterm_lets_a_write_in_flight_finish_and_keeps_it() {
    let data = DataDir::new();
    let server = TestServer::writable_on(&data);
    let triples: String = (0..60_000)
        .map(|n| format!("<urn:drain:{n}> <urn:drain:p> \"{n}\" .\n"))
        .collect();
    let pid = server.pid();
    let (response, took) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let bearer = format!("Bearer {}", crate::server::WRITE_TOKEN);
            let started = Instant::now();
            let response = http::request(
                "PUT",
                &server.url("/store?graph=urn:drain"),
                &[
                    ("Authorization", &bearer),
                    ("Content-Type", "application/n-triples"),
                ],
                Some(&triples),
            );
            (response, started.elapsed())
        });
        // The body is on the socket within milliseconds; parsing, committing and applying
        // 60,000 triples takes far longer.
        std::thread::sleep(Duration::from_millis(150));
        let status = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        writer.join().unwrap()
    });
    assert_eq!(response.status, 201, "{}", response.body);
    assert!(
        took > Duration::from_millis(150),
        "the write was over before SIGTERM ({took:?}): the test proves nothing"
    );
    assert!(
        server.wait_for_exit(),
        "the server exits cleanly once the write is done"
    );
    let restarted = TestServer::on(&data);
    let count = http::sparql_json(
        &restarted.base,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:drain> { ?s ?p ?o } }",
    );
    assert_eq!(http::column(&count, "n"), ["60000"]);
}
