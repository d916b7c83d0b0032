//! Provenance filters on traversals: which edges a traversal may walk, judged from the
//! evidence the projection holds for each edge (its statements' source, publisher, speaker,
//! day, modality and confirmations) and from the days of the events it joins.
//!
//! An [`EvidenceFilter`] is what a request asks, by IRIs and days; [`Projection::edge_test`]
//! resolves it once against the projection's ids into an [`EdgeTest`], which traversals call
//! per edge (`AdjacencyView::with_test`, `PredicateFilter`). Conditions combine with AND:
//!
//! - per statement: `said_by` (its speaker is one of these), `source` (its document, or the
//!   document's publisher, is one of these), `exclude_source` (neither is), `modality` (it
//!   has one of these), `as_of` (it was made on or before this day: `eg:statedOn`, else
//!   `eg:statedNotAfter`; an undated statement fails);
//! - per edge, over the statements that passed: at least one passed, at least
//!   `min_sources` distinct publishers among them (a document without publisher counts as its
//!   own), and with `confirmed`, one of them is confirmed or a confirmation;
//! - `event_from` / `event_to`: every dated event the edge joins can fall inside the window
//!   (as export windows judge it: an undated event is inside every window). This one is not a
//!   provenance condition: it holds for edges without statements too.
//!
//! An edge with no statement behind it (plain RDF loaded without provenance) passes only when
//! no provenance condition is asked. The test reads only memory: one read of the per-edge
//! digest (`evidence_summary`: earliest day, confirmed) for `as_of` alone or `confirmed`
//! alone, and to reject early what those cannot pass; else O(statements of the edge).

use oxigraph::model::NamedNode;
use petgraph::stable_graph::EdgeIndex;

use super::contested::{Backer, backer};
use super::{Evidence, Projection};

/// The provenance conditions of a request, by IRIs and days (days since 1970-01-01, as
/// `model::day_number` reads them); empty lists and `None` ask nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceFilter {
    said_by: Vec<NamedNode>,
    sources: Vec<NamedNode>,
    excluded_sources: Vec<NamedNode>,
    min_sources: Option<usize>,
    confirmed: bool,
    modalities: Vec<NamedNode>,
    as_of: Option<i32>,
    /// Only edges with a passing statement made on or after this day: not a request
    /// parameter, but the threshold of the best-supported path search by recency
    /// (`graph::best_paths`). A per-edge condition: it leaves the statements `min_sources`
    /// and `confirmed` count alone.
    reported_since: Option<i32>,
    event_from: Option<i32>,
    event_to: Option<i32>,
}

impl EvidenceFilter {
    /// Only statements by one of these speakers.
    #[must_use]
    pub fn with_said_by(mut self, speakers: Vec<NamedNode>) -> Self {
        self.said_by = speakers;
        self
    }

    /// Only statements from one of these source documents, or documents of these publishers.
    #[must_use]
    pub fn with_sources(mut self, sources: Vec<NamedNode>) -> Self {
        self.sources = sources;
        self
    }

    /// No statement from these source documents, nor from documents of these publishers.
    #[must_use]
    pub fn with_excluded_sources(mut self, sources: Vec<NamedNode>) -> Self {
        self.excluded_sources = sources;
        self
    }

    /// Edges whose passing statements come from at least this many distinct publishers.
    #[must_use]
    pub fn with_min_sources(mut self, min_sources: Option<usize>) -> Self {
        self.min_sources = min_sources;
        self
    }

    /// Edges with a passing statement that is confirmed or a confirmation.
    #[must_use]
    pub fn with_confirmed(mut self, confirmed: bool) -> Self {
        self.confirmed = confirmed;
        self
    }

    /// Only statements with one of these modalities (`eg:Asserted`, `eg:Possible`).
    #[must_use]
    pub fn with_modalities(mut self, modalities: Vec<NamedNode>) -> Self {
        self.modalities = modalities;
        self
    }

    /// Only statements made on or before this day.
    #[must_use]
    pub fn with_as_of(mut self, day: Option<i32>) -> Self {
        self.as_of = day;
        self
    }

    /// Only edges one of whose passing statements was made on or after this day.
    #[must_use]
    pub fn with_reported_since(mut self, day: Option<i32>) -> Self {
        self.reported_since = day;
        self
    }

