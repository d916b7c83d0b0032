//! The evidence behind each edge, held beside the graph so that provenance filters
//! (`graph::provenance`) run from memory: for every edge the statements (`a eg:Statement`)
//! that reify its direct triple, each as an [`Evidence`] — its source document (and through
//! it the document's publisher), its speaker, the day it was made and its modality, and
//! whether it takes part in a confirmation — and for every dated event its days.
//!
//! **Compact.** Statements with the same provenance are one [`Evidence`], interned: the
//! statements of one article by one speaker on one day share it, and an edge holds one 4-byte
//! id per distinct evidence (two statements that no filter tells apart count once). The ids of
//! an edge sit in one arena, found by a `(start, len)` span indexed by edge; a refresh appends
//! an edge's new ids and leaves the old ones behind until more than half the arena is, when it
//! is compacted. Publishers hang off the source documents (one id per document), so that a
//! document's publisher changes in one place.
//!
//! **What a statement's fields are.** The source is `eg:source`; the publisher is the
//! document's `dcterms:publisher`, else its `schema:publisher`; the speaker `eg:speaker`; the
//! day `eg:statedOn`, else `eg:statedNotAfter` (the latest day the statement can have been
//! made: `as_of` keeps only what was certainly said by then); the modality `eg:modality`; a
//! statement is confirmed when it has an `eg:confirmedBy` or is itself a confirmation
//! (`eg:confirms`). An event's days are its `eg:date`, else `eg:notBefore` to `eg:notAfter`.
//!
//! **Kept in step.** A build reads the statements in one SPARQL pass (the statement layer's
//! terms decoded once each) and the documents' publishers by index; a refresh re-reads the
//! statements of the triples a write touched — a statement's own quads, the direct triple of
//! an edge it adds — so that a write costs in proportion to the statements of the triples it
//! changed, never to the graph. This module does not decide what passes a filter.

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNodeRef, Quad, QuadRef, Term, TermRef};
use petgraph::stable_graph::EdgeIndex;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::evidence_summary::EvidenceSummary;
use super::intern::{Name, ResourceIri, Table, to_u32};

/// An agent's IRI as the table holds it: the uuid of an `egid:` IRI, else the IRI.
fn agent_name(iri: &str) -> Name {
    Name::parse(iri).unwrap_or_else(|| Name::Other(iri.into()))
}
use crate::model::day_number;
use crate::vocab::{self, eg};

/// An id that names nothing (a statement without speaker, a document without publisher).
pub(super) const NONE: u32 = u32::MAX;

/// The bit of an edge's slot that says it points into the lists.
const MANY: u32 = 1 << 31;

/// One statement's provenance, as filters read it: 12 bytes, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// The source document's id in the low 24 bits ([`NO_SOURCE`] without `eg:source`), the
    /// modality's id in the next 7 ([`NO_MODALITY`] without `eg:modality`), and in the top
    /// bit whether it is confirmed (`eg:confirmedBy`) or a confirmation (`eg:confirms`):
    /// packed, so that a record is 12 bytes and not 16.
    packed: u32,
    /// The speaker's id among the agents ([`NONE`] without `eg:speaker`).
    speaker: u32,
    /// The day it was made, days since 1970-01-01 (`i32::MIN` when undated).
    day: i32,
}

/// The source id of a statement without source; ids stop below it (16 million documents).
const NO_SOURCE: u32 = (1 << 24) - 1;
/// The modality id of a statement without modality; ids stop below it.
const NO_MODALITY: u32 = (1 << 7) - 1;

impl Evidence {
    /// An evidence with only a day and a confirmation, for the digest's tests.
    #[cfg(test)]
    pub(super) fn for_test(day: Option<i32>, confirmed: bool) -> Self {
        Self::new(
            NO_SOURCE,
            NO_MODALITY,
            confirmed,
            NONE,
            day.unwrap_or(i32::MIN),
        )
    }

    fn new(source: u32, modality: u32, confirmed: bool, speaker: u32, day: i32) -> Self {
        Self {
            packed: source.min(NO_SOURCE)
                | modality.min(NO_MODALITY) << 24
                | u32::from(confirmed) << 31,
            speaker,
            day,
        }
    }

