//! Checking writes against the SHACL shapes of `ontology/shapes.ttl`, with rudof's SHACL engine.
//!
//! [`Shapes::compiled`] parses and compiles the shapes once (they are embedded in the binary,
//! like the ontology). [`Shapes::check`] validates what the store *would* hold about a few
//! resources after a write — the write itself is not applied — and reports the violations
//! whose focus node is one of those resources. The data graph it validates is small and
//! built for the purpose: every triple about each resource (in any graph) as it would be
//! after the write, the `rdf:type`s of the resources they point to (for `sh:class`), and the
//! ontology's `rdfs:subClassOf` triples (so that `sh:targetClass eg:Actor` reaches a
//! `eg:Person`, and `sh:class eg:Actor` accepts one, as SHACL's "instance of" says).
//!
//! The engine is rudof's native one, for SHACL Core. The shapes' SPARQL-based constraints
//! (`sh:sparql`: a direct triple has its statement, a statement's triple is asserted,
//! confirmations are linked both ways) are not evaluated here: they span resources beyond
//! the ones written, and the REST writes keep them by construction (a statement and its direct
//! triple are written and deleted together). The test suite checks the whole seed against
//! every shape, SPARQL ones included, with pySHACL.
//!
//! This module reads the store and never writes it; the caller writes if the check passes.

use std::collections::HashSet;
use std::fmt;
use std::io::Cursor;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Quad, Term, Triple};
use oxigraph::store::StorageError;
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_core::{RDFFormat, SHACLPath};
use rudof_rdf::rdf_impl::{OxigraphInMemory, ReaderMode};
use shacl::ir::IRSchema;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::store::{Graph, ShaclDataManager};
use shacl::validator::{ShaclConfig, ShaclValidationMode};

use crate::store::Store;
use crate::store::seed::SHAPES;
use crate::vocab;

/// Errors of checking against the shapes.
#[derive(Debug, thiserror::Error)]
pub enum ShapesError {
    /// The data does not conform; each violation names its resource and property.
    #[error("{}", describe(.0))]
    Violations(Vec<Violation>),
    /// The store could not be read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The SHACL engine failed (the shapes do not compile, or validation broke down).
    #[error("the SHACL engine failed: {0}")]
    Engine(String),
}

fn describe(violations: &[Violation]) -> String {
    let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
    format!(
        "the data does not conform to the shapes: {}",
        listed.join("; ")
    )
}

/// One SHACL validation result about a checked resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The resource that violates a shape.
    pub focus: String,
    /// The property at fault (the IRI of the shape's `sh:path`), when it is a simple one;
    /// `None` for a constraint on the resource itself (its IRI's form, `sh:or` of paths).
    pub path: Option<String>,
    /// The constraint component, e.g. `MinCountConstraintComponent`.
    pub component: String,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// What the shape wants, in words.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "<{path}> {}", self.message)?,
            None => write!(f, "{}", self.message)?,
        }
        if let Some(value) = &self.value {
            write!(f, " (value {value})")?;
        }
        Ok(())
    }
}

/// The compiled shapes.
pub struct Shapes {
    /// `ontology/shapes.ttl`, compiled by rudof once, shared by every check.
    schema: IRSchema,
}

impl fmt::Debug for Shapes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shapes").finish_non_exhaustive()
    }
}

impl Shapes {
    /// Compiles the shapes embedded in the binary.
    ///
    /// # Errors
    /// [`ShapesError::Engine`] when rudof cannot parse or compile them.
    pub fn compiled() -> Result<Self, ShapesError> {
        let schema = ShaclDataManager::load(
            &mut Cursor::new(SHAPES),
            "ontology/shapes.ttl",
            &RDFFormat::Turtle,
            None,
        )
        .map_err(|e| ShapesError::Engine(e.to_string()))?;
        Ok(Self { schema })
    }

