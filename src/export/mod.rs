//! Exports: a selection of the entity graph written in the formats of the tools people
//! already use — GraphML (yEd, Gephi, networkx), GEXF 1.2 (Gephi, networkx), DOT
//! (Graphviz), Cytoscape.js JSON, D3 node-link JSON, CSV nodes and edges (spreadsheets,
//! Gephi's import), and the RDF formats JSON-LD, Turtle, TriG and N-Quads.
//!
//! A [`Selection`] of the projection (`crate::graph::selection`) becomes an [`ExportGraph`]
//! with [`ExportGraph::gather`]: each node with its IRI, label, classes and, for events, the
//! dates; each edge with its predicate and the statements behind it (their IRIs, the earliest
//! date they were made, a quote), read from the store through the catalog
//! (`crate::catalog::subgraph`); a time window drops what is dated outside it. The writers
//! ([`write`]) turn an `ExportGraph` into bytes on any [`Write`], element by element, so an
//! HTTP response or a file receives the output while it is made; the RDF formats
//! ([`rdf::write`]) read the quads that describe the subgraph from the store as they write.
//!
//! Identity is the same in every format: a node's id is its IRI, an edge's id is `e` and its
//! index in the projection (unique in one export, stable while the projection is). This
//! module does not choose what is selected (the HTTP edge and the command line do, with
//! `graph`), and knows nothing of HTTP.

pub mod csv;
pub mod cytoscape;
pub mod d3;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod rdf;

use std::io::{self, Write};

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, TermRef, Triple};
use rustc_hash::FxHashMap;

use crate::catalog::subgraph::{Dates, StatementFacts};
use crate::catalog::{Catalog, CatalogError};
use crate::graph::provenance::StatementProvenance;
use crate::graph::{ClassFilter, EvidenceFilter, Projection, Selection};
use crate::store::Store;
use crate::vocab::eg;

/// Above this many edges, [`ExportGraph::gather`] scans the statements of the store once
/// rather than reading them subject by subject (five index reads per statement): a
/// neighbourhood or a path never pays for a scan, and a whole graph of 100,000 edges is
/// gathered in seconds instead of minutes.
const SCAN_ABOVE_EDGES: usize = 5_000;

/// Errors of exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Writing the output failed (the reader went away, the disk is full, ...).
    #[error("cannot write the export: {0}")]
    Write(#[from] io::Error),
}

impl From<oxigraph::store::StorageError> for ExportError {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Self::Catalog(CatalogError::Storage(error))
    }
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GraphML, with typed `<key>`s and yEd node labels.
    GraphMl,
    /// GEXF 1.2 (`1.2draft` namespace), dynamic, with dates.
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// Cytoscape.js JSON (`elements`), as Cytoscape desktop imports it too.
    Cytoscape,
    /// D3 node-link JSON (`nodes`, `links`), as networkx's `node_link_graph` reads it.
    D3,
    /// CSV, one row per node.
    CsvNodes,
    /// CSV, one row per edge.
    CsvEdges,
    /// JSON-LD, with an `@context` of the prefixes.
    JsonLd,
    /// Turtle.
    Turtle,
    /// TriG, with the named graphs.
    TriG,
    /// N-Quads, with the named graphs.
    NQuads,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 11] = [
        Self::GraphMl,
        Self::Gexf,
        Self::Dot,
        Self::Cytoscape,
        Self::D3,
        Self::CsvNodes,
        Self::CsvEdges,
        Self::JsonLd,
        Self::Turtle,
        Self::TriG,
        Self::NQuads,
    ];

    /// The name `format=` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::GraphMl => "graphml",
            Self::Gexf => "gexf",
            Self::Dot => "dot",
            Self::Cytoscape => "cytoscape",
            Self::D3 => "d3",
            Self::CsvNodes => "csv-nodes",
            Self::CsvEdges => "csv-edges",
            Self::JsonLd => "jsonld",
            Self::Turtle => "turtle",
            Self::TriG => "trig",
            Self::NQuads => "nquads",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The names of every format, comma-separated, for messages.
    pub fn names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::GraphMl => "application/graphml+xml",
            Self::Gexf => "application/gexf+xml",
            Self::Dot => "text/vnd.graphviz",
            Self::Cytoscape | Self::D3 => "application/json",
            Self::CsvNodes | Self::CsvEdges => "text/csv",
            Self::JsonLd => "application/ld+json",
            Self::Turtle => "text/turtle",
            Self::TriG => "application/trig",
            Self::NQuads => "application/n-quads",
        }
    }

    /// The end of a file name in this format: the extension, after a part name for the two
    /// CSV files.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Self::GraphMl => "graphml",
            Self::Gexf => "gexf",
            Self::Dot => "dot",
            Self::Cytoscape => "cyjs",
            Self::D3 => "json",
            Self::CsvNodes => "nodes.csv",
            Self::CsvEdges => "edges.csv",
            Self::JsonLd => "jsonld",
            Self::Turtle => "ttl",
            Self::TriG => "trig",
            Self::NQuads => "nq",
        }
    }

    /// The RDF format, for the RDF formats.
    pub fn rdf_format(self) -> Option<RdfFormat> {
        match self {
            Self::JsonLd => Some(RdfFormat::JsonLd {
                profile: oxjsonld::JsonLdProfileSet::empty(),
            }),
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::TriG => Some(RdfFormat::TriG),
            Self::NQuads => Some(RdfFormat::NQuads),
            _ => None,
        }
    }
}

