//! Selections: the part of the projection that someone takes away — the whole graph, a
//! neighbourhood, the union of some paths, the subgraph induced by chosen entities, or the
//! nodes and edges a set of triples names — and the filters that narrow it.
//!
//! A [`Selection`] is a list of node and edge indices of one [`Projection`], without
//! duplicates, every edge joining two selected nodes. It holds no labels or dates: exports
//! (`crate::export`) look those up for the nodes and edges that remain after filtering. This
//! module only reads the projection.

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashSet;

use super::{ClassFilter, Path, PredicateId, Projection, Subgraph};

/// Nodes and edges of a projection, in a stable order, each edge between two of the nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The nodes, in the order they were selected.
    pub nodes: Vec<NodeIndex>,
    /// The edges, in the order they were selected; both ends are in `nodes`.
    pub edges: Vec<EdgeIndex>,
}

impl Selection {
    /// Every node and edge of the projection, in index order.
    ///
    /// # Complexity
    /// O(V + E).
    pub fn whole(projection: &Projection) -> Self {
        let graph = projection.graph();
        Self {
            nodes: graph.node_indices().collect(),
            edges: graph.edge_indices().collect(),
        }
    }

    /// The nodes and edges a neighbourhood reached.
    pub fn from_subgraph(subgraph: &Subgraph<NodeIndex, EdgeIndex>) -> Self {
        Self {
            nodes: subgraph.nodes.iter().map(|&(node, _)| node).collect(),
            edges: subgraph.edges.clone(),
        }
    }

    /// The union of paths: every node and edge of any of them, first seen first. `ends` are
    /// kept even when no path joins them, so that an empty answer still shows both ends.
    pub fn from_paths(ends: &[NodeIndex], paths: &[Path<NodeIndex, EdgeIndex>]) -> Self {
        let mut selection = Self::default();
        let mut nodes = FxHashSet::default();
        let mut edges = FxHashSet::default();
        for &node in ends.iter().chain(paths.iter().flat_map(|p| &p.nodes)) {
            if nodes.insert(node) {
                selection.nodes.push(node);
            }
        }
        for &edge in paths.iter().flat_map(|p| &p.edges) {
            if edges.insert(edge) {
                selection.edges.push(edge);
            }
        }
        selection
    }

    /// The subgraph induced by `nodes`: those nodes (without duplicates) and every edge
    /// between two of them.
    ///
    /// # Complexity
    /// O(n + Σ out-degree) for the n nodes given.
    pub fn induced(projection: &Projection, nodes: &[NodeIndex]) -> Self {
        let mut selection = Self::default();
        let mut kept = FxHashSet::default();
        for &node in nodes {
            if kept.insert(node) {
                selection.nodes.push(node);
            }
        }
        let graph = projection.graph();
        for &node in &selection.nodes {
            let mut out: Vec<EdgeIndex> = graph
                .edges(node)
                .filter(|edge| kept.contains(&edge.target()))
                .map(|edge| edge.id())
                .collect();
            out.sort_unstable();
            selection.edges.extend(out);
        }
        selection
    }

