//! The quads an imported row becomes: IRIs of the terms the importers use, and the pattern
//! every fact follows — a direct triple and the statement node that reifies it, in the named
//! graph of the source document.
//!
//! It leans on Oxigraph's model types and on [`EntityId`] for stable statement ids. It
//! decides nothing about rows or feeds (the format modules do) and writes nothing to the
//! store (the staging in `mod.rs` does).

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, Term};

use crate::model::EntityId;
use crate::vocab::eg;

/// Terms of the ontology's imports block, and of the vocabularies eventgraph aligns to, that
/// only the importers use (so they live here rather than in `vocab`).
pub(crate) mod terms {
    use oxigraph::model::NamedNodeRef;

    const fn iri(iri: &'static str) -> NamedNodeRef<'static> {
        NamedNodeRef::new_unchecked(iri)
    }

    pub const EVENT_TYPE: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#eventType");
    pub const POSSIBLY_SAME_AS: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#possiblySameAs");
    pub const GOLDSTEIN_SCALE: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#goldsteinScale");
    pub const AVERAGE_TONE: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#averageTone");
    pub const MENTION_COUNT: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#mentionCount");
    pub const SOURCE_COUNT: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#sourceCount");
    pub const ARTICLE_COUNT: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#articleCount");
    pub const MENTION_CONFIDENCE: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#mentionConfidence");
    pub const SENTENCE_NUMBER: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#sentenceNumber");
    pub const ACTOR1_OFFSET: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#actor1Offset");
    pub const ACTOR2_OFFSET: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#actor2Offset");
    pub const ACTION_OFFSET: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#actionOffset");
    pub const TIME_PRECISION: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#timePrecision");
    pub const GEO_PRECISION: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#geoPrecision");
    pub const REVISION_TIMESTAMP: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#revisionTimestamp");
    pub const NEWS_OUTLET: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#NewsOutlet");
    pub const CASUALTY_REPORT: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#CasualtyReport");
    pub const DEATH_TOLL: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#deathToll");
    pub const CONCERNS: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#concerns");
    pub const VALUE: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#value");
    pub const PRINTED_AS: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#printedAs");
    pub const COUNT_OF: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#countOf");
    pub const HEDGE: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#hedge");
    pub const HEDGE_WORD: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#hedgeWord");
    pub const EXACT: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#Exact");
    pub const LOWER_BOUND: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#LowerBound");
    pub const UPPER_BOUND: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#UpperBound");
    pub const APPROXIMATE: NamedNodeRef<'_> =
        iri("https://w3id.org/eventgraph/ontology#Approximate");
    pub const NOTE: NamedNodeRef<'_> = iri("https://w3id.org/eventgraph/ontology#note");

    pub const LABEL: NamedNodeRef<'_> = iri("http://www.w3.org/2000/01/rdf-schema#label");
    pub const COMMENT: NamedNodeRef<'_> = iri("http://www.w3.org/2000/01/rdf-schema#comment");
    pub const DC_PUBLISHER: NamedNodeRef<'_> = iri("http://purl.org/dc/terms/publisher");
    pub const DC_ISSUED: NamedNodeRef<'_> = iri("http://purl.org/dc/terms/issued");
    pub const DC_MODIFIED: NamedNodeRef<'_> = iri("http://purl.org/dc/terms/modified");
    pub const DC_IDENTIFIER: NamedNodeRef<'_> = iri("http://purl.org/dc/terms/identifier");
    pub const DC_CREATOR: NamedNodeRef<'_> = iri("http://purl.org/dc/terms/creator");
    pub const SCHEMA_PUBLISHER: NamedNodeRef<'_> = iri("https://schema.org/publisher");
    pub const SCHEMA_URL: NamedNodeRef<'_> = iri("https://schema.org/url");
    pub const NEWS_ARTICLE: NamedNodeRef<'_> = iri("https://schema.org/NewsArticle");
    pub const DATASET: NamedNodeRef<'_> = iri("https://schema.org/Dataset");
    pub const LATITUDE: NamedNodeRef<'_> = iri("https://schema.org/latitude");
    pub const LONGITUDE: NamedNodeRef<'_> = iri("https://schema.org/longitude");
    pub const WAS_REVISION_OF: NamedNodeRef<'_> = iri("http://www.w3.org/ns/prov#wasRevisionOf");
    pub const SKOS_CONCEPT: NamedNodeRef<'_> = iri("http://www.w3.org/2004/02/skos/core#Concept");
    pub const SKOS_CONCEPT_SCHEME: NamedNodeRef<'_> =
        iri("http://www.w3.org/2004/02/skos/core#ConceptScheme");
    pub const SKOS_PREF_LABEL: NamedNodeRef<'_> =
        iri("http://www.w3.org/2004/02/skos/core#prefLabel");
    pub const SKOS_IN_SCHEME: NamedNodeRef<'_> =
        iri("http://www.w3.org/2004/02/skos/core#inScheme");
    pub const SKOS_BROADER: NamedNodeRef<'_> = iri("http://www.w3.org/2004/02/skos/core#broader");
}

/// A plain string literal.
pub(crate) fn text(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

/// A literal of a datatype, its lexical form checked by the caller.
pub(crate) fn typed(value: &str, datatype: NamedNodeRef<'_>) -> Term {
    Literal::new_typed_literal(value, datatype).into()
}

/// An `xsd:integer`.
pub(crate) fn integer(value: i64) -> Term {
    typed(&value.to_string(), xsd::INTEGER)
}

/// An `xsd:date`, `YYYY-MM-DD` checked by the caller.
pub(crate) fn date(value: &str) -> Term {
    typed(value, xsd::DATE)
}

/// Who reported a fact, where and when: what every statement node of a row carries.
pub(crate) struct Provenance<'a> {
    /// The source document; its IRI is also the named graph.
    pub source: &'a NamedNode,
    /// Who said it (the publisher, or the sources an ACLED record cites).
    pub speakers: &'a [NamedNode],
    /// The day it was said.
    pub stated_on: Option<&'a str>,
    /// The verbatim text the fact comes from.
    pub quote: Option<&'a str>,
    /// `eg:Asserted` or `eg:Possible`.
    pub modality: NamedNodeRef<'a>,
    /// `eg:PublisherNarration` or `eg:AttributedInText`.
    pub attribution: Option<NamedNodeRef<'a>>,
}

/// The quads of one row, all in the graph of its source document, and how many statement
/// nodes they hold.
pub(crate) struct RowQuads {
    /// The graph: the source document's IRI.
    pub graph: NamedNode,
    /// The quads, in the order they were made.
    pub quads: Vec<Quad>,
    /// How many statement nodes were made.
    pub statements: u64,
}

impl RowQuads {
    /// No quads yet, in the graph of `document`.
    pub fn new(document: &NamedNode) -> Self {
        Self {
            graph: document.clone(),
            quads: Vec::with_capacity(64),
            statements: 0,
        }
    }

