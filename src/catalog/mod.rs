//! Read models over the store: entities, their relations with provenance, statements, events.
//!
//! What the REST API shows of a resource is assembled here from the triples of
//! the store (the union of all graphs, the ontology graph included for the
//! labels of predicates and classes): an [`Entity`] with its labels, aliases,
//! types and literal properties; its [`Relation`]s, each with the
//! [`StatementRecord`] that reports it (qualifiers, sources, speaker, date,
//! quote, confirmations); and the timeline of [`EventRecord`]s. Search over
//! labels and aliases lives in [`search`]. This module only reads, and knows
//! nothing of HTTP; traversals are the projection's (`graph`).

pub mod events;
pub mod search;
pub mod subgraph;

use std::collections::BTreeSet;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
};
use oxigraph::store::StorageError;

use crate::model::EntityId;
use crate::store::Store;
use crate::vocab::{eg, skos};

/// Errors of reading the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The store could not be read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A SPARQL read failed.
    #[error(transparent)]
    Sparql(#[from] crate::sparql::SparqlError),
}

/// An IRI with what a person reads for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Labelled {
    /// The IRI.
    pub iri: String,
    /// The uuid, for IRIs under the id base.
    pub id: Option<EntityId>,
    /// The English label, else any label, else the IRI's last segment.
    pub label: String,
}

/// A literal value as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralValue {
    /// The lexical form.
    pub value: String,
    /// The datatype IRI.
    pub datatype: String,
    /// The language tag, for language-tagged strings.
    pub language: Option<String>,
}

/// The object of a property: a resource or a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An IRI, with its label.
    Resource(Labelled),
    /// A literal.
    Literal(LiteralValue),
}

/// One property of a resource with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyValue {
    /// The predicate.
    pub predicate: Labelled,
    /// The value.
    pub value: Value,
}

/// An entity (or event, or any resource) as the REST API shows it.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The resource.
    pub resource: Labelled,
    /// Its `skos:altLabel`s.
    pub aliases: Vec<String>,
    /// Its `rdf:type`s.
    pub types: Vec<Labelled>,
    /// Its `rdfs:comment`.
    pub description: Option<String>,
    /// Every other literal property.
    pub properties: Vec<PropertyValue>,
}

/// Which way a relation points from the entity asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    /// The entity is the subject.
    Out,
    /// The entity is the object.
    In,
}

/// One relation of an entity, with the statement that reports it (if any).
#[derive(Debug, Clone)]
pub struct Relation {
    /// The predicate.
    pub predicate: Labelled,
    /// Which way it points.
    pub direction: Direction,
    /// The entity at the other end, with its types.
    pub entity: Labelled,
    /// The other end's types.
    pub entity_types: Vec<Labelled>,
    /// The statement reporting this triple; `None` for a triple no statement reports.
    pub statement: Option<StatementRecord>,
}

/// A statement with its full provenance.
#[derive(Debug, Clone)]
pub struct StatementRecord {
    /// The statement node.
    pub resource: Labelled,
    /// What the statement says: subject, predicate, object.
    pub subject: Option<Labelled>,
    /// The predicate of the triple.
    pub predicate: Option<Labelled>,
    /// The object of the triple.
    pub object: Option<Value>,
    /// Every other property of the statement: the intermediary of a contact, notes, ...
    pub qualifiers: Vec<PropertyValue>,
    /// The source documents.
    pub sources: Vec<Labelled>,
    /// Who said it.
    pub speakers: Vec<Labelled>,
    /// When it was said (`xsd:date` lexical form), when known.
    pub date: Option<String>,
    /// The earliest date it can have been said.
    pub date_not_before: Option<String>,
    /// The latest date it can have been said.
    pub date_not_after: Option<String>,
    /// The verbatim evidence quote.
    pub quote: Option<String>,
    /// The statements confirming this one.
    pub confirmed_by: Vec<Confirmation>,
    /// The statements this one confirms.
    pub confirms: Vec<Labelled>,
}

