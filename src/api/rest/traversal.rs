//! `/api/v1` traversals on the in-memory projection: neighbourhoods, paths, rankings, stats.
//!
//! The projection answers the topology, walking its sorted adjacency
//! (`graph::Adjacency`); what a person reads about each node (labels, types)
//! comes from the projection too, and the statements behind each step of a
//! path from the catalog, each found from the end of its triple with fewer
//! statements and kept for the generation like a relations page's. Traversals
//! run on the blocking pool against the current read models, so a large
//! ranking never holds an HTTP worker. A neighbourhood is written as JSON
//! straight from the projection under the read lock, without a view per node,
//! and sent once the lock is released (a client reading slowly never holds a
//! write back); `fields=` asks for its lean shape ([`LeanSubgraphView`]).

use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Triple};
use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::provenance::ProvenanceRequest;
use super::views::AmbiguousView;
use super::views::{RelationCountView, ResourceView, StatementView};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking, generation};
use crate::catalog::relations::Reified;
use crate::catalog::{Catalog, TripleEnd, local_name};
use crate::graph::neighborhood::cut_counts;
use crate::graph::path_modes::{all_shortest_paths, k_shortest_trails, k_shortest_walks};
use crate::graph::rankings::{degree, top_n};
use crate::graph::{
    ClassFilter, Direction, PathWeight, PredicateId, Projection, Subgraph, TraversalError,
    best_supported_paths, k_shortest_paths, neighborhood as reach, shortest_path,
};
use crate::model::EntityId;
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

/// `GET /api/v1/entities/{id}/neighborhood?fields=…`: the lean shape of a neighbourhood,
/// for large answers. Nodes carry only the fields asked for, and each edge is three numbers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeanSubgraphView {
    /// Every node reached, the entity at the centre first, breadth first; each with only the
    /// fields `fields` names (`id`, `iri`, `label`, `types`, `distance`), in that order.
    #[schema(value_type = Vec<Object>)]
    pub nodes: Vec<serde_json::Value>,
    /// The IRIs of the predicates the edges use, in the order the edges first use them.
    pub predicates: Vec<String>,
    /// The edges among the nodes, each `[source, target, predicate]`: the positions of its
    /// subject and object in `nodes` and of its predicate in `predicates`.
    #[schema(value_type = Vec<Vec<u32>>)]
    pub edges: Vec<[u32; 3]>,
    /// Whether `max_nodes` cut the neighbourhood short.
    pub truncated: bool,
    /// What `max_nodes` left out, as in the full shape.
    pub truncated_counts: Vec<RelationCountView>,
}

/// The two shapes of `GET /api/v1/entities/{id}/neighborhood`, as the OpenAPI document gives
/// them: [`SubgraphView`] by default, [`LeanSubgraphView`] with `fields`. (The handler writes
/// either straight from the projection, not through this type.)
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NeighborhoodView {
    /// Without `fields`.
    Full(SubgraphView),
    /// With `fields`.
    Lean(LeanSubgraphView),
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
    /// With `weight`: what its weakest step weighs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weakest_link: Option<WeakestLinkView>,
    /// Its steps, in order.
    pub steps: Vec<StepView>,
}

/// What the weakest step of a path weighs, with `weight=publishers` or `weight=recency`:
/// counted from the step's statements that pass the filter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeakestLinkView {
    /// With `publishers`: the fewest independent publishers (a document without publisher
    /// counts as its own) behind one step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publishers: Option<u32>,
    /// With `recency`: the oldest of the steps' latest statement days, `YYYY-MM-DD`; `null`
    /// when a step has no statement dated on or after 1970-01-01.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub latest_statement: Option<Option<String>>,
}

/// `GET /api/v1/paths`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathsView {
    /// The start.
    pub from: NodeView,
    /// The end.
    pub to: NodeView,
    /// The paths, shortest first; empty when none is within `max_length`.
    pub paths: Vec<PathView>,
    /// `false` when there are more paths than were given: `all_shortest` found more than
    /// `k`, or a `trail` search stopped at its budget of work.
    pub complete: bool,
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

