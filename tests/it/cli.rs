//! The `load`, `query` and `dump` subcommands, run as a user runs them.

use crate::server::{DataDir, repo_path};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The whole dataset as sorted N-Quads lines, to compare stores exactly.
fn dataset(data: &DataDir) -> Vec<String> {
    let output = data.run(&["dump", "--format", "nquads"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Blank nodes (the ontology's OWL lists) are renamed by every load: compare them by position only.
    let mut lines: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|term| if term.starts_with("_:") { "_:b" } else { term })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    lines.sort();
    lines
}

/// Asserts two datasets are equal without printing thousands of quads.
fn assert_same_dataset(actual: &[String], expected: &[String], context: &str) {
    let first_difference = actual.iter().zip(expected).find(|(a, e)| a != e);
    assert!(
        actual.len() == expected.len() && first_difference.is_none(),
        "{context}: {} quads instead of {}; first difference: {first_difference:?}",
        actual.len(),
        expected.len()
    );
}

#[test]
fn load_rejects_a_malformed_file_naming_file_line_and_column_and_changes_nothing() {
    // (fixture, where the error is, why this case exists)
    let cases = [
        ("broken.ttl", ":4:11: ", "an unterminated string in Turtle"),
        (
            "broken.nt",
            ":2:49: ",
            "a triple without an object in N-Triples",
        ),
        (
            "broken.trig",
            ":5:27: ",
            "a literal in predicate position in TriG",
        ),
        ("broken.jsonld", ":4:3: ", "a missing comma in JSON-LD"),
        // Oxigraph's RDF/XML parser reports no position, so only the file is named.
        (
            "broken.rdf",
            ": ",
            "an element without a namespace in RDF/XML",
        ),
    ];
    let data = DataDir::new();
    let before = dataset(&data);
    assert!(!before.is_empty(), "the first command seeds the store");
    for (fixture, position, case) in cases {
        let good = repo_path("tests/fixtures/extra.ttl");
        let bad = repo_path(&format!("tests/fixtures/{fixture}"));
        let output = data.run(&["load", good.to_str().unwrap(), bad.to_str().unwrap()]);
        let message = stderr(&output);
        assert!(!output.status.success(), "{case}: the load must fail");
        let located = format!("{}{position}", bad.display());
        assert!(
            message.contains(&located),
            "{case}: expected {located:?} in {message:?}"
        );
        assert_same_dataset(
            &dataset(&data),
            &before,
            &format!("{case}: the store must be unchanged, good file included"),
        );
    }
}

#[test]
fn load_reports_a_file_with_an_unknown_extension() {
    let data = DataDir::new();
    let output = data.run(&["load", repo_path("Cargo.toml").to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--format"), "{}", stderr(&output));
}

#[test]
fn load_into_a_named_graph_then_query_and_dump_it() {
    let data = DataDir::new();
    let extra = repo_path("tests/fixtures/extra.ttl");
    let output = data.run(&[
        "load",
        "--graph",
        "https://example.org/graphs/extra",
        extra.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("loaded 2 quads from 1 file(s)"),
        "{}",
        stderr(&output)
    );

    let query = "SELECT ?label WHERE { GRAPH <https://example.org/graphs/extra> { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } }";
    let table = data.run(&["query", query]);
    assert!(table.status.success(), "{}", stderr(&table));
    assert!(
        stdout(&table).contains("An extra observer"),
        "{}",
        stdout(&table)
    );
    assert!(stdout(&table).contains("1 row"), "{}", stdout(&table));

    let csv = data.run(&["query", "--format", "csv", query]);
    assert_eq!(stdout(&csv), "label\r\nAn extra observer\r\n");

    let turtle = data.run(&[
        "dump",
        "--format",
        "turtle",
        "--graph",
        "https://example.org/graphs/extra",
    ]);
    assert!(turtle.status.success(), "{}", stderr(&turtle));
    assert!(stdout(&turtle).contains("An extra observer"));
}

#[test]
fn query_rejects_a_format_the_results_cannot_take() {
    let data = DataDir::new();
    let output = data.run(&[
        "query",
        "--format",
        "turtle",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("table, json, xml, csv, tsv"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn dump_as_trig_loads_back_into_an_identical_store() {
    let original = DataDir::new();
    let before = dataset(&original);
    let trig = original.run(&["dump", "--format", "trig"]);
    assert!(trig.status.success());
    let file = tempfile::Builder::new().suffix(".trig").tempfile().unwrap();
    std::fs::write(file.path(), &trig.stdout).unwrap();

    let copy = DataDir::new();
    let output = copy.run(&["--no-seed", "load", file.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_dataset(&dataset(&copy), &before, "the reloaded dump");
}