    /// The fewest distinct publishers asked for, if any.
    pub fn min_sources(&self) -> Option<usize> {
        self.min_sources
    }

    /// Only edges whose dated events can fall within these days (either end open).
    #[must_use]
    pub fn with_event_window(mut self, from: Option<i32>, to: Option<i32>) -> Self {
        self.event_from = from;
        self.event_to = to;
        self
    }

    /// Whether it asks anything of the statements (all but the event window).
    pub fn asks_provenance(&self) -> bool {
        !self.said_by.is_empty()
            || !self.sources.is_empty()
            || !self.excluded_sources.is_empty()
            || self.min_sources.is_some()
            || self.confirmed
            || !self.modalities.is_empty()
            || self.as_of.is_some()
            || self.reported_since.is_some()
    }

    /// Whether it asks nothing: every edge passes.
    pub fn is_empty(&self) -> bool {
        !self.asks_provenance() && self.event_from.is_none() && self.event_to.is_none()
    }
}

/// One statement's provenance by IRIs, as the store gives it (`catalog::StatementRecord`,
/// `catalog::subgraph::StatementFacts`): what [`EvidenceFilter::admits`] judges when a
/// statement is listed rather than walked — the statements a filtered path step, export or
/// claims list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatementProvenance<'a> {
    /// Its source documents (`eg:source`).
    pub sources: &'a [NamedNode],
    /// The publishers of those documents.
    pub publishers: &'a [NamedNode],
    /// Its speakers (`eg:speaker`).
    pub speakers: &'a [NamedNode],
    /// Its modality (`eg:modality`).
    pub modality: Option<&'a NamedNode>,
    /// The day it was made: `eg:statedOn`, else `eg:statedNotAfter` (days since 1970-01-01).
    pub day: Option<i32>,
}

impl EvidenceFilter {
    /// Whether a statement passes the per-statement conditions (`said_by`, `source`,
    /// `exclude_source`, `modality`, `as_of`) — the same rule [`EdgeTest::allows`] applies to
    /// each statement of an edge, here on IRIs. The per-edge conditions (`min_sources`,
    /// `confirmed`, the event window) are the edge's, not the statement's: a statement of an
    /// edge that passes is listed when it passes this.
    pub fn admits(&self, statement: &StatementProvenance<'_>) -> bool {
        let named = |names: &[NamedNode]| {
            statement.sources.iter().any(|s| names.contains(s))
                || statement.publishers.iter().any(|p| names.contains(p))
        };
        (self.said_by.is_empty() || statement.speakers.iter().any(|s| self.said_by.contains(s)))
            && (self.sources.is_empty() || named(&self.sources))
            && !named(&self.excluded_sources)
            && (self.modalities.is_empty()
                || statement
                    .modality
                    .is_some_and(|m| self.modalities.contains(m)))
            && self
                .as_of
                .is_none_or(|as_of| statement.day.is_some_and(|day| day <= as_of))
    }

    /// Whether it asks anything of each statement (`said_by`, `source`, `exclude_source`,
    /// `modality`, `as_of`): when not, every statement of an edge that passes is listed.
    pub fn asks_of_statements(&self) -> bool {
        !self.said_by.is_empty()
            || !self.sources.is_empty()
            || !self.excluded_sources.is_empty()
            || !self.modalities.is_empty()
            || self.as_of.is_some()
    }
}

/// An [`EvidenceFilter`] resolved against one projection's ids: see the module documentation.
#[derive(Debug, Clone)]
pub struct EdgeTest<'p> {
    projection: &'p Projection,
    /// `None` asks nothing; an empty list lets no statement pass (no speaker of that IRI).
    said_by: Option<Vec<u32>>,
    /// Source ids and publisher ids, for `source`.
    sources: Option<(Vec<u32>, Vec<u32>)>,
    /// Source ids and publisher ids, for `exclude_source`.
    excluded: (Vec<u32>, Vec<u32>),
    modalities: Option<Vec<u16>>,
    as_of: Option<i32>,
    reported_since: Option<i32>,
    min_sources: usize,
    confirmed: bool,
    provenance: bool,
    window: Option<(i32, i32)>,
    /// What the per-edge digest decides, so that most edges are judged by one read.
    digest: Digest,
}

