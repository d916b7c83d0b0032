//! Search over labels and aliases: case- and accent-insensitive, prefixes first.
//!
//! [`SearchIndex`] holds, for every resource under the id base that has an `rdfs:label`
//! (statements excepted; source documents are in, so that they can be named), its label, its
//! aliases (`skos:altLabel`, and `skos:hiddenLabel` for matching only) and its types, with the
//! label and aliases folded to lower-case ASCII with `deunicode` ([`fold`]). The label shown is
//! the catalog's ([`Catalog::labelled`]: English, else any, else the IRI's last segment), and so
//! are the types' labels, read from the classes' own `rdfs:label` (the ontology graph).
//!
//! **Lookups.** Entries live in slots; ordered sets over them answer each kind of match without
//! a scan: a map from IRI to slot ([`SearchIndex::by_iri`], [`SearchIndex::by_id`]), every
//! entry in label order (folded label, then IRI: listing, exact labels and label prefixes are
//! ranges of it), the same order per class (type-filtered listing), and the folded aliases in
//! order (exact aliases and alias prefixes are ranges). Only substring matches scan, over the
//! folded keys of the entries the type filter leaves.
//!
//! **Building** reads the store in four passes, each one SPARQL SELECT over the default graph
//! and the named graphs that decodes only the subject and the object (an oxigraph quad decoded
//! in full costs four dictionary look-ups): the labels (statements left out by a `MINUS` on
//! encoded terms, before anything of theirs is decoded), the alt labels, the hidden labels and
//! the types of what the first pass found, then one look-up per distinct class for its label.
//! Everything is grouped in memory; there is no look-up per resource.
//!
//! **Memory.** [`SearchIndex::estimated_bytes`] adds up the slots, each entry's strings and
//! vectors, the shared keys and the tables. On the 1.1 million quads of
//! `graph::generate::generate(7, 26_000, 77_000)` (26,158 entries, one type each, no aliases)
//! it comes to 19.6 MB, some 750 bytes an entry (a counting allocator measured 19.1 MB): a
//! 200-byte slot, the strings a hit hands out (IRI, label, the type's IRI and label), the
//! folded label and the IRI the ordered sets share, and a place in the label order, in its
//! class's order and in the IRI table. The build took 0.7 s there on RocksDB, most of it the
//! label pass; the resource-by-resource build it replaced took 9 s.
//!
//! **Keeping in step.** [`SearchIndex::refresh`] takes the quads a committed write touched and
//! re-reads, through the [`Catalog`], each resource whose label, aliases or types they name, and
//! each indexed class whose label they name. Its cost follows the change, not the index.
//!
//! The index reads the store and never writes it. It does not rank by relevance beyond the
//! four [`MatchKind`]s, stem, or tolerate typos; and it does not decide when to rebuild (a
//! write whose quads are not listed, `ChangeSet::unlisted`, calls for [`SearchIndex::build`]).

use std::collections::BTreeSet;
use std::mem::size_of;
use std::ops::Bound;
use std::sync::Arc;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, Term};
use oxigraph::sparql::{CancellationToken, QueryResults};
use rustc_hash::FxHashMap;

use super::{Catalog, CatalogError, Labelled, display_label, in_display_order, local_name};
use crate::model::EntityId;
use crate::sparql::remote::RemoteAccess;
use crate::sparql::{DatasetRequest, ParsedQuery, SparqlError};
use crate::store::Store;
use crate::vocab::{eg, skos};

/// One searchable resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The resource.
    pub resource: Labelled,
    /// Its aliases as written.
    pub aliases: Vec<String>,
    /// Its types.
    pub types: Vec<Labelled>,
    /// The folded label, matched against folded queries; shared with the index's label order.
    label_key: Arc<str>,
    /// The folded aliases and hidden labels that differ from the label, each once; shared with
    /// the index's alias order.
    alias_keys: Vec<Arc<str>>,
}

/// How well an entry matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The label or an alias is the query.
    Exact,
    /// The label starts with the query.
    LabelPrefix,
    /// An alias starts with the query.
    AliasPrefix,
    /// The label or an alias contains the query.
    Substring,
}

/// A search hit: the entry and how it matched.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    /// The entry.
    pub entry: &'a IndexEntry,
    /// How it matched.
    pub kind: MatchKind,
}

/// One page of the entries matching a query.
#[derive(Debug, Clone)]
pub struct SearchPage<'a> {
    /// How many entries match in all, on every page.
    pub total: usize,
    /// The hits of this page, best first.
    pub hits: Vec<Hit<'a>>,
}

/// What a [`SearchIndex::refresh`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Resources that entered the index.
    pub added: usize,
    /// Resources that left it (no label left, or now a statement).
    pub removed: usize,
    /// Resources whose label, aliases or types changed.
    pub updated: usize,
    /// Classes whose label changed, in the types of every entry that has them.
    pub classes_relabelled: usize,
}

/// An entry's place in label order: folded label, then IRI. The slot makes no difference to
/// the order (IRIs are unique); it says where the entry is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    label: Arc<str>,
    iri: Arc<str>,
    slot: usize,
}

impl Rank {
    /// The first rank whose folded label is `label` or after it.
    fn first_from(label: &str) -> Self {
        Self {
            label: label.into(),
            iri: "".into(),
            slot: 0,
        }
    }
}

/// An occupied slot.
#[derive(Debug, Clone)]
struct Slot {
    entry: IndexEntry,
    /// Where the entry sits in the ordered sets, to find it there again on removal.
    rank: Rank,
}

/// A class that some entries have.
#[derive(Debug, Clone, Default)]
struct Class {
    /// Its label, as every entry of the class shows it in its types.
    label: String,
    /// Its entries in label order: a type-filtered listing is a walk of this set, and a new
    /// class label reaches exactly these entries.
    members: BTreeSet<Rank>,
}

/// The search index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// The entries. A removed entry leaves `None` and its slot goes to `free`, so that the
    /// slots the ordered sets hold stay valid and the vector does not grow with churn.
    slots: Vec<Option<Slot>>,
    /// Empty slots, reused before the vector grows.
    free: Vec<usize>,
    /// Every entry in label order: listing, exact labels and label prefixes are ranges, the
    /// substring scan walks it.
    order: BTreeSet<Rank>,
    /// Every entry's alias keys with its slot, in key order: exact aliases and alias prefixes
    /// are ranges.
    alias_keys: BTreeSet<(Arc<str>, usize)>,
    /// The slot of each IRI; the key is the IRI of the entry's rank.
    iris: FxHashMap<Arc<str>, usize>,
    /// Every class that at least one entry has.
    classes: FxHashMap<Arc<str>, Class>,
}

/// An entry as the read models' snapshot keeps it (`read_models::snapshot`): the index is
/// saved as its entries in label order and rebuilt from them, so that the saved form does not
/// depend on the index's own structures.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedEntry {
    resource: Labelled,
    aliases: Vec<String>,
    types: Vec<Labelled>,
    label_key: String,
    alias_keys: Vec<String>,
}

