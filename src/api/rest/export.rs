//! `GET /api/v1/export`: the graph, or a part of it, as a file for Gephi, Cytoscape, yEd,
//! Graphviz, networkx, D3 or any RDF tool.
//!
//! The request names a format, at most one selection — nothing (the whole graph), `root=`
//! (a neighbourhood, as `/entities/{id}/neighborhood` computes it), `from=` and `to=` (the
//! union of the k shortest paths, as `/paths`), `entities=` (the subgraph they induce) or
//! `query=` (the nodes and edges a CONSTRUCT names, under the SPARQL endpoint's time limit
//! and triple cap) — and filters: `predicate=` and `type=` (repeatable), `since=` and
//! `until=` (a window over event and statement dates that keeps undated items). The
//! selection is made from the current projection and gathered on the blocking pool; the
//! body is then written there into a channel whose chunks the response streams, so a large
//! export starts arriving at once and never sits whole in memory. Writers are `export`'s.

use std::io::{self, Write};

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use oxigraph::model::Triple;
use oxigraph::sparql::QueryResults;
use petgraph::stable_graph::NodeIndex;
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use super::traversal::{bounded, node_of, parse_class, parse_direction, parse_predicates};
use super::views::AmbiguousView;
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking};
use crate::export::{self, ExportGraph, Format, TimeWindow, is_day};
use crate::graph::{Selection, k_shortest_paths, neighborhood};
use crate::read_models::ReadView;
use crate::sparql::{DatasetRequest, QueryForm, SparqlError};

/// Bytes gathered before a chunk goes to the response.
const CHUNK_BYTES: usize = 64 * 1024;

/// Query parameters of an export. `predicate` and `type` may be repeated; an empty value
/// counts as absent.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportRequest {
    /// The format: graphml, gexf, dot, cytoscape, d3, csv-nodes, csv-edges, jsonld, turtle,
    /// trig or nquads.
    #[param(
        required = true,
        pattern = "^(graphml|gexf|dot|cytoscape|d3|csv-nodes|csv-edges|jsonld|turtle|trig|nquads)$"
    )]
    format: Option<String>,
    /// Select the neighbourhood of this entity (uuid, label or alias).
    root: Option<String>,
    /// With `root`: hops from it, 0 to 6 (default 1).
    #[param(minimum = 0, maximum = 6)]
    depth: Option<usize>,
    /// With `root`: at most this many nodes, 1 to 10000 (default 200).
    #[param(minimum = 1, maximum = 10000)]
    max_nodes: Option<usize>,
    /// With `root`, or `from` and `to`: `out`, `in` or `both` (the default).
    #[param(pattern = "^(out|in|both)$")]
    direction: Option<String>,
    /// Select the shortest paths from this entity (with `to`).
    from: Option<String>,
    /// Select the shortest paths to this entity (with `from`).
    to: Option<String>,
    /// With `from` and `to`: how many shortest paths, 1 to 10 (default 1).
    #[param(minimum = 1, maximum = 10)]
    k: Option<usize>,
    /// With `from` and `to`: the longest path, 1 to 10 steps (default 6).
    #[param(minimum = 1, maximum = 10)]
    max_length: Option<usize>,
    /// Select these entities and the edges between them: uuids, labels or aliases,
    /// comma-separated.
    entities: Option<String>,
    /// Select the nodes and edges a SPARQL CONSTRUCT (or DESCRIBE) query returns.
    query: Option<String>,
    /// Keep only edges with these predicates (IRIs or `eg:` local names; repeatable,
    /// comma-separated).
    predicate: Option<Vec<String>>,
    /// Keep only nodes of these classes, subclasses included (IRIs or `eg:` local names;
    /// repeatable).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    types: Option<Vec<String>>,
    /// Drop events that ended and edges whose statements were all made before this day
    /// (`YYYY-MM-DD`); undated ones stay. Empty,
    /// like every parameter of this endpoint, means not given.
    #[param(value_type = String, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    since: Option<String>,
    /// Drop events that began and edges whose statements were all made after this day
    /// (`YYYY-MM-DD`); undated ones stay. Empty
    /// means not given.
    #[param(value_type = String, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    until: Option<String>,
    /// RDF formats: include the statements behind the edges, with their provenance
    /// (default true).
    provenance: Option<bool>,
}

/// A JSON export: Cytoscape.js elements, D3 node-link, or JSON-LD.
pub struct ExportJsonView;

impl utoipa::PartialSchema for ExportJsonView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Object)
            .description(Some(
                "A JSON document: Cytoscape.js elements, D3 node-link, or JSON-LD",
            ))
            .build()
            .into()
    }
}

