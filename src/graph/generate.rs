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
//!
//! The random numbers come from SplitMix64, written out here, so that a seed gives the same
//! quads in the same order on every machine and with every version of every dependency.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use rustc_hash::FxHashSet;

use crate::model::EntityId;
use crate::vocab::eg;

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
    if entities < 2 {
        return quads;
    }

    // Each endpoint once per edge, for drawing nodes in proportion to their degree.
    let mut endpoints: Vec<usize> = Vec::with_capacity(2 * edges);
    let mut triples: FxHashSet<(usize, NamedNodeRef<'static>, usize)> = FxHashSet::default();
    let draw = |rng: &mut SplitMix64, endpoints: &Vec<usize>| {
        if !endpoints.is_empty() && rng.below(2) == 0 {
            endpoints[rng.below(endpoints.len())]
        } else {
            rng.below(entities)
        }
    };
    let mut attempts = 0;
    let mut statement = 0;
    while triples.len() < edges && attempts < 20 * edges + 100 {
        attempts += 1;
        let (mut s, mut o) = (draw(&mut rng, &endpoints), draw(&mut rng, &endpoints));
        if s == o {
            continue;
        }
        if predicates(nodes[s].1, nodes[o].1).is_empty() {
            std::mem::swap(&mut s, &mut o);
        }
        let choices = predicates(nodes[s].1, nodes[o].1);
        let p = choices[rng.below(choices.len())];
        if !triples.insert((s, p, o)) {
            continue;
        }
        endpoints.push(s);
        endpoints.push(o);
        let first = rng.below(documents);
        let mut reported_in = vec![first];
        if documents > 1 && rng.below(20) == 0 {
            reported_in.push((first + 1 + rng.below(documents - 1)) % documents);
        }
        for document in reported_in {
            let graph = GraphName::from(graphs[document].clone());
            let (subject, object) = (&nodes[s], &nodes[o]);
            quads.push(Quad::new(
                subject.0.clone(),
                p,
                object.0.clone(),
                graph.clone(),
            ));
            let label = format!("Statement {statement} (generated, seed {seed})");
            statement += 1;
            let node = EntityId::from_canonical_name(&label).iri();
            let speaker = match actors.len() {
                0 => s,
                n => actors[rng.below(n)],
            };
            let day = 1 + rng.below(31);
            let quote = format!("{} {} {}", subject.2, local(p), object.2);
            let about: [(NamedNodeRef<'_>, Term); 12] = [
                (rdf::TYPE, eg::STATEMENT.into()),
                (rdfs::LABEL, english(&label)),
                (rdf::SUBJECT, subject.0.clone().into()),
                (rdf::PREDICATE, p.into()),
                (rdf::OBJECT, object.0.clone().into()),
                (eg::SOURCE, graphs[document].clone().into()),
                (eg::SPEAKER, nodes[speaker].0.clone().into()),
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
                quads.push(Quad::new(node.clone(), predicate, object, graph.clone()));
            }
        }
    }
    quads
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
