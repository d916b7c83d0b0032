//! Building a projection, from the store or from a set of quads, into exactly sized tables.
//!
//! Reading the store costs what decoding terms costs: every IRI a quad holds is a RocksDB
//! look-up (about 4 µs here), and each index probe opens an iterator. So a build asks SPARQL,
//! whose evaluator joins and filters on encoded terms and decodes only the variables a
//! solution projects, for what it needs and nothing more:
//!
//! - **nodes**: `?s ?c` for every `rdf:type` and `?s ?l` for every `rdfs:label`, minus the
//!   resources of an excluded class (`MINUS` is a hash anti-join on encoded terms, so no
//!   statement is decoded), and the `rdfs:subClassOf` triples;
//! - **edges**: `?s ?p ?o ?g` for every quad of a resource with a class that is not excluded,
//!   `rdf:type` and `rdfs:label` aside, in the named graphs, and in the default graph when it
//!   is not empty (`GRAPH ?g` does not see it). The classes, counted first (an index scan
//!   that decodes only the classes), are cut into about `EDGE_QUERIES` queries of as
//!   many resources, each leaving out the resources of earlier queries' classes.
//!
//! The nodes pass runs on a second thread while the first counts the classes; then both take
//! edge queries until none is left, each query over its own snapshot, each thread into its own
//! [`Builder`], which are merged. The filters compare with `sameTerm`, which spareval evaluates
//! on encoded terms, where `!=` and `isIRI` would decode.
//!
//! What the SPARQL passes cannot see is read by index afterwards, and is rare: the triples of
//! described resources without a type, the `rdfs:label` triples whose object is an IRI, and
//! the objects that are not nodes of the nodes pass (a statement or a document is left out; a
//! resource with neither type nor label is a dangling node). The reads are separate
//! snapshots: a write during a build is made good by refreshing with it afterwards.
//!
//! Whatever the order of the quads, [`Builder::finish`] keeps the predicates and graphs of
//! edges and the classes of nodes and of the hierarchy, numbers nodes, predicates, classes
//! and graphs in IRI order and edges in (subject, object, predicate) order, and sizes every
//! table to what it holds, so that a build has no slack capacity.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, Term, TermRef,
};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator};
use oxigraph::store::StorageError;
use petgraph::stable_graph::NodeIndex;

use super::intern::{
    IriIndex, IriKey, Labels, MoreGraphs, Name, Table, better_label, label_rank, to_u32,
};
use super::{
    ClassId, EntityGraph, GraphId, PredicateId, Projection, ProjectionOptions, Relation,
    RelationId, ResourceRecord,
};
use crate::graph::ProjectionError;
use crate::store::Store;
use crate::vocab;

/// What a build knows of one `egid:` resource.
#[derive(Debug, Default)]
struct Seen {
    /// Has an excluded class (a statement, a document, a quantity when they are left out).
    excluded: bool,
    /// Has an `rdf:type` or `rdfs:label`.
    described: bool,
    /// Has an `rdf:type`: the edges pass reads its triples.
    typed: bool,
    /// The object of an edge (the subjects of edges are described).
    linked: bool,
    /// Its `eg:` classes.
    types: Vec<ClassId>,
    /// Its best label so far.
    label: Option<(u8, Box<str>)>,
}

/// The state of a build between its passes.
#[derive(Debug, Default)]
struct Builder {
    options: ProjectionOptions,
    /// The `egid:` resources met, numbered.
    names: Table<Name>,
    /// What is known of each, by number.
    seen: Vec<Seen>,
    /// Direct triples between two resources: (subject, predicate, object, graph), kept when
    /// [`Builder::finish`] knows both ends.
    edges: Vec<[u32; 4]>,
    predicates: Table<Box<str>>,
    classes: Table<Box<str>>,
    graphs: Table<GraphName>,
    /// (subclass, superclass) pairs between `eg:` classes.
    sub_class_of: Vec<(u32, u32)>,
    /// `rdfs:label` triples whose object is an `egid:` IRI: edges the edges pass leaves out
    /// with the labels.
    label_iris: Vec<(u32, u32)>,
}

impl Builder {
    fn new(options: ProjectionOptions) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    fn resource(&mut self, name: Name) -> u32 {
        let number = self.names.intern(name);
        if number as usize == self.seen.len() {
            self.seen.push(Seen::default());
        }
        number
    }

