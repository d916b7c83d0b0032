//! The ontology and the seed graph: identities, declarations, verbatim quotes and SHACL conformance.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use eventgraph::config::StoreLocation;
use eventgraph::model::EntityId;
use eventgraph::sparql::{DatasetRequest, ParsedQuery};
use eventgraph::store::Store;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

use crate::clients::python;
use crate::server::repo_path;

fn seeded_store() -> Store {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store.seed_if_empty().unwrap();
    store
}

/// Runs a SELECT over the union of all graphs; rows as maps from variable to term.
fn select(store: &Store, query: &str) -> Vec<BTreeMap<String, Term>> {
    let dataset = DatasetRequest {
        union_default_graph: true,
        ..DatasetRequest::default()
    };
    let QueryResults::Solutions(solutions) = ParsedQuery::parse(query, None)
        .unwrap()
        .evaluate(
            store,
            &dataset,
            oxigraph::sparql::CancellationToken::new(),
            &eventgraph::sparql::remote::RemoteAccess::none(),
        )
        .unwrap()
    else {
        panic!("not a SELECT: {query}");
    };
    solutions
        .map(|solution| {
            let solution = solution.unwrap();
            solution
                .iter()
                .map(|(variable, term)| (variable.as_str().to_owned(), term.clone()))
                .collect()
        })
        .collect()
}

fn value(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

#[test]
fn every_resource_iri_is_the_uuid5_of_its_one_english_label() {
    let store = seeded_store();
    let rows = select(
        &store,
        "SELECT ?r (COUNT(DISTINCT ?label) AS ?labels) (SAMPLE(?label) AS ?name) WHERE {
           GRAPH ?g { ?r ?p ?o }
           FILTER(STRSTARTS(STR(?r), 'https://w3id.org/eventgraph/id/'))
           FILTER(?g != <https://w3id.org/eventgraph/ontology>)
           OPTIONAL { GRAPH ?g2 { ?r <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANGMATCHES(LANG(?label), 'en')) } }
         } GROUP BY ?r",
    );
    assert!(
        rows.len() > 50,
        "the seed should describe dozens of resources, got {}",
        rows.len()
    );
    let mut names = BTreeSet::new();
    for row in rows {
        let iri = value(&row["r"]);
        assert_eq!(
            value(&row["labels"]),
            "1",
            "{iri} must have exactly one English rdfs:label"
        );
        let name = value(&row["name"]);
        assert_eq!(
            EntityId::from_iri(&iri),
            Some(EntityId::from_canonical_name(&name)),
            "{iri} must be the uuid5 of its label {name:?}"
        );
        assert!(
            names.insert(name.clone()),
            "the label {name:?} names two resources"
        );
    }
}

#[test]
fn every_ontology_term_the_seed_uses_is_declared_labelled_commented_and_aligned() {
    let store = seeded_store();
    let used = select(
        &store,
        "SELECT DISTINCT ?term WHERE {
           GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
           FILTER(?g != <https://w3id.org/eventgraph/ontology>)
           FILTER(STRSTARTS(STR(?term), 'https://w3id.org/eventgraph/ontology#'))
         }",
    );
    assert!(used.len() > 20, "{}", used.len());
    for row in used {
        let term = value(&row["term"]);
        let declared = select(
            &store,
            &format!(
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                 PREFIX owl: <http://www.w3.org/2002/07/owl#>
                 SELECT ?label ?comment ?domain ?range ?aligned WHERE {{
                   GRAPH <https://w3id.org/eventgraph/ontology> {{
                     <{term}> rdfs:label ?label ; rdfs:comment ?comment .
                     OPTIONAL {{ <{term}> rdfs:domain ?domain }}
                     OPTIONAL {{ <{term}> rdfs:range ?range }}
                     OPTIONAL {{ <{term}> rdfs:subClassOf|rdfs:subPropertyOf|owl:equivalentClass|owl:equivalentProperty ?aligned }}
                   }}
                 }}"
            ),
        );
        assert!(
            !declared.is_empty(),
            "{term} is used by the seed but has no rdfs:label and rdfs:comment in the ontology"
        );
        let is_property = term
            .rsplit('#')
            .next()
            .is_some_and(|local| local.starts_with(|c: char| c.is_lowercase()));
        if is_property {
            assert!(
                declared.iter().any(|r| r.contains_key("domain")),
                "{term} has no rdfs:domain"
            );
            assert!(
                declared.iter().any(|r| r.contains_key("range")),
                "{term} has no rdfs:range"
            );
        }
        let is_individual = select(
            &store,
            &format!(
                "SELECT ?t WHERE {{ GRAPH <https://w3id.org/eventgraph/ontology> {{ <{term}> a <http://www.w3.org/2002/07/owl#NamedIndividual> }} }}"
            ),
        );
        if is_individual.is_empty() {
            assert!(
                declared.iter().any(|r| r.contains_key("aligned")),
                "{term} is aligned to no other vocabulary"
            );
        }
    }
}

