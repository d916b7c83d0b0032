//! How long writes keep readers out of the read models: from the moment a write asks for
//! the models' lock (readers arriving after that wait) to the moment it lets them go, as a
//! histogram that `/metrics` exposes. Atomic counters, so that recording costs a write nothing
//! that a reader could wait for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The histogram's upper bounds, in seconds (Prometheus' `le`).
pub const BOUNDS: [f64; 10] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.1,
];

/// The times writes kept readers out, since the server started.
#[derive(Debug, Default)]
pub struct LockedTimes {
    /// Per bound of [`BOUNDS`], and one past the last.
    buckets: [AtomicU64; BOUNDS.len() + 1],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

/// A copy of [`LockedTimes`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockedSnapshot {
    /// Writes per bound of [`BOUNDS`] (not cumulative), and past the last.
    pub buckets: [u64; BOUNDS.len() + 1],
    /// The total, in microseconds.
    pub sum_micros: u64,
    /// The number of writes.
    pub count: u64,
}

impl LockedTimes {
    /// Counts one write that kept readers out for `locked`.
    pub fn record(&self, locked: Duration) {
        let seconds = locked.as_secs_f64();
        let bucket = BOUNDS
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(BOUNDS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(locked.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// What was counted so far.
    pub fn snapshot(&self) -> LockedSnapshot {
        LockedSnapshot {
            buckets: std::array::from_fn(|i| self.buckets[i].load(Ordering::Relaxed)),
            sum_micros: self.sum_micros.load(Ordering::Relaxed),
            count: self.count.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_time_lands_in_the_first_bucket_that_holds_it() {
        let times = LockedTimes::default();
        times.record(Duration::from_micros(30));
        times.record(Duration::from_micros(100));
        times.record(Duration::from_millis(3));
        times.record(Duration::from_secs(1));
        let snapshot = times.snapshot();
        assert_eq!(snapshot.buckets[0], 1, "30 µs ≤ 50 µs");
        assert_eq!(snapshot.buckets[1], 1, "100 µs ≤ 100 µs");
        assert_eq!(snapshot.buckets[6], 1, "3 ms ≤ 5 ms");
        assert_eq!(snapshot.buckets[BOUNDS.len()], 1, "1 s past the last bound");
        assert_eq!(snapshot.count, 4);
        assert_eq!(snapshot.sum_micros, 30 + 100 + 3_000 + 1_000_000);
    }
}
