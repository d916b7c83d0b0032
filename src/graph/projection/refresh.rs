//! Keeping a projection in step with writes, quad by quad.

use std::sync::Arc;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, QuadRef};
use oxigraph::store::StorageError;
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashSet;

use super::build::is_excluded_class;
use super::intern::{better_label, label_rank, resource_of_object, resource_of_subject};
use super::{ClassId, GraphId, PredicateId, Projection, RefreshReport, Relation, Resource};
use crate::graph::ProjectionError;
use crate::store::Store;
use crate::vocab;

/// What the store says of one resource, read for a refresh.
pub(super) struct Described {
    excluded: bool,
    described: bool,
    types: Vec<ClassId>,
    label: Option<Box<str>>,
}

impl Projection {
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