    /// The source document's id, if it has one.
    #[inline]
    pub fn source(&self) -> Option<u32> {
        let source = self.packed & NO_SOURCE;
        (source != NO_SOURCE).then_some(source)
    }

    /// The speaker's id among the agents, if it has one.
    #[inline]
    pub fn speaker(&self) -> Option<u32> {
        (self.speaker != NONE).then_some(self.speaker)
    }

    /// The day it was made (days since 1970-01-01), if known.
    #[inline]
    pub fn day(&self) -> Option<i32> {
        (self.day != i32::MIN).then_some(self.day)
    }

    /// The modality's id, if it has one.
    #[inline]
    pub fn modality(&self) -> Option<u16> {
        let modality = self.packed >> 24 & NO_MODALITY;
        (modality != NO_MODALITY).then_some(modality as u16)
    }

    /// Whether it is confirmed or is a confirmation.
    #[inline]
    pub fn confirmed(&self) -> bool {
        self.packed >> 31 == 1
    }
}

/// The days of a dated event, first and last, both inside (days since 1970-01-01); either
/// may be unknown (`i32::MIN`, `i32::MAX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDays {
    /// The first day it can have happened on.
    pub first: i32,
    /// The last.
    pub last: i32,
}

/// One statement's fields as read from the store or from quads, before interning. Every
/// field keeps all its values: a statement with two speakers (or, malformed, two subjects)
/// is judged as the build's SPARQL pass judges it, one evidence per combination of values
/// (`EvidenceTable::intern`) and every triple it names ([`StatementFacts::triples`]), so
/// that a refresh and a rebuild agree whatever the order the quads come in.
#[derive(Debug, Default, Clone)]
pub(super) struct StatementFacts {
    pub(super) subjects: Vec<Box<str>>,
    pub(super) predicates: Vec<Box<str>>,
    pub(super) objects: Vec<Box<str>>,
    pub(super) sources: Vec<Box<str>>,
    pub(super) speakers: Vec<Box<str>>,
    /// `eg:statedOn`, each value as a day if it reads as one.
    pub(super) stated_on: Vec<Option<i32>>,
    /// `eg:statedNotAfter`, likewise.
    pub(super) not_after: Vec<Option<i32>>,
    pub(super) modalities: Vec<Box<str>>,
    pub(super) confirmed: bool,
    pub(super) statement: bool,
}

/// Adds a value unless it is there.
fn add_once<T: PartialEq>(values: &mut Vec<T>, value: Option<T>) {
    if let Some(value) = value
        && !values.contains(&value)
    {
        values.push(value);
    }
}

impl StatementFacts {
    /// Takes in one quad about the statement.
    pub(super) fn add(&mut self, predicate: NamedNodeRef<'_>, object: TermRef<'_>) {
        let iri = || match object {
            TermRef::NamedNode(node) => Some(Box::<str>::from(node.as_str())),
            _ => None,
        };
        // Any term is a value (a row of the build's pass); a literal that is no day is an
        // unknown day.
        let day = || {
            Some(match object {
                TermRef::Literal(literal) => day_number(literal.value()),
                _ => None,
            })
        };
        if predicate == rdf::TYPE {
            self.statement |= object == TermRef::NamedNode(eg::STATEMENT);
        } else if predicate == rdf::SUBJECT {
            add_once(&mut self.subjects, iri());
        } else if predicate == rdf::PREDICATE {
            add_once(&mut self.predicates, iri());
        } else if predicate == rdf::OBJECT {
            add_once(&mut self.objects, iri());
        } else if predicate == eg::SOURCE {
            add_once(&mut self.sources, iri());
        } else if predicate == eg::SPEAKER {
            add_once(&mut self.speakers, iri());
        } else if predicate == eg::STATED_ON {
            add_once(&mut self.stated_on, day());
        } else if predicate == eg::STATED_NOT_AFTER {
            add_once(&mut self.not_after, day());
        } else if predicate == eg::MODALITY {
            add_once(&mut self.modalities, iri());
        } else if predicate == eg::CONFIRMED_BY || predicate == eg::CONFIRMS {
            self.confirmed = true;
        }
    }