    fn name(&self, number: u32) -> &Name {
        self.names.item(number)
    }

    fn add_type(&mut self, subject: &str, class: TermRef<'_>) {
        let Some(subject) = Name::parse(subject) else {
            return;
        };
        let s = self.resource(subject) as usize;
        self.seen[s].described = true;
        self.seen[s].typed = true;
        if let TermRef::NamedNode(class) = class {
            if self.options.excludes(class) {
                self.seen[s].excluded = true;
            } else if class.as_str().starts_with(vocab::eg::NAMESPACE) {
                let class = ClassId(
                    self.classes
                        .intern_with(class.as_str(), || class.as_str().into()),
                );
                if !self.seen[s].types.contains(&class) {
                    self.seen[s].types.push(class);
                }
            }
        }
    }

    fn add_label(&mut self, subject: &str, label: TermRef<'_>) {
        let Some(name) = Name::parse(subject) else {
            return;
        };
        let s = self.resource(name);
        let seen = &mut self.seen[s as usize];
        seen.described = true;
        if let Some(candidate) = label_rank(label) {
            better_label(&mut seen.label, candidate);
        } else if let TermRef::NamedNode(object) = label {
            if let Some(object) = Name::parse(object.as_str()) {
                let o = self.resource(object);
                self.label_iris.push((s, o));
            }
        }
    }

    /// An `rdfs:subClassOf` triple, kept when it joins two `eg:` classes.
    fn add_sub_class_of(&mut self, sub: NamedOrBlankNodeRef<'_>, sup: TermRef<'_>) {
        if let (NamedOrBlankNodeRef::NamedNode(sub), TermRef::NamedNode(sup)) = (sub, sup) {
            if sub.as_str().starts_with(vocab::eg::NAMESPACE)
                && sup.as_str().starts_with(vocab::eg::NAMESPACE)
            {
                let pair = (
                    self.classes
                        .intern_with(sub.as_str(), || sub.as_str().into()),
                    self.classes
                        .intern_with(sup.as_str(), || sup.as_str().into()),
                );
                self.sub_class_of.push(pair);
            }
        }
    }

    /// A triple that is an edge if [`Builder::finish`] finds its subject described and
    /// neither end excluded.
    fn add_triple(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: &str,
        graph: GraphNameRef<'_>,
    ) {
        if predicate == rdf::TYPE {
            return;
        }
        let (Some(subject), Some(object)) = (Name::parse(subject), Name::parse(object)) else {
            return;
        };
        let s = self.resource(subject);
        let o = self.resource(object);
        let p = self
            .predicates
            .intern_with(predicate.as_str(), || predicate.as_str().into());
        let g = self.graphs.intern(graph.into_owned());
        self.edges.push([s, p, o, g]);
    }

    /// Whether the triples of this `egid:` subject can be edges, once every type and label is
    /// known.
    fn is_subject(&self, subject: &str) -> bool {
        Name::parse(subject)
            .and_then(|name| self.names.get(&name))
            .is_some_and(|s| {
                let seen = &self.seen[s as usize];
                seen.described && !seen.excluded
            })
    }

    /// Takes in what another builder read, renumbering its resources, classes, predicates and
    /// graphs.
    fn absorb(&mut self, other: Self) {
        let classes: Vec<ClassId> = other
            .classes
            .items()
            .iter()
            .map(|c| ClassId(self.classes.intern_with(&**c, || c.clone())))
            .collect();
        let predicates: Vec<u32> = other
            .predicates
            .items()
            .iter()
            .map(|p| self.predicates.intern_with(&**p, || p.clone()))
            .collect();
        let graphs: Vec<u32> = other
            .graphs
            .items()
            .iter()
            .map(|g| self.graphs.intern(g.clone()))
            .collect();
        let mut resources = Vec::with_capacity(other.seen.len());
        for (name, theirs) in other.names.items().iter().zip(other.seen) {
            let r = self.resource(name.clone());
            resources.push(r);
            let mine = &mut self.seen[r as usize];
            mine.excluded |= theirs.excluded;
            mine.described |= theirs.described;
            mine.typed |= theirs.typed;
            for class in theirs.types {
                let class = classes[class.0 as usize];
                if !mine.types.contains(&class) {
                    mine.types.push(class);
                }
            }
            if let Some((rank, label)) = &theirs.label {
                better_label(&mut mine.label, (*rank, label));
            }
        }
        self.edges.reserve_exact(other.edges.len());
        self.edges.extend(other.edges.iter().map(|&[s, p, o, g]| {
            [
                resources[s as usize],
                predicates[p as usize],
                resources[o as usize],
                graphs[g as usize],
            ]
        }));
        self.sub_class_of.extend(
            other
                .sub_class_of
                .iter()
                .map(|&(sub, sup)| (classes[sub as usize].0, classes[sup as usize].0)),
        );
        self.label_iris.extend(
            other
                .label_iris
                .iter()
                .map(|&(s, o)| (resources[s as usize], resources[o as usize])),
        );
    }

