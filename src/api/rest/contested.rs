//! `GET /api/v1/contested` — what the sources give differently — and
//! `GET /api/v1/entities/{id}/claims` — every statement about an entity, grouped by source.
//!
//! The contested view has three lists, each counted and paged with `limit`/`offset`:
//! the reported figures as each source gives them, hedges as data (`catalog::figures`); the
//! relations one statement asserts and another denies; and the relations one publisher alone
//! stands behind (both `graph::contested`, from the projection's evidence). Claims lists the
//! statements whose subject or object is the entity, grouped by source document, the sources
//! paged. Both take the provenance filter parameters of the traversals
//! (`rest::provenance`): a figure or claim is listed when one of its statements passes the
//! per-statement conditions; a relation, when the filter lets its edge through.

use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::provenance::{ProvenanceRequest, admits};
use super::traversal::{bounded, predicate_view, statements_of_edges};
use super::views::{AmbiguousView, ResourceView, StatementView, ValueView};
use crate::api::problem::{ApiError, ProblemView};
use crate::api::{AppState, blocking, generation};
use crate::catalog::figures::FigureGroup;
use crate::catalog::{Catalog, Labelled};
use crate::graph::contested::{Backer, disputed, single_publisher};
use crate::graph::{EvidenceFilter, Projection};
use crate::vocab::{self, eg};

/// Paging of each list of the contested view, and of the sources of claims.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per list, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
    /// Items to skip in each list (default 0), at most 1,000,000.
    #[param(minimum = 0, maximum = 1000000)]
    offset: Option<usize>,
}

impl PageParams {
    fn read(&self) -> Result<(usize, usize), ApiError> {
        let limit = bounded("limit", self.limit, 20, 1, 100)?;
        let offset = self.offset.unwrap_or(0);
        if offset > 1_000_000 {
            return Err(ApiError::InvalidParameter {
                field: "offset".into(),
                message: format!("{offset} is more than 1000000"),
            });
        }
        Ok((offset, limit))
    }
}

/// A figure: a quantity as one source gives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureView {
    /// The quantity.
    pub quantity: ResourceView,
    /// The figure as a number (`eg:value`), when it reads as one.
    pub value: Option<String>,
    /// The figure most likely meant, when the printed one cannot be right.
    pub probable_value: Option<String>,
    /// The figure as printed.
    pub printed_as: Option<String>,
    /// The hedge, by its local name: `LowerBound`, `Approximate`, `Exact`, ...
    pub hedge: Option<String>,
    /// The hedge's words ("more than", "about").
    pub hedge_word: Option<String>,
    /// The statements that report it (those passing the filter).
    pub statements: Vec<StatementView>,
}

/// The figures of one counted thing.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureGroupView {
    /// What is counted.
    pub counted: String,
    /// Whether the figures differ.
    pub contested: bool,
    /// The figures, one per quantity.
    pub figures: Vec<FigureView>,
}

/// A relation that one statement asserts (or holds possible) and another denies.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisputedView {
    /// The subject.
    pub subject: ResourceView,
    /// The predicate.
    pub predicate: ResourceView,
    /// The object.
    pub object: ResourceView,
    /// The statements that assert it or hold it possible.
    pub asserted: Vec<StatementView>,
    /// The statements that deny it.
    pub denied: Vec<StatementView>,
}

/// A relation only one publisher stands behind.
#[derive(Debug, Serialize, ToSchema)]
pub struct SingleSourceView {
    /// The subject.
    pub subject: ResourceView,
    /// The predicate.
    pub predicate: ResourceView,
    /// The object.
    pub object: ResourceView,
    /// The publisher, or the source document when it names no publisher.
    pub publisher: ResourceView,
    /// How many distinct provenances (source, speaker, day, modality) its statements have.
    pub statements: usize,
}

/// A page of figure groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresPage {
    /// How many counted things have figures (before the filter).
    pub total: usize,
    /// The page.
    pub items: Vec<FigureGroupView>,
}

