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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

/// Whether `text` is a calendar day written `YYYY-MM-DD` (`xsd:date` without a time zone):
/// the one date rule of the REST API, the exports and the CLI.
pub fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = &text[range];
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The day a date or date-time literal's first ten characters name (`YYYY-MM-DD`, as
/// [`is_day`] checks them), as days since 1970-01-01: how the projection holds the dates that
/// provenance filters compare. `None` when the text does not start with a calendar day.
pub fn day_number(text: &str) -> Option<i32> {
    let day = text.get(..10)?;
    if !is_day(day) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| day[range].parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    // Howard Hinnant's days_from_civil, for the proleptic Gregorian calendar.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// The civil date of a number of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A day number (days since 1970-01-01, as [`day_number`] reads them) as `YYYY-MM-DD`.
pub fn day_text(day: i32) -> String {
    let (year, month, date) = civil_from_days(i64::from(day));
    format!("{year:04}-{month:02}-{date:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_numbers_count_days_since_1970() {
        assert_eq!(super::day_number("1970-01-01"), Some(0));
        assert_eq!(super::day_number("2023-10-31"), Some(19_661));
        assert_eq!(super::day_number("2023-10-31T12:00:00Z"), Some(19_661));
        assert_eq!(super::day_number("2024-03-01"), Some(19_783));
        assert_eq!(super::day_number("1969-12-31"), Some(-1));
        for text in [
            "1970-01-01",
            "2023-10-31",
            "2024-02-29",
            "1969-12-31",
            "2149-06-04",
        ] {
            let day = super::day_number(text).unwrap();
            assert_eq!(super::day_text(day), text, "day {day} reads back");
        }
        assert_eq!(super::day_number("2023-02-30"), None);
        assert_eq!(super::day_number("2023"), None);
    }

    #[test]
    fn days_are_calendar_days() {
        for good in ["2023-10-07", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_day(good), "{good}");
        }
        for bad in [
            "2023-13-45",
            "2023-02-29",
            "1900-02-29",
            "2023-04-31",
            "2023-10-7",
            "2023/10/07",
            "2023-1a-07",
            "",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }

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
