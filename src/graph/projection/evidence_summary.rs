//! A digest of each edge's evidence, kept by edge index beside the evidence lists, so that
//! the commonest provenance filters judge an edge with one read instead of walking its
//! statements: the earliest day any of its statements was made (`as_of`: the time slider
//! replays the graph day by day) and whether one of them is confirmed (`confirmed`).
//!
//! For an `as_of` alone or `confirmed` alone the digest is the whole answer; combined with
//! other conditions it rejects what cannot pass before the statements are read (no statement
//! made by the day, none confirmed). It holds nothing that depends on a document's publisher,
//! so a change of publisher never makes it stale: only [`EvidenceSummary::set`], called
//! whenever an edge's evidence is set or cleared, changes it.
//!
//! It costs 2 bytes and 1 bit per edge: the day is a `u16` of days since 1970-01-01, exact
//! from 1970-01-02 to 2149-06-03; days outside that range are kept as "on or before
//! 1970-01-01" or "on or after 2149-06-04", which a filter day outside the same range cannot
//! judge, so such filters take the slow path ([`EvidenceSummary::made_by`] says `None`).

use super::evidence::Evidence;

/// The stored day of an edge without a dated statement.
const UNDATED: u16 = u16::MAX;
/// The stored day of an edge whose earliest statement is on or after this day.
const LATE: u16 = u16::MAX - 1;

/// The digest of every edge's evidence: see the module documentation.
#[derive(Debug, Clone, Default)]
pub(super) struct EvidenceSummary {
    /// The earliest day of each edge's dated statements, by edge index, clamped to
    /// `0..=LATE`; [`UNDATED`] when none is dated (or the edge has no statement).
    earliest: Vec<u16>,
    /// One bit per edge index: whether one of its statements is confirmed or a confirmation.
    confirmed: Vec<u64>,
}

impl EvidenceSummary {
    /// Sets the digest of one edge from its evidence (none: the edge has no statement).
    pub(super) fn set<'a>(
        &mut self,
        edge: usize,
        evidence: impl IntoIterator<Item = &'a Evidence>,
    ) {
        let mut earliest = UNDATED;
        let mut confirmed = false;
        for evidence in evidence {
            if let Some(day) = evidence.day() {
                earliest = earliest.min(clamp(day));
            }
            confirmed |= evidence.confirmed();
        }
        if self.earliest.len() <= edge {
            if earliest == UNDATED && !confirmed {
                return;
            }
            self.earliest.resize(edge + 1, UNDATED);
        }
        self.earliest[edge] = earliest;
        if self.confirmed.len() <= edge / 64 {
            if !confirmed {
                return;
            }
            self.confirmed.resize(edge / 64 + 1, 0);
        }
        let bit = 1u64 << (edge % 64);
        if confirmed {
            self.confirmed[edge / 64] |= bit;
        } else {
            self.confirmed[edge / 64] &= !bit;
        }
    }

    /// Whether one of the edge's statements was made on or before `day`; `None` when the
    /// digest cannot tell (a day outside its range).
    #[inline]
    pub(super) fn made_by(&self, edge: usize, day: i32) -> Option<bool> {
        if !(0..i32::from(LATE)).contains(&day) {
            return None;
        }
        let earliest = self.earliest.get(edge).copied().unwrap_or(UNDATED);
        // 0 stands for "on or before 1970-01-01", which is before `day`; LATE is after it.
        Some(i32::from(earliest) <= day)
    }

    /// Whether one of the edge's statements is confirmed or a confirmation.
    #[inline]
    pub(super) fn confirmed(&self, edge: usize) -> bool {
        self.confirmed
            .get(edge / 64)
            .is_some_and(|bits| bits >> (edge % 64) & 1 == 1)
    }

    /// Gives back the slack of growing, after a build.
    pub(super) fn shrink_to_fit(&mut self) {
        self.earliest.shrink_to_fit();
        self.confirmed.shrink_to_fit();
    }

    /// The bytes held.
    pub(super) fn bytes(&self) -> usize {
        self.earliest.capacity() * size_of::<u16>() + self.confirmed.capacity() * size_of::<u64>()
    }
}

/// A day as the digest keeps it.
fn clamp(day: i32) -> u16 {
    // In range after the clamp, so the conversion cannot fail.
    u16::try_from(day.clamp(0, i32::from(LATE))).unwrap_or(LATE)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The digest answers as walking the statements does, whenever it answers.
        #[test]
        fn the_digest_agrees_with_the_statements(
            days in proptest::collection::vec(
                prop_oneof![Just(None), (-400i32..70_000).prop_map(Some)], 0..5),
            confirmed in proptest::collection::vec(any::<bool>(), 5),
            edge in 0usize..200,
            filter_day in -400i32..70_000,
        ) {
            let evidence: Vec<Evidence> = days
                .iter()
                .zip(&confirmed)
                .map(|(&day, &c)| Evidence::for_test(day, c))
                .collect();
            let mut summary = EvidenceSummary::default();
            // Another edge first, so that the vectors hold more than this one.
            summary.set(edge / 2 + 300, &[Evidence::for_test(Some(10), true)]);
            summary.set(edge, &evidence);
            let made = evidence.iter().any(|e| e.day().is_some_and(|d| d <= filter_day));
            if let Some(answer) = summary.made_by(edge, filter_day) {
                prop_assert_eq!(answer, made);
            } else {
                prop_assert!(!(0..i32::from(LATE)).contains(&filter_day));
            }
            prop_assert_eq!(summary.confirmed(edge), evidence.iter().any(Evidence::confirmed));
            summary.set(edge, &[]);
            prop_assert_eq!(summary.made_by(edge, 100), Some(false));
            prop_assert!(!summary.confirmed(edge));
        }
    }
}
