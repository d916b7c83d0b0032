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

use std::mem::size_of;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, TermRef, Triple,
};
use oxigraph::store::StorageError;
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, EdgeReference, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeFiltered, EdgeRef, FilterEdge};
use rustc_hash::{FxHashMap, FxHashSet};

use super::{ProjectionError, TraversalError};
use crate::store::Store;
use crate::vocab;

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

/// An interning table: ids are positions.
#[derive(Debug, Clone)]
struct Table<T> {
    /// The values, by id.
    items: Vec<T>,
    /// The id of each value.
    ids: FxHashMap<T, u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ids: FxHashMap::default(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Table<T> {
    fn get<Q>(&self, item: &Q) -> Option<u32>
    where
        T: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.ids.get(item).copied()
    }

    fn intern(&mut self, item: T) -> u32 {
        if let Some(&id) = self.ids.get(&item) {
            return id;
        }
        let id = to_u32(self.items.len());
        self.items.push(item.clone());
        self.ids.insert(item, id);
        id
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    /// Renumbers the values in `key` order; returns the new id of each old id.
    fn sort_by_key<K: Ord>(&mut self, key: impl Fn(&T) -> K) -> Vec<u32> {
        let mut order: Vec<u32> = (0..to_u32(self.items.len())).collect();
        order.sort_by_key(|&id| key(&self.items[id as usize]));
        let mut renumber = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = to_u32(new);
        }
        self.items = order
            .iter()
            .map(|&old| self.items[old as usize].clone())
            .collect();
        self.ids = self
            .items
            .iter()
            .enumerate()
            .map(|(id, item)| (item.clone(), to_u32(id)))
            .collect();
        renumber
    }

    fn bytes(&self, heap: impl Fn(&T) -> usize) -> usize {
        self.items.capacity() * size_of::<T>()
            + hash_table_bytes::<(T, u32)>(self.ids.capacity())
            + self.items.iter().map(|item| 2 * heap(item)).sum::<usize>()
    }
}

/// Converts a count to a `u32` id. Ids index petgraph's `u32` graph, which cannot hold more
/// than `u32::MAX` nodes or edges either, so an overflow is a broken invariant.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("more than u32::MAX interned values")
}

/// The bytes of a hashbrown table with this capacity: buckets × (entry + control byte).
fn hash_table_bytes<T>(capacity: usize) -> usize {
    if capacity == 0 {
        0
    } else {
        (capacity * 8 / 7).next_power_of_two() * (size_of::<T>() + 1)
    }
}

/// Whether `iri` names an eventgraph resource (an `egid:` IRI).
fn is_resource(iri: &str) -> bool {
    iri.starts_with(vocab::id::BASE)
}

