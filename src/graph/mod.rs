//! The in-memory projection of the entity graph and the traversals over it.
//!
//! [`Projection`] reads the store once (a few SPARQL queries over the union
//! of all graphs, on two threads) and keeps the entities and events as nodes
//! of a petgraph
//! [`StableDiGraph`](petgraph::stable_graph::StableDiGraph) and their direct
//! triples as edges, so that analysts' questions — who is around an entity
//! ([`neighborhood()`]), how two entities are connected ([`shortest_path`],
//! [`k_shortest_paths`]), who matters most ([`rankings`]) — are answered
//! from memory instead of by SPARQL property paths; [`IncidentEdges`] lists one node's
//! relations a page at a time, counted per predicate, in an order of IRIs. The statement nodes, the
//! source documents and (by choice) the quantities are not nodes: the
//! statements behind an edge are found in the store from the edge's triple,
//! and their provenance is held per edge as compact evidence, so that
//! [`provenance`] filters (`EvidenceFilter`, `EdgeTest`) restrict any
//! traversal to what the sources say without reading the store, and
//! [`best_supported_paths`] weighs paths by their weakest step's publishers or recency.
//! [`Projection::refresh`] keeps the projection in step with writes without a
//! rebuild; [`generate`] makes graphs in the project's ontology for tests and
//! benchmarks.
//!
//! The traversals are free functions, generic over [`Neighbours`] (a node's
//! neighbours in a fixed order), so that they run on the projection's sorted
//! [`Adjacency`] (what the REST API uses: sequential, nothing to sort), on its
//! petgraph graph, on a predicate-filtered [`View`] of it, or on any petgraph
//! graph, with the same answers. Every result is deterministic: ties are
//! broken by node index, then edge index, and a fresh build numbers nodes in
//! IRI order.
//!
//! This module only reads the store (`graph` never writes) and knows nothing
//! of HTTP: resolving IRIs to nodes fails with [`TraversalError`], which the
//! HTTP edge maps to its problem types.

pub mod adjacency;
pub mod best_paths;
pub mod contested;
pub mod generate;
pub mod incident;
mod marks;
pub mod neighborhood;
pub mod path_modes;
pub mod paths;
pub mod projection;
pub mod provenance;
pub mod rankings;
pub mod selection;

pub use self::adjacency::{Adjacency, AdjacencyView};
pub use self::best_paths::{PathWeight, WeightedPath, best_supported_paths};
pub use self::incident::{EndCosts, Incident, IncidentEdges, KeyRef, PredicateCount};
pub use self::neighborhood::{Subgraph, neighborhood};
pub use self::paths::{Path, k_shortest_paths, shortest_path};
pub use self::projection::{
    ClassFilter, ClassId, EdgeKeep, EntityGraph, EventDays, Evidence, GraphId, PredicateFilter,
    PredicateId, Prefetched, Projection, ProjectionOptions, ProjectionStats, RefreshReport,
    Relation, RelationId, Resource, ResourceIri, ResourceRecord, View,
};
pub use self::provenance::{EdgeTest, EvidenceFilter};
pub use self::selection::Selection;

use std::hash::Hash;
use std::ops::ControlFlow;

use oxigraph::store::StorageError;
use petgraph::visit::{IntoEdgesDirected, NodeIndexable};

/// Which edges a traversal follows from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Edges from the node to others (the node is the subject).
    Out,
    /// Edges from others to the node (the node is the object).
    In,
    /// Both, ignoring the direction of the triple.
    Both,
}

impl std::str::FromStr for Direction {
    type Err = String;

    /// Reads `out`, `in` or `both`: one rule for the REST API and the CLI.
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "out" => Ok(Self::Out),
            "in" => Ok(Self::In),
            "both" => Ok(Self::Both),
            other => Err(format!("'{other}' is not one of out, in, both")),
        }
    }
}

/// Errors of building or refreshing a projection.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// Reading the store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Errors of naming what to traverse: IRIs the projection does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TraversalError {
    /// The IRI is not a node: not an entity or event of the graph (statements, source
    /// documents and, unless asked for, quantities are not nodes).
    #[error("unknown entity <{iri}>")]
    UnknownEntity {
        /// The IRI asked for.
        iri: String,
    },
    /// No edge of the graph uses this predicate.
    #[error("unknown predicate <{iri}>: no relation between two entities uses it")]
    UnknownPredicate {
        /// The IRI asked for.
        iri: String,
    },
    /// No node of the graph has this class, nor a subclass of it.
    #[error("unknown class <{iri}>: no entity of the graph has it")]
    UnknownClass {
        /// The IRI asked for.
        iri: String,
    },
}