    /// Reads by index what the two SPARQL passes cannot see (see the module documentation).
    fn read_the_rest(&mut self, store: &oxigraph::store::Store) -> Result<(), StorageError> {
        let untyped: Vec<u32> = (0..to_u32(self.names.len()))
            .filter(|&r| {
                let seen = &self.seen[r as usize];
                seen.described && !seen.typed && !seen.excluded
            })
            .collect();
        for r in untyped {
            let iri = self.name(r).iri().into_owned();
            for quad in store.quads_for_pattern(Some(iri.as_ref().into()), None, None, None) {
                let quad = quad?;
                if let Term::NamedNode(object) = &quad.object {
                    self.add_triple(
                        iri.as_str(),
                        quad.predicate.as_ref(),
                        object.as_str(),
                        quad.graph_name.as_ref(),
                    );
                }
            }
        }
        for (s, o) in std::mem::take(&mut self.label_iris) {
            let subject = self.name(s).iri().into_owned();
            let object = self.name(o).iri().into_owned();
            let quads = store.quads_for_pattern(
                Some(subject.as_ref().into()),
                Some(rdfs::LABEL),
                Some(object.as_ref().into()),
                None,
            );
            for quad in quads {
                let quad = quad?;
                self.add_triple(
                    subject.as_str(),
                    rdfs::LABEL,
                    object.as_str(),
                    quad.graph_name.as_ref(),
                );
            }
        }
        // The objects no pass described: statements, documents, or dangling references.
        let mut unknown = vec![false; self.names.len()];
        for &[s, _, o, _] in &self.edges {
            let subject = &self.seen[s as usize];
            if subject.described && !subject.excluded && !self.seen[o as usize].described {
                unknown[o as usize] = true;
            }
        }
        for (o, _) in unknown.iter().enumerate().filter(|(_, unknown)| **unknown) {
            let iri = self.name(to_u32(o)).iri().into_owned();
            let node = Some(iri.as_ref().into());
            for quad in store.quads_for_pattern(node, Some(rdf::TYPE), None, None) {
                self.add_type(iri.as_str(), quad?.object.as_ref());
            }
            for quad in store.quads_for_pattern(node, Some(rdfs::LABEL), None, None) {
                self.add_label(iri.as_str(), quad?.object.as_ref());
            }
        }
        Ok(())
    }

