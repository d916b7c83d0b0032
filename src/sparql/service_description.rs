//! The SPARQL 1.1 Service Description of the endpoint, as an RDF graph.
//!
//! Answered at GET `/sparql` without a query
//! (<https://www.w3.org/TR/sparql11-service-description/#accessing>): which
//! languages and result formats the endpoint speaks, whether the default
//! graph is the union of all graphs, and the named graphs of the dataset.

use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, Graph, NamedNode, Term, Triple};

use crate::store::Store;
use crate::store::write::WriteError;

/// The Service Description namespace.
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
/// The W3C format IRIs (<https://www.w3.org/ns/formats/>).
const FORMATS: &[&str] = &[
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "http://www.w3.org/ns/formats/Turtle",
    "http://www.w3.org/ns/formats/N-Triples",
    "http://www.w3.org/ns/formats/RDF_XML",
    "http://www.w3.org/ns/formats/JSON-LD",
    "http://www.w3.org/ns/formats/TriG",
    "http://www.w3.org/ns/formats/N-Quads",
];
/// How many named graphs the description lists at most.
const MAX_LISTED_GRAPHS: usize = 1000;

/// What the description says about this server.
#[derive(Debug, Clone)]
pub struct ServiceFacts {
    /// The endpoint URL as clients reach it.
    pub endpoint: String,
    /// Whether queries see the union of all graphs as their default graph.
    pub union_default_graph: bool,
    /// Whether the server accepts updates (a write token is set).
    pub accepts_updates: bool,
}

fn sd(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{local}"))
}

/// Builds the description of `store` served with `facts`.
///
/// # Errors
/// [`WriteError::Storage`] when the named graphs cannot be listed.
pub fn describe(store: &Store, facts: &ServiceFacts) -> Result<Graph, WriteError> {
    let mut graph = Graph::new();
    let service = BlankNode::default();
    let mut add = |s: &BlankNode, p: NamedNode, o: Term| {
        graph.insert(&Triple::new(s.clone(), p, o));
    };
    add(&service, rdf::TYPE.into_owned(), sd("Service").into());
    let endpoint = NamedNode::new(&facts.endpoint)
        .unwrap_or_else(|_| NamedNode::new_unchecked("http://localhost/sparql"));
    add(&service, sd("endpoint"), endpoint.into());
    add(
        &service,
        sd("supportedLanguage"),
        sd("SPARQL11Query").into(),
    );
    if facts.accepts_updates {
        add(
            &service,
            sd("supportedLanguage"),
            sd("SPARQL11Update").into(),
        );
    }
    for format in FORMATS {
        add(
            &service,
            sd("resultFormat"),
            NamedNode::new_unchecked(*format).into(),
        );
    }
    if facts.union_default_graph {
        add(&service, sd("feature"), sd("UnionDefaultGraph").into());
    }
    add(
        &service,
        sd("defaultEntailmentRegime"),
        NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple").into(),
    );
    let dataset = BlankNode::default();
    add(&service, sd("defaultDataset"), dataset.clone().into());
    add(&dataset, rdf::TYPE.into_owned(), sd("Dataset").into());
    let default_graph = BlankNode::default();
    add(&dataset, sd("defaultGraph"), default_graph.clone().into());
    add(&default_graph, rdf::TYPE.into_owned(), sd("Graph").into());
    for name in store.oxigraph().named_graphs().take(MAX_LISTED_GRAPHS) {
        let oxigraph::model::NamedOrBlankNode::NamedNode(name) = name? else {
            continue;
        };
        let named = BlankNode::default();
        add(&dataset, sd("namedGraph"), named.clone().into());
        add(&named, rdf::TYPE.into_owned(), sd("NamedGraph").into());
        add(&named, sd("name"), name.into());
    }
    Ok(graph)
}
