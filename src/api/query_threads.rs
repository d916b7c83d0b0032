//! The threads SPARQL queries and updates run on: large stacks, reused; queries at a lower CPU
//! priority.
//!
//! Parsing, checking and evaluating a query recurse once per level of its algebra, and a
//! query as deep as the input limits allow needs far more than the 2 MiB stacks of actix's
//! blocking pool, so each job runs on a thread with a stack of [`PARSE_STACK_BYTES`]
//! (reserved, not committed). Starting such a thread per query cost an `ASK {}` about a
//! millisecond (mapping and unmapping the stack, on every core's page tables); so the threads
//! stay, like a blocking pool's: a job goes to an idle thread, or to a new one when none is
//! idle, and a thread idle for a minute ends. How many jobs run at once is bounded by the
//! permits of [`super::admission`], not here. Query threads run at the lowest priority
//! ([`super::admission::yield_to_cheap_requests`]), so that lookups keep a core. Updates run on
//! a pool of their own at the normal priority ([`run_update`]): an update holds the writer's
//! lock, and the read models' while they take its change, so lookups wait for it, and at the
//! queries' priority behind a flood of them it held those locks for tens of milliseconds (a
//! priority inversion: the lookups' p99 at 1M triples went from 28 to 20 ms when updates moved,
//! see RELIABILITY.md). After a long
//! job (a query that sorted or joined gigabytes, perhaps stopped at its time limit) the thread
//! gives the allocator's free memory back to the system: glibc keeps a thread's freed heap
//! in its arena otherwise, and a reused thread would hold a stopped query's gigabytes.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use crate::sparql::PARSE_STACK_BYTES;

type Job = Box<dyn FnOnce() + Send>;

/// How long a thread waits for a job before it ends.
const IDLE: Duration = Duration::from_secs(60);

/// A job that ran longer than this may have allocated much: its thread trims the heap after.
const LONG_JOB: Duration = Duration::from_millis(50);

/// The jobs not yet taken, and the threads waiting for one.
#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    idle: usize,
}

struct Pool {
    queue: Mutex<Queue>,
    ready: Condvar,
    /// Whether its threads run at nice 10 (queries) or at the normal priority (updates).
    background: bool,
    /// Its threads' name.
    name: &'static str,
}

impl Pool {
    fn new(background: bool, name: &'static str) -> Self {
        Self {
            queue: Mutex::default(),
            ready: Condvar::new(),
            background,
            name,
        }
    }
}

fn query_pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool::new(true, "eventgraph-sparql"))
}

fn update_pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool::new(false, "eventgraph-update"))
}

/// Runs `work` on a query thread (nice 10); the receiver gets its value (or is closed if it
/// panicked).
///
/// # Errors
/// When no thread is idle and the system refuses a new one.
pub fn run<T, F>(work: F) -> std::io::Result<tokio::sync::oneshot::Receiver<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    submit(query_pool(), work)
}

/// Runs `work`, an update, on an update thread: the same large stack, the normal priority.
///
/// # Errors
/// When no thread is idle and the system refuses a new one.
pub fn run_update<T, F>(work: F) -> std::io::Result<tokio::sync::oneshot::Receiver<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    submit(update_pool(), work)
}

fn submit<T, F>(pool: &'static Pool, work: F) -> std::io::Result<tokio::sync::oneshot::Receiver<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (sender, receiver) = tokio::sync::oneshot::channel();
    pool.submit(Box::new(move || {
        // The receiver is gone when the request was dropped (the client hung up).
        let _ = sender.send(work());
    }))?;
    Ok(receiver)
}

impl Pool {
    fn submit(&'static self, job: Job) -> std::io::Result<()> {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        queue.jobs.push_back(job);
        if queue.idle >= queue.jobs.len() {
            self.ready.notify_one();
            return Ok(());
        }
        drop(queue);
        let started = std::thread::Builder::new()
            .name(self.name.to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn(move || self.work());
        if let Err(error) = started {
            // Take the job back unless an idle thread took it meanwhile.
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            if queue.jobs.pop_back().is_some() {
                return Err(error);
            }
        }
        Ok(())
    }

    /// A thread's life: take jobs until none comes for [`IDLE`].
    fn work(&self) {
        if self.background {
            super::admission::yield_to_cheap_requests();
        }
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                drop(queue);
                // A panicking job closes its receiver; the thread carries on.
                let started = std::time::Instant::now();
                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                if started.elapsed() > LONG_JOB {
                    give_free_memory_back();
                }
                queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
                continue;
            }
            queue.idle += 1;
            let (next, waited) = self
                .ready
                .wait_timeout(queue, IDLE)
                .unwrap_or_else(|p| p.into_inner());
            queue = next;
            queue.idle -= 1;
            if waited.timed_out() && queue.jobs.is_empty() {
                return;
            }
        }
    }
}

/// Returns the heap's free pages to the system (glibc's `malloc_trim`); elsewhere nothing.
fn give_free_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only releases memory no one holds.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_on_reused_threads_and_a_panic_leaves_the_pool_working() {
        let thread_of = || {
            run(|| std::thread::current().id())
                .unwrap()
                .blocking_recv()
                .unwrap()
        };
        let first = thread_of();
        // The thread went idle after its job: the next job may take it.
        std::thread::sleep(Duration::from_millis(50));
        let mut reused = false;
        for _ in 0..20 {
            reused |= thread_of() == first;
        }
        assert!(reused, "an idle thread takes the next job");
        let panicked = run(|| panic!("a job that fails")).unwrap();
        assert!(panicked.blocking_recv().is_err());
        assert_eq!(run(|| 42).unwrap().blocking_recv().unwrap(), 42);
        // Many at once each get a thread.
        let receivers: Vec<_> = (0..16)
            .map(|i| {
                run(move || {
                    std::thread::sleep(Duration::from_millis(20));
                    i
                })
                .unwrap()
            })
            .collect();
        let values: Vec<i32> = receivers
            .into_iter()
            .map(|r| r.blocking_recv().unwrap())
            .collect();
        assert_eq!(values, (0..16).collect::<Vec<_>>());
    }
}