/// The `egid:` IRI of a subject or object, if it is one.
fn resource_of_subject<'a>(subject: NamedOrBlankNodeRef<'a>) -> Option<&'a str> {
    match subject {
        NamedOrBlankNodeRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

fn resource_of_object<'a>(object: TermRef<'a>) -> Option<&'a str> {
    match object {
        TermRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

/// How good a label is for people reading English: lower is better, `None` is not a label.
fn label_rank(object: TermRef<'_>) -> Option<(u8, &str)> {
    let TermRef::Literal(literal) = object else {
        return None;
    };
    let rank = match literal.language() {
        Some("en") => 0,
        Some(tag) if tag.starts_with("en-") => 1,
        Some(_) => return None,
        None if literal.datatype() == oxigraph::model::vocab::xsd::STRING => 2,
        None => return None,
    };
    Some((rank, literal.value()))
}

/// Keeps the better of two candidate labels (then the smaller string, for determinism).
fn better_label(current: &mut Option<(u8, Box<str>)>, candidate: (u8, &str)) {
    let better = match current {
        None => true,
        Some((rank, value)) => (candidate.0, candidate.1) < (*rank, &**value),
    };
    if better {
        *current = Some((candidate.0, candidate.1.into()));
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

/// What a build knows of one `egid:` resource.
#[derive(Debug, Default)]
struct Seen {
    /// A statement or source document (or a quantity, when they are left out).
    excluded: bool,
    /// Has an `rdf:type` or `rdfs:label`.
    described: bool,
    /// The object of an edge (the subjects of edges are described).
    linked: bool,
    /// Its `eg:` classes.
    types: Vec<ClassId>,
    /// Its best label so far.
    label: Option<(u8, Box<str>)>,
}

/// The state of a build between its scans.
#[derive(Debug, Default)]
struct Builder {
    options: ProjectionOptions,
    /// `egid:` IRI → resource number.
    resources: FxHashMap<Arc<str>, u32>,
    /// Resource number → IRI.
    iris: Vec<Arc<str>>,
    /// Resource number → what is known of it.
    seen: Vec<Seen>,
    /// Direct triples between two resources not excluded: (subject, predicate, object, graph).
    edges: Vec<[u32; 4]>,
    predicates: Table<NamedNode>,
    classes: Table<NamedNode>,
    graphs: Table<GraphName>,
    /// (subclass, superclass) pairs between `eg:` classes.
    sub_class_of: Vec<(u32, u32)>,
}

impl Builder {
    fn resource(&mut self, iri: &str) -> u32 {
        if let Some(&id) = self.resources.get(iri) {
            return id;
        }
        let id = to_u32(self.iris.len());
        let iri: Arc<str> = iri.into();
        self.iris.push(Arc::clone(&iri));
        self.resources.insert(iri, id);
        self.seen.push(Seen::default());
        id
    }

    /// The first scan: `rdf:type` triples.
    fn add_type(&mut self, quad: QuadRef<'_>) {
        let Some(subject) = resource_of_subject(quad.subject) else {
            return;
        };
        let id = self.resource(subject) as usize;
        self.seen[id].described = true;
        if let TermRef::NamedNode(class) = quad.object {
            if is_excluded_class(class, self.options) {
                self.seen[id].excluded = true;
            } else if class.as_str().starts_with(vocab::eg::NAMESPACE) {
                let class = ClassId(self.classes.intern(class.into_owned()));
                if !self.seen[id].types.contains(&class) {
                    self.seen[id].types.push(class);
                }
            }
        }
    }

    /// The second scan: `rdfs:label` triples.
    fn add_label(&mut self, quad: QuadRef<'_>) {
        let Some(subject) = resource_of_subject(quad.subject) else {
            return;
        };
        let s = self.resource(subject) as usize;
        let seen = &mut self.seen[s];
        seen.described = true;
        if !seen.excluded {
            if let Some(candidate) = label_rank(quad.object) {
                better_label(&mut seen.label, candidate);
            }
        }
    }

    /// An `rdfs:subClassOf` triple, kept when it joins two `eg:` classes.
    fn add_sub_class_of(&mut self, quad: QuadRef<'_>) {
        if let (NamedOrBlankNodeRef::NamedNode(sub), TermRef::NamedNode(sup)) =
            (quad.subject, quad.object)
        {
            if sub.as_str().starts_with(vocab::eg::NAMESPACE)
                && sup.as_str().starts_with(vocab::eg::NAMESPACE)
            {
                let pair = (
                    self.classes.intern(sub.into_owned()),
                    self.classes.intern(sup.into_owned()),
                );
                self.sub_class_of.push(pair);
            }
        }
    }

    /// The resources whose own triples are read for edges: described and not left out.
    fn subjects(&self) -> Vec<Arc<str>> {
        self.iris
            .iter()
            .zip(&self.seen)
            .filter(|(_, seen)| seen.described && !seen.excluded)
            .map(|(iri, _)| Arc::clone(iri))
            .collect()
    }

    /// The last scans: a triple of a described resource, an edge when its object is an
    /// `egid:` resource that is not left out.
    fn add_edge(&mut self, quad: QuadRef<'_>) {
        if quad.predicate == rdf::TYPE {
            return;
        }
        let Some(object) = resource_of_object(quad.object) else {
            return;
        };
        let Some(subject) = resource_of_subject(quad.subject) else {
            return;
        };
        let Some(&s) = self.resources.get(subject) else {
            return;
        };
        let seen = &self.seen[s as usize];
        if seen.excluded || !seen.described {
            return;
        }
        let o = self.resource(object);
        if self.seen[o as usize].excluded {
            return;
        }
        self.seen[o as usize].linked = true;
        let p = self.predicates.intern(quad.predicate.into_owned());
        let g = self.graphs.intern(quad.graph_name.into_owned());
        self.edges.push([s, p, o, g]);
    }

    fn finish(mut self, build_time: Duration) -> Projection {
        // Number everything in IRI order, so that builds do not depend on scan order.
        let predicate_ids = self.predicates.sort_by_key(|p| p.as_str().to_owned());
        let class_ids = self.classes.sort_by_key(|c| c.as_str().to_owned());
        let graph_ids = self.graphs.sort_by_key(ToString::to_string);
        let mut nodes: Vec<u32> = (0..to_u32(self.iris.len()))
            .filter(|&r| {
                let seen = &self.seen[r as usize];
                !seen.excluded && (seen.described || seen.linked)
            })
            .collect();
        nodes.sort_unstable_by(|&a, &b| self.iris[a as usize].cmp(&self.iris[b as usize]));

        let mut graph = EntityGraph::with_capacity(nodes.len(), 0);
        let mut index = FxHashMap::with_capacity_and_hasher(nodes.len(), Default::default());
        let mut node_of = vec![u32::MAX; self.iris.len()];
        for &r in &nodes {
            let seen = std::mem::take(&mut self.seen[r as usize]);
            let mut types: Vec<ClassId> = seen
                .types
                .iter()
                .map(|c| ClassId(class_ids[c.0 as usize]))
                .collect();
            types.sort_unstable();
            let iri = Arc::clone(&self.iris[r as usize]);
            let node = graph.add_node(Resource {
                iri: Arc::clone(&iri),
                label: seen.label.map(|(_, label)| label),
                types: types.into(),
                described: seen.described,
            });
            node_of[r as usize] = to_u32(node.index());
            index.insert(iri, node);
        }
        drop(self.resources);
        drop(self.iris);

        let mut edges: Vec<[u32; 4]> = self
            .edges
            .iter()
            .map(|&[s, p, o, g]| {
                [
                    node_of[s as usize],
                    node_of[o as usize],
                    predicate_ids[p as usize],
                    graph_ids[g as usize],
                ]
            })
            .collect();
        drop(self.edges);
        edges.sort_unstable();
        edges.dedup();
        let distinct = edges.windows(2).filter(|w| w[0][..3] != w[1][..3]).count()
            + usize::from(!edges.is_empty());
        graph.reserve_exact_edges(distinct);
        let mut more_graphs = FxHashMap::default();
        for group in edges.chunk_by(|a, b| a[..3] == b[..3]) {
            let [s, o, p, g] = group[0];
            let edge = graph.add_edge(
                NodeIndex::new(s as usize),
                NodeIndex::new(o as usize),
                Relation {
                    predicate: PredicateId(p),
                    graph: GraphId(g),
                },
            );
            if group.len() > 1 {
                more_graphs.insert(edge, group[1..].iter().map(|e| GraphId(e[3])).collect());
            }
        }

        let mut subclasses = vec![Vec::new(); self.classes.len()];
        for (sub, sup) in self.sub_class_of {
            let (sub, sup) = (class_ids[sub as usize], class_ids[sup as usize]);
            let children: &mut Vec<ClassId> = &mut subclasses[sup as usize];
            if !children.contains(&ClassId(sub)) {
                children.push(ClassId(sub));
            }
        }
        Projection {
            graph,
            index,
            predicates: self.predicates,
            classes: self.classes,
            subclasses,
            graphs: self.graphs,
            more_graphs,
            options: self.options,
            build_time,
        }
    }
}

/// Whether resources of this class are left out of the projection.
fn is_excluded_class(class: NamedNodeRef<'_>, options: ProjectionOptions) -> bool {
    class == vocab::eg::STATEMENT
        || class == vocab::eg::SOURCE_DOCUMENT
        || (!options.quantities && class == vocab::eg::QUANTITY)
}

/// What the store says of one resource, read for a refresh.
struct Described {
    excluded: bool,
    described: bool,
    types: Vec<ClassId>,
    label: Option<Box<str>>,
}

impl Projection {
    /// Builds the projection of everything in the store (the union of all graphs), with
    /// quantities.
    ///
    /// # Complexity
    /// O(T + L + Σ q(v)) index reads for T type and L label triples and the q(v) triples of
    /// each described node v, then O(V log V + E log E) to number nodes and edges in a stable
    /// order. Statements cost two quads each (their type and label), not all of theirs.
    ///
    /// # Errors
    /// [`ProjectionError::Storage`] when the store cannot be read.
    pub fn build(store: &Store) -> Result<Self, ProjectionError> {
        Self::build_with(store, ProjectionOptions::default())
    }

    /// Builds the projection of everything in the store with `options`.
    ///
    /// # Complexity
    /// As [`Projection::build`].
    ///
    /// # Errors
    /// [`ProjectionError::Storage`] when the store cannot be read.
    pub fn build_with(store: &Store, options: ProjectionOptions) -> Result<Self, ProjectionError> {
        let start = Instant::now();
        let store = store.oxigraph();
        let mut builder = Builder {
            options,
            ..Builder::default()
        };
        for quad in store.quads_for_pattern(None, Some(rdf::TYPE), None, None) {
            builder.add_type(quad?.as_ref());
        }
        for quad in store.quads_for_pattern(None, Some(rdfs::LABEL), None, None) {
            builder.add_label(quad?.as_ref());
        }
        for quad in store.quads_for_pattern(None, Some(rdfs::SUB_CLASS_OF), None, None) {
            builder.add_sub_class_of(quad?.as_ref());
        }
        for subject in builder.subjects() {
            let subject = NamedNodeRef::new_unchecked(&subject);
            for quad in store.quads_for_pattern(Some(subject.into()), None, None, None) {
                builder.add_edge(quad?.as_ref());
            }
        }
        Ok(builder.finish(start.elapsed()))
    }

    /// Builds the projection of a set of quads, without a store (for tests and tools); the
    /// quads are read three times.
    ///
    /// # Complexity
    /// O(Q) for Q quads, then as [`Projection::build`].
    pub fn from_quads<'a>(
        quads: impl IntoIterator<Item = QuadRef<'a>> + Clone,
        options: ProjectionOptions,
    ) -> Self {
        let start = Instant::now();
        let mut builder = Builder {
            options,
            ..Builder::default()
        };
        for quad in quads.clone() {
            if quad.predicate == rdf::TYPE {
                builder.add_type(quad);
            }
        }
        for quad in quads.clone() {
            if quad.predicate == rdfs::LABEL {
                builder.add_label(quad);
            } else if quad.predicate == rdfs::SUB_CLASS_OF {
                builder.add_sub_class_of(quad);
            }
        }
        for quad in quads {
            builder.add_edge(quad);
        }
        builder.finish(start.elapsed())
    }

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

    fn estimated_bytes(&self) -> usize {
        let (node_slots, edge_slots) = self.graph.capacity();
        let slots = node_slots * size_of::<petgraph::graph::Node<Option<Resource>, u32>>()
            + edge_slots * size_of::<petgraph::graph::Edge<Option<Relation>, u32>>();
        let node_heap: usize = self
            .graph
            .node_weights()
            .map(|r| {
                // An Arc<str> allocation: two counters, then the bytes.
                2 * size_of::<usize>()
                    + r.iri.len()
                    + r.label.as_deref().map_or(0, str::len)
                    + r.types.len() * size_of::<ClassId>()
            })
            .sum();
        let index = hash_table_bytes::<(Arc<str>, NodeIndex)>(self.index.capacity());
        let more_graphs =
            hash_table_bytes::<(EdgeIndex, Box<[GraphId]>)>(self.more_graphs.capacity())
                + self
                    .more_graphs
                    .values()
                    .map(|g| g.len() * size_of::<GraphId>())
                    .sum::<usize>();
        let tables = self.predicates.bytes(|p| p.as_str().len())
            + self.classes.bytes(|c| c.as_str().len())
            + self.graphs.bytes(|g| g.to_string().len())
            + self.subclasses.capacity() * size_of::<Vec<ClassId>>()
            + self
                .subclasses
                .iter()
                .map(|s| s.capacity() * size_of::<ClassId>())
                .sum::<usize>();
        size_of::<Self>() + slots + node_heap + index + more_graphs + tables
    }

    /// Brings the projection in step with the store after a write that inserted or removed
    /// `changed` (call it after the write committed, with every quad it touched, inserted or
    /// removed alike).
    ///
    /// For a quad between two `egid:` resources it re-reads the triple's graphs (adding,
    /// updating or removing the edge); for an `rdf:type` or `rdfs:label` it re-reads the
    /// resource (its classes and label; a resource that becomes a statement or a document
    /// leaves the projection with its edges, one that stops being one, or that gains or loses
    /// its last type or label, has the direct triples the store holds about it re-read); for
    /// `rdfs:subClassOf` it re-reads the class hierarchy. A node left without edges, type or label is removed. Quads about anything
    /// else are ignored. New predicates, classes and graphs get the next ids, so ids stay
    /// valid until the next build (which renumbers them in IRI order).
    ///
    /// # Complexity
    /// O(1) store look-ups per changed quad, plus O(degree) for an edge's endpoints; a
    /// resource entering the projection costs O(quads about it).
    ///
    /// # Errors
    /// [`ProjectionError::Storage`] when the store cannot be read; the projection may then be
    /// partly refreshed, and a rebuild restores it.
    pub fn refresh<'a>(
        &mut self,
        store: &Store,
        changed: impl IntoIterator<Item = QuadRef<'a>>,
    ) -> Result<RefreshReport, ProjectionError> {
        let store = store.oxigraph();
        let mut resources: Vec<&'a str> = Vec::new();
        let mut triples: Vec<(&'a str, NamedNodeRef<'a>, &'a str)> = Vec::new();
        let mut hierarchy = false;
        for quad in changed {
            if quad.predicate == rdfs::SUB_CLASS_OF {
                hierarchy = true;
                continue;
            }
            let Some(subject) = resource_of_subject(quad.subject) else {
                continue;
            };
            if quad.predicate == rdf::TYPE || quad.predicate == rdfs::LABEL {
                resources.push(subject);
            } else if let Some(object) = resource_of_object(quad.object) {
                triples.push((subject, quad.predicate, object));
            }
        }
        let mut report = RefreshReport::default();
        if hierarchy {
            self.reload_hierarchy(store)?;
        }
        // Resources that entered the projection, whose direct triples are still to be read.
        let mut entered = Vec::new();
        let mut done = FxHashSet::default();
        for iri in resources {
            if done.insert(iri) {
                self.refresh_resource(store, iri, &mut report, &mut entered)?;
            }
        }
        let mut done = FxHashSet::default();
        for (s, p, o) in triples {
            if done.insert((s, p, o)) {
                self.refresh_triple(store, s, p, o, &mut report, &mut entered)?;
            }
        }
        while let Some(iri) = entered.pop() {
            self.read_triples_of(store, &iri, &mut report, &mut entered)?;
        }
        Ok(report)
    }

    /// Re-reads what the store says of one resource.
    fn describe(
        &mut self,
        store: &oxigraph::store::Store,
        iri: &str,
    ) -> Result<Described, StorageError> {
        let node = NamedNodeRef::new_unchecked(iri);
        let mut described = Described {
            excluded: false,
            described: false,
            types: Vec::new(),
            label: None,
        };
        for quad in store.quads_for_pattern(Some(node.into()), Some(rdf::TYPE), None, None) {
            let quad = quad?;
            described.described = true;
            if let oxigraph::model::Term::NamedNode(class) = &quad.object {
                if is_excluded_class(class.as_ref(), self.options) {
                    described.excluded = true;
                } else if class.as_str().starts_with(vocab::eg::NAMESPACE) {
                    let id = ClassId(self.intern_class(class.clone()));
                    if !described.types.contains(&id) {
                        described.types.push(id);
                    }
                }
            }
        }
        let mut label = None;
        for quad in store.quads_for_pattern(Some(node.into()), Some(rdfs::LABEL), None, None) {
            let quad = quad?;
            described.described = true;
            if let Some(candidate) = label_rank(quad.object.as_ref()) {
                better_label(&mut label, candidate);
            }
        }
        described.label = label.map(|(_, label)| label);
        described.types.sort_unstable();
        Ok(described)
    }

    fn intern_class(&mut self, class: NamedNode) -> u32 {
        let id = self.classes.intern(class);
        if self.subclasses.len() < self.classes.len() {
            self.subclasses.resize(self.classes.len(), Vec::new());
        }
        id
    }

    fn reload_hierarchy(&mut self, store: &oxigraph::store::Store) -> Result<(), StorageError> {
        for children in &mut self.subclasses {
            children.clear();
        }
        for quad in store.quads_for_pattern(None, Some(rdfs::SUB_CLASS_OF), None, None) {
            let quad = quad?;
            let (
                oxigraph::model::NamedOrBlankNode::NamedNode(sub),
                oxigraph::model::Term::NamedNode(sup),
            ) = (quad.subject, quad.object)
            else {
                continue;
            };
            if !sub.as_str().starts_with(vocab::eg::NAMESPACE)
                || !sup.as_str().starts_with(vocab::eg::NAMESPACE)
            {
                continue;
            }
            let sub = ClassId(self.intern_class(sub));
            let sup = self.intern_class(sup) as usize;
            if !self.subclasses[sup].contains(&sub) {
                self.subclasses[sup].push(sub);
            }
        }
        Ok(())
    }

    fn add_node(&mut self, iri: &str, described: Described) -> NodeIndex {
        let iri: Arc<str> = iri.into();
        let node = self.graph.add_node(Resource {
            iri: Arc::clone(&iri),
            label: described.label,
            types: described.types.into(),
            described: described.described,
        });
        self.index.insert(iri, node);
        node
    }

    fn remove_node(&mut self, node: NodeIndex, report: &mut RefreshReport) -> Vec<NodeIndex> {
        let mut neighbours = Vec::new();
        for direction in [Outgoing, Incoming] {
            for edge in self.graph.edges_directed(node, direction) {
                self.more_graphs.remove(&edge.id());
                report.edges_removed += 1;
                neighbours.push(if direction == Outgoing {
                    edge.target()
                } else {
                    edge.source()
                });
            }
        }
        if let Some(resource) = self.graph.remove_node(node) {
            self.index.remove(&resource.iri);
            report.nodes_removed += 1;
        }
        neighbours.retain(|&n| n != node);
        neighbours
    }

    /// Removes a node that has no edges and no description of its own.
    fn remove_if_orphan(&mut self, node: NodeIndex, report: &mut RefreshReport) {
        let orphan = self
            .graph
            .node_weight(node)
            .is_some_and(|resource| !resource.described)
            && self.graph.edges_directed(node, Outgoing).next().is_none()
            && self.graph.edges_directed(node, Incoming).next().is_none();
        if orphan {
            self.remove_node(node, report);
        }
    }

    fn refresh_resource(
        &mut self,
        store: &oxigraph::store::Store,
        iri: &str,
        report: &mut RefreshReport,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let described = self.describe(store, iri)?;
        match (self.index.get(iri).copied(), described.excluded) {
            (Some(node), true) => {
                for neighbour in self.remove_node(node, report) {
                    self.remove_if_orphan(neighbour, report);
                }
            }
            (Some(node), false) => {
                let resource = &mut self.graph[node];
                if resource.described != described.described {
                    // Only described resources have edges of their own: add or drop them.
                    entered.push(iri.to_owned());
                }
                resource.label = described.label;
                resource.types = described.types.into();
                resource.described = described.described;
                report.nodes_updated += 1;
                self.remove_if_orphan(node, report);
            }
            (None, true) => {}
            (None, false) => {
                if described.described {
                    self.add_node(iri, described);
                    report.nodes_added += 1;
                }
                entered.push(iri.to_owned());
            }
        }
        Ok(())
    }

    /// Re-reads every direct triple about a resource that entered the projection (it may have
    /// been a statement or a document until now, whose triples were left out) or that gained
    /// or lost its description (and so its own edges).
    fn read_triples_of(
        &mut self,
        store: &oxigraph::store::Store,
        iri: &str,
        report: &mut RefreshReport,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let node = NamedNodeRef::new_unchecked(iri);
        let mut triples = Vec::new();
        for quad in store.quads_for_pattern(Some(node.into()), None, None, None) {
            let quad = quad?;
            if let Some(object) = resource_of_object(quad.object.as_ref()) {
                triples.push((iri.to_owned(), quad.predicate, object.to_owned()));
            }
        }
        for quad in store.quads_for_pattern(None, None, Some(node.into()), None) {
            let quad = quad?;
            if let Some(subject) = resource_of_subject(quad.subject.as_ref()) {
                triples.push((subject.to_owned(), quad.predicate, iri.to_owned()));
            }
        }
        triples.sort_unstable();
        triples.dedup();
        for (s, p, o) in &triples {
            if p.as_ref() != rdf::TYPE {
                self.refresh_triple(store, s, p.as_ref(), o, report, entered)?;
            }
        }
        Ok(())
    }

    /// The node of an `egid:` IRI, or what the store says of it when it is not one yet.
    fn lookup(
        &mut self,
        store: &oxigraph::store::Store,
        iri: &str,
    ) -> Result<Result<NodeIndex, Described>, StorageError> {
        match self.index.get(iri) {
            Some(&node) => Ok(Ok(node)),
            None => Ok(Err(self.describe(store, iri)?)),
        }
    }

    fn refresh_triple(
        &mut self,
        store: &oxigraph::store::Store,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
        report: &mut RefreshReport,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let s = NamedNodeRef::new_unchecked(subject);
        let o = NamedNodeRef::new_unchecked(object);
        let mut graphs = Vec::new();
        for quad in store.quads_for_pattern(Some(s.into()), Some(predicate), Some(o.into()), None) {
            graphs.push(quad?.graph_name);
        }
        let existing = self.find_edge(subject, predicate, object);
        let source = self.lookup(store, subject)?;
        // Only a described resource's triples are edges (see the module documentation).
        let subject_described = match &source {
            Ok(node) => self.graph[*node].described,
            Err(described) => described.described && !described.excluded,
        };
        if graphs.is_empty() || !subject_described {
            if let Some(edge) = existing {
                let (source, target) = self
                    .graph
                    .edge_endpoints(edge)
                    .unwrap_or((NodeIndex::end(), NodeIndex::end()));
                self.graph.remove_edge(edge);
                self.more_graphs.remove(&edge);
                report.edges_removed += 1;
                self.remove_if_orphan(source, report);
                self.remove_if_orphan(target, report);
            }
            return Ok(());
        }
        let mut ids: Vec<GraphId> = graphs
            .into_iter()
            .map(|g| GraphId(self.graphs.intern(g)))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let edge = match existing {
            Some(edge) => edge,
            None => {
                // Look both ends up before adding either, so that an edge to a statement
                // leaves no node behind.
                let target = self.lookup(store, object)?;
                if matches!(&target, Err(d) if d.excluded) {
                    return Ok(());
                }
                // A resource new to the projection may have been a statement or a document
                // until now: its other triples are read once this refresh is done.
                let source = source.unwrap_or_else(|described| {
                    report.nodes_added += 1;
                    entered.push(subject.to_owned());
                    self.add_node(subject, described)
                });
                let target = target.unwrap_or_else(|described| {
                    report.nodes_added += 1;
                    entered.push(object.to_owned());
                    self.add_node(object, described)
                });
                let predicate = PredicateId(self.predicates.intern(predicate.into_owned()));
                report.edges_added += 1;
                self.graph.add_edge(
                    source,
                    target,
                    Relation {
                        predicate,
                        graph: ids[0],
                    },
                )
            }
        };
        self.graph[edge].graph = ids[0];
        if ids.len() > 1 {
            self.more_graphs.insert(edge, ids[1..].into());
        } else {
            self.more_graphs.remove(&edge);
        }
        Ok(())
    }

    fn find_edge(
        &self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
    ) -> Option<EdgeIndex> {
        let s = *self.index.get(subject)?;
        let o = *self.index.get(object)?;
        let p = PredicateId(self.predicates.get(&predicate.into_owned())?);
        self.graph
            .edges_connecting(s, o)
            .find(|e| e.weight().predicate == p)
            .map(|e| e.id())
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{Literal, Quad};

    use super::*;

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

    #[test]
    fn memory_estimate_counts_every_edge_slot() {
        let p = build(&small(), ProjectionOptions::default());
        let stats = p.stats();
        assert!(
            stats.estimated_bytes
                > stats.edges * size_of::<petgraph::graph::Edge<Option<Relation>, u32>>()
        );
        assert_eq!(
            size_of::<petgraph::graph::Edge<Option<Relation>, u32>>(),
            28
        );
        assert!(stats.bytes_per_edge() > 28.0);
    }
}
