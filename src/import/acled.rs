//! ACLED's CSV export: rows with the codebook's header, mapped onto the ontology, each
//! version of an event its own source document.
//!
//! Each row is an `eg:Event` named by a uuid v5 of `event_id_cnty`, described in the graph of
//! a source document for this version of the record (a uuid v5 of `event_id_cnty` and
//! `timestamp`), whose publishers are the outlets of `source` (split on `;`), who are the
//! speakers of its statements; `notes` is their quote. The event has `event_type` and
//! `sub_event_type` as concepts (`eg:eventType`, the sub-type narrower than the type), its
//! date at its `time_precision` (1: `eg:date`; 2: within six days of `event_date`; 3: within
//! its month, as `eg:notBefore`/`eg:notAfter`; the precision is kept as `eg:timePrecision`),
//! `actor1` as `eg:agent`, `actor2` as `eg:target` for violence against civilians and
//! `eg:counterpart` otherwise, the associated actors as `eg:participant`, and `location` (new
//! places with `latitude`/`longitude`) as `eg:place` with `geo_precision` kept. `fatalities` is
//! a reported figure, as the seed's are: an `eg:CasualtyReport` by the sources, concerning the
//! event, whose `eg:deathToll` is an `eg:Quantity` hedged as the notes word it ("at least",
//! "up to", "about"; exact otherwise), its statement `eg:Possible` when the notes say
//! "reportedly" or "unconfirmed".
//!
//! **Revisions.** ACLED re-issues a row with a newer `timestamp` when it corrects it. The
//! newest version wins: a row older than the version the store (or the file) holds is left
//! out, one as new as it is unchanged, and a newer one is written while the older version's
//! direct triples about the event (its subject quads in the old graph) are removed. The old
//! graph keeps its document, its statement nodes, its report and figure as history, and the
//! new document says `prov:wasRevisionOf` it: the event reads as the newest version says, and
//! what the older one said stays queryable with its provenance.
//!
//! This module does not read ACLED's API, nor the columns it does not map (`inter1`,
//! `interaction`, `iso`, `region`, `admin1`-`admin3`, `tags`, `source_scale`, ...).

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{NamedNode, NamedNodeRef, Term};
use rustc_hash::FxHashMap;

use super::emit::{Provenance, RowQuads, date, integer, terms, text, typed};
use super::matching::NewEntity;
use super::{Context, RowError, RowMapper, RowOutcome, decimal, invalid, whole};
use crate::model::EntityId;
use crate::vocab::eg;

/// The namespace of ACLED's event types and sub-types as concepts; also the scheme's IRI.
pub const NAMESPACE: &str = "https://w3id.org/eventgraph/acled/";

/// The columns the mapping reads; an export without one of them is refused at its header.
const REQUIRED: [&str; 16] = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
];

/// Columns read when the export has them.
const OPTIONAL: [&str; 2] = ["assoc_actor_1", "assoc_actor_2"];

/// The ACLED reader: the header's column positions, and the version of each event seen.
#[derive(Default)]
pub(crate) struct Acled {
    /// Column name → position, from the header.
    columns: FxHashMap<String, usize>,
    /// The header's names by position, for messages.
    names: Vec<String>,
    /// Each event of this file → the newest version's timestamp and document: a revision
    /// within the file replaces the older row as one in the store does.
    versions: FxHashMap<EntityId, (i64, NamedNode)>,
}

impl Acled {
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&index| record.get(index))
            .unwrap_or_default()
            .trim()
    }
}