    fn finish(mut self, build_time: Duration) -> Projection {
        let seen = &mut self.seen;
        self.edges.retain(|&[s, _, o, _]| {
            let subject = &seen[s as usize];
            subject.described && !subject.excluded && !seen[o as usize].excluded
        });
        for &[_, _, o, _] in &self.edges {
            seen[o as usize].linked = true;
        }
        let mut nodes: Vec<u32> = (0..to_u32(self.names.len()))
            .filter(|&r| {
                let seen = &seen[r as usize];
                !seen.excluded && (seen.described || seen.linked)
            })
            .collect();

        // Keep the predicates and graphs of edges, and the classes of nodes and of the
        // hierarchy (a pass may have read more), numbered in IRI order so that builds do not
        // depend on scan order.
        let mut used_predicates = vec![false; self.predicates.len()];
        let mut used_graphs = vec![false; self.graphs.len()];
        for &[_, p, _, g] in &self.edges {
            used_predicates[p as usize] = true;
            used_graphs[g as usize] = true;
        }
        let mut used_classes = vec![false; self.classes.len()];
        for &r in &nodes {
            for class in &seen[r as usize].types {
                used_classes[class.0 as usize] = true;
            }
        }
        for &(sub, sup) in &self.sub_class_of {
            used_classes[sub as usize] = true;
            used_classes[sup as usize] = true;
        }
        let predicate_ids = self.predicates.keep_sorted(&used_predicates, Ord::cmp);
        let class_ids = self.classes.keep_sorted(&used_classes, Ord::cmp);
        let graph_ids = self
            .graphs
            .keep_sorted(&used_graphs, |a, b| a.to_string().cmp(&b.to_string()));

        let names = self.names.items();
        nodes.sort_unstable_by(|&a, &b| names[a as usize].cmp_iri(&names[b as usize]));
        let mut node_of = vec![u32::MAX; names.len()];
        for (node, &r) in nodes.iter().enumerate() {
            node_of[r as usize] = to_u32(node);
        }

        let mut edges: Vec<[u32; 4]> = std::mem::take(&mut self.edges)
            .into_iter()
            .map(|[s, p, o, g]| {
                [
                    node_of[s as usize],
                    node_of[o as usize],
                    predicate_ids[p as usize],
                    graph_ids[g as usize],
                ]
            })
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let distinct = edges.chunk_by(|a, b| a[..3] == b[..3]).count();

        let label_bytes: usize = nodes
            .iter()
            .filter_map(|&r| seen[r as usize].label.as_ref())
            .map(|(_, label)| Labels::encoded_len(label))
            .sum();
        let mut graph = EntityGraph::with_capacity(nodes.len(), distinct);
        let mut index = IriIndex::with_capacity(nodes.len());
        let mut labels = Labels::with_capacity(label_bytes);
        let mut other_iris = Table::default();
        let mut type_sets: Table<Box<[ClassId]>> = Table::default();
        type_sets.intern(Box::new([]));
        for &r in &nodes {
            let seen = std::mem::take(&mut seen[r as usize]);
            let mut types: Vec<ClassId> = seen
                .types
                .iter()
                .map(|c| ClassId(class_ids[c.0 as usize]))
                .collect();
            types.sort_unstable();
            let type_set = type_sets.intern_with(&types[..], || types.clone().into());
            let key = match &names[r as usize] {
                Name::Uuid(uuid) => IriKey::Uuid(*uuid),
                Name::Other(iri) => IriKey::intern(iri, &mut other_iris),
            };
            let label = labels.push(seen.label.as_ref().map(|(_, label)| &**label));
            let node = graph.add_node(ResourceRecord::new(key, label, type_set, seen.described));
            index.insert(&graph, node);
        }
        type_sets.shrink_to_fit();
        other_iris.shrink_to_fit();

        let groups = edges.chunk_by(|a, b| a[..3] == b[..3]);
        let mut more_graphs = MoreGraphs::with_capacity(edges.len() - distinct);
        let mut relations = Table::default();
        for group in groups {
            let [s, o, p, g] = group[0];
            let relation = Relation {
                predicate: PredicateId(p),
                graph: GraphId(g),
            };
            let edge = graph.add_edge(
                NodeIndex::new(s as usize),
                NodeIndex::new(o as usize),
                RelationId::of(relations.intern(relation)),
            );
            if group.len() > 1 {
                let more: Vec<GraphId> = group[1..].iter().map(|e| GraphId(e[3])).collect();
                more_graphs.set(edge, &more);
            }
        }
        relations.shrink_to_fit();

        let mut subclasses = vec![Vec::new(); self.classes.len()];
        for (sub, sup) in self.sub_class_of {
            let (sub, sup) = (class_ids[sub as usize], class_ids[sup as usize]);
            let children: &mut Vec<ClassId> = &mut subclasses[sup as usize];
            if !children.contains(&ClassId(sub)) {
                children.push(ClassId(sub));
            }
        }
        for children in &mut subclasses {
            children.shrink_to_fit();
        }
        self.predicates.shrink_to_fit();
        self.classes.shrink_to_fit();
        self.graphs.shrink_to_fit();
        Projection {
            graph,
            index,
            other_iris,
            labels,
            type_sets,
            relations,
            predicates: self.predicates,
            classes: self.classes,
            subclasses,
            graphs: self.graphs,
            more_graphs,
            options: self.options,
            build_time,
            adjacency: std::sync::OnceLock::new(),
            evidence: super::evidence::EvidenceTable::default(),
        }
    }
}

