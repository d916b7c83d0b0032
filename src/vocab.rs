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

    // Terms the graph projection and its generator name (`crate::graph`).

    /// A reported figure (`eg:printedAs`, `eg:hedge`, `eg:value`); the projection may leave it out.
    pub const QUANTITY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Quantity");
    /// Statement → the source document it is derived from.
    pub const SOURCE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#source");
    /// Statement → who made the claim.
    pub const SPEAKER: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#speaker");
    /// Statement → the verbatim words of the source.
    pub const QUOTE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#quote");
    /// Statement → the date the claim was made.
    pub const STATED_ON: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#statedOn");
    /// Statement → `eg:Asserted`, `eg:Possible` or `eg:Denied`.
    pub const MODALITY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#modality");
    /// The modality of a claim stated as fact.
    pub const ASSERTED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Asserted");
    /// The modality of a claim stated as possible, not as fact.
    pub const POSSIBLE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Possible");
    /// The modality of a claim the speaker denies.
    pub const DENIED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Denied");
    /// Statement → how the text attributes the claim.
    pub const ATTRIBUTION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#attribution");
    /// The attribution of a claim the text puts in someone's mouth.
    pub const ATTRIBUTED_IN_TEXT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#AttributedInText");
    /// The attribution of a claim the publisher makes in its own voice.
    pub const PUBLISHER_NARRATION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#PublisherNarration");
    /// Something that acts, speaks, is addressed or is affected.
    pub const ACTOR: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Actor");
    /// A sovereign state, both actor and place.
    pub const STATE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#State");
    /// A person.
    pub const PERSON: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Person");
    /// An organisation.
    pub const ORGANISATION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Organisation");
    /// A government or one of its bodies.
    pub const GOVERNMENT_BODY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#GovernmentBody");
    /// The armed forces of a state or an organisation.
    pub const ARMED_FORCE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#ArmedForce");
    /// A place.
    pub const PLACE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Place");
    /// A city.
    pub const CITY: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#City");
    /// A region.
    pub const REGION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Region");
    /// Something that happened, or was announced, proposed or called for.
    pub const EVENT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Event");
    /// A military operation.
    pub const MILITARY_OPERATION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#MilitaryOperation");
    /// An attack.
    pub const ATTACK: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Attack");
    /// A meeting.
    pub const MEETING: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Meeting");
    /// An announcement.
    pub const ANNOUNCEMENT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#Announcement");
    /// An actor (`eg:agent`) in contact with another (`eg:counterpart`) through an intermediary.
    pub const CONTACT_THROUGH_INTERMEDIARY: NamedNodeRef<'_> = NamedNodeRef::new_unchecked(
        "https://w3id.org/eventgraph/ontology#ContactThroughIntermediary",
    );
    /// Event → an actor taking part in it.
    pub const PARTICIPANT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#participant");
    /// Event → the actor who carries it out.
    pub const AGENT: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#agent");
    /// Event → the actor it is directed against.
    pub const TARGET: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#target");
    /// Event → the other party of a contact.
    pub const COUNTERPART: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#counterpart");
    /// `eg:place`: event → where it happened (the class `eg:Place` is [`PLACE`]).
    pub const EVENT_PLACE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#place");
    /// Actor → the event it took part in.
    pub const PARTICIPATED_IN: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#participatedIn");
    /// Actor → the event it launched.
    pub const LAUNCHED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#launched");
    /// Event → the event it is part of.
    pub const SUB_EVENT_OF: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#subEventOf");
    /// Event → the event it responds to.
    pub const IN_RESPONSE_TO: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#inResponseTo");
    /// Organisation → the organisation it is part of.
    pub const PART_OF: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#partOf");
    /// Actor → where it is based.
    pub const LOCATION: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#location");
    /// Place → the place it lies within.
    pub const LOCATED_IN: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#locatedIn");

    // Terms the catalog (`crate::catalog`) reads from statements and events.

    /// Statement → the earliest date it can have been said.
    pub const STATED_NOT_BEFORE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#statedNotBefore");
    /// Statement → the latest date it can have been said.
    pub const STATED_NOT_AFTER: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#statedNotAfter");
    /// Event → the day it happened, when the source gives it.
    pub const DATE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#date");
    /// Event → the earliest day it can have happened.
    pub const NOT_BEFORE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#notBefore");
    /// Event → the latest day it can have happened.
    pub const NOT_AFTER: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#notAfter");
    /// Confirmation statement → the statement it confirms.
    pub const CONFIRMS: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#confirms");
}

/// The term a user names by its IRI, or by the local name of an `eg:` term (`contactsVia`
/// for `eg:contactsVia`): one rule for the REST API, the CLI and the exports alike.
///
/// # Errors
/// When the name, made into an IRI, is not a valid absolute IRI.
pub fn term(name: &str) -> Result<oxigraph::model::NamedNode, oxigraph::model::IriParseError> {
    let name = name.trim();
    if name.contains(':') {
        oxigraph::model::NamedNode::new(name)
    } else {
        oxigraph::model::NamedNode::new(format!("{}{name}", eg::NAMESPACE))
    }
}

/// The last segment of an IRI — after `#`, else after the last `/` (a trailing `/` or `#`
/// ignored) — what a person reads when a term has no label: one rule everywhere.
pub fn local_name(iri: &str) -> &str {
    let trimmed = iri.trim_end_matches(['/', '#']);
    trimmed
        .rsplit_once('#')
        .or_else(|| trimmed.rsplit_once('/'))
        .map_or(trimmed, |(_, name)| name)
}

/// SKOS terms eventgraph reads.
pub mod skos {
    use oxigraph::model::NamedNodeRef;

    /// An alias of an entity.
    pub const ALT_LABEL: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
    /// A search-only alias (a metonymy such as "Tel Aviv" for the government).
    pub const HIDDEN_LABEL: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#hiddenLabel");
}

/// Who publishes a source document, in the two vocabularies the seed, the generator, the
/// importers and REST reports write it with.
pub mod publisher {
    use oxigraph::model::NamedNodeRef;

    /// `dcterms:publisher`.
    pub const DCTERMS: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/publisher");
    /// `schema:publisher`.
    pub const SCHEMA: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/publisher");
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
    /// The graph that receives what the REST API writes.
    pub const API: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/graph/api");
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