/// A graph as the traversals walk it: each node's neighbours in `direction`, in the order of
/// (other node, edge), each edge once (a self-loop seen in both directions included), and a
/// dense index of nodes for the traversals' scratch maps.
///
/// Every petgraph graph with indexable nodes is one (its edges sorted on each call); the
/// projection's [`Adjacency`] is one without sorting.
pub trait Neighbours: Copy {
    /// A node.
    type Node: Copy + Eq + Ord + Hash + std::fmt::Debug;
    /// An edge.
    type Edge: Copy + Eq + Ord + Hash + std::fmt::Debug;

    /// One more than the largest node index.
    fn node_bound(&self) -> usize;

    /// The dense index of a node.
    fn index_of(&self, node: Self::Node) -> usize;

    /// About how many neighbours `node` has in `direction`, to choose which side of a search
    /// to expand; it changes what a search costs, never what it finds.
    fn degree(&self, node: Self::Node, direction: Direction) -> usize;

    /// Calls `visit` with each neighbour of `node` in `direction` and the edge to it, in the
    /// order of (node, edge), until `visit` breaks; `buffer` is scratch space the graph may
    /// use.
    fn each_neighbour(
        &self,
        node: Self::Node,
        direction: Direction,
        buffer: &mut Vec<(Self::Node, Self::Edge)>,
        visit: impl FnMut(Self::Node, Self::Edge) -> ControlFlow<()>,
    ) -> ControlFlow<()>;
}

impl<G> Neighbours for G
where
    G: IntoEdgesDirected + NodeIndexable,
    G::NodeId: Ord + Hash + std::fmt::Debug,
    G::EdgeId: Ord + Hash + std::fmt::Debug,
{
    type Node = G::NodeId;
    type Edge = G::EdgeId;

    fn node_bound(&self) -> usize {
        NodeIndexable::node_bound(self)
    }

    fn index_of(&self, node: G::NodeId) -> usize {
        self.to_index(node)
    }

    /// One per node: a search then expands the side with fewer nodes, as it always did here.
    fn degree(&self, _node: G::NodeId, _direction: Direction) -> usize {
        1
    }

    fn each_neighbour(
        &self,
        node: G::NodeId,
        direction: Direction,
        buffer: &mut Vec<(G::NodeId, G::EdgeId)>,
        mut visit: impl FnMut(G::NodeId, G::EdgeId) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        sorted_neighbours(*self, node, direction, buffer);
        for &(other, edge) in buffer.iter() {
            visit(other, edge)?;
        }
        ControlFlow::Continue(())
    }
}

/// The edges of `node` in `direction`, paired with the node at their other end, sorted by
/// (other node, edge) so that every traversal expands neighbours in the same order.
///
/// A self-loop seen in both directions is listed once.
fn sorted_neighbours<G>(
    graph: G,
    node: G::NodeId,
    direction: Direction,
    into: &mut Vec<(G::NodeId, G::EdgeId)>,
) where
    G: petgraph::visit::IntoEdgesDirected,
    G::NodeId: Ord,
    G::EdgeId: Ord,
{
    use petgraph::Direction::{Incoming, Outgoing};
    use petgraph::visit::EdgeRef;
    into.clear();
    if direction != Direction::In {
        into.extend(
            graph
                .edges_directed(node, Outgoing)
                .map(|e| (e.target(), e.id())),
        );
    }
    if direction != Direction::Out {
        into.extend(
            graph
                .edges_directed(node, Incoming)
                .filter(|e| direction == Direction::In || e.source() != e.target())
                .map(|e| (e.source(), e.id())),
        );
    }
    into.sort_unstable();
}

/// Any of the three directions, for the property tests of the traversals.
#[cfg(test)]
pub(crate) fn any_direction() -> impl proptest::strategy::Strategy<Value = Direction> {
    use proptest::strategy::Just;
    proptest::prop_oneof![
        Just(Direction::Out),
        Just(Direction::In),
        Just(Direction::Both)
    ]
}
