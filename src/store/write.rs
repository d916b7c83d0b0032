//! Every write to the store after it is loaded, except SPARQL Update ([`super::update`]):
//! the Graph Store operations and the REST API's changes.
//!
//! Each write is one Oxigraph transaction, committed through the store's journal
//! ([`Store::commit_journaled`]) before the caller acknowledges it, and returns the
//! [`ChangeSet`] it made. Request bodies are parsed completely before the transaction starts, so
//! a syntax error changes nothing. The HTTP edge updates the read models
//! (search index, projection) after each acknowledged write; this module does
//! not know them.

use oxigraph::model::{GraphName, GraphNameRef, NamedNodeRef, Quad};
use oxigraph::sparql::UpdateEvaluationError;
use oxigraph::store::StorageError;

use super::Store;
use super::change::{ChangeSet, TrackedTransaction};
use super::load::{LoadError, RdfSource, parse_error};

/// Errors of writes.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The body does not parse; nothing was written.
    #[error(transparent)]
    Parse(#[from] LoadError),
    /// A SPARQL Update failed; nothing was written.
    #[error(transparent)]
    Update(#[from] UpdateEvaluationError),
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What a Graph Store write found before it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphWrite {
    /// The graph did not exist and now does.
    Created,
    /// The graph existed and was changed.
    Updated,
}

impl Store {
    /// Removes `remove` and inserts `insert`, in one transaction (the REST API's writes), and
    /// returns them as the change: the caller chose them, so they are listed as given.
    ///
    /// # Errors
    /// [`WriteError::Storage`] when the store fails; nothing is then written.
    pub fn apply_changes(&self, remove: &[Quad], insert: &[Quad]) -> Result<ChangeSet, WriteError> {
        let mut transaction = self.inner.start_transaction()?;
        for quad in remove {
            transaction.remove(quad);
        }
        for quad in insert {
            if let GraphName::NamedNode(graph) = &quad.graph_name {
                transaction.insert_named_graph(graph);
            }
            transaction.insert(quad);
        }
        let changes = ChangeSet::listed(insert.to_vec(), remove.to_vec());
        self.commit_journaled(transaction, &changes)?;
        Ok(changes)
    }

    /// Whether the graph exists: the default graph always does, a named graph once created.
    ///
    /// # Errors
    /// [`WriteError::Storage`] when the store cannot be read.
    pub fn contains_graph(&self, graph: GraphNameRef<'_>) -> Result<bool, WriteError> {
        Ok(match graph {
            GraphNameRef::DefaultGraph => true,
            GraphNameRef::NamedNode(node) => self.inner.contains_named_graph(node)?,
            GraphNameRef::BlankNode(node) => self.inner.contains_named_graph(node)?,
        })
    }

    /// Replaces the content of `graph` by the triples of `source` (Graph Store PUT).
    ///
    /// The change lists the graph's old quads as removed and the new ones as inserted, less
    /// the quads that are in both.
    ///
    /// # Errors
    /// [`WriteError::Parse`] when the body does not parse; the graph is then unchanged.
    pub fn replace_graph(
        &self,
        graph: GraphNameRef<'_>,
        source: RdfSource<'_>,
    ) -> Result<(GraphWrite, ChangeSet), WriteError> {
        let quads = parse_into(graph, source)?;
        self.write_graph(graph, quads, true)
    }

    /// Adds the triples of every source to `graph`, creating it when needed (Graph Store POST).
    ///
    /// The change lists the quads that were not in the graph yet.
    ///
    /// # Errors
    /// [`WriteError::Parse`] when a source does not parse; the graph is then unchanged.
    pub fn merge_into_graph(
        &self,
        graph: GraphNameRef<'_>,
        sources: Vec<RdfSource<'_>>,
    ) -> Result<(GraphWrite, ChangeSet), WriteError> {
        let mut quads = Vec::new();
        for source in sources {
            quads.extend(parse_into(graph, source)?);
        }
        self.write_graph(graph, quads, false)
    }

    /// Writes parsed quads into `graph` in one transaction, emptying it first when `replace`.
    fn write_graph(
        &self,
        graph: GraphNameRef<'_>,
        quads: Vec<Quad>,
        replace: bool,
    ) -> Result<(GraphWrite, ChangeSet), WriteError> {
        let mut transaction = TrackedTransaction::new(self.inner.start_transaction()?);
        let existed = match graph {
            GraphNameRef::DefaultGraph => true,
            GraphNameRef::NamedNode(node) => {
                transaction.transaction().contains_named_graph(node)?
            }
            GraphNameRef::BlankNode(node) => {
                transaction.transaction().contains_named_graph(node)?
            }
        };
        if replace {
            transaction.clear_graph(graph)?;
        }
        if let GraphNameRef::NamedNode(node) = graph {
            transaction.insert_named_graph(node)?;
        }
        for quad in quads {
            transaction.insert(quad)?;
        }
        let changes = transaction.commit(self)?;
        let outcome = if existed {
            GraphWrite::Updated
        } else {
            GraphWrite::Created
        };
        Ok((outcome, changes))
    }

    /// Removes `graph` (a named graph disappears; the default graph is emptied), listing its
    /// quads as removed (Graph Store DELETE). Returns `None` when there is no such graph.
    ///
    /// # Errors
    /// [`WriteError::Storage`] when the store fails; nothing is then removed.
    pub fn delete_graph(&self, graph: GraphNameRef<'_>) -> Result<Option<ChangeSet>, WriteError> {
        match graph {
            GraphNameRef::DefaultGraph => {
                let mut transaction = TrackedTransaction::new(self.inner.start_transaction()?);
                transaction.clear_graph(GraphNameRef::DefaultGraph)?;
                Ok(Some(transaction.commit(self)?))
            }
            GraphNameRef::NamedNode(node) => self.remove_named_graph(node),
            GraphNameRef::BlankNode(_) => Ok(None),
        }
    }

    fn remove_named_graph(&self, graph: NamedNodeRef<'_>) -> Result<Option<ChangeSet>, WriteError> {
        let mut transaction = TrackedTransaction::new(self.inner.start_transaction()?);
        if !transaction.transaction().contains_named_graph(graph)? {
            return Ok(None);
        }
        transaction.remove_named_graph(graph.into())?;
        Ok(Some(transaction.commit(self)?))
    }
}

/// Parses every triple of `source` into `graph`; quads naming another graph are refused.
fn parse_into(graph: GraphNameRef<'_>, source: RdfSource<'_>) -> Result<Vec<Quad>, LoadError> {
    let name = source.name;
    let parser = oxigraph::io::RdfParser::from_format(source.format)
        .rename_blank_nodes()
        .without_named_graphs()
        .with_default_graph(GraphName::from(graph));
    parser
        .for_reader(source.reader)
        .map(|quad| quad.map_err(|e| parse_error(&name, e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use oxigraph::io::RdfFormat;
    use oxigraph::model::{NamedNode, Quad};

    use super::*;
    use crate::config::StoreLocation;

    fn iri(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.com/{local}"))
    }

    fn quad(s: &str, o: &str, graph: Option<&str>) -> Quad {
        let graph = graph.map_or(GraphName::DefaultGraph, |g| iri(g).into());
        Quad::new(iri(s), iri("p"), iri(o), graph)
    }

    /// A store whose default graph holds `a p b` and whose graph `g` holds `a p b` and `b p c`.
    fn store() -> Store {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        store
            .apply_changes(
                &[],
                &[
                    quad("a", "b", None),
                    quad("a", "b", Some("g")),
                    quad("b", "c", Some("g")),
                ],
            )
            .unwrap();
        store
    }

    fn turtle(text: &str) -> RdfSource<'_> {
        RdfSource::from_str("body.ttl", RdfFormat::Turtle, text)
    }

    fn set(quads: &[Quad]) -> HashSet<Quad> {
        quads.iter().cloned().collect()
    }

    #[test]
    fn apply_changes_lists_the_quads_as_given() {
        let store = store();
        let remove = [quad("a", "b", None), quad("x", "y", None)];
        let insert = [quad("c", "d", Some("h"))];
        let changes = store.apply_changes(&remove, &insert).unwrap();
        assert_eq!(changes, ChangeSet::listed(insert.to_vec(), remove.to_vec()));
        assert!(store.contains_graph(iri("h").as_ref().into()).unwrap());
    }

    #[test]
    fn replace_graph_lists_the_old_quads_removed_and_the_new_inserted_less_those_kept() {
        let store = store();
        let g = iri("g");
        let (outcome, changes) = store
            .replace_graph(
                g.as_ref().into(),
                turtle("<http://example.com/a> <http://example.com/p> <http://example.com/b> , <http://example.com/d> ."),
            )
            .unwrap();
        assert_eq!(outcome, GraphWrite::Updated);
        assert!(!changes.unlisted);
        assert_eq!(set(&changes.removed), set(&[quad("b", "c", Some("g"))]));
        assert_eq!(set(&changes.inserted), set(&[quad("a", "d", Some("g"))]));
        assert!(
            !store
                .oxigraph()
                .contains(&quad("b", "c", Some("g")))
                .unwrap()
        );

        let (outcome, changes) = store
            .replace_graph(
                iri("new").as_ref().into(),
                turtle("<http://example.com/a> <http://example.com/p> <http://example.com/b> ."),
            )
            .unwrap();
        assert_eq!(outcome, GraphWrite::Created);
        assert_eq!(
            changes,
            ChangeSet::listed(vec![quad("a", "b", Some("new"))], vec![])
        );
    }

    #[test]
    fn replace_of_the_default_graph_lists_its_old_quads() {
        let store = store();
        let (outcome, changes) = store
            .replace_graph(
                GraphNameRef::DefaultGraph,
                turtle("<http://example.com/x> <http://example.com/p> <http://example.com/y> ."),
            )
            .unwrap();
        assert_eq!(outcome, GraphWrite::Updated);
        assert_eq!(
            changes,
            ChangeSet::listed(vec![quad("x", "y", None)], vec![quad("a", "b", None)])
        );
    }

    #[test]
    fn merge_into_graph_lists_only_the_quads_that_are_new() {
        let store = store();
        let (outcome, changes) = store
            .merge_into_graph(
                iri("g").as_ref().into(),
                vec![
                    turtle(
                        "<http://example.com/a> <http://example.com/p> <http://example.com/b> .",
                    ),
                    turtle(
                        "<http://example.com/c> <http://example.com/p> <http://example.com/d> .",
                    ),
                ],
            )
            .unwrap();
        assert_eq!(outcome, GraphWrite::Updated);
        assert_eq!(
            changes,
            ChangeSet::listed(vec![quad("c", "d", Some("g"))], vec![])
        );

        let (outcome, changes) = store
            .merge_into_graph(iri("empty").as_ref().into(), Vec::new())
            .unwrap();
        assert_eq!(outcome, GraphWrite::Created);
        assert!(changes.is_empty());
        assert!(store.contains_graph(iri("empty").as_ref().into()).unwrap());
    }

    #[test]
    fn a_body_that_does_not_parse_changes_nothing() {
        let store = store();
        assert!(matches!(
            store.replace_graph(iri("g").as_ref().into(), turtle("<http://example.com/a> .")),
            Err(WriteError::Parse(_))
        ));
        assert_eq!(store.len().unwrap(), 3);
    }

    #[test]
    fn delete_graph_lists_the_quads_of_the_graph_it_removes() {
        let store = store();
        let changes = store.delete_graph(iri("g").as_ref().into()).unwrap();
        let changes = changes.expect("the graph existed");
        assert!(changes.inserted.is_empty() && !changes.unlisted);
        assert_eq!(
            set(&changes.removed),
            set(&[quad("a", "b", Some("g")), quad("b", "c", Some("g"))])
        );
        assert!(!store.contains_graph(iri("g").as_ref().into()).unwrap());
        assert_eq!(store.delete_graph(iri("g").as_ref().into()).unwrap(), None);

        let changes = store.delete_graph(GraphNameRef::DefaultGraph).unwrap();
        assert_eq!(
            changes,
            Some(ChangeSet::listed(vec![], vec![quad("a", "b", None)]))
        );
        assert!(store.is_empty().unwrap());
    }
}
