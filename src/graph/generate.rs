//! Deterministic graphs in the project's ontology, for tests and benchmarks.
//!
//! [`generate`] makes what an article's modelling makes, at any size: source documents, each
//! naming its own graph; entities and events with an English label and an `eg:` class, their
//! IRIs the uuid5 of the label as in the seed; direct triples with `eg:` predicates fitting
//! the kinds they join (actor → event `eg:launched`, event → place `eg:place`, ...); and for
//! each direct triple a statement with its provenance (`eg:source`, `eg:speaker`,
//! `eg:statedOn`, `eg:quote`, ...). One triple in twenty is reported by a second document too,
//! so that some edges come from two graphs. Endpoints are drawn half uniformly and half in
//! proportion to the edges they already have, which gives the hubs real graphs have.
//! [`generate_with_hub`] adds to that graph one hub of tens of thousands of relations, the size
//! a country has in a real news graph, for tests of what a hub costs.
//! [`news()`] (in `news.rs`, with `names.rs` and `facts.rs`) streams a larger and richer graph
//! — aliases, dated events, documents with publishers, confirmations, a few hubs — to a sink,
//! with the [`Facts`] benchmarks ask about; it is what `eventgraph gen` writes.
//!
//! The random numbers come from SplitMix64, written out here, so that a seed gives the same
//! quads in the same order on every machine and with every version of every dependency.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::FxHashSet;

use crate::model::EntityId;
use crate::vocab::eg;

mod facts;
mod names;
pub mod news;

pub use self::facts::{ActorEvents, Counted, Facts, Named, PathFact};
pub use self::news::{HUB_SHARES, NewsGraph, NewsOptions, NewsSize, news};

/// What an entity is, for choosing predicates that fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Actor,
    Event,
    Place,
}

