//! What the benchmarks need to know of a generated news graph, computed from its integer
//! triples: the hubs, an ordinary actor, a label to look up, an actor with many events in a
//! window, two entities a few hops apart, the predicates used.
//!
//! Everything here is computed from the generator's own distinct direct triples — relation
//! counts by counting, distances by breadth-first search on an undirected adjacency list built
//! at the end — never by loading the graph into a store, so that the facts are an independent
//! expectation for the stores the benchmarks compare. This module does no I/O.

use rustc_hash::FxHashSet;

use super::news::{Entity, PREDICATES};
use super::{Kind, SplitMix64};
use crate::vocab::eg;

/// The window of [`ActorEvents`], as days after 2023-01-01: 2023-03-01 to 2023-09-30.
const WINDOW: (&str, &str) = ("2023-03-01", "2023-09-30");
/// The number of direct relations [`Facts::ordinary`] is chosen to be near.
const ORDINARY_RELATIONS: u32 = 50;

/// The facts of a generated graph, as the benchmark harness reads them (`--facts FILE.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Facts {
    pub seed: u64,
    /// Quads written (a triple reported by two documents is two quads).
    pub triples: u64,
    /// Resources that are nodes of the relation graph: actors, events, places, publishers
    /// and confirmation events (not statements, not documents).
    pub entities: usize,
    /// Distinct direct triples between entities.
    pub edges: usize,
    /// Source documents, each a named graph.
    pub documents: usize,
    /// `eg:Statement`s, confirmations included.
    pub statements: usize,
    /// Statements that confirm another (`eg:confirms`).
    pub confirmations: usize,
    /// The largest hub.
    pub hub: Option<Counted>,
    /// Every hub, largest share first.
    pub hubs: Vec<Counted>,
    /// An actor with about 50 direct relations, not a hub.
    pub ordinary: Option<Counted>,
    /// An actor to find by its exact label (unique among labels and aliases).
    pub label_lookup: Option<Named>,
    pub actor_events: Option<ActorEvents>,
    pub path: Option<PathFact>,
    /// Every predicate of a direct triple, sorted.
    pub relation_predicates: Vec<String>,
}

/// An entity and the number of distinct direct triples it is the subject or object of.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Counted {
    pub iri: String,
    pub label: String,
    pub relations: usize,
}

/// An entity by IRI and label.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Named {
    pub iri: String,
    pub label: String,
}

/// The actor (not a hub) that is the `eg:agent` or `eg:participant` of the most events dated
/// (`eg:date`) from `from` to `to`, both included, and the number of those events.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActorEvents {
    pub iri: String,
    pub label: String,
    pub from: String,
    pub to: String,
    pub events: usize,
    /// The roles counted: event → actor.
    pub predicates: Vec<String>,
}

/// Two entities `length` steps apart in the relation graph, edges taken in both directions;
/// `through_hub` is false when a shortest path avoids every hub.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathFact {
    pub from: String,
    pub to: String,
    pub from_label: String,
    pub to_label: String,
    pub length: usize,
    pub through_hub: bool,
}

/// What the generator hands over at the end.
pub(super) struct Input<'a> {
    pub(super) seed: u64,
    pub(super) quads: u64,
    pub(super) entities: &'a [Entity],
    /// Entities `0..hubs` are the hubs, `hubs..regular` the ordinary ones.
    pub(super) hubs: usize,
    pub(super) regular: usize,
    /// The distinct direct triples, predicates numbered as in `PREDICATES`.
    pub(super) triples: &'a [(u32, u8, u32)],
    pub(super) documents: usize,
    pub(super) statements: usize,
    pub(super) confirmations: usize,
    pub(super) calendar: &'a [String],
}

/// The facts of the graph.
///
/// # Complexity
/// O(entities + edges) time and memory, plus a breadth-first search or two per source tried
/// for the path (at most 64).
pub(super) fn compute(input: &Input<'_>) -> Facts {
    let entities = input.entities;
    let mut relations = vec![0u32; entities.len()];
    for &(s, _, o) in input.triples {
        relations[s as usize] += 1;
        relations[o as usize] += 1;
    }
    let counted = |e: usize| Counted {
        iri: entities[e].iri.as_str().to_owned(),
        label: entities[e].label.clone(),
        relations: relations[e] as usize,
    };
    let named = |e: usize| Named {
        iri: entities[e].iri.as_str().to_owned(),
        label: entities[e].label.clone(),
    };
    let ordinary_actors =
        || (input.hubs..input.regular).filter(move |&e| entities[e].kind == Kind::Actor);
    let ordinary = ordinary_actors().min_by_key(|&e| relations[e].abs_diff(ORDINARY_RELATIONS));
    let mut rng = SplitMix64(input.seed ^ 0x0066_6163_7473);
    let actors: Vec<usize> = ordinary_actors().filter(|&e| relations[e] > 0).collect();
    let label_lookup = (!actors.is_empty()).then(|| actors[rng.below(actors.len())]);
    let mut predicates: Vec<String> = input
        .triples
        .iter()
        .map(|&(_, p, _)| p)
        .collect::<FxHashSet<u8>>()
        .into_iter()
        .map(|p| PREDICATES[p as usize].as_str().to_owned())
        .collect();
    predicates.sort();
    Facts {
        seed: input.seed,
        triples: input.quads,
        entities: entities.len(),
        edges: input.triples.len(),
        documents: input.documents,
        statements: input.statements,
        confirmations: input.confirmations,
        hub: (input.hubs > 0).then(|| counted(0)),
        hubs: (0..input.hubs).map(counted).collect(),
        ordinary: ordinary.map(counted),
        label_lookup: label_lookup.map(named),
        actor_events: actor_events(input),
        path: path(input, &mut rng),
        relation_predicates: predicates,
    }
}

