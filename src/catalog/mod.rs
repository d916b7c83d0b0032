//! Read models over the store: entities, their relations with provenance, statements, events.
//!
//! What the REST API shows of a resource is assembled here from the triples of
//! the store (the union of all graphs, the ontology graph included for the
//! labels of predicates and classes): an [`Entity`] with its labels, aliases,
//! types and literal properties; its [`Relation`]s a page at a time
//! ([`relations`]), each with the [`StatementRecord`]s that report it
//! (qualifiers, sources, speaker, date, quote, confirmations); and the timeline
//! of [`EventRecord`](events::EventRecord)s. Search over labels and aliases
//! lives in [`search`]. Labels the caller already holds (the projection holds
//! its nodes') can be handed in ([`Catalog::with_labels`]) so that they are not
//! read again. This module only reads, and knows nothing of HTTP; traversals
//! are the projection's (`graph`).

pub mod cache;
pub mod claims;
pub mod events;
pub mod figures;
pub mod relations;
pub mod search;
pub mod subgraph;

pub use self::relations::{
    Candidate, PageRequest, Reified, Relation, RelationKey, RelationPage, TripleEnd,
};

use std::sync::{Arc, Mutex};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef};
use oxigraph::store::StorageError;
use rustc_hash::FxHashMap;

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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// The entity is the subject.
    Out,
    /// The entity is the object.
    In,
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

/// Labels a caller already holds, so that the catalog need not read them from the store.
pub trait KnownLabels {
    /// The label of `iri` (English, as [`Catalog::labelled`] picks it), if known.
    fn label(&self, iri: NamedNodeRef<'_>) -> Option<String>;
}

impl<F: Fn(NamedNodeRef<'_>) -> Option<String>> KnownLabels for F {
    fn label(&self, iri: NamedNodeRef<'_>) -> Option<String> {
        self(iri)
    }
}

/// Reads from one store.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    store: &'a Store,
    /// Labels taken before the store's; the projection holds those of its nodes, in memory.
    labels: Option<&'a (dyn KnownLabels + Sync)>,
    /// Labels already read from the store by this batch of reads.
    memo: Option<&'a LabelMemo>,
    /// Statement records and reifying statements kept across reads.
    cache: Option<&'a cache::ReadCache>,
}

impl<'a> Catalog<'a> {
    /// A catalog over `store`.
    pub fn new(store: &'a Store) -> Self {
        Self {
            store,
            labels: None,
            memo: None,
            cache: None,
        }
    }

    /// The same catalog, taking statements from `cache` and keeping there what it reads of
    /// them (see [`cache`] for how a write drops what it touched).
    pub fn with_cache(self, cache: &'a cache::ReadCache) -> Self {
        Self {
            cache: Some(cache),
            ..self
        }
    }

    /// The same catalog, taking the labels `labels` knows from there rather than the store.
    pub fn with_labels(self, labels: &'a (dyn KnownLabels + Sync)) -> Self {
        Self {
            labels: Some(labels),
            ..self
        }
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

    /// The IRI with its English label (else any label, else its last segment): from the labels
    /// handed in ([`Catalog::with_labels`]) when they know it, else from the cache, else from the
    /// store.
    pub fn labelled(&self, iri: NamedNodeRef<'_>) -> Result<Labelled, CatalogError> {
        let known = self.labels.and_then(|known| known.label(iri)).or_else(|| {
            let memo = self.memo?.0.lock().ok()?;
            memo.get(iri.as_str()).cloned()
        });
        if let Some(label) = known {
            return Ok(Labelled {
                iri: iri.as_str().to_owned(),
                id: EntityId::from_iri(iri.as_str()),
                label,
            });
        }
        if let Some(label) = self.cache.and_then(|cache| cache.label(iri.as_str())) {
            return Ok(Labelled {
                iri: iri.as_str().to_owned(),
                id: EntityId::from_iri(iri.as_str()),
                label: label.as_ref().to_owned(),
            });
        }
        let ticket = self.cache.map(cache::ReadCache::ticket);
        let labelled = label_from(iri, &self.objects(iri, rdfs::LABEL)?);
        if let (Some(cache), Some(ticket)) = (self.cache, ticket) {
            cache.keep_label(ticket, iri.as_str(), labelled.label.as_str().into());
        }
        if let Some(mut memo) = self.memo.and_then(|memo| memo.0.lock().ok()) {
            memo.insert(labelled.iri.clone(), labelled.label.clone());
        }
        Ok(labelled)
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
        Ok(self.shared_statement(iri)?.map(Arc::unwrap_or_clone))
    }

    /// [`Catalog::statement`], shared with the cache rather than copied out of it.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn shared_statement(
        &self,
        iri: NamedNodeRef<'_>,
    ) -> Result<Option<Arc<StatementRecord>>, CatalogError> {
        let Some(cache) = self.cache else {
            return Ok(self.read_statement(iri)?.map(Arc::new));
        };
        if let Some(record) = cache.statement(iri.as_str()) {
            return Ok(Some(record));
        }
        let ticket = cache.ticket();
        let record = self.read_statement(iri)?.map(Arc::new);
        if let Some(record) = &record {
            cache.keep_statement(ticket, Arc::clone(record));
        }
        Ok(record)
    }

