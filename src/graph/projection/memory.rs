//! The memory a projection holds, estimated.

use std::mem::size_of;
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::intern::hash_table_bytes;
use super::{ClassId, GraphId, Projection, Relation, Resource};

impl Projection {
    pub(super) fn estimated_bytes(&self) -> usize {
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
}

#[cfg(test)]
mod tests {
    use oxigraph::model::Quad;

    use super::*;
    use crate::graph::ProjectionOptions;
    use crate::graph::generate::generate;

    #[test]
    fn memory_estimate_counts_every_edge_slot() {
        let p = Projection::from_quads(
            generate(1, 20, 40).iter().map(Quad::as_ref),
            ProjectionOptions::default(),
        );
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
