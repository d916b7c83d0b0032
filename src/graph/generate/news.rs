//! A deterministic news-event graph at any size, streamed quad by quad: what
//! `eventgraph gen` writes for the benchmarks against other stores.
//!
//! [`news`] makes what the modelling of many articles makes. Actors (states, people,
//! organisations, government bodies, armed forces) with English labels and, for two in five,
//! `skos:altLabel` aliases; events of seven `eg:` classes, each dated with `eg:date` between
//! 2023-01-01 and 2024-12-31 and each with at least one actor in a participant role; places.
//! Source documents, one named graph each, one per hundred direct triples, each with its
//! title, publisher (an `eg:NewsOutlet`), publication date and language. Direct triples with
//! the `eg:` predicates that fit the kinds they join, and for each its `eg:Statement` in the
//! graph of the document that reports it (one triple in twenty is reported by two), with
//! `rdf:subject`/`rdf:predicate`/`rdf:object`, `eg:source`, `eg:speaker`, `eg:statedOn`,
//! `eg:quote`, `eg:modality` and `eg:attribution` (the publisher's own narration has the
//! publisher as speaker, as the shapes require). One statement in ten is confirmed as the seed
//! models a confirmation: a statement of its own by the document's confirming actor about the
//! same triple, linked both ways (`eg:confirms` / `eg:confirmedBy`) and `eg:expressedIn` the
//! document's `eg:Confirmation` event, whose `eg:agent` is that actor. Every resource has one
//! English `rdfs:label` and one `rdfs:comment`; IRIs are the uuid5 of the label, as in the
//! seed.
//!
//! Degree: endpoints are drawn half uniformly and half in proportion to the edges they already
//! have (preferential attachment), and a few actors are hubs that take a fixed share of all
//! edges each (by default a quarter, a twelfth and a thirtieth), as the countries at the
//! centre of a conflict do in real news graphs.
//!
//! The quads go to a sink as they are made; what stays in memory is the entities and the set
//! of distinct direct triples as integers, from which the [`Facts`] the benchmarks ask about
//! are computed at the end. The random numbers are the parent module's SplitMix64, so a seed
//! gives the same quads in the same order everywhere. This module does no I/O.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::FxHashSet;

use super::facts::{self, Facts};
use super::names::{Names, verb};
use super::{Kind, SplitMix64, english, predicates};
use crate::model::EntityId;
use crate::vocab::{eg, skos};

// Terms of the ontology (and of the vocabularies it aligns to) that only this generator names.

/// The class of the source documents' publishers.
pub(super) const NEWS_OUTLET: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#NewsOutlet");
/// An event class: an air strike.
pub(super) const AIRSTRIKE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Airstrike");
/// An event class: a blockade.
pub(super) const BLOCKADE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Blockade");
/// The communication event in which an actor confirms what others reported.
const CONFIRMATION: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Confirmation");
/// Statement → the communication event it was made in.
const EXPRESSED_IN: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#expressedIn");
const TITLE: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
const PUBLISHER: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/publisher");
const LANGUAGE: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/language");
const DATE_PUBLISHED: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://schema.org/datePublished");

const EVENTS: &[NamedNodeRef<'static>] = &[
    eg::MILITARY_OPERATION,
    eg::ATTACK,
    AIRSTRIKE,
    eg::MEETING,
    eg::ANNOUNCEMENT,
    eg::CONTACT_THROUGH_INTERMEDIARY,
    BLOCKADE,
];

/// Every predicate a direct triple can have, numbered by position for the integer triples.
pub(super) const PREDICATES: &[NamedNodeRef<'static>] = &[
    eg::CONTACTS_VIA,
    eg::PART_OF,
    eg::LAUNCHED,
    eg::ANNOUNCED,
    eg::PARTICIPATED_IN,
    eg::LOCATION,
    eg::AGENT,
    eg::TARGET,
    eg::PARTICIPANT,
    eg::COUNTERPART,
    eg::SUB_EVENT_OF,
    eg::IN_RESPONSE_TO,
    eg::EVENT_PLACE,
    eg::LOCATED_IN,
];

/// The roles that give an event its participant, as (event → actor, predicate).
const ROLES: &[(bool, NamedNodeRef<'static>)] = &[
    (true, eg::AGENT),
    (true, eg::AGENT),
    (true, eg::PARTICIPANT),
    (true, eg::PARTICIPANT),
    (true, eg::TARGET),
    (true, eg::COUNTERPART),
    (false, eg::LAUNCHED),
    (false, eg::PARTICIPATED_IN),
    (false, eg::ANNOUNCED),
];

/// The number of days from 2023-01-01 to 2024-12-31.
pub(super) const DAYS: usize = 731;
/// Direct triples per entity (about; the hubs make the degrees uneven).
const EDGES_PER_ENTITY: usize = 3;
/// Direct triples per source document.
const EDGES_PER_DOCUMENT: usize = 100;
/// Quads per direct triple, all told, for sizing a graph by its quads.
const QUADS_PER_EDGE: u64 = 17;
/// The hubs' default shares of the edges, largest first.
pub const HUB_SHARES: [f64; 3] = [0.25, 1.0 / 12.0, 1.0 / 30.0];

/// How big a graph to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewsSize {
    /// About this many quads: the entities follow, and triples are added until there are.
    Triples(u64),
    /// Exactly this many entities (actors, events, places, publishers and confirmation
    /// events), and three direct triples per entity.
    Entities(usize),
}

