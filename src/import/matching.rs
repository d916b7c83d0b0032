//! Entity matching for imports: a name in a feed is an existing entity only when exactly one
//! entity has it, never a silent merge.
//!
//! A name (an actor, a publisher, a place) is folded as the search index folds (case,
//! accents, spaces: [`fold`]) and looked up with [`SearchIndex::exact`] among labels and
//! aliases. Exactly one entity: that entity. None: a new entity, named by a stable id of the
//! folded name, with the name as its label and the feed's code as an identifier. Several: a
//! new entity all the same, linked to each candidate by an `eg:possiblySameAs` statement of
//! modality `eg:Possible` that a person can review and then merge or delete. Each name is
//! decided once per import and remembered ([`Matcher`]), so that a name created by an early
//! row is the same entity in every later row, and a new entity's quads are written once.
//!
//! It leans on the read models' search index (as of the import's start), or on the command
//! line on [`matching_index`] (the same index without the documents and events, which are most
//! of an imported store's labels), and on point look-ups in the store for entities an earlier
//! import created. It does not match fuzzily, merge,
//! or rename anything; and the index is not refreshed during an import (the memory of names
//! covers what the import itself creates).

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef};
use rustc_hash::FxHashMap;

use super::emit::{Provenance, RowQuads, terms, text, typed};
use super::report::{AmbiguousName, ImportReport, NameMatch};
use crate::catalog::CatalogError;
use crate::catalog::search::{SearchIndex, fold};
use crate::model::EntityId;
use crate::store::Store;
use crate::vocab::eg;

/// What kind of entity a name stands for, and what a new one is given.
pub(crate) enum NewEntity<'a> {
    /// An actor, with the feed's actor code when it has one.
    Actor {
        /// The class: `eg:State` for a country code alone, else `eg:Actor`.
        class: NamedNodeRef<'a>,
        /// GDELT's actor code (`USA`, `USAGOV`), kept as `dcterms:identifier`.
        code: Option<&'a str>,
    },
    /// A news outlet (a publisher, an ACLED source).
    Publisher,
    /// A place, with its coordinates when the feed gives them.
    Place {
        /// `schema:latitude`, as a decimal.
        latitude: Option<&'a str>,
        /// `schema:longitude`, as a decimal.
        longitude: Option<&'a str>,
    },
}

/// Remembers, for one import, what each folded name was decided to be.
pub struct Matcher<'a> {
    /// The search index of the read models, as of the import's start.
    index: &'a SearchIndex,
    /// Folded name → the entity it was decided to be, for the rest of the import.
    known: FxHashMap<String, NamedNode>,
    /// The names decided during the current file, forgotten again if the file fails (their
    /// entities were never written).
    this_file: Vec<String>,
}

/// Types whose resources are never the entity a feed names: they have labels (so they are in
/// the index) but are documents, statements, figures and events (a feed names who acted, where
/// and who published, never an event).
pub const NOT_ENTITIES: &[NamedNodeRef<'static>] = &[
    eg::SOURCE_DOCUMENT,
    eg::STATEMENT,
    eg::QUANTITY,
    eg::EVENT,
    terms::NEWS_ARTICLE,
];

/// The part of the store's search index that a [`Matcher`] reads: the labelled resources that
/// are not of the [`NOT_ENTITIES`] types. An imported store labels mostly documents and events;
/// they are left out before any of their labels is read, so that the index follows the number
/// of entities, not of the rows imported so far.
///
/// # Errors
/// When the store cannot be read.
pub fn matching_index(store: &Store) -> Result<SearchIndex, CatalogError> {
    SearchIndex::build_without(store, NOT_ENTITIES)
}

impl<'a> Matcher<'a> {
    /// A matcher over `index` that knows no names yet.
    pub fn new(index: &'a SearchIndex) -> Self {
        Self {
            index,
            known: FxHashMap::default(),
            this_file: Vec::new(),
        }
    }

    /// Starts a file: what it decides can be forgotten with [`Matcher::forget_file`].
    pub(crate) fn start_file(&mut self) {
        self.this_file.clear();
    }

    /// Forgets the names the current file decided (the file failed and wrote nothing).
    pub(crate) fn forget_file(&mut self) {
        for key in self.this_file.drain(..) {
            self.known.remove(&key);
        }
    }