impl serde::Serialize for SearchIndex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries: Vec<SavedEntry> = self
            .entries()
            .map(|entry| SavedEntry {
                resource: entry.resource.clone(),
                aliases: entry.aliases.clone(),
                types: entry.types.clone(),
                label_key: entry.label_key.to_string(),
                alias_keys: entry.alias_keys.iter().map(ToString::to_string).collect(),
            })
            .collect();
        serde::Serialize::serialize(&entries, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for SearchIndex {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved: Vec<SavedEntry> = serde::Deserialize::deserialize(deserializer)?;
        let mut index = Self::default();
        for entry in saved {
            index.insert(IndexEntry {
                resource: entry.resource,
                aliases: entry.aliases,
                types: entry.types,
                label_key: entry.label_key.into(),
                alias_keys: entry.alias_keys.into_iter().map(Arc::from).collect(),
            });
        }
        Ok(index)
    }
}

/// Folds text for matching: ASCII transliteration, lower case, single spaces.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the build's passes found about one resource, objects in the order the store gave them.
#[derive(Default)]
struct Found {
    labels: Vec<Term>,
    aliases: Vec<Term>,
    hidden: Vec<Term>,
    types: Vec<Term>,
}

/// Leaves out the rows whose `?s` is a statement, in the default graph or any named graph.
/// Oxigraph evaluates it on encoded terms, before a statement's IRI or label is decoded.
/// A `MINUS` of the resources typed with one of `classes`, in any graph, on encoded terms (no
/// label of theirs is decoded).
fn minus_typed(classes: &[NamedNodeRef<'_>]) -> String {
    let typed: Vec<String> = classes
        .iter()
        .map(|class| format!("{{ ?s a {class} }} UNION {{ GRAPH ?h {{ ?s a {class} }} }}"))
        .collect();
    format!("MINUS {{ {} }}", typed.join(" UNION "))
}

/// A SELECT of `?s ?o` for `predicate` over the default graph and every named graph (the
/// store's default graph is not their union), followed by `tail` (a `MINUS` or a `FILTER`).
fn pairs_query(predicate: NamedNodeRef<'_>, tail: &str) -> String {
    format!(
        "SELECT ?s ?o WHERE {{ {{ {{ ?s {predicate} ?o }} UNION {{ GRAPH ?g {{ ?s {predicate} ?o }} }} }} {tail} }}"
    )
}

/// Runs a SELECT of two variables, handing each row's pair to `each`. Oxigraph decodes only
/// the projected variables, one dictionary look-up per IRI or long literal.
fn select_pairs(
    store: &Store,
    query: &str,
    mut each: impl FnMut(&Term, &Term),
) -> Result<(), CatalogError> {
    let parsed = ParsedQuery::parse(query, None)?;
    let QueryResults::Solutions(solutions) = parsed.evaluate(
        store,
        &DatasetRequest::default(),
        CancellationToken::new(),
        &RemoteAccess::none(),
    )?
    else {
        return Ok(());
    };
    for solution in solutions {
        let solution = solution.map_err(SparqlError::from)?;
        if let (Some(subject), Some(object)) = (solution.get(0), solution.get(1)) {
            each(subject, object);
        }
    }
    Ok(())
}

/// Whether `types` holds `eg:Statement`.
fn is_statement(types: &[Term]) -> bool {
    types
        .iter()
        .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == eg::STATEMENT))
}

/// Whether a class IRI is what a type filter asks for: the IRI itself or its local name, in any
/// case.
fn class_matches(iri: &str, wanted: &str) -> bool {
    iri == wanted || local_name(iri).eq_ignore_ascii_case(wanted)
}

/// The lexical forms of the literals among `terms`.
fn lexical_forms(terms: &[Term]) -> impl Iterator<Item = &str> {
    terms.iter().filter_map(|term| match term {
        Term::Literal(literal) => Some(literal.value()),
        _ => None,
    })
}

impl IndexEntry {
    /// The entry of `iri` from its `rdfs:label`, `skos:altLabel` and `skos:hiddenLabel`
    /// objects, each in display order ([`in_display_order`]), and its labelled types.
    fn new(
        iri: &str,
        labels: &[Term],
        aliases: &[Term],
        hidden: &[Term],
        mut types: Vec<Labelled>,
    ) -> Self {
        let resource = Labelled {
            iri: iri.to_owned(),
            id: EntityId::from_iri(iri),
            label: display_label(iri, labels),
        };
        let mut aliases: Vec<String> = lexical_forms(aliases).map(str::to_owned).collect();
        let label_key: Arc<str> = fold(&resource.label).into();
        let mut alias_keys: Vec<Arc<str>> = Vec::new();
        for alias in aliases
            .iter()
            .map(String::as_str)
            .chain(lexical_forms(hidden))
        {
            let key = fold(alias);
            if *key != *label_key && !alias_keys.iter().any(|k| **k == *key) {
                alias_keys.push(key.into());
            }
        }
        // Collected vectors start at four slots; most entries have one type and no alias.
        aliases.shrink_to_fit();
        types.shrink_to_fit();
        alias_keys.shrink_to_fit();
        Self {
            resource,
            aliases,
            types,
            label_key,
            alias_keys,
        }
    }

    /// How this entry matches the folded `query`, if at all.
    fn kind(&self, query: &str) -> Option<MatchKind> {
        let keys = || std::iter::once(&self.label_key).chain(&self.alias_keys);
        if keys().any(|k| **k == *query) {
            Some(MatchKind::Exact)
        } else if self.label_key.starts_with(query) {
            Some(MatchKind::LabelPrefix)
        } else if self.alias_keys.iter().any(|k| k.starts_with(query)) {
            Some(MatchKind::AliasPrefix)
        } else if keys().any(|k| k.contains(query)) {
            Some(MatchKind::Substring)
        } else {
            None
        }
    }

    fn has_type(&self, wanted: &str) -> bool {
        self.types.iter().any(|t| class_matches(&t.iri, wanted))
    }
}

/// The entries a type filter leaves, in label order.
enum Candidates<'a> {
    /// Every entry, or the entries of the one class the filter names.
    Set(&'a BTreeSet<Rank>),
    /// The entries of several classes (one local name in several namespaces), merged.
    Merged(Vec<&'a Rank>),
}

impl<'a> Candidates<'a> {
    fn len(&self) -> usize {
        match self {
            Self::Set(set) => set.len(),
            Self::Merged(ranks) => ranks.len(),
        }
    }

    /// The candidates from `start` on, in label order.
    fn from<'s>(&'s self, start: &Rank) -> Box<dyn Iterator<Item = &'a Rank> + 's> {
        match self {
            Self::Set(set) => Box::new(set.range((Bound::Included(start), Bound::Unbounded))),
            Self::Merged(ranks) => {
                let first = ranks.partition_point(|r| *r < start);
                Box::new(ranks[first..].iter().copied())
            }
        }
    }

    /// Every candidate, in label order.
    fn all<'s>(&'s self) -> Box<dyn Iterator<Item = &'a Rank> + 's> {
        match self {
            Self::Set(set) => Box::new(set.iter()),
            Self::Merged(ranks) => Box::new(ranks.iter().copied()),
        }
    }
}