impl ToSchema for ExportJsonView {}

/// Sets a parameter that may be given once only.
fn once<T>(slot: &mut Option<T>, field: &str, value: T) -> Result<(), ApiError> {
    if slot.replace(value).is_some() {
        return Err(ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("give {field} once"),
        });
    }
    Ok(())
}

fn number(field: &str, value: &str) -> Result<usize, ApiError> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::InvalidParameter {
            field: field.to_owned(),
            message: format!("'{value}' is not a whole number"),
        })
}

impl ExportRequest {
    /// Reads the query string; empty values count as absent, but for the numbers, where an
    /// empty value is refused as any other that is not a whole number.
    pub(crate) fn parse(query: &str) -> Result<Self, ApiError> {
        let mut request = Self::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_owned();
            let key = key.as_ref();
            let number_key = matches!(key, "depth" | "max_nodes" | "k" | "max_length");
            if value.is_empty() && !number_key {
                continue;
            }
            match key {
                "format" => once(&mut request.format, key, value)?,
                "root" => once(&mut request.root, key, value)?,
                "from" => once(&mut request.from, key, value)?,
                "to" => once(&mut request.to, key, value)?,
                "entities" => once(&mut request.entities, key, value)?,
                "query" => once(&mut request.query, key, value)?,
                "direction" => once(&mut request.direction, key, value)?,
                "since" => once(&mut request.since, key, value)?,
                "until" => once(&mut request.until, key, value)?,
                "depth" => once(&mut request.depth, key, number(key, &value)?)?,
                "max_nodes" => once(&mut request.max_nodes, key, number(key, &value)?)?,
                "k" => once(&mut request.k, key, number(key, &value)?)?,
                "max_length" => once(&mut request.max_length, key, number(key, &value)?)?,
                "provenance" => {
                    let flag = match value.as_str() {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        other => {
                            return Err(ApiError::InvalidParameter {
                                field: key.to_owned(),
                                message: format!("'{other}' is not true or false"),
                            });
                        }
                    };
                    once(&mut request.provenance, key, flag)?;
                }
                "predicate" => request.predicate.get_or_insert_default().push(value),
                "type" => request.types.get_or_insert_default().push(value),
                _ => {}
            }
        }
        Ok(request)
    }

    /// The selection parameters given, by name, to refuse more than one.
    pub(crate) fn selections(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if self.root.is_some() {
            given.push("root");
        }
        if self.from.is_some() || self.to.is_some() {
            given.push(if self.from.is_some() { "from" } else { "to" });
        }
        if self.entities.is_some() {
            given.push("entities");
        }
        if self.query.is_some() {
            given.push("query");
        }
        given
    }

    fn day(field: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
        match value {
            Some(day) if !is_day(day) => Err(ApiError::InvalidParameter {
                field: field.to_owned(),
                message: format!("'{day}' is not a day written YYYY-MM-DD"),
            }),
            other => Ok(other.clone()),
        }
    }
}

/// Resolves the entity a parameter names to a node.
fn node_in(
    field: &'static str,
    store: &crate::store::Store,
    read: &ReadView,
    key: &str,
) -> Result<NodeIndex, ApiError> {
    node_of(store, read, key).map_err(|error| match error {
        ApiError::UnknownEntity { key } => ApiError::UnknownEntityIn { field, key },
        other => other,
    })
}

/// What the selection parameters asked for, for the file name.
fn selection_name(request: &ExportRequest) -> &'static str {
    match request.selections().first() {
        Some(&"root") => "neighborhood",
        Some(&"from" | &"to") => "paths",
        Some(&"entities") => "entities",
        Some(&"query") => "query",
        _ => "graph",
    }
}