/// The SPARQL passes over the store.
pub(super) mod passes {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use oxigraph::model::NamedNode;
    use oxigraph::sparql::QuerySolution;

    use super::*;

    /// How many queries the edges pass is cut into, for two threads to share them evenly
    /// whichever finishes its first query first; a query costs a millisecond to set up.
    const EDGE_QUERIES: usize = 8;

    /// `!sameTerm(?c, C)` for each excluded class `C`.
    fn not_excluded(options: ProjectionOptions) -> String {
        options
            .excluded_classes()
            .iter()
            .map(|class| format!("!sameTerm(?c, {class})"))
            .collect::<Vec<_>>()
            .join(" && ")
    }

    pub(in crate::graph::projection) fn select(
        store: &oxigraph::store::Store,
        query: &str,
        union_default_graph: bool,
    ) -> Result<QuerySolutionIter<'static>, StorageError> {
        // The queries are written here from constants and IRIs read from the store; a unit
        // test parses each form.
        let mut query = SparqlEvaluator::new()
            .parse_query(query)
            .expect("a valid query");
        if union_default_graph {
            query.dataset_mut().set_default_graph_as_union();
        }
        match query.on_store(store).execute().map_err(storage_error)? {
            QueryResults::Solutions(solutions) => Ok(solutions),
            QueryResults::Boolean(_) | QueryResults::Graph(_) => unreachable!("a SELECT"),
        }
    }

    /// Reading the store is the only thing that can fail in these fixed queries, which name no
    /// service and no custom function.
    pub(in crate::graph::projection) fn storage_error(error: QueryEvaluationError) -> StorageError {
        match error {
            QueryEvaluationError::Dataset(error) => match error.downcast::<StorageError>() {
                Ok(error) => *error,
                Err(error) => StorageError::Other(error),
            },
            error => StorageError::Other(Box::new(error)),
        }
    }

    pub(super) fn nodes_query(options: ProjectionOptions) -> String {
        let minus: String = options
            .excluded_classes()
            .iter()
            .map(|class| format!(" MINUS {{ ?s a {class} }}"))
            .collect();
        format!(
            "SELECT ?s ?c ?l WHERE {{ {{ ?s a ?c FILTER({}) }} UNION {{ ?s {} ?l }}{minus} }}",
            not_excluded(options),
            rdfs::LABEL,
        )
    }

    /// The types and labels of everything that is not excluded, and the class hierarchy.
    pub(super) fn nodes(
        store: &oxigraph::store::Store,
        builder: &mut Builder,
    ) -> Result<(), StorageError> {
        for solution in select(store, &nodes_query(builder.options), true)? {
            let solution = solution.map_err(storage_error)?;
            let Some(Term::NamedNode(subject)) = solution.get(0) else {
                continue;
            };
            if let Some(class) = solution.get(1) {
                builder.add_type(subject.as_str(), class.as_ref());
            }
            if let Some(label) = solution.get(2) {
                builder.add_label(subject.as_str(), label.as_ref());
            }
        }
        for quad in store.quads_for_pattern(None, Some(rdfs::SUB_CLASS_OF), None, None) {
            let quad = quad?;
            builder.add_sub_class_of(quad.subject.as_ref(), quad.object.as_ref());
        }
        Ok(())
    }

    /// One query of the edges pass: the triples of the subjects of some classes.
    pub(super) struct EdgeQuery {
        text: String,
        /// Whether it reads the default graph, where `?g` is unbound, or the named graphs.
        default_graph: bool,
    }

    fn values(variable: &str, classes: &[NamedNode]) -> String {
        let classes: Vec<String> = classes.iter().map(ToString::to_string).collect();
        format!("VALUES ?{variable} {{ {} }}", classes.join(" "))
    }

    fn not_type_nor_label() -> String {
        format!(
            "FILTER(!sameTerm(?p, {}) && !sameTerm(?p, {}))",
            rdf::TYPE,
            rdfs::LABEL
        )
    }

    /// The quads, in the named graphs, of the resources of `classes` that have none of
    /// `earlier` (read by an earlier query), each resource once.
    pub(super) fn edges_query(classes: &[NamedNode], earlier: &[NamedNode]) -> String {
        let minus = if earlier.is_empty() {
            String::new()
        } else {
            format!(" MINUS {{ {} ?s a ?e }}", values("e", earlier))
        };
        format!(
            "SELECT ?s ?p ?o ?g WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ {} ?s a ?c{minus} }} }} \
             GRAPH ?g {{ ?s ?p ?o }} {} }}",
            values("c", classes),
            not_type_nor_label()
        )
    }

    /// The quads, in the default graph, of the resources of a class that is not excluded
    /// (without the union default graph, so that `?s ?p ?o` is the default graph alone).
    pub(super) fn default_edges_query(options: ProjectionOptions) -> String {
        format!(
            "SELECT ?s ?p ?o WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ \
             {{ ?s a ?c }} UNION {{ GRAPH ?t {{ ?s a ?c }} }} FILTER({}) }} }} ?s ?p ?o {} }}",
            not_excluded(options),
            not_type_nor_label()
        )
    }

    /// The queries of the edges pass: the classes that are not excluded, most used first, cut
    /// into [`EDGE_QUERIES`] queries of about as many typed resources, and one for the default
    /// graph if it holds anything.
    pub(super) fn edge_queries(
        store: &oxigraph::store::Store,
        options: ProjectionOptions,
    ) -> Result<Vec<EdgeQuery>, StorageError> {
        let counts = format!(
            "SELECT ?c (COUNT(*) AS ?n) WHERE {{ ?s a ?c FILTER({}) }} GROUP BY ?c",
            not_excluded(options)
        );
        let mut classes: Vec<(usize, NamedNode)> = Vec::new();
        for solution in select(store, &counts, true)? {
            let solution = solution.map_err(storage_error)?;
            if let (Some(Term::NamedNode(class)), Some(Term::Literal(n))) =
                (solution.get(0), solution.get(1))
            {
                classes.push((n.value().parse().unwrap_or(0), class.clone()));
            }
        }
        classes.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let total: usize = classes.iter().map(|(n, _)| n).sum();
        let share = total.div_ceil(EDGE_QUERIES).max(1);
        let mut queries = Vec::with_capacity(EDGE_QUERIES + 1);
        let (mut first, mut size) = (0, 0);
        for (i, (n, _)) in classes.iter().enumerate() {
            size += n;
            if size >= share || i + 1 == classes.len() {
                let chunk: Vec<NamedNode> =
                    classes[first..=i].iter().map(|c| c.1.clone()).collect();
                let earlier: Vec<NamedNode> =
                    classes[..first].iter().map(|c| c.1.clone()).collect();
                queries.push(EdgeQuery {
                    text: edges_query(&chunk, &earlier),
                    default_graph: false,
                });
                (first, size) = (i + 1, 0);
            }
        }
        let default_graph = Some(GraphNameRef::DefaultGraph);
        if store
            .quads_for_pattern(None, None, None, default_graph)
            .next()
            .is_some()
        {
            queries.push(EdgeQuery {
                text: default_edges_query(options),
                default_graph: true,
            });
        }
        Ok(queries)
    }

    /// Runs the edge queries not yet taken (`next` counts those taken by either thread).
    pub(super) fn edges(
        store: &oxigraph::store::Store,
        queries: &[EdgeQuery],
        next: &AtomicUsize,
        builder: &mut Builder,
    ) -> Result<(), StorageError> {
        while let Some(query) = queries.get(next.fetch_add(1, Ordering::Relaxed)) {
            for solution in select(store, &query.text, !query.default_graph)? {
                let solution = solution.map_err(storage_error)?;
                match (query.default_graph, solution.get(3)) {
                    (true, _) => add_edge(builder, &solution, GraphNameRef::DefaultGraph),
                    (false, Some(Term::NamedNode(g))) => add_edge(builder, &solution, g.into()),
                    (false, Some(Term::BlankNode(g))) => add_edge(builder, &solution, g.into()),
                    (false, _) => {}
                }
            }
        }
        Ok(())
    }

    fn add_edge(builder: &mut Builder, solution: &QuerySolution, graph: GraphNameRef<'_>) {
        if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
            (solution.get(0), solution.get(1), solution.get(2))
        {
            builder.add_triple(s.as_str(), p.as_ref(), o.as_str(), graph);
        }
    }
}

