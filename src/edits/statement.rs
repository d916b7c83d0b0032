//! Creating and deleting a statement: the direct triple and the statement node together.

use std::collections::BTreeMap;
use std::sync::Arc;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, Term};

use super::{EditError, Plan, declared, entity_field, invalid, quads_about, quads_to, term_field};
use crate::catalog::{Catalog, Value, local_name};
use crate::model::{EntityId, is_day};
use crate::read_models::{ReadModels, Written};
use crate::shapes::{Shapes, Violation};
use crate::vocab::eg;

/// How firmly a statement is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Modality {
    /// Stated as fact (`eg:Asserted`).
    #[default]
    Asserted,
    /// Stated as possible (`eg:Possible`).
    Possible,
    /// Denied by its speaker (`eg:Denied`).
    Denied,
}

/// Whose voice a statement is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Attribution {
    /// The text attributes it to its speaker (`eg:AttributedInText`).
    #[default]
    AttributedInText,
    /// The publisher says it in its own voice (`eg:PublisherNarration`).
    PublisherNarration,
}

/// A statement to create: a triple with its provenance.
#[derive(Debug, Clone, Default)]
pub struct StatementEdit {
    /// The subject entity: uuid, label or alias.
    pub subject: String,
    /// An object property of the ontology (IRI or `eg:` local name).
    pub predicate: String,
    /// The object entity: uuid, label or alias.
    pub object: String,
    /// Qualifiers: property (IRI or `eg:` local name) → an entity (uuid, label, alias) or text.
    pub qualifiers: BTreeMap<String, String>,
    /// The source document: uuid, label or alias.
    pub source: String,
    /// Who said it: uuid, label or alias.
    pub speaker: String,
    /// When it was said, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The verbatim evidence quote.
    pub quote: String,
    /// Stated as fact or as possible.
    pub modality: Modality,
    /// Attributed in the text or the publisher's narration.
    pub attribution: Attribution,
    /// A note on the statement; by default one naming the speaker and the source.
    pub description: Option<String>,
}

/// The field of a statement edit behind a violation no inserted quad explains: on the
/// statement node, by its property; on the subject (once the direct triple is added to it),
/// the predicate's range is the object's business, anything else the predicate's.
fn field_of(statement: &str, predicate: &str, violation: &Violation) -> String {
    if violation.focus != statement {
        return if violation.path.as_deref() == Some(predicate) {
            "object".to_owned()
        } else {
            "predicate".to_owned()
        };
    }
    let Some(path) = violation.path.as_deref() else {
        return if violation.component == "PatternConstraintComponent" {
            "id".to_owned()
        } else {
            // The statement's one node-level constraint: it needs a date.
            "date".to_owned()
        };
    };
    let fields = [
        (rdf::SUBJECT, "subject"),
        (rdf::PREDICATE, "predicate"),
        (rdf::OBJECT, "object"),
        (rdfs::LABEL, "subject"),
        (rdfs::COMMENT, "description"),
        (eg::SOURCE, "source"),
        (eg::SPEAKER, "speaker"),
        (eg::QUOTE, "quote"),
        (eg::STATED_ON, "date"),
        (eg::MODALITY, "modality"),
        (eg::ATTRIBUTION, "attribution"),
    ];
    if let Some((_, field)) = fields.iter().find(|(p, _)| p.as_str() == path) {
        return (*field).to_owned();
    }
    if path.starts_with(eg::NAMESPACE) {
        return format!("qualifiers.{}", local_name(path));
    }
    "body".to_owned()
}

