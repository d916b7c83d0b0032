//! `/api/v1` traversals on the in-memory projection: neighbourhoods, paths, rankings, stats.
//!
//! The projection answers the topology; what a person reads about each node
//! (labels, types) comes from the projection too, and the statements behind
//! each step of a path from the catalog. Traversals run on the blocking pool
//! against the current read models, so a large ranking never holds an HTTP
//! worker and a concurrent write never waits for it.

use actix_web::{HttpResponse, web};
use oxigraph::model::NamedNode;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::AmbiguousView;
use super::views::{RelationCountView, ResourceView, StatementView};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking, generation};
use crate::catalog::{Catalog, local_name};
use crate::graph::neighborhood::cut_counts;
use crate::graph::rankings::{degree, top_n};
use crate::graph::{
    ClassFilter, Direction, PredicateId, Projection, TraversalError, k_shortest_paths,
    neighborhood as reach,
};
use crate::read_models::{Metric, Rankings, ReadView};
use crate::store::Store;

/// A node of a traversal result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeView {
    /// The uuid.
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// The label.
    pub label: String,
    /// Its `eg:` classes' IRIs.
    pub types: Vec<String>,
    /// Hops from the start, in a neighbourhood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<usize>,
}

/// An edge of a traversal result: a direct triple between two nodes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EdgeView {
    /// The subject's IRI.
    pub source: String,
    /// The object's IRI.
    pub target: String,
    /// The predicate.
    pub predicate: ResourceView,
}

/// `GET /api/v1/entities/{id}/neighborhood`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubgraphView {
    /// The entity at the centre.
    pub root: NodeView,
    /// Every node reached, the root first, breadth first.
    pub nodes: Vec<NodeView>,
    /// The edges among them.
    pub edges: Vec<EdgeView>,
    /// Whether `max_nodes` cut the neighbourhood short.
    pub truncated: bool,
    /// What `max_nodes` left out: the edges from reached nodes to nodes it did not keep,
    /// counted per predicate and per direction from the reached node (`out` when it is the
    /// subject); out first, then by predicate IRI. Empty when `truncated` is false.
    pub truncated_counts: Vec<RelationCountView>,
}

/// One step of a path, with the statements that report it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepView {
    /// Where the step starts.
    pub from: NodeView,
    /// Where it ends.
    pub to: NodeView,
    /// The predicate of the triple.
    pub predicate: ResourceView,
    /// `forward` when the triple reads from → to, `backward` when it reads to → from.
    #[schema(value_type = String)]
    pub direction: &'static str,
    /// The statements reporting the triple.
    pub statements: Vec<StatementView>,
}

/// One path.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathView {
    /// Its number of steps.
    pub length: usize,
    /// Its steps, in order.
    pub steps: Vec<StepView>,
}

/// `GET /api/v1/paths`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathsView {
    /// The start.
    pub from: NodeView,
    /// The end.
    pub to: NodeView,
    /// The shortest paths, shortest first; empty when none is within `max_length`.
    pub paths: Vec<PathView>,
}

/// One entity in a ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedView {
    /// The entity.
    pub entity: NodeView,
    /// Its score in the metric.
    pub score: f64,
}

/// `GET /api/v1/rankings`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingsView {
    /// `degree`, `pagerank` or `betweenness`.
    pub metric: String,
    /// The generation of the read models the scores were computed from.
    pub generation: u64,
    /// Whether writes came since: PageRank and betweenness are computed in the background,
    /// and served from the last computation until the next one is done.
    pub stale: bool,
    /// Whether the scores are an estimate (betweenness from sampled sources on large graphs).
    pub approximate: bool,
    /// The top entities, best first.
    pub items: Vec<RankedView>,
}

/// The size of the projection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectionStatsView {
    /// Nodes: entities and events.
    pub nodes: usize,
    /// Edges: direct triples between nodes.
    pub edges: usize,
    /// Distinct predicates on the edges.
    pub predicates: usize,
    /// Distinct classes.
    pub classes: usize,
    /// Estimated memory held, in bytes.
    pub estimated_bytes: usize,
    /// Estimated bytes per edge.
    pub bytes_per_edge: f64,
    /// How long the last full build took, in milliseconds.
    pub build_ms: f64,
}