    /// The entity `name` stands for; a new entity's quads (and, for an ambiguous name, its
    /// `eg:possiblySameAs` statements) go into `row`. The first decision about each name is
    /// recorded in `report`. `None` for a name that is empty once trimmed.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub(crate) fn resolve(
        &mut self,
        store: &Store,
        name: &str,
        kind: &NewEntity<'_>,
        row: &mut RowQuads,
        report: &mut ImportReport,
    ) -> Result<Option<NamedNode>, oxigraph::store::StorageError> {
        let name = name.trim();
        let key = fold(name);
        if key.is_empty() {
            return Ok(None);
        }
        if let Some(iri) = self.known.get(&key) {
            return Ok(Some(iri.clone()));
        }
        let own = EntityId::from_canonical_name(&format!("imported entity {key}")).iri();
        let decided = if exists(store, own.as_ref())? {
            // An earlier import created it (and, if the name was ambiguous then, linked it).
            report.record_match(NameMatch {
                name: name.to_owned(),
                entity: own.as_str().to_owned(),
            });
            own
        } else {
            let candidates: Vec<String> = self
                .index
                .exact(name)
                .into_iter()
                .filter(|entry| {
                    entry.resource.iri != own.as_str()
                        && !entry
                            .types
                            .iter()
                            .any(|t| NOT_ENTITIES.iter().any(|n| n.as_str() == t.iri))
                })
                .map(|entry| entry.resource.iri.clone())
                .collect();
            match candidates.as_slice() {
                [one] => {
                    report.record_match(NameMatch {
                        name: name.to_owned(),
                        entity: one.clone(),
                    });
                    NamedNode::new_unchecked(one.clone())
                }
                [] => {
                    create(&own, name, kind, row);
                    report.entities_created += 1;
                    report.record_created(NameMatch {
                        name: name.to_owned(),
                        entity: own.as_str().to_owned(),
                    });
                    own
                }
                many => {
                    create(&own, name, kind, row);
                    report.entities_created += 1;
                    let source = row.graph.clone();
                    let provenance = Provenance {
                        source: &source,
                        speakers: &[],
                        stated_on: None,
                        quote: None,
                        modality: eg::POSSIBLE,
                        attribution: None,
                    };
                    let note = text(&format!(
                        "the import found {} entities named '{name}'; review before merging or deleting",
                        many.len()
                    ));
                    for candidate in many {
                        row.statement(
                            &own,
                            terms::POSSIBLY_SAME_AS,
                            NamedNode::new_unchecked(candidate.clone()),
                            &provenance,
                            None,
                            &[(terms::NOTE, note.clone())],
                        );
                    }
                    report.record_ambiguous(AmbiguousName {
                        name: name.to_owned(),
                        entity: own.as_str().to_owned(),
                        candidates: many.to_vec(),
                    });
                    own
                }
            }
        };
        self.known.insert(key.clone(), decided.clone());
        self.this_file.push(key);
        Ok(Some(decided))
    }
}

/// Whether the store describes `iri` (has a type for it), in any graph.
fn exists(store: &Store, iri: NamedNodeRef<'_>) -> Result<bool, oxigraph::store::StorageError> {
    store
        .oxigraph()
        .quads_for_pattern(Some(iri.into()), Some(rdf::TYPE), None, None)
        .next()
        .transpose()
        .map(|quad| quad.is_some())
}

/// The quads of a new entity: its class, its name as label, its code, its coordinates.
fn create(iri: &NamedNode, name: &str, kind: &NewEntity<'_>, row: &mut RowQuads) {
    row.add(iri, terms::LABEL, text(name));
    match kind {
        NewEntity::Actor { class, code } => {
            row.add(iri, rdf::TYPE, class.into_owned());
            match code {
                Some(code) => {
                    row.add(iri, terms::DC_IDENTIFIER, text(code));
                    row.add(
                        iri,
                        terms::COMMENT,
                        text(&format!(
                            "Actor '{name}' (code {code}), created by an import"
                        )),
                    );
                }
                None => row.add(
                    iri,
                    terms::COMMENT,
                    text(&format!("Actor '{name}', created by an import")),
                ),
            }
        }
        NewEntity::Publisher => {
            row.add(iri, rdf::TYPE, terms::NEWS_OUTLET.into_owned());
            row.add(
                iri,
                terms::COMMENT,
                text(&format!("Publisher '{name}', created by an import")),
            );
        }
        NewEntity::Place {
            latitude,
            longitude,
        } => {
            row.add(iri, rdf::TYPE, eg::PLACE.into_owned());
            row.add(
                iri,
                terms::COMMENT,
                text(&format!("Place '{name}', created by an import")),
            );
            if let Some(latitude) = latitude {
                row.add(
                    iri,
                    terms::LATITUDE,
                    typed(latitude, oxigraph::model::vocab::xsd::DECIMAL),
                );
            }
            if let Some(longitude) = longitude {
                row.add(
                    iri,
                    terms::LONGITUDE,
                    typed(longitude, oxigraph::model::vocab::xsd::DECIMAL),
                );
            }
        }
    }
}