/// What kind of thing a node is, for shapes and colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An `eg:Event`, or of a subclass.
    Event,
    /// An `eg:Place` (a state is both place and actor: it counts as an actor).
    Place,
    /// An `eg:Actor`.
    Actor,
    /// An `eg:Quantity`: a reported figure.
    Quantity,
    /// Anything else.
    Other,
}

/// A node as every format writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The IRI: the node's id in every format.
    pub iri: String,
    /// The English label, else the IRI.
    pub label: String,
    /// The local names of its `eg:` classes, sorted.
    pub types: Vec<String>,
    /// What kind of thing it is.
    pub kind: Kind,
    /// For an event: when it happened, as far as the source says.
    pub dates: Dates,
}

/// An edge as every format writes it: a direct triple and the statements behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// `e` and the projection's edge index.
    pub id: String,
    /// The subject's IRI.
    pub source: String,
    /// The object's IRI.
    pub target: String,
    /// The predicate's IRI.
    pub predicate: String,
    /// The predicate's local name: what people read on the edge.
    pub label: String,
    /// The statements reifying the triple, sorted.
    pub statements: Vec<String>,
    /// The earliest date one of them was made.
    pub date: Option<String>,
    /// The quote of the first of them that has one.
    pub quote: Option<String>,
    /// Who said it: the labels of the statements' speakers, sorted, without repeats.
    pub speakers: Vec<String>,
    /// The labels of the publishers of the statements' source documents, sorted.
    pub publishers: Vec<String>,
    /// The labels of the statements' source documents, sorted.
    pub documents: Vec<String>,
    /// How many independent publishers stand behind it: distinct publishers, a document
    /// without publisher counting as its own (what `min_sources` counts).
    pub publisher_count: usize,
}

/// The graph an export writes: nodes, then edges between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportGraph {
    /// The nodes, in the selection's order.
    pub nodes: Vec<Node>,
    /// The edges, in the selection's order; both ends are nodes.
    pub edges: Vec<Edge>,
}

/// A time window over the dates of events and statements; either end may be open. An
/// undated node or edge is always inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeWindow {
    /// The first day inside (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// The last day inside (`YYYY-MM-DD`).
    pub until: Option<String>,
}

impl TimeWindow {
    /// Whether the window has neither end, so nothing needs dating.
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether something from `start` to `end` (either unknown) can fall inside. Dates
    /// compare by their first ten characters, `YYYY-MM-DD`, which order as days do.
    pub fn overlaps(&self, start: Option<&str>, end: Option<&str>) -> bool {
        let day = |d: &str| d.get(..10).unwrap_or(d).to_owned();
        let after_since = match (&self.since, end.or(start)) {
            (Some(since), Some(end)) => day(end) >= day(since),
            _ => true,
        };
        let before_until = match (&self.until, start.or(end)) {
            (Some(until), Some(start)) => day(start) <= day(until),
            _ => true,
        };
        after_since && before_until
    }
}

pub use crate::model::is_day;

use crate::vocab::local_name;

/// Class filters for the kinds, when the projection knows the class.
struct KindFilters {
    event: Option<ClassFilter>,
    actor: Option<ClassFilter>,
    place: Option<ClassFilter>,
    quantity: Option<ClassFilter>,
}

impl KindFilters {
    fn new(projection: &Projection) -> Self {
        let filter = |class| projection.class_filter(class, true).ok();
        Self {
            event: filter(eg::EVENT),
            actor: filter(eg::ACTOR),
            place: filter(eg::PLACE),
            quantity: filter(eg::QUANTITY),
        }
    }