    /// The part of the projection that `triples` name: a triple between two nodes that is an
    /// edge of the projection selects that edge and its ends; any other subject or object
    /// that is a node selects that node alone. Triples about anything else (statements,
    /// literals, classes) select nothing.
    ///
    /// # Complexity
    /// O(t · d) for t triples and the d edges between the two ends of each.
    pub fn from_triples<'t>(
        projection: &Projection,
        triples: impl IntoIterator<Item = &'t Triple>,
    ) -> Self {
        let mut selection = Self::default();
        let mut nodes = FxHashSet::default();
        let mut edges = FxHashSet::default();
        let mut add_node = |selection: &mut Self, node: NodeIndex| {
            if nodes.insert(node) {
                selection.nodes.push(node);
            }
        };
        for triple in triples {
            let subject = match &triple.subject {
                NamedOrBlankNode::NamedNode(node) => projection.node(node.as_ref()),
                NamedOrBlankNode::BlankNode(_) => None,
            };
            let object = match &triple.object {
                Term::NamedNode(node) => projection.node(node.as_ref()),
                _ => None,
            };
            if let (Some(s), Some(o)) = (subject, object) {
                let predicate = projection.predicate_id(triple.predicate.as_ref());
                let edge = projection
                    .graph()
                    .edges_connecting(s, o)
                    .find(|edge| {
                        projection
                            .relation(edge.id())
                            .is_some_and(|(_, _, relation)| Some(relation.predicate) == predicate)
                    })
                    .map(|edge| edge.id());
                if let Some(edge) = edge {
                    add_node(&mut selection, s);
                    add_node(&mut selection, o);
                    if edges.insert(edge) {
                        selection.edges.push(edge);
                    }
                    continue;
                }
            }
            for node in [subject, object].into_iter().flatten() {
                add_node(&mut selection, node);
            }
        }
        selection
    }

    /// Applies an export's filters: keeps the edges with one of `predicates` (when given) and,
    /// for the whole graph (`whole`), drops the nodes no kept edge touches; then keeps the
    /// nodes of one of `classes` (when any) and the edges between them.
    pub fn narrow(
        &mut self,
        projection: &Projection,
        predicates: Option<&[PredicateId]>,
        classes: &[ClassFilter],
        whole: bool,
    ) {
        if let Some(predicates) = predicates {
            self.retain_predicates(projection, predicates);
            if whole {
                self.drop_isolated(projection);
            }
        }
        if !classes.is_empty() {
            self.retain_classes(projection, classes);
        }
    }

    /// Keeps the edges `keep` returns true for (a provenance filter's test) and, for the whole
    /// graph (`whole`), drops the nodes no kept edge touches.
    pub fn retain_edges(
        &mut self,
        projection: &Projection,
        keep: impl Fn(EdgeIndex) -> bool,
        whole: bool,
    ) {
        self.edges.retain(|&edge| keep(edge));
        if whole {
            self.drop_isolated(projection);
        }
    }

    /// Keeps the edges whose predicate is one of `predicates`.
    pub fn retain_predicates(&mut self, projection: &Projection, predicates: &[PredicateId]) {
        self.edges.retain(|&edge| {
            projection
                .relation(edge)
                .is_some_and(|(_, _, relation)| predicates.contains(&relation.predicate))
        });
    }

    /// Keeps the nodes that have a class of one of `filters` (a node passes one filter
    /// to stay), and the edges between the nodes kept.
    pub fn retain_classes(&mut self, projection: &Projection, filters: &[ClassFilter]) {
        self.retain_nodes(projection, |node| {
            filters.iter().any(|filter| projection.is_a(node, filter))
        });
    }

    /// Keeps the nodes for which `keep` holds, and the edges between the nodes kept.
    pub fn retain_nodes(&mut self, projection: &Projection, keep: impl Fn(NodeIndex) -> bool) {
        self.nodes.retain(|&node| keep(node));
        let kept: FxHashSet<NodeIndex> = self.nodes.iter().copied().collect();
        self.edges.retain(|&edge| {
            projection
                .relation(edge)
                .is_some_and(|(s, o, _)| kept.contains(&s) && kept.contains(&o))
        });
    }

    /// Drops the nodes that no selected edge touches.
    pub fn drop_isolated(&mut self, projection: &Projection) {
        let touched: FxHashSet<NodeIndex> = self
            .edges
            .iter()
            .filter_map(|&edge| projection.relation(edge))
            .flat_map(|(s, o, _)| [s, o])
            .collect();
        self.nodes.retain(|node| touched.contains(node));
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::vocab::{rdf, rdfs};
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    use super::*;
    use crate::graph::{ProjectionOptions, k_shortest_paths};
    use crate::vocab::eg;

    fn id(name: &str) -> NamedNode {
        NamedNode::new(format!("{}{name}", crate::vocab::id::BASE)).unwrap()
    }

    /// us → qatar → hamas (contactsVia, partOf), us → hamas (contactsVia), op (an event).
    fn projection() -> Projection {
        let g = GraphName::from(id("doc"));
        let mut quads = Vec::new();
        for (name, class) in [
            ("us", eg::STATE),
            ("qatar", eg::STATE),
            ("hamas", eg::ORGANISATION),
            ("op", eg::MILITARY_OPERATION),
        ] {
            quads.push(Quad::new(id(name), rdf::TYPE, class, g.clone()));
            quads.push(Quad::new(
                id(name),
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(name, "en"),
                g.clone(),
            ));
        }
        quads.push(Quad::new(
            id("us"),
            eg::CONTACTS_VIA,
            id("qatar"),
            g.clone(),
        ));
        quads.push(Quad::new(id("qatar"), eg::PART_OF, id("hamas"), g.clone()));
        quads.push(Quad::new(
            id("us"),
            eg::CONTACTS_VIA,
            id("hamas"),
            g.clone(),
        ));
        quads.push(Quad::new(id("hamas"), eg::LAUNCHED, id("op"), g));
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default())
    }

    fn labels(p: &Projection, s: &Selection) -> Vec<String> {
        s.nodes
            .iter()
            .map(|&n| p.resource(n).unwrap().label().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn induced_selection_keeps_only_edges_between_the_chosen_nodes() {
        let p = projection();
        let nodes = [
            p.node(id("us").as_ref()).unwrap(),
            p.node(id("hamas").as_ref()).unwrap(),
            p.node(id("us").as_ref()).unwrap(),
        ];
        let s = Selection::induced(&p, &nodes);
        assert_eq!(labels(&p, &s), ["us", "hamas"]);
        assert_eq!(s.edges.len(), 1, "only us → hamas");
    }

    #[test]
    fn triples_select_their_edges_and_the_nodes_they_name() {
        let p = projection();
        let triples = [
            Triple::new(id("us"), eg::CONTACTS_VIA, id("hamas")),
            // Not an edge of the projection: selects its node ends only.
            Triple::new(id("op"), eg::AGENT, id("qatar")),
            Triple::new(id("op"), rdfs::LABEL, Literal::from("op")),
        ];
        let s = Selection::from_triples(&p, &triples);
        assert_eq!(labels(&p, &s), ["us", "hamas", "op", "qatar"]);
        assert_eq!(s.edges.len(), 1);
    }

    #[test]
    fn paths_are_joined_without_duplicates_and_filters_drop_dangling_edges() {
        let p = projection();
        let us = p.node(id("us").as_ref()).unwrap();
        let hamas = p.node(id("hamas").as_ref()).unwrap();
        let paths = k_shortest_paths(p.graph(), us, hamas, 3, 4, crate::graph::Direction::Both);
        let mut s = Selection::from_paths(&[us, hamas], &paths);
        assert_eq!(labels(&p, &s), ["us", "hamas", "qatar"]);
        assert_eq!(s.edges.len(), 3);
        let states = p.class_filter(eg::STATE, true).unwrap();
        s.retain_classes(&p, &[states]);
        assert_eq!(labels(&p, &s), ["us", "qatar"]);
        assert_eq!(s.edges.len(), 1);
        let mut whole = Selection::whole(&p);
        let launched = p.predicate_ids(&[eg::LAUNCHED]).unwrap();
        whole.retain_predicates(&p, &launched);
        whole.drop_isolated(&p);
        assert_eq!(whole.edges.len(), 1);
        assert_eq!(labels(&p, &whole).len(), 2);
    }
}