    /// Checks that `focus` conform to the shapes once `remove` is removed from the store and
    /// `insert` inserted (the store itself is not changed).
    ///
    /// Only violations the write introduces count: a resource that was already out of shape
    /// (written by SPARQL Update, which is not checked) does not block a write that leaves
    /// that violation as it was.
    ///
    /// # Errors
    /// [`ShapesError::Violations`] with every violation, introduced by the write, whose focus
    /// node is in `focus`.
    pub fn check(
        &self,
        store: &Store,
        remove: &[Quad],
        insert: &[Quad],
        focus: &[NamedNode],
    ) -> Result<(), ShapesError> {
        let mut violations = self.violations(store, remove, insert, focus)?;
        if !violations.is_empty() {
            let before = self.violations(store, &[], &[], focus)?;
            violations.retain(|v| !before.contains(v));
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ShapesError::Violations(violations))
        }
    }

    /// The violations of `focus` after the write, sorted.
    fn violations(
        &self,
        store: &Store,
        remove: &[Quad],
        insert: &[Quad],
        focus: &[NamedNode],
    ) -> Result<Vec<Violation>, ShapesError> {
        let after = After {
            store,
            remove: remove.iter().collect(),
            insert,
        };
        let mut data: HashSet<Triple> = HashSet::new();
        for resource in focus {
            let triples = after.triples_of(resource.as_ref(), None)?;
            for triple in &triples {
                if let Term::NamedNode(object) = &triple.object {
                    data.extend(after.triples_of(object.as_ref(), Some(rdf::TYPE))?);
                }
            }
            data.extend(triples);
        }
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(rdfs::SUB_CLASS_OF),
            None,
            Some(GraphNameRef::NamedNode(vocab::graph::ONTOLOGY)),
        ) {
            data.insert(Triple::from(quad?));
        }

        let mut ntriples = Vec::new();
        let mut serializer =
            RdfSerializer::from_format(RdfFormat::NTriples).for_writer(&mut ntriples);
        for triple in &data {
            serializer
                .serialize_triple(triple)
                .map_err(|e| ShapesError::Engine(e.to_string()))?;
        }
        serializer
            .finish()
            .map_err(|e| ShapesError::Engine(e.to_string()))?;
        let graph = OxigraphInMemory::from_reader(
            &mut ntriples.as_slice(),
            "write",
            &RDFFormat::NTriples,
            None,
            &ReaderMode::Strict,
        )
        .map_err(|e| ShapesError::Engine(e.to_string()))?;
        let report = GraphValidation::new(Graph::from(graph))
            .validate(
                &self.schema,
                &ShaclValidationMode::Native,
                &ShaclConfig::default(),
            )
            .map_err(|e| ShapesError::Engine(e.to_string()))?;

        let focus: HashSet<&str> = focus.iter().map(NamedNode::as_str).collect();
        let mut violations: Vec<Violation> = report
            .results()
            .iter()
            .filter_map(|result| {
                let Object::Iri(node) = result.focus_node() else {
                    return None;
                };
                if !focus.contains(node.as_str()) {
                    return None;
                }
                let component =
                    crate::catalog::local_name(&result.constraint_component().to_string())
                        .to_owned();
                let path = match result.path() {
                    Some(SHACLPath::Predicate { pred }) => Some(pred.as_str().to_owned()),
                    _ => None,
                };
                Some(Violation {
                    focus: node.as_str().to_owned(),
                    message: explain(&component, path.is_some()),
                    path,
                    component,
                    value: result.value().map(ToString::to_string),
                })
            })
            .collect();
        violations.sort_by(|a, b| {
            (&a.focus, &a.path, &a.component).cmp(&(&b.focus, &b.path, &b.component))
        });
        violations.dedup();
        Ok(violations)
    }
}

/// The store as it would be after a write, for the triples of one resource.
struct After<'a> {
    store: &'a Store,
    remove: HashSet<&'a Quad>,
    insert: &'a [Quad],
}

