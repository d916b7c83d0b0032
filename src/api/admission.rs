//! Admission of expensive requests, so that a flood of them cannot starve the cheap ones.
//!
//! A SPARQL query, an export or a traversal (neighbourhood, paths, rankings) can take
//! seconds of a core; a lookup of an entity or a page of its relations takes a millisecond.
//! Every expensive request takes one of a fixed number of permits ([`Admission::enter`])
//! before its work starts and gives it back when the work ends: at most
//! `--max-expensive-requests` run at once, and at most `--max-waiting-requests` more wait
//! for a permit, each up to `--max-admission-wait` seconds. A request beyond that is refused
//! at once with `503 server-busy` and `Retry-After`, before it costs anything. Cheap
//! requests take no permit, so they keep the CPU the running expensive ones leave; whether a
//! SPARQL query is cheap is not known before it runs, so every query takes a permit. A query
//! also runs at the lowest CPU priority ([`yield_to_cheap_requests`]: Linux's `SCHED_IDLE`
//! on the query threads, else nice 10), so that with the cores full of queries a lookup still
//! gets a core as soon as it needs one.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::problem::ApiError;
use crate::config::LimitsConfig;

/// The permits of expensive work, shared by every HTTP worker.
#[derive(Debug)]
pub struct Admission {
    permits: Arc<Semaphore>,
    running_limit: usize,
    waiting: AtomicUsize,
    waiting_limit: usize,
    wait: Duration,
}

/// A permit to run expensive work: held until the work is done, then given back on drop.
#[derive(Debug)]
pub struct Permit {
    _permit: OwnedSemaphorePermit,
}

/// Counts a request among the waiting until it stops waiting, however it stops.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    /// At most `running` expensive requests at once (at least one), `waiting` more waiting up
    /// to `wait` each.
    pub fn new(running: usize, waiting: usize, wait: Duration) -> Self {
        let running = running.max(1);
        Self {
            permits: Arc::new(Semaphore::new(running)),
            running_limit: running,
            waiting: AtomicUsize::new(0),
            waiting_limit: waiting,
            wait,
        }
    }

    /// The admission the server's limits ask for.
    pub fn from_limits(limits: &LimitsConfig) -> Self {
        Self::new(
            limits.max_expensive_requests(),
            limits.max_waiting_requests,
            Duration::from_secs_f64(limits.max_admission_wait.max(0.0)),
        )
    }

    /// A permit for one expensive request: at once when one is free, else after waiting in
    /// line (when the line has room) until one is given back.
    ///
    /// # Errors
    /// [`ApiError::Busy`] when the line is full or the wait passed without a permit.
    pub async fn enter(&self) -> Result<Permit, ApiError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(Permit { _permit: permit });
        }
        let busy = || ApiError::Busy {
            running: self.running_limit,
            waiting: self.waiting_limit,
        };
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.waiting_limit {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(busy());
        }
        let _waiting = Waiting(&self.waiting);
        match actix_web::rt::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Permit { _permit: permit }),
            // Timed out, or the semaphore closed (it never is).
            _ => Err(busy()),
        }
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }
}

/// The nice value of a thread evaluating a query where `SCHED_IDLE` is refused: below the
/// HTTP workers and the lookups (nice 0), which get about ten times its share of a busy core.
const EXPENSIVE_NICE: i32 = 10;

/// Lowers the calling thread's CPU priority, for a thread that does nothing but expensive
/// requests (an unprivileged thread cannot raise its priority again): Linux's `SCHED_IDLE`
/// policy, under which any thread of the normal policy that wakes up takes the core at once
/// (with nice 10, a waking lookup waited for the running query's time slice: its p99 was
/// 15 to 18 ms under a flood of queries at 1M triples, against 4 ms alone), else nice
/// [`EXPENSIVE_NICE`]. Linux keeps both per thread; elsewhere this does nothing.
pub(crate) fn yield_to_cheap_requests() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid, sched_setscheduler and setpriority take no pointers but the
        // parameter, which lives across the call; a failure (say, a sandbox that forbids it)
        // leaves the priority as it was, which is only slower for lookups.
        let failed = unsafe {
            let thread = libc::syscall(libc::SYS_gettid) as libc::pid_t;
            let parameter = libc::sched_param { sched_priority: 0 };
            libc::sched_setscheduler(thread, libc::SCHED_IDLE, &parameter) != 0
                && libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, EXPENSIVE_NICE) != 0
        };
        if failed {
            tracing::debug!("cannot lower the priority of a query thread");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn permits_run_the_line_waits_and_the_rest_is_refused() {
        let admission = Admission::new(2, 1, Duration::from_millis(200));
        let first = admission.enter().await.unwrap();
        let _second = admission.enter().await.unwrap();
        assert_eq!(admission.available(), 0);
        // The third waits in line and gets the permit the first gives back.
        let (third, ()) = futures_util::join!(admission.enter(), async {
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            drop(first);
        });
        let third = third.unwrap();
        // The line holds one: with one waiting, the next is refused at once.
        let (waiting, refused) = futures_util::join!(admission.enter(), async {
            actix_web::rt::task::yield_now().await;
            admission.enter().await
        });
        assert!(matches!(refused, Err(ApiError::Busy { .. })));
        // The one waiting gives up when the wait passes.
        assert!(matches!(waiting, Err(ApiError::Busy { .. })));
        drop(third);
        assert_eq!(admission.available(), 1);
        assert_eq!(admission.waiting.load(Ordering::Acquire), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_query_thread_runs_at_a_lower_priority_and_others_keep_theirs() {
        let nice = || {
            // SAFETY: as in `yield_to_cheap_requests`.
            unsafe {
                let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
                libc::getpriority(libc::PRIO_PROCESS, thread)
            }
        };
        // SAFETY: sched_getscheduler takes no pointers.
        let policy = || unsafe { libc::sched_getscheduler(0) };
        let before = (policy(), nice());
        let lowered = std::thread::spawn(move || {
            yield_to_cheap_requests();
            (policy(), nice())
        })
        .join()
        .unwrap();
        assert!(
            lowered.0 == libc::SCHED_IDLE || lowered.1 == (before.1 + EXPENSIVE_NICE).min(19),
            "{lowered:?}"
        );
        assert_eq!((policy(), nice()), before, "other threads keep theirs");
    }

    #[actix_web::test]
    async fn a_line_of_none_refuses_as_soon_as_the_permits_are_taken() {
        let admission = Admission::new(1, 0, Duration::from_secs(5));
        let _only = admission.enter().await.unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(
            admission.enter().await,
            Err(ApiError::Busy { .. })
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