impl SearchIndex {
    /// Builds the index from every labelled resource of `store`.
    ///
    /// # Complexity
    /// Four scans of the store's predicate index (labels, alt labels, hidden labels, types),
    /// decoding the subject and object of each row found, less the statements' labels; one
    /// look-up per distinct class; O(N log N) to fill the ordered sets.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] or [`CatalogError::Sparql`] when the store cannot be read.
    pub fn build(store: &Store) -> Result<Self, CatalogError> {
        Self::build_without(store, &[])
    }

    /// Builds the index from the labelled resources of `store` that are not of one of
    /// `classes` (nor statements): a part of [`SearchIndex::build`], for a reader that never
    /// wants those classes — an import matching names to entities leaves out the documents
    /// and events, which are most of what an imported store labels.
    ///
    /// # Complexity
    /// As [`SearchIndex::build`], but the resources of `classes` are dropped on encoded terms,
    /// before any of their labels or types is decoded: their cost is a scan of the predicate
    /// index's keys, not a dictionary look-up each.
    ///
    /// # Errors
    /// As [`SearchIndex::build`].
    pub fn build_without(
        store: &Store,
        classes: &[NamedNodeRef<'_>],
    ) -> Result<Self, CatalogError> {
        let mut left_out = vec![eg::STATEMENT];
        left_out.extend_from_slice(classes);
        let mut found: FxHashMap<NamedNode, Found> = FxHashMap::default();
        select_pairs(
            store,
            &pairs_query(rdfs::LABEL, &minus_typed(&left_out)),
            |subject, label| {
                if let Term::NamedNode(subject) = subject {
                    if EntityId::from_iri(subject.as_str()).is_some() {
                        found
                            .entry(subject.clone())
                            .or_default()
                            .labels
                            .push(label.clone());
                    }
                }
            },
        )?;
        // The other passes only add to what the first found, so they need no MINUS: a
        // left-out resource's types are dropped without a look-up, its aliases are rare.
        let mut add = |predicate, tail: &str, to: fn(&mut Found) -> &mut Vec<Term>| {
            select_pairs(store, &pairs_query(predicate, tail), |subject, object| {
                if let Term::NamedNode(subject) = subject {
                    if let Some(resource) = found.get_mut(subject) {
                        to(resource).push(object.clone());
                    }
                }
            })
        };
        add(skos::ALT_LABEL, "", |f| &mut f.aliases)?;
        add(skos::HIDDEN_LABEL, "", |f| &mut f.hidden)?;
        let not_left_out: Vec<String> = left_out
            .iter()
            .map(|class| format!("!sameTerm(?o, {class})"))
            .collect();
        let not_left_out = format!("FILTER({})", not_left_out.join(" && "));
        add(rdf::TYPE, &not_left_out, |f| &mut f.types)?;

        let catalog = Catalog::new(store);
        let mut index = Self::default();
        let classes: BTreeSet<&NamedNode> = found
            .values()
            .flat_map(|f| &f.types)
            .filter_map(|t| match t {
                Term::NamedNode(class) => Some(class),
                _ => None,
            })
            .collect();
        for class in classes {
            index.classes.insert(
                class.as_str().into(),
                Class {
                    label: catalog.labelled(class.as_ref())?.label,
                    members: BTreeSet::new(),
                },
            );
        }
        index.slots.reserve_exact(found.len());
        for (iri, mut resource) in found {
            for terms in [
                &mut resource.labels,
                &mut resource.aliases,
                &mut resource.hidden,
                &mut resource.types,
            ] {
                in_display_order(terms);
            }
            let types = index.labelled_types(&catalog, &resource.types)?;
            index.insert(IndexEntry::new(
                iri.as_str(),
                &resource.labels,
                &resource.aliases,
                &resource.hidden,
                types,
            ));
        }
        Ok(index)
    }

    /// Brings the index in step with the store after a write that inserted or removed
    /// `changed`: call it after the write committed, with every quad it touched, inserted or
    /// removed alike. It is idempotent.
    ///
    /// Each quad whose subject is an `egid:` resource and whose predicate is `rdfs:label`,
    /// `skos:altLabel`, `skos:hiddenLabel` or `rdf:type` has that resource re-read from the
    /// store, and its entry inserted, replaced or removed; each `rdfs:label` quad about a class
    /// some entry has re-reads the class's label and shows it in those entries' types. Other
    /// quads are ignored.
    ///
    /// # Complexity
    /// Four store look-ups per resource named (one more per class new to the index) and
    /// O(log N) per ordered-set update; a relabelled class costs O(its entries).
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read; the index may then be partly
    /// refreshed, and refreshing again with the same quads (or a rebuild) completes it.
    pub fn refresh<'a>(
        &mut self,
        store: &Store,
        changed: impl IntoIterator<Item = QuadRef<'a>>,
    ) -> Result<RefreshReport, CatalogError> {
        let mut resources: Vec<NamedNodeRef<'a>> = Vec::new();
        let mut labelled: Vec<NamedNodeRef<'a>> = Vec::new();
        for quad in changed {
            let NamedOrBlankNodeRef::NamedNode(subject) = quad.subject else {
                continue;
            };
            let predicate = quad.predicate;
            if predicate == rdfs::LABEL {
                labelled.push(subject);
            }
            if [rdfs::LABEL, skos::ALT_LABEL, skos::HIDDEN_LABEL, rdf::TYPE].contains(&predicate)
                && EntityId::from_iri(subject.as_str()).is_some()
            {
                resources.push(subject);
            }
        }
        resources.sort_unstable();
        resources.dedup();
        labelled.sort_unstable();
        labelled.dedup();

        let catalog = Catalog::new(store);
        let mut report = RefreshReport::default();
        for iri in resources {
            let entry = self.read_entry(&catalog, iri)?;
            match (self.by_iri(iri.as_str()), entry) {
                (None, None) => {}
                (Some(old), Some(new)) if *old == new => {}
                (None, Some(new)) => {
                    self.insert(new);
                    report.added += 1;
                }
                (Some(_), None) => {
                    self.remove(iri.as_str());
                    report.removed += 1;
                }
                (Some(_), Some(new)) => {
                    self.remove(iri.as_str());
                    self.insert(new);
                    report.updated += 1;
                }
            }
        }
        // After the resources: one re-read here also corrects the class label a resource
        // re-read above took from the index.
        for class in labelled {
            let Some(current) = self.classes.get(class.as_str()) else {
                continue;
            };
            let label = catalog.labelled(class)?.label;
            if label != current.label {
                self.relabel_class(class.as_str(), label);
                report.classes_relabelled += 1;
            }
        }
        Ok(report)
    }

