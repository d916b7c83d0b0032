//! GDELT 2.0 events and mentions: rows in the codebooks' layouts, mapped onto the ontology.
//!
//! **Events** (the GDELT 2.0 Event codebook, 61 tab-separated fields, `*.export.CSV`): each row
//! is an `eg:Event` named by a uuid v5 of `GLOBALEVENTID`, with its CAMEO code as
//! `eg:eventType` (a concept of `ontology/cameo.ttl`), its `SQLDATE` as `eg:date`, Actor1 as
//! `eg:agent` and Actor2 as `eg:target`, the ActionGeo place (`ActionGeo_FullName`, with its
//! latitude and longitude when the place is new) as `eg:place`, and the Goldstein scale, the
//! average tone and the counts of mentions, sources and articles as literals. Those facts
//! live in the graph of the event's first source document, `SOURCEURL` (a uuid v5 of the URL),
//! published by the outlet its host names (`www.` dropped, as GDELT names sources), and each
//! but the literals is a statement of that outlet's, stated on the day of `DATEADDED`.
//!
//! **Mentions** (the Mentions codebook, 16 fields, `*.mentions.CSV`): each row is the source
//! document `MentionIdentifier` (its URL; `MentionSourceName` as publisher,
//! `MentionTimeDate` as `dcterms:issued`, `MentionDocTone`) reporting the event: a statement
//! of that document on the event's occurrence (`event a eg:Event`) with the mention's
//! `Confidence`, `SentenceID` and character offsets as qualifiers. A mention says which
//! article reports the event, not which of its roles, so that is the fact it reifies; the
//! publishers behind an event are those of the documents of its statements.
//!
//! Names are matched by `matching.rs`. This module does not read GDELT's master file lists,
//! the GKG, or the translated feed's extra fields beyond keeping the 16 columns' layout.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{NamedNode, QuadRef};

use super::emit::{Provenance, RowQuads, date, integer, terms, text, typed};
use super::matching::NewEntity;
use super::{
    Context, RowError, RowMapper, RowOutcome, cameo, compact_day, compact_time, decimal, holds,
    invalid, optional_decimal, whole,
};
use crate::model::EntityId;
use crate::vocab::eg;

/// The GDELT 2.0 Event codebook's fields, in file order.
const EVENT_FIELDS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The GDELT 2.0 Mentions codebook's fields, in file order.
const MENTION_FIELDS: [&str; 16] = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// The event a `GLOBALEVENTID` names.
pub(crate) fn event_iri(id: u64) -> NamedNode {
    EntityId::from_canonical_name(&format!("GDELT event {id}")).iri()
}

/// The source document at a URL: a uuid v5 of the URL itself, whichever feed names it.
pub(crate) fn document_iri(url: &str) -> NamedNode {
    EntityId::from_canonical_name(url).iri()
}

/// The outlet a URL's host names, as GDELT's `MentionSourceName` does (`www.` dropped).
fn outlet_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

/// A source document's own quads: its types, its URL as label and `schema:url`, its publisher,
/// when it was issued.
pub(crate) fn describe_document(
    row: &mut RowQuads,
    document: &NamedNode,
    url: &str,
    publisher: Option<&NamedNode>,
    issued: Option<&str>,
) {
    row.add(document, rdf::TYPE, eg::SOURCE_DOCUMENT.into_owned());
    row.add(document, rdf::TYPE, terms::NEWS_ARTICLE.into_owned());
    row.add(document, terms::LABEL, text(url));
    row.add(document, terms::SCHEMA_URL, typed(url, xsd::ANY_URI));
    if let Some(publisher) = publisher {
        row.add(document, terms::DC_PUBLISHER, publisher.clone());
        row.add(document, terms::SCHEMA_PUBLISHER, publisher.clone());
    }
    if let Some(issued) = issued {
        row.add(document, terms::DC_ISSUED, typed(issued, xsd::DATE_TIME));
    }
}

/// A field of a row whose length was checked.
fn field(record: &csv::StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or_default().trim()
}

/// Checks the number of fields against the codebook.
fn check_len(record: &csv::StringRecord, expected: usize, codebook: &str) -> Result<(), RowError> {
    if record.len() == expected {
        Ok(())
    } else {
        Err(invalid(
            "row",
            format!(
                "{expected} tab-separated fields expected (the GDELT 2.0 {codebook} codebook), found {}",
                record.len()
            ),
        ))
    }
}

/// The GDELT events reader.
#[derive(Default)]
pub(crate) struct Events;

impl RowMapper for Events {
    fn field_name(&self, index: usize) -> String {
        EVENT_FIELDS
            .get(index)
            .map_or_else(|| format!("field {}", index + 1), |name| (*name).to_owned())
    }