    /// The facts of a statement from its quads.
    pub(super) fn from_quads<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let mut facts = Self::default();
        for quad in quads {
            facts.add(quad.predicate, quad.object);
        }
        facts
    }

    /// The triples it reifies (one in the ontology), when it is a statement: every
    /// combination of its subjects, predicates and IRI objects.
    pub(super) fn triples(&self) -> Vec<(&str, &str, &str)> {
        if !self.statement {
            return Vec::new();
        }
        self.named_triples()
    }

    /// Every combination of its subjects, predicates and IRI objects, whether or not it is
    /// typed a statement: the triples whose evidence a write to it can change (a statement
    /// that loses or gains `a eg:Statement` stops or starts reifying them).
    pub(super) fn named_triples(&self) -> Vec<(&str, &str, &str)> {
        let mut triples = Vec::new();
        for s in &self.subjects {
            for p in &self.predicates {
                for o in &self.objects {
                    triples.push((&**s, &**p, &**o));
                }
            }
        }
        triples
    }

    /// Whether it reifies this triple.
    pub(super) fn reifies(&self, (s, p, o): (&str, &str, &str)) -> bool {
        self.statement
            && self.subjects.iter().any(|x| &**x == s)
            && self.predicates.iter().any(|x| &**x == p)
            && self.objects.iter().any(|x| &**x == o)
    }
}

/// Whether a quad about a resource can change what [`StatementFacts`] read of it.
pub(super) fn is_statement_predicate(quad: QuadRef<'_>) -> bool {
    let p = quad.predicate;
    (p == rdf::TYPE && quad.object == TermRef::NamedNode(eg::STATEMENT))
        || [
            rdf::SUBJECT,
            rdf::PREDICATE,
            rdf::OBJECT,
            eg::SOURCE,
            eg::SPEAKER,
            eg::STATED_ON,
            eg::STATED_NOT_AFTER,
            eg::MODALITY,
            eg::CONFIRMED_BY,
            eg::CONFIRMS,
        ]
        .contains(&p)
}

/// Whether a quad can change a document's publisher.
pub(super) fn is_publisher_predicate(predicate: NamedNodeRef<'_>) -> bool {
    predicate == vocab::publisher::DCTERMS || predicate == vocab::publisher::SCHEMA
}

/// Whether a quad can change an event's days.
pub(super) fn is_date_predicate(predicate: NamedNodeRef<'_>) -> bool {
    predicate == eg::DATE || predicate == eg::NOT_BEFORE || predicate == eg::NOT_AFTER
}

/// An event's days from its quads (`eg:date`, else `eg:notBefore` / `eg:notAfter`).
pub(super) fn event_days<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Option<EventDays> {
    let (mut date, mut first, mut last) = (None, None, None);
    for quad in quads {
        let TermRef::Literal(literal) = quad.object else {
            continue;
        };
        let day = day_number(literal.value());
        if quad.predicate == eg::DATE {
            date = date.or(day);
        } else if quad.predicate == eg::NOT_BEFORE {
            first = first.or(day);
        } else if quad.predicate == eg::NOT_AFTER {
            last = last.or(day);
        }
    }
    match (date, first, last) {
        (Some(day), _, _) => Some(EventDays {
            first: day,
            last: day,
        }),
        (None, None, None) => None,
        (None, first, last) => Some(EventDays {
            first: first.unwrap_or(i32::MIN),
            last: last.unwrap_or(i32::MAX),
        }),
    }
}

/// The publisher of a document from its quads: `dcterms:publisher`, else `schema:publisher`.
pub(super) fn publisher_of<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Option<Box<str>> {
    let (mut dcterms, mut schema) = (None, None);
    for quad in quads {
        if let TermRef::NamedNode(publisher) = quad.object {
            if quad.predicate == vocab::publisher::DCTERMS {
                dcterms = dcterms.or_else(|| Some(publisher.as_str().into()));
            } else if quad.predicate == vocab::publisher::SCHEMA {
                schema = schema.or_else(|| Some(publisher.as_str().into()));
            }
        }
    }
    dcterms.or(schema)
}

