//! The relations of an entity, a page at a time: where they come from, and the cursor.
//!
//! For an entity or event of the graph the relations are its edges in the projection held in
//! memory (`graph::IncidentEdges`: counted and ordered there, in O(degree)), and only the
//! statements of the page are read from the store (`Catalog::relation_page`). Any other
//! resource (a source document, a statement) is not a node: its relations are read from the
//! store (`Catalog::relation_keys`) and paged the same way. The cursor is the key of the last
//! relation a page examined, base64url-encoded: IRIs, not node indices, so that it stays valid
//! across writes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oxigraph::model::{NamedNode, NamedNodeRef};
use petgraph::Direction::{Incoming, Outgoing};

use super::views::{RelationCountView, RelationView, RelationsView, ResourceView, direction_name};
use crate::api::problem::ApiError;
use crate::catalog::cache::ReadCache;
use crate::catalog::relations::{RelationCount, count_keys, names_predicate};
use crate::catalog::{
    Candidate, Catalog, Direction, Labelled, PageRequest, RelationKey, RelationPage, TripleEnd,
};
use crate::graph::{self, Incident, IncidentEdges, KeyRef, Projection};
use crate::model::EntityId;
use crate::read_models::ReadView;
use crate::store::Store;

/// Relations per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;

/// The largest page.
pub const MAX_LIMIT: usize = 1000;

/// Reads `limit`: a whole number from 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
///
/// # Errors
/// [`ApiError::InvalidParameter`] naming `limit` otherwise.
pub fn parse_limit(value: Option<&str>) -> Result<usize, ApiError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_LIMIT);
    };
    match value.parse::<usize>() {
        Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
        _ => Err(ApiError::InvalidParameter {
            field: "limit".into(),
            message: format!("'{value}' is not a whole number between 1 and {MAX_LIMIT}"),
        }),
    }
}

/// The cursor of the page after `key`.
pub fn encode_cursor(key: &RelationKey) -> String {
    // IRIs hold no spaces, so a space separates the three parts unambiguously.
    let text = format!(
        "{} {} {}",
        direction_name(key.direction),
        key.predicate.as_str(),
        key.other.as_str()
    );
    URL_SAFE_NO_PAD.encode(text)
}

/// The key a cursor of [`encode_cursor`] holds.
///
/// # Errors
/// [`ApiError::InvalidParameter`] naming `cursor` for anything else.
pub fn decode_cursor(cursor: &str) -> Result<RelationKey, ApiError> {
    let invalid = || ApiError::InvalidParameter {
        field: "cursor".into(),
        message: "not a cursor this endpoint returned".into(),
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, ' ');
    let direction = match parts.next() {
        Some("out") => Direction::Out,
        Some("in") => Direction::In,
        _ => return Err(invalid()),
    };
    let mut iri = || {
        parts
            .next()
            .and_then(|part| NamedNode::new(part).ok())
            .ok_or_else(invalid)
    };
    Ok(RelationKey {
        direction,
        predicate: iri()?,
        other: iri()?,
    })
}

/// What a listing of relations asks for.
#[derive(Debug, Clone)]
pub struct RelationsQuery {
    /// `Out`, `In` or `Both`.
    pub direction: graph::Direction,
    /// A predicate IRI or local name ([`names_predicate`]).
    pub predicate: Option<String>,
    /// Where the page starts: after this relation.
    pub after: Option<RelationKey>,
    /// Its size and date filter.
    pub page: PageRequest,
    /// The provenance filter: only the relations it lets pass are counted and listed (from
    /// the projection; a resource that is not a node has none pass a provenance condition).
    pub evidence: crate::graph::EvidenceFilter,
}

/// The page of relations of `iri` that `query` asks for, with their counts: from the
/// projection when `iri` is one of its nodes, else from the store.
///
/// # Errors
/// [`ApiError::Internal`] when the store cannot be read.
pub fn relations_page(
    store: &Store,
    read: &ReadView,
    cache: &ReadCache,
    iri: NamedNodeRef<'_>,
    query: &RelationsQuery,
) -> Result<RelationsView, ApiError> {
    let projection = &read.projection;
    let catalog = Catalog::new(store)
        .with_labels(projection)
        .with_cache(cache);
    let (counts, page) = match projection.node(iri) {
        Some(node) => from_projection(&catalog, projection, node, iri, query)?,
        // A resource that is not a node has no evidence in the projection: no relation of it
        // passes a provenance condition.
        None if query.evidence.asks_provenance() => (
            Vec::new(),
            RelationPage {
                relations: Vec::new(),
                next: None,
            },
        ),
        None => from_store(&catalog, iri, query)?,
    };
    let mut totals = Vec::with_capacity(counts.len());
    for count in counts {
        totals.push(RelationCountView {
            predicate: ResourceView::from(&catalog.labelled(count.predicate.as_ref())?),
            direction: direction_name(count.direction),
            count: count.count,
        });
    }
    Ok(RelationsView {
        entity: ResourceView::from(&catalog.labelled(iri)?),
        total: totals.iter().map(|t| t.count).sum(),
        totals,
        relations: page.relations.iter().map(RelationView::from).collect(),
        next_cursor: page.next.as_ref().map(encode_cursor),
    })
}