    fn read_statement(
        &self,
        iri: NamedNodeRef<'_>,
    ) -> Result<Option<StatementRecord>, CatalogError> {
        // One read of everything the statement says; each field is picked from it.
        let says: Vec<(NamedNode, Term)> = self
            .store
            .oxigraph()
            .quads_for_pattern(Some(iri.into()), None, None, None)
            .map(|quad| quad.map(|q| (q.predicate, q.object)))
            .collect::<Result<_, _>>()?;
        // As `objects` gives them: sorted by their N-Triples form, without repeats.
        let objects = |predicate: NamedNodeRef<'_>| -> Vec<Term> {
            let mut objects: Vec<Term> = says
                .iter()
                .filter(|(p, _)| p.as_ref() == predicate)
                .map(|(_, o)| o.clone())
                .collect();
            objects.sort_by_key(|term| term.to_string());
            objects.dedup();
            objects
        };
        let is_statement = objects(rdf::TYPE)
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == eg::STATEMENT));
        if !is_statement {
            return Ok(None);
        }
        let first_literal = |predicate| {
            objects(predicate).into_iter().find_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
        };
        let resource_of = |term: Option<Term>| -> Result<Option<Labelled>, CatalogError> {
            match term {
                Some(Term::NamedNode(node)) => Ok(Some(self.labelled(node.as_ref())?)),
                _ => Ok(None),
            }
        };
        let mut qualifiers = Vec::new();
        for (predicate, object) in &says {
            if !STATEMENT_FIELDS.contains(&predicate.as_ref()) {
                qualifiers.push(PropertyValue {
                    predicate: self.labelled(predicate.as_ref())?,
                    value: self.value(object.as_ref())?,
                });
            }
        }
        qualifiers.sort_by(|a, b| {
            (a.predicate.iri.as_str(), format!("{:?}", a.value))
                .cmp(&(b.predicate.iri.as_str(), format!("{:?}", b.value)))
        });
        qualifiers.dedup();
        let mut confirmed_by = Vec::new();
        for term in objects(eg::CONFIRMED_BY) {
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
            resource: label_from(iri, &objects(rdfs::LABEL)),
            subject: resource_of(objects(rdf::SUBJECT).into_iter().next())?,
            predicate: resource_of(objects(rdf::PREDICATE).into_iter().next())?,
            object: objects(rdf::OBJECT)
                .first()
                .map(|term| self.value(term.as_ref()))
                .transpose()?,
            qualifiers,
            sources: self.labelled_all(objects(eg::SOURCE))?,
            speakers: self.labelled_all(objects(eg::SPEAKER))?,
            date: first_literal(eg::STATED_ON),
            date_not_before: first_literal(eg::STATED_NOT_BEFORE),
            date_not_after: first_literal(eg::STATED_NOT_AFTER),
            quote: first_literal(eg::QUOTE),
            confirmed_by,
            confirms: self.labelled_all(objects(eg::CONFIRMS))?,
        }))
    }
}

/// The labelled IRI, from its `rdfs:label`s sorted as `objects` gives them: the first English
/// one, else the first, else the IRI's last segment.
fn label_from(iri: NamedNodeRef<'_>, labels: &[Term]) -> Labelled {
    Labelled {
        iri: iri.as_str().to_owned(),
        id: EntityId::from_iri(iri.as_str()),
        label: display_label(iri.as_str(), labels),
    }
}