/// The evidence of every edge and the days of every dated event: see the module
/// documentation.
#[derive(Debug, Clone, Default)]
pub(super) struct EvidenceTable {
    /// The evidences, by id: distinct after a build, which interns them through `index`; a
    /// refresh reuses the ids of the edge it re-reads and appends the others, so that what
    /// writes add is shared again only at the next build (a hash index kept for refreshes
    /// would cost more than the records it saves).
    kinds: Vec<Evidence>,
    /// The index of `kinds` while a build interns them; `None` after.
    index: Option<FxHashMap<Evidence, u32>>,
    /// Each edge's evidence, by edge index: [`NONE`] for none, the id of its one evidence,
    /// or [`MANY`] and the position in `lists` of its length followed by its ids (most edges
    /// have one, which then costs 4 bytes in all).
    slots: Vec<u32>,
    /// The lists of the edges with more than one evidence: a length, then the ids, sorted
    /// and distinct.
    lists: Vec<u32>,
    /// How many of `lists` no slot points into any more.
    left_behind: usize,
    /// Source document IRIs, by id.
    sources: Table<Box<str>>,
    /// The publisher (an agent id, or [`NONE`]) of each source document, by id.
    publishers: Vec<u32>,
    /// Speakers' and publishers' IRIs, by id: 24 bytes for a uuid IRI, as nodes hold theirs.
    agents: Table<Name>,
    /// Modality IRIs, by id.
    modalities: Table<Box<str>>,
    /// The days of the dated events, by node index.
    days: FxHashMap<u32, EventDays>,
    /// Each edge's earliest day and whether it is confirmed, so that the commonest filters
    /// read one value per edge: kept by [`EvidenceTable::set`] and [`EvidenceTable::clear`].
    summary: EvidenceSummary,
}

/// The evidence table as the read models' snapshot keeps it.
#[derive(Serialize, Deserialize)]
pub(super) struct SavedEvidence {
    kinds: Vec<Evidence>,
    slots: Vec<u32>,
    lists: Vec<u32>,
    left_behind: usize,
    sources: Vec<Box<str>>,
    publishers: Vec<u32>,
    agents: Vec<Box<str>>,
    modalities: Vec<Box<str>>,
    days: Vec<(u32, EventDays)>,
}

impl EvidenceTable {
    pub(super) fn saved(&self) -> SavedEvidence {
        let mut days: Vec<(u32, EventDays)> = self.days.iter().map(|(&n, &d)| (n, d)).collect();
        days.sort_unstable_by_key(|&(n, _)| n);
        SavedEvidence {
            kinds: self.kinds.clone(),
            slots: self.slots.clone(),
            lists: self.lists.clone(),
            left_behind: self.left_behind,
            sources: self.sources.items().to_vec(),
            publishers: self.publishers.clone(),
            agents: self
                .agents
                .items()
                .iter()
                .map(|name| name.iri().as_str().into())
                .collect(),
            modalities: self.modalities.items().to_vec(),
            days,
        }
    }

    pub(super) fn from_saved(saved: SavedEvidence) -> Self {
        let mut table = Self {
            kinds: saved.kinds,
            index: None,
            slots: saved.slots,
            lists: saved.lists,
            left_behind: saved.left_behind,
            sources: Table::from_items(saved.sources),
            publishers: saved.publishers,
            agents: Table::from_items(saved.agents.iter().map(|iri| agent_name(iri)).collect()),
            modalities: Table::from_items(saved.modalities),
            days: saved.days.into_iter().collect(),
            summary: EvidenceSummary::default(),
        };
        // Derived, so not saved: O(E) once per load.
        let mut summary = EvidenceSummary::default();
        for e in 0..table.slots.len() {
            summary.set(e, table.of(EdgeIndex::new(e)));
        }
        summary.shrink_to_fit();
        table.summary = summary;
        table
    }

    /// Starts a build's interning of evidences.
    pub(super) fn start_build(&mut self) {
        self.index = Some(FxHashMap::default());
    }

