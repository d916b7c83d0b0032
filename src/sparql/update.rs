//! SPARQL 1.1 Update: parsing, the protocol's `using-graph-uri` dataset, and refusing `LOAD`.
//!
//! The update itself is applied by [`Store::update`] in one transaction.
//! `LOAD <url>` makes the server fetch a URL, so it is allowed only for the
//! hosts the operator names ([`RemoteAccess`]); every `LOAD` is checked before
//! anything is fetched or written, then answered by fetching the document
//! here and inserting its triples in the same transaction as the rest.

use oxigraph::model::GraphName;
use oxigraph::sparql::SparqlEvaluator;
use spargebra::GraphUpdateOperation;

use super::remote::RemoteAccess;
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
    /// [`SparqlError::Syntax`] with the line and column where parsing stopped.
    pub fn parse(text: &str, base_iri: Option<&str>) -> Result<Self, SparqlError> {
        let update = parser(base_iri)?
            .parse_update(text)
            .map_err(|e| syntax_error(&e.to_string()))?;
        Ok(Self { update })
    }

    /// Applies the update to `store`, atomically.
    ///
    /// # Errors
    /// [`SparqlError::InvalidGraphIri`] for a malformed `using-*` IRI,
    /// [`SparqlError::DatasetConflict`] when the update names its own dataset too,
    /// [`SparqlError::RemoteLoadRefused`] for a `LOAD` from a host that is not allowed,
    /// [`SparqlError::RemoteFailed`] when a `LOAD` (not `SILENT`) cannot be fetched,
    /// [`SparqlError::Update`] when an operation fails (the store is then unchanged).
    pub fn apply(
        mut self,
        store: &Store,
        dataset: &UpdateDataset,
        remote: &RemoteAccess,
    ) -> Result<crate::store::change::ChangeSet, SparqlError> {
        self.resolve_loads(remote)?;
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

    /// Replaces every `LOAD` by the `INSERT DATA` of the fetched document, after checking
    /// every URL first so that a refused one fetches nothing at all.
    fn resolve_loads(&mut self, remote: &RemoteAccess) -> Result<(), SparqlError> {
        for operation in &self.update.operations {
            if let GraphUpdateOperation::Load { source, .. } = operation {
                remote
                    .check(source.as_str())
                    .map_err(|_| SparqlError::RemoteLoadRefused {
                        url: source.as_str().to_owned(),
                    })?;
            }
        }
        let operations = std::mem::take(&mut self.update.operations);
        for operation in operations {
            let GraphUpdateOperation::Load {
                silent,
                source,
                destination,
            } = operation
            else {
                self.update.operations.push(operation);
                continue;
            };
            let graph = match &destination {
                spargebra::term::GraphName::NamedNode(node) => GraphName::NamedNode(node.clone()),
                spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
            };
            match remote.fetch_graph(&source, &graph) {
                Ok(quads) => self
                    .update
                    .operations
                    .push(GraphUpdateOperation::InsertData {
                        data: quads
                            .into_iter()
                            .map(|quad| spargebra::term::Quad {
                                subject: quad.subject,
                                predicate: quad.predicate,
                                object: quad.object,
                                graph_name: destination.clone(),
                            })
                            .collect(),
                    }),
                // LOAD SILENT: a failure is no error (SPARQL 1.1 Update, 3.1.4).
                Err(_) if silent => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }
}