impl Projection {
    /// The filter resolved against this projection's ids, to test edges with.
    ///
    /// # Complexity
    /// O(n) hash look-ups for the n IRIs the filter names.
    pub fn edge_test(&self, filter: &EvidenceFilter) -> EdgeTest<'_> {
        let agents = |iris: &[NamedNode]| -> Vec<u32> {
            iris.iter()
                .filter_map(|iri| self.agent_id(iri.as_ref()))
                .collect()
        };
        let sources = |iris: &[NamedNode]| -> (Vec<u32>, Vec<u32>) {
            let documents = iris
                .iter()
                .filter_map(|iri| self.source_id(iri.as_ref()))
                .collect();
            (documents, agents(iris))
        };
        let window = (filter.event_from.is_some() || filter.event_to.is_some()).then(|| {
            (
                filter.event_from.unwrap_or(i32::MIN),
                filter.event_to.unwrap_or(i32::MAX),
            )
        });
        let said_by = (!filter.said_by.is_empty()).then(|| agents(&filter.said_by));
        let included = (!filter.sources.is_empty()).then(|| sources(&filter.sources));
        // Excluded IRIs the projection does not know exclude nothing.
        let excluded = sources(&filter.excluded_sources);
        let modalities: Option<Vec<u16>> = (!filter.modalities.is_empty()).then(|| {
            filter
                .modalities
                .iter()
                .filter_map(|iri| self.modality_id(iri.as_ref()))
                .collect()
        });
        let min_sources = filter.min_sources.unwrap_or(0);
        let others = said_by.is_some()
            || included.is_some()
            || !excluded.0.is_empty()
            || !excluded.1.is_empty()
            || modalities.is_some()
            || min_sources > 1;
        EdgeTest {
            projection: self,
            digest: Digest::of(filter.as_of, filter.confirmed, others),
            said_by,
            sources: included,
            excluded,
            modalities,
            as_of: filter.as_of,
            reported_since: filter.reported_since,
            min_sources,
            confirmed: filter.confirmed,
            provenance: filter.asks_provenance(),
            window,
        }
    }
}