impl After<'_> {
    /// The triples with `subject` (and `predicate`, when given) in any graph, after the write.
    fn triples_of(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: Option<NamedNodeRef<'_>>,
    ) -> Result<Vec<Triple>, StorageError> {
        let mut triples = Vec::new();
        for quad in
            self.store
                .oxigraph()
                .quads_for_pattern(Some(subject.into()), predicate, None, None)
        {
            let quad = quad?;
            if !self.remove.contains(&quad) {
                triples.push(Triple::from(quad));
            }
        }
        triples.extend(
            self.insert
                .iter()
                .filter(|q| {
                    q.subject.as_ref() == subject.into()
                        && predicate.is_none_or(|p| q.predicate.as_ref() == p)
                })
                .map(|q| Triple::from(q.clone())),
        );
        Ok(triples)
    }
}

/// A constraint component, in words.
fn explain(component: &str, on_property: bool) -> String {
    let what = match component {
        "MinCountConstraintComponent" => "is required (too few values)",
        "MaxCountConstraintComponent" => "has too many values",
        "DatatypeConstraintComponent" => "has a value of the wrong datatype",
        "ClassConstraintComponent" => "has a value that is not of the class the shapes require",
        "NodeKindConstraintComponent" => "has a value of the wrong kind (IRI, literal)",
        "PatternConstraintComponent" => "does not match the form the shapes require",
        "InConstraintComponent" => "has a value that is not one of those allowed",
        "LanguageInConstraintComponent" => "has a value in a language not allowed",
        "MinLengthConstraintComponent" => "has a value that is too short",
        "MaxLengthConstraintComponent" => "has a value that is too long",
        "OrConstraintComponent" => "matches none of the forms the shapes allow",
        "QualifiedMinCountConstraintComponent" => "has no value of the form the shapes require",
        other => return format!("violates {other}"),
    };
    if on_property {
        what.to_owned()
    } else {
        format!("resource {what}")
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::Literal;

    use super::*;
    use crate::model::EntityId;
    use crate::vocab::eg;

    fn seeded() -> Store {
        crate::store::seed::seeded_in_memory()
    }

    fn quad(subject: &NamedNode, predicate: NamedNodeRef<'_>, object: impl Into<Term>) -> Quad {
        Quad::new(
            subject.clone(),
            predicate,
            object,
            GraphNameRef::DefaultGraph,
        )
    }

    #[test]
    fn a_new_person_with_label_and_comment_conforms_and_one_without_a_comment_does_not() {
        let shapes = Shapes::compiled().unwrap();
        let store = seeded();
        let person = EntityId::new_random().iri();
        let mut insert = vec![
            quad(&person, rdf::TYPE, eg::PERSON.into_owned()),
            quad(
                &person,
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked("A. Person", "en"),
            ),
        ];
        let Err(ShapesError::Violations(violations)) =
            shapes.check(&store, &[], &insert, std::slice::from_ref(&person))
        else {
            panic!("a person without rdfs:comment passed");
        };
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].path.as_deref(), Some(rdfs::COMMENT.as_str()));
        assert_eq!(violations[0].component, "MinCountConstraintComponent");

        insert.push(quad(
            &person,
            rdfs::COMMENT,
            Literal::new_simple_literal("Someone."),
        ));
        shapes
            .check(&store, &[], &insert, std::slice::from_ref(&person))
            .unwrap();
    }

    #[test]
    fn removing_a_required_label_is_a_violation_the_write_introduces() {
        let shapes = Shapes::compiled().unwrap();
        let store = seeded();
        let qatar = EntityId::from_canonical_name("Qatar").iri();
        let labels: Vec<Quad> = store
            .oxigraph()
            .quads_for_pattern(Some(qatar.as_ref().into()), Some(rdfs::LABEL), None, None)
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!labels.is_empty());
        shapes
            .check(&store, &[], &[], std::slice::from_ref(&qatar))
            .unwrap();
        let Err(ShapesError::Violations(violations)) =
            shapes.check(&store, &labels, &[], std::slice::from_ref(&qatar))
        else {
            panic!("removing Qatar's label passed");
        };
        assert!(
            violations
                .iter()
                .any(|v| v.path.as_deref() == Some(rdfs::LABEL.as_str())),
            "{violations:?}"
        );
    }
}
