//! PageRank and betweenness, computed on a background thread and served with their generation.
//! [`Background`] is the slot such a value lives in (the store's quad count uses one too).
//!
//! Both measures cost far more than a request may take on a large graph (betweenness is
//! O(V · E)), so no request computes them. A request asks [`Rankings::scores`]: it gets the
//! latest scores computed, with the generation of the read models they were computed from, and
//! when those are older than the current generation a new computation starts in the
//! background. Only when no scores exist yet does a request wait for the first ones, up to a
//! time limit. The computation copies the graph's edges out under the read lock (O(E), brief)
//! and works on the copy, so writes never wait for it.
//!
//! Betweenness is exact up to [`EXACT_BETWEENNESS_NODES`] nodes; above, it is the unbiased
//! estimate from [`BETWEENNESS_SOURCES`] sources spread evenly over the nodes (Brandes and
//! Pich), and says so ([`Scores::approximate`]).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use super::ReadModels;
use crate::graph::Direction;
use crate::graph::rankings::{Adjacency, PageRankOptions, betweenness_on, pagerank_on};

/// Up to this many nodes, betweenness is computed exactly.
pub const EXACT_BETWEENNESS_NODES: usize = 5_000;

/// Above [`EXACT_BETWEENNESS_NODES`], betweenness sums the shortest paths from this many sources.
pub const BETWEENNESS_SOURCES: usize = 256;

/// A measure computed in the background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// PageRank, following edges forward.
    PageRank,
    /// Betweenness, over undirected shortest paths.
    Betweenness,
}

/// Errors of asking for rankings.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RankingError {
    /// The first scores are still being computed.
    #[error(
        "the first {metric} scores are still being computed (started {elapsed_s:.0} s ago); ask again in a few seconds"
    )]
    Pending {
        /// The measure.
        metric: &'static str,
        /// Since when the computation runs.
        elapsed_s: f64,
    },
}

/// The scores of one measure, as computed from one generation of the read models.
#[derive(Debug)]
pub struct Scores {
    /// The generation of the read models they were computed from.
    pub generation: u64,
    /// Whether they are an estimate (betweenness from sampled sources).
    pub approximate: bool,
    /// How long the computation took.
    pub elapsed: Duration,
    /// Every node with its score, best first (ties by node index), and the node's IRI when
    /// computed: a node index may name another node after later writes, so a reader checks
    /// the IRI before trusting a score.
    pub ranked: Vec<(NodeIndex, f64, Box<str>)>,
}

/// The rankings of the read models, computed in the background.
#[derive(Default)]
pub struct Rankings {
    pagerank: Background<Scores>,
    betweenness: Background<Scores>,
}

impl Rankings {
    /// The latest scores of `metric`, starting a background computation when they are missing
    /// or older than `generation`; when none exist yet, waits for the first ones up to `wait`.
    ///
    /// # Errors
    /// [`RankingError::Pending`] when no scores exist yet and `wait` passed.
    pub fn scores(
        models: &Arc<ReadModels>,
        metric: Metric,
        generation: u64,
        wait: Duration,
    ) -> Result<Arc<Scores>, RankingError> {
        let background = match metric {
            Metric::PageRank => &models.rankings.pagerank,
            Metric::Betweenness => &models.rankings.betweenness,
        };
        let started = background.get(generation, wait, || {
            let models = Arc::clone(models);
            std::thread::Builder::new()
                .name("rankings".into())
                .spawn(move || compute(&models, metric))
                .map(drop)
        });
        started.map_err(|elapsed| RankingError::Pending {
            metric: match metric {
                Metric::PageRank => "pagerank",
                Metric::Betweenness => "betweenness",
            },
            elapsed_s: elapsed.as_secs_f64(),
        })
    }
}

/// A value computed on a background thread for one generation of the read models, and the
/// latest one computed.
pub struct Background<T> {
    slot: Mutex<Slot<T>>,
    /// Signalled when a computation ends.
    done: Condvar,
}

struct Slot<T> {
    /// The latest value computed.
    value: Option<Arc<T>>,
    /// The generation it was computed from.
    generation: u64,
    /// When the computation running now started, if one runs.
    computing: Option<Instant>,
}

impl<T> Default for Background<T> {
    fn default() -> Self {
        Self {
            slot: Mutex::new(Slot {
                value: None,
                generation: 0,
                computing: None,
            }),
            done: Condvar::new(),
        }
    }
}