/// Creates the statement: the direct triple `subject predicate object` and the statement node
/// reifying it with its provenance, in one transaction; returns the statement's IRI.
///
/// # Errors
/// [`EditError::InvalidField`] naming the field that names no entity, no property of the
/// ontology, or a bad date or quote; [`EditError::ShapeViolation`] when the statement or its
/// subject would be out of shape.
pub fn create(
    models: &Arc<ReadModels>,
    shapes: &Shapes,
    edit: &StatementEdit,
) -> Result<Written<NamedNode>, EditError> {
    let statement = EntityId::new_random().iri();
    models.write(|store| {
        let view = models.read()?;
        let subject = entity_field(&view, store, "subject", &edit.subject)?;
        let predicate = term_field("predicate", &edit.predicate)?;
        if !declared(store, &predicate, &["ObjectProperty"])? {
            return Err(invalid(
                "predicate",
                format!(
                    "'{}' is not an object property of the ontology",
                    edit.predicate
                ),
            ));
        }
        let object = entity_field(&view, store, "object", &edit.object)?;
        let source = entity_field(&view, store, "source", &edit.source)?;
        let speaker = entity_field(&view, store, "speaker", &edit.speaker)?;
        if edit.quote.trim().is_empty() {
            return Err(invalid("quote", "a statement needs its verbatim quote"));
        }
        if let Some(date) = edit.date.as_deref().filter(|d| !is_day(d)) {
            return Err(invalid(
                "date",
                format!("'{date}' is not a date written YYYY-MM-DD"),
            ));
        }
        let mut qualifiers = Vec::with_capacity(edit.qualifiers.len());
        for (name, value) in &edit.qualifiers {
            let field = format!("qualifiers.{name}");
            let property = term_field(&field, name)?;
            if !declared(store, &property, &["ObjectProperty", "DatatypeProperty"])? {
                return Err(invalid(
                    field,
                    format!("'{name}' is not a property of the ontology"),
                ));
            }
            let value: Term = match view.resolve(store, value) {
                Ok(iri) => iri.into(),
                Err(_) => Literal::new_simple_literal(value.clone()).into(),
            };
            qualifiers.push((property, value, field));
        }
        drop(view);

        let catalog = Catalog::new(store);
        let label = format!(
            "Statement: {} — {} — {}",
            catalog.labelled(subject.as_ref())?.label,
            local_name(predicate.as_str()),
            catalog.labelled(object.as_ref())?.label
        );
        let description = match &edit.description {
            Some(description) => description.clone(),
            None => format!(
                "Reported by {} in {}.",
                catalog.labelled(speaker.as_ref())?.label,
                catalog.labelled(source.as_ref())?.label
            ),
        };
        let modality = match edit.modality {
            Modality::Asserted => eg::ASSERTED,
            Modality::Possible => eg::POSSIBLE,
            Modality::Denied => eg::DENIED,
        };
        let attribution = match edit.attribution {
            Attribution::AttributedInText => eg::ATTRIBUTED_IN_TEXT,
            Attribution::PublisherNarration => eg::PUBLISHER_NARRATION,
        };
        let english = |text: String| Literal::new_language_tagged_literal_unchecked(text, "en");
        let mut plan = Plan::default();
        plan.add(&subject, predicate.as_ref(), object.clone(), "object");
        plan.add(&statement, rdf::TYPE, eg::STATEMENT.into_owned(), "body");
        plan.add(&statement, rdfs::LABEL, english(label), "subject");
        plan.add(&statement, rdf::SUBJECT, subject.clone(), "subject");
        plan.add(&statement, rdf::PREDICATE, predicate.clone(), "predicate");
        plan.add(&statement, rdf::OBJECT, object, "object");
        plan.add(&statement, eg::SOURCE, source, "source");
        plan.add(&statement, eg::SPEAKER, speaker, "speaker");
        let quote = Literal::new_simple_literal(edit.quote.clone());
        plan.add(&statement, eg::QUOTE, quote, "quote");
        plan.add(
            &statement,
            rdfs::COMMENT,
            english(description),
            "description",
        );
        plan.add(&statement, eg::MODALITY, modality.into_owned(), "modality");
        plan.add(
            &statement,
            eg::ATTRIBUTION,
            attribution.into_owned(),
            "attribution",
        );
        if let Some(date) = &edit.date {
            let date = Literal::new_typed_literal(date, xsd::DATE);
            plan.add(&statement, eg::STATED_ON, date, "date");
        }
        for (property, value, field) in qualifiers {
            plan.add(&statement, property.as_ref(), value, field);
        }
        let (checked, checked_predicate) = (statement.as_str(), predicate.as_str());
        let change =
            plan.check_and_commit(store, shapes, &[statement.clone(), subject.clone()], |v| {
                field_of(checked, checked_predicate, v)
            })?;
        Ok((statement.clone(), change))
    })
}

/// Deletes the statement with this uuid, and its direct triple when no other statement
/// reports that triple; returns the statement's IRI.
///
/// # Errors
/// [`EditError::UnknownStatement`] when no statement has that id.
pub fn delete(models: &Arc<ReadModels>, id: EntityId) -> Result<Written<NamedNode>, EditError> {
    let iri = id.iri();
    models.write(|store| {
        let catalog = Catalog::new(store);
        let record =
            catalog
                .statement(iri.as_ref())?
                .ok_or_else(|| EditError::UnknownStatement {
                    key: id.to_string(),
                })?;
        let mut remove = quads_about(store, &iri, None)?;
        remove.extend(quads_to(store, &iri)?);
        if let (Some(subject), Some(predicate), Some(Value::Resource(object))) =
            (&record.subject, &record.predicate, &record.object)
        {
            let (s, p, o) = (
                NamedNode::new_unchecked(subject.iri.clone()),
                NamedNode::new_unchecked(predicate.iri.clone()),
                NamedNode::new_unchecked(object.iri.clone()),
            );
            let others = catalog.statements_about(s.as_ref(), p.as_ref(), o.as_ref().into())?;
            if others.iter().all(|other| *other == iri) {
                for quad in store.oxigraph().quads_for_pattern(
                    Some(s.as_ref().into()),
                    Some(p.as_ref()),
                    Some(o.as_ref().into()),
                    None,
                ) {
                    remove.push(quad?);
                }
            }
        }
        let change = store.apply_changes(&remove, &[])?;
        Ok((iri.clone(), change))
    })
}
