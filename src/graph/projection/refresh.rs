//! Keeping a projection in step with writes, quad by quad, by re-reading from the store what
//! each changed quad can change (see [`Projection::refresh`]). New predicates, classes, graphs,
//! type sets and relations get the next ids; a changed label is appended to the arena and the
//! old one left behind until more than half the arena is, when the labels are compacted.

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNodeRef, QuadRef};
use oxigraph::store::StorageError;
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::{FxHashMap, FxHashSet};

use super::evidence::{is_date_predicate, is_publisher_predicate, is_statement_predicate};
use super::intern::{IriKey, better_label, label_rank, resource_of_object, resource_of_subject};
use super::prefetch::{Prefetched, Reads};
use super::{
    ClassId, GraphId, PredicateId, Projection, RefreshReport, Relation, RelationId, ResourceRecord,
};
use crate::graph::ProjectionError;
use crate::store::Store;
use crate::vocab;

/// What a refresh changed: the counts it reports, and the nodes whose edges changed, whose
/// rows of the adjacency are re-derived at its end.
#[derive(Default)]
struct Changes {
    counts: RefreshReport,
    touched: Vec<NodeIndex>,
    /// Edges added, whose evidence is read at the end.
    new_edges: Vec<EdgeIndex>,
}

/// What the store says of one resource, read for a refresh.
struct Described {
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
    /// `rdfs:subClassOf` it re-reads the class hierarchy. A node left without edges, type or
    /// label is removed. Quads about anything else are ignored. New predicates, classes and
    /// graphs get the next ids, so ids stay valid until the next build (which renumbers them
    /// in IRI order).
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
        self.refresh_prefetched(store, changed, &Prefetched::default())
    }

    /// [`Projection::refresh`], with the store reads that [`Projection::prefetch`] made ahead
    /// for the same write answered from memory.
    ///
    /// # Errors
    /// As [`Projection::refresh`].
    pub fn refresh_prefetched<'a>(
        &mut self,
        store: &Store,
        changed: impl IntoIterator<Item = QuadRef<'a>>,
        prefetched: &Prefetched,
    ) -> Result<RefreshReport, ProjectionError> {
        // Dropped on an error (the next traversal rebuilds it), patched on success.
        let adjacency = self.adjacency.take();
        let store = &Reads::new(store.oxigraph(), prefetched);
        let mut resources: Vec<&'a str> = Vec::new();
        let mut triples: Vec<(&'a str, NamedNodeRef<'a>, &'a str)> = Vec::new();
        let mut hierarchy = false;
        // What can change the evidence of edges (see `evidence.rs`): statements, with the
        // parts of their triples the write removed or added, documents' publishers, dates.
        let mut statements: Vec<&'a str> = Vec::new();
        let mut parts: FxHashMap<&'a str, [Vec<&'a str>; 3]> = FxHashMap::default();
        let mut documents: Vec<&'a str> = Vec::new();
        let mut dated: Vec<&'a str> = Vec::new();
        for quad in changed {
            if quad.predicate == rdfs::SUB_CLASS_OF {
                hierarchy = true;
                continue;
            }
            let Some(subject) = resource_of_subject(quad.subject) else {
                continue;
            };
            if is_statement_predicate(quad) {
                statements.push(subject);
                let slot = [rdf::SUBJECT, rdf::PREDICATE, rdf::OBJECT]
                    .iter()
                    .position(|&p| p == quad.predicate);
                if let (Some(slot), oxigraph::model::TermRef::NamedNode(value)) =
                    (slot, quad.object)
                {
                    parts.entry(subject).or_default()[slot].push(value.as_str());
                }
            } else if is_publisher_predicate(quad.predicate) {
                documents.push(subject);
            } else if is_date_predicate(quad.predicate) {
                dated.push(subject);
            }
            if quad.predicate == rdf::TYPE || quad.predicate == rdfs::LABEL {
                resources.push(subject);
            } else if let Some(object) = resource_of_object(quad.object) {
                triples.push((subject, quad.predicate, object));
            }
        }
        let mut report = Changes::default();
        if hierarchy {
            self.reload_hierarchy(store.store())?;
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
        let mut entered_nodes = Vec::new();
        while let Some(iri) = entered.pop() {
            self.read_triples_of(store, &iri, &mut report, &mut entered)?;
            entered_nodes.push(iri);
        }
        statements.sort_unstable();
        statements.dedup();
        documents.sort_unstable();
        documents.dedup();
        let mut dated: Vec<&str> = dated.into_iter().collect();
        dated.extend(entered_nodes.iter().map(String::as_str));
        dated.sort_unstable();
        dated.dedup();
        // The triples the statements reified before the write, as far as its quads say: each
        // part the write changed, the others as the store has them now.
        let mut old_triples = Vec::new();
        for (statement, [subjects, predicates, objects]) in &parts {
            let now = super::evidence::facts_of(&store.about(statement)?);
            let or_now = |changed: &Vec<&'a str>, now: &[Box<str>]| -> Vec<String> {
                let mut all: Vec<String> = changed.iter().map(|&v| v.to_owned()).collect();
                all.extend(now.iter().map(|v| v.to_string()));
                all
            };
            for s in or_now(subjects, &now.subjects) {
                for p in or_now(predicates, &now.predicates) {
                    for o in or_now(objects, &now.objects) {
                        old_triples.push((s.clone(), p.clone(), o));
                    }
                }
            }
        }
        let old_triples: Vec<(&str, &str, &str)> = old_triples
            .iter()
            .map(|(s, p, o)| (s.as_str(), p.as_str(), o.as_str()))
            .collect();
        self.refresh_evidence(
            store,
            &statements,
            &old_triples,
            &report.new_edges,
            &documents,
            &dated,
        )?;
        if self.labels.wasteful() {
            self.labels.compact(
                self.graph
                    .node_weights_mut()
                    .map(ResourceRecord::label_at_mut),
            );
        }
        if let Some(mut adjacency) = adjacency {
            let relations = &self.relations;
            let current = adjacency.update_rows(&self.graph, report.touched, |&relation| {
                relations.item(relation.index()).predicate
            });
            if current {
                self.adjacency = adjacency.into();
            }
        }
        report.counts.store_reads = store.missed();
        Ok(report.counts)
    }

    /// Re-reads what the store says of one resource.
    fn describe(&mut self, store: &Reads<'_>, iri: &str) -> Result<Described, StorageError> {
        let mut described = Described {
            excluded: false,
            described: false,
            types: Vec::new(),
            label: None,
        };
        for quad in store.types(iri)?.iter() {
            described.described = true;
            if let oxigraph::model::Term::NamedNode(class) = &quad.object {
                if self.options.excludes(class.as_ref()) {
                    described.excluded = true;
                } else if class.as_str().starts_with(vocab::eg::NAMESPACE) {
                    let id = ClassId(self.intern_class(class.as_ref()));
                    if !described.types.contains(&id) {
                        described.types.push(id);
                    }
                }
            }
        }
        let mut label = None;
        for quad in store.labels(iri)?.iter() {
            described.described = true;
            if let Some(candidate) = label_rank(quad.object.as_ref()) {
                better_label(&mut label, candidate);
            }
        }
        described.label = label.map(|(_, label)| label);
        described.types.sort_unstable();
        Ok(described)
    }

    fn intern_class(&mut self, class: NamedNodeRef<'_>) -> u32 {
        let id = self
            .classes
            .intern_with(class.as_str(), || class.as_str().into());
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
            let sub = ClassId(self.intern_class(sub.as_ref()));
            let sup = self.intern_class(sup.as_ref()) as usize;
            if !self.subclasses[sup].contains(&sub) {
                self.subclasses[sup].push(sub);
            }
        }
        Ok(())
    }

    fn add_node(&mut self, iri: &str, described: Described) -> NodeIndex {
        let key = IriKey::intern(iri, &mut self.other_iris);
        let label = self.labels.push(described.label.as_deref());
        let type_set = self.type_set(described.types);
        // Grow by an eighth rather than double the exactly sized slots of a build.
        if self.graph.node_count() == self.graph.capacity().0 {
            self.graph
                .reserve_exact_nodes(self.graph.node_count() / 8 + 16);
        }
        let node = self.graph.add_node(ResourceRecord::new(
            key,
            label,
            type_set,
            described.described,
        ));
        self.index.insert(&self.graph, node);
        node
    }

    fn type_set(&mut self, types: Vec<ClassId>) -> u32 {
        self.type_sets
            .intern_with(&types[..], || types.clone().into())
    }

    fn relation_id(&mut self, relation: Relation) -> RelationId {
        RelationId::of(self.relations.intern(relation))
    }

    fn remove_node(&mut self, node: NodeIndex, report: &mut Changes) -> Vec<NodeIndex> {
        let mut neighbours = Vec::new();
        for direction in [Outgoing, Incoming] {
            for edge in self.graph.edges_directed(node, direction) {
                self.more_graphs.remove(edge.id());
                self.evidence.clear(edge.id());
                report.counts.edges_removed += 1;
                neighbours.push(if direction == Outgoing {
                    edge.target()
                } else {
                    edge.source()
                });
            }
        }
        report.touched.push(node);
        report.touched.extend(&neighbours);
        if let Some(&record) = self.graph.node_weight(node) {
            self.index.remove(&self.graph, node);
            self.evidence.set_days(node.index() as u32, None);
            self.labels.release(record.label_at());
            self.graph.remove_node(node);
            report.counts.nodes_removed += 1;
        }
        neighbours.retain(|&n| n != node);
        neighbours
    }

    /// Removes a node that has no edges and no description of its own.
    fn remove_if_orphan(&mut self, node: NodeIndex, report: &mut Changes) {
        let orphan = self
            .graph
            .node_weight(node)
            .is_some_and(|record| !record.described())
            && self.graph.edges_directed(node, Outgoing).next().is_none()
            && self.graph.edges_directed(node, Incoming).next().is_none();
        if orphan {
            self.remove_node(node, report);
        }
    }

    fn refresh_resource(
        &mut self,
        store: &Reads<'_>,
        iri: &str,
        report: &mut Changes,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let described = self.describe(store, iri)?;
        match (self.node_of(iri), described.excluded) {
            (Some(node), true) => {
                for neighbour in self.remove_node(node, report) {
                    self.remove_if_orphan(neighbour, report);
                }
            }
            (Some(node), false) => {
                if self.graph[node].described() != described.described {
                    // Only described resources have edges of their own: add or drop them.
                    entered.push(iri.to_owned());
                }
                let type_set = self.type_set(described.types);
                let record = self.graph[node];
                if self.labels.get(record.label_at()) != described.label.as_deref() {
                    self.labels.release(record.label_at());
                    *self.graph[node].label_at_mut() = self.labels.push(described.label.as_deref());
                }
                self.graph[node].set_description(type_set, described.described);
                report.counts.nodes_updated += 1;
                self.remove_if_orphan(node, report);
            }
            (None, true) => {}
            (None, false) => {
                if described.described {
                    self.add_node(iri, described);
                    report.counts.nodes_added += 1;
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
        store: &Reads<'_>,
        iri: &str,
        report: &mut Changes,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let mut triples = Vec::new();
        for quad in store.about(iri)?.iter() {
            if let Some(object) = resource_of_object(quad.object.as_ref()) {
                triples.push((iri.to_owned(), quad.predicate.clone(), object.to_owned()));
            }
        }
        for quad in store.mentioning(iri)?.iter() {
            if let Some(subject) = resource_of_subject(quad.subject.as_ref()) {
                triples.push((subject.to_owned(), quad.predicate.clone(), iri.to_owned()));
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
        store: &Reads<'_>,
        iri: &str,
    ) -> Result<Result<NodeIndex, Described>, StorageError> {
        match self.node_of(iri) {
            Some(node) => Ok(Ok(node)),
            None => Ok(Err(self.describe(store, iri)?)),
        }
    }

    fn refresh_triple(
        &mut self,
        store: &Reads<'_>,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
        report: &mut Changes,
        entered: &mut Vec<String>,
    ) -> Result<(), ProjectionError> {
        let graphs: Vec<_> = store
            .triple(subject, predicate, object)?
            .iter()
            .map(|quad| quad.graph_name.clone())
            .collect();
        let existing = self.find_edge(subject, predicate, object);
        let source = self.lookup(store, subject)?;
        // Only a described resource's triples are edges (see the module documentation).
        let subject_described = match &source {
            Ok(node) => self.graph[*node].described(),
            Err(described) => described.described && !described.excluded,
        };
        if graphs.is_empty() || !subject_described {
            if let Some(edge) = existing {
                let (source, target) = self
                    .graph
                    .edge_endpoints(edge)
                    .unwrap_or((NodeIndex::end(), NodeIndex::end()));
                self.graph.remove_edge(edge);
                self.more_graphs.remove(edge);
                self.evidence.clear(edge);
                report.counts.edges_removed += 1;
                report.touched.extend([source, target]);
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
                    report.counts.nodes_added += 1;
                    entered.push(subject.to_owned());
                    self.add_node(subject, described)
                });
                let target = target.unwrap_or_else(|described| {
                    report.counts.nodes_added += 1;
                    entered.push(object.to_owned());
                    self.add_node(object, described)
                });
                let predicate = PredicateId(
                    self.predicates
                        .intern_with(predicate.as_str(), || predicate.as_str().into()),
                );
                report.counts.edges_added += 1;
                let relation = self.relation_id(Relation {
                    predicate,
                    graph: ids[0],
                });
                if self.graph.edge_count() == self.graph.capacity().1 {
                    self.graph
                        .reserve_exact_edges(self.graph.edge_count() / 8 + 16);
                }
                report.touched.extend([source, target]);
                let edge = self.graph.add_edge(source, target, relation);
                report.new_edges.push(edge);
                edge
            }
        };
        let predicate = self.relation_of(self.graph[edge]).predicate;
        self.graph[edge] = self.relation_id(Relation {
            predicate,
            graph: ids[0],
        });
        self.more_graphs.set(edge, &ids[1..]);
        Ok(())
    }

    pub(super) fn find_edge(
        &self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
    ) -> Option<EdgeIndex> {
        let s = self.node_of(subject)?;
        let o = self.node_of(object)?;
        let p = PredicateId(self.predicates.get(predicate.as_str())?);
        self.graph
            .edges_connecting(s, o)
            .find(|e| self.relation_of(*e.weight()).predicate == p)
            .map(|e| e.id())
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{Literal, NamedNode, Quad};

    use super::*;
    use crate::config::StoreLocation;
    use crate::graph::generate::generate;

    #[test]
    fn relabelling_leaves_old_labels_behind_until_the_arena_is_compacted() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        store
            .oxigraph()
            .extend(generate(3, 40, 80).iter().cloned())
            .unwrap();
        let mut projection = Projection::build(&store).unwrap();
        let arena = projection.labels.bytes();
        let node = projection.graph.node_indices().next().unwrap();
        let iri = projection.resource(node).unwrap().iri().into_owned();
        let graph = NamedNode::new_unchecked(format!("{}relabelled", vocab::id::BASE));
        let label_quad = |label: &str| {
            Quad::new(
                iri.clone(),
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(label, "en"),
                graph.clone(),
            )
        };
        let old: Vec<Quad> = store
            .oxigraph()
            .quads_for_pattern(Some(iri.as_ref().into()), Some(rdfs::LABEL), None, None)
            .map(Result::unwrap)
            .collect();
        for quad in &old {
            store.oxigraph().remove(quad).unwrap();
        }
        projection
            .refresh(&store, old.iter().map(Quad::as_ref))
            .unwrap();
        let mut previous: Option<Quad> = None;
        for round in 0..200 {
            let label = format!("Relabelled {round} times, with a label long enough to count");
            let quad = label_quad(&label);
            store.oxigraph().insert(&quad).unwrap();
            let mut changed = vec![quad.clone()];
            if let Some(previous) = previous.replace(quad) {
                store.oxigraph().remove(&previous).unwrap();
                changed.push(previous);
            }
            projection
                .refresh(&store, changed.iter().map(Quad::as_ref))
                .unwrap();
            let node = projection.node(iri.as_ref()).unwrap();
            assert_eq!(projection.resource(node).unwrap().label(), Some(&*label));
        }
        assert!(
            projection.labels.bytes() < 2 * arena,
            "{} bytes of labels after 200 relabellings, {arena} after the build",
            projection.labels.bytes()
        );
    }
}