impl EdgeTest<'_> {
    /// Whether the filter asks nothing, so that every edge passes.
    #[inline]
    pub fn is_open(&self) -> bool {
        !self.provenance && self.window.is_none()
    }

    /// Whether one statement's evidence passes the per-statement conditions (`said_by`,
    /// `source`, `exclude_source`, `modality`, `as_of`): [`EvidenceFilter::admits`] on ids.
    #[inline]
    pub fn passes(&self, evidence: &Evidence) -> bool {
        let projection = self.projection;
        let source = evidence.source();
        // The publisher is read only when a list names publishers.
        let named = |(documents, agents): &(Vec<u32>, Vec<u32>)| {
            source.is_some_and(|s| {
                documents.contains(&s)
                    || (!agents.is_empty()
                        && projection
                            .publisher_of_source(s)
                            .is_some_and(|p| agents.contains(&p)))
            })
        };
        self.said_by
            .as_ref()
            .is_none_or(|said_by| evidence.speaker().is_some_and(|s| said_by.contains(&s)))
            && self.sources.as_ref().is_none_or(named)
            && !named(&self.excluded)
            && self
                .modalities
                .as_ref()
                .is_none_or(|m| evidence.modality().is_some_and(|id| m.contains(&id)))
            && self
                .as_of
                .is_none_or(|as_of| evidence.day().is_some_and(|day| day <= as_of))
    }

    /// Whether an edge passes.
    ///
    /// # Complexity
    /// O(1) when the per-edge digest answers: `as_of` alone, `confirmed` alone, or an edge
    /// with no statement made by `as_of` or none confirmed when either is asked. Else O(s) for
    /// the s distinct evidences of the edge (times the publishers counted, for
    /// `min_sources`).
    #[inline]
    pub fn allows(&self, edge: EdgeIndex) -> bool {
        self.allows_asked(edge)
            && self.reported_since.is_none_or(|since| {
                self.projection
                    .evidence(edge)
                    .any(|e| e.day().is_some_and(|day| day >= since) && self.passes(e))
            })
    }

    /// Whether an edge passes every condition but `reported_since`.
    #[inline]
    fn allows_asked(&self, edge: EdgeIndex) -> bool {
        let projection = self.projection;
        if let Some((from, to)) = self.window {
            let Some((s, o)) = projection.graph().edge_endpoints(edge) else {
                return false;
            };
            for node in [s, o] {
                if let Some(days) = projection.event_days(node)
                    && (days.last < from || days.first > to)
                {
                    return false;
                }
            }
        }
        if !self.provenance {
            return true;
        }
        match self.digest {
            Digest::None => {}
            Digest::AsOf { day, alone } => match projection.made_by(edge, day) {
                Some(false) => return false,
                Some(true) if alone => return true,
                _ => {}
            },
            Digest::Confirmed { alone } => {
                if !projection.any_confirmed(edge) {
                    return false;
                }
                if alone {
                    return true;
                }
            }
            Digest::Both { day } => {
                if projection.made_by(edge, day) == Some(false) || !projection.any_confirmed(edge) {
                    return false;
                }
            }
        }
        if self.min_sources > 1 || self.confirmed {
            self.allows_by_publishers(edge)
        } else {
            // One passing statement is enough.
            projection
                .evidence(edge)
                .any(|evidence| self.passes(evidence))
        }
    }

    /// Whether an edge passes `min_sources` and `confirmed` over its statements that pass.
    fn allows_by_publishers(&self, edge: EdgeIndex) -> bool {
        let projection = self.projection;
        // The distinct backers seen (`contested::backer`: the publisher, else the document).
        // The first few on the stack: most edges have few.
        let mut few = [Backer::Document(0); 8];
        let mut seen = 0usize;
        let mut more: Vec<Backer> = Vec::new();
        let mut confirmed = false;
        let enough = |seen: usize, confirmed: bool| {
            seen >= self.min_sources && (!self.confirmed || confirmed)
        };
        for evidence in projection.evidence(edge) {
            if !self.passes(evidence) {
                continue;
            }
            confirmed |= evidence.confirmed();
            if self.min_sources > 1 {
                if let Some(key) = backer(projection, evidence)
                    && !few[..seen.min(few.len())].contains(&key)
                    && !more.contains(&key)
                {
                    if seen < few.len() {
                        few[seen] = key;
                    } else {
                        more.push(key);
                    }
                    seen += 1;
                }
            } else {
                seen = seen.max(1);
            }
            if enough(seen, confirmed) {
                return true;
            }
        }
        false
    }
}

/// What the per-edge digest (`Projection::made_by`, `Projection::any_confirmed`) can decide
/// of a filter: with `alone`, the whole answer; else it only rejects early.
#[derive(Debug, Clone, Copy)]
enum Digest {
    None,
    AsOf { day: i32, alone: bool },
    Confirmed { alone: bool },
    Both { day: i32 },
}

