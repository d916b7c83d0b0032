//! D3 node-link JSON: `nodes` with an `id`, `links` with `source` and `target` ids, as
//! d3-force takes them and as networkx's `node_link_graph(data, edges="links")` reads them
//! (`directed` and `multigraph` are set, each link's `key` is its id).
//!
//! Nodes and links carry the same fields as in the Cytoscape export. Written element by
//! element with serde_json.

use std::io::{self, Write};

use serde::Serialize;

use super::ExportGraph;
use super::cytoscape::{EdgeData, NodeData, array};

/// A link: the edge's fields and its `key` for networkx multigraphs.
#[derive(Serialize)]
struct Link<'a> {
    key: &'a str,
    #[serde(flatten)]
    edge: EdgeData<'a>,
}

/// Writes `graph` as D3 node-link JSON.
///
/// # Errors
/// When the writer fails.
pub fn write<W: Write>(graph: &ExportGraph, mut writer: W) -> io::Result<W> {
    writer.write_all(
        br#"{"directed":true,"multigraph":true,"graph":{"name":"eventgraph"},"nodes":["#,
    )?;
    array(&mut writer, graph.nodes.iter().map(NodeData::from))?;
    writer.write_all(b"],\"links\":[")?;
    array(
        &mut writer,
        graph.edges.iter().map(|e| Link {
            key: &e.id,
            edge: EdgeData::from(e),
        }),
    )?;
    writer.write_all(b"]}\n")?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::awkward;

    #[test]
    fn d3_links_name_their_ends_by_node_id() {
        let out = write(&awkward(), Vec::new()).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["nodes"].as_array().unwrap().len(), 2);
        assert_eq!(doc["links"][0]["source"], doc["nodes"][0]["id"]);
        assert_eq!(doc["links"][0]["key"], "e0");
        assert_eq!(doc["nodes"][1]["label"], "Opération «Déluge»");
    }
}
