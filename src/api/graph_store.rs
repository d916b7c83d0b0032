//! `/store`: the SPARQL 1.1 Graph Store HTTP Protocol.
//!
//! A graph is named indirectly (`/store?default`, `/store?graph=IRI`) or
//! directly (`/store/some/path` is the graph whose IRI is that URL). GET and
//! HEAD read a graph (or, with no graph named, the whole dataset as TriG or
//! N-Quads); PUT replaces, POST merges (and, with no graph named, creates a new
//! graph and answers its `Location`), DELETE removes. Writes need the write
//! token; status codes follow the Recommendation: 201 when a graph is
//! created, 204 after other writes, 404 for a named graph that does not exist.
//! A body is checked against the server's input limits (`limits::check`:
//! nesting, literal and IRI lengths, UTF-8, no XML entities) before it is parsed.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::StreamExt;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode};

use super::auth::WriteAccess;
use super::negotiation::choose_rdf_format;
use super::problem::ApiError;
use super::{AppState, base_url, blocking, negotiated};
use crate::store::change::ChangeSet;
use crate::store::load::RdfSource;
use crate::store::write::GraphWrite;

/// The formats a graph is read and written in, the first being the default.
const GRAPH_FORMATS: &[RdfFormat] = &[
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
    RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    },
    RdfFormat::TriG,
    RdfFormat::NQuads,
];
/// The formats the whole dataset is read in.
const DATASET_FORMATS: &[RdfFormat] = &[RdfFormat::TriG, RdfFormat::NQuads];

/// What a request addresses.
#[derive(Debug, Clone)]
enum Target {
    /// `?default`.
    DefaultGraph,
    /// `?graph=IRI`, or the request URL under `/store/`.
    Named(NamedNode),
    /// `/store` with no graph named.
    Dataset,
}

impl Target {
    fn graph_name(&self) -> Option<GraphName> {
        match self {
            Self::DefaultGraph => Some(GraphName::DefaultGraph),
            Self::Named(node) => Some(node.clone().into()),
            Self::Dataset => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::DefaultGraph => "default graph".to_owned(),
            Self::Named(node) => node.to_string(),
            Self::Dataset => "dataset".to_owned(),
        }
    }
}

/// Reads the target of a request from its parameters or its path.
fn target(request: &HttpRequest) -> Result<Target, ApiError> {
    let mut default = false;
    let mut graph = None;
    for (key, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        match key.as_ref() {
            "default" => default = true,
            "graph" => graph = Some(value.into_owned()),
            _ => {}
        }
    }
    let direct = request.path().len() > "/store/".len();
    match (default, graph, direct) {
        (true, Some(_), _) | (true, None, true) | (false, Some(_), true) => {
            Err(ApiError::InvalidParameter {
                field: "graph".to_owned(),
                message: "name one graph: ?default, ?graph=IRI, or a path under /store/".to_owned(),
            })
        }
        (true, None, false) => Ok(Target::DefaultGraph),
        (false, Some(iri), false) => {
            NamedNode::new(&iri)
                .map(Target::Named)
                .map_err(|e| ApiError::InvalidParameter {
                    field: "graph".to_owned(),
                    message: format!("<{iri}> is not an absolute IRI: {e}"),
                })
        }
        (false, None, true) => Ok(Target::Named(NamedNode::new_unchecked(format!(
            "{}{}",
            base_url(request),
            request.path()
        )))),
        (false, None, false) => Ok(Target::Dataset),
    }
}

