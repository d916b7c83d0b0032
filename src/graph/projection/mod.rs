//! The projection itself: which resources are nodes, which triples are edges, and what a
//! projection answers about them. Building it is `build.rs`, keeping it in step with writes
//! `refresh.rs`, how it holds names and labels in few bytes `intern.rs`, the evidence behind
//! edges `evidence.rs` (read by `evidence_reads.rs`), and what it costs `memory.rs`.
//!
//! **Nodes** are the `egid:` resources (IRIs under [`vocab::id::BASE`]) that are not
//! statements (`a eg:Statement`) nor source documents (`a eg:SourceDocument`) and that are
//! *described* — the subject of an `rdf:type` or an `rdfs:label` triple — or the object of an
//! edge. Quantities (`a eg:Quantity`) are nodes by default: each is a reported figure with its
//! own statement (`Casualty report eg:deathToll Figure`), a leaf that costs nothing in
//! traversals and that an analyst walking an event wants to see;
//! [`ProjectionOptions::with_quantities`] leaves them out. Each node keeps its IRI, its English
//! `rdfs:label` (`@en`, else `@en-*`, else a label without a language tag) and its
//! `rdf:type`s in the `eg:` namespace, read through [`Projection::resource`].
//!
//! **Edges** are the direct triples `egid:S p egid:O` whose subject is a described node and
//! whose object is a node, for any predicate but `rdf:type`, in any graph (the union of all
//! graphs, the default graph included). A resource with neither type nor label (a dangling
//! reference) can be the object of an edge, never its subject: every resource the project
//! models has a label, and this lets a build read the triples of the entities only, never the
//! statement layer that holds nine quads in ten. A triple asserted in several graphs (two
//! source documents reporting the same relation) is one edge: its [`Relation`] holds the
//! predicate and the first of its graphs, and the others are kept aside
//! ([`Projection::graphs_of`]). Predicates, classes and graph names are interned to `u32` ids
//! with a table back to the IRI. The statements behind an edge are held as compact evidence
//! (`evidence.rs`: per edge, the interned source, publisher, speaker, day and modality of its
//! statements; per event, its days), which provenance filters read
//! ([`Projection::evidence`], `graph::provenance`); the statements themselves, with their
//! quotes, are found in the store from the edge's triple ([`Projection::triple`]).
//!
//! **Determinism.** A fresh build numbers nodes in IRI order, predicates, classes and graphs
//! in IRI order, edges in (subject, object, predicate) order, so that two builds of the same
//! data are identical whatever order the store yields quads in.
//!
//! **Keeping in step.** [`Projection::refresh`] takes the quads a write inserted or removed
//! and re-reads from the store, for each, what it can change: the triple's graphs, the
//! resource's classes and label. It is idempotent and ignores whether a quad was inserted or
//! removed, so it must be called after the write committed, with every quad the write
//! touched; calling it for a write that happened during a build heals the build. A
//! `StableGraph` keeps node and edge indices valid across removals. A write whose quads are
//! not known one by one (a SPARQL Update, dropping a graph without listing it first) calls for
//! a rebuild instead, in the background, swapped in when done.

mod build;
mod evidence;
mod evidence_reads;
mod evidence_summary;
mod intern;
mod memory;
mod prefetch;
mod refresh;
mod saved;

use std::num::NonZeroU32;
use std::sync::OnceLock;
use std::time::Duration;

use oxigraph::model::{GraphName, GraphNameRef, NamedNodeRef, Triple};
use petgraph::stable_graph::{EdgeIndex, EdgeReference, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeFiltered, FilterEdge};

pub use self::evidence::{EventDays, Evidence};
pub use self::intern::ResourceIri;
use self::intern::{IriIndex, IriKey, Labels, MoreGraphs, Table, to_u32};
pub use self::prefetch::Prefetched;
use super::{Adjacency, TraversalError};
use crate::vocab;

/// The petgraph graph the projection holds: entities and events, and the relations between them.
pub type EntityGraph = StableDiGraph<ResourceRecord, RelationId, u32>;

/// The projection's graph seen through a predicate filter; traversals take `&View`.
pub type View<'a> = EdgeFiltered<&'a EntityGraph, PredicateFilter<'a>>;

/// The interned id of a predicate IRI ([`Projection::predicate`] gives the IRI back).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct PredicateId(u32);