const ACTORS: &[NamedNodeRef<'static>] = &[
    eg::STATE,
    eg::PERSON,
    eg::ORGANISATION,
    eg::GOVERNMENT_BODY,
    eg::ARMED_FORCE,
];
const EVENTS: &[NamedNodeRef<'static>] = &[
    eg::MILITARY_OPERATION,
    eg::ATTACK,
    eg::MEETING,
    eg::ANNOUNCEMENT,
    eg::CONTACT_THROUGH_INTERMEDIARY,
];
const PLACES: &[NamedNodeRef<'static>] = &[eg::CITY, eg::REGION];

/// The predicates from one kind to another; every pair has some in one direction or the other.
fn predicates(from: Kind, to: Kind) -> &'static [NamedNodeRef<'static>] {
    match (from, to) {
        (Kind::Actor, Kind::Actor) => &[eg::CONTACTS_VIA, eg::PART_OF],
        (Kind::Actor, Kind::Event) => &[eg::LAUNCHED, eg::ANNOUNCED, eg::PARTICIPATED_IN],
        (Kind::Actor, Kind::Place) => &[eg::LOCATION],
        (Kind::Event, Kind::Actor) => &[eg::AGENT, eg::TARGET, eg::PARTICIPANT, eg::COUNTERPART],
        (Kind::Event, Kind::Event) => &[eg::SUB_EVENT_OF, eg::IN_RESPONSE_TO],
        (Kind::Event, Kind::Place) => &[eg::EVENT_PLACE],
        (Kind::Place, Kind::Place) => &[eg::LOCATED_IN],
        (Kind::Place, _) => &[],
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and fixed forever.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `bound` (> 0); the bias of the modulo is irrelevant here.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

fn english(label: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(label, "en").into()
}

/// The local name of an `eg:` term.
fn local(term: NamedNodeRef<'_>) -> &str {
    term.as_str()
        .strip_prefix(eg::NAMESPACE)
        .unwrap_or(term.as_str())
}

/// A graph of `entities` entities and events and `edges` distinct direct triples between them,
/// each with its statement, spread over one source document per thousand triples; the same
/// `seed` gives the same quads in the same order.
///
/// Fewer triples come out when the entities cannot hold that many distinct ones (fewer than
/// two entities: none). About 13 quads per triple, plus 2 per entity and per document.
///
/// # Complexity
/// O(entities + edges) expected time.
pub fn generate(seed: u64, entities: usize, edges: usize) -> Vec<Quad> {
    let mut generator = Generator::new(seed, entities, edges);
    generator.random_triples(edges);
    generator.quads
}

/// A generated graph in which one entity is a hub.
#[derive(Debug, Clone)]
pub struct WithHub {
    /// The quads, those of [`generate`] with the same arguments first.
    pub quads: Vec<Quad>,
    /// The hub's IRI and label; `None` without entities.
    pub hub: Option<(NamedNode, String)>,
    /// The distinct direct triples the hub is the subject or object of, all told.
    pub hub_relations: usize,
}

/// The graph [`generate`] makes, then `hub_relations` more distinct direct triples between one
/// entity (the first actor, else the first entity) and the others, each with its statement as
/// [`generate`] gives one, so that the hub has tens of thousands of relations as a country or
/// a head of state has in real news graphs.
///
/// The hub's triples go out to and come in from every other entity in turn, with the
/// predicates that fit both kinds (an actor `eg:launched` an event, an event has the actor as
/// its `eg:agent`, ...), one per partner and round, so that predicates and directions are
/// mixed; fewer come out when every fitting triple is taken (an actor and `n` others hold at
/// most about 4 n). The quads of [`generate`] come first and are unchanged.
///
/// # Complexity
/// O(entities + edges + hub_relations) expected time.
pub fn generate_with_hub(
    seed: u64,
    entities: usize,
    edges: usize,
    hub_relations: usize,
) -> WithHub {
    let mut generator = Generator::new(seed, entities, edges);
    generator.random_triples(edges);
    let Some(hub) = generator
        .actors
        .first()
        .copied()
        .or((entities > 0).then_some(0))
    else {
        return WithHub {
            quads: generator.quads,
            hub: None,
            hub_relations: 0,
        };
    };
    generator.hub_triples(hub, hub_relations);
    let relations = generator
        .triples
        .iter()
        .filter(|&&(s, _, o)| s == hub || o == hub)
        .count();
    let (iri, _, label) = generator.nodes[hub].clone();
    WithHub {
        quads: generator.quads,
        hub: Some((iri, label)),
        hub_relations: relations,
    }
}

/// A graph in the making: its documents and entities, the triples so far and their quads.
struct Generator {
    seed: u64,
    rng: SplitMix64,
    /// The source documents, each naming its graph.
    graphs: Vec<NamedNode>,
    /// Every entity: IRI, kind, label.
    nodes: Vec<(NamedNode, Kind, String)>,
    /// The entities that are actors, who can be speakers.
    actors: Vec<usize>,
    /// The distinct direct triples so far.
    triples: FxHashSet<(usize, NamedNodeRef<'static>, usize)>,
    /// The number of the next statement, for its label.
    statement: usize,
    quads: Vec<Quad>,
}

impl Generator {
    /// The documents and entities of a graph of `edges` triples.
    fn new(seed: u64, entities: usize, edges: usize) -> Self {
        let mut rng = SplitMix64(seed);
        let documents = edges.div_ceil(1000).max(1);
        let mut quads = Vec::with_capacity(2 * (entities + documents) + 14 * edges);
        let graphs: Vec<NamedNode> = (0..documents)
            .map(|d| {
                let label = format!("Generated source document {d} (seed {seed})");
                let iri = EntityId::from_canonical_name(&label).iri();
                let graph = GraphName::from(iri.clone());
                quads.push(Quad::new(
                    iri.clone(),
                    rdf::TYPE,
                    eg::SOURCE_DOCUMENT,
                    graph.clone(),
                ));
                quads.push(Quad::new(iri.clone(), rdfs::LABEL, english(&label), graph));
                iri
            })
            .collect();

        let mut nodes: Vec<(NamedNode, Kind, String)> = Vec::with_capacity(entities);
        let mut actors = Vec::new();
        for i in 0..entities {
            let (kind, classes) = match rng.below(10) {
                0..5 => (Kind::Actor, ACTORS),
                5..8 => (Kind::Event, EVENTS),
                _ => (Kind::Place, PLACES),
            };
            let class = classes[rng.below(classes.len())];
            let label = format!("{} {i} (generated, seed {seed})", local(class));
            let iri = EntityId::from_canonical_name(&label).iri();
            let graph = GraphName::from(graphs[i % documents].clone());
            quads.push(Quad::new(iri.clone(), rdf::TYPE, class, graph.clone()));
            quads.push(Quad::new(iri.clone(), rdfs::LABEL, english(&label), graph));
            if kind == Kind::Actor {
                actors.push(i);
            }
            nodes.push((iri, kind, label));
        }
        Self {
            seed,
            rng,
            graphs,
            nodes,
            actors,
            triples: FxHashSet::default(),
            statement: 0,
            quads,
        }
    }

    /// Up to `edges` distinct triples between entities drawn half uniformly and half in
    /// proportion to the edges they already have.
    fn random_triples(&mut self, edges: usize) {
        let entities = self.nodes.len();
        if entities < 2 {
            return;
        }
        // Each endpoint once per edge, for drawing nodes in proportion to their degree.
        let mut endpoints: Vec<usize> = Vec::with_capacity(2 * edges);
        let draw = |rng: &mut SplitMix64, endpoints: &Vec<usize>| {
            if !endpoints.is_empty() && rng.below(2) == 0 {
                endpoints[rng.below(endpoints.len())]
            } else {
                rng.below(entities)
            }
        };
        let mut attempts = 0;
        while self.triples.len() < edges && attempts < 20 * edges + 100 {
            attempts += 1;
            let (mut s, mut o) = (
                draw(&mut self.rng, &endpoints),
                draw(&mut self.rng, &endpoints),
            );
            if s == o {
                continue;
            }
            if predicates(self.nodes[s].1, self.nodes[o].1).is_empty() {
                std::mem::swap(&mut s, &mut o);
            }
            let choices = predicates(self.nodes[s].1, self.nodes[o].1);
            let p = choices[self.rng.below(choices.len())];
            if !self.triples.insert((s, p, o)) {
                continue;
            }
            endpoints.push(s);
            endpoints.push(o);
            self.report(s, p, o);
        }
    }

    /// Up to `count` more distinct triples between `hub` and the other entities, a round of
    /// one fitting triple per partner at a time.
    fn hub_triples(&mut self, hub: usize, count: usize) {
        let kind = self.nodes[hub].1;
        // Every triple that fits the hub and a partner, out then in.
        let options = |other: Kind| -> Vec<(bool, NamedNodeRef<'static>)> {
            let out = predicates(kind, other).iter().map(|&p| (true, p));
            let into = predicates(other, kind).iter().map(|&p| (false, p));
            out.chain(into).collect()
        };
        let by_kind = [Kind::Actor, Kind::Event, Kind::Place].map(options);
        let fitting = |other: Kind| match other {
            Kind::Actor => &by_kind[0],
            Kind::Event => &by_kind[1],
            Kind::Place => &by_kind[2],
        };
        // Where each partner's round robin starts, so that the first rounds mix predicates.
        let first: Vec<usize> = (0..self.nodes.len())
            .map(|other| self.rng.below(fitting(self.nodes[other].1).len().max(1)))
            .collect();
        let mut added = 0;
        for round in 0.. {
            let mut any = false;
            for other in 0..self.nodes.len() {
                let choices = fitting(self.nodes[other].1);
                if other == hub || round >= choices.len() {
                    continue;
                }
                any = true;
                if added == count {
                    return;
                }
                let (out, p) = choices[(first[other] + round) % choices.len()];
                let (s, o) = if out { (hub, other) } else { (other, hub) };
                if self.triples.insert((s, p, o)) {
                    self.report(s, p, o);
                    added += 1;
                }
            }
            if !any {
                return;
            }
        }
    }

    /// The quads of the triple `s p o`: the direct triple in the graph of one document, or (one
    /// time in twenty) of two, and in each a statement with its provenance.
    fn report(&mut self, s: usize, p: NamedNodeRef<'static>, o: usize) {
        let (seed, rng, documents) = (self.seed, &mut self.rng, self.graphs.len());
        let first = rng.below(documents);
        let mut reported_in = vec![first];
        if documents > 1 && rng.below(20) == 0 {
            reported_in.push((first + 1 + rng.below(documents - 1)) % documents);
        }
        for document in reported_in {
            let graph = GraphName::from(self.graphs[document].clone());
            let (subject, object) = (&self.nodes[s], &self.nodes[o]);
            self.quads.push(Quad::new(
                subject.0.clone(),
                p,
                object.0.clone(),
                graph.clone(),
            ));
            let label = format!("Statement {} (generated, seed {seed})", self.statement);
            self.statement += 1;
            let node = EntityId::from_canonical_name(&label).iri();
            let speaker = match self.actors.len() {
                0 => s,
                n => self.actors[rng.below(n)],
            };
            let day = 1 + rng.below(31);
            let quote = format!("{} {} {}", subject.2, local(p), object.2);
            let about: [(NamedNodeRef<'_>, Term); 12] = [
                (rdf::TYPE, eg::STATEMENT.into()),
                (rdfs::LABEL, english(&label)),
                (rdf::SUBJECT, subject.0.clone().into()),
                (rdf::PREDICATE, p.into()),
                (rdf::OBJECT, object.0.clone().into()),
                (eg::SOURCE, self.graphs[document].clone().into()),
                (eg::SPEAKER, self.nodes[speaker].0.clone().into()),
                (eg::ATTRIBUTION, eg::PUBLISHER_NARRATION.into()),
                (
                    eg::STATED_ON,
                    Literal::new_typed_literal(format!("2023-10-{day:02}"), xsd::DATE).into(),
                ),
                (eg::MODALITY, eg::ASSERTED.into()),
                (eg::QUOTE, Literal::new_simple_literal(quote).into()),
                (
                    rdfs::COMMENT,
                    Literal::new_simple_literal("generated").into(),
                ),
            ];
            for (predicate, object) in about {
                self.quads
                    .push(Quad::new(node.clone(), predicate, object, graph.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Projection, ProjectionOptions};

    #[test]
    fn the_same_seed_gives_the_same_quads_and_another_seed_others() {
        assert_eq!(generate(7, 50, 120), generate(7, 50, 120));
        assert_ne!(generate(7, 50, 120), generate(8, 50, 120));
    }

    #[test]
    fn generated_graphs_project_to_the_entities_and_triples_asked_for() {
        let quads = generate(3, 200, 2500);
        let projection =
            Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
        let stats = projection.stats();
        assert_eq!(stats.nodes, 200);
        assert_eq!(stats.edges, 2500);
        assert_eq!(stats.graphs, 3, "one document per thousand triples");
        let in_two_graphs = projection
            .graph()
            .edge_indices()
            .filter(|&e| projection.graphs_of(e).len() == 2)
            .count();
        assert!(
            (50..250).contains(&in_two_graphs),
            "about one triple in twenty is reported twice, got {in_two_graphs}"
        );
    }

    /// The number and an FNV-1a hash of the quads' N-Quads lines.
    fn fingerprint(quads: &[Quad]) -> (usize, u64) {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for quad in quads {
            for byte in quad.to_string().bytes().chain([b'\n']) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        (quads.len(), hash)
    }

    #[test]
    fn generate_gives_the_quads_it_always_gave() {
        // Tests and benchmarks compare against counts taken from these graphs.
        assert_eq!(
            fingerprint(&generate(3, 200, 2500)),
            (34544, 0xf372_a7a7_7311_e133)
        );
        assert_eq!(
            fingerprint(&generate(1, 2, 1000)),
            (97, 0xe8cb_65f8_0d51_b086)
        );
    }

    #[test]
    fn a_hub_gets_the_relations_asked_for_each_with_a_statement_after_the_same_graph() {
        let plain = generate(5, 3000, 2000);
        let with = generate_with_hub(5, 3000, 2000, 10_000);
        assert_eq!(
            with.quads[..plain.len()],
            plain[..],
            "generate's quads come first"
        );
        let (hub, _) = with.hub.clone().unwrap();
        let projection = Projection::from_quads(
            with.quads.iter().map(Quad::as_ref),
            ProjectionOptions::default(),
        );
        let node = projection.node(hub.as_ref()).unwrap();
        let graph = projection.graph();
        let mut relations = FxHashSet::default();
        for direction in [petgraph::Direction::Outgoing, petgraph::Direction::Incoming] {
            for edge in graph.edges_directed(node, direction) {
                use petgraph::visit::EdgeRef;
                relations.insert((
                    direction,
                    projection.relation_of(*edge.weight()).predicate,
                    edge.source(),
                    edge.target(),
                ));
            }
        }
        assert_eq!(relations.len(), with.hub_relations);
        assert!(with.hub_relations >= 10_000, "{}", with.hub_relations);
        let predicates: FxHashSet<_> = relations.iter().map(|r| (r.0, r.1)).collect();
        assert!(
            predicates.len() >= 8,
            "predicates and directions mix: {predicates:?}"
        );
        let reified = with
            .quads
            .iter()
            .filter(|q| {
                (q.predicate == rdf::SUBJECT || q.predicate == rdf::OBJECT)
                    && q.object == Term::from(hub.clone())
            })
            .count();
        assert!(
            reified >= with.hub_relations,
            "every triple of the hub has its statement: {reified}"
        );
        assert_eq!(
            generate_with_hub(5, 3000, 2000, 10_000).quads,
            with.quads,
            "the same arguments give the same quads"
        );
    }

    #[test]
    fn tiny_graphs_have_as_many_triples_as_fit() {
        assert_eq!(generate(1, 0, 10).len(), 2);
        assert_eq!(generate(1, 1, 10).len(), 4);
        let quads = generate(1, 2, 1000);
        let projection =
            Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
        assert!(projection.stats().edges <= 7);
    }
}
