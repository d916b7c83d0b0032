//! The provenance filter parameters that `relations`, `neighborhood`, `paths`, `rankings` and
//! `export` share: read once from the query string (they repeat, which the endpoints' own
//! `web::Query` structs cannot hold), checked, and resolved into a
//! `graph::provenance::EvidenceFilter` whose names are IRIs. What passes is the graph
//! module's to decide; this module only reads and names the parameters.

use oxigraph::model::NamedNode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::problem::ApiError;
use crate::catalog::StatementRecord;
use crate::graph::provenance::StatementProvenance;
use crate::graph::{EvidenceFilter, Projection};
use crate::read_models::{ReadView, ResolveError};
use crate::store::Store;
use crate::vocab;

/// The provenance filter parameters, combined with AND. A relation passes when at least one
/// of its statements passes every per-statement condition (`said_by`, `source`,
/// `exclude_source`, `modality`, `as_of`) and those statements meet `min_sources` and
/// `confirmed`. A relation with no statement behind it (plain RDF loaded without provenance)
/// fails every provenance condition; only `event_from` / `event_to`, about the events' own
/// days, let it pass.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProvenanceRequest {
    /// Only statements by this speaker (uuid, label, alias or IRI); repeatable, any of them.
    said_by: Option<Vec<String>>,
    /// Only statements from this source document or from documents of this publisher (uuid,
    /// label, alias or IRI); repeatable, any of them.
    source: Option<Vec<String>>,
    /// No statement from this source document nor from documents of this publisher;
    /// repeatable.
    exclude_source: Option<Vec<String>>,
    /// Only relations whose passing statements come from at least this many distinct
    /// publishers (a document without publisher counts as its own), 1 to 1000.
    #[param(minimum = 1, maximum = 1000)]
    min_sources: Option<usize>,
    /// `true`: only relations with a passing statement that is confirmed (`eg:confirmedBy`)
    /// or is a confirmation (`eg:confirms`).
    confirmed: Option<bool>,
    /// Only statements with this modality (`Asserted`, `Possible` or `Denied`; the IRI is
    /// accepted too); repeatable, any of them.
    #[param(value_type = Option<Vec<ModalityName>>)]
    modality: Option<Vec<String>>,
    /// Only statements made on or before this day (`YYYY-MM-DD`): `eg:statedOn`, else
    /// `eg:statedNotAfter`; an undated statement fails. The graph as it was known then.
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// Only relations whose dated events (`eg:date`, else `eg:notBefore`/`eg:notAfter`) can
    /// have happened on or after this day (`YYYY-MM-DD`); undated events pass.
    #[param(value_type = Option<String>, format = Date)]
    event_from: Option<String>,
    /// Only relations whose dated events can have happened on or before this day
    /// (`YYYY-MM-DD`); undated events pass.
    #[param(value_type = Option<String>, format = Date)]
    event_to: Option<String>,
}

/// The modalities of the ontology, by their local names (for the OpenAPI document).
#[derive(Debug, Clone, Copy, utoipa::ToSchema)]
pub enum ModalityName {
    /// `eg:Asserted`: stated as fact.
    Asserted,
    /// `eg:Possible`: stated as a possibility.
    Possible,
    /// `eg:Denied`: denied by its speaker.
    Denied,
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::InvalidParameter {
        field: field.to_owned(),
        message,
    }
}

fn once(slot: &mut Option<String>, field: &str, value: String) -> Result<(), ApiError> {
    if slot.replace(value).is_some() {
        return Err(invalid(field, format!("give {field} once")));
    }
    Ok(())
}

impl ProvenanceRequest {
    /// Reads the filter parameters of a query string, ignoring the others; empty values count
    /// as absent, but for the days, which must be dates when given.
    ///
    /// # Errors
    /// [`ApiError::InvalidParameter`] naming the parameter: a number, flag or day that does
    /// not read, or a single-valued parameter given twice.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let mut request = Self::default();
        let (mut min_sources, mut confirmed) = (None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_owned();
            let key = key.as_ref();
            if value.is_empty() {
                if ["as_of", "event_from", "event_to"].contains(&key) {
                    return Err(invalid(
                        key,
                        "an empty value is not a date written YYYY-MM-DD".into(),
                    ));
                }
                continue;
            }
            match key {
                "said_by" => request.said_by.get_or_insert_default().push(value),
                "source" => request.source.get_or_insert_default().push(value),
                "exclude_source" => request.exclude_source.get_or_insert_default().push(value),
                "modality" => request.modality.get_or_insert_default().push(value),
                "min_sources" => once(&mut min_sources, key, value)?,
                "confirmed" => once(&mut confirmed, key, value)?,
                "as_of" => once(&mut request.as_of, key, value)?,
                "event_from" => once(&mut request.event_from, key, value)?,
                "event_to" => once(&mut request.event_to, key, value)?,
                _ => {}
            }
        }
        if let Some(text) = min_sources {
            let n: usize = text
                .parse()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "min_sources",
                        format!("'{text}' is not a whole number between 1 and 1000"),
                    )
                })?;
            request.min_sources = Some(n);
        }
        if let Some(text) = confirmed {
            request.confirmed = Some(match text.as_str() {
                "true" | "1" => true,
                "false" | "0" => false,
                other => {
                    return Err(invalid(
                        "confirmed",
                        format!("'{other}' is not true or false"),
                    ));
                }
            });
        }
        Ok(request)
    }

    /// Whether no filter parameter was given.
    pub fn is_empty(&self) -> bool {
        self.said_by.is_none()
            && self.source.is_none()
            && self.exclude_source.is_none()
            && self.min_sources.is_none()
            && self.confirmed.is_none()
            && self.modality.is_none()
            && self.as_of.is_none()
            && self.event_from.is_none()
            && self.event_to.is_none()
    }

    /// Checks the days and modalities and resolves the names to IRIs.
    ///
    /// # Errors
    /// [`ApiError::InvalidParameter`] for a day or modality that does not read,
    /// [`ApiError::UnknownEntityIn`] for a name that names nothing, [`ApiError::Ambiguous`]
    /// for a name of several entities.
    pub fn resolve(&self, store: &Store, read: &ReadView) -> Result<EvidenceFilter, ApiError> {
        let day = |field: &'static str, value: &Option<String>| -> Result<Option<i32>, ApiError> {
            value
                .as_deref()
                .map(|text| {
                    crate::model::day_number(text)
                        .filter(|_| crate::model::is_day(text))
                        .ok_or_else(|| {
                            invalid(field, format!("'{text}' is not a date written YYYY-MM-DD"))
                        })
                })
                .transpose()
        };
        let names = |field: &'static str, values: &Option<Vec<String>>| {
            values
                .iter()
                .flatten()
                .map(|key| resolve_name(store, read, field, key))
                .collect::<Result<Vec<NamedNode>, ApiError>>()
        };
        let modalities = self
            .modality
            .iter()
            .flatten()
            .map(|name| modality(name))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(EvidenceFilter::default()
            .with_said_by(names("said_by", &self.said_by)?)
            .with_sources(names("source", &self.source)?)
            .with_excluded_sources(names("exclude_source", &self.exclude_source)?)
            .with_min_sources(self.min_sources)
            .with_confirmed(self.confirmed.unwrap_or(false))
            .with_modalities(modalities)
            .with_as_of(day("as_of", &self.as_of)?)
            .with_event_window(
                day("event_from", &self.event_from)?,
                day("event_to", &self.event_to)?,
            ))
    }
}

