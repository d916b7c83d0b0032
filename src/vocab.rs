//! IRIs of the eventgraph ontology and of the vocabularies it aligns to, as constants.
//!
//! Every IRI the Rust code names lives here, so that the ontology file
//! (`ontology/eventgraph.ttl`), the seed data and the code agree on one
//! spelling. Modelled on `oxrdf::vocab`: one module per namespace, one
//! `NamedNodeRef` constant per term. This module holds names only, no logic.

/// The eventgraph ontology, `https://w3id.org/eventgraph/ontology#`.
pub mod eg {
    use oxigraph::model::NamedNodeRef;

    /// The namespace every ontology term lives under.
    pub const NAMESPACE: &str = "https://w3id.org/eventgraph/ontology#";

    /// A claim reported by a source, reified with `rdf:subject`, `rdf:predicate`, `rdf:object`.
    pub const STATEMENT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Statement");
    /// A document that reports statements; each one names its own graph.
    pub const SOURCE_DOCUMENT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#SourceDocument");
    /// The statement qualifier naming who a contact goes through.
    pub const INTERMEDIARY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#intermediary");
    /// The relation "subject is in contact with object through an intermediary".
    pub const CONTACTS_VIA: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#contactsVia");
    /// Statement → the statement confirming it.
    pub const CONFIRMED_BY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#confirmedBy");
    /// Actor → the event it announced.
    pub const ANNOUNCED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#announced");
}

/// Where eventgraph mints the IRIs of its resources and graphs.
pub mod id {
    /// Entities, events, statements and source documents: `{BASE}{uuid}`.
    pub const BASE: &str = "https://w3id.org/eventgraph/id/";
}

/// Named graphs with a fixed role.
pub mod graph {
    use oxigraph::model::NamedNodeRef;

    /// The graph that holds `ontology/eventgraph.ttl`; its name is the ontology IRI.
    pub const ONTOLOGY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology");
}

/// Prefixes used to print IRIs compactly in tables and to declare in serializations.
pub const PREFIXES: &[(&str, &str)] = &[
    ("eg", eg::NAMESPACE),
    ("egid", id::BASE),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/"),
    ("schema", "https://schema.org/"),
    ("dcterms", "http://purl.org/dc/terms/"),
];
