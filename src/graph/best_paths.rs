//! The best-supported paths: of the paths between two nodes within `max_length` that pass a
//! provenance filter, those whose weakest step is strongest — by the number of independent
//! publishers behind it (`PathWeight::Publishers`) or by how recently it was last reported
//! (`PathWeight::Recency`) — shortest first among equals.
//!
//! A chain of evidence is as strong as its weakest link, so a path is weighed by its weakest
//! step (a bottleneck), not by a sum: a sum would prefer many well-sourced hops to one hop
//! two publishers report, which answers no question an analyst asks. A step's weight is read
//! from the statements that pass the request's filter, so that an edge weighs at least `t`
//! exactly when it passes the filter with `min_sources` raised to `t`, or with
//! `reported_since` set to `t`. The search therefore needs no weights of
//! its own: it finds, by binary search over thresholds, the highest one under which a path
//! still exists, takes the shortest paths there ([`k_shortest_paths`]), and, while fewer than
//! `k` are found, goes down to the next threshold that adds a path.
//!
//! This module reads the projection only; what a step lists is the caller's.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::paths::{Path, k_shortest_paths, shortest_path};
use super::{Direction, EvidenceFilter, PredicateId, Projection};

/// What a step of a path is weighed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathWeight {
    /// The distinct publishers (else documents) behind its statements that pass the filter.
    Publishers,
    /// The latest day one of its statements that pass the filter was made on.
    Recency,
}

/// One best-supported path and the weight of its weakest step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightedPath {
    /// The path.
    pub path: Path<NodeIndex, EdgeIndex>,
    /// Its weakest step's weight: the fewest publishers behind a step (0 when one has none),
    /// or the oldest of its steps' latest days (days since 1970-01-01; `None` when a step has
    /// no statement dated on or after 1970-01-01). `None` for the empty path.
    pub weakest_link: Option<i32>,
}

/// The last day a recency threshold can name (2149-06-04): later ones count as this one.
const LAST_DAY: i32 = 65_535;

/// The best-supported paths from `from` to `to`: see the module documentation. At most `k`,
/// ordered by their weakest step's weight, strongest first, then by length, then as
/// [`k_shortest_paths`] orders paths of one length. Only simple paths (no node twice).
///
/// # Complexity
/// O(r · log W) searches of [`k_shortest_paths`] with at most `k` paths each, for the r ≤ k
/// distinct weights among the answer and W the range of weights (the source documents
/// known, for publishers; about 65,000 days, for recency): a single best path costs about
/// 17 breadth-first searches.
#[allow(clippy::too_many_arguments)]
pub fn best_supported_paths(
    projection: &Projection,
    filter: &EvidenceFilter,
    predicates: Option<&[PredicateId]>,
    from: NodeIndex,
    to: NodeIndex,
    k: usize,
    max_length: usize,
    direction: Direction,
    weight: PathWeight,
) -> Vec<WeightedPath> {
    // Thresholds `floor..=top`; `floor` is the filter as asked.
    let (floor, top) = match weight {
        PathWeight::Publishers => (
            i64::try_from(filter.min_sources().unwrap_or(0).max(1)).unwrap_or(i64::MAX) - 1,
            i64::from(projection.source_count()).max(1),
        ),
        PathWeight::Recency => (-1, i64::from(LAST_DAY)),
    };
    let filter_at = |threshold: i64| -> EvidenceFilter {
        if threshold <= floor {
            return filter.clone();
        }
        match weight {
            PathWeight::Publishers => filter
                .clone()
                .with_min_sources(usize::try_from(threshold).ok()),
            PathWeight::Recency => filter
                .clone()
                .with_reported_since(i32::try_from(threshold).ok()),
        }
    };
    // The up-to-`n` shortest paths under a threshold.
    let paths_at = |threshold: i64, n: usize| -> Vec<Path<NodeIndex, EdgeIndex>> {
        let filter = filter_at(threshold);
        let test = projection.edge_test(&filter);
        let view = projection
            .adjacency()
            .view(predicates)
            .with_test(Some(&test));
        if n == 1 {
            shortest_path(view, from, to, max_length, direction)
                .into_iter()
                .collect()
        } else {
            k_shortest_paths(view, from, to, n, max_length, direction)
        }
    };
    if from == to {
        // The one simple path from a node to itself has no step to weigh.
        let path = Path {
            nodes: vec![from],
            edges: Vec::new(),
        };
        return [WeightedPath {
            path,
            weakest_link: None,
        }]
        .into_iter()
        .take(k)
        .collect();
    }
    let mut found: Vec<WeightedPath> = Vec::new();
    let mut ceiling = top;
    while found.len() < k && ceiling >= floor {
        let known = found.len();
        // Fewer thresholds pass as they rise: find the highest with more than `known` paths.
        if paths_at(floor, known + 1).len() <= known {
            break;
        }
        let (mut low, mut high) = (floor, ceiling);
        while low < high {
            let middle = low + (high - low + 1) / 2;
            if paths_at(middle, known + 1).len() > known {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        // Every path under `low` weighs at least `low`, and those that weigh more are the
        // ones found already: the new ones weigh `low`. Below the first threshold a step may
        // have no publisher (0) or, for recency, no dated statement (`None`).
        let weakest_link = match weight {
            PathWeight::Publishers => Some(low),
            PathWeight::Recency => (low > floor).then_some(low),
        }
        .map(|t| i32::try_from(t).unwrap_or(i32::MAX));
        for path in paths_at(low, k) {
            if found.len() == k {
                break;
            }
            if !found.iter().any(|known| known.path == path) {
                found.push(WeightedPath { path, weakest_link });
            }
        }
        ceiling = low - 1;
    }
    found
}