/// Whether a statement, as the catalog reads it, passes the per-statement conditions of
/// `filter` (`EvidenceFilter::admits`): what a filtered path step or claims list shows. The
/// publishers of its documents are those the projection's evidence tables hold.
pub fn admits(filter: &EvidenceFilter, projection: &Projection, record: &StatementRecord) -> bool {
    if !filter.asks_of_statements() {
        return true;
    }
    let iris = |labelled: &[crate::catalog::Labelled]| -> Vec<NamedNode> {
        labelled
            .iter()
            .filter_map(|l| NamedNode::new(&l.iri).ok())
            .collect()
    };
    let sources = iris(&record.sources);
    let publishers: Vec<NamedNode> = sources
        .iter()
        .filter_map(|document| {
            let source = projection.source_id(document.as_ref())?;
            let publisher = projection.publisher_of_source(source)?;
            NamedNode::new(projection.agent_iri(publisher).as_str()).ok()
        })
        .collect();
    let speakers = iris(&record.speakers);
    let modality = record.qualifiers.iter().find_map(|q| {
        if q.predicate.iri != vocab::eg::MODALITY.as_str() {
            return None;
        }
        match &q.value {
            crate::catalog::Value::Resource(m) => NamedNode::new(&m.iri).ok(),
            crate::catalog::Value::Literal(_) => None,
        }
    });
    let day = record
        .date
        .as_deref()
        .or(record.date_not_after.as_deref())
        .and_then(crate::model::day_number);
    filter.admits(&StatementProvenance {
        sources: &sources,
        publishers: &publishers,
        speakers: &speakers,
        modality: modality.as_ref(),
        day,
    })
}

/// A speaker, document or publisher: an absolute IRI as it is, else a uuid, label or alias.
fn resolve_name(
    store: &Store,
    read: &ReadView,
    field: &'static str,
    key: &str,
) -> Result<NamedNode, ApiError> {
    if key.contains("://")
        && let Ok(iri) = NamedNode::new(key)
    {
        return Ok(iri);
    }
    read.resolve(store, key).map_err(|error| match error {
        ResolveError::Unknown { key } => ApiError::UnknownEntityIn { field, key },
        other => other.into(),
    })
}

/// A modality: `Asserted`, `Possible`, or their IRIs.
fn modality(name: &str) -> Result<NamedNode, ApiError> {
    let known = [vocab::eg::ASSERTED, vocab::eg::POSSIBLE, vocab::eg::DENIED];
    vocab::term(name)
        .ok()
        .filter(|iri| known.contains(&iri.as_ref()))
        .ok_or_else(|| {
            invalid(
                "modality",
                format!("'{name}' is not a modality of the ontology (Asserted, Possible, Denied)"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_repeat_and_bad_values_name_their_parameter() {
        let request =
            ProvenanceRequest::parse("said_by=a&said_by=b&min_sources=2&confirmed=true&depth=3")
                .unwrap();
        assert_eq!(request.said_by, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(request.min_sources, Some(2));
        assert_eq!(request.confirmed, Some(true));
        assert!(ProvenanceRequest::parse("depth=2").unwrap().is_empty());
        for (query, field) in [
            ("min_sources=0", "min_sources"),
            ("min_sources=two", "min_sources"),
            ("confirmed=yes", "confirmed"),
            ("as_of=2023-10-01&as_of=2023-10-02", "as_of"),
        ] {
            match ProvenanceRequest::parse(query) {
                Err(ApiError::InvalidParameter { field: named, .. }) => {
                    assert_eq!(named, field, "{query}");
                }
                other => panic!("{query}: {other:?}"),
            }
        }
        assert!(modality("Asserted").is_ok());
        assert!(modality("Certain").is_err());
    }
}