    /// One quad in the row's graph.
    pub fn add(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
    ) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate.into_owned(),
            object,
            self.graph.clone(),
        ));
    }

    /// The direct triple `subject predicate object` and the statement node that reifies it
    /// with `provenance`, named by a stable id of graph and triple (or by `id` when given);
    /// `qualifiers` go on the statement node. Returns the statement's IRI.
    pub fn statement(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
        provenance: &Provenance<'_>,
        id: Option<&str>,
        qualifiers: &[(NamedNodeRef<'_>, Term)],
    ) -> NamedNode {
        let object: Term = object.into();
        let canonical = match id {
            Some(id) => id.to_owned(),
            None => format!(
                "statement {} {} {} {}",
                self.graph.as_str(),
                subject.as_str(),
                predicate.as_str(),
                object
            ),
        };
        let node = EntityId::from_canonical_name(&canonical).iri();
        self.add(subject, predicate, object.clone());
        self.add(&node, rdf::TYPE, eg::STATEMENT.into_owned());
        self.add(&node, rdf::SUBJECT, subject.clone());
        self.add(&node, rdf::PREDICATE, predicate.into_owned());
        self.add(&node, rdf::OBJECT, object);
        self.add(&node, eg::SOURCE, provenance.source.clone());
        for speaker in provenance.speakers {
            self.add(&node, eg::SPEAKER, speaker.clone());
        }
        if let Some(day) = provenance.stated_on {
            self.add(&node, eg::STATED_ON, date(day));
        }
        if let Some(quote) = provenance.quote.filter(|q| !q.is_empty()) {
            self.add(&node, eg::QUOTE, text(quote));
        }
        self.add(&node, eg::MODALITY, provenance.modality.into_owned());
        if let Some(attribution) = provenance.attribution {
            self.add(&node, eg::ATTRIBUTION, attribution.into_owned());
        }
        for (property, value) in qualifiers {
            self.add(&node, *property, value.clone());
        }
        self.statements += 1;
        node
    }
}