/// Labels read once for a batch of reads: a page of relations names the same predicates,
/// ontology terms and source documents in statement after statement.
#[derive(Debug, Default)]
pub(crate) struct LabelMemo(Mutex<FxHashMap<String, String>>);

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

    /// Every relation of `iri` in `directions`, read from the store, in one page.
    fn all_relations(
        catalog: &Catalog<'_>,
        iri: NamedNodeRef<'_>,
        directions: &[Direction],
    ) -> Vec<Relation> {
        let candidates = catalog
            .relation_keys(iri, directions)
            .unwrap()
            .into_iter()
            .map(Candidate::from_own_end);
        let page = PageRequest {
            limit: usize::MAX,
            ..PageRequest::default()
        };
        let page = catalog.relation_page(iri, candidates, &page).unwrap();
        assert!(page.next.is_none());
        page.relations
    }

    #[test]
    fn the_contact_relation_carries_its_intermediary_source_speaker_and_confirmation() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let us = EntityId::from_canonical_name("United States").iri();
        let relations = all_relations(&catalog, us.as_ref(), &[Direction::Out]);
        let contacts: Vec<&Relation> = relations
            .iter()
            .filter(|r| r.predicate.iri == eg::CONTACTS_VIA.as_str() && r.entity.label == "Hamas")
            .collect();
        assert_eq!(
            contacts.len(),
            1,
            "one relation, however many statements report it"
        );
        let statements = &contacts[0].statements;
        assert_eq!(
            statements.len(),
            3,
            "the source's two statements and the ministry's confirmation report the contact"
        );
        let (confirmations, reports): (Vec<&StatementRecord>, Vec<&StatementRecord>) = statements
            .iter()
            .map(|s| &**s)
            .partition(|s| !s.confirms.is_empty());
        assert_eq!(
            confirmations[0].speakers[0].label,
            "Russian Foreign Ministry"
        );
        let intermediaries: Vec<String> = reports
            .iter()
            .flat_map(|s| s.qualifiers.iter())
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
        for statement in reports {
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
    fn statements_are_found_from_either_end_of_their_triple_alike() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let us = EntityId::from_canonical_name("United States").iri();
        let hamas = EntityId::from_canonical_name("Hamas").iri();
        let triple = |from| Reified {
            subject: us.as_ref(),
            predicate: eg::CONTACTS_VIA,
            object: hamas.as_ref(),
            from,
        };
        let by_subject = catalog
            .statements_reifying(&[triple(TripleEnd::Subject)])
            .unwrap();
        let by_object = catalog
            .statements_reifying(&[triple(TripleEnd::Object), triple(TripleEnd::Subject)])
            .unwrap();
        assert_eq!(by_subject[0].len(), 3);
        assert_eq!(by_object, [by_subject[0].clone(), by_subject[0].clone()]);
        assert_eq!(
            by_subject[0],
            catalog
                .statements_about(us.as_ref(), eg::CONTACTS_VIA, hamas.as_ref().into())
                .unwrap()
        );
    }

    #[test]
    fn a_date_filter_keeps_relations_with_a_statement_in_the_window_and_pages_on() {
        let store = seeded();
        let catalog = Catalog::new(&store);
        let us = EntityId::from_canonical_name("United States").iri();
        let all = all_relations(&catalog, us.as_ref(), &[Direction::Out, Direction::In]);
        let request = PageRequest {
            limit: 1,
            since: Some("2023-10-31".into()),
            until: Some("2023-10-31".into()),
        };
        let mut after: Option<RelationKey> = None;
        let mut seen = Vec::new();
        loop {
            let candidates = catalog
                .relation_keys(us.as_ref(), &[Direction::Out, Direction::In])
                .unwrap()
                .into_iter()
                .filter(|key| after.as_ref().is_none_or(|after| key > after))
                .map(|key| Candidate {
                    from: TripleEnd::Subject,
                    key,
                    entity: None,
                    entity_types: None,
                });
            let page = catalog
                .relation_page(us.as_ref(), candidates, &request)
                .unwrap();
            assert!(page.relations.len() <= 1);
            seen.extend(page.relations.into_iter().map(|r| r.entity.iri));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let expected: Vec<String> = all
            .iter()
            .filter(|r| {
                r.statements.iter().any(|s| {
                    s.date
                        .clone()
                        .or_else(|| s.date_not_after.clone())
                        .as_deref()
                        == Some("2023-10-31")
                })
            })
            .map(|r| r.entity.iri.clone())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(seen, expected);
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
