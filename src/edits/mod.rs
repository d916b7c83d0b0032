//! REST edits as quads: what creating, changing or deleting an entity or a statement writes.
//!
//! Each edit is one [`ReadModels::write`](crate::read_models::ReadModels::write) step: inside
//! the writer's lock it resolves the names it is given, reads what it replaces or cascades to
//! (so the removals are read in the same ordered step as the write), turns the request into the
//! quads to remove and insert — each inserted quad tagged with the request field it comes from
//! ([`Plan`]) — checks the resources it creates or changes against the SHACL shapes, and
//! commits. A statement is written twice, as the seed is: the direct triple and the statement
//! node with its provenance ([`statement`]); deleting an entity removes its triples and the
//! statements about them ([`entity`]).
//!
//! New resources get a random (v4) uuid under the id base; their quads go to the graph
//! [`graph::API`](crate::vocab::graph::API). Errors name the request field at fault. This
//! module knows nothing of HTTP: the handlers parse a request into an edit, call one function
//! here and render what it returns.

pub mod entity;
pub mod report;
pub mod statement;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;

use crate::catalog::CatalogError;
use crate::catalog::search::IndexEntry;
use crate::read_models::{ReadModelsError, ReadView, ResolveError};
use crate::shapes::{Shapes, ShapesError, Violation};
use crate::store::Store;
use crate::store::change::ChangeSet;
use crate::store::write::WriteError;
use crate::vocab::graph;