    fn row(
        &mut self,
        record: &csv::StringRecord,
        context: &mut Context<'_, '_>,
    ) -> Result<RowOutcome, RowError> {
        check_len(record, EVENT_FIELDS.len(), "Event")?;
        let f = |index| field(record, index);
        let id: u64 = whole(f(0), "GLOBALEVENTID")?;
        let day = compact_day(f(1), "SQLDATE")?;
        let code = f(26);
        if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "EventCode",
                format!("'{code}' is not a CAMEO event code"),
            ));
        }
        let quad_class: u8 = whole(f(29), "QuadClass")?;
        if !(1..=4).contains(&quad_class) {
            return Err(invalid(
                "QuadClass",
                format!("'{quad_class}' is not 1, 2, 3 or 4"),
            ));
        }
        let goldstein = decimal(f(30), "GoldsteinScale")?;
        let mentions: i64 = whole(f(31), "NumMentions")?;
        let sources: i64 = whole(f(32), "NumSources")?;
        let articles: i64 = whole(f(33), "NumArticles")?;
        let tone = decimal(f(34), "AvgTone")?;
        let latitude = optional_decimal(f(56), "ActionGeo_Lat")?;
        let longitude = optional_decimal(f(57), "ActionGeo_Long")?;
        let (_, added_day) = compact_time(f(59), "DATEADDED")?;
        let url = f(60);
        if url.is_empty() {
            return Err(invalid(
                "SOURCEURL",
                "empty: every event has a source document",
            ));
        }

        let store = context.store;
        let event = event_iri(id);
        let document = document_iri(url);
        if holds(store, QuadRef::new(&event, rdf::TYPE, eg::EVENT, &document))? {
            return Ok(RowOutcome::Unchanged);
        }
        let mut row = RowQuads::new(&document);
        let report = &mut *context.report;
        let publisher = match outlet_of(url) {
            Some(outlet) => {
                context
                    .matcher
                    .resolve(store, &outlet, &NewEntity::Publisher, &mut row, report)?
            }
            None => None,
        };
        describe_document(&mut row, &document, url, publisher.as_ref(), None);
        let mut actor =
            |name: &str, code: &str, country: &str, type_code: &str, row: &mut RowQuads| {
                let class = if !code.is_empty() && code == country && type_code.is_empty() {
                    eg::STATE
                } else {
                    eg::ACTOR
                };
                let code = (!code.is_empty()).then_some(code);
                context
                    .matcher
                    .resolve(store, name, &NewEntity::Actor { class, code }, row, report)
            };
        let actor1 = actor(f(6), f(5), f(7), f(12), &mut row)?;
        let actor2 = actor(f(16), f(15), f(17), f(22), &mut row)?;
        let place = context.matcher.resolve(
            store,
            f(52),
            &NewEntity::Place {
                latitude,
                longitude,
            },
            &mut row,
            report,
        )?;

        let action = cameo::label(code).unwrap_or("Event");
        let names: Vec<&str> = [f(6), f(16)]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
        let label = if names.is_empty() {
            format!("{action} ({day})")
        } else {
            format!("{action}: {} ({day})", names.join(", "))
        };
        row.add(&event, terms::LABEL, text(&label));
        row.add(&event, terms::DC_IDENTIFIER, text(&format!("GDELT {id}")));
        row.add(
            &event,
            terms::GOLDSTEIN_SCALE,
            typed(goldstein, xsd::DECIMAL),
        );
        row.add(&event, terms::AVERAGE_TONE, typed(tone, xsd::DECIMAL));
        row.add(&event, terms::MENTION_COUNT, integer(mentions));
        row.add(&event, terms::SOURCE_COUNT, integer(sources));
        row.add(&event, terms::ARTICLE_COUNT, integer(articles));
        let speakers: Vec<NamedNode> = publisher.into_iter().collect();
        let provenance = Provenance {
            source: &document,
            speakers: &speakers,
            stated_on: Some(&added_day),
            quote: None,
            modality: eg::ASSERTED,
            attribution: Some(eg::PUBLISHER_NARRATION),
        };
        row.statement(
            &event,
            rdf::TYPE,
            eg::EVENT.into_owned(),
            &provenance,
            None,
            &[],
        );
        row.statement(
            &event,
            terms::EVENT_TYPE,
            cameo::concept(code),
            &provenance,
            None,
            &[],
        );
        row.statement(&event, eg::DATE, date(&day), &provenance, None, &[]);
        if let Some(actor1) = actor1 {
            row.statement(&event, eg::AGENT, actor1, &provenance, None, &[]);
        }
        if let Some(actor2) = actor2 {
            row.statement(&event, eg::TARGET, actor2, &provenance, None, &[]);
        }
        if let Some(place) = place {
            row.statement(&event, eg::EVENT_PLACE, place, &provenance, None, &[]);
        }
        context.report.events_created += 1;
        Ok(RowOutcome::Imported(row))
    }
}

