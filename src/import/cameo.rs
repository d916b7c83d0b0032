//! The CAMEO event codes GDELT types its events with: `ontology/cameo.ttl`, embedded, as a
//! SKOS concept scheme (loaded into the ontology graph at seeding, or by the first GDELT
//! import into a store seeded before the scheme existed), and the label of each code.
//!
//! It leans on the Turtle file only; it does not check that a GDELT row's code is in the
//! scheme (GDELT's codes are; an unknown one still names a concept, without a label).

use std::sync::OnceLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, Quad, QuadRef};
use rustc_hash::FxHashMap;

use super::emit::terms;
use crate::store::seed::CAMEO;
use crate::vocab;

/// The namespace of the CAMEO concepts: `{NAMESPACE}{code}`; also the scheme's IRI.
pub const NAMESPACE: &str = "https://w3id.org/eventgraph/cameo/";

/// The concept of a CAMEO code as GDELT writes it (`042`).
pub fn concept(code: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NAMESPACE}{code}"))
}

/// The codebook's description of a code, if the scheme has it.
pub fn label(code: &str) -> Option<&'static str> {
    static LABELS: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    LABELS
        .get_or_init(|| {
            // The file is ours and regular: each concept opens with `cameo:CODE` on a line of
            // its own, and its prefLabel follows on a line `skos:prefLabel "…"@en ;`.
            let mut labels = FxHashMap::default();
            let mut code = None;
            for line in CAMEO.lines() {
                if let Some(rest) = line.strip_prefix("cameo:") {
                    code = Some(rest.trim());
                } else if let (Some(current), Some(rest)) =
                    (code, line.trim().strip_prefix("skos:prefLabel \""))
                {
                    if let Some((label, _)) = rest.split_once("\"@en") {
                        labels.insert(current, label);
                    }
                    code = None;
                }
            }
            labels
        })
        .get(code)
        .copied()
}

/// The scheme's quads, in the ontology graph.
///
/// # Errors
/// Never for the embedded file (a unit test parses it); the parser's error otherwise.
pub fn quads() -> Result<Vec<Quad>, oxigraph::io::RdfParseError> {
    RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(vocab::graph::ONTOLOGY)
        .for_reader(CAMEO.as_bytes())
        .collect()
}

/// The quad that says the scheme is in the store.
pub fn scheme_marker() -> QuadRef<'static> {
    QuadRef::new(
        NamedNodeRef::new_unchecked(NAMESPACE),
        rdf::TYPE,
        terms::SKOS_CONCEPT_SCHEME,
        vocab::graph::ONTOLOGY,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_parses_and_every_code_has_a_label() {
        let quads = quads().unwrap();
        assert!(quads.iter().any(|q| q.as_ref() == scheme_marker()));
        assert_eq!(label("042"), Some("Make a visit"));
        assert_eq!(label("19"), Some("Fight"));
        assert_eq!(label("0211"), Some("Appeal for economic cooperation"));
        assert_eq!(label("999"), None);
        let concepts = quads
            .iter()
            .filter(|q| q.predicate == rdf::TYPE && q.object == terms::SKOS_CONCEPT.into())
            .count();
        // The codebook's 311 codes (20 root codes, their base and full codes) and the 4
        // QuadClasses.
        assert_eq!(concepts, 315);
    }

    #[test]
    fn each_root_code_is_narrower_than_its_quad_class() {
        let quads = quads().unwrap();
        let broader = |code: &str| {
            quads
                .iter()
                .find(|q| q.subject == concept(code).into() && q.predicate == terms::SKOS_BROADER)
                .map(|q| q.object.to_string())
        };
        assert_eq!(broader("04").unwrap(), format!("<{NAMESPACE}quad-class-1>"));
        assert_eq!(broader("14").unwrap(), format!("<{NAMESPACE}quad-class-3>"));
        assert_eq!(broader("19").unwrap(), format!("<{NAMESPACE}quad-class-4>"));
        assert_eq!(broader("0211").unwrap(), format!("<{NAMESPACE}021>"));
    }
}
