//! Every write to the store after it is loaded: SPARQL Update and Graph Store operations.
//!
//! Each write is one Oxigraph transaction, committed (and so logged by
//! RocksDB) before the caller acknowledges it. Request bodies are parsed
//! completely before the transaction starts, so a syntax error changes nothing.
//! The HTTP edge rebuilds the read models (search index, projection) after
//! each acknowledged write; this module does not know them.

use oxigraph::model::{GraphName, GraphNameRef, NamedNodeRef, Quad};
use oxigraph::sparql::{PreparedSparqlUpdate, UpdateEvaluationError};
use oxigraph::store::StorageError;

use super::Store;
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
    /// Removes `remove` and inserts `insert`, in one transaction (the REST API's writes).
    ///
    /// # Errors
    /// [`WriteError::Storage`] when the store fails; nothing is then written.
    pub fn apply_changes(
        &self,
        remove: &[Quad],
        insert: &[Quad],
    ) -> Result<super::change::ChangeSet, WriteError> {
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
        transaction.commit()?;
        Ok(super::change::ChangeSet::listed(
            insert.to_vec(),
            remove.to_vec(),
        ))
    }

    /// Applies a SPARQL Update in one transaction.
    ///
    /// # Errors
    /// [`WriteError::Update`] when an operation fails; the store is then unchanged.
    pub fn update(
        &self,
        update: PreparedSparqlUpdate,
    ) -> Result<super::change::ChangeSet, WriteError> {
        update.on_store(&self.inner).execute()?;
        Ok(unlisted())
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
    /// # Errors
    /// [`WriteError::Parse`] when the body does not parse; the graph is then unchanged.
    pub fn replace_graph(
        &self,
        graph: GraphNameRef<'_>,
        source: RdfSource<'_>,
    ) -> Result<(GraphWrite, super::change::ChangeSet), WriteError> {
        let quads = parse_into(graph, source)?;
        Ok((self.write_graph(graph, &quads, true)?, unlisted()))
    }

    /// Adds the triples of every source to `graph`, creating it when needed (Graph Store POST).
    ///
    /// # Errors
    /// [`WriteError::Parse`] when a source does not parse; the graph is then unchanged.
    pub fn merge_into_graph(
        &self,
        graph: GraphNameRef<'_>,
        sources: Vec<RdfSource<'_>>,
    ) -> Result<(GraphWrite, super::change::ChangeSet), WriteError> {
        let mut quads = Vec::new();
        for source in sources {
            quads.extend(parse_into(graph, source)?);
        }
        Ok((self.write_graph(graph, &quads, false)?, unlisted()))
    }

    /// Writes parsed quads into `graph` in one transaction, emptying it first when `replace`.
    fn write_graph(
        &self,
        graph: GraphNameRef<'_>,
        quads: &[Quad],
        replace: bool,
    ) -> Result<GraphWrite, WriteError> {
        let mut transaction = self.inner.start_transaction()?;
        let existed = match graph {
            GraphNameRef::DefaultGraph => true,
            GraphNameRef::NamedNode(node) => transaction.contains_named_graph(node)?,
            GraphNameRef::BlankNode(node) => transaction.contains_named_graph(node)?,
        };
        if replace {
            transaction.clear_graph(graph)?;
        }
        if let GraphNameRef::NamedNode(node) = graph {
            transaction.insert_named_graph(node);
        }
        transaction.extend(quads);
        transaction.commit()?;
        Ok(if existed {
            GraphWrite::Updated
        } else {
            GraphWrite::Created
        })
    }

    /// Removes `graph` (a named graph disappears; the default graph is emptied).
    /// Returns whether it existed (Graph Store DELETE).
    ///
    /// # Errors
    /// [`WriteError::Storage`] when the store fails.
    pub fn delete_graph(
        &self,
        graph: GraphNameRef<'_>,
    ) -> Result<(bool, super::change::ChangeSet), WriteError> {
        let existed = match graph {
            GraphNameRef::DefaultGraph => {
                self.inner.clear_graph(GraphNameRef::DefaultGraph)?;
                true
            }
            GraphNameRef::NamedNode(node) => self.remove_named_graph(node)?,
            GraphNameRef::BlankNode(_) => false,
        };
        Ok((existed, unlisted()))
    }

    fn remove_named_graph(&self, graph: NamedNodeRef<'_>) -> Result<bool, WriteError> {
        let mut transaction = self.inner.start_transaction()?;
        if !transaction.contains_named_graph(graph)? {
            return Ok(false);
        }
        transaction.remove_named_graph(graph)?;
        transaction.commit()?;
        Ok(true)
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

/// Until writes list their quads: a change the read models rebuild for.
fn unlisted() -> super::change::ChangeSet {
    super::change::ChangeSet {
        unlisted: true,
        ..Default::default()
    }
}