/// The GDELT mentions reader.
#[derive(Default)]
pub(crate) struct Mentions;

impl RowMapper for Mentions {
    fn field_name(&self, index: usize) -> String {
        MENTION_FIELDS
            .get(index)
            .map_or_else(|| format!("field {}", index + 1), |name| (*name).to_owned())
    }

    fn row(
        &mut self,
        record: &csv::StringRecord,
        context: &mut Context<'_, '_>,
    ) -> Result<RowOutcome, RowError> {
        check_len(record, MENTION_FIELDS.len(), "Mentions")?;
        let f = |index| field(record, index);
        let id: u64 = whole(f(0), "GLOBALEVENTID")?;
        compact_time(f(1), "EventTimeDate")?;
        let (issued, day) = compact_time(f(2), "MentionTimeDate")?;
        let _: u8 = whole(f(3), "MentionType")?;
        let url = f(5);
        if url.is_empty() {
            return Err(invalid(
                "MentionIdentifier",
                "empty: a mention names its document",
            ));
        }
        let sentence: i64 = whole(f(6), "SentenceID")?;
        let actor1_offset: i64 = whole(f(7), "Actor1CharOffset")?;
        let actor2_offset: i64 = whole(f(8), "Actor2CharOffset")?;
        let action_offset: i64 = whole(f(9), "ActionCharOffset")?;
        let _: u8 = whole(f(10), "InRawText")?;
        let confidence: i64 = whole(f(11), "Confidence")?;
        if !(0..=100).contains(&confidence) {
            return Err(invalid(
                "Confidence",
                format!("'{confidence}' is not a percentage"),
            ));
        }
        let _: u64 = whole(f(12), "MentionDocLen")?;
        let tone = decimal(f(13), "MentionDocTone")?;

        let store = context.store;
        let event = event_iri(id);
        let document = document_iri(url);
        let statement_id = format!("GDELT mention {id} {url}");
        let statement = EntityId::from_canonical_name(&statement_id).iri();
        if holds(
            store,
            QuadRef::new(&statement, rdf::TYPE, eg::STATEMENT, &document),
        )? {
            return Ok(RowOutcome::Unchanged);
        }
        let mut row = RowQuads::new(&document);
        let outlet = match f(4) {
            "" => outlet_of(url),
            name => Some(name.to_owned()),
        };
        let publisher = match outlet {
            Some(outlet) => context.matcher.resolve(
                store,
                &outlet,
                &NewEntity::Publisher,
                &mut row,
                context.report,
            )?,
            None => None,
        };
        describe_document(&mut row, &document, url, publisher.as_ref(), Some(&issued));
        row.add(&document, terms::AVERAGE_TONE, typed(tone, xsd::DECIMAL));
        let speakers: Vec<NamedNode> = publisher.into_iter().collect();
        let provenance = Provenance {
            source: &document,
            speakers: &speakers,
            stated_on: Some(&day),
            quote: None,
            modality: eg::ASSERTED,
            attribution: Some(eg::PUBLISHER_NARRATION),
        };
        row.statement(
            &event,
            rdf::TYPE,
            eg::EVENT.into_owned(),
            &provenance,
            Some(&statement_id),
            &[
                (terms::MENTION_CONFIDENCE, integer(confidence)),
                (terms::SENTENCE_NUMBER, integer(sentence)),
                (terms::ACTOR1_OFFSET, integer(actor1_offset)),
                (terms::ACTOR2_OFFSET, integer(actor2_offset)),
                (terms::ACTION_OFFSET, integer(action_offset)),
            ],
        );
        Ok(RowOutcome::Imported(row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlet_is_the_host_of_its_url_without_www() {
        assert_eq!(
            outlet_of("https://www.BBC.co.uk/news/x?y=1").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            outlet_of("http://example.com:8080/a").as_deref(),
            Some("example.com")
        );
        assert_eq!(outlet_of("").as_deref(), None);
    }

    #[test]
    fn ids_are_stable_and_distinct_per_feed() {
        assert_eq!(event_iri(1), event_iri(1));
        assert_ne!(event_iri(1), event_iri(2));
        assert_eq!(
            document_iri("https://example.com/a"),
            EntityId::from_canonical_name("https://example.com/a").iri()
        );
    }
}
