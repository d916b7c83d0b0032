//! The read models kept in step with writes: random sequences of writes through every write
//! path (REST edits, SPARQL Update, Graph Store), applied incrementally, give the same read
//! models as a build from scratch.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use eventgraph::config::StoreLocation;
use eventgraph::edits::entity::{self, EntityEdit};
use eventgraph::edits::statement::{self, StatementEdit};
use eventgraph::graph::Projection;
use eventgraph::model::EntityId;
use eventgraph::read_models::{Applied, ReadModels, ReadView};
use eventgraph::shapes::Shapes;
use eventgraph::sparql::remote::RemoteAccess;
use eventgraph::sparql::update::{ParsedUpdate, UpdateDataset};
use eventgraph::store::Store;
use eventgraph::store::load::RdfSource;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use proptest::prelude::*;

const EG: &str = "https://w3id.org/eventgraph/ontology#";
const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const HAMAS: &str = "Hamas";
const NAMES: &[&str] = &[
    "Alpha Front",
    "Beta Council",
    "Gamma Brigade",
    "Delta Ministry",
    "Épsilon Union",
    "Zeta Office",
];

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| Shapes::compiled().unwrap())
}

/// One write, with small numbers picking among a few names and the resources written so far.
#[derive(Debug, Clone)]
enum Write {
    CreateEntity(usize),
    RenameEntity(usize, usize),
    DeleteEntity(usize),
    CreateStatement(usize),
    DeleteStatement(usize),
    SparqlInsert(usize),
    SparqlRelabel(usize, usize),
    SparqlDeleteWhere(usize),
    GraphPut(usize, usize),
    GraphDelete(usize),
}

fn write() -> impl Strategy<Value = Write> {
    let n = NAMES.len();
    prop_oneof![
        (0..n).prop_map(Write::CreateEntity),
        (0..8usize, 0..n).prop_map(|(a, b)| Write::RenameEntity(a, b)),
        (0..8usize).prop_map(Write::DeleteEntity),
        (0..8usize).prop_map(Write::CreateStatement),
        (0..8usize).prop_map(Write::DeleteStatement),
        (0..n).prop_map(Write::SparqlInsert),
        (0..8usize, 0..n).prop_map(|(a, b)| Write::SparqlRelabel(a, b)),
        (0..8usize).prop_map(Write::SparqlDeleteWhere),
        (0..3usize, 0..n).prop_map(|(a, b)| Write::GraphPut(a, b)),
        (0..3usize).prop_map(Write::GraphDelete),
    ]
}

/// What the writes made so far, to pick from.
#[derive(Default)]
struct Written {
    entities: Vec<NamedNode>,
    statements: Vec<EntityId>,
    inserted: Vec<NamedNode>,
}

fn pick<T: Clone>(list: &[T], i: usize) -> Option<T> {
    (!list.is_empty()).then(|| list[i % list.len()].clone())
}

