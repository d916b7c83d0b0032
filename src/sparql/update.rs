//! SPARQL 1.1 Update: parsing, the protocol's `using-graph-uri` dataset, and refusing `LOAD`.
//!
//! The update itself is applied by [`Store::update`] in one transaction, which
//! returns the quads it changed.
//! `LOAD <url>` makes the server fetch a URL, so it is allowed only for the
//! hosts the operator names ([`RemoteAccess`]); every `LOAD` is checked before
//! anything is fetched or written, then answered by fetching the document
//! here and inserting its triples in the same transaction as the rest.

use oxigraph::model::GraphName;
use oxigraph::sparql::{CancellationToken, QueryDatasetSpecification, SparqlEvaluator};
use spargebra::GraphUpdateOperation;

use super::remote::RemoteAccess;
use super::{Shape, SparqlError, graph_iris, parser, syntax_error};
use crate::config::InputLimits;
use crate::store::Store;
use crate::store::change::ChangeSet;

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

    /// Parses update text sent by a client, within `limits`, as
    /// [`ParsedQuery::parse_limited`](super::ParsedQuery::parse_limited) does for queries
    /// (and on a thread with as large a stack); an `INSERT DATA` counts as data, not patterns.
    ///
    /// # Errors
    /// [`SparqlError::Limit`] for a limit broken, [`SparqlError::Syntax`] as [`Self::parse`].
    pub fn parse_limited(
        text: &str,
        base_iri: Option<&str>,
        limits: &InputLimits,
    ) -> Result<Self, SparqlError> {
        crate::limits::check_sparql("update", text, limits)?;
        let parsed = Self::parse(text, base_iri)?;
        let mut shape = Shape::default();
        for operation in &parsed.update.operations {
            if let GraphUpdateOperation::DeleteInsert { pattern, .. } = operation {
                shape.walk(pattern, 1);
            }
        }
        shape.check("update", limits)?;
        Ok(parsed)
    }

    /// Applies the update to `store`, atomically, and returns the quads it changed.
    ///
    /// # Errors
    /// [`SparqlError::InvalidGraphIri`] for a malformed `using-*` IRI,
    /// [`SparqlError::DatasetConflict`] when the update names its own dataset too,
    /// [`SparqlError::RemoteLoadRefused`] for a `LOAD` from a host that is not allowed,
    /// [`SparqlError::RemoteFailed`] when a `LOAD` (not `SILENT`) cannot be fetched,
    /// [`SparqlError::Update`] when an operation fails (the store is then unchanged).
    pub fn apply(
        self,
        store: &Store,
        dataset: &UpdateDataset,
        remote: &RemoteAccess,
    ) -> Result<ChangeSet, SparqlError> {
        self.apply_cancellable(store, dataset, remote, CancellationToken::new())
    }

    /// [`Self::apply`], its `WHERE` patterns stopped when `cancellation` fires (the update
    /// then writes nothing and fails with `SparqlError::Evaluation(Cancelled)`).
    ///
    /// Every `SERVICE` in a `WHERE` goes to `remote`, as in queries: the allow-list holds.
    ///
    /// # Errors
    /// As [`Self::apply`].
    pub fn apply_cancellable(
        mut self,
        store: &Store,
        dataset: &UpdateDataset,
        remote: &RemoteAccess,
        cancellation: CancellationToken,
    ) -> Result<ChangeSet, SparqlError> {
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
        let overridden = (!using.is_empty() || !using_named.is_empty()).then(|| {
            // The protocol's USING overrides the operations' own USING and WITH
            // (SPARQL 1.1 Protocol, 2.2.3).
            let mut spec = QueryDatasetSpecification::new();
            spec.set_default_graph(using.into_iter().map(Into::into).collect());
            spec.set_available_named_graphs(using_named.into_iter().map(Into::into).collect());
            spec
        });
        let evaluator = SparqlEvaluator::new()
            .with_cancellation_token(cancellation.clone())
            .with_default_service_handler(remote.clone());
        let changes = store
            .update_with(&self.update, overridden.as_ref(), &evaluator)
            .map_err(SparqlError::from)?;
        Ok(changes)
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

#[cfg(test)]
mod tests {
    use oxigraph::model::{NamedNode, Quad};

    use super::*;
    use crate::config::StoreLocation;

    fn apply(
        store: &Store,
        update: &str,
        dataset: &UpdateDataset,
    ) -> Result<ChangeSet, SparqlError> {
        ParsedUpdate::parse(update, None)?.apply(store, dataset, &RemoteAccess::none())
    }

    fn iri(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.com/{local}"))
    }

    #[test]
    fn apply_returns_the_change_and_honours_the_protocols_using_graphs() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        let changes = apply(
            &store,
            "INSERT DATA { GRAPH <http://example.com/g> { <http://example.com/a> <http://example.com/p> <http://example.com/b> } }",
            &UpdateDataset::default(),
        )
        .unwrap();
        let in_g = Quad::new(iri("a"), iri("p"), iri("b"), iri("g"));
        assert_eq!(changes, ChangeSet::listed(vec![in_g], vec![]));

        let using = UpdateDataset {
            using_graph_uris: vec!["http://example.com/g".into()],
            using_named_graph_uris: Vec::new(),
        };
        let changes = apply(
            &store,
            "INSERT { ?o <http://example.com/p> ?s } WHERE { ?s <http://example.com/p> ?o }",
            &using,
        )
        .unwrap();
        let copied = Quad::new(iri("b"), iri("p"), iri("a"), GraphName::DefaultGraph);
        assert_eq!(changes, ChangeSet::listed(vec![copied], vec![]));
    }

    #[test]
    fn service_in_a_where_goes_to_the_allow_list_and_a_cancelled_update_writes_nothing() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        let refused = apply(
            &store,
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.com/sparql> { ?s ?p ?o } }",
            &UpdateDataset::default(),
        );
        assert!(
            matches!(&refused, Err(SparqlError::FederationRefused { service }) if service.contains("example.com")),
            "{refused:?}"
        );
        let cancelled = CancellationToken::new();
        cancelled.cancel();
        let stopped = ParsedUpdate::parse(
            "INSERT { <http://example.com/a> <http://example.com/p> ?o } WHERE { VALUES ?o { 1 } }",
            None,
        )
        .unwrap()
        .apply_cancellable(
            &store,
            &UpdateDataset::default(),
            &RemoteAccess::none(),
            cancelled,
        );
        assert!(
            matches!(
                stopped,
                Err(SparqlError::Evaluation(
                    oxigraph::sparql::QueryEvaluationError::Cancelled
                ))
            ),
            "{stopped:?}"
        );
        assert!(store.oxigraph().is_empty().unwrap(), "nothing was written");
    }

    #[test]
    fn parse_limited_refuses_deep_updates_and_counts_where_patterns_only() {
        let limits = InputLimits {
            max_nesting_depth: 4,
            max_triple_patterns: 2,
            ..InputLimits::default()
        };
        assert!(matches!(
            ParsedUpdate::parse_limited(
                "INSERT DATA { <http://a> <http://b> [ <http://c> [ <http://c> [ <http://c> [ <http://c> 1 ] ] ] ] }",
                None,
                &limits
            ),
            Err(SparqlError::Limit(
                crate::limits::LimitError::TooDeep { .. }
            ))
        ));
        let data = "INSERT DATA { <http://a> <http://b> 1 . <http://a> <http://b> 2 . <http://a> <http://b> 3 }";
        assert!(ParsedUpdate::parse_limited(data, None, &limits).is_ok());
        assert!(matches!(
            ParsedUpdate::parse_limited(
                "DELETE WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                None,
                &limits
            ),
            Err(SparqlError::Limit(
                crate::limits::LimitError::TooManyTriplePatterns { count: 3, .. }
            ))
        ));
    }

    #[test]
    fn apply_maps_failed_operations_and_dataset_conflicts_as_before() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        apply(
            &store,
            "CREATE GRAPH <http://example.com/g>",
            &UpdateDataset::default(),
        )
        .unwrap();
        let Err(SparqlError::Update(message)) = apply(
            &store,
            "CREATE GRAPH <http://example.com/g>",
            &UpdateDataset::default(),
        ) else {
            panic!("creating an existing graph fails");
        };
        assert!(message.contains("http://example.com/g"), "{message}");
        assert!(matches!(
            apply(
                &store,
                "DROP GRAPH <http://example.com/nope>",
                &UpdateDataset::default()
            ),
            Err(SparqlError::Update(_))
        ));
        let using = UpdateDataset {
            using_graph_uris: vec!["http://example.com/g".into()],
            using_named_graph_uris: Vec::new(),
        };
        assert!(matches!(
            apply(
                &store,
                "INSERT { ?s ?p ?o } USING <http://example.com/g> WHERE { ?s ?p ?o }",
                &using
            ),
            Err(SparqlError::DatasetConflict)
        ));
    }
}