impl RowMapper for Acled {
    fn field_name(&self, index: usize) -> String {
        self.names
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1))
    }

    fn header(&mut self, header: &csv::StringRecord) -> Result<(), RowError> {
        // A spreadsheet's export may open with a byte order mark.
        self.names = header
            .iter()
            .map(|name| name.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        self.columns = self
            .names
            .iter()
            .enumerate()
            .map(|(index, name)| (name.clone(), index))
            .collect();
        match REQUIRED
            .iter()
            .find(|name| !self.columns.contains_key(**name))
        {
            Some(missing) => Err(invalid(
                missing,
                format!("the header has no column '{missing}' (the ACLED codebook's)"),
            )),
            None => Ok(()),
        }
    }

    fn row(
        &mut self,
        record: &csv::StringRecord,
        context: &mut Context<'_, '_>,
    ) -> Result<RowOutcome, RowError> {
        if record.len() != self.names.len() {
            return Err(invalid(
                "row",
                format!(
                    "{} comma-separated fields expected (as in the header), found {}",
                    self.names.len(),
                    record.len()
                ),
            ));
        }
        let f = |column: &str| self.get(record, column);
        let id = f("event_id_cnty");
        if id.is_empty() {
            return Err(invalid(
                "event_id_cnty",
                "empty: every ACLED event has an id",
            ));
        }
        let day = acled_day(f("event_date"))?;
        let time_precision: u8 = whole(f("time_precision"), "time_precision")?;
        if !(1..=3).contains(&time_precision) {
            return Err(invalid(
                "time_precision",
                format!("'{time_precision}' is not 1, 2 or 3"),
            ));
        }
        let event_type = f("event_type");
        if event_type.is_empty() {
            return Err(invalid("event_type", "empty"));
        }
        let sub_event_type = f("sub_event_type");
        let latitude = decimal(f("latitude"), "latitude")?;
        let longitude = decimal(f("longitude"), "longitude")?;
        let geo_precision: u8 = whole(f("geo_precision"), "geo_precision")?;
        if !(1..=3).contains(&geo_precision) {
            return Err(invalid(
                "geo_precision",
                format!("'{geo_precision}' is not 1, 2 or 3"),
            ));
        }
        let fatalities: i64 = whole(f("fatalities"), "fatalities")?;
        if fatalities < 0 {
            return Err(invalid("fatalities", "a count cannot be negative"));
        }
        let timestamp: i64 = whole(f("timestamp"), "timestamp")?;
        let (modified, stated_day) = unix_time(timestamp)
            .ok_or_else(|| invalid("timestamp", format!("'{timestamp}' is out of range")))?;
        let bounds = match time_precision {
            1 => None,
            2 => Some((shift(&day, -6), shift(&day, 6))),
            _ => Some(month_of(&day)),
        };

        // Which version wins.
        let store = context.store;
        let event_id = EntityId::from_canonical_name(&format!("ACLED event {id}"));
        let event = event_id.iri();
        let document =
            EntityId::from_canonical_name(&format!("ACLED event {id} version {timestamp}")).iri();
        let mut older: Vec<(i64, NamedNode)> = Vec::new();
        for quad in store.oxigraph().quads_for_pattern(
            Some(event.as_ref().into()),
            Some(terms::REVISION_TIMESTAMP),
            None,
            None,
        ) {
            let quad = quad?;
            let version = match &quad.object {
                Term::Literal(literal) => literal.value().parse::<i64>().ok(),
                _ => None,
            };
            if let (Some(version), oxigraph::model::GraphName::NamedNode(graph)) =
                (version, quad.graph_name)
            {
                older.push((version, graph));
            }
        }
        if let Some((version, graph)) = self.versions.get(&event_id) {
            older.push((*version, graph.clone()));
        }
        if older.iter().any(|(version, _)| *version == timestamp) {
            return Ok(RowOutcome::Unchanged);
        }
        if older.iter().any(|(version, _)| *version > timestamp) {
            return Ok(RowOutcome::Superseded);
        }
        older.sort_by_key(|(version, _)| *version);
        older.dedup();
        let revised = older.last().map(|(_, graph)| graph.clone());
        for (version, graph) in &older {
            // The older version's direct triples: those about the event and about its
            // casualty report. Its document, statements and figure stay as history.
            context.strips.push((event.clone(), graph.clone()));
            context
                .strips
                .push((report_iri(id, *version), graph.clone()));
        }

        let mut row = RowQuads::new(&document);
        let report = &mut *context.report;
        let mut sources = Vec::new();
        for name in f("source").split(';') {
            if let Some(source) =
                context
                    .matcher
                    .resolve(store, name, &NewEntity::Publisher, &mut row, report)?
            {
                if !sources.contains(&source) {
                    sources.push(source);
                }
            }
        }
        let acled = context.matcher.resolve(
            store,
            "ACLED",
            &NewEntity::Actor {
                class: eg::ORGANISATION,
                code: None,
            },
            &mut row,
            report,
        )?;
        let actor = || NewEntity::Actor {
            class: eg::ACTOR,
            code: None,
        };
        let actor1 = context
            .matcher
            .resolve(store, f("actor1"), &actor(), &mut row, report)?;
        let actor2 = context
            .matcher
            .resolve(store, f("actor2"), &actor(), &mut row, report)?;
        let mut associated = Vec::new();
        for column in OPTIONAL {
            for name in f(column).split(';') {
                if let Some(entity) =
                    context
                        .matcher
                        .resolve(store, name, &actor(), &mut row, report)?
                {
                    associated.push(entity);
                }
            }
        }
        let place = context.matcher.resolve(
            store,
            f("location"),
            &NewEntity::Place {
                latitude: Some(latitude),
                longitude: Some(longitude),
            },
            &mut row,
            report,
        )?;

        // The document: this version of the record.
        row.add(&document, rdf::TYPE, eg::SOURCE_DOCUMENT.into_owned());
        row.add(&document, rdf::TYPE, terms::DATASET.into_owned());
        row.add(
            &document,
            terms::LABEL,
            text(&format!("ACLED event {id}, version of {modified}")),
        );
        row.add(&document, terms::DC_IDENTIFIER, text(id));
        row.add(
            &document,
            terms::DC_MODIFIED,
            typed(&modified, xsd::DATE_TIME),
        );
        if let Some(acled) = &acled {
            row.add(&document, terms::DC_CREATOR, acled.clone());
        }
        for source in &sources {
            row.add(&document, terms::DC_PUBLISHER, source.clone());
            row.add(&document, terms::SCHEMA_PUBLISHER, source.clone());
        }
        if let Some(revised) = &revised {
            row.add(&document, terms::WAS_REVISION_OF, revised.clone());
        }

        // The concepts.
        let scheme = NamedNode::new_unchecked(NAMESPACE);
        row.add(&scheme, rdf::TYPE, terms::SKOS_CONCEPT_SCHEME.into_owned());
        row.add(&scheme, terms::LABEL, text("ACLED event types"));
        let type_concept = concept(&mut row, &scheme, event_type, None);
        let sub_concept = (!sub_event_type.is_empty())
            .then(|| concept(&mut row, &scheme, sub_event_type, Some(&type_concept)));

        // The event.
        let names: Vec<&str> = [f("actor1"), f("actor2")]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
        let kind = if sub_event_type.is_empty() {
            event_type
        } else {
            sub_event_type
        };
        let label = format!(
            "{kind}: {} in {} ({day})",
            if names.is_empty() {
                "unidentified actors".to_owned()
            } else {
                names.join(" and ")
            },
            f("location")
        );
        row.add(&event, terms::LABEL, text(&label));
        row.add(&event, terms::DC_IDENTIFIER, text(id));
        row.add(
            &event,
            terms::TIME_PRECISION,
            integer(i64::from(time_precision)),
        );
        row.add(
            &event,
            terms::GEO_PRECISION,
            integer(i64::from(geo_precision)),
        );
        row.add(&event, terms::REVISION_TIMESTAMP, integer(timestamp));
        let notes = f("notes");
        let provenance = Provenance {
            source: &document,
            speakers: &sources,
            stated_on: Some(&stated_day),
            quote: Some(notes),
            modality: eg::ASSERTED,
            attribution: Some(eg::ATTRIBUTED_IN_TEXT),
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
            type_concept,
            &provenance,
            None,
            &[],
        );
        if let Some(sub_concept) = sub_concept {
            row.statement(
                &event,
                terms::EVENT_TYPE,
                sub_concept,
                &provenance,
                None,
                &[],
            );
        }
        match &bounds {
            None => {
                row.statement(&event, eg::DATE, date(&day), &provenance, None, &[]);
            }
            Some((from, to)) => {
                row.statement(&event, eg::NOT_BEFORE, date(from), &provenance, None, &[]);
                row.statement(&event, eg::NOT_AFTER, date(to), &provenance, None, &[]);
            }
        }
        if let Some(actor1) = &actor1 {
            row.statement(&event, eg::AGENT, actor1.clone(), &provenance, None, &[]);
        }
        if let Some(actor2) = &actor2 {
            let role = if event_type.eq_ignore_ascii_case("Violence against civilians") {
                eg::TARGET
            } else {
                eg::COUNTERPART
            };
            row.statement(&event, role, actor2.clone(), &provenance, None, &[]);
        }
        for entity in &associated {
            row.statement(
                &event,
                eg::PARTICIPANT,
                entity.clone(),
                &provenance,
                None,
                &[],
            );
        }
        if let Some(place) = &place {
            row.statement(
                &event,
                eg::EVENT_PLACE,
                place.clone(),
                &provenance,
                None,
                &[],
            );
        }

        // The fatalities, as the sources report them.
        let report_node = report_iri(id, timestamp);
        let quantity =
            EntityId::from_canonical_name(&format!("ACLED fatalities {id} version {timestamp}"))
                .iri();
        let (hedge, hedge_word) = hedge_of(notes);
        let possible = ["reportedly", "unconfirmed", "allegedly"]
            .iter()
            .any(|word| notes.to_lowercase().contains(word));
        row.add(
            &report_node,
            terms::LABEL,
            text(&format!("Fatalities reported for {label}")),
        );
        row.add(&quantity, rdf::TYPE, eg::QUANTITY.into_owned());
        row.add(
            &quantity,
            terms::LABEL,
            text(&format!("Fatalities of {label}: {fatalities}")),
        );
        row.add(&quantity, terms::VALUE, integer(fatalities));
        row.add(&quantity, terms::PRINTED_AS, text(&fatalities.to_string()));
        row.add(&quantity, terms::COUNT_OF, text("fatalities"));
        row.add(&quantity, terms::HEDGE, hedge.into_owned());
        if let Some(word) = hedge_word {
            row.add(&quantity, terms::HEDGE_WORD, text(word));
        }
        row.statement(
            &report_node,
            rdf::TYPE,
            terms::CASUALTY_REPORT.into_owned(),
            &provenance,
            None,
            &[],
        );
        row.statement(
            &report_node,
            terms::CONCERNS,
            event.clone(),
            &provenance,
            None,
            &[],
        );
        for source in &sources {
            row.statement(
                &report_node,
                eg::AGENT,
                source.clone(),
                &provenance,
                None,
                &[],
            );
        }
        if let Some(place) = &place {
            row.statement(
                &report_node,
                eg::EVENT_PLACE,
                place.clone(),
                &provenance,
                None,
                &[],
            );
        }
        let figure = Provenance {
            modality: if possible { eg::POSSIBLE } else { eg::ASSERTED },
            ..provenance
        };
        row.statement(
            &report_node,
            terms::DEATH_TOLL,
            quantity,
            &figure,
            None,
            &[],
        );

        self.versions.insert(event_id, (timestamp, document));
        if revised.is_some() {
            context.report.events_revised += 1;
        } else {
            context.report.events_created += 1;
        }
        Ok(RowOutcome::Imported(row))
    }
}