    /// The entry the store gives `iri` now, or `None` when it has no label or is a statement.
    fn read_entry(
        &self,
        catalog: &Catalog<'_>,
        iri: NamedNodeRef<'_>,
    ) -> Result<Option<IndexEntry>, CatalogError> {
        let labels = catalog.objects(iri, rdfs::LABEL)?;
        if labels.is_empty() {
            return Ok(None);
        }
        let types = catalog.objects(iri, rdf::TYPE)?;
        if is_statement(&types) {
            return Ok(None);
        }
        let aliases = catalog.objects(iri, skos::ALT_LABEL)?;
        let hidden = catalog.objects(iri, skos::HIDDEN_LABEL)?;
        let types = self.labelled_types(catalog, &types)?;
        Ok(Some(IndexEntry::new(
            iri.as_str(),
            &labels,
            &aliases,
            &hidden,
            types,
        )))
    }

    /// The IRIs among `types` with their labels: the index's for a class it holds, else the
    /// store's.
    fn labelled_types(
        &self,
        catalog: &Catalog<'_>,
        types: &[Term],
    ) -> Result<Vec<Labelled>, CatalogError> {
        types
            .iter()
            .filter_map(|term| match term {
                Term::NamedNode(class) => Some(class),
                _ => None,
            })
            .map(|class| match self.classes.get(class.as_str()) {
                Some(known) => Ok(Labelled {
                    iri: class.as_str().to_owned(),
                    id: EntityId::from_iri(class.as_str()),
                    label: known.label.clone(),
                }),
                None => catalog.labelled(class.as_ref()),
            })
            .collect()
    }

    /// Adds an entry whose IRI is not indexed yet.
    fn insert(&mut self, entry: IndexEntry) {
        let slot = self.free.pop().unwrap_or(self.slots.len());
        let iri: Arc<str> = entry.resource.iri.as_str().into();
        let rank = Rank {
            label: Arc::clone(&entry.label_key),
            iri: Arc::clone(&iri),
            slot,
        };
        self.order.insert(rank.clone());
        for key in &entry.alias_keys {
            self.alias_keys.insert((Arc::clone(key), slot));
        }
        for class in &entry.types {
            match self.classes.get_mut(class.iri.as_str()) {
                Some(known) => {
                    known.members.insert(rank.clone());
                }
                None => {
                    self.classes.insert(
                        class.iri.as_str().into(),
                        Class {
                            label: class.label.clone(),
                            members: BTreeSet::from([rank.clone()]),
                        },
                    );
                }
            }
        }
        self.iris.insert(iri, slot);
        let occupied = Some(Slot { entry, rank });
        match self.slots.get_mut(slot) {
            Some(place) => *place = occupied,
            None => self.slots.push(occupied),
        }
    }

    /// Takes the entry of `iri` out of every structure; a class left without entries goes.
    fn remove(&mut self, iri: &str) -> Option<IndexEntry> {
        let slot = self.iris.remove(iri)?;
        let Slot { entry, rank } = self.slots.get_mut(slot)?.take()?;
        self.order.remove(&rank);
        for key in &entry.alias_keys {
            self.alias_keys.remove(&(Arc::clone(key), slot));
        }
        for class in &entry.types {
            if let Some(known) = self.classes.get_mut(class.iri.as_str()) {
                known.members.remove(&rank);
                if known.members.is_empty() {
                    self.classes.remove(class.iri.as_str());
                }
            }
        }
        self.free.push(slot);
        Some(entry)
    }

    /// Shows `label` for the class `iri` in the types of each of its entries.
    fn relabel_class(&mut self, iri: &str, label: String) {
        let Some(class) = self.classes.get_mut(iri) else {
            return;
        };
        for rank in &class.members {
            if let Some(Some(slot)) = self.slots.get_mut(rank.slot) {
                for shown in slot.entry.types.iter_mut().filter(|t| t.iri == iri) {
                    shown.label.clone_from(&label);
                }
            }
        }
        class.label = label;
    }

    fn slot(&self, slot: usize) -> Option<&Slot> {
        self.slots.get(slot)?.as_ref()
    }

    /// How many resources are indexed.
    pub fn len(&self) -> usize {
        self.iris.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.iris.is_empty()
    }

    /// Every entry, in label order (folded label, then IRI).
    ///
    /// # Complexity
    /// O(1) per entry.
    pub fn entries(&self) -> impl Iterator<Item = &IndexEntry> {
        self.order
            .iter()
            .filter_map(|rank| self.slot(rank.slot))
            .map(|slot| &slot.entry)
    }