/// The interned id of an `eg:` class IRI ([`Projection::class`] gives the IRI back).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ClassId(u32);

/// The interned id of a graph name ([`Projection::graph_name`] gives the name back).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct GraphId(u32);

/// A node's weight in the graph: 24 bytes that [`Projection::resource`] reads as a
/// [`Resource`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResourceRecord {
    /// The uuid of its IRI, or the IRI's id in the side table (see `meta`).
    key: [u8; 16],
    /// The offset of its label in the label arena.
    label: u32,
    /// Its type set id and flags (described, IRI in the side table), never 0 (see `intern.rs`).
    meta: NonZeroU32,
}

/// A node read through its projection: an entity or event of the graph.
#[derive(Clone, Copy)]
pub struct Resource<'a> {
    projection: &'a Projection,
    record: &'a ResourceRecord,
}

impl<'a> Resource<'a> {
    /// Its IRI.
    pub fn iri(&self) -> ResourceIri<'a> {
        ResourceIri::of_key(self.record.key(), &self.projection.other_iris)
    }

    /// Its English `rdfs:label`.
    pub fn label(&self) -> Option<&'a str> {
        self.projection.labels.get(self.record.label_at())
    }

    /// Its `eg:` classes (asserted, not inferred), sorted by id.
    pub fn types(&self) -> &'a [ClassId] {
        self.projection.type_sets.item(self.record.type_set())
    }
}

impl std::fmt::Debug for Resource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resource")
            .field("iri", &self.iri())
            .field("label", &self.label())
            .field("types", &self.types())
            .field("described", &self.record.described())
            .finish()
    }
}

/// An edge's weight in the graph: the id of its [`Relation`] (the distinct pairs of predicate
/// and first graph are few, so an edge holds 4 bytes instead of 8).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct RelationId(NonZeroU32);

/// Which relation an edge is and where it is asserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Relation {
    /// The predicate of the direct triple.
    pub predicate: PredicateId,
    /// The first graph (by id) that asserts the triple; [`Projection::graphs_of`] lists all.
    pub graph: GraphId,
}

/// What to project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectionOptions {
    /// Whether quantities (`eg:Quantity`, reported figures) are nodes.
    quantities: bool,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        Self { quantities: true }
    }
}

impl ProjectionOptions {
    /// Keeps (`true`, the default) or leaves out the quantities.
    #[must_use]
    pub fn with_quantities(mut self, quantities: bool) -> Self {
        self.quantities = quantities;
        self
    }

    /// The classes whose resources are not nodes.
    fn excluded_classes(self) -> &'static [NamedNodeRef<'static>] {
        const WITH_QUANTITIES: &[NamedNodeRef<'static>] =
            &[vocab::eg::STATEMENT, vocab::eg::SOURCE_DOCUMENT];
        const WITHOUT_QUANTITIES: &[NamedNodeRef<'static>] = &[
            vocab::eg::STATEMENT,
            vocab::eg::SOURCE_DOCUMENT,
            vocab::eg::QUANTITY,
        ];
        if self.quantities {
            WITH_QUANTITIES
        } else {
            WITHOUT_QUANTITIES
        }
    }

    /// Whether resources of this class are left out of the projection.
    fn excludes(self, class: NamedNodeRef<'_>) -> bool {
        self.excluded_classes().contains(&class)
    }
}

/// The size of a projection and what building it cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectionStats {
    /// Nodes (entities, events and, by default, quantities).
    pub nodes: usize,
    /// Edges (distinct direct triples between nodes).
    pub edges: usize,
    /// Distinct predicates on the edges.
    pub predicates: usize,
    /// Distinct `eg:` classes known (of nodes, or in the class hierarchy).
    pub classes: usize,
    /// Distinct graphs the edges come from.
    pub graphs: usize,
    /// The memory the projection holds, estimated as `memory.rs` says.
    pub estimated_bytes: usize,
    /// How long the last full build took (reading the store included).
    pub build_time: Duration,
}

impl ProjectionStats {
    /// Estimated bytes per edge, nodes and tables included; 0 without edges.
    pub fn bytes_per_edge(&self) -> f64 {
        if self.edges == 0 {
            0.0
        } else {
            self.estimated_bytes as f64 / self.edges as f64
        }
    }
}