/// The casualty report of one version of an ACLED event.
fn report_iri(id: &str, timestamp: i64) -> NamedNode {
    EntityId::from_canonical_name(&format!("ACLED fatalities report {id} version {timestamp}"))
        .iri()
}

/// The concept of an ACLED event type (or of a sub-type, narrower than its type), its quads in
/// the row's graph.
fn concept(
    row: &mut RowQuads,
    scheme: &NamedNode,
    label: &str,
    broader: Option<&NamedNode>,
) -> NamedNode {
    let slug: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let concept = NamedNode::new_unchecked(format!("{NAMESPACE}{slug}"));
    row.add(&concept, rdf::TYPE, terms::SKOS_CONCEPT.into_owned());
    row.add(&concept, terms::SKOS_IN_SCHEME, scheme.clone());
    row.add(&concept, terms::SKOS_PREF_LABEL, text(label));
    row.add(&concept, terms::LABEL, text(label));
    if let Some(broader) = broader {
        row.add(&concept, terms::SKOS_BROADER, broader.clone());
    }
    concept
}

/// The hedge the notes put on the figure, and the word that says so.
fn hedge_of(notes: &str) -> (NamedNodeRef<'static>, Option<&'static str>) {
    let words: String = notes
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let padded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let found = |phrases: &[&'static str]| {
        phrases
            .iter()
            .copied()
            .find(|p| padded.contains(&format!(" {p} ")))
    };
    if let Some(word) = found(&["at least", "more than", "over", "upwards of"]) {
        (terms::LOWER_BOUND, Some(word))
    } else if let Some(word) = found(&["up to", "as many as", "at most"]) {
        (terms::UPPER_BOUND, Some(word))
    } else if let Some(word) = found(&[
        "about",
        "around",
        "approximately",
        "an estimated",
        "roughly",
        "some",
    ]) {
        (terms::APPROXIMATE, Some(word))
    } else {
        (terms::EXACT, None)
    }
}

