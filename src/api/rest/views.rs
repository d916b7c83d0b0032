//! The JSON wire types of the REST API, one casing (snake_case) throughout.
//!
//! Each view is built from a catalog type; the catalog never sees these.

use serde::Serialize;
use utoipa::ToSchema;

use crate::catalog::events::{EventRecord, Participation};
use crate::catalog::search::{Hit, MatchKind};
use crate::catalog::{
    Confirmation, Direction, Entity, Labelled, PropertyValue, Relation, StatementRecord, Value,
};

/// A resource as a reference: its id (for resources of eventgraph), IRI and label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResourceView {
    /// The uuid, for IRIs under `https://w3id.org/eventgraph/id/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// What a person reads.
    pub label: String,
}

impl From<&Labelled> for ResourceView {
    fn from(l: &Labelled) -> Self {
        Self {
            id: l.id.map(|id| id.to_string()),
            iri: l.iri.clone(),
            label: l.label.clone(),
        }
    }
}

fn resources(list: &[Labelled]) -> Vec<ResourceView> {
    list.iter().map(ResourceView::from).collect()
}

/// A value: a resource, or a literal with its datatype and language.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ValueView {
    /// An IRI.
    Resource(ResourceView),
    /// A literal.
    Literal {
        /// The lexical form.
        value: String,
        /// The datatype IRI.
        datatype: String,
        /// The language tag.
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
    },
}

impl From<&Value> for ValueView {
    fn from(v: &Value) -> Self {
        match v {
            Value::Resource(r) => Self::Resource(r.into()),
            Value::Literal(l) => Self::Literal {
                value: l.value.clone(),
                datatype: l.datatype.clone(),
                language: l.language.clone(),
            },
        }
    }
}

/// A property with its value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PropertyView {
    /// The predicate.
    pub predicate: ResourceView,
    /// The value.
    pub value: ValueView,
}

impl From<&PropertyValue> for PropertyView {
    fn from(p: &PropertyValue) -> Self {
        Self {
            predicate: (&p.predicate).into(),
            value: (&p.value).into(),
        }
    }
}

/// `GET /api/v1/entities/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityView {
    /// The uuid.
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// The English label.
    pub label: String,
    /// Other names (`skos:altLabel`).
    pub aliases: Vec<String>,
    /// The classes.
    pub types: Vec<ResourceView>,
    /// The `rdfs:comment`.
    pub description: Option<String>,
    /// Every other literal property.
    pub properties: Vec<PropertyView>,
}

impl From<&Entity> for EntityView {
    fn from(e: &Entity) -> Self {
        Self {
            id: e.resource.id.map(|id| id.to_string()),
            iri: e.resource.iri.clone(),
            label: e.resource.label.clone(),
            aliases: e.aliases.clone(),
            types: resources(&e.types),
            description: e.description.clone(),
            properties: e.properties.iter().map(PropertyView::from).collect(),
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntitySummaryView {
    /// The uuid.
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// The English label.
    pub label: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// The classes.
    pub types: Vec<ResourceView>,
    /// How it matched: `exact`, `label_prefix`, `alias_prefix` or `substring`, best first.
    #[serde(rename = "match")]
    #[schema(value_type = String)]
    pub match_kind: &'static str,
}

impl From<&Hit<'_>> for EntitySummaryView {
    fn from(hit: &Hit<'_>) -> Self {
        Self {
            id: hit.entry.resource.id.map(|id| id.to_string()),
            iri: hit.entry.resource.iri.clone(),
            label: hit.entry.resource.label.clone(),
            aliases: hit.entry.aliases.clone(),
            types: resources(&hit.entry.types),
            match_kind: match hit.kind {
                MatchKind::Exact => "exact",
                MatchKind::LabelPrefix => "label_prefix",
                MatchKind::AliasPrefix => "alias_prefix",
                MatchKind::Substring => "substring",
            },
        }
    }
}

impl EntitySummaryView {
    /// An entry found by its exact name (the candidates of an ambiguous name).
    pub fn exact(entry: &crate::catalog::search::IndexEntry) -> Self {
        Self::from(&Hit {
            entry,
            kind: MatchKind::Exact,
        })
    }
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityPageView {
    /// The results of this page.
    pub items: Vec<EntitySummaryView>,
    /// How many resources match in all.
    pub total: usize,
    /// The cursor of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A confirmation of a statement, in short.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfirmationView {
    /// The confirming statement.
    pub statement: ResourceView,
    /// Who confirmed.
    pub speakers: Vec<ResourceView>,
    /// Their words.
    pub quote: Option<String>,
    /// When.
    pub date: Option<String>,
}

impl From<&Confirmation> for ConfirmationView {
    fn from(c: &Confirmation) -> Self {
        Self {
            statement: (&c.statement).into(),
            speakers: resources(&c.speakers),
            quote: c.quote.clone(),
            date: c.date.clone(),
        }
    }
}

/// A statement with its provenance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementView {
    /// The statement's uuid.
    pub id: Option<String>,
    /// The statement's IRI.
    pub iri: String,
    /// Its label.
    pub label: String,
    /// The triple it reports: subject.
    pub subject: Option<ResourceView>,
    /// The triple it reports: predicate.
    pub predicate: Option<ResourceView>,
    /// The triple it reports: object.
    pub object: Option<ValueView>,
    /// Qualifiers: the intermediary of a contact, notes, modality, ...
    pub qualifiers: Vec<PropertyView>,
    /// The source documents.
    pub sources: Vec<ResourceView>,
    /// Who said it.
    pub speaker: Vec<ResourceView>,
    /// When it was said.
    pub date: Option<String>,
    /// The earliest date it can have been said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_not_before: Option<String>,
    /// The latest date it can have been said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_not_after: Option<String>,
    /// The verbatim evidence quote.
    pub quote: Option<String>,
    /// The statements that confirm it.
    pub confirmed_by: Vec<ConfirmationView>,
    /// The statements it confirms.
    pub confirms: Vec<ResourceView>,
}

impl From<&StatementRecord> for StatementView {
    fn from(s: &StatementRecord) -> Self {
        Self {
            id: s.resource.id.map(|id| id.to_string()),
            iri: s.resource.iri.clone(),
            label: s.resource.label.clone(),
            subject: s.subject.as_ref().map(ResourceView::from),
            predicate: s.predicate.as_ref().map(ResourceView::from),
            object: s.object.as_ref().map(ValueView::from),
            qualifiers: s.qualifiers.iter().map(PropertyView::from).collect(),
            sources: resources(&s.sources),
            speaker: resources(&s.speakers),
            date: s.date.clone(),
            date_not_before: s.date_not_before.clone(),
            date_not_after: s.date_not_after.clone(),
            quote: s.quote.clone(),
            confirmed_by: s.confirmed_by.iter().map(ConfirmationView::from).collect(),
            confirms: resources(&s.confirms),
        }
    }
}

/// The entity at the other end of a relation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedEntityView {
    /// The uuid.
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// The label.
    pub label: String,
    /// The classes.
    pub types: Vec<ResourceView>,
}

/// One relation of an entity: a direct triple between it and another entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationView {
    /// The predicate.
    pub predicate: ResourceView,
    /// `out` when the entity is the subject, `in` when it is the object.
    #[schema(value_type = String)]
    pub direction: &'static str,
    /// The entity at the other end.
    pub entity: RelatedEntityView,
    /// Every statement that reports the triple, with its provenance; empty when none does.
    pub statements: Vec<StatementView>,
}