impl Projection {
    /// Builds the projection of everything in the store (the union of all graphs), with
    /// quantities.
    ///
    /// # Complexity
    /// Two SPARQL passes on two threads: O(T + L) for T type and L label triples, decoding
    /// two terms for each of a node's, and O(Σ q(v)) for the q(v) quads of each typed node v,
    /// decoding four terms for each; then O(V log V + E log E) to number nodes and edges in a
    /// stable order. Statements cost an index entry each, never a decoded term.
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
        // The nodes pass on a second thread while this one cuts the edges pass into queries;
        // then both take edge queries until none is left.
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<Arc<[passes::EdgeQuery]>>();
        let (mine, theirs) = std::thread::scope(|scope| {
            let next = &next;
            let helper = scope.spawn(move || {
                let mut builder = Builder::new(options);
                passes::nodes(store, &mut builder)?;
                // No queries come when this thread failed to cut them; it reports why.
                if let Ok(queries) = receiver.recv() {
                    passes::edges(store, &queries, next, &mut builder)?;
                }
                Ok::<_, StorageError>(builder)
            });
            let mine = (move || {
                let queries: Arc<[passes::EdgeQuery]> =
                    passes::edge_queries(store, options)?.into();
                // Sending fails only when the helper is gone, whose error is reported below.
                let _ = sender.send(Arc::clone(&queries));
                let mut builder = Builder::new(options);
                passes::edges(store, &queries, next, &mut builder)?;
                Ok::<_, StorageError>(builder)
            })();
            let theirs = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (mine, theirs)
        });
        let mut builder = theirs?;
        builder.absorb(mine?);
        builder.read_the_rest(store)?;
        let mut projection = builder.finish(start.elapsed());
        projection.read_evidence(store)?;
        projection.build_time = start.elapsed();
        Ok(projection)
    }

    /// Builds the projection of a set of quads, without a store (for tests and tools); the
    /// quads are read twice, for descriptions, then for edges.
    ///
    /// # Complexity
    /// O(Q) for Q quads, then as [`Projection::build`].
    pub fn from_quads<'a>(
        quads: impl IntoIterator<Item = QuadRef<'a>> + Clone,
        options: ProjectionOptions,
    ) -> Self {
        let start = Instant::now();
        let mut builder = Builder::new(options);
        for quad in quads.clone() {
            if quad.predicate == rdfs::SUB_CLASS_OF {
                builder.add_sub_class_of(quad.subject, quad.object);
            } else if let NamedOrBlankNodeRef::NamedNode(subject) = quad.subject {
                if quad.predicate == rdf::TYPE {
                    builder.add_type(subject.as_str(), quad.object);
                } else if quad.predicate == rdfs::LABEL {
                    builder.add_label(subject.as_str(), quad.object);
                }
            }
        }
        // The label IRIs are among the quads read below.
        builder.label_iris.clear();
        for quad in quads.clone() {
            if let (NamedOrBlankNodeRef::NamedNode(s), TermRef::NamedNode(o)) =
                (quad.subject, quad.object)
            {
                // Checking the subject first keeps the statement layer out of the builder.
                if builder.is_subject(s.as_str()) {
                    builder.add_triple(s.as_str(), quad.predicate, o.as_str(), quad.graph_name);
                }
            }
        }
        let mut projection = builder.finish(start.elapsed());
        projection.evidence_from_quads(quads);
        projection.build_time = start.elapsed();
        projection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_queries_parse_with_and_without_quantities() {
        let classes = [vocab::eg::STATE.into_owned(), vocab::eg::CITY.into_owned()];
        let mut queries = vec![
            passes::edges_query(&classes[..1], &[]),
            passes::edges_query(&classes[1..], &classes[..1]),
        ];
        for options in [
            ProjectionOptions::default(),
            ProjectionOptions::default().with_quantities(false),
        ] {
            queries.push(passes::nodes_query(options));
            queries.push(passes::default_edges_query(options));
        }
        for query in queries {
            assert!(
                SparqlEvaluator::new().parse_query(&query).is_ok(),
                "{query}"
            );
        }
    }
}
