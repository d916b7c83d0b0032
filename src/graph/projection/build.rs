//! Building a projection: from the store by index, or from a set of quads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, TermRef};
use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashMap;

use super::intern::{
    Table, better_label, label_rank, resource_of_object, resource_of_subject, to_u32,
};
use super::{
    ClassId, EntityGraph, GraphId, PredicateId, Projection, ProjectionOptions, Relation, Resource,
};
use crate::graph::ProjectionError;
use crate::store::Store;
use crate::vocab;

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
pub(super) struct Builder {
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
pub(super) fn is_excluded_class(class: NamedNodeRef<'_>, options: ProjectionOptions) -> bool {
    class == vocab::eg::STATEMENT
        || class == vocab::eg::SOURCE_DOCUMENT
        || (!options.quantities && class == vocab::eg::QUANTITY)
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
}