/// What a [`Projection::refresh`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Nodes added.
    pub nodes_added: usize,
    /// Nodes removed.
    pub nodes_removed: usize,
    /// Nodes whose label or classes were re-read.
    pub nodes_updated: usize,
    /// Edges added.
    pub edges_added: usize,
    /// Edges removed.
    pub edges_removed: usize,
    /// Store reads the refresh made itself, past those [`Projection::prefetch`] made ahead
    /// (the class hierarchy's re-read aside).
    pub store_reads: usize,
}

/// A test of edges by index, such as a provenance filter's (`graph::provenance::EdgeTest`).
pub type EdgeKeep<'a> = &'a (dyn Fn(EdgeIndex) -> bool + Sync);

/// An edge filter keeping the edges whose predicate is in a list, or every edge, and that
/// pass an edge test when one is given.
#[derive(Clone, Copy)]
pub struct PredicateFilter<'a> {
    /// `None` keeps every edge.
    predicates: Option<&'a [PredicateId]>,
    /// The relations, by id, to read an edge's predicate from its weight.
    relations: &'a [Relation],
    /// `None` keeps every edge.
    keep: Option<EdgeKeep<'a>>,
}

impl std::fmt::Debug for PredicateFilter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PredicateFilter")
            .field("predicates", &self.predicates)
            .field("keep", &self.keep.is_some())
            .finish()
    }
}

impl PredicateFilter<'_> {
    /// Whether an edge with this relation passes.
    pub fn allows(&self, relation: &Relation) -> bool {
        self.predicates
            .is_none_or(|predicates| predicates.contains(&relation.predicate))
    }
}

impl FilterEdge<EdgeReference<'_, RelationId, u32>> for PredicateFilter<'_> {
    fn include_edge(&self, edge: EdgeReference<'_, RelationId, u32>) -> bool {
        use petgraph::visit::EdgeRef;
        (self.predicates.is_none() || self.allows(&self.relations[edge.weight().index() as usize]))
            && self.keep.is_none_or(|keep| keep(edge.id()))
    }
}

/// A set of classes a node may have one of: a class and, if asked, its subclasses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFilter {
    /// Sorted, for binary search.
    classes: Vec<ClassId>,
}

impl ClassFilter {
    /// Whether a node with these types passes.
    pub fn matches(&self, types: &[ClassId]) -> bool {
        types.iter().any(|t| self.classes.binary_search(t).is_ok())
    }
}

/// The in-memory projection of the entity graph.
#[derive(Debug, Clone)]
pub struct Projection {
    /// Nodes and edges, with compact weights that the tables below decode.
    graph: EntityGraph,
    /// IRI → node.
    index: IriIndex,
    /// The node IRIs that are not `{BASE}{uuid}`, which a 16-byte key cannot hold.
    other_iris: Table<Box<str>>,
    /// Every node's label.
    labels: Labels,
    /// The distinct sets of classes of nodes, so that a node holds one id for all of its own.
    type_sets: Table<Box<[ClassId]>>,
    /// The distinct (predicate, first graph) pairs of edges, by [`RelationId`].
    relations: Table<Relation>,
    /// Predicate ids ↔ IRIs.
    predicates: Table<Box<str>>,
    /// Class ids ↔ IRIs.
    classes: Table<Box<str>>,
    /// The direct subclasses of each class, by class id, for type filters.
    subclasses: Vec<Vec<ClassId>>,
    /// Graph ids ↔ names.
    graphs: Table<GraphName>,
    /// The graphs, after the first, of the edges asserted in more than one graph.
    more_graphs: MoreGraphs,
    options: ProjectionOptions,
    /// How long the last full build took.
    build_time: Duration,
    /// The edges sorted node by node for the REST traversals, built on first use: a build or a
    /// load starts without it, and a refresh patches the rows it changed (see
    /// [`Projection::adjacency`]).
    adjacency: OnceLock<Adjacency>,
    /// The statements behind each edge, compact, and the days of events: what provenance
    /// filters read (`evidence.rs`).
    evidence: evidence::EvidenceTable,
}

impl Projection {
    /// The petgraph graph, for traversals over every edge.
    #[inline]
    pub fn graph(&self) -> &EntityGraph {
        &self.graph
    }