impl Digest {
    /// What the digest decides of these resolved conditions.
    fn of(as_of: Option<i32>, confirmed: bool, others: bool) -> Self {
        match (as_of, confirmed) {
            (None, false) => Self::None,
            (Some(day), false) => Self::AsOf {
                day,
                alone: !others,
            },
            (None, true) => Self::Confirmed { alone: !others },
            (Some(day), true) => Self::Both { day },
        }
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::vocab::{rdf, rdfs};
    use oxigraph::model::{GraphName, Literal, NamedNodeRef, Quad, Term};

    use super::*;
    use crate::graph::ProjectionOptions;
    use crate::vocab::{self, eg};

    fn id(name: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{name}", vocab::id::BASE))
    }

    fn day(text: &str) -> Literal {
        Literal::new_typed_literal(text, oxigraph::model::vocab::xsd::DATE)
    }

    /// `us contactsVia hamas` said by a source in doc1 (publisher A, 2023-10-31) and
    /// confirmed by the ministry in doc2 (publisher B, 2023-11-02); `us partOf nato` with no
    /// statement.
    fn quads() -> Vec<Quad> {
        let mut quads = Vec::new();
        let g: GraphName = id("doc1").into();
        let mut add = |s: NamedNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s, p, o, g.clone()));
        };
        for name in ["us", "hamas", "nato", "source", "ministry", "a", "b"] {
            add(id(name), rdf::TYPE, eg::STATE.into_owned().into());
            add(
                id(name),
                rdfs::LABEL,
                Literal::new_simple_literal(name).into(),
            );
        }
        add(id("us"), eg::CONTACTS_VIA, id("hamas").into());
        add(id("us"), eg::PART_OF, id("nato").into());
        for (doc, publisher) in [("doc1", "a"), ("doc2", "b")] {
            add(id(doc), rdf::TYPE, eg::SOURCE_DOCUMENT.into_owned().into());
            add(id(doc), vocab::publisher::DCTERMS, id(publisher).into());
        }
        for (st, doc, speaker, on, modality) in [
            ("st1", "doc1", "source", "2023-10-31", eg::ASSERTED),
            ("st2", "doc2", "ministry", "2023-11-02", eg::POSSIBLE),
        ] {
            add(id(st), rdf::TYPE, eg::STATEMENT.into_owned().into());
            add(id(st), rdf::SUBJECT, id("us").into());
            add(id(st), rdf::PREDICATE, eg::CONTACTS_VIA.into_owned().into());
            add(id(st), rdf::OBJECT, id("hamas").into());
            add(id(st), eg::SOURCE, id(doc).into());
            add(id(st), eg::SPEAKER, id(speaker).into());
            add(id(st), eg::STATED_ON, day(on).into());
            add(id(st), eg::MODALITY, modality.into_owned().into());
        }
        add(id("st2"), eg::CONFIRMS, id("st1").into());
        quads
    }

    fn passes(projection: &Projection, filter: &EvidenceFilter) -> Vec<&'static str> {
        let test = projection.edge_test(filter);
        let mut names = Vec::new();
        for edge in projection.graph().edge_indices() {
            if test.allows(edge) {
                let (_, _, relation) = projection.relation(edge).unwrap();
                names.push(
                    if projection.predicate(relation.predicate) == eg::CONTACTS_VIA {
                        "contact"
                    } else {
                        "member"
                    },
                );
            }
        }
        names.sort_unstable();
        names
    }

    #[test]
    fn each_condition_keeps_the_edges_its_statements_support() {
        let quads = quads();
        let p =
            Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default());
        let f = EvidenceFilter::default;
        let day = |t| crate::model::day_number(t);
        let cases: Vec<(&str, EvidenceFilter, Vec<&str>)> = vec![
            ("nothing asked", f(), vec!["contact", "member"]),
            (
                "said by the ministry",
                f().with_said_by(vec![id("ministry")]),
                vec!["contact"],
            ),
            (
                "said by nobody known",
                f().with_said_by(vec![id("us")]),
                vec![],
            ),
            (
                "from publisher b",
                f().with_sources(vec![id("b")]),
                vec!["contact"],
            ),
            (
                "from doc1",
                f().with_sources(vec![id("doc1")]),
                vec!["contact"],
            ),
            (
                "all but a and b",
                f().with_excluded_sources(vec![id("a"), id("doc2")]),
                vec![],
            ),
            (
                "two publishers",
                f().with_min_sources(Some(2)),
                vec!["contact"],
            ),
            (
                "two publishers by the ministry only",
                f().with_min_sources(Some(2))
                    .with_said_by(vec![id("ministry")]),
                vec![],
            ),
            ("confirmed", f().with_confirmed(true), vec!["contact"]),
            (
                "possible only",
                f().with_modalities(vec![eg::POSSIBLE.into_owned()]),
                vec!["contact"],
            ),
            (
                "as of 2023-10-31",
                f().with_as_of(day("2023-10-31")),
                vec!["contact"],
            ),
            (
                "as of 2023-10-30",
                f().with_as_of(day("2023-10-30")),
                vec![],
            ),
            (
                "confirmed as of 2023-10-31: the confirmation came later, st1 names none",
                f().with_as_of(day("2023-10-31")).with_confirmed(true),
                vec![],
            ),
            (
                "event window only",
                f().with_event_window(day("2020-01-01"), None),
                vec!["contact", "member"],
            ),
        ];
        for (message, filter, expected) in cases {
            assert_eq!(passes(&p, &filter), expected, "{message}");
        }
    }
}
