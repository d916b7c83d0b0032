//! Domain types shared by the store, the projection and the HTTP edge.
//!
//! For now this is the identity scheme: every entity, event, statement and
//! source document is named `https://w3id.org/eventgraph/id/{uuid}`, where the
//! uuid is a version 5 UUID of the resource's canonical name (its English
//! `rdfs:label`) in [`ID_NAMESPACE`]. The same name gives the same IRI on every
//! machine and every load, which keeps the seed deterministic. Resources
//! created later through the API get a random (version 4) UUID instead.
//! This module does no I/O.

use std::fmt;
use std::str::FromStr;

use oxigraph::model::NamedNode;
use uuid::Uuid;

use crate::vocab;

/// The namespace of eventgraph's version 5 UUIDs:
/// `uuid5(NAMESPACE_URL, "https://w3id.org/eventgraph/id/")`.
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x76e1c699_d595_5c98_a869_a789ed44b63b);

/// The identity of an eventgraph resource: the uuid in its IRI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(Uuid);

impl EntityId {
    /// The deterministic id of a resource with this canonical name.
    pub fn from_canonical_name(name: &str) -> Self {
        Self(Uuid::new_v5(&ID_NAMESPACE, name.as_bytes()))
    }

    /// A fresh random id, for resources created through the API.
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }

    /// Reads the id back from an IRI under [`vocab::id::BASE`]; `None` for any other IRI.
    pub fn from_iri(iri: &str) -> Option<Self> {
        iri.strip_prefix(vocab::id::BASE)
            .and_then(|rest| Uuid::parse_str(rest).ok())
            .map(Self)
    }

    /// The uuid itself.
    pub fn uuid(self) -> Uuid {
        self.0
    }

    /// The IRI that names the resource.
    pub fn iri(self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{}", vocab::id::BASE, self.0.hyphenated()))
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for EntityId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_is_the_uuid5_of_the_id_base_url() {
        assert_eq!(
            ID_NAMESPACE,
            Uuid::new_v5(&Uuid::NAMESPACE_URL, vocab::id::BASE.as_bytes())
        );
    }

    #[test]
    fn canonical_name_gives_the_same_iri_every_time() {
        let hamas = EntityId::from_canonical_name("Hamas");
        assert_eq!(hamas, EntityId::from_canonical_name("Hamas"));
        assert_eq!(
            hamas.iri().as_str(),
            "https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df"
        );
        assert_eq!(EntityId::from_iri(hamas.iri().as_str()), Some(hamas));
    }

    #[test]
    fn from_iri_rejects_iris_outside_the_id_base() {
        assert_eq!(
            EntityId::from_iri("https://example.org/id/90f69150-64ee-5592-bdfe-864c942656df"),
            None
        );
        assert_eq!(
            EntityId::from_iri("https://w3id.org/eventgraph/id/not-a-uuid"),
            None
        );
    }
}