/// A statement confirming another, in short.
#[derive(Debug, Clone)]
pub struct Confirmation {
    /// The confirming statement.
    pub statement: Labelled,
    /// Who confirmed.
    pub speakers: Vec<Labelled>,
    /// Their words.
    pub quote: Option<String>,
    /// When.
    pub date: Option<String>,
}

/// Predicates a statement record shows in fields of their own rather than as qualifiers.
const STATEMENT_FIELDS: &[NamedNodeRef<'static>] = &[
    rdf::TYPE,
    rdfs::LABEL,
    rdfs::COMMENT,
    rdf::SUBJECT,
    rdf::PREDICATE,
    rdf::OBJECT,
    eg::SOURCE,
    eg::SPEAKER,
    eg::STATED_ON,
    eg::STATED_NOT_BEFORE,
    eg::STATED_NOT_AFTER,
    eg::QUOTE,
    eg::CONFIRMED_BY,
    eg::CONFIRMS,
];

/// Reads from one store.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    store: &'a Store,
}

impl<'a> Catalog<'a> {
    /// A catalog over `store`.
    pub fn new(store: &'a Store) -> Self {
        Self { store }
    }

    pub(crate) fn objects(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, CatalogError> {
        let mut objects: Vec<Term> = self
            .store
            .oxigraph()
            .quads_for_pattern(Some(subject.into()), Some(predicate), None, None)
            .map(|quad| quad.map(|q| q.object))
            .collect::<Result<_, _>>()?;
        in_display_order(&mut objects);
        Ok(objects)
    }

    fn first_literal(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Option<String>, CatalogError> {
        Ok(self
            .objects(subject, predicate)?
            .into_iter()
            .find_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            }))
    }

    /// Whether the store says anything about `iri` as a subject.
    pub fn exists(&self, iri: NamedNodeRef<'_>) -> Result<bool, CatalogError> {
        Ok(self
            .store
            .oxigraph()
            .quads_for_pattern(Some(iri.into()), None, None, None)
            .next()
            .transpose()?
            .is_some())
    }

    /// The IRI with its English label (else any label, else its last segment).
    pub fn labelled(&self, iri: NamedNodeRef<'_>) -> Result<Labelled, CatalogError> {
        let labels = self.objects(iri, rdfs::LABEL)?;
        Ok(Labelled {
            iri: iri.as_str().to_owned(),
            id: EntityId::from_iri(iri.as_str()),
            label: display_label(iri.as_str(), &labels),
        })
    }

    pub(crate) fn labelled_all(&self, terms: Vec<Term>) -> Result<Vec<Labelled>, CatalogError> {
        terms
            .iter()
            .filter_map(|term| match term {
                Term::NamedNode(node) => Some(self.labelled(node.as_ref())),
                _ => None,
            })
            .collect()
    }

    fn value(&self, term: TermRef<'_>) -> Result<Value, CatalogError> {
        Ok(match term {
            TermRef::NamedNode(node) => Value::Resource(self.labelled(node)?),
            TermRef::Literal(literal) => Value::Literal(LiteralValue {
                value: literal.value().to_owned(),
                datatype: literal.datatype().as_str().to_owned(),
                language: literal.language().map(str::to_owned),
            }),
            other => Value::Literal(LiteralValue {
                value: other.to_string(),
                datatype: "http://www.w3.org/2001/XMLSchema#string".to_owned(),
                language: None,
            }),
        })
    }