/// GET `/api/v1/export?format=&...`.
#[utoipa::path(
    get,
    path = "/api/v1/export",
    tag = "graph",
    params(ExportRequest, super::provenance::ProvenanceRequest),
    responses(
        (status = 200, description = "The export, as an attachment; the body streams", headers(("Content-Disposition" = String, description = "attachment; filename=\"eventgraph-SELECTION.EXT\"")), content(
            (String = "application/graphml+xml"),
            (String = "application/gexf+xml"),
            (String = "text/vnd.graphviz"),
            (ExportJsonView = "application/json"),
            (String = "text/csv"),
            (ExportJsonView = "application/ld+json"),
            (String = "text/turtle"),
            (String = "application/trig"),
            (String = "application/n-quads"),
        )),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is missing or invalid, or two selections are given", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity of the graph has that id or name, or no predicate or class that name", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "The CONSTRUCT query passed its time limit, or every permit of expensive work is taken (`server-busy`, with `Retry-After`)", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn export(
    http: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = ExportRequest::parse(http.query_string())?;
    let evidence_request = super::provenance::ProvenanceRequest::parse(http.query_string())?;
    let format_name = request.format.clone().ok_or(ApiError::MissingParameter {
        field: "format",
        hint: "name a format: graphml, gexf, dot, cytoscape, d3, csv-nodes, csv-edges, jsonld, turtle, trig or nquads",
    })?;
    let format = Format::from_name(&format_name).ok_or_else(|| ApiError::InvalidParameter {
        field: "format".into(),
        message: format!("'{format_name}' is not one of {}", Format::names()),
    })?;
    let selections = request.selections();
    if selections.len() > 1 {
        return Err(ApiError::InvalidParameter {
            field: selections.join(","),
            message: format!(
                "give at most one selection (root, from and to, entities, or query), not {}",
                selections.join(" and ")
            ),
        });
    }
    let window = TimeWindow {
        since: ExportRequest::day("since", &request.since)?,
        until: ExportRequest::day("until", &request.until)?,
    };
    let provenance = request.provenance.unwrap_or(true);
    let direction = parse_direction(request.direction.as_deref())?;
    // Every bound is checked whichever selection uses it, so that an out-of-range value is
    // never silently ignored.
    let depth = bounded("depth", request.depth, 1, 0, 6)?;
    let max_nodes = bounded("max_nodes", request.max_nodes, 200, 1, 10_000)?;
    let k = bounded("k", request.k, 1, 1, 10)?;
    let max_length = bounded("max_length", request.max_length, 6, 1, 10)?;
    // Held until the export is written, or the client is gone.
    let permit = state.admission.enter().await?;
    // Only one selection is given (checked above), so a query is the selection.
    let triples = match &request.query {
        Some(query) => Some(construct(&http, &state, query).await?),
        None => None,
    };
    let filename = format!(
        "eventgraph-{}.{}",
        selection_name(&request),
        format.file_suffix()
    );
    let store = state.store.clone();
    let models = state.models.clone();
    // The RDF formats name the statements behind the edges only with their provenance.
    let with_statements = format.rdf_format().is_none() || provenance;
    let no_selection = selections.is_empty();
    let graph = blocking(move || {
        // The selection and the gathering read one generation of the projection; the
        // writing below streams without holding it.
        let read = models.read()?;
        let projection = &read.projection;
        let predicates = match &request.predicate {
            Some(values) => parse_predicates(projection, Some(&values.join(",")))?,
            None => None,
        };
        let classes = request
            .types
            .iter()
            .flatten()
            .map(|name| parse_class(projection, name))
            .collect::<Result<Vec<_>, _>>()?;
        let filter = evidence_request.resolve(&store, &read)?;
        let test = projection.edge_test(&filter);
        let allows = |edge| test.allows(edge);
        let keep: Option<crate::graph::EdgeKeep<'_>> = (!test.is_open()).then_some(&allows);
        let mut selection = if let Some(root) = &request.root {
            let start = node_in("root", &store, &read, root)?;
            let view = projection.view_with(predicates.as_deref(), keep);
            Selection::from_subgraph(&neighborhood(&view, start, depth, direction, max_nodes))
        } else if request.from.is_some() || request.to.is_some() {
            let missing = |field: &'static str| ApiError::MissingParameter {
                field,
                hint: "name both ends of the paths with from= and to= (uuid, label or alias)",
            };
            let from_key = request.from.as_deref().ok_or_else(|| missing("from"))?;
            let to_key = request.to.as_deref().ok_or_else(|| missing("to"))?;
            let from = node_in("from", &store, &read, from_key)?;
            let to = node_in("to", &store, &read, to_key)?;
            let view = projection.view_with(predicates.as_deref(), keep);
            let paths = k_shortest_paths(&view, from, to, k, max_length, direction);
            Selection::from_paths(&[from, to], &paths)
        } else if let Some(entities) = &request.entities {
            let mut nodes = Vec::new();
            for key in entities.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                nodes.push(node_in("entities", &store, &read, key)?);
            }
            Selection::induced(projection, &nodes)
        } else if let Some(triples) = &triples {
            Selection::from_triples(projection, triples)
        } else {
            Selection::whole(projection)
        };
        selection.narrow(projection, predicates.as_deref(), &classes, no_selection);
        if let Some(keep) = keep {
            selection.retain_edges(projection, keep, no_selection);
        }
        Ok(ExportGraph::gather(
            &store,
            projection,
            &selection,
            &window,
            with_statements,
            &filter,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(stream(
            format,
            state.store.clone(),
            graph,
            provenance,
            permit,
        )))
}

/// Evaluates a CONSTRUCT (or DESCRIBE) query under the endpoint's time limit and triple cap,
/// and returns its triples.
async fn construct(
    http: &HttpRequest,
    state: &AppState,
    text: &str,
) -> Result<Vec<Triple>, ApiError> {
    let base = format!("{}/sparql", crate::api::base_url(http));
    let query = crate::api::sparql::parse_query(text.to_owned(), base, &state.limits.input).await?;
    if query.form() != QueryForm::Graph {
        crate::api::sparql::discard(query);
        return Err(ApiError::InvalidParameter {
            field: "query".into(),
            message: "an export takes a CONSTRUCT or DESCRIBE query, which returns a graph".into(),
        });
    }
    let limit = state.limits.query_timeout(None);
    let max_rows = state.limits.max_result_rows;
    let store = state.store.clone();
    let remote = state.remote.clone();
    let dataset = DatasetRequest {
        union_default_graph: state.query.union_default_graph,
        ..DatasetRequest::default()
    };
    crate::api::sparql::within_time_limit(limit, move |token| {
        let QueryResults::Graph(results) = query.evaluate(&store, &dataset, token, &remote)? else {
            return Ok(Vec::new());
        };
        let mut triples = Vec::new();
        for triple in results {
            if triples.len() as u64 >= max_rows {
                return Err(SparqlError::TooManyResults { limit: max_rows });
            }
            triples.push(triple?);
        }
        Ok(triples)
    })
    .await
}

/// A writer sending its bytes, in chunks, to the response through a channel; it fails with
/// `BrokenPipe` once the response is gone (the client hung up), which stops the export.
struct ChannelWriter {
    /// Where chunks go.
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
    /// The chunk being filled.
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self, item: Result<Bytes, io::Error>) -> io::Result<()> {
        self.sender
            .blocking_send(item)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.send(Ok(chunk))
    }
}

/// Writes the export on the blocking pool and returns the stream of its chunks. A failure
/// after the first chunk can no longer change the status: it is logged and ends the stream
/// with an error, so the client sees a cut-off transfer rather than a complete-looking file.
fn stream(
    format: Format,
    store: crate::store::Store,
    graph: ExportGraph,
    provenance: bool,
    permit: crate::api::admission::Permit,
) -> impl futures_util::Stream<Item = Result<Bytes, io::Error>> {
    let (sender, receiver) = mpsc::channel(4);
    let mut writer = ChannelWriter {
        sender,
        buffer: Vec::with_capacity(CHUNK_BYTES),
    };
    // The task is not awaited: it ends when the export is written or the client is gone.
    drop(actix_web::rt::task::spawn_blocking(move || {
        let _permit = permit;
        let written = if format.rdf_format().is_some() {
            export::rdf::write(format, &store, &graph, provenance, &mut writer).map(|_| ())
        } else {
            export::write(format, &graph, &mut writer).map(|_| ())
        };
        let result = written.and_then(|()| Ok(writer.flush()?));
        if let Err(error) = result {
            tracing::warn!(format = format.name(), "export stopped: {error}");
            let _ = writer.send(Err(io::Error::other(error.to_string())));
        }
    }));
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_repeat_predicates_and_types_and_refuse_a_second_format() {
        let request =
            ExportRequest::parse("format=gexf&predicate=a&predicate=b,c&type=State&depth=2&since=")
                .unwrap();
        assert_eq!(request.format.as_deref(), Some("gexf"));
        assert_eq!(request.predicate.unwrap(), ["a", "b,c"]);
        assert_eq!(request.types.unwrap(), ["State"]);
        assert_eq!(request.depth, Some(2));
        assert_eq!(request.since, None);
        assert!(ExportRequest::parse("format=dot&format=gexf").is_err());
        assert!(ExportRequest::parse("depth=two").is_err());
        // An empty number is not a number; an empty text is absent.
        assert!(ExportRequest::parse("format=gexf&k=").is_err());
        assert!(ExportRequest::parse("format=gexf&since=&root=").is_ok());
        assert!(ExportRequest::parse("provenance=maybe").is_err());
    }

    #[test]
    fn selections_are_named_for_conflicts_and_file_names() {
        let request = ExportRequest::parse("root=Qatar&to=Hamas&query=x").unwrap();
        assert_eq!(request.selections(), ["root", "to", "query"]);
        assert_eq!(selection_name(&ExportRequest::default()), "graph");
        assert_eq!(
            selection_name(&ExportRequest::parse("from=a&to=b").unwrap()),
            "paths"
        );
    }
}
