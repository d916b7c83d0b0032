//! The timeline: events in date order, with their actors, places, statements and sources.
//!
//! An event is any resource typed with a subclass of `eg:Event`. Its date is
//! `eg:date`, else it is bounded by `eg:notBefore` / `eg:notAfter` (the seed
//! never invents a date the source does not give); the timeline sorts by the
//! date, else the lower bound, else the upper bound, exactly dated events
//! first on the same day. Actors are the values of any sub-property of
//! `sem:hasActor` (agent, target, intermediary, ...) and the subjects of any
//! sub-property of `schema:performerIn` (launched, announced, ...), as the
//! ontology's axioms say; the queries read them from the ontology graph.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{CancellationToken, QueryResults};

use super::{Catalog, CatalogError, Labelled, StatementRecord};
use crate::sparql::remote::RemoteAccess;
use crate::sparql::{DatasetRequest, ParsedQuery};
use crate::store::Store;

/// Which events a timeline holds.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events this actor takes part in.
    pub actor: Option<NamedNode>,
    /// Only events of this type (an IRI or the local name of an `eg:` class), subclasses included.
    pub event_type: Option<String>,
    /// Only events that can have happened on or after this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only events that can have happened on or before this date (`YYYY-MM-DD`).
    pub to: Option<String>,
}

/// An actor's role in an event.
#[derive(Debug, Clone)]
pub struct Participation {
    /// The role (a property such as `eg:agent`).
    pub role: Labelled,
    /// The actor.
    pub actor: Labelled,
}

/// One event of a timeline.
#[derive(Debug, Clone)]
pub struct EventRecord {
    /// The event.
    pub resource: Labelled,
    /// Its types.
    pub types: Vec<Labelled>,
    /// Its date, when the source gives one.
    pub date: Option<String>,
    /// The earliest date it can have happened.
    pub not_before: Option<String>,
    /// The latest date it can have happened.
    pub not_after: Option<String>,
    /// Who took part, and how.
    pub actors: Vec<Participation>,
    /// Where.
    pub places: Vec<Labelled>,
    /// The statements about it.
    pub statements: Vec<StatementRecord>,
    /// The source documents of those statements.
    pub sources: Vec<Labelled>,
}

const PREFIXES: &str = "PREFIX eg: <https://w3id.org/eventgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX schema: <https://schema.org/>
";

/// Runs a SELECT over the union of all graphs; each row maps variable names to terms.
pub(super) fn select(
    store: &Store,
    query: &str,
) -> Result<Vec<BTreeMap<String, Term>>, CatalogError> {
    let parsed = ParsedQuery::parse(&format!("{PREFIXES}{query}"), None)?;
    let dataset = DatasetRequest {
        union_default_graph: true,
        ..DatasetRequest::default()
    };
    let QueryResults::Solutions(solutions) = parsed.evaluate(
        store,
        &dataset,
        CancellationToken::new(),
        &RemoteAccess::none(),
    )?
    else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(crate::sparql::SparqlError::from)?;
        rows.push(
            solution
                .iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect(),
        );
    }
    Ok(rows)
}

pub(super) fn iri(row: &BTreeMap<String, Term>, name: &str) -> Option<NamedNode> {
    match row.get(name) {
        Some(Term::NamedNode(node)) => Some(node.clone()),
        _ => None,
    }
}

pub(super) fn lexical(row: &BTreeMap<String, Term>, name: &str) -> Option<String> {
    match row.get(name) {
        Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
        _ => None,
    }
}

/// The events `filter` selects, in date order.
///
/// # Errors
/// [`CatalogError`] when the store cannot be read.
pub fn timeline(store: &Store, filter: &EventFilter) -> Result<Vec<EventRecord>, CatalogError> {
    let actor_pattern = match &filter.actor {
        Some(actor) => format!(
            "{{ ?event ?role <{0}> . ?role rdfs:subPropertyOf* sem:hasActor }} UNION {{ <{0}> ?role ?event . ?role rdfs:subPropertyOf* schema:performerIn }}",
            actor.as_str()
        ),
        None => String::new(),
    };
    let rows = select(
        store,
        &format!(
            "SELECT DISTINCT ?event ?date ?notBefore ?notAfter WHERE {{
               ?event a ?type . ?type rdfs:subClassOf* eg:Event .
               FILTER(STRSTARTS(STR(?event), 'https://w3id.org/eventgraph/id/'))
               {actor_pattern}
               OPTIONAL {{ ?event eg:date ?date }}
               OPTIONAL {{ ?event eg:notBefore ?notBefore }}
               OPTIONAL {{ ?event eg:notAfter ?notAfter }}
             }}"
        ),
    )?;
    let catalog = Catalog::new(store);
    let mut events = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for row in rows {
        let Some(event) = iri(&row, "event") else {
            continue;
        };
        if !seen.insert(event.clone()) {
            continue;
        }
        let (date, not_before, not_after) = (
            lexical(&row, "date"),
            lexical(&row, "notBefore"),
            lexical(&row, "notAfter"),
        );
        let start = date.clone().or_else(|| not_before.clone());
        let end = date.clone().or_else(|| not_after.clone());
        if let Some(from) = &filter.from {
            if end
                .as_ref()
                .or(start.as_ref())
                .is_none_or(|end| end.as_str() < from.as_str())
            {
                continue;
            }
        }
        if let Some(to) = &filter.to {
            if start
                .as_ref()
                .or(end.as_ref())
                .is_none_or(|start| start.as_str() > to.as_str())
            {
                continue;
            }
        }
        let types = catalog
            .labelled_all(catalog.objects(event.as_ref(), oxigraph::model::vocab::rdf::TYPE)?)?;
        if let Some(wanted) = &filter.event_type {
            if !is_of_type(store, &event, wanted)? {
                continue;
            }
        }
        events.push(EventRecord {
            resource: catalog.labelled(event.as_ref())?,
            types,
            date,
            not_before,
            not_after,
            actors: Vec::new(),
            places: Vec::new(),
            statements: Vec::new(),
            sources: Vec::new(),
        });
    }
    events.sort_by_key(sort_key);
    for event in &mut events {
        fill_details(store, &catalog, event)?;
    }
    Ok(events)
}