    /// The graph with only the edges whose predicate is in `predicates` (all for `None`);
    /// traversals take `&view`.
    pub fn view<'a>(&'a self, predicates: Option<&'a [PredicateId]>) -> View<'a> {
        self.view_with(predicates, None)
    }

    /// The graph with only the edges whose predicate is in `predicates` (all for `None`) and
    /// that `keep` keeps (all for `None`).
    pub fn view_with<'a>(
        &'a self,
        predicates: Option<&'a [PredicateId]>,
        keep: Option<EdgeKeep<'a>>,
    ) -> View<'a> {
        EdgeFiltered(
            &self.graph,
            PredicateFilter {
                predicates,
                relations: self.relations.items(),
                keep,
            },
        )
    }

    /// The graph's edges in compressed sparse rows, each node's sorted: what the traversals of
    /// the REST API walk. Built on the first call after a build or a load (callers waiting
    /// meanwhile); a refresh re-derives the rows of the nodes whose edges it changed, and
    /// drops it only when those rows have grown to half its size (then the next call builds
    /// it again).
    ///
    /// # Complexity
    /// O(V + E log Δ) on the first call, O(1) after.
    pub fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| self.rebuilt_adjacency())
    }

    /// The adjacency as a new build makes it, ignoring the one kept: what a refreshed
    /// [`Projection::adjacency`] must equal.
    ///
    /// # Complexity
    /// O(V + E log Δ).
    pub fn rebuilt_adjacency(&self) -> Adjacency {
        Adjacency::new(&self.graph, |&relation| {
            self.relation_of(relation).predicate
        })
    }

    /// What was projected.
    pub fn options(&self) -> ProjectionOptions {
        self.options
    }

    /// The node of an IRI, if it is one.
    pub fn node(&self, iri: NamedNodeRef<'_>) -> Option<NodeIndex> {
        self.node_of(iri.as_str())
    }

    fn node_of(&self, iri: &str) -> Option<NodeIndex> {
        let key = IriKey::find(iri, &self.other_iris)?;
        self.index.find(&self.graph, key)
    }

    /// The node of an IRI.
    ///
    /// # Errors
    /// [`TraversalError::UnknownEntity`] when the IRI is not a node.
    pub fn entity(&self, iri: NamedNodeRef<'_>) -> Result<NodeIndex, TraversalError> {
        self.node(iri).ok_or_else(|| TraversalError::UnknownEntity {
            iri: iri.as_str().to_owned(),
        })
    }

    /// A node's IRI, label and classes.
    pub fn resource(&self, node: NodeIndex) -> Option<Resource<'_>> {
        Some(Resource {
            projection: self,
            record: self.graph.node_weight(node)?,
        })
    }

    /// An edge's subject, object and relation.
    pub fn relation(&self, edge: EdgeIndex) -> Option<(NodeIndex, NodeIndex, Relation)> {
        let (s, o) = self.graph.edge_endpoints(edge)?;
        Some((s, o, self.relation_of(*self.graph.edge_weight(edge)?)))
    }

    /// The relation an edge's weight names.
    pub fn relation_of(&self, id: RelationId) -> Relation {
        *self.relations.item(id.index())
    }

    /// An edge's direct triple, to find its statements in the store.
    pub fn triple(&self, edge: EdgeIndex) -> Option<Triple> {
        let (s, o, relation) = self.relation(edge)?;
        Some(Triple::new(
            self.resource(s)?.iri().into_owned(),
            self.predicate(relation.predicate).into_owned(),
            self.resource(o)?.iri().into_owned(),
        ))
    }

    /// The graphs asserting an edge's triple, by id: the first, then the others in id order.
    pub fn graphs_of(&self, edge: EdgeIndex) -> Vec<GraphId> {
        let Some(&relation) = self.graph.edge_weight(edge) else {
            return Vec::new();
        };
        let mut graphs = vec![self.relation_of(relation).graph];
        graphs.extend(self.more_graphs.of(edge));
        graphs
    }

    /// The IRI of a predicate id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn predicate(&self, id: PredicateId) -> NamedNodeRef<'_> {
        // Read from the store, where every IRI is valid.
        NamedNodeRef::new_unchecked(self.predicates.item(id.0))
    }

    /// The id of a predicate IRI, if an edge uses it (or once did).
    pub fn predicate_id(&self, iri: NamedNodeRef<'_>) -> Option<PredicateId> {
        self.predicates.get(iri.as_str()).map(PredicateId)
    }

    /// The ids of predicate IRIs, for a [`PredicateFilter`].
    ///
    /// # Errors
    /// [`TraversalError::UnknownPredicate`] for the first IRI no edge uses.
    pub fn predicate_ids(
        &self,
        iris: &[NamedNodeRef<'_>],
    ) -> Result<Vec<PredicateId>, TraversalError> {
        iris.iter()
            .map(|&iri| {
                self.predicate_id(iri)
                    .ok_or_else(|| TraversalError::UnknownPredicate {
                        iri: iri.as_str().to_owned(),
                    })
            })
            .collect()
    }

    /// Every predicate id with its IRI.
    pub fn predicates(&self) -> impl Iterator<Item = (PredicateId, NamedNodeRef<'_>)> {
        self.predicates
            .items()
            .iter()
            .enumerate()
            .map(|(id, iri)| (PredicateId(to_u32(id)), NamedNodeRef::new_unchecked(iri)))
    }

    /// The IRI of a class id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn class(&self, id: ClassId) -> NamedNodeRef<'_> {
        NamedNodeRef::new_unchecked(self.classes.item(id.0))
    }

    /// The name of a graph id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn graph_name(&self, id: GraphId) -> GraphNameRef<'_> {
        self.graphs.item(id.0).as_ref()
    }

    /// A filter for the nodes of `class`, and of its subclasses (`rdfs:subClassOf` between
    /// `eg:` classes, transitively) when `with_subclasses`.
    ///
    /// # Errors
    /// [`TraversalError::UnknownClass`] when the class is neither a node's class nor in the
    /// class hierarchy.
    pub fn class_filter(
        &self,
        class: NamedNodeRef<'_>,
        with_subclasses: bool,
    ) -> Result<ClassFilter, TraversalError> {
        let Some(root) = self.classes.get(class.as_str()) else {
            return Err(TraversalError::UnknownClass {
                iri: class.as_str().to_owned(),
            });
        };
        let mut classes = vec![ClassId(root)];
        if with_subclasses {
            let mut next = 0;
            while next < classes.len() {
                for &sub in &self.subclasses[classes[next].0 as usize] {
                    if !classes.contains(&sub) {
                        classes.push(sub);
                    }
                }
                next += 1;
            }
        }
        classes.sort_unstable();
        Ok(ClassFilter { classes })
    }

    /// Whether a node has one of the filter's classes.
    pub fn is_a(&self, node: NodeIndex, filter: &ClassFilter) -> bool {
        self.resource(node)
            .is_some_and(|resource| filter.matches(resource.types()))
    }

    /// The evidence of an edge: one [`Evidence`] per distinct provenance of its statements.
    #[inline]
    pub fn evidence(&self, edge: EdgeIndex) -> impl Iterator<Item = &Evidence> + '_ {
        self.evidence.of(edge)
    }

    /// Whether one of an edge's statements was made on or before `day` (days since
    /// 1970-01-01), from a digest kept per edge; `None` when the digest cannot tell (a day
    /// before 1970-01-01 or after 2149-06-03), and the statements must be read.
    #[inline]
    pub fn made_by(&self, edge: EdgeIndex, day: i32) -> Option<bool> {
        self.evidence.made_by(edge, day)
    }

    /// How many source documents the evidence knows: no edge has more distinct publishers.
    pub fn source_count(&self) -> u32 {
        self.evidence.source_count()
    }

    /// Whether one of an edge's statements is confirmed or a confirmation, from the digest.
    #[inline]
    pub fn any_confirmed(&self, edge: EdgeIndex) -> bool {
        self.evidence.any_confirmed(edge)
    }

    /// The id of a speaker or publisher IRI among the agents of [`Evidence`].
    pub fn agent_id(&self, iri: NamedNodeRef<'_>) -> Option<u32> {
        self.evidence.agent_id(iri.as_str())
    }

    /// The id of a source document IRI of [`Evidence`].
    pub fn source_id(&self, iri: NamedNodeRef<'_>) -> Option<u32> {
        self.evidence.source_id(iri.as_str())
    }

    /// The id of a modality IRI of [`Evidence`].
    pub fn modality_id(&self, iri: NamedNodeRef<'_>) -> Option<u16> {
        self.evidence.modality_id(iri.as_str())
    }

    /// The publisher (an agent id) of a source document id, if it has one.
    #[inline]
    pub fn publisher_of_source(&self, source: u32) -> Option<u32> {
        self.evidence.publisher(source)
    }

    /// The IRI of an agent id (a speaker or a publisher) of [`Evidence`].
    pub fn agent_iri(&self, id: u32) -> ResourceIri<'_> {
        self.evidence.agent_iri(id)
    }

    /// The IRI of a source document id of [`Evidence`].
    pub fn source_iri(&self, id: u32) -> NamedNodeRef<'_> {
        NamedNodeRef::new_unchecked(self.evidence.source_iri(id))
    }

    /// The IRI of a modality id of [`Evidence`].
    pub fn modality_iri(&self, id: u16) -> NamedNodeRef<'_> {
        NamedNodeRef::new_unchecked(self.evidence.modality_iri(id))
    }

    /// The days of an event node, if it is dated.
    #[inline]
    pub fn event_days(&self, node: NodeIndex) -> Option<EventDays> {
        self.evidence.days_of(node.index() as u32)
    }

    /// How many edges have statements behind them, and how many distinct evidences they
    /// hold in all.
    pub fn evidence_counts(&self) -> (usize, usize) {
        self.evidence.counts()
    }

    /// The projection's size and build time.
    pub fn stats(&self) -> ProjectionStats {
        ProjectionStats {
            nodes: self.graph.node_count(),
            edges: self.graph.edge_count(),
            predicates: self.predicates.len(),
            classes: self.classes.len(),
            graphs: self.graphs.len(),
            estimated_bytes: self.estimated_bytes(),
            build_time: self.build_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::vocab::{rdf, rdfs};
    use oxigraph::model::{Literal, NamedNode, Quad};
    use petgraph::Direction::{Incoming, Outgoing};
    use petgraph::visit::EdgeRef;

    use super::*;
    use crate::vocab;

    const EG: &str = vocab::eg::NAMESPACE;

    fn id(name: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{name}", vocab::id::BASE))
    }

    fn eg(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{EG}{local}"))
    }

    fn doc() -> GraphName {
        id("doc").into()
    }

    /// Two states in contact, an event with a statement about it, a document and a figure.
    fn small() -> Vec<Quad> {
        let mut quads = Vec::new();
        let mut add = |s: NamedNode, p: NamedNode, o: oxigraph::model::Term| {
            quads.push(Quad::new(s, p, o, doc()));
        };
        for (name, class) in [
            ("us", "State"),
            ("hamas", "Organisation"),
            ("qatar", "State"),
        ] {
            add(id(name), rdf::TYPE.into_owned(), eg(class).into());
            add(
                id(name),
                rdfs::LABEL.into_owned(),
                Literal::new_language_tagged_literal_unchecked(name.to_uppercase(), "en").into(),
            );
        }
        add(id("contact"), rdf::TYPE.into_owned(), eg("Event").into());
        add(id("us"), eg("contactsVia"), id("hamas").into());
        add(id("contact"), eg("agent"), id("us").into());
        add(id("contact"), eg("intermediary"), id("qatar").into());
        add(id("st"), rdf::TYPE.into_owned(), eg("Statement").into());
        add(id("st"), rdf::SUBJECT.into_owned(), id("us").into());
        add(id("st"), eg("source"), id("doc").into());
        add(
            id("doc"),
            rdf::TYPE.into_owned(),
            eg("SourceDocument").into(),
        );
        add(id("figure"), rdf::TYPE.into_owned(), eg("Quantity").into());
        add(id("contact"), eg("figure"), id("figure").into());
        quads
    }

    fn build(quads: &[Quad], options: ProjectionOptions) -> Projection {
        Projection::from_quads(quads.iter().map(Quad::as_ref), options)
    }

    #[test]
    fn statements_and_documents_are_not_nodes_and_quantities_are_by_choice() {
        let quads = small();
        let with = build(&quads, ProjectionOptions::default());
        assert!(with.node(id("st").as_ref()).is_none());
        assert!(with.node(id("doc").as_ref()).is_none());
        assert!(with.node(id("figure").as_ref()).is_some());
        assert_eq!(with.stats().nodes, 5);
        assert_eq!(with.stats().edges, 4);
        let without = build(&quads, ProjectionOptions::default().with_quantities(false));
        assert!(without.node(id("figure").as_ref()).is_none());
        assert_eq!(without.stats().nodes, 4);
        assert_eq!(without.stats().edges, 3);
    }

    #[test]
    fn a_resource_without_type_or_label_is_the_object_of_edges_never_their_subject() {
        let mut quads = small();
        quads.push(Quad::new(id("ghost"), eg("partOf"), id("hamas"), doc()));
        quads.push(Quad::new(id("us"), eg("location"), id("ghost"), doc()));
        let p = build(&quads, ProjectionOptions::default());
        let ghost = p.node(id("ghost").as_ref()).unwrap();
        assert_eq!(p.resource(ghost).unwrap().label(), None);
        assert_eq!(p.graph().edges_directed(ghost, Incoming).count(), 1);
        assert_eq!(p.graph().edges_directed(ghost, Outgoing).count(), 0);
    }

    #[test]
    fn nodes_keep_their_english_label_and_eg_classes_in_iri_order() {
        let mut quads = small();
        quads.push(Quad::new(
            id("us"),
            rdfs::LABEL,
            Literal::new_language_tagged_literal_unchecked("États-Unis", "fr"),
            doc(),
        ));
        let p = build(&quads, ProjectionOptions::default());
        let us = p.resource(p.node(id("us").as_ref()).unwrap()).unwrap();
        assert_eq!(us.label(), Some("US"));
        assert_eq!(
            us.types()
                .iter()
                .map(|&c| p.class(c).as_str())
                .collect::<Vec<_>>(),
            vec![format!("{EG}State")]
        );
        let iris: Vec<String> = p
            .graph()
            .node_indices()
            .map(|n| p.resource(n).unwrap().iri().as_str().to_owned())
            .collect();
        let mut sorted = iris.clone();
        sorted.sort_unstable();
        assert_eq!(iris, sorted, "a fresh build numbers nodes in IRI order");
    }

    #[test]
    fn a_triple_in_two_graphs_is_one_edge_that_knows_both() {
        let mut quads = small();
        let other: GraphName = id("other").into();
        quads.push(Quad::new(
            id("us"),
            eg("contactsVia"),
            id("hamas"),
            other.clone(),
        ));
        let p = build(&quads, ProjectionOptions::default());
        assert_eq!(p.stats().edges, 4);
        let us = p.node(id("us").as_ref()).unwrap();
        let edge = p.graph().edges_directed(us, Outgoing).next().unwrap().id();
        let graphs: Vec<GraphNameRef<'_>> = p
            .graphs_of(edge)
            .into_iter()
            .map(|g| p.graph_name(g))
            .collect();
        assert_eq!(graphs, vec![doc().as_ref(), other.as_ref()]);
    }

    #[test]
    fn the_same_quads_in_another_order_build_the_same_projection() {
        let quads = small();
        let mut reversed = quads.clone();
        reversed.reverse();
        let a = build(&quads, ProjectionOptions::default());
        let b = build(&reversed, ProjectionOptions::default());
        assert_eq!(
            a.graph().node_weights().collect::<Vec<_>>(),
            b.graph().node_weights().collect::<Vec<_>>()
        );
        let edges = |p: &Projection| {
            p.graph()
                .edge_indices()
                .map(|e| p.relation(e).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(edges(&a), edges(&b));
    }

    #[test]
    fn class_filters_follow_subclasses_when_asked() {
        let mut quads = small();
        quads.push(Quad::new(
            eg("State"),
            rdfs::SUB_CLASS_OF,
            eg("Actor"),
            GraphName::DefaultGraph,
        ));
        let p = build(&quads, ProjectionOptions::default());
        let us = p.node(id("us").as_ref()).unwrap();
        let actor = eg("Actor");
        assert!(p.is_a(us, &p.class_filter(actor.as_ref(), true).unwrap()));
        assert!(!p.is_a(us, &p.class_filter(actor.as_ref(), false).unwrap()));
        assert_eq!(
            p.class_filter(eg("Nothing").as_ref(), true),
            Err(TraversalError::UnknownClass {
                iri: format!("{EG}Nothing")
            })
        );
    }
}