/// Counts per (direction, predicate) and the page, for a node of the projection.
fn from_projection(
    catalog: &Catalog<'_>,
    projection: &Projection,
    node: petgraph::stable_graph::NodeIndex,
    iri: NamedNodeRef<'_>,
    query: &RelationsQuery,
) -> Result<(Vec<RelationCount>, RelationPage), ApiError> {
    let predicates: Option<Vec<_>> = query.predicate.as_deref().map(|name| {
        projection
            .predicates()
            .filter(|(_, iri)| names_predicate(iri.as_str(), name))
            .map(|(id, _)| id)
            .collect()
    });
    let mut incident = IncidentEdges::new(projection, node, query.direction, predicates.as_deref());
    if !query.evidence.is_empty() {
        let test = projection.edge_test(&query.evidence);
        incident.retain_edges(|edge| test.allows(edge));
    }
    let counts = incident
        .counts()
        .into_iter()
        .map(|c| RelationCount {
            direction: from_edge_direction(c.direction),
            predicate: projection.predicate(c.predicate).into_owned(),
            count: c.count,
        })
        .collect();
    let costs = incident.end_costs(query.page.limit);
    let after = query.after.as_ref().map(|key| KeyRef {
        direction: match key.direction {
            Direction::Out => Outgoing,
            Direction::In => Incoming,
        },
        predicate: key.predicate.as_str(),
        other: key.other.as_str(),
    });
    // One more than a page, so that the first selection also tells whether more follow.
    let candidates = incident
        .after(after, query.page.limit.saturating_add(1))
        .map(|relation| {
            let from = if costs.cheaper_from_subject(&relation) {
                TripleEnd::Subject
            } else {
                TripleEnd::Object
            };
            candidate(projection, &relation, from)
        });
    let page = catalog.relation_page(iri, candidates, &query.page)?;
    Ok((counts, page))
}

/// A relation of the projection as the catalog pages it, its other end labelled and typed from
/// memory.
fn candidate(projection: &Projection, relation: &Incident, from: TripleEnd) -> Candidate {
    let resource = projection.resource(relation.other);
    // Owned at once: `iri()` may give a value that `as_str` borrows from.
    let other = NamedNode::new_unchecked(
        resource
            .map(|r| r.iri().as_str().to_owned())
            .unwrap_or_default(),
    );
    let entity = resource.and_then(|r| {
        Some(Labelled {
            iri: other.as_str().to_owned(),
            id: EntityId::from_iri(other.as_str()),
            label: r.label()?.to_owned(),
        })
    });
    let types = resource.map(|r| {
        r.types()
            .iter()
            .map(|&class| projection.class(class).into_owned())
            .collect()
    });
    Candidate {
        key: RelationKey {
            direction: from_edge_direction(relation.direction),
            predicate: projection.predicate(relation.predicate).into_owned(),
            other,
        },
        entity,
        entity_types: types,
        from,
    }
}

/// Counts and the page for a resource that is not a node, read from the store.
fn from_store(
    catalog: &Catalog<'_>,
    iri: NamedNodeRef<'_>,
    query: &RelationsQuery,
) -> Result<(Vec<RelationCount>, RelationPage), ApiError> {
    let directions: &[Direction] = match query.direction {
        graph::Direction::Out => &[Direction::Out],
        graph::Direction::In => &[Direction::In],
        graph::Direction::Both => &[Direction::Out, Direction::In],
    };
    let keys: Vec<RelationKey> = catalog
        .relation_keys(iri, directions)?
        .into_iter()
        .filter(|key| {
            query
                .predicate
                .as_deref()
                .is_none_or(|name| names_predicate(key.predicate.as_str(), name))
        })
        .collect();
    let counts = count_keys(&keys);
    // The resource's own end: every triple of the page shares it, so one index scan.
    let candidates = keys
        .into_iter()
        .filter(|key| query.after.as_ref().is_none_or(|after| key > after))
        .map(Candidate::from_own_end);
    let page = catalog.relation_page(iri, candidates, &query.page)?;
    Ok((counts, page))
}

fn from_edge_direction(direction: petgraph::Direction) -> Direction {
    match direction {
        Outgoing => Direction::Out,
        Incoming => Direction::In,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_its_key_and_anything_else_is_refused_naming_the_cursor() {
        let key = RelationKey {
            direction: Direction::In,
            predicate: NamedNode::new_unchecked("https://w3id.org/eventgraph/ontology#agent"),
            other: NamedNode::new_unchecked("https://w3id.org/eventgraph/id/x"),
        };
        let cursor = encode_cursor(&key);
        assert!(
            cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{cursor}"
        );
        assert_eq!(decode_cursor(&cursor).unwrap(), key);
        for (bad, why) in [
            ("%%%", "not base64url"),
            ("eHl6", "base64 of 'xyz'"),
            (&URL_SAFE_NO_PAD.encode("up a b"), "an unknown direction"),
            (
                &URL_SAFE_NO_PAD.encode("out not-an-iri b"),
                "a relative IRI",
            ),
            (&URL_SAFE_NO_PAD.encode("out http://a/p"), "a missing part"),
        ] {
            match decode_cursor(bad) {
                Err(ApiError::InvalidParameter { field, .. }) => {
                    assert_eq!(field, "cursor", "{why}")
                }
                other => panic!("{why}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_limit_is_a_whole_number_from_1_to_1000() {
        assert_eq!(parse_limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(parse_limit(Some("1000")).unwrap(), 1000);
        for bad in ["0", "1001", "-1", "ten", "1.5"] {
            assert!(
                matches!(parse_limit(Some(bad)), Err(ApiError::InvalidParameter { ref field, .. }) if field == "limit"),
                "{bad}"
            );
        }
    }
}
