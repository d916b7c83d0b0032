//! The competency questions of the foundation issue, asked over HTTP at `/sparql`.
//!
//! Each question is `tests/fixtures/competency/cqN.rq`; `expected.json` gives, per
//! question, the values one variable (`variable` and a list `expected`) or several
//! (`expected` as an object from variable to list) must take across the rows: as a set, or in order where
//! `ordered` is true (see that folder's README).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::http::{column, sparql_json};
use crate::server::{TestServer, repo_path};

/// The expected values per variable of one question.
fn expectations(case: &Value) -> Vec<(String, Vec<String>)> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    match &case["expected"] {
        Value::Object(by_variable) => by_variable
            .iter()
            .map(|(variable, values)| (variable.clone(), strings(values)))
            .collect(),
        list => vec![(case["variable"].as_str().unwrap().to_owned(), strings(list))],
    }
}

#[test]
fn every_competency_question_gets_its_expected_answer_over_sparql() {
    let folder = repo_path("tests/fixtures/competency");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("expected.json")).unwrap())
            .unwrap();
    let cases = expected.as_object().unwrap();
    assert_eq!(
        cases.len(),
        6,
        "the foundation issue asks six competency questions"
    );
    let server = TestServer::memory();
    for (name, case) in cases {
        let query = std::fs::read_to_string(folder.join(format!("{name}.rq"))).unwrap();
        let results = sparql_json(&server.base, &query);
        let ordered = case["ordered"].as_bool().unwrap_or(false);
        for (variable, expected) in expectations(case) {
            let mut actual = column(&results, &variable);
            let question = case["question"].as_str().unwrap_or(name);
            if ordered {
                assert_eq!(
                    actual, expected,
                    "{name} ({question}), ?{variable} in order"
                );
            } else {
                actual.dedup();
                assert_eq!(
                    actual.iter().collect::<BTreeSet<_>>(),
                    expected.iter().collect::<BTreeSet<_>>(),
                    "{name} ({question}), ?{variable}"
                );
            }
        }
    }
}
