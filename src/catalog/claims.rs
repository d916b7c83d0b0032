//! The statements about one resource: those whose `rdf:subject` or `rdf:object` it is, what
//! `GET /api/v1/entities/{id}/claims` groups by source. Read by index from both ends, never
//! by a scan of the statements of the store.

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode};

use super::{Catalog, CatalogError};

impl Catalog<'_> {
    /// The statement nodes whose `rdf:subject` or `rdf:object` is `iri`, sorted, without
    /// repeats.
    ///
    /// # Complexity
    /// Two index reads, O(s) for the s statements about `iri`.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_mentioning(
        &self,
        iri: NamedNodeRef<'_>,
    ) -> Result<Vec<NamedNode>, CatalogError> {
        let store = self.store.oxigraph();
        let mut statements = Vec::new();
        for predicate in [rdf::SUBJECT, rdf::OBJECT] {
            for quad in store.quads_for_pattern(None, Some(predicate), Some(iri.into()), None) {
                if let NamedOrBlankNode::NamedNode(statement) = quad?.subject {
                    statements.push(statement);
                }
            }
        }
        statements.sort();
        statements.dedup();
        Ok(statements)
    }
}