impl<T> Background<T> {
    /// The latest value, starting a computation with `start` when it is missing or older
    /// than `generation` and none runs; when there is no value yet, waits for the first one up
    /// to `wait`. `start` must eventually call [`Background::publish`] or
    /// [`Background::abandon`].
    ///
    /// # Errors
    /// How long the first computation has run, when `wait` passed without a value.
    pub fn get(
        &self,
        generation: u64,
        wait: Duration,
        start: impl FnOnce() -> std::io::Result<()>,
    ) -> Result<Arc<T>, Duration> {
        let deadline = Instant::now() + wait;
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        let stale = slot.value.is_none() || slot.generation < generation;
        if stale && slot.computing.is_none() {
            slot.computing = Some(Instant::now());
            if let Err(error) = start() {
                tracing::error!(%error, "cannot start a background computation");
                slot.computing = None;
            }
        }
        loop {
            if let Some(value) = &slot.value {
                return Ok(Arc::clone(value));
            }
            let now = Instant::now();
            let running = slot.computing.map(|started| started.elapsed());
            if now >= deadline || running.is_none() {
                return Err(running.unwrap_or_default());
            }
            slot = self
                .done
                .wait_timeout(slot, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The generation of the latest value, if there is one.
    pub fn generation(&self) -> Option<u64> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.value.as_ref().map(|_| slot.generation)
    }

    /// Publishes the value computed from `generation`, ending the computation.
    pub fn publish(&self, generation: u64, value: T) {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.computing = None;
        if slot.value.is_none() || slot.generation <= generation {
            slot.value = Some(Arc::new(value));
            slot.generation = generation;
        }
        drop(slot);
        self.done.notify_all();
    }

    /// Ends a computation that produced nothing.
    pub fn abandon(&self) {
        self.slot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .computing = None;
        self.done.notify_all();
    }
}

/// The background computation: copies the graph out, computes, publishes.
fn compute(models: &Arc<ReadModels>, metric: Metric) {
    let started = Instant::now();
    let background = match metric {
        Metric::PageRank => &models.rankings.pagerank,
        Metric::Betweenness => &models.rankings.betweenness,
    };
    let Some((generation, nodes, mut iris, graph)) = copy_graph(models) else {
        background.abandon();
        return;
    };
    let direction = match metric {
        Metric::PageRank => Direction::Out,
        Metric::Betweenness => Direction::Both,
    };
    let adjacency = Adjacency::new(&graph, direction);
    let (by_position, approximate) = match metric {
        Metric::PageRank => (pagerank_on(&adjacency, &PageRankOptions::default()), false),
        Metric::Betweenness => betweenness(&adjacency),
    };
    // The plain graph's node indices are the positions of `nodes`.
    let mut ranked: Vec<(NodeIndex, f64, Box<str>)> = adjacency
        .nodes()
        .iter()
        .zip(by_position)
        .map(|(dense, score)| {
            let i = dense.index();
            (nodes[i], score, std::mem::take(&mut iris[i]))
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let scores = Scores {
        generation,
        approximate,
        elapsed: started.elapsed(),
        ranked,
    };
    tracing::info!(
        ?metric,
        generation,
        elapsed_ms = scores.elapsed.as_millis() as u64,
        "computed rankings"
    );
    background.publish(generation, scores);
}

/// The projection's nodes, their IRIs and its edges as a plain petgraph graph whose node `i`
/// is `nodes[i]`, copied under the read lock; `None` when the read models are poisoned.
#[allow(clippy::type_complexity)]
fn copy_graph(
    models: &ReadModels,
) -> Option<(
    u64,
    Vec<NodeIndex>,
    Vec<Box<str>>,
    petgraph::Graph<(), (), petgraph::Directed, u32>,
)> {
    let view = models.read().ok()?;
    let graph = view.projection.graph();
    let nodes: Vec<NodeIndex> = graph.node_indices().collect();
    let mut position = vec![u32::MAX; graph.node_bound()];
    for (i, node) in nodes.iter().enumerate() {
        // Node counts fit petgraph's u32 indices.
        position[node.index()] = i as u32;
    }
    let iris: Vec<Box<str>> = nodes
        .iter()
        .map(|&node| {
            view.projection
                .resource(node)
                .map(|r| Box::from(r.iri().as_str()))
                .unwrap_or_default()
        })
        .collect();
    let edges: Vec<(u32, u32)> = graph
        .edge_references()
        .map(|e| (position[e.source().index()], position[e.target().index()]))
        .collect();
    let generation = view.generation;
    drop(view);
    let mut plain = petgraph::Graph::with_capacity(nodes.len(), edges.len());
    for _ in 0..nodes.len() {
        plain.add_node(());
    }
    plain.extend_with_edges(edges);
    Some((generation, nodes, iris, plain))
}

/// Betweenness by position: exact on small graphs, else from evenly spread sources, scaled.
fn betweenness<N: Copy>(adjacency: &Adjacency<N>) -> (Vec<f64>, bool) {
    let n = adjacency.len();
    if n <= EXACT_BETWEENNESS_NODES {
        return (betweenness_on(adjacency, Direction::Both, 0..n), false);
    }
    let step = n / BETWEENNESS_SOURCES;
    let mut scores = betweenness_on(
        adjacency,
        Direction::Both,
        (0..BETWEENNESS_SOURCES).map(|k| k * step),
    );
    let scale = n as f64 / BETWEENNESS_SOURCES as f64;
    for score in &mut scores {
        *score *= scale;
    }
    (scores, true)
}
