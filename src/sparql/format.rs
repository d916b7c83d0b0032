//! The serializations a query result can take, and how they are named.
//!
//! SELECT and ASK results are written in the SPARQL results formats (JSON,
//! XML, CSV, TSV); CONSTRUCT and DESCRIBE results are RDF graphs (Turtle,
//! N-Triples, RDF/XML, JSON-LD, and TriG or N-Quads for a dataset-shaped
//! answer). This module maps media types and short names to formats; choosing
//! among an HTTP `Accept` header's ranges is the HTTP edge's job.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a query returns, which decides the formats it can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryForm {
    /// SELECT: a table of solutions.
    Solutions,
    /// ASK: one boolean.
    Boolean,
    /// CONSTRUCT or DESCRIBE: an RDF graph.
    Graph,
}

/// A serialization of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// A SPARQL results format, for solutions and booleans.
    Results(QueryResultsFormat),
    /// An RDF format, for graphs.
    Rdf(RdfFormat),
}

/// The formats of each query form, the first being the default.
const SOLUTION_FORMATS: &[QueryResultsFormat] = &[
    QueryResultsFormat::Json,
    QueryResultsFormat::Xml,
    QueryResultsFormat::Csv,
    QueryResultsFormat::Tsv,
];
const GRAPH_FORMATS: &[RdfFormat] = &[
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    },
    RdfFormat::TriG,
    RdfFormat::NQuads,
];

impl ResultFormat {
    /// The format used when the client states no preference.
    pub fn default_for(form: QueryForm) -> Self {
        match form {
            QueryForm::Solutions | QueryForm::Boolean => Self::Results(QueryResultsFormat::Json),
            QueryForm::Graph => Self::Rdf(RdfFormat::Turtle),
        }
    }

    /// Every format `form` can be written in, the default first.
    pub fn all_for(form: QueryForm) -> Vec<Self> {
        match form {
            QueryForm::Solutions => SOLUTION_FORMATS
                .iter()
                .copied()
                .map(Self::Results)
                .collect(),
            // CSV and TSV have no boolean form (SPARQL 1.1 Query Results CSV and TSV, section 1).
            QueryForm::Boolean => SOLUTION_FORMATS[..2]
                .iter()
                .copied()
                .map(Self::Results)
                .collect(),
            QueryForm::Graph => GRAPH_FORMATS.iter().copied().map(Self::Rdf).collect(),
        }
    }

    /// The format of `form` with this media type (parameters ignored), if there is one.
    /// `application/json` and `application/xml` are taken as the SPARQL results formats.
    pub fn from_media_type(form: QueryForm, media_type: &str) -> Option<Self> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let format = match form {
            QueryForm::Solutions | QueryForm::Boolean => {
                QueryResultsFormat::from_media_type(&essence).map(Self::Results)
            }
            QueryForm::Graph => RdfFormat::from_media_type(&essence).map(Self::Rdf),
        }?;
        Self::all_for(form).contains(&format).then_some(format)
    }

    /// The format of `form` with this short name: `json`, `xml`, `csv`, `tsv` for solutions and
    /// booleans; `turtle`/`ttl`, `ntriples`/`nt`, `rdfxml`/`rdf`, `jsonld`, `trig`, `nquads`/`nq`
    /// for graphs.
    pub fn from_name(form: QueryForm, name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase().replace(['-', '_', '/'], "");
        let format = match name.as_str() {
            "json" | "srj" => Self::Results(QueryResultsFormat::Json),
            "xml" | "srx" => Self::Results(QueryResultsFormat::Xml),
            "csv" => Self::Results(QueryResultsFormat::Csv),
            "tsv" => Self::Results(QueryResultsFormat::Tsv),
            "turtle" | "ttl" => Self::Rdf(RdfFormat::Turtle),
            "ntriples" | "nt" => Self::Rdf(RdfFormat::NTriples),
            "rdfxml" | "rdf" => Self::Rdf(RdfFormat::RdfXml),
            "jsonld" => Self::Rdf(RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            }),
            "trig" => Self::Rdf(RdfFormat::TriG),
            "nquads" | "nq" => Self::Rdf(RdfFormat::NQuads),
            _ => return None,
        };
        Self::all_for(form).contains(&format).then_some(format)
    }

    /// The media type to send the results with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Results(format) => format.media_type(),
            Self::Rdf(format) => format.media_type(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_choose_the_format_of_the_query_form() {
        assert_eq!(
            ResultFormat::from_media_type(QueryForm::Solutions, "text/csv; charset=utf-8"),
            Some(ResultFormat::Results(QueryResultsFormat::Csv))
        );
        assert_eq!(
            ResultFormat::from_media_type(QueryForm::Solutions, "application/json"),
            Some(ResultFormat::Results(QueryResultsFormat::Json))
        );
        assert_eq!(
            ResultFormat::from_media_type(QueryForm::Boolean, "text/csv"),
            None
        );
        assert_eq!(
            ResultFormat::from_media_type(QueryForm::Graph, "application/n-triples"),
            Some(ResultFormat::Rdf(RdfFormat::NTriples))
        );
        assert_eq!(
            ResultFormat::from_media_type(QueryForm::Graph, "text/csv"),
            None
        );
    }

    #[test]
    fn short_names_choose_the_format_of_the_query_form() {
        assert_eq!(
            ResultFormat::from_name(QueryForm::Solutions, "tsv"),
            Some(ResultFormat::Results(QueryResultsFormat::Tsv))
        );
        assert_eq!(
            ResultFormat::from_name(QueryForm::Graph, "ttl"),
            Some(ResultFormat::Rdf(RdfFormat::Turtle))
        );
        assert_eq!(
            ResultFormat::from_name(QueryForm::Graph, "N-Triples"),
            Some(ResultFormat::Rdf(RdfFormat::NTriples))
        );
        assert_eq!(
            ResultFormat::from_name(QueryForm::Solutions, "turtle"),
            None
        );
    }
}