/// A page of disputed relations.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisputedPage {
    /// How many relations are disputed.
    pub total: usize,
    /// The page.
    pub items: Vec<DisputedView>,
}

/// A page of single-source relations.
#[derive(Debug, Serialize, ToSchema)]
pub struct SingleSourcePage {
    /// How many relations have one publisher only.
    pub total: usize,
    /// The page.
    pub items: Vec<SingleSourceView>,
}

/// What the sources give differently.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestedView {
    /// Reported figures as each source gives them, most figures first.
    pub figures: FiguresPage,
    /// Relations asserted by one statement and denied by another.
    pub disputed: DisputedPage,
    /// Relations asserted by one publisher only.
    pub single_source: SingleSourcePage,
}

fn resource_view(labelled: &Labelled) -> ResourceView {
    ResourceView::from(labelled)
}

fn node_resource(projection: &Projection, node: petgraph::graph::NodeIndex) -> ResourceView {
    let Some(resource) = projection.resource(node) else {
        return ResourceView {
            id: None,
            iri: String::new(),
            label: String::new(),
        };
    };
    let iri = resource.iri().as_str().to_owned();
    ResourceView {
        id: crate::model::EntityId::from_iri(&iri).map(|id| id.to_string()),
        label: resource.label().map_or_else(|| iri.clone(), str::to_owned),
        iri,
    }
}

fn figures_view(
    groups: Vec<FigureGroup>,
    filter: &EvidenceFilter,
    projection: &Projection,
) -> Vec<FigureGroupView> {
    groups
        .into_iter()
        .filter_map(|mut group| {
            for figure in &mut group.figures {
                figure
                    .statements
                    .retain(|record| admits(filter, projection, record));
            }
            if filter.asks_of_statements() {
                group.figures.retain(|figure| !figure.statements.is_empty());
            }
            if group.figures.is_empty() {
                return None;
            }
            Some(FigureGroupView {
                contested: group.is_contested(),
                figures: group
                    .figures
                    .iter()
                    .map(|figure| FigureView {
                        quantity: resource_view(&figure.quantity),
                        value: figure.value.clone(),
                        probable_value: figure.probable_value.clone(),
                        printed_as: figure.printed_as.clone(),
                        hedge: figure
                            .hedge
                            .as_ref()
                            .map(|h| vocab::local_name(h.as_str()).to_owned()),
                        hedge_word: figure.hedge_word.clone(),
                        statements: figure
                            .statements
                            .iter()
                            .map(|record| StatementView::from(record.as_ref()))
                            .collect(),
                    })
                    .collect(),
                counted: group.counted,
            })
        })
        .collect()
}

/// Whether a statement view is a denial.
fn is_denial(statement: &StatementView) -> bool {
    statement.qualifiers.iter().any(|q| {
        q.predicate.iri == eg::MODALITY.as_str()
            && matches!(&q.value, ValueView::Resource(m) if m.iri == eg::DENIED.as_str())
    })
}