/// A write that failed, in words (the test fails on any).
#[derive(Debug)]
struct Failed(#[expect(dead_code, reason = "read through Debug when a test fails")] String);

impl<E: std::error::Error> From<E> for Failed {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

fn sparql(models: &Arc<ReadModels>, text: &str) -> Applied {
    let update = ParsedUpdate::parse(text, None).unwrap();
    let remote = RemoteAccess::new(Vec::new(), Duration::from_secs(1), 1 << 20);
    models
        .write(|store| -> Result<_, Failed> {
            Ok(((), update.apply(store, &UpdateDataset::default(), &remote)?))
        })
        .unwrap()
        .applied
}

/// Applies one write; REST edits that the shapes or a missing resource refuse change nothing.
fn apply(models: &Arc<ReadModels>, written: &mut Written, write: &Write, step: usize) -> Applied {
    match write {
        Write::CreateEntity(name) => {
            let edit = EntityEdit {
                label: Some(format!("{} {step}", NAMES[*name])),
                types: Some(vec!["Organisation".into()]),
                description: Some("A test organisation.".into()),
                ..EntityEdit::default()
            };
            let created = entity::create(models, shapes(), &edit).unwrap();
            written.entities.push(created.value);
            created.applied
        }
        Write::RenameEntity(which, name) => {
            let Some(iri) = pick(&written.entities, *which) else {
                return Applied::Unchanged;
            };
            let edit = EntityEdit {
                label: Some(format!("{} renamed {step}", NAMES[*name])),
                aliases: Some(vec![format!("alias {step}")]),
                ..EntityEdit::default()
            };
            let id = EntityId::from_iri(iri.as_str()).unwrap().to_string();
            entity::update(models, shapes(), &id, &edit)
                .unwrap()
                .applied
        }
        Write::DeleteEntity(which) => {
            let Some(iri) = pick(&written.entities, *which) else {
                return Applied::Unchanged;
            };
            written.entities.retain(|e| *e != iri);
            let id = EntityId::from_iri(iri.as_str()).unwrap().to_string();
            entity::delete(models, &id).unwrap().applied
        }
        Write::CreateStatement(which) => {
            let Some(iri) = pick(&written.entities, *which) else {
                return Applied::Unchanged;
            };
            let edit = StatementEdit {
                subject: EntityId::from_iri(iri.as_str()).unwrap().to_string(),
                predicate: "contactsVia".into(),
                object: HAMAS.into(),
                source: "US in Contact With Leadership of Hamas Through Qatar, Source Says".into(),
                speaker: "Sputnik Africa".into(),
                date: Some("2023-11-01".into()),
                quote: format!("quote {step}"),
                ..StatementEdit::default()
            };
            let created = statement::create(models, shapes(), &edit).unwrap();
            written
                .statements
                .push(EntityId::from_iri(created.value.as_str()).unwrap());
            created.applied
        }
        Write::DeleteStatement(which) => {
            let Some(id) = pick(&written.statements, *which) else {
                return Applied::Unchanged;
            };
            written.statements.retain(|s| *s != id);
            match statement::delete(models, id) {
                Ok(done) => done.applied,
                // Deleting its subject deleted it already.
                Err(eventgraph::edits::EditError::UnknownStatement { .. }) => Applied::Unchanged,
                Err(other) => panic!("{other}"),
            }
        }
        Write::SparqlInsert(name) => {
            let label = format!("{} sparql {step}", NAMES[*name]);
            let iri = EntityId::from_canonical_name(&label).iri();
            let hamas = EntityId::from_canonical_name(HAMAS).iri();
            written.inserted.push(iri.clone());
            sparql(
                models,
                &format!(
                    "INSERT DATA {{ GRAPH <https://example.org/g{step}> {{ {iri} a <{EG}Organisation> ; <{LABEL}> \"{label}\"@en ; <{EG}partOf> {hamas} }} }}"
                ),
            )
        }
        Write::SparqlRelabel(which, name) => {
            let Some(iri) = pick(&written.inserted, *which) else {
                return Applied::Unchanged;
            };
            let label = format!("{} moved {step}", NAMES[*name]);
            sparql(
                models,
                &format!(
                    "DELETE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }} INSERT {{ GRAPH ?g {{ ?s <{LABEL}> \"{label}\"@en }} }} WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} FILTER(?s = {iri}) }}"
                ),
            )
        }
        Write::SparqlDeleteWhere(which) => {
            let Some(iri) = pick(&written.inserted, *which) else {
                return Applied::Unchanged;
            };
            sparql(
                models,
                &format!("DELETE WHERE {{ GRAPH ?g {{ {iri} ?p ?o }} }}"),
            )
        }
        Write::GraphPut(graph, name) => {
            let label = format!("{} graph {step}", NAMES[*name]);
            let iri = EntityId::from_canonical_name(&label).iri();
            let hamas = EntityId::from_canonical_name(HAMAS).iri();
            let body = format!(
                "{iri} a <{EG}State> ; <{LABEL}> \"{label}\"@en ; <{EG}contactsVia> {hamas} ."
            );
            let graph = NamedNode::new(format!("https://example.org/put/{graph}")).unwrap();
            models
                .write(|store| -> Result<_, Failed> {
                    Ok(store.replace_graph(
                        GraphName::from(graph.clone()).as_ref(),
                        RdfSource {
                            name: "body".into(),
                            format: RdfFormat::Turtle,
                            reader: Box::new(std::io::Cursor::new(body.into_bytes())),
                            graph: None,
                        },
                    )?)
                })
                .unwrap()
                .applied
        }
        Write::GraphDelete(graph) => {
            let graph = NamedNode::new(format!("https://example.org/put/{graph}")).unwrap();
            models
                .write(|store| -> Result<_, Failed> {
                    let deleted = store.delete_graph(GraphName::from(graph.clone()).as_ref())?;
                    Ok(((), deleted.unwrap_or_default()))
                })
                .unwrap()
                .applied
        }
    }
}

/// The nodes (IRI, label, classes, event days) and edges (subject, predicate, object, the
/// evidence of its statements) of a projection.
fn canonical(projection: &Projection) -> (BTreeSet<String>, BTreeSet<String>) {
    let nodes = projection
        .graph()
        .node_indices()
        .map(|n| {
            let resource = projection.resource(n).unwrap();
            let mut types: Vec<String> = resource
                .types()
                .iter()
                .map(|&c| projection.class(c).as_str().to_owned())
                .collect();
            types.sort();
            format!(
                "{} {:?} {types:?} {:?}",
                resource.iri(),
                resource.label(),
                projection.event_days(n)
            )
        })
        .collect();
    let edges = projection
        .graph()
        .edge_indices()
        .map(|e| {
            let mut evidence: Vec<String> = projection
                .evidence(e)
                .map(|evidence| {
                    let source = evidence.source();
                    format!(
                        "{:?} {:?} {:?} {:?} {:?} {}",
                        source.map(|s| projection.source_iri(s).as_str().to_owned()),
                        source
                            .and_then(|s| projection.publisher_of_source(s))
                            .map(|p| projection.agent_iri(p).as_str().to_owned()),
                        evidence
                            .speaker()
                            .map(|s| projection.agent_iri(s).as_str().to_owned()),
                        evidence.day(),
                        evidence
                            .modality()
                            .map(|m| projection.modality_iri(m).as_str().to_owned()),
                        evidence.confirmed()
                    )
                })
                .collect();
            evidence.sort();
            format!("{} {evidence:?}", projection.triple(e).unwrap())
        })
        .collect();
    (nodes, edges)
}

/// Search results for the names the writes use, and the whole index in order.
fn searched(view: &ReadView) -> Vec<String> {
    let mut queries: Vec<String> = NAMES.iter().map(|n| n.to_lowercase()).collect();
    queries.extend(
        [
            "", "renamed", "sparql", "alias", "graph", "moved", "epsilon",
        ]
        .map(String::from),
    );
    queries
        .iter()
        .flat_map(|q| {
            view.index
                .search(q, None, 0, usize::MAX)
                .hits
                .into_iter()
                .map(move |hit| {
                    format!(
                        "{q}: {} {} {:?} {:?}",
                        hit.entry.resource.iri,
                        hit.entry.resource.label,
                        hit.entry.aliases,
                        hit.kind
                    )
                })
        })
        .collect()
}

fn seeded() -> Store {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store.seed_if_empty().unwrap();
    store
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_writes_applied_incrementally_give_the_read_models_of_a_fresh_build(
        writes in proptest::collection::vec(write(), 1..14),
    ) {
        let store = seeded();
        let models = ReadModels::build(store.clone()).unwrap();
        let mut written = Written::default();
        for (step, write) in writes.iter().enumerate() {
            let applied = apply(&models, &mut written, write, step);
            prop_assert_ne!(applied, Applied::ByRebuild, "{:?} caused a rebuild", write);
        }
        let fresh = ReadView::build(&store, 0).unwrap();
        let live = models.read().unwrap();
        let (live_nodes, live_edges) = canonical(&live.projection);
        let (fresh_nodes, fresh_edges) = canonical(&fresh.projection);
        prop_assert_eq!(
            live_nodes.symmetric_difference(&fresh_nodes).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "nodes differ after {:?}", writes
        );
        prop_assert_eq!(
            live_edges.symmetric_difference(&fresh_edges).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "edges differ after {:?}", writes
        );
        prop_assert_eq!(searched(&live), searched(&fresh), "search differs after {:?}", writes);
        prop_assert_eq!(models.stats().full_builds, 1);
    }
}