pub(super) fn node_view(
    projection: &Projection,
    node: NodeIndex,
    distance: Option<usize>,
) -> NodeView {
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

pub(super) fn predicate_view(projection: &Projection, predicate: PredicateId) -> ResourceView {
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
    /// At most this many nodes, 1 to 100000 (default 200). The 2-hop neighbourhood of an
    /// ordinary entity of a million-triple news graph already holds ten thousand, through the
    /// hubs it touches; ask for the lean shape (`fields`) at that size.
    #[param(minimum = 1, maximum = 100000)]
    max_nodes: Option<usize>,
    /// `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
    /// The lean shape ([`LeanSubgraphView`]) with these node fields, comma-separated, among
    /// `id`, `iri`, `label`, `types` and `distance` (for example `id,label`); without it, the
    /// full shape ([`SubgraphView`]).
    #[param(pattern = "^(id|iri|label|types|distance)(,(id|iri|label|types|distance))*$")]
    fields: Option<String>,
}

/// The node fields of a lean neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NodeFields {
    id: bool,
    iri: bool,
    label: bool,
    types: bool,
    distance: bool,
}

impl NodeFields {
    /// Every field: the full shape's nodes.
    const ALL: Self = Self {
        id: true,
        iri: true,
        label: true,
        types: true,
        distance: true,
    };

    /// Reads `fields`: `None` when absent (the full shape). Names are matched exactly, as
    /// the OpenAPI pattern says: an empty value or a name with spaces is refused.
    fn parse(value: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(value) = value else {
            return Ok(None);
        };
        let mut fields = Self {
            id: false,
            iri: false,
            label: false,
            types: false,
            distance: false,
        };
        for name in value.split(',') {
            let field = match name {
                "id" => &mut fields.id,
                "iri" => &mut fields.iri,
                "label" => &mut fields.label,
                "types" => &mut fields.types,
                "distance" => &mut fields.distance,
                other => {
                    return Err(ApiError::InvalidParameter {
                        field: "fields".into(),
                        message: format!(
                            "'{other}' is not one of id, iri, label, types, distance \
                             (comma-separated, without spaces)"
                        ),
                    });
                }
            };
            *field = true;
        }
        Ok(Some(fields))
    }
}

/// GET `/api/v1/entities/{id}/neighborhood?depth=&predicate=&max_nodes=&direction=&fields=`.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}/neighborhood",
    tag = "graph",
    params(("id" = String, Path, description = "The entity's uuid, label or alias"), NeighborhoodRequest, ProvenanceRequest),
    responses(
        (status = 200, description = "The subgraph around the entity: the full shape, or with `fields` the lean one", body = NeighborhoodView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity of the graph has that id or name, or no predicate that name", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "Every permit of expensive work is taken (`server-busy`, with `Retry-After`)", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn neighborhood(
    http: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
    request: web::Query<NeighborhoodRequest>,
) -> Result<HttpResponse, ApiError> {
    let provenance = ProvenanceRequest::parse(http.query_string())?;
    let depth = bounded("depth", request.depth, 1, 0, 6)?;
    let max_nodes = bounded("max_nodes", request.max_nodes, 200, 1, 100_000)?;
    let direction = parse_direction(request.direction.as_deref())?;
    let lean = NodeFields::parse(request.fields.as_deref())?;
    let models = state.models.clone();
    let store = state.store.clone();
    let predicate = request.predicate.clone();
    let permit = state.admission.enter().await?;
    let (body, computed_from) = blocking(move || {
        let _permit = permit;
        let read = models.read()?;
        let start = node_of(&store, &read, &key)?;
        let predicates = parse_predicates(&read.projection, predicate.as_deref())?;
        let projection = &read.projection;
        let filter = provenance.resolve(&store, &read)?;
        let test = projection.edge_test(&filter);
        let graph = projection
            .adjacency()
            .view(predicates.as_deref())
            .with_test(Some(&test));
        let subgraph = reach(graph, start, depth, direction, max_nodes);
        let body = match lean {
            None => render_subgraph(projection, start, &subgraph),
            Some(fields) => render_lean_subgraph(projection, &subgraph, fields),
        }
        .map_err(|e| ApiError::Internal(format!("writing a neighbourhood: {e}")))?;
        Ok((body, read.generation))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .content_type("application/json")
        .body(body))
}

/// A node as JSON, written from the projection: [`NodeView`]'s fields, or those of a lean
/// shape.
struct NodeJson<'p> {
    projection: &'p Projection,
    node: NodeIndex,
    distance: Option<usize>,
    fields: NodeFields,
}

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let projection = self.projection;
        let resource = projection.resource(self.node);
        let iri = resource.map(|r| r.iri());
        let iri = iri.as_ref().map_or("", |iri| iri.as_str());
        let fields = self.fields;
        let mut map = serializer.serialize_map(None)?;
        if fields.id {
            // A uuid, hyphenated in lowercase as `EntityId`'s `Display` writes it.
            let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
            let id =
                EntityId::from_iri(iri).map(|id| &*id.uuid().hyphenated().encode_lower(&mut text));
            map.serialize_entry("id", &id)?;
        }
        if fields.iri {
            map.serialize_entry("iri", iri)?;
        }
        if fields.label {
            let label = resource
                .and_then(|r| r.label())
                .unwrap_or_else(|| local_name(iri));
            map.serialize_entry("label", label)?;
        }
        if fields.types {
            let types = resource.map_or(&[][..], |r| r.types());
            map.serialize_entry(
                "types",
                &Seq(types.iter().map(|&class| projection.class(class).as_str())),
            )?;
        }
        if fields.distance
            && let Some(distance) = self.distance
        {
            map.serialize_entry("distance", &distance)?;
        }
        map.end()
    }
}