/// `event_date` as ACLED exports write it (`2023-10-07`, or `07 October 2023`), as `YYYY-MM-DD`.
fn acled_day(value: &str) -> Result<String, RowError> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let value = value.trim();
    let day = if crate::model::is_day(value) {
        Some(value.to_owned())
    } else {
        let parts: Vec<&str> = value.split_whitespace().collect();
        match parts.as_slice() {
            [day, month, year] => {
                let month = MONTHS.iter().position(|m| {
                    m.eq_ignore_ascii_case(month) || m[..3].eq_ignore_ascii_case(month)
                });
                match (day.parse::<u32>(), month, year.parse::<u32>()) {
                    (Ok(day), Some(month), Ok(year)) => {
                        Some(format!("{year:04}-{:02}-{day:02}", month + 1))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
        .filter(|day| crate::model::is_day(day))
    };
    day.ok_or_else(|| {
        invalid(
            "event_date",
            format!("'{value}' is not a date (YYYY-MM-DD or 'DD Month YYYY')"),
        )
    })
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The parts of a `YYYY-MM-DD` checked by [`acled_day`].
fn parts(day: &str) -> (i64, i64, i64) {
    let number =
        |range: std::ops::Range<usize>| day.get(range).and_then(|s| s.parse().ok()).unwrap_or(1);
    (number(0..4), number(5..7), number(8..10))
}

/// `day` moved by `by` days.
fn shift(day: &str, by: i64) -> String {
    let (year, month, date) = parts(day);
    let (year, month, date) =
        crate::model::civil_from_days(days_from_civil(year, month, date) + by);
    format!("{year:04}-{month:02}-{date:02}")
}

/// The first and last day of the month of `day`.
fn month_of(day: &str) -> (String, String) {
    let (year, month, _) = parts(day);
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let last = crate::model::civil_from_days(days_from_civil(next_year, next_month, 1) - 1);
    (
        format!("{year:04}-{month:02}-01"),
        format!("{:04}-{:02}-{:02}", last.0, last.1, last.2),
    )
}

/// A Unix time as an `xsd:dateTime` lexical form (UTC), with its day.
fn unix_time(seconds: i64) -> Option<(String, String)> {
    if !(0..=253_402_300_799).contains(&seconds) {
        return None;
    }
    let (year, month, day) = crate::model::civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    let day = format!("{year:04}-{month:02}-{day:02}");
    Some((
        format!(
            "{day}T{:02}:{:02}:{:02}Z",
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        ),
        day,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_both_of_acleds_layouts() {
        assert_eq!(acled_day("2023-10-07").unwrap(), "2023-10-07");
        assert_eq!(acled_day("07 October 2023").unwrap(), "2023-10-07");
        assert_eq!(acled_day("7 Oct 2023").unwrap(), "2023-10-07");
        assert!(acled_day("31 February 2023").is_err());
        assert!(acled_day("yesterday").is_err());
    }

    #[test]
    fn precision_bounds_and_unix_times_are_calendar_arithmetic() {
        assert_eq!(shift("2024-03-01", -1), "2024-02-29");
        assert_eq!(shift("2023-12-28", 6), "2024-01-03");
        assert_eq!(
            month_of("2024-02-10"),
            ("2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(
            month_of("2023-12-31"),
            ("2023-12-01".into(), "2023-12-31".into())
        );
        assert_eq!(
            unix_time(1_698_710_400).unwrap(),
            ("2023-10-31T00:00:00Z".into(), "2023-10-31".into())
        );
        assert!(unix_time(-1).is_none());
    }

    #[test]
    fn hedges_come_from_the_words_of_the_notes() {
        assert_eq!(
            hedge_of("At least 12 people were killed."),
            (terms::LOWER_BOUND, Some("at least"))
        );
        assert_eq!(
            hedge_of("Up to 5 killed"),
            (terms::UPPER_BOUND, Some("up to"))
        );
        assert_eq!(
            hedge_of("around 30 dead"),
            (terms::APPROXIMATE, Some("around"))
        );
        assert_eq!(hedge_of("3 killed overnight"), (terms::EXACT, None));
    }
}