    fn kind(&self, projection: &Projection, node: petgraph::stable_graph::NodeIndex) -> Kind {
        let is = |filter: &Option<ClassFilter>| {
            filter.as_ref().is_some_and(|f| projection.is_a(node, f))
        };
        if is(&self.event) {
            Kind::Event
        } else if is(&self.actor) {
            Kind::Actor
        } else if is(&self.place) {
            Kind::Place
        } else if is(&self.quantity) {
            Kind::Quantity
        } else {
            Kind::Other
        }
    }
}

impl ExportGraph {
    /// The nodes and edges of `selection` with what the store says of them, less what the
    /// time window leaves out: an event dated outside it (with its edges), an edge whose
    /// statements are all dated outside it. Undated nodes and edges stay.
    ///
    /// Without `with_statements` and with an open window, the statements behind the edges
    /// are not read (their list, date and quote stay empty): the RDF formats without
    /// provenance do not write them, and reading them is most of the cost of a large
    /// export.
    ///
    /// With a provenance `filter` that asks about statements (`said_by`, `source`, `as_of`,
    /// ...), an edge lists only the statements that pass it ([`EvidenceFilter::admits`]);
    /// which edges are selected is the selection's business.
    ///
    /// # Complexity
    /// Three index reads per node, one pass over the statements of each subject of an edge
    /// (one read of each statement's quads), and one label read per distinct speaker,
    /// publisher and document.
    ///
    /// # Errors
    /// [`ExportError::Catalog`] when the store cannot be read.
    pub fn gather(
        store: &Store,
        projection: &Projection,
        selection: &Selection,
        window: &TimeWindow,
        with_statements: bool,
        filter: &EvidenceFilter,
    ) -> Result<Self, ExportError> {
        let with_statements = with_statements || !window.is_open() || filter.asks_of_statements();
        let catalog = Catalog::new(store).with_labels(projection);
        let mut provenance = EdgeProvenance::new(projection, &catalog);
        let kinds = KindFilters::new(projection);
        let mut graph = Self::default();
        let mut kept = rustc_hash::FxHashSet::default();
        for &index in &selection.nodes {
            let Some(resource) = projection.resource(index) else {
                continue;
            };
            let kind = kinds.kind(projection, index);
            let dates = if kind == Kind::Event {
                catalog.dates(resource.iri().as_ref())?
            } else {
                Dates::default()
            };
            if !window.overlaps(dates.start.as_deref(), dates.end.as_deref()) {
                continue;
            }
            kept.insert(index);
            let mut types: Vec<String> = resource
                .types()
                .iter()
                .map(|&class| local_name(projection.class(class).as_str()).to_owned())
                .collect();
            types.sort_unstable();
            graph.nodes.push(Node {
                iri: resource.iri().as_str().to_owned(),
                label: resource
                    .label()
                    .map_or_else(|| resource.iri().as_str().to_owned(), str::to_owned),
                types,
                kind,
                dates,
            });
        }
        // Small selections read the statements of each subject by index; large ones scan
        // the statement predicates once (see `Catalog::statements_of_subjects`).
        let large = with_statements && selection.edges.len() > SCAN_ABOVE_EDGES;
        let mut statements_by_subject: FxHashMap<NamedNode, FxHashMap<Triple, _>> =
            FxHashMap::default();
        let mut scanned = FxHashMap::default();
        if large {
            let subjects = selection
                .edges
                .iter()
                .filter_map(|&edge| projection.relation(edge))
                .filter_map(|(source, _, _)| projection.resource(source))
                .map(|resource| resource.iri().into_owned())
                .collect();
            scanned = catalog.statements_of_subjects(&subjects)?;
        }
        for &edge in &selection.edges {
            let Some((source, target, _)) = projection.relation(edge) else {
                continue;
            };
            if !kept.contains(&source) || !kept.contains(&target) {
                continue;
            }
            let Some(triple) = projection.triple(edge) else {
                continue;
            };
            let NamedOrBlankNode::NamedNode(subject) = &triple.subject else {
                continue;
            };
            let by_triple = if large || !with_statements {
                &scanned
            } else {
                if !statements_by_subject.contains_key(subject) {
                    let statements = catalog.statements_of_subject(subject.as_ref())?;
                    statements_by_subject.insert(subject.clone(), statements);
                }
                &statements_by_subject[subject]
            };
            let all = by_triple
                .get(&triple)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let inside = all.is_empty()
                || all
                    .iter()
                    .any(|s| window.overlaps(s.date.as_deref(), s.date.as_deref()));
            if !inside {
                continue;
            }
            let statements: Vec<&StatementFacts> = if filter.asks_of_statements() {
                all.iter()
                    .filter(|s| provenance.admitted(filter, s))
                    .collect()
            } else {
                all.iter().collect()
            };
            let mut edge = edge_of(edge.index(), &triple, &statements);
            provenance.describe(&mut edge, &statements)?;
            graph.edges.push(edge);
        }
        Ok(graph)
    }

