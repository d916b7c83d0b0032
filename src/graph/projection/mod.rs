//! The projection itself: which resources are nodes, which triples are edges, how it is
//! built from the store and kept in step with writes.
//!
//! **Nodes** are the `egid:` resources (IRIs under [`vocab::id::BASE`]) that are not
//! statements (`a eg:Statement`) nor source documents (`a eg:SourceDocument`) and that are
//! *described* — the subject of an `rdf:type` or an `rdfs:label` triple — or the object of an
//! edge. Quantities (`a eg:Quantity`) are nodes by default: each is a reported figure with its
//! own statement (`Casualty report eg:deathToll Figure`), a leaf that costs nothing in
//! traversals and that an analyst walking an event wants to see;
//! [`ProjectionOptions::with_quantities`] leaves them out. Each node keeps its IRI, its English
//! `rdfs:label` (`@en`, else `@en-*`, else a label without a language tag) and its
//! `rdf:type`s in the `eg:` namespace.
//!
//! **Edges** are the direct triples `egid:S p egid:O` whose subject is a described node and
//! whose object is a node, for any predicate but `rdf:type`, in any graph (the union of all
//! graphs). A resource with neither type nor label (a dangling reference) can be the object of
//! an edge, never its subject: every resource the project models has a label, and this lets a
//! build read the triples of the entities only, never the statement layer that holds nine
//! quads in ten. A triple asserted in several graphs (two source documents reporting the same
//! relation) is one edge: its weight, a [`Relation`], holds the predicate and the first of its
//! graphs, and the others are kept aside ([`Projection::graphs_of`]). Predicates, classes and
//! graph names are interned to `u32` ids with a table back to the IRI. The statements behind
//! an edge are not held: they are found in the store from the edge's triple
//! ([`Projection::triple`]).
//!
//! **Memory.** [`ProjectionStats::estimated_bytes`] adds up what the projection holds:
//! `size_of` of a node slot and of an edge slot of the `StableGraph` times its capacities,
//! each node's IRI, label and types on the heap, the hash tables (buckets ×
//! (entry + 1 control byte), as hashbrown lays them out) and the interning tables. An edge
//! slot is 28 bytes (a 12-byte `Option<Relation>`, two `u32` endpoints and two `u32` list
//! links); allocator overhead is not counted. On generated graphs with five edges per node
//! that comes to about 77 bytes per edge all told (7.6 MB for 100,000 edges): the edge slot,
//! and a fifth of a node (its 67-byte IRI, label, slot and index entry).
//!
//! **Building** reads the store by index, never in a full scan: the `rdf:type` triples (which
//! resources are statements or documents, and every node's classes), the `rdfs:label` and
//! `rdfs:subClassOf` triples, then the triples of each described node. Nodes are numbered in
//! IRI order, predicates, classes and graphs in IRI order, edges in (subject, object,
//! predicate) order, so that two builds of the same data are identical whatever order the
//! store yields quads in. The reads are separate snapshots: a write during a build is made
//! good by refreshing with it afterwards.
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
mod intern;
mod memory;
mod refresh;

use std::time::Duration;

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Triple};
use petgraph::stable_graph::{EdgeIndex, EdgeReference, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeFiltered, FilterEdge};
use rustc_hash::FxHashMap;
use std::sync::Arc;

use self::intern::{Table, to_u32};
use super::TraversalError;

/// The petgraph graph the projection holds: entities and events, and the relations between them.
pub type EntityGraph = StableDiGraph<Resource, Relation, u32>;

/// The projection's graph seen through a predicate filter; traversals take `&View`.
pub type View<'a> = EdgeFiltered<&'a EntityGraph, PredicateFilter<'a>>;

/// The interned id of a predicate IRI ([`Projection::predicate`] gives the IRI back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PredicateId(u32);

/// The interned id of an `eg:` class IRI ([`Projection::class`] gives the IRI back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassId(u32);

/// The interned id of a graph name ([`Projection::graph_name`] gives the name back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GraphId(u32);

/// A node: an entity or event of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Its IRI; shared with the projection's IRI index, so it is stored once.
    iri: Arc<str>,
    /// Its English `rdfs:label`, what people read.
    label: Option<Box<str>>,
    /// Its `eg:` classes, sorted, for filtering by type.
    types: Box<[ClassId]>,
    /// Whether it has an `rdf:type` or `rdfs:label` of its own: an undescribed node exists
    /// only through its edges and disappears with the last of them.
    described: bool,
}

impl Resource {
    /// Its IRI.
    pub fn iri(&self) -> NamedNodeRef<'_> {
        // Read from the store, where every IRI is valid.
        NamedNodeRef::new_unchecked(&self.iri)
    }

    /// Its English `rdfs:label`.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// Its `eg:` classes (asserted, not inferred), sorted by id.
    pub fn types(&self) -> &[ClassId] {
        &self.types
    }
}