    /// The entries matching `query` (all when it is empty) and `type_filter` (a type IRI or
    /// its local name, in any case): the `limit` hits after the first `offset`, and how many
    /// match in all. Hits come best first ([`MatchKind`]: exact, label prefix, alias prefix,
    /// substring), each kind in label order (folded label, then IRI).
    ///
    /// # Complexity
    /// For an empty query, O(log N + offset + limit). Otherwise O(log N + M + A log A) for
    /// the M exact and label-prefix matches and the A alias-prefix matches, plus a substring
    /// scan of the C entries the filter leaves: O(C × keys × key length). A filter naming
    /// several classes (one local name in several namespaces) first merges their T entries,
    /// in O(T log T).
    pub fn search(
        &self,
        query: &str,
        type_filter: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> SearchPage<'_> {
        let folded = fold(query);
        let query = folded.as_str();
        let candidates = self.candidates(type_filter);
        let typed = |entry: &IndexEntry| type_filter.is_none_or(|wanted| entry.has_type(wanted));
        let of_kind = |kind: MatchKind| move |slot: &&Slot| slot.entry.kind(query) == Some(kind);
        let exact = self.exact_slots(query, &candidates, &typed);
        fn hit((slot, kind): (&Slot, MatchKind)) -> Hit<'_> {
            Hit {
                entry: &slot.entry,
                kind,
            }
        }
        if query.is_empty() {
            // Every candidate matches: exactly (an empty label or alias) or by its label. The
            // skipped ones are counted on the ranks, without reading their entries.
            let total = candidates.len();
            if offset >= total {
                return SearchPage {
                    total,
                    hits: Vec::new(),
                };
            }
            let mut exact_ones: Vec<usize> = exact.iter().map(|slot| slot.rank.slot).collect();
            exact_ones.sort_unstable();
            let exact_skipped = offset.min(exact.len());
            let label_prefix = candidates
                .all()
                .filter(|rank| exact_ones.binary_search(&rank.slot).is_err())
                .skip(offset - exact_skipped)
                .filter_map(|rank| self.slot(rank.slot));
            return SearchPage {
                total,
                hits: exact[exact_skipped..]
                    .iter()
                    .map(|&slot| (slot, MatchKind::Exact))
                    .chain(label_prefix.map(|slot| (slot, MatchKind::LabelPrefix)))
                    .take(limit)
                    .map(hit)
                    .collect(),
            };
        }
        let exact = exact.into_iter().map(|slot| (slot, MatchKind::Exact));
        let label_prefix = candidates
            .from(&Rank::first_from(query))
            .take_while(|rank| rank.label.starts_with(query))
            .filter_map(|rank| self.slot(rank.slot))
            .filter(of_kind(MatchKind::LabelPrefix))
            .map(|slot| (slot, MatchKind::LabelPrefix));
        let mut alias_prefix: Vec<&Slot> = self
            .alias_keys
            .range((Arc::from(query), 0)..)
            .take_while(|(key, _)| key.starts_with(query))
            .filter_map(|&(_, slot)| self.slot(slot))
            .filter(|slot| typed(&slot.entry))
            .filter(of_kind(MatchKind::AliasPrefix))
            .collect();
        alias_prefix.sort_unstable_by(|a, b| a.rank.cmp(&b.rank));
        alias_prefix.dedup_by_key(|slot| slot.rank.slot);
        let substring = candidates
            .all()
            .filter_map(|rank| self.slot(rank.slot))
            .filter(of_kind(MatchKind::Substring))
            .map(|slot| (slot, MatchKind::Substring));
        let mut total = 0;
        let mut hits = Vec::new();
        for found in exact
            .chain(label_prefix)
            .chain(
                alias_prefix
                    .into_iter()
                    .map(|s| (s, MatchKind::AliasPrefix)),
            )
            .chain(substring)
        {
            if total >= offset && hits.len() < limit {
                hits.push(hit(found));
            }
            total += 1;
        }
        SearchPage { total, hits }
    }

    /// The entries a type filter leaves, in label order.
    fn candidates(&self, type_filter: Option<&str>) -> Candidates<'_> {
        let Some(wanted) = type_filter else {
            return Candidates::Set(&self.order);
        };
        let mut sets = self
            .classes
            .iter()
            .filter(|(iri, _)| class_matches(iri, wanted))
            .map(|(_, class)| &class.members);
        match (sets.next(), sets.next()) {
            (None, _) => Candidates::Merged(Vec::new()),
            (Some(one), None) => Candidates::Set(one),
            (Some(first), Some(second)) => {
                let mut merged: Vec<&Rank> =
                    first.iter().chain(second).chain(sets.flatten()).collect();
                merged.sort_unstable();
                merged.dedup();
                Candidates::Merged(merged)
            }
        }
    }

    /// The slots whose label (among `candidates`) or alias (when `typed`) folds to `key`, in
    /// label order.
    fn exact_slots(
        &self,
        key: &str,
        candidates: &Candidates<'_>,
        typed: &dyn Fn(&IndexEntry) -> bool,
    ) -> Vec<&Slot> {
        let mut slots: Vec<&Slot> = candidates
            .from(&Rank::first_from(key))
            .take_while(|rank| *rank.label == *key)
            .filter_map(|rank| self.slot(rank.slot))
            .collect();
        // An entry's alias keys differ from its label key and from each other: no duplicates.
        slots.extend(
            self.alias_keys
                .range((Arc::from(key), 0)..)
                .take_while(|(alias, _)| **alias == *key)
                .filter_map(|&(_, slot)| self.slot(slot))
                .filter(|slot| typed(&slot.entry)),
        );
        slots.sort_unstable_by(|a, b| a.rank.cmp(&b.rank));
        slots
    }

    /// The entries whose label or an alias equals `name` (folded), in label order.
    ///
    /// # Complexity
    /// O(log N + matches).
    pub fn exact(&self, name: &str) -> Vec<&IndexEntry> {
        self.exact_slots(&fold(name), &Candidates::Set(&self.order), &|_| true)
            .into_iter()
            .map(|slot| &slot.entry)
            .collect()
    }

    /// The entry of this IRI, if indexed.
    ///
    /// # Complexity
    /// O(1) expected.
    pub fn by_iri(&self, iri: &str) -> Option<&IndexEntry> {
        let slot = *self.iris.get(iri)?;
        Some(&self.slot(slot)?.entry)
    }

    /// The entry of this id, if indexed: the resource named by the id's IRI as
    /// [`EntityId::iri`] writes it (a resource spelled otherwise, say with upper-case hex, is
    /// found by [`SearchIndex::by_iri`]).
    ///
    /// # Complexity
    /// O(1) expected.
    pub fn by_id(&self, id: EntityId) -> Option<&IndexEntry> {
        self.by_iri(id.iri().as_str())
    }

    /// The bytes the index holds: the slots and the free list by capacity, each entry's
    /// strings and vectors by capacity, each shared folded key and IRI once (with its two
    /// reference counts), the hash tables by buckets (entry and control byte) and the B-tree
    /// sets by nodes, taken as two-thirds full. Allocator overhead is not counted.
    ///
    /// # Complexity
    /// O(N + classes).
    pub fn estimated_bytes(&self) -> usize {
        let labelled = |l: &Labelled| l.iri.capacity() + l.label.capacity();
        let entries: usize = self
            .slots
            .iter()
            .flatten()
            .map(|Slot { entry, rank }| {
                labelled(&entry.resource)
                    + entry.aliases.capacity() * size_of::<String>()
                    + entry.aliases.iter().map(String::capacity).sum::<usize>()
                    + entry.types.capacity() * size_of::<Labelled>()
                    + entry.types.iter().map(labelled).sum::<usize>()
                    + shared_bytes(&entry.label_key)
                    + entry.alias_keys.capacity() * size_of::<Arc<str>>()
                    + entry.alias_keys.iter().map(shared_bytes).sum::<usize>()
                    + shared_bytes(&rank.iri)
            })
            .sum();
        let classes: usize = self
            .classes
            .iter()
            .map(|(iri, class)| {
                shared_bytes(iri)
                    + class.label.capacity()
                    + btree_bytes::<Rank>(class.members.len())
            })
            .sum();
        size_of::<Self>()
            + self.slots.capacity() * size_of::<Option<Slot>>()
            + self.free.capacity() * size_of::<usize>()
            + entries
            + btree_bytes::<Rank>(self.order.len())
            + btree_bytes::<(Arc<str>, usize)>(self.alias_keys.len())
            + hash_table_bytes::<(Arc<str>, usize)>(self.iris.capacity())
            + hash_table_bytes::<(Arc<str>, Class)>(self.classes.capacity())
            + classes
    }
}

/// The allocation of an `Arc<str>`: its strong and weak counts, then the bytes.
fn shared_bytes(text: &Arc<str>) -> usize {
    2 * size_of::<usize>() + text.len()
}

/// The bytes of a hashbrown table with this capacity: buckets × (entry + control byte).
fn hash_table_bytes<T>(capacity: usize) -> usize {
    if capacity == 0 {
        0
    } else {
        (capacity * 8 / 7).next_power_of_two() * (size_of::<T>() + 1)
    }
}