/// A sequence written from an iterator, once.
struct Seq<I>(I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in self.0.clone() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// An edge as [`EdgeView`] writes it, from the projection.
struct EdgeJson<'p> {
    projection: &'p Projection,
    edge: EdgeIndex,
}

impl Serialize for EdgeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let projection = self.projection;
        let Some((source, target, relation)) = projection.relation(self.edge) else {
            return Err(serde::ser::Error::custom(
                "an edge the projection does not have",
            ));
        };
        let iri = |node| projection.resource(node).map(|r| r.iri());
        let (source, target) = (iri(source), iri(target));
        let predicate = projection.predicate(relation.predicate).as_str();
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("source", source.as_ref().map_or("", |iri| iri.as_str()))?;
        map.serialize_entry("target", target.as_ref().map_or("", |iri| iri.as_str()))?;
        map.serialize_entry(
            "predicate",
            &ResourceJson {
                iri: predicate,
                label: local_name(predicate),
            },
        )?;
        map.end()
    }
}

/// A [`ResourceView`] without an id, borrowed.
#[derive(Serialize)]
struct ResourceJson<'a> {
    iri: &'a str,
    label: &'a str,
}

/// What `max_nodes` cut, counted, as both shapes give it.
fn truncated_counts(
    projection: &Projection,
    subgraph: &Subgraph<NodeIndex, EdgeIndex>,
) -> Vec<RelationCountView> {
    cut_counts(projection, &subgraph.cut)
        .into_iter()
        .map(|count| RelationCountView {
            predicate: predicate_view(projection, count.predicate),
            direction: match count.direction {
                petgraph::Direction::Outgoing => "out",
                petgraph::Direction::Incoming => "in",
            },
            count: count.count,
        })
        .collect()
}