/// What [`news`] makes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsOptions {
    /// The seed: the same options give the same quads in the same order.
    pub seed: u64,
    pub size: NewsSize,
    /// The share of all direct triples each hub takes, one hub per share.
    pub hub_shares: Vec<f64>,
    /// When set, every direct triple is reported by exactly this many documents (each with
    /// its statement), instead of by one and, one time in twenty, a second.
    pub reports_per_triple: Option<usize>,
    /// When set, this many publishers instead of one per forty documents.
    pub publishers: Option<usize>,
}

impl NewsOptions {
    /// A graph of about `triples` quads, with the default hubs.
    pub fn triples(seed: u64, triples: u64) -> Self {
        Self {
            seed,
            size: NewsSize::Triples(triples),
            hub_shares: HUB_SHARES.to_vec(),
            reports_per_triple: None,
            publishers: None,
        }
    }

    /// A graph of `entities` entities, with the default hubs.
    pub fn entities(seed: u64, entities: usize) -> Self {
        Self {
            seed,
            size: NewsSize::Entities(entities),
            hub_shares: HUB_SHARES.to_vec(),
            reports_per_triple: None,
            publishers: None,
        }
    }

    /// Every direct triple reported by `reports` documents, by `publishers` publishers in
    /// all: a graph with several statements per edge from many sources, for the provenance
    /// filters' benchmark.
    pub fn with_reports(mut self, reports: usize, publishers: usize) -> Self {
        self.reports_per_triple = Some(reports.max(1));
        self.publishers = Some(publishers.max(1));
        self
    }

    /// The hubs' shares of the direct triples (their sum at most 0.9).
    pub fn with_hub_shares(mut self, shares: Vec<f64>) -> Self {
        self.hub_shares = shares;
        self
    }
}

/// What [`news`] made: counts, and the facts computed from its triples.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NewsGraph {
    pub facts: Facts,
}

/// An entity of the graph as the generator keeps it.
pub(super) struct Entity {
    pub(super) iri: NamedNode,
    pub(super) kind: Kind,
    pub(super) label: String,
    /// An event's day, as a number of days after 2023-01-01; 0 for others.
    pub(super) day: u16,
}

/// A source document: its graph and what its statements take from it.
struct Document {
    iri: NamedNode,
    graph: GraphName,
    label: String,
    day: u16,
    /// The entity that publishes it, the speaker of its own narration.
    publisher: u32,
    /// The actor who confirms statements in it, and its `eg:Confirmation` event.
    confirmer: u32,
    confirmation: u32,
}

/// Streams a news graph of the size `options` asks for to `sink`, one quad at a time, and
/// returns its counts and facts.
///
/// # Errors
/// The first error of `sink`, after which nothing more is made.
///
/// # Complexity
/// O(entities + edges) expected time; memory for the entities and the distinct direct triples
/// as integers, never for the quads.
pub fn news<E>(
    options: &NewsOptions,
    mut sink: impl FnMut(Quad) -> Result<(), E>,
) -> Result<NewsGraph, E> {
    let mut generator = Generator::new(options, &mut sink)?;
    generator.participants()?;
    generator.random_triples()?;
    Ok(generator.finish())
}

/// A graph in the making.
struct Generator<'s, E> {
    seed: u64,
    rng: SplitMix64,
    sink: &'s mut dyn FnMut(Quad) -> Result<(), E>,
    /// Quads given to the sink so far.
    quads: u64,
    /// When to stop adding triples: a number of quads, or of triples.
    target: NewsSize,
    /// Triples wanted in `Entities` mode; an estimate in `Triples` mode, for the attempts.
    edges: usize,
    hub_shares: Vec<f64>,
    /// See [`NewsOptions::reports_per_triple`].
    reports_per_triple: Option<usize>,
    entities: Vec<Entity>,
    /// Entities `0..hubs` are the hubs; `hubs..regular` the others that take part in triples;
    /// then the publishers, then one confirmation event per document.
    hubs: usize,
    regular: usize,
    /// The actors among `0..regular`, speakers and confirmers.
    actors: Vec<u32>,
    documents: Vec<Document>,
    /// The distinct direct triples, predicates numbered as in [`PREDICATES`].
    triples: FxHashSet<(u32, u8, u32)>,
    /// The same, in the order they were made.
    order: Vec<(u32, u8, u32)>,
    /// Each non-hub endpoint once per triple, for drawing in proportion to degree.
    endpoints: Vec<u32>,
    statements: usize,
    confirmations: usize,
    names: Names,
    /// `YYYY-MM-DD` of every day from 2023-01-01 on.
    calendar: Vec<String>,
}