    /// The entity named `iri`, or `None` when the store says nothing about it.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn entity(&self, iri: NamedNodeRef<'_>) -> Result<Option<Entity>, CatalogError> {
        if !self.exists(iri)? {
            return Ok(None);
        }
        let mut aliases: Vec<String> = self
            .objects(iri, skos::ALT_LABEL)?
            .into_iter()
            .filter_map(|term| match term {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        aliases.sort();
        aliases.dedup();
        let mut properties = Vec::new();
        for quad in self
            .store
            .oxigraph()
            .quads_for_pattern(Some(iri.into()), None, None, None)
        {
            let quad = quad?;
            let skip = [
                rdfs::LABEL,
                rdfs::COMMENT,
                skos::ALT_LABEL,
                skos::HIDDEN_LABEL,
            ];
            if let Term::Literal(_) = quad.object {
                if !skip.contains(&quad.predicate.as_ref()) {
                    properties.push(PropertyValue {
                        predicate: self.labelled(quad.predicate.as_ref())?,
                        value: self.value(quad.object.as_ref())?,
                    });
                }
            }
        }
        properties.sort_by(|a, b| a.predicate.iri.cmp(&b.predicate.iri));
        properties.dedup();
        Ok(Some(Entity {
            resource: self.labelled(iri)?,
            aliases,
            types: self.labelled_all(self.objects(iri, rdf::TYPE)?)?,
            description: self.first_literal(iri, rdfs::COMMENT)?,
            properties,
        }))
    }

    /// Whether `iri` is a statement node.
    pub fn is_statement(&self, iri: NamedNodeRef<'_>) -> Result<bool, CatalogError> {
        Ok(self
            .objects(iri, rdf::TYPE)?
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == eg::STATEMENT)))
    }

    /// The statements that reify the triple `subject predicate object`.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statements_about(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<Vec<NamedNode>, CatalogError> {
        let mut statements = Vec::new();
        for quad in self.store.oxigraph().quads_for_pattern(
            None,
            Some(rdf::SUBJECT),
            Some(subject.into()),
            None,
        ) {
            let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
                continue;
            };
            let says_predicate = self
                .objects(node.as_ref(), rdf::PREDICATE)?
                .iter()
                .any(|t| t.as_ref() == TermRef::from(predicate));
            let says_object = self
                .objects(node.as_ref(), rdf::OBJECT)?
                .iter()
                .any(|t| t.as_ref() == object);
            if says_predicate && says_object && !statements.contains(&node) {
                statements.push(node);
            }
        }
        statements.sort();
        Ok(statements)
    }

    /// The statement `iri` with its full provenance, or `None` when it is not a statement.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn statement(
        &self,
        iri: NamedNodeRef<'_>,
    ) -> Result<Option<StatementRecord>, CatalogError> {
        if !self.is_statement(iri)? {
            return Ok(None);
        }
        let single = |predicate| -> Result<Option<Term>, CatalogError> {
            Ok(self.objects(iri, predicate)?.into_iter().next())
        };
        let resource_of = |term: Option<Term>| -> Result<Option<Labelled>, CatalogError> {
            match term {
                Some(Term::NamedNode(node)) => Ok(Some(self.labelled(node.as_ref())?)),
                _ => Ok(None),
            }
        };
        let mut qualifiers = Vec::new();
        for quad in self
            .store
            .oxigraph()
            .quads_for_pattern(Some(iri.into()), None, None, None)
        {
            let quad = quad?;
            if !STATEMENT_FIELDS.contains(&quad.predicate.as_ref()) {
                qualifiers.push(PropertyValue {
                    predicate: self.labelled(quad.predicate.as_ref())?,
                    value: self.value(quad.object.as_ref())?,
                });
            }
        }
        qualifiers.sort_by(|a, b| {
            (a.predicate.iri.as_str(), format!("{:?}", a.value))
                .cmp(&(b.predicate.iri.as_str(), format!("{:?}", b.value)))
        });
        qualifiers.dedup();
        let mut confirmed_by = Vec::new();
        for term in self.objects(iri, eg::CONFIRMED_BY)? {
            if let Term::NamedNode(node) = term {
                confirmed_by.push(Confirmation {
                    statement: self.labelled(node.as_ref())?,
                    speakers: self.labelled_all(self.objects(node.as_ref(), eg::SPEAKER)?)?,
                    quote: self.first_literal(node.as_ref(), eg::QUOTE)?,
                    date: self.first_literal(node.as_ref(), eg::STATED_ON)?,
                });
            }
        }
        Ok(Some(StatementRecord {
            resource: self.labelled(iri)?,
            subject: resource_of(single(rdf::SUBJECT)?)?,
            predicate: resource_of(single(rdf::PREDICATE)?)?,
            object: single(rdf::OBJECT)?
                .map(|term| self.value(term.as_ref()))
                .transpose()?,
            qualifiers,
            sources: self.labelled_all(self.objects(iri, eg::SOURCE)?)?,
            speakers: self.labelled_all(self.objects(iri, eg::SPEAKER)?)?,
            date: self.first_literal(iri, eg::STATED_ON)?,
            date_not_before: self.first_literal(iri, eg::STATED_NOT_BEFORE)?,
            date_not_after: self.first_literal(iri, eg::STATED_NOT_AFTER)?,
            quote: self.first_literal(iri, eg::QUOTE)?,
            confirmed_by,
            confirms: self.labelled_all(self.objects(iri, eg::CONFIRMS)?)?,
        }))
    }

    /// Every relation between `iri` and another resource under the id base (statements and
    /// `rdf:type` left out), one per reporting statement, in a stable order.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn relations(
        &self,
        iri: NamedNodeRef<'_>,
        directions: &[Direction],
    ) -> Result<Vec<Relation>, CatalogError> {
        let mut triples = BTreeSet::new();
        if directions.contains(&Direction::Out) {
            for quad in self
                .store
                .oxigraph()
                .quads_for_pattern(Some(iri.into()), None, None, None)
            {
                let quad = quad?;
                if let Term::NamedNode(object) = &quad.object {
                    triples.insert((Direction::Out, quad.predicate.clone(), object.clone()));
                }
            }
        }
        if directions.contains(&Direction::In) {
            for quad in self
                .store
                .oxigraph()
                .quads_for_pattern(None, None, Some(iri.into()), None)
            {
                let quad = quad?;
                if let NamedOrBlankNodeRef::NamedNode(subject) = quad.subject.as_ref() {
                    triples.insert((Direction::In, quad.predicate.clone(), subject.into_owned()));
                }
            }
        }
        let mut relations = Vec::new();
        for (direction, predicate, other) in triples {
            let reifying = [
                rdf::TYPE,
                rdf::SUBJECT,
                rdf::OBJECT,
                rdf::PREDICATE,
                eg::SOURCE,
                eg::SPEAKER,
                eg::CONFIRMED_BY,
                eg::CONFIRMS,
            ];
            if reifying.contains(&predicate.as_ref())
                || EntityId::from_iri(other.as_str()).is_none()
                || self.is_statement(other.as_ref())?
            {
                continue;
            }
            let (subject, object) = match direction {
                Direction::Out => (iri, other.as_ref()),
                Direction::In => (other.as_ref(), iri),
            };
            let statements = self.statements_about(subject, predicate.as_ref(), object.into())?;
            let entity = self.labelled(other.as_ref())?;
            let entity_types = self.labelled_all(self.objects(other.as_ref(), rdf::TYPE)?)?;
            let predicate_labelled = self.labelled(predicate.as_ref())?;
            if statements.is_empty() {
                relations.push(Relation {
                    predicate: predicate_labelled,
                    direction,
                    entity,
                    entity_types,
                    statement: None,
                });
                continue;
            }
            for statement in statements {
                relations.push(Relation {
                    predicate: predicate_labelled.clone(),
                    direction,
                    entity: entity.clone(),
                    entity_types: entity_types.clone(),
                    statement: self.statement(statement.as_ref())?,
                });
            }
        }
        Ok(relations)
    }
}