/// GET and HEAD: the graph, or the whole dataset.
pub async fn read(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let target = target(&request)?;
    let (format, graph) = match target.graph_name() {
        Some(graph) => (choose_rdf_format(&request, GRAPH_FORMATS)?, Some(graph)),
        None => (choose_rdf_format(&request, DATASET_FORMATS)?, None),
    };
    let store = state.store.clone();
    let body = blocking(move || {
        if let Some(graph) = &graph {
            if !store.contains_graph(graph.as_ref())? {
                return Err(ApiError::GraphNotFound {
                    graph: target.describe(),
                });
            }
        }
        store
            .dump(Vec::new(), format, graph.as_ref().map(GraphName::as_ref))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok(negotiated(format.media_type(), body))
}

/// PUT: replaces the graph with the body.
pub async fn put(
    access: WriteAccess,
    request: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    write(access, request, state, body, Mode::Replace).await
}

/// POST: merges the body into the graph, or creates a new graph when none is named.
pub async fn post(
    access: WriteAccess,
    request: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    write(access, request, state, body, Mode::Merge).await
}

/// DELETE: removes the graph.
pub async fn delete(
    _: WriteAccess,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let target = target(&request)?;
    let Some(graph) = target.graph_name() else {
        return Err(name_a_graph());
    };
    let models = state.models.clone();
    let written = blocking(move || {
        models.write(|store| -> Result<_, ApiError> {
            Ok(match store.delete_graph(graph.as_ref())? {
                Some(change) => (true, change),
                None => (false, ChangeSet::default()),
            })
        })
    })
    .await?;
    if written.value {
        Ok(HttpResponse::NoContent()
            .insert_header(super::generation(written.generation))
            .finish())
    } else {
        Err(ApiError::GraphNotFound {
            graph: target.describe(),
        })
    }
}

/// How a write combines the body with the graph.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Replace,
    Merge,
}

fn name_a_graph() -> ApiError {
    ApiError::MissingParameter {
        field: "graph",
        hint: "name the graph with ?default, ?graph=IRI, or a path under /store/",
    }
}

async fn write(
    _: WriteAccess,
    request: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
    mode: Mode,
) -> Result<HttpResponse, ApiError> {
    let target = target(&request)?;
    let documents = match (mode, is_multipart(&request)) {
        // GSP 5.5: a multipart POST merges every part, each in its own format.
        (Mode::Merge, true) => multipart_documents(&request, body).await?,
        _ => vec![(body_format(&request)?, body, "request body".to_owned())],
    };
    let (graph, location) = match (target.graph_name(), mode) {
        (Some(graph), _) => (graph, None),
        (None, Mode::Merge) => {
            // GSP 5.5: a POST to the store itself creates a new graph and says where it is.
            let iri = format!("{}/store/{}", base_url(&request), uuid::Uuid::new_v4());
            (NamedNode::new_unchecked(iri.clone()).into(), Some(iri))
        }
        (None, Mode::Replace) => return Err(name_a_graph()),
    };
    let models = state.models.clone();
    let limits = state.limits.input.clone();
    let written = blocking(move || {
        // Before any parser sees them: nesting, literal and IRI lengths, UTF-8, XML entities.
        for (format, bytes, _) in &documents {
            crate::limits::check(syntax_of(*format), "body", bytes, &limits)?;
        }
        let mut sources: Vec<RdfSource<'_>> = documents
            .into_iter()
            .map(|(format, bytes, name)| RdfSource {
                name,
                format,
                reader: Box::new(std::io::Cursor::new(bytes)),
                graph: None,
            })
            .collect();
        let graph_ref: GraphNameRef<'_> = graph.as_ref();
        models.write(|store| -> Result<_, ApiError> {
            Ok(match mode {
                Mode::Replace => match sources.pop() {
                    Some(source) => store.replace_graph(graph_ref, source)?,
                    None => store.merge_into_graph(graph_ref, Vec::new())?,
                },
                Mode::Merge => store.merge_into_graph(graph_ref, sources)?,
            })
        })
    })
    .await?;
    let generation = super::generation(written.generation);
    Ok(match (written.value, location) {
        (_, Some(location)) => HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .insert_header(generation)
            .finish(),
        (GraphWrite::Created, None) => HttpResponse::Created().insert_header(generation).finish(),
        (GraphWrite::Updated, None) => HttpResponse::NoContent().insert_header(generation).finish(),
    })
}

fn is_multipart(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The parts of a `multipart/form-data` body: each part's format (from its Content-Type, or
/// else its file name's extension), bytes and a name for messages.
async fn multipart_documents(
    request: &HttpRequest,
    body: Bytes,
) -> Result<Vec<(RdfFormat, Bytes, String)>, ApiError> {
    let malformed = |e: actix_multipart::MultipartError| ApiError::InvalidParameter {
        field: "body".to_owned(),
        message: format!("malformed multipart/form-data: {e}"),
    };
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut multipart = actix_multipart::Multipart::new(request.headers(), stream);
    let mut documents = Vec::new();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed)?;
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename().or_else(|| d.get_name()))
            .unwrap_or("part")
            .to_owned();
        let format = field
            .content_type()
            .and_then(|mime| RdfFormat::from_media_type(mime.essence_str()))
            .or_else(|| crate::store::load::format_from_path(std::path::Path::new(&file_name)).ok())
            .filter(|format| GRAPH_FORMATS[..4].contains(format))
            .ok_or_else(|| ApiError::UnsupportedMediaType {
                content_type: field
                    .content_type()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| format!("part {file_name}")),
                accepted: GRAPH_FORMATS[..4].iter().map(|f| f.media_type()).collect(),
            })?;
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            bytes.extend_from_slice(&chunk.map_err(malformed)?);
        }
        documents.push((format, Bytes::from(bytes), format!("part {file_name}")));
    }
    Ok(documents)
}

/// The RDF format of the request body, from its Content-Type.
fn body_format(request: &HttpRequest) -> Result<RdfFormat, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    // A graph is written in a triple format; TriG and N-Quads would name other graphs.
    RdfFormat::from_media_type(essence)
        .filter(|format| GRAPH_FORMATS[..4].contains(format))
        .ok_or_else(|| ApiError::UnsupportedMediaType {
            content_type: content_type.to_owned(),
            accepted: GRAPH_FORMATS[..4].iter().map(|f| f.media_type()).collect(),
        })
}

/// The syntax family [`crate::limits::check`] scans a body of `format` as.
fn syntax_of(format: RdfFormat) -> crate::limits::Syntax {
    match format {
        RdfFormat::RdfXml => crate::limits::Syntax::Xml,
        RdfFormat::JsonLd { .. } => crate::limits::Syntax::Json,
        _ => crate::limits::Syntax::Turtle,
    }
}