/// Errors of an edit; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// A request field cannot be used.
    #[error("invalid value for '{field}': {message}")]
    InvalidField {
        /// The field, as the request names it (`types[1]`, `qualifiers.intermediary`).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The entity the edit is about does not exist.
    #[error("no entity has the id or name '{key}'")]
    UnknownEntity {
        /// The id or name given.
        key: String,
    },
    /// The name of the entity the edit is about is shared by several entities.
    #[error("'{key}' names {} entities; ask again with one of their ids", candidates.len())]
    Ambiguous {
        /// The name given.
        key: String,
        /// The entities with that name.
        candidates: Vec<IndexEntry>,
    },
    /// The statement to delete does not exist.
    #[error("no statement has the id '{key}'")]
    UnknownStatement {
        /// The id given.
        key: String,
    },
    /// The write would leave data out of shape; each violation with its request field.
    #[error("the write does not conform to the shapes")]
    ShapeViolation {
        /// (request field, violation).
        violations: Vec<(String, Violation)>,
    },
    /// A field names an entity by a name several entities share (a report's field path).
    #[error("'{key}' in '{field}' names {} entities; give one of their ids", candidates.len())]
    AmbiguousField {
        /// The field, as the request names it (`statements[3].speaker`).
        field: String,
        /// The name given.
        key: String,
        /// The entities with that name.
        candidates: Vec<IndexEntry>,
    },
    /// A report of this source URL was written before; reports are not replaced.
    #[error("a report of '{url}' exists already, as the source document <{document}>")]
    ReportExists {
        /// The URL given.
        url: String,
        /// The IRI of the document written then.
        document: String,
    },
    /// The shapes could not be checked.
    #[error(transparent)]
    Shapes(ShapesError),
    /// The store failed.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The catalog could not read the store.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The read models failed.
    #[error(transparent)]
    ReadModels(#[from] ReadModelsError),
}

impl From<StorageError> for EditError {
    fn from(error: StorageError) -> Self {
        Self::Write(WriteError::Storage(error))
    }
}

/// An invalid field.
fn invalid(field: impl Into<String>, message: impl Into<String>) -> EditError {
    EditError::InvalidField {
        field: field.into(),
        message: message.into(),
    }
}

/// What one edit writes: the quads it removes and the quads it inserts with their fields.
#[derive(Debug, Default)]
pub struct Plan {
    /// Quads to remove, read from the store in the write's step.
    pub remove: Vec<Quad>,
    /// Quads to insert, each with the request field it comes from.
    pub insert: Vec<(Quad, String)>,
}

impl Plan {
    /// Adds a quad to insert into the API graph.
    fn add(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
        field: impl Into<String>,
    ) {
        self.insert.push((
            Quad::new(subject.clone(), predicate, object, graph::API),
            field.into(),
        ));
    }

    fn inserted(&self) -> Vec<Quad> {
        self.insert.iter().map(|(quad, _)| quad.clone()).collect()
    }

    /// The request field of the inserted quad about `focus` and `path`, if there is one.
    fn field_of(&self, focus: &str, path: Option<&str>) -> Option<&str> {
        let path = path?;
        self.insert
            .iter()
            .find(|(quad, _)| {
                matches!(&quad.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == focus)
                    && quad.predicate.as_str() == path
            })
            .map(|(_, field)| field.as_str())
    }

    /// Checks `focus` against the shapes as the store would be after the plan, then commits it.
    /// `field_of` names the field of a violation no inserted quad explains (a missing value).
    fn check_and_commit(
        self,
        store: &Store,
        shapes: &Shapes,
        focus: &[NamedNode],
        field_of: impl Fn(&Violation) -> String,
    ) -> Result<ChangeSet, EditError> {
        let insert = self.inserted();
        if !focus.is_empty() {
            match shapes.check(store, &self.remove, &insert, focus) {
                Ok(()) => {}
                Err(ShapesError::Violations(violations)) => {
                    return Err(EditError::ShapeViolation {
                        violations: violations
                            .into_iter()
                            .map(|v| {
                                let field = self
                                    .field_of(&v.focus, v.path.as_deref())
                                    .map_or_else(|| field_of(&v), str::to_owned);
                                (field, v)
                            })
                            .collect(),
                    });
                }
                Err(other) => return Err(EditError::Shapes(other)),
            }
        }
        Ok(store.apply_changes(&self.remove, &insert)?)
    }
}

/// Resolves a field naming an entity (uuid, label or alias) to its IRI.
fn entity_field(
    view: &ReadView,
    store: &Store,
    field: &str,
    key: &str,
) -> Result<NamedNode, EditError> {
    match view.resolve(store, key) {
        Ok(iri) => Ok(iri),
        Err(ResolveError::Ambiguous { candidates, .. }) => Err(invalid(
            field,
            format!("'{key}' names {} entities; give a uuid", candidates.len()),
        )),
        Err(ResolveError::Unknown { .. }) => Err(invalid(
            field,
            format!("no entity has the id or name '{key}'"),
        )),
        Err(ResolveError::Catalog(error)) => Err(error.into()),
    }
}

/// Resolves the entity an edit is about.
fn subject_of(view: &ReadView, store: &Store, key: &str) -> Result<NamedNode, EditError> {
    view.resolve(store, key).map_err(|error| match error {
        ResolveError::Unknown { key } => EditError::UnknownEntity { key },
        ResolveError::Ambiguous { key, candidates } => EditError::Ambiguous { key, candidates },
        ResolveError::Catalog(error) => error.into(),
    })
}

/// Whether the ontology declares `iri` with `rdf:type` one of the OWL `kinds`.
fn declared(store: &Store, iri: &NamedNode, kinds: &[&str]) -> Result<bool, EditError> {
    for kind in kinds {
        let kind = NamedNode::new_unchecked(format!("http://www.w3.org/2002/07/owl#{kind}"));
        let found = store
            .oxigraph()
            .quads_for_pattern(
                Some(iri.as_ref().into()),
                Some(rdf::TYPE),
                Some(kind.as_ref().into()),
                Some(graph::ONTOLOGY.into()),
            )
            .next()
            .transpose()?
            .is_some();
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An IRI, or an `eg:` local name made into one, for a request field.
fn term_field(field: &str, name: &str) -> Result<NamedNode, EditError> {
    crate::vocab::term(name).map_err(|e| invalid(field, format!("'{name}' is not an IRI: {e}")))
}

/// The quads whose subject is `iri`, in every graph, with `predicate` when given.
fn quads_about(
    store: &Store,
    iri: &NamedNode,
    predicate: Option<NamedNodeRef<'_>>,
) -> Result<Vec<Quad>, EditError> {
    Ok(store
        .oxigraph()
        .quads_for_pattern(Some(iri.as_ref().into()), predicate, None, None)
        .collect::<Result<_, _>>()?)
}

/// The quads whose object is `iri`, in every graph.
fn quads_to(store: &Store, iri: &NamedNode) -> Result<Vec<Quad>, EditError> {
    Ok(store
        .oxigraph()
        .quads_for_pattern(None, None, Some(iri.as_ref().into()), None)
        .collect::<Result<_, _>>()?)
}