    /// The ids of the evidences of a statement (none for what is not a statement), one per
    /// combination of its sources, speakers, days and modalities (a missing field counting
    /// as one absent value), as the build's SPARQL pass has one row per combination; each as
    /// [`EvidenceTable::intern_one`] finds it.
    pub(super) fn intern(&mut self, facts: &StatementFacts, reuse: &[u32]) -> Vec<u32> {
        let mut ids = Vec::new();
        if !facts.statement {
            return ids;
        }
        fn or_absent<T: Clone>(values: &[T]) -> Vec<Option<T>> {
            if values.is_empty() {
                vec![None]
            } else {
                values.iter().cloned().map(Some).collect()
            }
        }
        let on: Vec<Option<i32>> = or_absent(&facts.stated_on)
            .into_iter()
            .map(Option::flatten)
            .collect();
        let na: Vec<Option<i32>> = or_absent(&facts.not_after)
            .into_iter()
            .map(Option::flatten)
            .collect();
        for source in or_absent(&facts.sources) {
            let source = source.map_or(NO_SOURCE, |iri| self.source(&iri));
            for speaker in or_absent(&facts.speakers) {
                let speaker = speaker.map_or(NONE, |iri| self.agent(&iri));
                for modality in or_absent(&facts.modalities) {
                    let modality = modality.map_or(NO_MODALITY, |iri| {
                        self.modalities.intern_with(&iri, || iri.clone())
                    });
                    for &on in &on {
                        for &na in &na {
                            let day = on.or(na).unwrap_or(i32::MIN);
                            let evidence =
                                Evidence::new(source, modality, facts.confirmed, speaker, day);
                            let id = self.intern_one(evidence, &[reuse, &ids[..]].concat());
                            if !ids.contains(&id) {
                                ids.push(id);
                            }
                        }
                    }
                }
            }
        }
        ids
    }

    /// The id of one evidence: its interned id during a build, else one of `reuse` (the
    /// edge's ids before a refresh) that holds the same, else a new id.
    fn intern_one(&mut self, evidence: Evidence, reuse: &[u32]) -> u32 {
        let next = to_u32(self.kinds.len());
        let id = match &mut self.index {
            Some(index) => *index.entry(evidence).or_insert(next),
            None => reuse
                .iter()
                .copied()
                .find(|&id| self.kinds[id as usize] == evidence)
                .unwrap_or(next),
        };
        if id == next {
            self.kinds.push(evidence);
        }
        id
    }

    fn source(&mut self, iri: &str) -> u32 {
        // Past 16 million documents, later ones share the last id (a filter by one of them
        // then errs by taking its statements for the others').
        let id = self
            .sources
            .intern_with(iri, || iri.into())
            .min(NO_SOURCE - 1);
        if self.publishers.len() < self.sources.len() {
            self.publishers.resize(self.sources.len(), NONE);
        }
        id
    }

    fn agent(&mut self, iri: &str) -> u32 {
        self.agents.intern(agent_name(iri))
    }

    /// Sets a source document's publisher (`None`: it has none), if the document is known.
    pub(super) fn set_publisher(&mut self, source: &str, publisher: Option<&str>) {
        let publisher = publisher.map_or(NONE, |iri| self.agent(iri));
        if let Some(id) = self.sources.get(source) {
            self.publishers[id as usize] = publisher;
        }
    }

    /// Sets a source document's publisher, interning the document.
    pub(super) fn add_publisher(&mut self, source: &str, publisher: &str) {
        let id = self.source(source);
        if self.publishers[id as usize] == NONE {
            self.publishers[id as usize] = self.agent(publisher);
        }
    }

    /// Sets an edge's evidence (ids from [`EvidenceTable::intern`], in any order).
    pub(super) fn set(&mut self, edge: EdgeIndex, mut ids: Vec<u32>) {
        ids.sort_unstable();
        ids.dedup();
        self.clear(edge);
        let e = edge.index();
        if self.slots.len() <= e {
            self.slots.resize(e + 1, NONE);
        }
        self.slots[e] = match ids.as_slice() {
            [] => NONE,
            [one] => *one,
            many => {
                let at = to_u32(self.lists.len());
                assert!(at < MANY, "more than 2^31 evidence ids in lists");
                self.lists.push(to_u32(many.len()));
                self.lists.extend_from_slice(many);
                MANY | at
            }
        };
        let kinds = &self.kinds;
        self.summary
            .set(e, ids.iter().map(|&id| &kinds[id as usize]));
        if self.left_behind > 4096 && self.left_behind > self.lists.len() / 2 {
            self.compact();
        }
    }

    /// Forgets an edge's evidence (the edge is gone, or is given new evidence).
    pub(super) fn clear(&mut self, edge: EdgeIndex) {
        if let Some(slot) = self.slots.get_mut(edge.index()) {
            if *slot != NONE && *slot & MANY != 0 {
                let at = (*slot & !MANY) as usize;
                self.left_behind += 1 + self.lists[at] as usize;
            }
            *slot = NONE;
            self.summary.set(edge.index(), []);
        }
    }