    /// The IRIs of the nodes, the triples of the edges and the IRIs of the statements behind
    /// them, for the RDF formats.
    fn parts(&self) -> (Vec<NamedNodeRef<'_>>, Vec<Triple>, Vec<NamedNodeRef<'_>>) {
        let nodes = self
            .nodes
            .iter()
            .map(|n| NamedNodeRef::new_unchecked(&n.iri))
            .collect();
        let triples = self
            .edges
            .iter()
            .map(|e| {
                Triple::new(
                    NamedNodeRef::new_unchecked(&e.source).into_owned(),
                    NamedNodeRef::new_unchecked(&e.predicate).into_owned(),
                    NamedNodeRef::new_unchecked(&e.target).into_owned(),
                )
            })
            .collect();
        let statements = self
            .edges
            .iter()
            .flat_map(|e| &e.statements)
            .map(|s| NamedNodeRef::new_unchecked(s))
            .collect();
        (nodes, triples, statements)
    }
}

/// Who said what an edge's statements say, by label: the publishers of documents found
/// through the projection's evidence tables, every label read once per export.
struct EdgeProvenance<'p, 'c> {
    projection: &'p Projection,
    catalog: &'c Catalog<'c>,
    labels: FxHashMap<NamedNode, String>,
    publishers: FxHashMap<NamedNode, Option<NamedNode>>,
}

impl<'p, 'c> EdgeProvenance<'p, 'c> {
    fn new(projection: &'p Projection, catalog: &'c Catalog<'c>) -> Self {
        Self {
            projection,
            catalog,
            labels: FxHashMap::default(),
            publishers: FxHashMap::default(),
        }
    }

    /// The publisher of a source document, as the projection's evidence tables hold it.
    fn publisher(&mut self, document: &NamedNode) -> Option<NamedNode> {
        let projection = self.projection;
        self.publishers
            .entry(document.clone())
            .or_insert_with(|| {
                let source = projection.source_id(document.as_ref())?;
                let publisher = projection.publisher_of_source(source)?;
                NamedNode::new(projection.agent_iri(publisher).as_str()).ok()
            })
            .clone()
    }

    fn label(&mut self, iri: &NamedNode) -> Result<String, ExportError> {
        if let Some(label) = self.labels.get(iri) {
            return Ok(label.clone());
        }
        let label = self.catalog.labelled(iri.as_ref())?.label;
        self.labels.insert(iri.clone(), label.clone());
        Ok(label)
    }

    /// Whether a statement passes the filter's per-statement conditions.
    fn admitted(&mut self, filter: &EvidenceFilter, statement: &StatementFacts) -> bool {
        let publishers: Vec<NamedNode> = statement
            .sources
            .iter()
            .filter_map(|document| self.publisher(document))
            .collect();
        filter.admits(&StatementProvenance {
            sources: &statement.sources,
            publishers: &publishers,
            speakers: &statement.speakers,
            modality: statement.modality.as_ref(),
            day: statement
                .stated_until
                .as_deref()
                .and_then(crate::model::day_number),
        })
    }

    /// Fills in the speakers, publishers, documents and publisher count of an edge.
    fn describe(
        &mut self,
        edge: &mut Edge,
        statements: &[&StatementFacts],
    ) -> Result<(), ExportError> {
        let mut speakers = Vec::new();
        let mut documents = Vec::new();
        let mut publishers = Vec::new();
        let mut backers: Vec<&NamedNode> = Vec::new();
        for statement in statements {
            speakers.extend(statement.speakers.iter().cloned());
            for document in &statement.sources {
                documents.push(document.clone());
                match self.publisher(document) {
                    Some(publisher) => publishers.push(publisher),
                    None => backers.push(document),
                }
            }
        }
        publishers.sort();
        publishers.dedup();
        backers.sort();
        backers.dedup();
        edge.publisher_count = publishers.len() + backers.len();
        let mut labelled = |iris: Vec<NamedNode>| -> Result<Vec<String>, ExportError> {
            let mut labels = iris
                .iter()
                .map(|iri| self.label(iri))
                .collect::<Result<Vec<_>, _>>()?;
            labels.sort();
            labels.dedup();
            Ok(labels)
        };
        edge.speakers = labelled(speakers)?;
        edge.publishers = labelled(publishers)?;
        edge.documents = labelled(documents)?;
        Ok(())
    }
}