/// `out` or `in`, as the wire says it.
pub fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Out => "out",
        Direction::In => "in",
    }
}

impl From<&Relation> for RelationView {
    fn from(r: &Relation) -> Self {
        Self {
            predicate: (&r.predicate).into(),
            direction: direction_name(r.direction),
            entity: RelatedEntityView {
                id: r.entity.id.map(|id| id.to_string()),
                iri: r.entity.iri.clone(),
                label: r.entity.label.clone(),
                types: resources(&r.entity_types),
            },
            statements: r
                .statements
                .iter()
                .map(|s| StatementView::from(&**s))
                .collect(),
        }
    }
}

/// How many relations (or edges) have one predicate in one direction.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationCountView {
    /// The predicate.
    pub predicate: ResourceView,
    /// `out` when the entity counted around is the subject, `in` when it is the object.
    #[schema(value_type = String)]
    pub direction: &'static str,
    /// How many.
    pub count: usize,
}

/// `GET /api/v1/entities/{id}/relations`: a page of an entity's relations, after their counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationsView {
    /// The entity asked about.
    pub entity: ResourceView,
    /// The relations per predicate and direction, after the `direction` and `predicate`
    /// filters, before paging and before the date filters; out first, then by predicate IRI.
    pub totals: Vec<RelationCountView>,
    /// The sum of `totals`.
    pub total: usize,
    /// At most `limit` relations, in the order of direction (out first), predicate IRI and the
    /// other entity's IRI, each once with all its statements.
    pub relations: Vec<RelationView>,
    /// The cursor of the next page; absent on the last page. Under a date filter a page may
    /// hold fewer than `limit` relations (even none) and still have a next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// An actor's part in an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipationView {
    /// The role.
    pub role: ResourceView,
    /// The actor.
    pub actor: ResourceView,
}

impl From<&Participation> for ParticipationView {
    fn from(p: &Participation) -> Self {
        Self {
            role: (&p.role).into(),
            actor: (&p.actor).into(),
        }
    }
}

/// One event of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    /// The uuid.
    pub id: Option<String>,
    /// The IRI.
    pub iri: String,
    /// The label.
    pub label: String,
    /// The classes.
    pub types: Vec<ResourceView>,
    /// The date, when the source gives one.
    pub date: Option<String>,
    /// The earliest date it can have happened.
    pub not_before: Option<String>,
    /// The latest date it can have happened.
    pub not_after: Option<String>,
    /// Who took part, and how.
    pub actors: Vec<ParticipationView>,
    /// Where.
    pub places: Vec<ResourceView>,
    /// The statements about it.
    pub statements: Vec<StatementView>,
    /// Their source documents.
    pub sources: Vec<ResourceView>,
}

impl From<&EventRecord> for EventView {
    fn from(e: &EventRecord) -> Self {
        Self {
            id: e.resource.id.map(|id| id.to_string()),
            iri: e.resource.iri.clone(),
            label: e.resource.label.clone(),
            types: resources(&e.types),
            date: e.date.clone(),
            not_before: e.not_before.clone(),
            not_after: e.not_after.clone(),
            actors: e.actors.iter().map(ParticipationView::from).collect(),
            places: resources(&e.places),
            statements: e.statements.iter().map(StatementView::from).collect(),
            sources: resources(&e.sources),
        }
    }
}

/// `GET /api/v1/events`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineView {
    /// The events, in date order.
    pub events: Vec<EventView>,
}

/// The answer (status 300) for a name several entities share.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmbiguousView {
    /// What is ambiguous.
    pub detail: String,
    /// The entities with that name.
    pub candidates: Vec<EntitySummaryView>,
}