/// The bytes of a std B-tree set of `len` elements of type `T`: nodes of 11 slots plus a
/// parent pointer and two `u16`s, taken as two-thirds full (7 elements per node), and one
/// internal node (12 child pointers more) per 8 nodes below it.
fn btree_bytes<T>(len: usize) -> usize {
    const SLOTS: usize = 11;
    let leaf = size_of::<usize>() + 2 * size_of::<u16>() + SLOTS * size_of::<T>();
    let leaf = leaf.next_multiple_of(size_of::<usize>());
    let internal = leaf + (SLOTS + 1) * size_of::<usize>();
    let leaves = len.div_ceil(7);
    leaves * leaf + leaves.div_ceil(8).saturating_sub(usize::from(leaves <= 1)) * internal
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad};
    use proptest::prelude::*;

    use super::*;
    use crate::config::StoreLocation;
    use crate::vocab::graph;

    fn index() -> SearchIndex {
        SearchIndex::build(&crate::store::seed::seeded_in_memory()).unwrap()
    }

    /// Every hit of a query, on one page.
    fn hits<'a>(index: &'a SearchIndex, query: &str, type_filter: Option<&str>) -> Vec<Hit<'a>> {
        index.search(query, type_filter, 0, usize::MAX).hits
    }

    #[test]
    fn search_is_case_and_accent_insensitive_with_prefixes_first() {
        let index = index();
        let hits_of = |q| hits(&index, q, None);
        let found = hits_of("QATAR");
        assert_eq!(
            found[0].kind,
            MatchKind::Exact,
            "the exact match comes first"
        );
        assert_eq!(found[0].entry.resource.label, "Qatar");
        assert!(
            found.windows(2).all(|w| w[0].kind <= w[1].kind),
            "better matches come first"
        );
        let prefixed = hits_of("qat");
        assert_eq!(
            prefixed[0].entry.resource.label, "Qatar",
            "a label prefix beats an alias prefix"
        );
        assert_eq!(hits_of("qatár")[0].entry.resource.label, "Qatar");
    }

    #[test]
    fn aliases_and_types_narrow_the_search() {
        let index = index();
        assert_eq!(
            index.exact("IDF")[0].resource.label,
            "Israel Defense Forces"
        );
        let states: Vec<&str> = hits(&index, "", Some("State"))
            .iter()
            .map(|h| h.entry.resource.label.as_str())
            .collect();
        assert!(
            states.contains(&"Qatar") && !states.contains(&"Hamas"),
            "{states:?}"
        );
        assert!(
            hits(&index, "statement:", None).is_empty(),
            "statements are not searchable"
        );
    }

    #[test]
    fn hidden_labels_match_but_are_not_shown() {
        let index = index();
        let tel_aviv = index.exact("tel aviv");
        assert_eq!(
            tel_aviv.len(),
            2,
            "the city by its label, the government by its hidden label"
        );
        assert!(
            tel_aviv
                .iter()
                .all(|e| !e.aliases.iter().any(|a| a == "Tel Aviv"))
        );
    }

    #[test]
    fn pages_are_slices_of_the_whole_result_and_total_counts_every_match() {
        let index = index();
        for (query, filter) in [
            ("", None),
            ("", Some("State")),
            ("a", None),
            ("is", Some("eg:State")),
            ("zzz", None),
        ] {
            let all = index.search(query, filter, 0, usize::MAX);
            assert_eq!(all.total, all.hits.len(), "{query:?} {filter:?}");
            for (offset, limit) in [(0, 1), (1, 3), (5, 5), (all.total, 2), (usize::MAX, 2)] {
                let page = index.search(query, filter, offset, limit);
                assert_eq!(page.total, all.total, "{query:?} {filter:?} {offset}");
                let expected: Vec<&str> = all
                    .hits
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|h| h.entry.resource.iri.as_str())
                    .collect();
                let got: Vec<&str> = page
                    .hits
                    .iter()
                    .map(|h| h.entry.resource.iri.as_str())
                    .collect();
                assert_eq!(got, expected, "{query:?} {filter:?} from {offset}, {limit}");
            }
        }
        assert_eq!(
            index.search("", None, 0, 1).total,
            index.len(),
            "an empty query lists everything"
        );
    }

    #[test]
    fn by_id_and_by_iri_find_indexed_resources_only() {
        let index = index();
        let qatar = EntityId::from_canonical_name("Qatar");
        assert_eq!(
            index.by_id(qatar).map(|e| e.resource.label.as_str()),
            Some("Qatar")
        );
        assert_eq!(
            index.by_iri(qatar.iri().as_str()).map(|e| e.resource.id),
            Some(Some(qatar))
        );
        assert!(
            index
                .by_id(EntityId::from_canonical_name("nothing by this name"))
                .is_none()
        );
        assert!(
            index.estimated_bytes() > index.len() * 100,
            "{} bytes",
            index.estimated_bytes()
        );
    }

    /// An entry as the old build compared: resource, aliases, types, and its keys as a set.
    type Comparable = (Labelled, Vec<String>, Vec<Labelled>, BTreeSet<String>);

    fn comparable(entry: &IndexEntry) -> Comparable {
        let keys = std::iter::once(&entry.label_key)
            .chain(&entry.alias_keys)
            .map(|k| k.to_string())
            .collect();
        (
            entry.resource.clone(),
            entry.aliases.clone(),
            entry.types.clone(),
            keys,
        )
    }

    /// The entries as the build this one replaced made them, resource by resource through the
    /// catalog, in its order (folded label, then IRI): kept here as the reference.
    fn built_resource_by_resource(store: &Store) -> Vec<Comparable> {
        let catalog = Catalog::new(store);
        let mut subjects: Vec<NamedNode> = Vec::new();
        for quad in store
            .oxigraph()
            .quads_for_pattern(None, Some(rdfs::LABEL), None, None)
        {
            if let NamedOrBlankNode::NamedNode(node) = quad.unwrap().subject {
                if EntityId::from_iri(node.as_str()).is_some() {
                    subjects.push(node);
                }
            }
        }
        subjects.sort();
        subjects.dedup();
        let mut entries = Vec::new();
        for subject in subjects {
            let types = catalog.objects(subject.as_ref(), rdf::TYPE).unwrap();
            if types
                .iter()
                .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == eg::STATEMENT))
            {
                continue;
            }
            let literals = |predicate| -> Vec<String> {
                catalog
                    .objects(subject.as_ref(), predicate)
                    .unwrap()
                    .into_iter()
                    .filter_map(|t| match t {
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    })
                    .collect()
            };
            let aliases = literals(skos::ALT_LABEL);
            let resource = catalog.labelled(subject.as_ref()).unwrap();
            let keys: BTreeSet<String> = std::iter::once(resource.label.clone())
                .chain(aliases.iter().cloned())
                .chain(literals(skos::HIDDEN_LABEL))
                .map(|k| fold(&k))
                .collect();
            let types = catalog.labelled_all(types).unwrap();
            entries.push((resource, aliases, types, keys));
        }
        entries.sort_by(|a, b| {
            fold(&a.0.label)
                .cmp(&fold(&b.0.label))
                .then(a.0.iri.cmp(&b.0.iri))
        });
        entries
    }

    #[test]
    fn the_bulk_build_gives_the_entries_the_resource_by_resource_build_gave() {
        let store = crate::store::seed::seeded_in_memory();
        let index = SearchIndex::build(&store).unwrap();
        let built: Vec<Comparable> = index.entries().map(comparable).collect();
        let reference = built_resource_by_resource(&store);
        assert!(reference.len() > 50, "the seed has many labelled resources");
        assert_eq!(built, reference);
        assert_eq!(index.len(), reference.len());
    }

    /// The hits of a query as the scan this index replaced found them: every entry in label
    /// order, kept when its types pass the filter and it matches, then sorted by kind (stably).
    fn searched_by_scan<'a>(
        index: &'a SearchIndex,
        query: &str,
        type_filter: Option<&str>,
    ) -> Vec<(&'a str, MatchKind)> {
        let query = fold(query);
        let mut hits: Vec<(&str, MatchKind)> = index
            .entries()
            .filter(|e| type_filter.is_none_or(|wanted| e.has_type(wanted)))
            .filter_map(|e| Some((e.resource.iri.as_str(), e.kind(&query)?)))
            .collect();
        hits.sort_by_key(|&(_, kind)| kind);
        hits
    }

    fn iris_and_kinds<'a>(page: &SearchPage<'a>) -> Vec<(&'a str, MatchKind)> {
        page.hits
            .iter()
            .map(|h| (h.entry.resource.iri.as_str(), h.kind))
            .collect()
    }

    #[test]
    fn search_finds_what_a_scan_of_every_entry_finds_in_the_same_order() {
        let index = index();
        for query in [
            "", "a", "is", "isr", "idf", "tel aviv", "hamas", "al", "state", "zzz",
        ] {
            for filter in [
                None,
                Some("State"),
                Some("actor"),
                Some("SourceDocument"),
                Some("nothing"),
            ] {
                let page = index.search(query, filter, 0, usize::MAX);
                let expected = searched_by_scan(&index, query, filter);
                assert_eq!(page.total, expected.len(), "{query:?} {filter:?}");
                assert_eq!(iris_and_kinds(&page), expected, "{query:?} {filter:?}");
            }
        }
    }

    /// Everything the index answers to a set of questions, to compare two indexes.
    fn answers(
        index: &SearchIndex,
        queries: &[&str],
        filters: &[Option<&str>],
        iris: &[&str],
    ) -> Vec<String> {
        let mut answers = vec![format!("{} entries", index.len())];
        answers.extend(index.entries().map(|e| format!("{e:?}")));
        for query in queries {
            for filter in filters {
                let page = index.search(query, *filter, 0, usize::MAX);
                let hits: Vec<(&str, MatchKind)> = page
                    .hits
                    .iter()
                    .map(|h| (h.entry.resource.iri.as_str(), h.kind))
                    .collect();
                answers.push(format!(
                    "search {query:?} {filter:?}: {} {hits:?}",
                    page.total
                ));
                let second = index.search(query, *filter, 1, 2);
                let second: Vec<&str> = second
                    .hits
                    .iter()
                    .map(|h| h.entry.resource.iri.as_str())
                    .collect();
                answers.push(format!("page {query:?} {filter:?}: {second:?}"));
            }
            let exact: Vec<&str> = index
                .exact(query)
                .iter()
                .map(|e| e.resource.iri.as_str())
                .collect();
            answers.push(format!("exact {query:?}: {exact:?}"));
        }
        for iri in iris {
            answers.push(format!("by_iri {iri}: {:?}", index.by_iri(iri)));
            if let Some(id) = EntityId::from_iri(iri) {
                answers.push(format!(
                    "by_id {id}: {:?}",
                    index.by_id(id).map(|e| &e.resource)
                ));
            }
        }
        answers
    }

    fn english(text: &str) -> Term {
        Literal::new_language_tagged_literal_unchecked(text, "en").into()
    }

    fn quads_of(store: &Store, subject: &NamedNode, predicate: NamedNodeRef<'_>) -> Vec<Quad> {
        store
            .oxigraph()
            .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn refreshing_after_label_alias_and_type_writes_answers_as_a_rebuild_does() {
        let store = crate::store::seed::seeded_in_memory();
        let mut index = SearchIndex::build(&store).unwrap();
        let api = GraphName::from(graph::API);
        let ontology = GraphName::from(graph::ONTOLOGY);
        let forum = EntityId::from_canonical_name("Doha Forum").iri();
        let qatar = EntityId::from_canonical_name("Qatar").iri();
        let hamas = EntityId::from_canonical_name("Hamas").iri();
        let idf = index.exact("Israel Defense Forces")[0].resource.iri.clone();
        let idf = NamedNode::new(idf).unwrap();
        let state = NamedNode::from(crate::vocab::eg::STATE);
        let event = NamedNode::new(format!("{}Event", eg::NAMESPACE)).unwrap();
        let quad = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term, g: &GraphName| {
            Quad::new(s.clone(), p, o, g.clone())
        };
        let steps: Vec<(&str, Vec<Quad>, Vec<Quad>)> = vec![
            (
                "a new entity with a label, an alias and a type",
                vec![],
                vec![
                    quad(&forum, rdfs::LABEL, english("Doha Forum"), &api),
                    quad(&forum, skos::ALT_LABEL, english("DF"), &api),
                    quad(&forum, rdf::TYPE, event.clone().into(), &api),
                ],
            ),
            (
                "a renamed entity",
                quads_of(&store, &qatar, rdfs::LABEL),
                vec![
                    quad(&qatar, rdfs::LABEL, english("State of Qatar"), &api),
                    quad(
                        &qatar,
                        rdfs::LABEL,
                        Literal::new_language_tagged_literal_unchecked("Katar", "de").into(),
                        &api,
                    ),
                ],
            ),
            (
                "a hidden label",
                vec![],
                vec![quad(
                    &hamas,
                    skos::HIDDEN_LABEL,
                    english("Harakat al-Muqawama"),
                    &api,
                )],
            ),
            (
                "an alias removed",
                quads_of(&store, &idf, skos::ALT_LABEL),
                vec![],
            ),
            (
                "an entity that becomes a statement",
                vec![],
                vec![quad(&forum, rdf::TYPE, eg::STATEMENT.into(), &api)],
            ),
            (
                "and stops being one",
                vec![quad(&forum, rdf::TYPE, eg::STATEMENT.into(), &api)],
                vec![],
            ),
            (
                "a class relabelled",
                quads_of(&store, &state, rdfs::LABEL),
                vec![quad(
                    &state,
                    rdfs::LABEL,
                    english("sovereign state"),
                    &ontology,
                )],
            ),
            (
                "a second type",
                vec![],
                vec![quad(&hamas, rdf::TYPE, state.clone().into(), &api)],
            ),
            (
                "a type removed",
                vec![quad(&hamas, rdf::TYPE, state.clone().into(), &api)],
                vec![],
            ),
            (
                "the same label in a second graph",
                vec![],
                vec![quad(
                    &forum,
                    rdfs::LABEL,
                    english("Doha Forum"),
                    &GraphName::DefaultGraph,
                )],
            ),
            (
                "every label removed",
                vec![
                    quad(&forum, rdfs::LABEL, english("Doha Forum"), &api),
                    quad(
                        &forum,
                        rdfs::LABEL,
                        english("Doha Forum"),
                        &GraphName::DefaultGraph,
                    ),
                ],
                vec![],
            ),
        ];
        let queries = [
            "", "qatar", "state of", "katar", "doha", "df", "idf", "harakat", "muqawama",
            "tel aviv", "forces", "a",
        ];
        let filters = [None, Some("State"), Some("event"), Some(state.as_str())];
        let iris = [forum.as_str(), qatar.as_str(), hamas.as_str(), idf.as_str()];
        for (step, remove, insert) in steps {
            store.apply_changes(&remove, &insert).unwrap();
            index
                .refresh(&store, remove.iter().chain(&insert).map(Quad::as_ref))
                .unwrap();
            let rebuilt = SearchIndex::build(&store).unwrap();
            assert_eq!(
                answers(&index, &queries, &filters, &iris),
                answers(&rebuilt, &queries, &filters, &iris),
                "after {step}"
            );
            let again = index.clone();
            index
                .refresh(&store, remove.iter().chain(&insert).map(Quad::as_ref))
                .unwrap();
            assert_eq!(
                answers(&index, &queries, &filters, &iris),
                answers(&again, &queries, &filters, &iris),
                "refreshing twice after {step} changes nothing"
            );
        }
        assert_eq!(
            index.exact("State of Qatar")[0].resource.iri,
            qatar.as_str()
        );
        assert_eq!(index.exact("Qatar").len(), 0, "the old label is gone");
        assert!(
            index.by_iri(forum.as_str()).is_none(),
            "an entity without labels is not indexed"
        );
        let qatar = index.by_iri(qatar.as_str()).unwrap();
        assert!(
            qatar.types.iter().any(|t| t.label == "sovereign state"),
            "{:?}",
            qatar.types
        );
        assert_eq!(
            index.exact("muqawama").len(),
            0,
            "a hidden label matches exactly only as a whole"
        );
        assert_eq!(hits(&index, "muqawama", None).len(), 1);
    }

    /// One write the property test makes: a quad inserted or removed.
    #[derive(Debug, Clone)]
    struct Write {
        insert: bool,
        quad: Quad,
    }

    const WORDS: &[&str] = &["Alpha", "alpha", "Álpha Beta", "beta", "Gamma ray", "  "];

    fn write() -> impl Strategy<Value = Write> {
        let resource = 0usize..4;
        let class = 0usize..3;
        let word = 0..WORDS.len();
        let graph = any::<bool>();
        let predicate = prop_oneof![
            Just(0u8), // label @en
            Just(1),   // label @fr
            Just(2),   // plain label
            Just(3),   // alt label
            Just(4),   // hidden label
            Just(5),   // type
            Just(6),   // a class's label
        ];
        (any::<bool>(), resource, class, word, graph, predicate).prop_map(
            |(insert, resource, class, word, named, predicate)| {
                let subject = EntityId::from_canonical_name(&format!("resource {resource}")).iri();
                let classes = [
                    NamedNode::from(eg::STATEMENT),
                    NamedNode::new(format!("{}Person", eg::NAMESPACE)).unwrap(),
                    NamedNode::new("https://example.org/vocab#person").unwrap(),
                ];
                let graph = if named {
                    GraphName::from(graph::API)
                } else {
                    GraphName::DefaultGraph
                };
                let text = WORDS[word];
                let (subject, p, object): (NamedNode, NamedNodeRef<'_>, Term) = match predicate {
                    0 => (subject, rdfs::LABEL, english(text)),
                    1 => (
                        subject,
                        rdfs::LABEL,
                        Literal::new_language_tagged_literal_unchecked(text, "fr").into(),
                    ),
                    2 => (
                        subject,
                        rdfs::LABEL,
                        Literal::new_simple_literal(text).into(),
                    ),
                    3 => (subject, skos::ALT_LABEL, english(text)),
                    4 => (
                        subject,
                        skos::HIDDEN_LABEL,
                        Literal::new_simple_literal(text).into(),
                    ),
                    5 => (subject, rdf::TYPE, classes[class].clone().into()),
                    _ => (classes[class].clone(), rdfs::LABEL, english(text)),
                };
                Write {
                    insert,
                    quad: Quad::new(subject, p, object, graph),
                }
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            // Failures are reported with their inputs; no file is written next to the code.
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn refreshing_after_random_writes_answers_as_a_rebuild_does(
            batches in prop::collection::vec(prop::collection::vec(write(), 1..5), 1..12),
        ) {
            let store = Store::open(&StoreLocation::Memory).unwrap();
            let mut index = SearchIndex::build(&store).unwrap();
            let iris: Vec<String> = (0..5)
                .map(|r| EntityId::from_canonical_name(&format!("resource {r}")).iri().into_string())
                .collect();
            let iris: Vec<&str> = iris.iter().map(String::as_str).collect();
            let queries = ["", "alpha", "ALPHA BETA", "al", "alpha b", "b", "beta", "ray", "mm", "gamma ray", "zeta"];
            let filters = [None, Some("person"), Some("Statement"), Some("https://example.org/vocab#person")];
            for batch in batches {
                for write in &batch {
                    if write.insert {
                        store.oxigraph().insert(&write.quad).unwrap();
                    } else {
                        store.oxigraph().remove(&write.quad).unwrap();
                    }
                }
                index.refresh(&store, batch.iter().map(|w| w.quad.as_ref())).unwrap();
                let rebuilt = SearchIndex::build(&store).unwrap();
                prop_assert_eq!(
                    answers(&index, &queries, &filters, &iris),
                    answers(&rebuilt, &queries, &filters, &iris)
                );
                let built: Vec<Comparable> = rebuilt.entries().map(comparable).collect();
                prop_assert_eq!(built, built_resource_by_resource(&store));
                for query in queries {
                    for filter in filters {
                        let page = index.search(query, filter, 0, usize::MAX);
                        prop_assert_eq!(iris_and_kinds(&page), searched_by_scan(&index, query, filter));
                    }
                }
            }
        }
    }
}