impl<'s, E> Generator<'s, E> {
    /// The entities and documents of the graph, written out.
    fn new(
        options: &NewsOptions,
        sink: &'s mut dyn FnMut(Quad) -> Result<(), E>,
    ) -> Result<Self, E> {
        let seed = options.seed;
        let edges = match options.size {
            NewsSize::Triples(quads) => (quads / QUADS_PER_EDGE) as usize,
            NewsSize::Entities(entities) => EDGES_PER_ENTITY * entities,
        }
        .max(1);
        let documents = edges.div_ceil(EDGES_PER_DOCUMENT);
        let publishers = options
            .publishers
            .unwrap_or_else(|| (documents / 40).clamp(1, 500));
        let documents = documents.max(publishers);
        let regular = match options.size {
            NewsSize::Triples(_) => (edges / EDGES_PER_ENTITY).max(2),
            NewsSize::Entities(entities) => entities.saturating_sub(documents + publishers),
        };
        // The shares of edges hubs can take; a small graph has fewer hubs.
        let hub_shares: Vec<f64> = options
            .hub_shares
            .iter()
            .copied()
            .take(regular / 8)
            .collect();
        let mut generator = Self {
            seed,
            rng: SplitMix64(seed ^ 0x6e65_7773),
            sink,
            quads: 0,
            target: options.size,
            edges,
            hubs: hub_shares.len(),
            hub_shares,
            reports_per_triple: options.reports_per_triple,
            entities: Vec::with_capacity(regular + publishers + documents),
            regular,
            actors: Vec::new(),
            documents: Vec::with_capacity(documents),
            triples: FxHashSet::default(),
            order: Vec::new(),
            endpoints: Vec::new(),
            statements: 0,
            confirmations: 0,
            names: Names::new(seed),
            calendar: calendar(DAYS),
        };
        // The documents' graphs first, for the entities to be described in.
        for d in 0..documents {
            let day = generator.rng.below(DAYS) as u16;
            let label = format!(
                "News report {d} of {} (news graph, seed {seed})",
                generator.calendar[day as usize]
            );
            let iri = EntityId::from_canonical_name(&label).iri();
            generator.documents.push(Document {
                graph: GraphName::from(iri.clone()),
                iri,
                label,
                day,
                publisher: 0,
                confirmer: 0,
                confirmation: 0,
            });
        }
        for i in 0..regular {
            let (kind, class) = if i < generator.hubs {
                (Kind::Actor, eg::STATE)
            } else {
                generator.draw_class()
            };
            generator.entity(kind, class, i % documents)?;
        }
        let first_publisher = generator.entities.len();
        for p in 0..publishers {
            generator.entity(Kind::Actor, NEWS_OUTLET, p % documents)?;
        }
        for d in 0..documents {
            let publisher = (first_publisher + generator.rng.below(publishers)) as u32;
            let confirmer = match generator.actors.len() {
                0 => publisher,
                n => generator.actors[generator.rng.below(n)],
            };
            let document = &mut generator.documents[d];
            document.publisher = publisher;
            document.confirmer = confirmer;
            let (iri, graph, label, day) = (
                document.iri.clone(),
                document.graph.clone(),
                document.label.clone(),
                document.day,
            );
            let date = generator.date(day);
            let about: [(NamedNodeRef<'_>, Term); 7] = [
                (rdf::TYPE, eg::SOURCE_DOCUMENT.into()),
                (rdfs::LABEL, english(&label)),
                (rdfs::COMMENT, english("A generated news report.")),
                (TITLE, english(&label)),
                (
                    PUBLISHER,
                    generator.entities[publisher as usize].iri.clone().into(),
                ),
                (DATE_PUBLISHED, date),
                (LANGUAGE, Literal::new_simple_literal("en").into()),
            ];
            for (predicate, object) in about {
                generator.emit(iri.clone(), predicate, object, &graph)?;
            }
        }
        for d in 0..documents {
            let (confirmer, day) = (generator.documents[d].confirmer, generator.documents[d].day);
            let label = format!(
                "Confirmation by {} in {}",
                generator.entities[confirmer as usize].label, generator.documents[d].label
            );
            let event = generator.described(Kind::Event, CONFIRMATION, label, day, d)?;
            generator.documents[d].confirmation = event;
            let agent = predicate_id(eg::AGENT);
            generator.triples.insert((event, agent, confirmer));
            generator.order.push((event, agent, confirmer));
            generator.statement(d, event, eg::AGENT, confirmer, Speaking::Narration)?;
        }
        Ok(generator)
    }

    /// A kind and class for an entity that is not a hub: two in five actors, nine in twenty
    /// events, the rest places.
    fn draw_class(&mut self) -> (Kind, NamedNodeRef<'static>) {
        match self.rng.below(20) {
            0..8 => (
                Kind::Actor,
                match self.rng.below(20) {
                    0..2 => eg::STATE,
                    2..9 => eg::PERSON,
                    9..14 => eg::ORGANISATION,
                    14..17 => eg::GOVERNMENT_BODY,
                    _ => eg::ARMED_FORCE,
                },
            ),
            8..17 => (Kind::Event, EVENTS[self.rng.below(EVENTS.len())]),
            _ => (
                Kind::Place,
                if self.rng.below(10) < 7 {
                    eg::CITY
                } else {
                    eg::REGION
                },
            ),
        }
    }

    /// A new entity named by its class's template, described in the graph of `document`.
    fn entity(
        &mut self,
        kind: Kind,
        class: NamedNodeRef<'static>,
        document: usize,
    ) -> Result<u32, E> {
        let i = self.entities.len();
        let day = if kind == Kind::Event {
            self.rng.below(DAYS) as u16
        } else {
            0
        };
        let choice = self.rng.below(1 << 16);
        let aliased = kind == Kind::Actor && (i < self.hubs || self.rng.below(5) < 2);
        let (label, aliases) =
            self.names
                .label(i, class, &self.calendar[day as usize], choice, aliased);
        let id = self.described(kind, class, label, day, document)?;
        let graph = self.graph_of(document);
        for alias in aliases {
            let iri = self.entities[i].iri.clone();
            self.emit(iri, skos::ALT_LABEL, english(&alias), &graph)?;
        }
        Ok(id)
    }

    /// A new entity with this label: its type, label, comment and (for an event) date.
    fn described(
        &mut self,
        kind: Kind,
        class: NamedNodeRef<'static>,
        label: String,
        day: u16,
        document: usize,
    ) -> Result<u32, E> {
        let id = self.entities.len() as u32;
        let iri = EntityId::from_canonical_name(&label).iri();
        let graph = self.graph_of(document);
        self.emit(iri.clone(), rdf::TYPE, class.into(), &graph)?;
        self.emit(iri.clone(), rdfs::LABEL, english(&label), &graph)?;
        let comment = format!("A generated {}.", super::local(class));
        self.emit(iri.clone(), rdfs::COMMENT, english(&comment), &graph)?;
        if kind == Kind::Event {
            let date = self.date(day);
            self.emit(iri.clone(), eg::DATE, date, &graph)?;
        }
        if kind == Kind::Actor && (id as usize) < self.regular {
            self.actors.push(id);
        }
        self.entities.push(Entity {
            iri,
            kind,
            label,
            day,
        });
        Ok(id)
    }

    fn graph_of(&self, document: usize) -> GraphName {
        self.documents[document].graph.clone()
    }

    fn date(&self, day: u16) -> Term {
        Literal::new_typed_literal(self.calendar[day as usize].clone(), xsd::DATE).into()
    }

    fn emit(
        &mut self,
        subject: NamedNode,
        predicate: NamedNodeRef<'_>,
        object: Term,
        graph: &GraphName,
    ) -> Result<(), E> {
        self.quads += 1;
        (self.sink)(Quad::new(subject, predicate, object, graph.clone()))
    }

    /// Whether the graph is as big as asked.
    fn full(&self) -> bool {
        match self.target {
            NewsSize::Triples(quads) => self.quads >= quads,
            NewsSize::Entities(_) => self.triples.len() >= self.edges,
        }
    }

    /// The hub, if any, that the next triple goes to, by the hubs' shares.
    fn draw_hub(&mut self) -> Option<u32> {
        let r = (self.rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let mut sum = 0.0;
        for (hub, share) in self.hub_shares.iter().enumerate() {
            sum += share;
            if r < sum {
                return Some(hub as u32);
            }
        }
        None
    }

    /// An entity that is not a hub, half the time in proportion to its triples so far.
    fn draw(&mut self) -> u32 {
        if !self.endpoints.is_empty() && self.rng.below(2) == 0 {
            self.endpoints[self.rng.below(self.endpoints.len())]
        } else {
            (self.hubs + self.rng.below(self.regular - self.hubs)) as u32
        }
    }

    /// An actor that is not a hub, drawn as [`Self::draw`] draws (a few tries), else uniformly.
    fn draw_actor(&mut self) -> u32 {
        for _ in 0..16 {
            let e = self.draw();
            if self.entities[e as usize].kind == Kind::Actor {
                return e;
            }
        }
        self.actors[self.hubs + self.rng.below(self.actors.len() - self.hubs)]
    }

    /// One triple for every event of `0..regular`, with an actor in a participant role.
    fn participants(&mut self) -> Result<(), E> {
        if self.actors.len() <= self.hubs {
            return Ok(());
        }
        for event in self.hubs..self.regular {
            if self.entities[event].kind != Kind::Event {
                continue;
            }
            let event = event as u32;
            let hub = self.draw_hub();
            let actor = hub.unwrap_or_else(|| self.draw_actor());
            let (from_event, p) = ROLES[self.rng.below(ROLES.len())];
            let (s, o) = if from_event {
                (event, actor)
            } else {
                (actor, event)
            };
            self.add(s, p, o, hub.is_some())?;
        }
        Ok(())
    }

    /// Triples until the graph is full: one of a hub and another entity with each hub's
    /// share, else between two entities drawn by [`Self::draw`].
    fn random_triples(&mut self) -> Result<(), E> {
        if self.regular < self.hubs + 2 {
            return Ok(());
        }
        let mut attempts = 0;
        while !self.full() && attempts < 30 * self.edges + 1000 {
            attempts += 1;
            let (s, p, o, hub) = if let Some(hub) = self.draw_hub() {
                let other = self.draw();
                let kind = self.entities[other as usize].kind;
                let out = predicates(Kind::Actor, kind);
                let into = predicates(kind, Kind::Actor);
                let pick = self.rng.below(out.len() + into.len());
                if pick < out.len() {
                    (hub, out[pick], other, true)
                } else {
                    (other, into[pick - out.len()], hub, true)
                }
            } else {
                let (mut s, mut o) = (self.draw(), self.draw());
                if s == o {
                    continue;
                }
                let kind = |e: u32| self.entities[e as usize].kind;
                if predicates(kind(s), kind(o)).is_empty() {
                    std::mem::swap(&mut s, &mut o);
                }
                let choices = predicates(kind(s), kind(o));
                (s, choices[self.rng.below(choices.len())], o, false)
            };
            self.add(s, p, o, hub)?;
        }
        Ok(())
    }

    /// The triple `s p o` with its statements, unless it is there already.
    fn add(&mut self, s: u32, p: NamedNodeRef<'static>, o: u32, hub: bool) -> Result<(), E> {
        let key = (s, predicate_id(p), o);
        if !self.triples.insert(key) {
            return Ok(());
        }
        self.order.push(key);
        for e in [s, o] {
            if !hub || (e as usize) >= self.hubs {
                self.endpoints.push(e);
            }
        }
        let documents = self.documents.len();
        let first = self.rng.below(documents);
        self.statement(first, s, p, o, Speaking::Anyone)?;
        if let Some(reports) = self.reports_per_triple {
            // The documents after the first, each a different one (their publishers are
            // drawn at random when the documents are made).
            for r in 1..reports.min(documents) {
                self.statement((first + r) % documents, s, p, o, Speaking::Anyone)?;
            }
        } else if documents > 1 && self.rng.below(20) == 0 {
            let second = (first + 1 + self.rng.below(documents - 1)) % documents;
            self.statement(second, s, p, o, Speaking::Anyone)?;
        }
        Ok(())
    }

    /// The direct triple `s p o` in the graph of `document` and its statement there, and one
    /// time in ten (unless `speaking` is the publisher's narration) a confirmation of it.
    fn statement(
        &mut self,
        document: usize,
        s: u32,
        p: NamedNodeRef<'static>,
        o: u32,
        speaking: Speaking,
    ) -> Result<(), E> {
        let graph = self.documents[document].graph.clone();
        let (subject, object) = (
            self.entities[s as usize].iri.clone(),
            self.entities[o as usize].iri.clone(),
        );
        self.emit(subject.clone(), p, object.clone().into(), &graph)?;
        let node = self.statement_iri();
        let narration = speaking == Speaking::Narration || self.rng.below(10) < 3;
        let speaker = if narration {
            self.documents[document].publisher
        } else {
            let kind = |e: u32| self.entities[e as usize].kind;
            match self.rng.below(3) {
                0 if kind(s) == Kind::Actor => s,
                1 if kind(o) == Kind::Actor => o,
                _ if self.actors.is_empty() => self.documents[document].publisher,
                _ => self.actors[self.rng.below(self.actors.len())],
            }
        };
        let day = self.documents[document]
            .day
            .saturating_sub(self.rng.below(3) as u16);
        let possible = self.rng.below(10) == 0;
        let words = format!(
            "{} {} {}",
            self.entities[s as usize].label,
            verb(p),
            self.entities[o as usize].label
        );
        let quote = if possible {
            format!("It is possible that {words}.")
        } else {
            format!("{words}.")
        };
        let confirmer = self.documents[document].confirmer;
        let confirmed =
            speaking == Speaking::Anyone && confirmer != speaker && self.rng.below(10) == 0;
        let about: [(NamedNodeRef<'_>, Term); 12] = [
            (rdf::TYPE, eg::STATEMENT.into()),
            (
                rdfs::LABEL,
                english(&self.statement_label(self.statements - 1)),
            ),
            (rdfs::COMMENT, english("A generated claim.")),
            (rdf::SUBJECT, subject.clone().into()),
            (rdf::PREDICATE, p.into()),
            (rdf::OBJECT, object.clone().into()),
            (eg::SOURCE, self.documents[document].iri.clone().into()),
            (
                eg::SPEAKER,
                self.entities[speaker as usize].iri.clone().into(),
            ),
            (eg::STATED_ON, self.date(day)),
            (eg::QUOTE, Literal::new_simple_literal(quote).into()),
            (
                eg::MODALITY,
                if possible { eg::POSSIBLE } else { eg::ASSERTED }.into(),
            ),
            (
                eg::ATTRIBUTION,
                if narration {
                    eg::PUBLISHER_NARRATION
                } else {
                    eg::ATTRIBUTED_IN_TEXT
                }
                .into(),
            ),
        ];
        for (predicate, value) in about {
            self.emit(node.clone(), predicate, value, &graph)?;
        }
        if !confirmed {
            return Ok(());
        }
        // The confirmation, as the seed models the Russian Foreign Ministry's: a statement of
        // its own about the same triple, made on the day of the document, linked both ways.
        let confirming = self.statement_iri();
        self.confirmations += 1;
        self.emit(
            node.clone(),
            eg::CONFIRMED_BY,
            confirming.clone().into(),
            &graph,
        )?;
        let day = self.documents[document].day;
        let event = self.documents[document].confirmation;
        let about: [(NamedNodeRef<'_>, Term); 14] = [
            (rdf::TYPE, eg::STATEMENT.into()),
            (
                rdfs::LABEL,
                english(&self.statement_label(self.statements - 1)),
            ),
            (rdfs::COMMENT, english("A generated confirmation.")),
            (rdf::SUBJECT, subject.into()),
            (rdf::PREDICATE, p.into()),
            (rdf::OBJECT, object.into()),
            (eg::SOURCE, self.documents[document].iri.clone().into()),
            (
                eg::SPEAKER,
                self.entities[confirmer as usize].iri.clone().into(),
            ),
            (eg::STATED_ON, self.date(day)),
            (
                eg::QUOTE,
                Literal::new_simple_literal(format!("This is true: {words}.")).into(),
            ),
            (eg::MODALITY, eg::ASSERTED.into()),
            (eg::ATTRIBUTION, eg::ATTRIBUTED_IN_TEXT.into()),
            (eg::CONFIRMS, node.into()),
            (
                EXPRESSED_IN,
                self.entities[event as usize].iri.clone().into(),
            ),
        ];
        for (predicate, value) in about {
            self.emit(confirming.clone(), predicate, value, &graph)?;
        }
        Ok(())
    }

    /// The IRI of the next statement.
    fn statement_iri(&mut self) -> NamedNode {
        let label = self.statement_label(self.statements);
        self.statements += 1;
        EntityId::from_canonical_name(&label).iri()
    }

    fn statement_label(&self, n: usize) -> String {
        format!("Statement {n} (news graph, seed {})", self.seed)
    }

    fn finish(self) -> NewsGraph {
        let facts = facts::compute(&facts::Input {
            seed: self.seed,
            quads: self.quads,
            entities: &self.entities,
            hubs: self.hubs,
            regular: self.regular,
            triples: &self.order,
            documents: self.documents.len(),
            statements: self.statements,
            confirmations: self.confirmations,
            calendar: &self.calendar,
        });
        NewsGraph { facts }
    }
}

/// Who may speak a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaking {
    /// An actor the text names, or the publisher; the statement may be confirmed.
    Anyone,
    /// The publisher, in its own voice; never confirmed.
    Narration,
}

/// The number of a predicate in [`PREDICATES`].
fn predicate_id(predicate: NamedNodeRef<'_>) -> u8 {
    // Every predicate the generator uses is in the table (the tests check the table against
    // `predicates`), so the fallback is never taken.
    PREDICATES
        .iter()
        .position(|&p| p == predicate)
        .unwrap_or_default() as u8
}

/// `YYYY-MM-DD` for each of `days` days from 2023-01-01.
fn calendar(days: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(days);
    let (mut year, mut month, mut day) = (2023u32, 1u32, 1u32);
    while out.len() < days {
        out.push(format!("{year:04}-{month:02}-{day:02}"));
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let length = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        day += 1;
        if day > length {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Direction, Projection, ProjectionOptions, shortest_path};
    use oxigraph::model::{NamedOrBlankNode, Quad};
    use rustc_hash::{FxHashMap, FxHashSet};

    fn generated(options: &NewsOptions) -> (Vec<Quad>, NewsGraph) {
        let mut quads = Vec::new();
        let graph = news(options, |quad| {
            quads.push(quad);
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap();
        (quads, graph)
    }

    fn iri(term: &NamedOrBlankNode) -> String {
        match term {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        }
    }

    fn value(term: &Term) -> String {
        match term {
            Term::NamedNode(n) => n.as_str().to_owned(),
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        }
    }

    /// The quads as strings: by subject, every (predicate, object, graph).
    fn by_subject(quads: &[Quad]) -> FxHashMap<String, Vec<(String, String, String)>> {
        let mut out: FxHashMap<String, Vec<(String, String, String)>> = FxHashMap::default();
        for quad in quads {
            out.entry(iri(&quad.subject)).or_default().push((
                quad.predicate.as_str().to_owned(),
                value(&quad.object),
                quad.graph_name.to_string(),
            ));
        }
        out
    }

    fn is_direct(predicate: &str) -> bool {
        PREDICATES.iter().any(|p| p.as_str() == predicate)
    }

    #[test]
    fn the_same_seed_gives_the_same_quads_and_another_seed_others() {
        let (first, facts) = generated(&NewsOptions::triples(7, 20_000));
        let (again, facts_again) = generated(&NewsOptions::triples(7, 20_000));
        assert!(first == again, "the same options give the same quads");
        assert_eq!(facts, facts_again);
        let (other, _) = generated(&NewsOptions::triples(8, 20_000));
        assert!(first != other);
    }

    #[test]
    fn a_graph_sized_by_triples_comes_within_a_percent_of_the_target() {
        for target in [5_000u64, 50_000, 300_000] {
            let mut quads = 0u64;
            let graph = news(&NewsOptions::triples(3, target), |_| {
                quads += 1;
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap();
            assert_eq!(graph.facts.triples, quads);
            // The last triple overshoots by at most two statements and their confirmations.
            assert!(
                quads >= target && quads <= target + target / 100 + 60,
                "{quads} quads for {target}"
            );
            let per_entity = graph.facts.edges as f64 / graph.facts.entities as f64;
            assert!(
                (2.0..4.5).contains(&per_entity),
                "{target}: {per_entity} relations per entity"
            );
        }
    }

    #[test]
    fn a_graph_sized_by_entities_has_exactly_those_entities() {
        let (quads, graph) = generated(&NewsOptions::entities(5, 3000));
        assert_eq!(graph.facts.entities, 3000);
        let excluded = [eg::STATEMENT.as_str(), eg::SOURCE_DOCUMENT.as_str()];
        let entities: FxHashSet<String> = quads
            .iter()
            .filter(|q| q.predicate == rdf::TYPE && !excluded.contains(&value(&q.object).as_str()))
            .map(|q| iri(&q.subject))
            .collect();
        assert_eq!(entities.len(), 3000);
        let edges: FxHashSet<(String, String, String)> = quads
            .iter()
            .filter(|q| is_direct(q.predicate.as_str()))
            .map(|q| {
                (
                    iri(&q.subject),
                    q.predicate.as_str().to_owned(),
                    value(&q.object),
                )
            })
            .collect();
        assert_eq!(edges.len(), graph.facts.edges);
        assert!((8_000..=9_000).contains(&edges.len()), "{}", edges.len());
    }

    #[test]
    fn the_predicate_table_holds_every_predicate_that_fits_two_kinds() {
        let kinds = [Kind::Actor, Kind::Event, Kind::Place];
        for from in kinds {
            for to in kinds {
                for p in predicates(from, to) {
                    assert!(PREDICATES.contains(p), "{p} is numbered");
                }
            }
        }
        for (_, role) in ROLES {
            assert!(PREDICATES.contains(role), "{role} is numbered");
        }
    }

    #[test]
    fn hubs_take_their_shares_of_the_relations() {
        let (_, graph) = generated(&NewsOptions::triples(11, 300_000));
        let facts = &graph.facts;
        assert_eq!(facts.hubs.len(), 3);
        assert_eq!(facts.hub.as_ref(), facts.hubs.first());
        for (hub, share) in facts.hubs.iter().zip(HUB_SHARES) {
            let expected = share * facts.edges as f64;
            let got = hub.relations as f64;
            assert!(
                (0.8 * expected..1.1 * expected).contains(&got),
                "{}: {got} relations, {expected} expected",
                hub.label
            );
        }
        let ordinary = facts.ordinary.as_ref().unwrap();
        assert!(
            (40..=60).contains(&ordinary.relations),
            "the ordinary actor has {} relations",
            ordinary.relations
        );
    }

    #[test]
    fn every_resource_statement_event_and_document_carries_what_the_shapes_ask() {
        let (quads, graph) = generated(&NewsOptions::triples(13, 40_000));
        let subjects = by_subject(&quads);
        let one = |s: &str, p: NamedNodeRef<'_>| -> Vec<String> {
            subjects[s]
                .iter()
                .filter(|(predicate, ..)| predicate == p.as_str())
                .map(|(_, o, _)| o.clone())
                .collect()
        };
        let types = |s: &str| one(s, rdf::TYPE);
        let actor_classes = [
            eg::STATE,
            eg::PERSON,
            eg::ORGANISATION,
            eg::GOVERNMENT_BODY,
            eg::ARMED_FORCE,
            NEWS_OUTLET,
        ]
        .map(|c| c.as_str().to_owned());
        let is_actor = |s: &str| types(s).iter().any(|t| actor_classes.contains(t));
        // Direct triples and the statements in their graph, as (s, p, o, graph).
        let mut direct = FxHashSet::default();
        for quad in &quads {
            if is_direct(quad.predicate.as_str()) {
                direct.insert((
                    iri(&quad.subject),
                    quad.predicate.as_str().to_owned(),
                    value(&quad.object),
                    quad.graph_name.to_string(),
                ));
            }
        }
        let mut reified = FxHashSet::default();
        let (mut statements, mut confirmations, mut events) = (0, 0, 0);
        for (subject, about) in &subjects {
            let classes = types(subject);
            assert_eq!(classes.len(), 1, "{subject} has one type");
            assert_eq!(one(subject, rdfs::LABEL).len(), 1, "{subject}: one label");
            assert_eq!(
                one(subject, rdfs::COMMENT).len(),
                1,
                "{subject}: one comment"
            );
            let label = &one(subject, rdfs::LABEL)[0];
            assert_eq!(
                EntityId::from_canonical_name(label).iri().as_str(),
                subject,
                "the IRI is the uuid5 of the label"
            );
            let class = classes[0].as_str();
            if class == eg::STATEMENT.as_str() {
                statements += 1;
                for p in [
                    rdf::SUBJECT,
                    rdf::PREDICATE,
                    rdf::OBJECT,
                    eg::SOURCE,
                    eg::SPEAKER,
                    eg::STATED_ON,
                    eg::QUOTE,
                    eg::MODALITY,
                    eg::ATTRIBUTION,
                ] {
                    assert_eq!(one(subject, p).len(), 1, "{subject}: one {p}");
                }
                let graphs: FxHashSet<&String> = about.iter().map(|(.., g)| g).collect();
                assert_eq!(graphs.len(), 1, "{subject} lives in one graph");
                let graph = graphs.into_iter().next().unwrap().clone();
                let source = &one(subject, eg::SOURCE)[0];
                assert_eq!(format!("<{source}>"), graph, "the graph is the source's");
                assert_eq!(types(source), [eg::SOURCE_DOCUMENT.as_str()]);
                let speaker = &one(subject, eg::SPEAKER)[0];
                assert!(is_actor(speaker), "{subject}: the speaker is an actor");
                if one(subject, eg::ATTRIBUTION)[0] == eg::PUBLISHER_NARRATION.as_str() {
                    assert_eq!(
                        &one(source, PUBLISHER)[0],
                        speaker,
                        "the narrator is the publisher"
                    );
                }
                let triple = (
                    one(subject, rdf::SUBJECT)[0].clone(),
                    one(subject, rdf::PREDICATE)[0].clone(),
                    one(subject, rdf::OBJECT)[0].clone(),
                );
                assert!(
                    direct.contains(&(
                        triple.0.clone(),
                        triple.1.clone(),
                        triple.2.clone(),
                        graph.clone()
                    )),
                    "{subject}: its triple is asserted in its graph"
                );
                reified.insert((triple.0.clone(), triple.1.clone(), triple.2.clone(), graph));
                for confirming in one(subject, eg::CONFIRMED_BY) {
                    assert_eq!(one(&confirming, eg::CONFIRMS), [subject.as_str()]);
                    assert_eq!(one(&confirming, rdf::SUBJECT), [triple.0.as_str()]);
                    assert_eq!(one(&confirming, rdf::OBJECT), [triple.2.as_str()]);
                    assert_ne!(one(&confirming, eg::SPEAKER), [speaker.as_str()]);
                    let event = &one(&confirming, EXPRESSED_IN)[0];
                    assert_eq!(types(event), [CONFIRMATION.as_str()]);
                    confirmations += 1;
                }
            } else if class == eg::SOURCE_DOCUMENT.as_str() {
                for p in [TITLE, PUBLISHER, DATE_PUBLISHED, LANGUAGE] {
                    assert_eq!(one(subject, p).len(), 1, "{subject}: one {p}");
                }
                assert!(is_actor(&one(subject, PUBLISHER)[0]));
            } else if EVENTS
                .iter()
                .chain([&CONFIRMATION])
                .any(|e| e.as_str() == class)
            {
                events += 1;
                assert_eq!(one(subject, eg::DATE).len(), 1, "{subject}: one date");
            } else {
                assert!(
                    is_actor(subject) || [eg::CITY, eg::REGION].iter().any(|c| c.as_str() == class),
                    "{subject} is an actor or a place: {class}"
                );
            }
        }
        assert_eq!(
            direct, reified,
            "every direct triple has its statement in its graph"
        );
        assert_eq!(statements, graph.facts.statements);
        assert_eq!(confirmations, graph.facts.confirmations);
        assert!(
            confirmations * 14 > statements && confirmations * 7 < statements,
            "about one statement in ten is confirmed: {confirmations} of {statements}"
        );
        // Every event has an actor in a participant role.
        let roles: FxHashSet<(String, String)> = direct
            .iter()
            .filter_map(|(s, p, o, _)| {
                let role = ROLES.iter().find(|(_, r)| r.as_str() == p)?;
                Some(if role.0 {
                    (s.clone(), o.clone())
                } else {
                    (o.clone(), s.clone())
                })
            })
            .filter(|(_, actor)| is_actor(actor))
            .collect();
        let with_participant: FxHashSet<&String> = roles.iter().map(|(e, _)| e).collect();
        assert_eq!(
            with_participant.len(),
            events,
            "every event has a participant"
        );
        let aliases = quads
            .iter()
            .filter(|q| q.predicate == skos::ALT_LABEL)
            .count();
        assert!(aliases > graph.facts.entities / 10, "{aliases} aliases");
        assert_eq!(
            graph.facts.documents,
            subjects
                .values()
                .filter(|a| a
                    .iter()
                    .any(|(p, o, _)| p == rdf::TYPE.as_str() && o == eg::SOURCE_DOCUMENT.as_str()))
                .count()
        );
    }

    #[test]
    fn the_facts_agree_with_the_quads_and_the_projection() {
        let (quads, graph) = generated(&NewsOptions::triples(17, 150_000));
        let facts = &graph.facts;
        let mut edges: FxHashSet<(String, String, String)> = FxHashSet::default();
        for quad in quads.iter().filter(|q| is_direct(q.predicate.as_str())) {
            edges.insert((
                iri(&quad.subject),
                quad.predicate.as_str().to_owned(),
                value(&quad.object),
            ));
        }
        assert_eq!(edges.len(), facts.edges);
        let relations = |e: &str| edges.iter().filter(|(s, _, o)| s == e || o == e).count();
        for counted in facts.hubs.iter().chain(&facts.ordinary) {
            assert_eq!(
                relations(&counted.iri),
                counted.relations,
                "{}",
                counted.label
            );
        }
        let mut used: Vec<String> = edges
            .iter()
            .map(|(_, p, _)| p.clone())
            .collect::<FxHashSet<_>>()
            .into_iter()
            .collect();
        used.sort();
        assert_eq!(facts.relation_predicates, used);
        // The label to look up names one resource, by label or alias.
        let lookup = facts.label_lookup.as_ref().unwrap();
        let named = quads
            .iter()
            .filter(|q| {
                (q.predicate == rdfs::LABEL || q.predicate == skos::ALT_LABEL)
                    && value(&q.object) == lookup.label
            })
            .map(|q| iri(&q.subject))
            .collect::<Vec<_>>();
        assert_eq!(named, [lookup.iri.as_str()]);
        // The actor's events in the window.
        let window = facts.actor_events.as_ref().unwrap();
        let dates: FxHashMap<String, String> = quads
            .iter()
            .filter(|q| q.predicate == eg::DATE)
            .map(|q| (iri(&q.subject), value(&q.object)))
            .collect();
        let in_window: FxHashSet<&String> = edges
            .iter()
            .filter(|(e, p, a)| {
                a == &window.iri
                    && (p == eg::AGENT.as_str() || p == eg::PARTICIPANT.as_str())
                    && dates
                        .get(e)
                        .is_some_and(|d| *d >= window.from && *d <= window.to)
            })
            .map(|(e, ..)| e)
            .collect();
        assert_eq!(in_window.len(), window.events);
        assert!(window.events >= 3, "{} events", window.events);
        // The path's length is the projection's shortest path, both directions.
        let path = facts.path.as_ref().unwrap();
        assert!((3..=4).contains(&path.length), "{path:?}");
        assert!(!path.through_hub, "{path:?}");
        let projection =
            Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
        let node = |iri: &str| projection.node(NamedNodeRef::new(iri).unwrap()).unwrap();
        let found = shortest_path(
            projection.graph(),
            node(&path.from),
            node(&path.to),
            10,
            Direction::Both,
        )
        .unwrap();
        assert_eq!(found.len(), path.length);
        assert_eq!(projection.stats().edges, facts.edges);
        assert_eq!(projection.stats().nodes, facts.entities);
        assert_eq!(projection.stats().graphs, facts.documents);
    }
}