    /// Renumbers the evidences in the order of the edges that hold them, and moves the lists
    /// into edge order too: a build interns them in the order of the statements, scattered
    /// over `kinds`, so that judging one edge read as many cache lines as it has statements;
    /// after this, an edge's evidences sit side by side (and next to its neighbours' when
    /// edge indices are close). Evidences no edge holds are dropped.
    ///
    /// # Complexity
    /// O(E + L log l) for the E edge slots and the L ids in lists, l the longest.
    fn lay_out_by_edge(&mut self) {
        let mut renumbered = vec![NONE; self.kinds.len()];
        let mut kinds = Vec::with_capacity(self.kinds.len());
        let mut renumber = |id: u32| -> u32 {
            let new = &mut renumbered[id as usize];
            if *new == NONE {
                *new = to_u32(kinds.len());
                kinds.push(self.kinds[id as usize]);
            }
            *new
        };
        let mut lists = Vec::with_capacity(self.lists.len() - self.left_behind);
        for slot in &mut self.slots {
            if *slot == NONE {
                continue;
            }
            if *slot & MANY == 0 {
                *slot = renumber(*slot);
                continue;
            }
            let at = (*slot & !MANY) as usize;
            let len = self.lists[at] as usize;
            let start = lists.len();
            *slot = MANY | to_u32(start);
            lists.push(to_u32(len));
            lists.extend(self.lists[at + 1..=at + len].iter().map(|&id| renumber(id)));
            // Lists stay sorted.
            lists[start + 1..].sort_unstable();
        }
        self.kinds = kinds;
        self.lists = lists;
        self.left_behind = 0;
    }

    fn compact(&mut self) {
        let mut lists = Vec::with_capacity(self.lists.len() - self.left_behind);
        for slot in &mut self.slots {
            if *slot != NONE && *slot & MANY != 0 {
                let at = (*slot & !MANY) as usize;
                let len = self.lists[at] as usize;
                *slot = MANY | to_u32(lists.len());
                lists.extend_from_slice(&self.lists[at..=at + len]);
            }
        }
        self.lists = lists;
        self.left_behind = 0;
    }

    /// Ends a build: lays the evidences out in edge order and gives back the slack of
    /// growing.
    pub(super) fn finish_build(&mut self) {
        self.index = None;
        self.lay_out_by_edge();
        self.kinds.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.lists.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.publishers.shrink_to_fit();
        self.agents.shrink_to_fit();
        self.modalities.shrink_to_fit();
        self.days.shrink_to_fit();
        self.summary.shrink_to_fit();
    }

    /// The evidence of an edge, one per distinct provenance.
    /// The evidence ids of an edge.
    pub(super) fn ids(&self, edge: EdgeIndex) -> Vec<u32> {
        let slot = self.slots.get(edge.index()).copied().unwrap_or(NONE);
        if slot == NONE {
            Vec::new()
        } else if slot & MANY == 0 {
            vec![slot]
        } else {
            let at = (slot & !MANY) as usize;
            self.lists[at + 1..=at + self.lists[at] as usize].to_vec()
        }
    }

