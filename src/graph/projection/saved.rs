//! The projection as the read models' snapshot keeps it (`read_models::snapshot`).
//!
//! What is saved is the content — the graph with its compact weights, the label arena and the
//! interning tables' items in id order — and what is derived from it (the hash tables that find
//! an item, an IRI or an edge's other graphs) is rebuilt on load, so that the saved form does
//! not depend on hashbrown's layout. Node and edge indices are kept, holes included.

use std::time::Duration;

use oxigraph::model::{BlankNode, GraphName, NamedNode};
use petgraph::stable_graph::NodeIndex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::evidence::{EvidenceTable, SavedEvidence};
use super::intern::{IriIndex, Labels, MoreGraphs, Table};
use super::{ClassId, EntityGraph, Projection, ProjectionOptions, Relation};

#[derive(Serialize, Deserialize)]
struct Saved {
    graph: EntityGraph,
    other_iris: Vec<Box<str>>,
    labels: String,
    labels_left_behind: usize,
    type_sets: Vec<Box<[ClassId]>>,
    relations: Vec<Relation>,
    predicates: Vec<Box<str>>,
    classes: Vec<Box<str>>,
    subclasses: Vec<Vec<ClassId>>,
    /// Graph names as N-Triples writes them (`<iri>`, `_:id`), `DEFAULT` for the default graph.
    graphs: Vec<String>,
    more_graphs: Vec<(u32, u32)>,
    quantities: bool,
    build_micros: u64,
    evidence: SavedEvidence,
}

fn graph_name(text: &str) -> GraphName {
    if let Some(iri) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        // Written from a valid graph name.
        GraphName::NamedNode(NamedNode::new_unchecked(iri))
    } else if let Some(id) = text.strip_prefix("_:") {
        GraphName::BlankNode(BlankNode::new_unchecked(id))
    } else {
        GraphName::DefaultGraph
    }
}

impl Serialize for Projection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (labels, labels_left_behind) = self.labels.parts();
        Saved {
            graph: self.graph.clone(),
            other_iris: self.other_iris.items().to_vec(),
            labels: labels.to_owned(),
            labels_left_behind,
            type_sets: self.type_sets.items().to_vec(),
            relations: self.relations.items().to_vec(),
            predicates: self.predicates.items().to_vec(),
            classes: self.classes.items().to_vec(),
            subclasses: self.subclasses.clone(),
            graphs: self
                .graphs
                .items()
                .iter()
                .map(ToString::to_string)
                .collect(),
            more_graphs: self.more_graphs.pairs().collect(),
            quantities: self.options == ProjectionOptions::default(),
            build_micros: u64::try_from(self.build_time.as_micros()).unwrap_or(u64::MAX),
            evidence: self.evidence.saved(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Projection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut saved = Saved::deserialize(deserializer)?;
        // Read element by element, the graph's vectors grew by doubling: give back the slack,
        // which the memory estimate counts.
        saved.graph.shrink_to_fit();
        let mut index = IriIndex::with_capacity(saved.graph.node_count());
        for node in saved.graph.node_indices() {
            index.insert(&saved.graph, NodeIndex::new(node.index()));
        }
        Ok(Self {
            index,
            other_iris: Table::from_items(saved.other_iris),
            labels: Labels::from_parts(saved.labels, saved.labels_left_behind),
            type_sets: Table::from_items(saved.type_sets),
            relations: Table::from_items(saved.relations),
            predicates: Table::from_items(saved.predicates),
            classes: Table::from_items(saved.classes),
            subclasses: saved.subclasses,
            graphs: Table::from_items(saved.graphs.iter().map(|g| graph_name(g)).collect()),
            more_graphs: MoreGraphs::from_pairs(saved.more_graphs),
            options: ProjectionOptions::default().with_quantities(saved.quantities),
            build_time: Duration::from_micros(saved.build_micros),
            adjacency: std::sync::OnceLock::new(),
            evidence: EvidenceTable::from_saved(saved.evidence),
            graph: saved.graph,
        })
    }
}