/// An edge from its triple and its statements.
fn edge_of(index: usize, triple: &Triple, statements: &[&StatementFacts]) -> Edge {
    let iri = |term: TermRef<'_>| match term {
        TermRef::NamedNode(node) => node.as_str().to_owned(),
        other => other.to_string(),
    };
    let source = match &triple.subject {
        NamedOrBlankNode::NamedNode(node) => node.as_str().to_owned(),
        other => other.to_string(),
    };
    Edge {
        id: format!("e{index}"),
        source,
        target: iri(triple.object.as_ref()),
        predicate: triple.predicate.as_str().to_owned(),
        label: local_name(triple.predicate.as_str()).to_owned(),
        statements: statements
            .iter()
            .map(|s| s.iri.as_str().to_owned())
            .collect(),
        date: statements.iter().filter_map(|s| s.date.clone()).min(),
        quote: statements.iter().find_map(|s| s.quote.clone()),
        speakers: Vec::new(),
        publishers: Vec::new(),
        documents: Vec::new(),
        publisher_count: 0,
    }
}

/// Writes `graph` in a graph format (not an RDF one: see [`rdf::write`]) to `writer`.
///
/// # Errors
/// [`ExportError::Write`] when the writer fails, or for an RDF format.
pub fn write<W: Write>(format: Format, graph: &ExportGraph, writer: W) -> Result<W, ExportError> {
    Ok(match format {
        Format::GraphMl => graphml::write(graph, writer)?,
        Format::Gexf => gexf::write(graph, writer)?,
        Format::Dot => dot::write(graph, writer)?,
        Format::Cytoscape => cytoscape::write(graph, writer)?,
        Format::D3 => d3::write(graph, writer)?,
        Format::CsvNodes => csv::write_nodes(graph, writer)?,
        Format::CsvEdges => csv::write_edges(graph, writer)?,
        Format::JsonLd | Format::Turtle | Format::TriG | Format::NQuads => {
            return Err(ExportError::Write(io::Error::other(format!(
                "{} is an RDF format, written from the store",
                format.name()
            ))));
        }
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two nodes with awkward labels and one edge between them, for every writer's tests.
    pub fn awkward() -> ExportGraph {
        ExportGraph {
            nodes: vec![
                Node {
                    iri: "https://w3id.org/eventgraph/id/a".into(),
                    label: "Say \"hi\" <b> & 'bye'\nnext line, côte d'Ivoire \\ ok".into(),
                    types: vec!["State".into()],
                    kind: Kind::Actor,
                    dates: Dates::default(),
                },
                Node {
                    iri: "https://w3id.org/eventgraph/id/b".into(),
                    label: "Opération «Déluge»".into(),
                    types: vec!["Attack".into(), "Event".into()],
                    kind: Kind::Event,
                    dates: Dates {
                        start: Some("2023-10-07".into()),
                        end: Some("2023-10-07".into()),
                    },
                },
            ],
            edges: vec![Edge {
                id: "e0".into(),
                source: "https://w3id.org/eventgraph/id/a".into(),
                target: "https://w3id.org/eventgraph/id/b".into(),
                predicate: "https://w3id.org/eventgraph/ontology#launched".into(),
                label: "launched".into(),
                statements: vec!["https://w3id.org/eventgraph/id/s1".into()],
                date: Some("2023-10-31".into()),
                quote: Some("\"We did it\" — <they> said & left\u{1}".into()),
                speakers: vec!["Sputnik & Co".into()],
                publishers: vec!["Sputnik & Co".into()],
                documents: vec!["An <article>".into()],
                publisher_count: 1,
            }],
        }
    }

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("svg"), None);
    }

    #[test]
    fn time_windows_keep_undated_items_and_overlapping_intervals() {
        let window = TimeWindow {
            since: Some("2023-10-08".into()),
            until: Some("2023-10-30".into()),
        };
        assert!(window.overlaps(None, None));
        assert!(!window.overlaps(Some("2023-10-07"), Some("2023-10-07")));
        assert!(window.overlaps(Some("2023-10-07"), Some("2023-10-31")));
        assert!(window.overlaps(Some("2023-10-08"), None));
        assert!(!window.overlaps(Some("2023-10-31"), None));
        assert!(window.overlaps(Some("2023-10-30T12:00:00Z"), None));
        assert!(TimeWindow::default().is_open());
    }

    #[test]
    fn days_are_checked() {
        assert!(is_day("2023-10-07"));
        for bad in [
            "2023-13-01",
            "2023-10-7",
            "yesterday",
            "2023-10-07T00:00:00",
            "",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }
}