    #[inline]
    pub(super) fn of(&self, edge: EdgeIndex) -> impl Iterator<Item = &Evidence> + '_ {
        let slot = self.slots.get(edge.index()).copied().unwrap_or(NONE);
        let ids: &[u32] = if slot == NONE {
            &[]
        } else if slot & MANY == 0 {
            std::slice::from_ref(&self.slots[edge.index()])
        } else {
            let at = (slot & !MANY) as usize;
            &self.lists[at + 1..=at + self.lists[at] as usize]
        };
        ids.iter().map(|&id| &self.kinds[id as usize])
    }

    /// The publisher (an agent id) of a source document id, if it has one.
    #[inline]
    pub(super) fn publisher(&self, source: u32) -> Option<u32> {
        self.publishers
            .get(source as usize)
            .copied()
            .filter(|&p| p != NONE)
    }

    /// How many source documents are known.
    pub(super) fn source_count(&self) -> u32 {
        to_u32(self.sources.len())
    }

    pub(super) fn source_id(&self, iri: &str) -> Option<u32> {
        self.sources.get(iri)
    }

    pub(super) fn agent_id(&self, iri: &str) -> Option<u32> {
        self.agents.get(&agent_name(iri))
    }

    pub(super) fn modality_id(&self, iri: &str) -> Option<u16> {
        self.modalities
            .get(iri)
            .filter(|&id| id < NO_MODALITY)
            .and_then(|id| u16::try_from(id).ok())
    }

    pub(super) fn days_of(&self, node: u32) -> Option<EventDays> {
        self.days.get(&node).copied()
    }

    pub(super) fn set_days(&mut self, node: u32, days: Option<EventDays>) {
        match days {
            Some(days) => self.days.insert(node, days),
            None => self.days.remove(&node),
        };
    }

    /// The IRI of an agent id.
    pub(super) fn agent_iri(&self, id: u32) -> ResourceIri<'_> {
        self.agents.item(id).iri()
    }

    /// The IRI of a source id.
    pub(super) fn source_iri(&self, id: u32) -> &str {
        self.sources.item(id)
    }

    /// The IRI of a modality id.
    pub(super) fn modality_iri(&self, id: u16) -> &str {
        // Ids come from `Evidence::modality`, below `NO_MODALITY`.
        self.modalities.item(u32::from(id))
    }

    /// The bytes held, as `memory.rs` counts them.
    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.kinds.capacity() * size_of::<Evidence>()
            + self.index.as_ref().map_or(0, |index| {
                index.capacity() * (size_of::<(Evidence, u32)>() + 1)
            })
            + self.slots.capacity() * size_of::<u32>()
            + self.lists.capacity() * size_of::<u32>()
            + self.sources.bytes(|iri| iri.len())
            + self.publishers.capacity() * size_of::<u32>()
            + self.agents.bytes(|name| match name {
                Name::Uuid(_) => 0,
                Name::Other(iri) => iri.len(),
            })
            + self.modalities.bytes(|iri| iri.len())
            + self.days.capacity() * (size_of::<u32>() + size_of::<EventDays>() + 1)
            + self.summary.bytes()
    }

    /// Whether one of an edge's statements was made on or before `day`, read from the
    /// digest; `None` when it cannot tell (see `evidence_summary`).
    #[inline]
    pub(super) fn made_by(&self, edge: EdgeIndex, day: i32) -> Option<bool> {
        self.summary.made_by(edge.index(), day)
    }

    /// Whether one of an edge's statements is confirmed or a confirmation, from the digest.
    #[inline]
    pub(super) fn any_confirmed(&self, edge: EdgeIndex) -> bool {
        self.summary.confirmed(edge.index())
    }

    /// How many edges have evidence and how many evidence ids they hold.
    pub(super) fn counts(&self) -> (usize, usize) {
        let mut counts = (0, 0);
        for e in 0..self.slots.len() {
            let n = self.of(EdgeIndex::new(e)).count();
            counts.0 += usize::from(n > 0);
            counts.1 += n;
        }
        counts
    }
}

/// Groups quads by statement subject, for builds from quads: the facts of every statement.
pub(super) fn statements_in<'a>(
    quads: impl IntoIterator<Item = QuadRef<'a>>,
) -> Vec<StatementFacts> {
    let mut by_subject: FxHashMap<&'a str, StatementFacts> = FxHashMap::default();
    for quad in quads {
        if let oxigraph::model::NamedOrBlankNodeRef::NamedNode(subject) = quad.subject
            && is_statement_predicate(quad)
        {
            by_subject
                .entry(subject.as_str())
                .or_default()
                .add(quad.predicate, quad.object);
        }
    }
    let mut statements: Vec<(&str, StatementFacts)> = by_subject.into_iter().collect();
    statements.sort_unstable_by(|a, b| a.0.cmp(b.0));
    statements.into_iter().map(|(_, facts)| facts).collect()
}

/// The facts of a statement from the store's quads about it.
pub(super) fn facts_of(quads: &[Quad]) -> StatementFacts {
    StatementFacts::from_quads(quads.iter().map(Quad::as_ref))
}

/// The IRI of a term when it is one.
pub(super) fn iri_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(node) => Some(node.as_str()),
        _ => None,
    }
}