/// `GET /api/v1/stats`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsView {
    /// Quads in the store, all graphs, as last counted (a full scan, done in the background).
    pub quads: usize,
    /// The generation the quads were counted at.
    pub quads_generation: u64,
    /// Resources the search index holds.
    pub indexed_entities: usize,
    /// The projection.
    pub projection: ProjectionStatsView,
    /// How the read models kept up with writes.
    pub read_models: ReadModelsStatsView,
}

/// What the read models did since the server started.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReadModelsStatsView {
    /// The generation REST reads see now.
    pub generation: u64,
    /// The generation of the last acknowledged write (ahead of `generation` only while a
    /// rebuild runs).
    pub written_generation: u64,
    /// Writes applied to the read models quad by quad.
    pub incremental_writes: u64,
    /// Full builds from the store, the one at start-up included.
    pub full_builds: u64,
    /// Whether a rebuild runs now.
    pub rebuilding: bool,
    /// How long the last full build took, in milliseconds.
    pub last_build_ms: f64,
}

fn node_view(projection: &Projection, node: NodeIndex, distance: Option<usize>) -> NodeView {
    let resource = projection.resource(node);
    let iri = resource
        .map(|r| r.iri().as_str().to_owned())
        .unwrap_or_default();
    NodeView {
        id: crate::model::EntityId::from_iri(&iri).map(|id| id.to_string()),
        label: resource
            .and_then(|r| r.label().map(str::to_owned))
            .unwrap_or_else(|| local_name(&iri).to_owned()),
        types: resource
            .map(|r| {
                r.types()
                    .iter()
                    .map(|&c| projection.class(c).as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        distance,
        iri,
    }
}

/// A node's IRI, without the rest of its view.
fn iri_of(projection: &Projection, node: NodeIndex) -> String {
    projection
        .resource(node)
        .map(|r| r.iri().as_str().to_owned())
        .unwrap_or_default()
}

fn predicate_view(projection: &Projection, predicate: PredicateId) -> ResourceView {
    let iri = projection.predicate(predicate).as_str().to_owned();
    ResourceView {
        id: None,
        label: local_name(&iri).to_owned(),
        iri,
    }
}

pub(super) fn parse_direction(value: Option<&str>) -> Result<Direction, ApiError> {
    value
        .unwrap_or("both")
        .parse()
        .map_err(|message| ApiError::InvalidParameter {
            field: "direction".into(),
            message,
        })
}

/// Reads a comma-separated list of predicates (IRIs, or local names of `eg:` properties).
pub(super) fn parse_predicates(
    projection: &Projection,
    value: Option<&str>,
) -> Result<Option<Vec<PredicateId>>, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let iris: Vec<NamedNode> = value
        .split(',')
        .map(|name| {
            crate::vocab::term(name).map_err(|_| ApiError::UnknownName {
                field: "predicate",
                name: name.trim().to_owned(),
            })
        })
        .collect::<Result<_, _>>()?;
    let refs: Vec<_> = iris.iter().map(NamedNode::as_ref).collect();
    projection
        .predicate_ids(&refs)
        .map(Some)
        .map_err(|e| ApiError::UnknownName {
            field: "predicate",
            name: match e {
                TraversalError::UnknownPredicate { iri } => iri,
                other => other.to_string(),
            },
        })
}

pub(super) fn bounded(
    field: &str,
    value: Option<usize>,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let value = value.unwrap_or(default);
    if !(min..=max).contains(&value) {
        return Err(ApiError::InvalidParameter {
            field: field.into(),
            message: format!("{value} is not between {min} and {max}"),
        });
    }
    Ok(value)
}

/// Reads a class (an IRI or the local name of an `eg:` class) as a filter for its nodes,
/// subclasses included.
pub(super) fn parse_class(projection: &Projection, name: &str) -> Result<ClassFilter, ApiError> {
    let unknown = || ApiError::UnknownName {
        field: "type",
        name: name.to_owned(),
    };
    let iri = crate::vocab::term(name).map_err(|_| unknown())?;
    projection
        .class_filter(iri.as_ref(), true)
        .map_err(|_| unknown())
}

/// Resolves a key to a node of the projection.
///
/// # Errors
/// [`ApiError::UnknownEntity`] when the key names nothing or no node of the graph,
/// [`ApiError::Ambiguous`] when it names several entities.
pub(super) fn node_of(store: &Store, view: &ReadView, key: &str) -> Result<NodeIndex, ApiError> {
    let iri = view.resolve(store, key)?;
    view.projection
        .entity(iri.as_ref())
        .map_err(|e: TraversalError| ApiError::UnknownEntity {
            key: format!("{key} ({e})"),
        })
}

/// Query parameters of a neighbourhood.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeighborhoodRequest {
    /// Hops from the entity, 0 to 6 (default 1).
    #[param(minimum = 0, maximum = 6)]
    depth: Option<usize>,
    /// Only these predicates, comma-separated.
    predicate: Option<String>,
    /// At most this many nodes, 1 to 10000 (default 200).
    #[param(minimum = 1, maximum = 10000)]
    max_nodes: Option<usize>,
    /// `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
}

/// GET `/api/v1/entities/{id}/neighborhood?depth=&predicate=&max_nodes=&direction=`.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}/neighborhood",
    tag = "graph",
    params(("id" = String, Path, description = "The entity's uuid, label or alias"), NeighborhoodRequest),
    responses(
        (status = 200, description = "The subgraph around the entity", body = SubgraphView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity of the graph has that id or name, or no predicate that name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn neighborhood(
    state: web::Data<AppState>,
    key: web::Path<String>,
    request: web::Query<NeighborhoodRequest>,
) -> Result<HttpResponse, ApiError> {
    let depth = bounded("depth", request.depth, 1, 0, 6)?;
    let max_nodes = bounded("max_nodes", request.max_nodes, 200, 1, 10_000)?;
    let direction = parse_direction(request.direction.as_deref())?;
    let models = state.models.clone();
    let store = state.store.clone();
    let predicate = request.predicate.clone();
    let (view, computed_from) = blocking(move || {
        let read = models.read()?;
        let start = node_of(&store, &read, &key)?;
        let predicates = parse_predicates(&read.projection, predicate.as_deref())?;
        let projection = &read.projection;
        let graph = projection.view(predicates.as_deref());
        let subgraph = reach(&graph, start, depth, direction, max_nodes);
        let nodes: Vec<NodeView> = subgraph
            .nodes
            .iter()
            .map(|&(n, d)| node_view(projection, n, Some(d)))
            .collect();
        let edges = subgraph
            .edges
            .iter()
            .filter_map(|&edge| projection.relation(edge))
            .map(|(source, target, relation)| EdgeView {
                source: iri_of(projection, source),
                target: iri_of(projection, target),
                predicate: predicate_view(projection, relation.predicate),
            })
            .collect();
        Ok((
            SubgraphView {
                root: node_view(projection, start, Some(0)),
                nodes,
                edges,
                truncated: subgraph.truncated,
                truncated_counts: cut_counts(projection, &subgraph.cut)
                    .into_iter()
                    .map(|count| RelationCountView {
                        predicate: predicate_view(projection, count.predicate),
                        direction: match count.direction {
                            petgraph::Direction::Outgoing => "out",
                            petgraph::Direction::Incoming => "in",
                        },
                        count: count.count,
                    })
                    .collect(),
            },
            read.generation,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}

/// Query parameters of paths.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PathsRequest {
    /// The start: uuid, label or alias.
    #[param(required = true, min_length = 1)]
    from: Option<String>,
    /// The end: uuid, label or alias.
    #[param(required = true, min_length = 1)]
    to: Option<String>,
    /// The longest path, 1 to 10 steps (default 6).
    #[param(minimum = 1, maximum = 10)]
    max_length: Option<usize>,
    /// How many shortest paths, 1 to 10 (default 1).
    #[param(minimum = 1, maximum = 10)]
    k: Option<usize>,
    /// Only these predicates, comma-separated.
    predicate: Option<String>,
    /// `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
}

/// GET `/api/v1/paths?from=&to=&max_length=&k=&predicate=&direction=`.
#[utoipa::path(
    get,
    path = "/api/v1/paths",
    tag = "graph",
    params(PathsRequest),
    responses(
        (status = 200, description = "The shortest paths, shortest first, each step with its statements", body = PathsView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is missing or invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity of the graph has that id or name, or no predicate that name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn paths(
    state: web::Data<AppState>,
    request: web::Query<PathsRequest>,
) -> Result<HttpResponse, ApiError> {
    let missing = |field: &'static str| ApiError::MissingParameter {
        field,
        hint: "name both ends of the path with from= and to= (uuid, label or alias)",
    };
    let from_key = request.from.clone().ok_or_else(|| missing("from"))?;
    let to_key = request.to.clone().ok_or_else(|| missing("to"))?;
    let max_length = bounded("max_length", request.max_length, 6, 1, 10)?;
    let k = bounded("k", request.k, 1, 1, 10)?;
    let direction = parse_direction(request.direction.as_deref())?;
    let models = state.models.clone();
    let store = state.store.clone();
    let predicate = request.predicate.clone();
    let (view, computed_from) = blocking(move || {
        let read = models.read()?;
        let from = node_of(&store, &read, &from_key)?;
        let to = node_of(&store, &read, &to_key)?;
        let predicates = parse_predicates(&read.projection, predicate.as_deref())?;
        let projection = &read.projection;
        let graph = projection.view(predicates.as_deref());
        let found = k_shortest_paths(&graph, from, to, k, max_length, direction);
        let catalog = Catalog::new(&store);
        let mut paths = Vec::with_capacity(found.len());
        for path in found {
            let mut steps = Vec::with_capacity(path.edges.len());
            for (i, &edge) in path.edges.iter().enumerate() {
                steps.push(step_view(
                    projection,
                    &catalog,
                    path.nodes[i],
                    path.nodes[i + 1],
                    edge,
                )?);
            }
            paths.push(PathView {
                length: steps.len(),
                steps,
            });
        }
        Ok((
            PathsView {
                from: node_view(projection, from, None),
                to: node_view(projection, to, None),
                paths,
            },
            read.generation,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}

fn step_view(
    projection: &Projection,
    catalog: &Catalog<'_>,
    from: NodeIndex,
    to: NodeIndex,
    edge: EdgeIndex,
) -> Result<StepView, ApiError> {
    let Some((source, _, relation)) = projection.relation(edge) else {
        return Err(ApiError::Internal(
            "a path names an edge the projection does not have".into(),
        ));
    };
    let statements = match projection.triple(edge) {
        Some(triple) => {
            let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                return Err(ApiError::Internal(
                    "a projected triple has a blank subject".into(),
                ));
            };
            catalog
                .statements_about(
                    subject.as_ref(),
                    triple.predicate.as_ref(),
                    triple.object.as_ref(),
                )?
                .iter()
                .filter_map(|s| catalog.statement(s.as_ref()).transpose())
                .map(|s| s.map(|s| StatementView::from(&s)))
                .collect::<Result<Vec<_>, _>>()?
        }
        None => Vec::new(),
    };
    Ok(StepView {
        from: node_view(projection, from, None),
        to: node_view(projection, to, None),
        predicate: predicate_view(projection, relation.predicate),
        direction: if source == from {
            "forward"
        } else {
            "backward"
        },
        statements,
    })
}

/// Query parameters of rankings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingsRequest {
    /// `degree` (the default), `pagerank` or `betweenness`.
    #[param(pattern = "^(degree|pagerank|betweenness)$")]
    metric: Option<String>,
    /// Only entities of this class (an IRI or an `eg:` local name), subclasses included.
    #[serde(rename = "type")]
    entity_type: Option<String>,
    /// How many, 1 to 1000 (default 10).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// GET `/api/v1/rankings?metric=&type=&limit=`.
#[utoipa::path(
    get,
    path = "/api/v1/rankings",
    tag = "graph",
    params(RankingsRequest),
    responses(
        (status = 200, description = "The most central entities, best first", body = RankingsView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No class of the graph has that name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn rankings(
    state: web::Data<AppState>,
    request: web::Query<RankingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let metric = request.metric.clone().unwrap_or_else(|| "degree".into());
    if !["degree", "pagerank", "betweenness"].contains(&metric.as_str()) {
        return Err(ApiError::InvalidParameter {
            field: "metric".into(),
            message: format!("'{metric}' is not one of degree, pagerank, betweenness"),
        });
    }
    let limit = bounded("limit", request.limit, 10, 1, 1000)?;
    let models = state.models.clone();
    let entity_type = super::given(&request.entity_type);
    let wait = state.limits.query_timeout(None);
    let view = blocking(move || {
        let current = models.read()?.generation;
        let background = match metric.as_str() {
            "pagerank" => Some(Rankings::scores(&models, Metric::PageRank, current, wait)?),
            "betweenness" => Some(Rankings::scores(
                &models,
                Metric::Betweenness,
                current,
                wait,
            )?),
            _ => None,
        };
        let read = models.read()?;
        let projection: &Projection = &read.projection;
        let class = entity_type
            .map(|name| parse_class(projection, &name))
            .transpose()?;
        let keep = |node| class.as_ref().is_none_or(|c| projection.is_a(node, c));
        let (items, generation, approximate) = match &background {
            Some(scores) => {
                // Scores are by node index as it was; a node removed since, or an index
                // reused by another node, is skipped.
                let items = scores
                    .ranked
                    .iter()
                    .filter(|(node, _, iri)| {
                        projection
                            .resource(*node)
                            .is_some_and(|r| r.iri().as_str() == &**iri)
                            && keep(*node)
                    })
                    .take(limit)
                    .map(|&(node, score, _)| RankedView {
                        entity: node_view(projection, node, None),
                        score,
                    })
                    .collect();
                (items, scores.generation, scores.approximate)
            }
            None => {
                let graph = projection.graph();
                let degrees = degree(graph, Direction::Both);
                let items = top_n(graph, &degrees, keep, limit)
                    .into_iter()
                    .map(|ranked| RankedView {
                        entity: node_view(projection, ranked.node, None),
                        score: ranked.score,
                    })
                    .collect();
                (items, read.generation, false)
            }
        };
        Ok(RankingsView {
            metric,
            generation,
            stale: generation < read.generation,
            approximate,
            items,
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(view.generation))
        .json(view))
}

/// GET `/api/v1/stats`.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "graph",
    responses((status = 200, description = "The size of the store and of the projection", body = StatsView))
)]
pub async fn stats(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let models = state.models.clone();
    let wait = state.limits.query_timeout(None);
    let view = blocking(move || {
        let (quads, quads_generation) = models.quad_count(wait).map_err(|elapsed| {
            ApiError::RankingPending(crate::read_models::RankingError::Pending {
                metric: "quad count",
                elapsed_s: elapsed.as_secs_f64(),
            })
        })?;
        let counters = models.stats();
        let read = models.read()?;
        let projection = read.projection.stats();
        Ok(StatsView {
            quads,
            quads_generation,
            indexed_entities: read.index.len(),
            projection: ProjectionStatsView {
                nodes: projection.nodes,
                edges: projection.edges,
                predicates: projection.predicates,
                classes: projection.classes,
                estimated_bytes: projection.estimated_bytes,
                bytes_per_edge: projection.bytes_per_edge(),
                build_ms: projection.build_time.as_secs_f64() * 1000.0,
            },
            read_models: ReadModelsStatsView {
                generation: read.generation,
                written_generation: counters.written_generation,
                incremental_writes: counters.incremental_writes,
                full_builds: counters.full_builds,
                rebuilding: counters.rebuilding,
                last_build_ms: counters.last_build.as_secs_f64() * 1000.0,
            },
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(view.read_models.generation))
        .json(view))
}