/// The neighbourhood as [`SubgraphView`] serializes, written straight from the projection.
///
/// # Errors
/// When the projection lacks one of the subgraph's edges (a broken invariant).
fn render_subgraph(
    projection: &Projection,
    start: NodeIndex,
    subgraph: &Subgraph<NodeIndex, EdgeIndex>,
) -> Result<Vec<u8>, serde_json::Error> {
    let node = |node, distance| NodeJson {
        projection,
        node,
        distance,
        fields: NodeFields::ALL,
    };
    // About 300 bytes a node and 200 an edge.
    let mut body = Vec::with_capacity(300 * subgraph.nodes.len() + 200 * subgraph.edges.len());
    let mut out = serde_json::Serializer::new(&mut body);
    let mut map = out.serialize_map(Some(5))?;
    map.serialize_entry("root", &node(start, Some(0)))?;
    map.serialize_entry(
        "nodes",
        &Seq(subgraph.nodes.iter().map(|&(n, d)| node(n, Some(d)))),
    )?;
    map.serialize_entry(
        "edges",
        &Seq(subgraph
            .edges
            .iter()
            .map(|&edge| EdgeJson { projection, edge })),
    )?;
    map.serialize_entry("truncated", &subgraph.truncated)?;
    map.serialize_entry("truncated_counts", &truncated_counts(projection, subgraph))?;
    SerializeMap::end(map)?;
    Ok(body)
}

/// The neighbourhood as [`LeanSubgraphView`], with the node fields asked for.
///
/// # Errors
/// When the projection lacks one of the subgraph's edges (a broken invariant).
fn render_lean_subgraph(
    projection: &Projection,
    subgraph: &Subgraph<NodeIndex, EdgeIndex>,
    fields: NodeFields,
) -> Result<Vec<u8>, serde_json::Error> {
    // The position of each node in `nodes`, by node index.
    let mut position = vec![u32::MAX; projection.adjacency().node_bound()];
    for (i, &(node, _)) in subgraph.nodes.iter().enumerate() {
        if let Some(slot) = position.get_mut(node.index()) {
            // At most `max_nodes` nodes, far below u32::MAX.
            *slot = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    let mut predicates: Vec<PredicateId> = Vec::new();
    let mut predicate_at: FxHashMap<PredicateId, u32> = FxHashMap::default();
    let mut edges = Vec::with_capacity(subgraph.edges.len());
    for &edge in &subgraph.edges {
        let Some((source, target, relation)) = projection.relation(edge) else {
            return Err(serde::ser::Error::custom(
                "an edge the projection does not have",
            ));
        };
        let p = *predicate_at.entry(relation.predicate).or_insert_with(|| {
            predicates.push(relation.predicate);
            u32::try_from(predicates.len() - 1).unwrap_or(u32::MAX)
        });
        let at = |node: NodeIndex| position.get(node.index()).copied().unwrap_or(u32::MAX);
        edges.push([at(source), at(target), p]);
    }
    let mut body = Vec::with_capacity(80 * subgraph.nodes.len() + 20 * edges.len());
    let mut out = serde_json::Serializer::new(&mut body);
    let mut map = out.serialize_map(Some(5))?;
    map.serialize_entry(
        "nodes",
        &Seq(subgraph.nodes.iter().map(|&(node, d)| NodeJson {
            projection,
            node,
            distance: Some(d),
            fields,
        })),
    )?;
    map.serialize_entry(
        "predicates",
        &Seq(predicates.iter().map(|&p| projection.predicate(p).as_str())),
    )?;
    map.serialize_entry("edges", &edges)?;
    map.serialize_entry("truncated", &subgraph.truncated)?;
    map.serialize_entry("truncated_counts", &truncated_counts(projection, subgraph))?;
    SerializeMap::end(map)?;
    Ok(body)
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
    /// How many paths, 1 to 100: the `k` shortest for `k_shortest` (default 1), at most `k`
    /// for `all_shortest` (default 100).
    #[param(minimum = 1, maximum = 100)]
    k: Option<usize>,
    /// Which paths, as GQL's selectors name them: `k_shortest` (the default: the `k`
    /// shortest), `shortest` (one shortest), `all_shortest` (every shortest path, up to
    /// `k`), `any` (one path, whichever is found first: a shortest one).
    #[param(pattern = "^(k_shortest|shortest|all_shortest|any)$")]
    selector: Option<String>,
    /// Which sequences count as paths, as GQL's modes name them: `simple` (the default: no
    /// node twice), `trail` (no edge twice; nodes may repeat), `walk` (anything goes). A
    /// shortest path is always simple, so the mode matters for `k_shortest` only.
    #[param(pattern = "^(simple|trail|walk)$")]
    mode: Option<String>,
    /// Only these predicates, comma-separated.
    predicate: Option<String>,
    /// `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
    /// The best-supported paths instead of the shortest: paths whose weakest step has the most
    /// independent publishers (`publishers`) or was reported most recently (`recency`),
    /// counted from the statements that pass the filter; shortest first among equals. With
    /// `selector` `k_shortest` (k at most 10) or `shortest`, and mode `simple`.
    #[param(pattern = "^(publishers|recency)$")]
    weight: Option<String>,
}

/// Reads the `weight` of a paths request, checking it goes with the selector, mode and k.
fn parse_weight(
    value: Option<&str>,
    selector: Selector,
    mode: Mode,
    k: usize,
) -> Result<Option<PathWeight>, ApiError> {
    let weight = match value {
        None => return Ok(None),
        Some("publishers") => PathWeight::Publishers,
        Some("recency") => PathWeight::Recency,
        Some(other) => {
            return Err(ApiError::InvalidParameter {
                field: "weight".into(),
                message: format!("'{other}' is not a weight: publishers or recency"),
            });
        }
    };
    let refused = |message: &str| {
        Err(ApiError::InvalidParameter {
            field: "weight".into(),
            message: message.into(),
        })
    };
    if !matches!(selector, Selector::KShortest | Selector::Shortest) {
        return refused("weighted paths take selector k_shortest or shortest");
    }
    if mode != Mode::Simple {
        return refused("weighted paths are simple paths: leave mode out or set it to simple");
    }
    if k > 10 {
        return refused("weighted paths take k from 1 to 10");
    }
    Ok(Some(weight))
}

/// The selector of a paths request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selector {
    KShortest,
    Shortest,
    AllShortest,
    Any,
}

/// The mode of a paths request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Simple,
    Trail,
    Walk,
}

