//! SPARQL 1.1 Update: parsing, the protocol's `using-graph-uri` dataset, and refusing `LOAD`.
//!
//! The update itself is applied by [`Store::update`] in one transaction.
//! `LOAD <url>` would make the server fetch an arbitrary URL; eventgraph is
//! built without Oxigraph's HTTP client and refuses it before anything runs,
//! with a message that says how to load data instead.

use oxigraph::sparql::SparqlEvaluator;
use spargebra::GraphUpdateOperation;

use super::{SparqlError, graph_iris, parser, syntax_error};
use crate::store::Store;

/// The dataset an update request names (SPARQL 1.1 Protocol, section 2.2.3).
#[derive(Debug, Clone, Default)]
pub struct UpdateDataset {
    /// `using-graph-uri` values.
    pub using_graph_uris: Vec<String>,
    /// `using-named-graph-uri` values.
    pub using_named_graph_uris: Vec<String>,
}

/// A parsed update, ready to apply.
#[derive(Debug, Clone)]
pub struct ParsedUpdate {
    /// The operations, from spargebra.
    update: spargebra::Update,
}

impl ParsedUpdate {
    /// Parses SPARQL 1.1 Update text; relative IRIs resolve against `base_iri`.
    ///
    /// # Errors
    /// [`SparqlError::Syntax`] with the line and column where parsing stopped;
    /// [`SparqlError::RemoteLoadRefused`] for `LOAD`.
    pub fn parse(text: &str, base_iri: Option<&str>) -> Result<Self, SparqlError> {
        let update = parser(base_iri)?
            .parse_update(text)
            .map_err(|e| syntax_error(&e.to_string()))?;
        for operation in &update.operations {
            if let GraphUpdateOperation::Load { source, .. } = operation {
                return Err(SparqlError::RemoteLoadRefused {
                    url: source.as_str().to_owned(),
                });
            }
        }
        Ok(Self { update })
    }

    /// Applies the update to `store`, atomically.
    ///
    /// # Errors
    /// [`SparqlError::InvalidGraphIri`] for a malformed `using-*` IRI,
    /// [`SparqlError::DatasetConflict`] when the update names its own dataset too,
    /// [`SparqlError::Update`] when an operation fails (the store is then unchanged).
    pub fn apply(self, store: &Store, dataset: &UpdateDataset) -> Result<(), SparqlError> {
        let using = graph_iris("using-graph-uri", &dataset.using_graph_uris)?;
        let using_named = graph_iris("using-named-graph-uri", &dataset.using_named_graph_uris)?;
        let names_its_own_dataset = self.update.operations.iter().any(|operation| {
            // spargebra turns WITH into a USING dataset when there is no USING.
            matches!(
                operation,
                GraphUpdateOperation::DeleteInsert { using: Some(_), .. }
            )
        });
        if (!using.is_empty() || !using_named.is_empty()) && names_its_own_dataset {
            return Err(SparqlError::DatasetConflict);
        }
        let mut prepared = SparqlEvaluator::new().for_update(self.update);
        if !using.is_empty() || !using_named.is_empty() {
            // The protocol's USING overrides the operations' own USING and WITH
            // (SPARQL 1.1 Protocol, 2.2.3).
            for spec in prepared.using_datasets_mut() {
                spec.set_default_graph(using.iter().cloned().map(Into::into).collect());
                spec.set_available_named_graphs(
                    using_named.iter().cloned().map(Into::into).collect(),
                );
            }
        }
        store.update(prepared).map_err(SparqlError::from)
    }
}