/// The non-hub actor with the most events in [`WINDOW`] in the roles `eg:agent` and
/// `eg:participant`; the lowest number wins a tie.
fn actor_events(input: &Input<'_>) -> Option<ActorEvents> {
    let day = |date: &str| input.calendar.iter().position(|d| d == date);
    let (from, to) = (day(WINDOW.0)?, day(WINDOW.1)?);
    let roles = [eg::AGENT, eg::PARTICIPANT];
    let role_ids: Vec<u8> = roles
        .iter()
        .filter_map(|r| PREDICATES.iter().position(|p| p == r))
        .map(|p| p as u8)
        .collect();
    let mut pairs: Vec<(u32, u32)> = input
        .triples
        .iter()
        .filter(|&&(event, p, actor)| {
            let (event, actor) = (&input.entities[event as usize], actor as usize);
            role_ids.contains(&p)
                && event.kind == Kind::Event
                && (from..=to).contains(&(event.day as usize))
                && actor >= input.hubs
                && input.entities[actor].kind == Kind::Actor
        })
        .map(|&(event, _, actor)| (actor, event))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut best: Option<(usize, u32)> = None;
    for group in pairs.chunk_by(|a, b| a.0 == b.0) {
        if best.is_none_or(|(count, _)| group.len() > count) {
            best = Some((group.len(), group[0].0));
        }
    }
    let (events, actor) = best?;
    let entity = &input.entities[actor as usize];
    Some(ActorEvents {
        iri: entity.iri.as_str().to_owned(),
        label: entity.label.clone(),
        from: WINDOW.0.to_owned(),
        to: WINDOW.1.to_owned(),
        events,
        predicates: roles.iter().map(|r| r.as_str().to_owned()).collect(),
    })
}

/// The undirected adjacency of the relation graph, in compressed rows.
struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Adjacency {
    fn new(nodes: usize, triples: &[(u32, u8, u32)]) -> Self {
        let mut offsets = vec![0usize; nodes + 1];
        for &(s, _, o) in triples {
            offsets[s as usize + 1] += 1;
            offsets[o as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut targets = vec![0u32; 2 * triples.len()];
        for &(s, _, o) in triples {
            targets[next[s as usize]] = o;
            next[s as usize] += 1;
            targets[next[o as usize]] = s;
            next[o as usize] += 1;
        }
        Self { offsets, targets }
    }

    fn neighbours(&self, node: usize) -> &[u32] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }

    /// Steps from `from` to every node (`u32::MAX`: unreachable), entering only the nodes
    /// `enter` allows.
    fn distances(&self, from: usize, enter: impl Fn(usize) -> bool) -> Vec<u32> {
        let mut distance = vec![u32::MAX; self.offsets.len() - 1];
        let mut queue = std::collections::VecDeque::from([from]);
        distance[from] = 0;
        while let Some(node) = queue.pop_front() {
            for &next in self.neighbours(node) {
                let next = next as usize;
                if distance[next] == u32::MAX && enter(next) {
                    distance[next] = distance[node] + 1;
                    queue.push_back(next);
                }
            }
        }
        distance
    }
}

/// Two entities 4 (else 3) steps apart with a shortest path that avoids the hubs, from up to
/// 64 sources drawn among the ordinary entities; failing that, two 3 or 4 steps apart through
/// a hub, or the farthest pair from the first source.
fn path(input: &Input<'_>, rng: &mut SplitMix64) -> Option<PathFact> {
    let nodes = input.entities.len();
    let adjacency = Adjacency::new(nodes, input.triples);
    let linked: Vec<usize> = (input.hubs..input.regular)
        .filter(|&e| !adjacency.neighbours(e).is_empty())
        .collect();
    if linked.is_empty() {
        return None;
    }
    let fact = |from: usize, to: usize, length: u32, through_hub: bool| PathFact {
        from: input.entities[from].iri.as_str().to_owned(),
        to: input.entities[to].iri.as_str().to_owned(),
        from_label: input.entities[from].label.clone(),
        to_label: input.entities[to].label.clone(),
        length: length as usize,
        through_hub,
    };
    // The best pair found through a hub: rank 2 for 3 or 4 steps, 1 for the farthest.
    let mut fallback: Option<(u8, PathFact)> = None;
    for _ in 0..64 {
        let from = linked[rng.below(linked.len())];
        let all = adjacency.distances(from, |_| true);
        let avoiding = adjacency.distances(from, |e| e >= input.hubs);
        for length in [4, 3] {
            if let Some(to) = (0..nodes).find(|&t| all[t] == length && avoiding[t] == length) {
                return Some(fact(from, to, length, false));
            }
        }
        let near = (0..nodes).find(|&t| all[t] == 3 || all[t] == 4);
        let candidate = near.map(|to| (2, to)).or_else(|| {
            (0..nodes)
                .filter(|&t| all[t] != u32::MAX)
                .max_by_key(|&t| (all[t], std::cmp::Reverse(t)))
                .map(|to| (1, to))
        });
        if let Some((rank, to)) = candidate {
            if fallback.as_ref().is_none_or(|(best, _)| rank > *best) {
                fallback = Some((rank, fact(from, to, all[to], avoiding[to] != all[to])));
            }
        }
    }
    fallback.map(|(_, fact)| fact)
}