fn parse_selector(value: Option<&str>) -> Result<Selector, ApiError> {
    Ok(match value.unwrap_or("k_shortest") {
        "k_shortest" => Selector::KShortest,
        "shortest" => Selector::Shortest,
        "all_shortest" => Selector::AllShortest,
        "any" => Selector::Any,
        other => {
            return Err(ApiError::InvalidParameter {
                field: "selector".into(),
                message: format!(
                    "'{other}' is not a selector: k_shortest, shortest, all_shortest or any"
                ),
            });
        }
    })
}

fn parse_mode(value: Option<&str>) -> Result<Mode, ApiError> {
    Ok(match value.unwrap_or("simple") {
        "simple" => Mode::Simple,
        "trail" => Mode::Trail,
        "walk" => Mode::Walk,
        other => {
            return Err(ApiError::InvalidParameter {
                field: "mode".into(),
                message: format!("'{other}' is not a mode: simple, trail or walk"),
            });
        }
    })
}

/// GET `/api/v1/paths?from=&to=&max_length=&k=&selector=&mode=&predicate=&direction=&weight=`.
#[utoipa::path(
    get,
    path = "/api/v1/paths",
    tag = "graph",
    params(PathsRequest, ProvenanceRequest),
    responses(
        (status = 200, description = "The shortest paths, shortest first (with `weight`, the best-supported first), each step with its statements", body = PathsView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is missing or invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity of the graph has that id or name, or no predicate that name", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "Every permit of expensive work is taken (`server-busy`, with `Retry-After`)", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn paths(
    http: HttpRequest,
    state: web::Data<AppState>,
    request: web::Query<PathsRequest>,
) -> Result<HttpResponse, ApiError> {
    let provenance = ProvenanceRequest::parse(http.query_string())?;
    let missing = |field: &'static str| ApiError::MissingParameter {
        field,
        hint: "name both ends of the path with from= and to= (uuid, label or alias)",
    };
    let from_key = request.from.clone().ok_or_else(|| missing("from"))?;
    let to_key = request.to.clone().ok_or_else(|| missing("to"))?;
    let max_length = bounded("max_length", request.max_length, 6, 1, 10)?;
    let selector = parse_selector(request.selector.as_deref())?;
    let mode = parse_mode(request.mode.as_deref())?;
    let k = match selector {
        Selector::AllShortest => bounded("k", request.k, 100, 1, 100)?,
        _ => bounded("k", request.k, 1, 1, 100)?,
    };
    let direction = parse_direction(request.direction.as_deref())?;
    let weight = parse_weight(request.weight.as_deref(), selector, mode, k)?;
    let models = state.models.clone();
    let store = state.store.clone();
    let predicate = request.predicate.clone();
    let permit = state.admission.enter().await?;
    let (view, computed_from) = blocking(move || {
        let _permit = permit;
        let read = models.read()?;
        let from = node_of(&store, &read, &from_key)?;
        let to = node_of(&store, &read, &to_key)?;
        let predicates = parse_predicates(&read.projection, predicate.as_deref())?;
        let projection = &read.projection;
        let filter = provenance.resolve(&store, &read)?;
        let test = projection.edge_test(&filter);
        let graph = projection
            .adjacency()
            .view(predicates.as_deref())
            .with_test(Some(&test));
        let mut weakest = Vec::new();
        let (found, complete) = match (selector, mode, weight) {
            (_, _, Some(weight)) => {
                let k = if selector == Selector::Shortest { 1 } else { k };
                let best = best_supported_paths(
                    projection,
                    &filter,
                    predicates.as_deref(),
                    from,
                    to,
                    k,
                    max_length,
                    direction,
                    weight,
                );
                let mut found = Vec::with_capacity(best.len());
                for path in best {
                    weakest.push(
                        (!path.path.is_empty())
                            .then(|| weakest_link_view(weight, path.weakest_link)),
                    );
                    found.push(path.path);
                }
                (found, true)
            }
            (Selector::Shortest | Selector::Any, _, None) => (
                shortest_path(graph, from, to, max_length, direction)
                    .into_iter()
                    .collect(),
                true,
            ),
            (Selector::AllShortest, _, None) => {
                let (found, more) = all_shortest_paths(graph, from, to, k, max_length, direction);
                (found, !more)
            }
            (Selector::KShortest, Mode::Simple, None) => (
                k_shortest_paths(graph, from, to, k, max_length, direction),
                true,
            ),
            (Selector::KShortest, Mode::Walk, None) => (
                k_shortest_walks(graph, from, to, k, max_length, direction),
                true,
            ),
            (Selector::KShortest, Mode::Trail, None) => {
                let (found, stopped) = k_shortest_trails(graph, from, to, k, max_length, direction);
                (found, !stopped)
            }
        };
        let catalog = Catalog::new(&store)
            .with_labels(projection)
            .with_cache(models.cache());
        let edges = found.iter().flat_map(|p| p.edges.iter().copied()).collect();
        let statements = statements_of_edges(projection, &catalog, edges, &filter)?;
        let mut paths = Vec::with_capacity(found.len());
        let mut weakest = weakest.into_iter();
        for path in found {
            let mut steps = Vec::with_capacity(path.edges.len());
            for (i, &edge) in path.edges.iter().enumerate() {
                steps.push(step_view(
                    projection,
                    &statements,
                    path.nodes[i],
                    path.nodes[i + 1],
                    edge,
                )?);
            }
            paths.push(PathView {
                length: steps.len(),
                weakest_link: weakest.next().flatten(),
                steps,
            });
        }
        Ok((
            PathsView {
                from: node_view(projection, from, None),
                to: node_view(projection, to, None),
                paths,
                complete,
            },
            read.generation,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}

/// The weight of a path's weakest step as the answer gives it.
fn weakest_link_view(weight: PathWeight, value: Option<i32>) -> WeakestLinkView {
    match weight {
        PathWeight::Publishers => WeakestLinkView {
            publishers: Some(value.map_or(0, |n| u32::try_from(n).unwrap_or(0))),
            latest_statement: None,
        },
        PathWeight::Recency => WeakestLinkView {
            publishers: None,
            latest_statement: Some(value.map(crate::model::day_text)),
        },
    }
}

/// The statements reporting each of `edges`, read once per edge in one batch, each
/// triple's from the end with fewer statements (the subject's outgoing edges against the
/// object's incoming ones), so that a step through a hub never scans the hub's statements.
/// With a provenance filter, a step lists only the statements that pass it.
pub(super) fn statements_of_edges(
    projection: &Projection,
    catalog: &Catalog<'_>,
    mut edges: Vec<EdgeIndex>,
    filter: &crate::graph::EvidenceFilter,
) -> Result<FxHashMap<EdgeIndex, Vec<StatementView>>, ApiError> {
    let adjacency = projection.adjacency();
    edges.sort_unstable();
    edges.dedup();
    let mut triples: Vec<(EdgeIndex, Triple, TripleEnd)> = Vec::with_capacity(edges.len());
    for edge in edges {
        let (Some(triple), Some((subject, object, _))) =
            (projection.triple(edge), projection.relation(edge))
        else {
            continue;
        };
        let from = if adjacency.degree(subject, Direction::Out)
            <= adjacency.degree(object, Direction::In)
        {
            TripleEnd::Subject
        } else {
            TripleEnd::Object
        };
        triples.push((edge, triple, from));
    }
    let mut asked = Vec::with_capacity(triples.len());
    for (_, triple, from) in &triples {
        let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
            return Err(ApiError::Internal(
                "a projected triple has a blank subject".into(),
            ));
        };
        let oxigraph::model::Term::NamedNode(object) = &triple.object else {
            return Err(ApiError::Internal(
                "a projected triple has a literal object".into(),
            ));
        };
        asked.push(Reified {
            subject: subject.as_ref(),
            predicate: triple.predicate.as_ref(),
            object: object.as_ref(),
            from: *from,
        });
    }
    let found = catalog.statements_reifying(&asked)?;
    let mut views: FxHashMap<EdgeIndex, Vec<StatementView>> = FxHashMap::default();
    for ((edge, _, _), statements) in triples.iter().zip(found) {
        let mut list = Vec::with_capacity(statements.len());
        for statement in &statements {
            if let Some(record) = catalog.statement(statement.as_ref())?
                && super::provenance::admits(filter, projection, &record)
            {
                list.push(StatementView::from(&record));
            }
        }
        views.insert(*edge, list);
    }
    Ok(views)
}

fn step_view(
    projection: &Projection,
    statements: &FxHashMap<EdgeIndex, Vec<StatementView>>,
    from: NodeIndex,
    to: NodeIndex,
    edge: EdgeIndex,
) -> Result<StepView, ApiError> {
    let Some((source, _, relation)) = projection.relation(edge) else {
        return Err(ApiError::Internal(
            "a path names an edge the projection does not have".into(),
        ));
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
        statements: statements.get(&edge).cloned().unwrap_or_default(),
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
    params(RankingsRequest, ProvenanceRequest),
    responses(
        (status = 200, description = "The most central entities, best first", body = RankingsView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No class of the graph has that name", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "The rankings are not computed yet (`rankings-pending`), or every permit of expensive work is taken (`server-busy`); both with `Retry-After`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn rankings(
    http: HttpRequest,
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
    let provenance = ProvenanceRequest::parse(http.query_string())?;
    if metric != "degree" && !provenance.is_empty() {
        // PageRank and betweenness are computed in the background over the whole graph,
        // never for one request (see ARCHITECTURE.md).
        return Err(ApiError::InvalidParameter {
            field: "metric".into(),
            message: format!(
                "provenance filters apply to metric=degree only, not to {metric}, which is \
                 computed in the background over the whole graph"
            ),
        });
    }
    let limit = bounded("limit", request.limit, 10, 1, 1000)?;
    let models = state.models.clone();
    let store = state.store.clone();
    let entity_type = super::given(&request.entity_type);
    let wait = state.limits.query_timeout(None);
    let permit = state.admission.enter().await?;
    let view = blocking(move || {
        let _permit = permit;
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
            None if !provenance.is_empty() => {
                let filter = provenance.resolve(&store, &read)?;
                let test = projection.edge_test(&filter);
                let allows = |edge| test.allows(edge);
                let graph = &projection.view_with(None, Some(&allows));
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