#[test]
fn every_quote_is_verbatim_from_its_source_article() {
    let article = std::fs::read_to_string(repo_path(
        "seed-data/sources/sputnik-africa-2023-10-31-us-hamas-qatar.txt",
    ))
    .unwrap();
    let store = seeded_store();
    let quotes = select(
        &store,
        "SELECT ?statement ?quote WHERE { ?statement <https://w3id.org/eventgraph/ontology#quote> ?quote }",
    );
    assert!(
        quotes.len() >= 15,
        "every statement carries a quote; found {}",
        quotes.len()
    );
    for row in quotes {
        let quote = value(&row["quote"]);
        assert!(
            article.contains(&quote),
            "the quote of {} is not verbatim in the article: {quote:?}",
            value(&row["statement"])
        );
    }
}

#[test]
fn every_statement_names_its_source_document_speaker_and_date() {
    let store = seeded_store();
    // (what is missing, the pattern whose absence is a defect)
    let requirements = [
        (
            "a source document",
            "?statement eg:source ?doc . ?doc a eg:SourceDocument",
        ),
        ("a speaker", "?statement eg:speaker ?speaker"),
        ("a quote", "?statement eg:quote ?quote"),
        (
            "a date or a date bound",
            "?statement eg:statedOn|eg:statedNotAfter|eg:statedNotBefore ?date",
        ),
    ];
    for (missing, pattern) in requirements {
        let rows = select(
            &store,
            &format!(
                "PREFIX eg: <https://w3id.org/eventgraph/ontology#>
                 SELECT ?statement WHERE {{ ?statement a eg:Statement FILTER NOT EXISTS {{ {pattern} }} }}"
            ),
        );
        let names: Vec<String> = rows.iter().map(|r| value(&r["statement"])).collect();
        assert!(names.is_empty(), "statements without {missing}: {names:?}");
    }
}

/// Runs `tests/python/validate_shapes.py` on a data file; returns (conforms, report).
fn validate(data: &std::path::Path) -> (bool, String) {
    let output = Command::new(python())
        .arg(repo_path("tests/python/validate_shapes.py"))
        .arg(repo_path("ontology/shapes.ttl"))
        .arg(repo_path("ontology/eventgraph.ttl"))
        .arg(data)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); run the tests with scripts/test, which installs pySHACL",
                python()
            )
        });
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match output.status.code() {
        Some(0) => (true, report),
        Some(1) => (false, report),
        _ => panic!(
            "the SHACL validator failed to run (is pySHACL installed? scripts/test installs it):\n{report}"
        ),
    }
}

#[test]
fn the_seed_conforms_to_the_shapes_and_a_broken_copy_does_not() {
    let seed = repo_path("seed-data/sputnik-africa-2023-10-31-us-hamas-qatar.trig");
    let (conforms, report) = validate(&seed);
    assert!(conforms, "the seed graph violates the shapes:\n{report}");

    // The same data with every eg:source removed: statements lose their provenance.
    let text = std::fs::read_to_string(&seed).unwrap();
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store
        .load(
            vec![eventgraph::store::load::RdfSource::from_str(
                "seed.trig",
                oxigraph::io::RdfFormat::TriG,
                &text,
            )],
            &Default::default(),
            &|_| {},
        )
        .unwrap();
    oxigraph::sparql::SparqlEvaluator::new()
        .parse_update(
            "DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/eventgraph/ontology#source> ?o } }",
        )
        .unwrap()
        .on_store(store.oxigraph())
        .execute()
        .unwrap();
    let broken = tempfile::Builder::new().suffix(".nq").tempfile().unwrap();
    store
        .dump(
            std::fs::File::create(broken.path()).unwrap(),
            oxigraph::io::RdfFormat::NQuads,
            None,
        )
        .unwrap();
    let (conforms, report) = validate(broken.path());
    assert!(
        !conforms,
        "statements without eg:source must violate the shapes:\n{report}"
    );
}