/// Date, else lower bound, else upper bound; exact dates first; then label. Undated events last.
fn sort_key(event: &EventRecord) -> (bool, String, u8, String) {
    let day = event
        .date
        .clone()
        .or_else(|| event.not_before.clone())
        .or_else(|| event.not_after.clone());
    (
        day.is_none(),
        day.unwrap_or_default(),
        if event.date.is_some() { 0 } else { 1 },
        event.resource.label.clone(),
    )
}

fn is_of_type(store: &Store, event: &NamedNode, wanted: &str) -> Result<bool, CatalogError> {
    let Ok(class) = crate::vocab::term(wanted) else {
        return Ok(false);
    };
    let rows = select(
        store,
        &format!(
            "SELECT ?t WHERE {{ <{}> a ?t . ?t rdfs:subClassOf* <{}> }} LIMIT 1",
            event.as_str(),
            class.as_str()
        ),
    )?;
    Ok(!rows.is_empty())
}

fn fill_details(
    store: &Store,
    catalog: &Catalog<'_>,
    event: &mut EventRecord,
) -> Result<(), CatalogError> {
    let iri = event.resource.iri.clone();
    let participations = select(
        store,
        &format!(
            "SELECT DISTINCT ?role ?actor WHERE {{
               {{ <{iri}> ?role ?actor . ?role rdfs:subPropertyOf* sem:hasActor }}
               UNION {{ ?actor ?role <{iri}> . ?role rdfs:subPropertyOf* schema:performerIn }}
               FILTER(isIRI(?actor))
             }} ORDER BY ?role ?actor"
        ),
    )?;
    for row in participations {
        if let (Some(role), Some(actor)) = (iri_of(&row, "role"), iri_of(&row, "actor")) {
            event.actors.push(Participation {
                role: catalog.labelled(role.as_ref())?,
                actor: catalog.labelled(actor.as_ref())?,
            });
        }
    }
    let places = select(
        store,
        &format!(
            "SELECT DISTINCT ?place WHERE {{ <{iri}> ?p ?place . ?p rdfs:subPropertyOf* sem:hasPlace FILTER(isIRI(?place)) }} ORDER BY ?place"
        ),
    )?;
    for row in places {
        if let Some(place) = iri_of(&row, "place") {
            event.places.push(catalog.labelled(place.as_ref())?);
        }
    }
    let statements = select(
        store,
        &format!(
            "SELECT DISTINCT ?statement WHERE {{ ?statement a eg:Statement . {{ ?statement rdf:subject <{iri}> }} UNION {{ ?statement rdf:object <{iri}> }} }} ORDER BY ?statement"
        ),
    )?;
    for row in statements {
        if let Some(statement) =
            iri_of(&row, "statement").and_then(|s| catalog.statement(s.as_ref()).transpose())
        {
            let statement = statement?;
            for source in &statement.sources {
                if !event.sources.contains(source) {
                    event.sources.push(source.clone());
                }
            }
            event.statements.push(statement);
        }
    }
    Ok(())
}

fn iri_of(row: &BTreeMap<String, Term>, name: &str) -> Option<NamedNode> {
    iri(row, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityId;

    #[test]
    fn hamas_events_come_in_date_order_with_actors_and_sources() {
        let store = crate::store::seed::seeded_in_memory();
        let filter = EventFilter {
            actor: Some(EntityId::from_canonical_name("Hamas").iri()),
            ..EventFilter::default()
        };
        let events = timeline(&store, &filter).unwrap();
        let labels: Vec<&str> = events.iter().map(|e| e.resource.label.as_str()).collect();
        assert_eq!(
            labels.first(),
            Some(&"Infiltration of southern Israel by Hamas fighters (2023-10-07)"),
            "{labels:?}"
        );
        assert!(labels.contains(&"Operation Iron Swords"));
        let contact = events
            .iter()
            .find(|e| e.resource.label == "Contacts of the United States with Hamas through Qatar")
            .unwrap();
        assert!(
            contact.actors.iter().any(|p| p.actor.label == "Qatar"),
            "{:?}",
            contact.actors
        );
        assert!(!contact.sources.is_empty());
        let windowed = timeline(
            &store,
            &EventFilter {
                to: Some("2023-10-07".into()),
                ..filter
            },
        )
        .unwrap();
        assert!(
            windowed
                .iter()
                .all(|e| e.date.as_deref() <= Some("2023-10-07")
                    || e.not_before.as_deref() <= Some("2023-10-07"))
        );
    }
}