/// An edge's weight: which relation it is and where it is asserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The memory the projection holds, estimated as the module documentation says.
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
}

/// An edge filter keeping the edges whose predicate is in a list, or every edge.
#[derive(Debug, Clone, Copy)]
pub struct PredicateFilter<'a> {
    /// `None` keeps every edge.
    predicates: Option<&'a [PredicateId]>,
}

impl<'a> PredicateFilter<'a> {
    /// Keeps the edges with one of `predicates`, or every edge for `None`.
    pub fn new(predicates: Option<&'a [PredicateId]>) -> Self {
        Self { predicates }
    }

    /// Whether an edge with this relation passes.
    pub fn allows(&self, relation: &Relation) -> bool {
        self.predicates
            .is_none_or(|predicates| predicates.contains(&relation.predicate))
    }
}

impl FilterEdge<EdgeReference<'_, Relation, u32>> for PredicateFilter<'_> {
    fn include_edge(&self, edge: EdgeReference<'_, Relation, u32>) -> bool {
        self.allows(edge.weight())
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
    /// Nodes and edges.
    graph: EntityGraph,
    /// IRI → node; the keys share the nodes' IRIs.
    index: FxHashMap<Arc<str>, NodeIndex>,
    /// Predicate ids ↔ IRIs.
    predicates: Table<NamedNode>,
    /// Class ids ↔ IRIs.
    classes: Table<NamedNode>,
    /// The direct subclasses of each class, by class id, for type filters.
    subclasses: Vec<Vec<ClassId>>,
    /// Graph ids ↔ names.
    graphs: Table<GraphName>,
    /// The graphs, after the first, of the edges asserted in more than one graph (rare, so
    /// kept aside rather than in every edge).
    more_graphs: FxHashMap<EdgeIndex, Box<[GraphId]>>,
    /// What is projected.
    options: ProjectionOptions,
    /// How long the build took.
    build_time: Duration,
}

impl Projection {
    /// The petgraph graph, for traversals over every edge.
    pub fn graph(&self) -> &EntityGraph {
        &self.graph
    }

    /// The graph with only the edges whose predicate is in `predicates` (all for `None`);
    /// traversals take `&view`.
    pub fn view<'a>(&'a self, predicates: Option<&'a [PredicateId]>) -> View<'a> {
        EdgeFiltered(&self.graph, PredicateFilter::new(predicates))
    }

    /// What was projected.
    pub fn options(&self) -> ProjectionOptions {
        self.options
    }

    /// The node of an IRI, if it is one.
    pub fn node(&self, iri: NamedNodeRef<'_>) -> Option<NodeIndex> {
        self.index.get(iri.as_str()).copied()
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
    pub fn resource(&self, node: NodeIndex) -> Option<&Resource> {
        self.graph.node_weight(node)
    }

    /// An edge's subject, object and relation.
    pub fn relation(&self, edge: EdgeIndex) -> Option<(NodeIndex, NodeIndex, Relation)> {
        let (s, o) = self.graph.edge_endpoints(edge)?;
        Some((s, o, *self.graph.edge_weight(edge)?))
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

    /// The graphs asserting an edge's triple, by id.
    pub fn graphs_of(&self, edge: EdgeIndex) -> Vec<GraphId> {
        let Some(relation) = self.graph.edge_weight(edge) else {
            return Vec::new();
        };
        let mut graphs = vec![relation.graph];
        if let Some(more) = self.more_graphs.get(&edge) {
            graphs.extend_from_slice(more);
        }
        graphs
    }

    /// The IRI of a predicate id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn predicate(&self, id: PredicateId) -> NamedNodeRef<'_> {
        self.predicates.items[id.0 as usize].as_ref()
    }

    /// The id of a predicate IRI, if an edge uses it (or once did).
    pub fn predicate_id(&self, iri: NamedNodeRef<'_>) -> Option<PredicateId> {
        self.predicates.get(&iri.into_owned()).map(PredicateId)
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
            .items
            .iter()
            .enumerate()
            .map(|(id, iri)| (PredicateId(to_u32(id)), iri.as_ref()))
    }

    /// The IRI of a class id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn class(&self, id: ClassId) -> NamedNodeRef<'_> {
        self.classes.items[id.0 as usize].as_ref()
    }

    /// The name of a graph id.
    ///
    /// # Panics
    /// When the id does not come from this projection.
    pub fn graph_name(&self, id: GraphId) -> GraphNameRef<'_> {
        self.graphs.items[id.0 as usize].as_ref()
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
        let Some(root) = self.classes.get(&class.into_owned()) else {
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
            .is_some_and(|resource| filter.matches(&resource.types))
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
    use oxigraph::model::{Literal, Quad};

    use oxigraph::model::vocab::{rdf, rdfs};
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
        let iris: Vec<&str> = p
            .graph()
            .node_indices()
            .map(|n| p.resource(n).unwrap().iri().as_str())
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
