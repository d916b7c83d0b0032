//! Creating, changing and deleting an entity.

use std::sync::Arc;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode};

use super::{EditError, Plan, declared, invalid, quads_about, quads_to, subject_of, term_field};
use crate::model::EntityId;
use crate::read_models::{ReadModels, Written};
use crate::shapes::{Shapes, Violation};
use crate::vocab::skos;

/// The fields of an entity to create, or to replace on an existing one (`None` keeps them).
#[derive(Debug, Clone, Default)]
pub struct EntityEdit {
    /// The English label; required to create.
    pub label: Option<String>,
    /// Other names; replace the old ones.
    pub aliases: Option<Vec<String>>,
    /// Classes of the ontology (IRIs or `eg:` local names); replace the old ones.
    pub types: Option<Vec<String>>,
    /// A description.
    pub description: Option<String>,
}

impl EntityEdit {
    /// The quads of the fields given, about `iri`, after checking each field.
    fn plan(&self, store: &crate::store::Store, iri: &NamedNode) -> Result<Plan, EditError> {
        let mut plan = Plan::default();
        if let Some(label) = &self.label {
            if label.trim().is_empty() {
                return Err(invalid("label", "the label is empty"));
            }
            let label = Literal::new_language_tagged_literal_unchecked(label.trim(), "en");
            plan.add(iri, rdfs::LABEL, label, "label");
        }
        for (i, alias) in self.aliases.iter().flatten().enumerate() {
            if alias.trim().is_empty() {
                return Err(invalid(format!("aliases[{i}]"), "the alias is empty"));
            }
            let alias = Literal::new_language_tagged_literal_unchecked(alias.trim(), "en");
            plan.add(iri, skos::ALT_LABEL, alias, "aliases");
        }
        for (i, name) in self.types.iter().flatten().enumerate() {
            let field = format!("types[{i}]");
            let class = term_field(&field, name)?;
            if !declared(store, &class, &["Class"])? {
                return Err(invalid(
                    field,
                    format!("'{name}' is not a class of the ontology"),
                ));
            }
            plan.add(iri, rdf::TYPE, class, "types");
        }
        if let Some(description) = &self.description {
            let description = Literal::new_language_tagged_literal_unchecked(description, "en");
            plan.add(iri, rdfs::COMMENT, description, "description");
        }
        Ok(plan)
    }
}

/// The field of an entity edit behind a violation no inserted quad explains (a value the
/// shapes want and the edit does not give).
fn field_of(violation: &Violation) -> String {
    let field = match violation.path.as_deref() {
        Some(path) if path == rdfs::LABEL.as_str() => "label",
        Some(path) if path == skos::ALT_LABEL.as_str() => "aliases",
        Some(path) if path == rdfs::COMMENT.as_str() => "description",
        // What an entity must carry besides these depends on its types (an event's date).
        Some(_) => "types",
        None if violation.component == "PatternConstraintComponent" => "id",
        None => "types",
    };
    field.to_owned()
}

/// Creates an entity with a random uuid; returns its IRI.
///
/// # Errors
/// [`EditError::InvalidField`] for a missing label or a bad field,
/// [`EditError::ShapeViolation`] when the entity would be out of shape.
pub fn create(
    models: &Arc<ReadModels>,
    shapes: &Shapes,
    edit: &EntityEdit,
) -> Result<Written<NamedNode>, EditError> {
    if edit.label.is_none() {
        return Err(invalid("label", "a new entity needs a label"));
    }
    let iri = EntityId::new_random().iri();
    models.write(|store| {
        let plan = edit.plan(store, &iri)?;
        let change = plan.check_and_commit(store, shapes, std::slice::from_ref(&iri), field_of)?;
        Ok((iri.clone(), change))
    })
}

/// Replaces the fields `edit` gives on the entity `key` names (uuid, label or alias); returns
/// its IRI.
///
/// # Errors
/// [`EditError::UnknownEntity`], [`EditError::Ambiguous`], a bad field, or a shape violation.
pub fn update(
    models: &Arc<ReadModels>,
    shapes: &Shapes,
    key: &str,
    edit: &EntityEdit,
) -> Result<Written<NamedNode>, EditError> {
    models.write(|store| {
        let iri = subject_of(&*models.read()?, store, key)?;
        let mut plan = edit.plan(store, &iri)?;
        let replaced = [
            (edit.label.is_some(), rdfs::LABEL),
            (edit.aliases.is_some(), skos::ALT_LABEL),
            (edit.types.is_some(), rdf::TYPE),
            (edit.description.is_some(), rdfs::COMMENT),
        ];
        for (given, predicate) in replaced {
            if given {
                plan.remove
                    .extend(quads_about(store, &iri, Some(predicate))?);
            }
        }
        let change = plan.check_and_commit(store, shapes, std::slice::from_ref(&iri), field_of)?;
        Ok((iri, change))
    })
}

/// Deletes the entity `key` names: every triple about it or pointing to it, and every statement
/// that reports one of its relations (with what points to those statements).
///
/// # Errors
/// [`EditError::UnknownEntity`] or [`EditError::Ambiguous`].
pub fn delete(models: &Arc<ReadModels>, key: &str) -> Result<Written<NamedNode>, EditError> {
    models.write(|store| {
        let iri = subject_of(&*models.read()?, store, key)?;
        let mut remove = quads_about(store, &iri, None)?;
        remove.extend(quads_to(store, &iri)?);
        for statement in statements_mentioning(store, &iri)? {
            remove.extend(quads_about(store, &statement, None)?);
            remove.extend(quads_to(store, &statement)?);
        }
        let change = store.apply_changes(&remove, &[])?;
        Ok((iri, change))
    })
}

/// The statement nodes that reify a triple with `iri` as subject or object.
fn statements_mentioning(
    store: &crate::store::Store,
    iri: &NamedNode,
) -> Result<Vec<NamedNode>, EditError> {
    let mut statements = Vec::new();
    for predicate in [rdf::SUBJECT, rdf::OBJECT] {
        for quad in store.oxigraph().quads_for_pattern(
            None,
            Some(predicate),
            Some(iri.as_ref().into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if !statements.contains(&node) {
                    statements.push(node);
                }
            }
        }
    }
    Ok(statements)
}