/// Puts the objects of one subject and predicate in the order the read models show them: by
/// their N-Triples form, each once. Every read of labels, aliases and types goes through here,
/// so that the search index built in bulk and the catalog read resource by resource agree.
pub(crate) fn in_display_order(terms: &mut Vec<Term>) {
    terms.sort_by_key(|term| term.to_string());
    terms.dedup();
}

/// What a person reads for `iri`, given its `rdfs:label` objects in display order
/// ([`in_display_order`]): the first English label (`@en`, `@en-GB`, ...), else the first
/// literal label, else the IRI's last segment.
pub(crate) fn display_label(iri: &str, labels: &[Term]) -> String {
    let pick = |english: bool| {
        labels.iter().find_map(|term| match term {
            Term::Literal(l) if !english || l.language().is_some_and(|t| t.starts_with("en")) => {
                Some(l.value().to_owned())
            }
            _ => None,
        })
    };
    pick(true)
        .or_else(|| pick(false))
        .unwrap_or_else(|| local_name(iri).to_owned())
}

pub use crate::vocab::local_name;

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Store {
        crate::store::seed::seeded_in_memory()
    }

    #[test]
    fn the_contact_relation_carries_its_intermediary_source_speaker_and_confirmation() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let us = EntityId::from_canonical_name("United States").iri();
        let relations = catalog.relations(us.as_ref(), &[Direction::Out]).unwrap();
        let contacts: Vec<&Relation> = relations
            .iter()
            .filter(|r| r.predicate.iri == eg::CONTACTS_VIA.as_str() && r.entity.label == "Hamas")
            .collect();
        assert_eq!(
            contacts.len(),
            3,
            "the source's two statements and the ministry's confirmation report the contact"
        );
        let (confirmations, reports): (Vec<&Relation>, Vec<&Relation>) = contacts
            .into_iter()
            .partition(|r| !r.statement.as_ref().unwrap().confirms.is_empty());
        assert_eq!(
            confirmations[0].statement.as_ref().unwrap().speakers[0].label,
            "Russian Foreign Ministry"
        );
        let intermediaries: Vec<String> = reports
            .iter()
            .flat_map(|r| r.statement.as_ref().unwrap().qualifiers.iter())
            .filter(|q| q.predicate.iri == eg::INTERMEDIARY.as_str())
            .filter_map(|q| match &q.value {
                Value::Resource(r) => Some(r.label.clone()),
                Value::Literal(_) => None,
            })
            .collect();
        assert!(
            intermediaries.contains(&"Qatar".to_owned()),
            "{intermediaries:?}"
        );
        for relation in reports {
            let statement = relation.statement.as_ref().unwrap();
            assert_eq!(statement.speakers[0].label, "Diplomatic source in Doha");
            assert_eq!(statement.sources.len(), 1);
            assert_eq!(
                statement.confirmed_by[0].speakers[0].label,
                "Russian Foreign Ministry"
            );
            assert_eq!(
                statement.confirmed_by[0].quote.as_deref(),
                Some("This is true")
            );
        }
    }

    #[test]
    fn an_entity_has_its_label_aliases_types_and_description() {
        let store = seeded();
        let idf = EntityId::from_canonical_name("Israel Defense Forces").iri();
        let entity = Catalog::new(&store).entity(idf.as_ref()).unwrap().unwrap();
        assert_eq!(entity.resource.label, "Israel Defense Forces");
        assert!(
            entity.aliases.contains(&"IDF".to_owned()),
            "{:?}",
            entity.aliases
        );
        assert!(
            entity.types.iter().any(|t| t.iri.ends_with("#ArmedForce")),
            "{:?}",
            entity.types
        );
        assert!(entity.description.is_some());
        assert!(
            Catalog::new(&store)
                .entity(EntityId::from_canonical_name("Nobody").iri().as_ref())
                .unwrap()
                .is_none()
        );
    }
}