/// GET `/api/v1/contested?limit=&offset=` and the provenance filters.
#[utoipa::path(
    get,
    path = "/api/v1/contested",
    tag = "graph",
    params(PageParams, ProvenanceRequest),
    responses(
        (status = 200, description = "The reported figures as each source gives them, the relations asserted and denied, and the relations from one publisher only; each list counted and paged", body = ContestedView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "A speaker, source or publisher named in a filter is unknown", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "Every permit of expensive work is taken (`server-busy`, with `Retry-After`)", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn contested(
    http: HttpRequest,
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let provenance = ProvenanceRequest::parse(http.query_string())?;
    let (offset, limit) = page.read()?;
    let models = state.models.clone();
    let store = state.store.clone();
    let permit = state.admission.enter().await?;
    let (view, computed_from) = blocking(move || {
        let _permit = permit;
        let read = models.read()?;
        let projection = &read.projection;
        let filter = provenance.resolve(&store, &read)?;
        let test = projection.edge_test(&filter);
        let catalog = Catalog::new(&store)
            .with_labels(projection)
            .with_cache(models.cache());

        let figures = FiguresPage {
            total: catalog.figure_group_count()?,
            items: figures_view(catalog.figure_groups(offset, limit)?, &filter, projection),
        };

        let disputed_edges = disputed(projection, &test);
        let page: Vec<EdgeIndex> = disputed_edges
            .iter()
            .copied()
            .skip(offset)
            .take(limit)
            .collect();
        let mut statements = statements_of_edges(projection, &catalog, page.clone(), &filter)?;
        let mut items = Vec::with_capacity(page.len());
        for edge in page {
            let Some((s, o, relation)) = projection.relation(edge) else {
                continue;
            };
            let (denied, asserted) = statements
                .remove(&edge)
                .unwrap_or_default()
                .into_iter()
                .partition(is_denial);
            items.push(DisputedView {
                subject: node_resource(projection, s),
                predicate: predicate_view(projection, relation.predicate),
                object: node_resource(projection, o),
                asserted,
                denied,
            });
        }
        let disputed = DisputedPage {
            total: disputed_edges.len(),
            items,
        };

        let single = single_publisher(projection, &test);
        let mut items = Vec::with_capacity(limit);
        for &(edge, backer) in single.iter().skip(offset).take(limit) {
            let Some((s, o, relation)) = projection.relation(edge) else {
                continue;
            };
            let iri: NamedNode = match backer {
                Backer::Publisher(agent) => projection.agent_iri(agent).into_owned(),
                Backer::Document(source) => projection.source_iri(source).into_owned(),
            };
            items.push(SingleSourceView {
                subject: node_resource(projection, s),
                predicate: predicate_view(projection, relation.predicate),
                object: node_resource(projection, o),
                publisher: resource_view(&catalog.labelled(iri.as_ref())?),
                statements: projection.evidence(edge).filter(|e| test.passes(e)).count(),
            });
        }
        let single_source = SingleSourcePage {
            total: single.len(),
            items,
        };
        Ok((
            ContestedView {
                figures,
                disputed,
                single_source,
            },
            read.generation,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}

/// The statements of one source document about an entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceClaimsView {
    /// The source document (absent for statements that name none).
    pub source: Option<ResourceView>,
    /// Its publisher, when the document names one.
    pub publisher: Option<ResourceView>,
    /// How many of the entity's statements it holds (passing the filter).
    pub count: usize,
    /// Its first statements about the entity, by IRI, at most 10; `count` says how many.
    pub statements: Vec<StatementView>,
}

/// Every statement about an entity, grouped by source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimsView {
    /// The entity.
    pub entity: ResourceView,
    /// How many statements about it pass the filter.
    pub statements: usize,
    /// How many source documents they come from.
    pub total_sources: usize,
    /// A page of the sources, most statements first, then by IRI.
    pub sources: Vec<SourceClaimsView>,
}

/// At most this many statements per source in a claims page (the count says how many more).
const STATEMENTS_PER_SOURCE: usize = 10;

/// GET `/api/v1/entities/{id}/claims?limit=&offset=` and the provenance filters.
#[utoipa::path(
    get,
    path = "/api/v1/entities/{id}/claims",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's uuid, label or alias"), PageParams, ProvenanceRequest),
    responses(
        (status = 200, description = "The statements whose subject or object is the entity, grouped by source document, the sources paged", body = ClaimsView),
        (status = 300, description = "Several entities have that name: the candidates", body = AmbiguousView),
        (status = 400, description = "A parameter is invalid", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "No entity has that id or name", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn claims(
    http: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let provenance = ProvenanceRequest::parse(http.query_string())?;
    let (offset, limit) = page.read()?;
    let models = state.models.clone();
    let store = state.store.clone();
    let (view, computed_from) = blocking(move || {
        let read = models.read()?;
        let iri = read.resolve(&store, &key)?;
        let projection = &read.projection;
        let filter = provenance.resolve(&store, &read)?;
        let test = projection.edge_test(&filter);
        let catalog = Catalog::new(&store)
            .with_labels(projection)
            .with_cache(models.cache());
        // Every statement about the entity, with its facts; kept when it passes the
        // per-statement conditions and, for a relation of the projection, the edge passes.
        let mut by_source: Vec<(Option<NamedNode>, Vec<NamedNode>)> = Vec::new();
        let mut passing = 0;
        // Each statement's record, through the read cache: a hub's first claims request reads
        // every one of its statements (about 0.1 ms each), the next ones find them there.
        for statement in catalog.statements_mentioning(iri.as_ref())? {
            let Some(record) = catalog.shared_statement(statement.as_ref())? else {
                continue;
            };
            if !admits(&filter, projection, &record) {
                continue;
            }
            if !test.is_open()
                && !record_triple(&record).is_some_and(|t| edge_passes(projection, &test, &t))
            {
                continue;
            }
            passing += 1;
            let source = record
                .sources
                .first()
                .and_then(|s| NamedNode::new(&s.iri).ok());
            match by_source.iter_mut().find(|(s, _)| *s == source) {
                Some((_, list)) => list.push(statement),
                None => by_source.push((source, vec![statement])),
            }
        }
        by_source.sort_by(|(a, la), (b, lb)| lb.len().cmp(&la.len()).then_with(|| a.cmp(b)));
        let total_sources = by_source.len();
        let mut sources = Vec::with_capacity(limit);
        for (source, mut list) in by_source.into_iter().skip(offset).take(limit) {
            list.sort();
            let count = list.len();
            let mut statements = Vec::with_capacity(count.min(STATEMENTS_PER_SOURCE));
            for statement in list.iter().take(STATEMENTS_PER_SOURCE) {
                if let Some(record) = catalog.shared_statement(statement.as_ref())? {
                    statements.push(StatementView::from(record.as_ref()));
                }
            }
            let publisher = source
                .as_ref()
                .and_then(|document| projection.source_id(document.as_ref()))
                .and_then(|id| projection.publisher_of_source(id))
                .map(|agent| projection.agent_iri(agent).into_owned());
            sources.push(SourceClaimsView {
                source: source
                    .as_ref()
                    .map(|s| catalog.labelled(s.as_ref()).map(|l| resource_view(&l)))
                    .transpose()?,
                publisher: publisher
                    .as_ref()
                    .map(|p| catalog.labelled(p.as_ref()).map(|l| resource_view(&l)))
                    .transpose()?,
                count,
                statements,
            });
        }
        Ok((
            ClaimsView {
                entity: resource_view(&catalog.labelled(iri.as_ref())?),
                statements: passing,
                total_sources,
                sources,
            },
            read.generation,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(computed_from))
        .json(view))
}

/// The triple a statement record reports, when its object is an IRI.
fn record_triple(record: &crate::catalog::StatementRecord) -> Option<oxigraph::model::Triple> {
    let (Some(subject), Some(predicate), Some(crate::catalog::Value::Resource(object))) =
        (&record.subject, &record.predicate, &record.object)
    else {
        return None;
    };
    Some(oxigraph::model::Triple::new(
        NamedNode::new(&subject.iri).ok()?,
        NamedNode::new(&predicate.iri).ok()?,
        NamedNode::new(&object.iri).ok()?,
    ))
}

/// Whether the relation a statement reports passes the edge test, when it is an edge of the
/// projection; a statement about anything else (a literal, a quantity left out of the
/// projection) passes only when the filter asks nothing of edges.
fn edge_passes(
    projection: &Projection,
    test: &crate::graph::EdgeTest<'_>,
    triple: &oxigraph::model::Triple,
) -> bool {
    let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(object)) =
        (&triple.subject, &triple.object)
    else {
        return false;
    };
    let (Some(s), Some(o)) = (
        projection.node(subject.as_ref()),
        projection.node(object.as_ref()),
    ) else {
        return false;
    };
    let Some(p) = projection.predicate_id(triple.predicate.as_ref()) else {
        return false;
    };
    projection
        .graph()
        .edges_connecting(s, o)
        .filter(|edge| projection.relation_of(*edge.weight()).predicate == p)
        .any(|edge| test.allows(edge.id()))
}
