//! The sign-in gate: what bounds the cost of password hashing, whoever floods the sign-in.
//!
//! Each Argon2id hash takes `[console] hash_memory_kib` (19 MiB) for about a tenth of a second.
//! Unbounded, 500 wrong sign-ins at once took a server from 24 MB to 9.6 GB. So:
//! - at most `hash_concurrency` hashes run at once (a semaphore whose permit travels INTO the
//!   blocking task: a client that hangs up does not free a slot its hash still uses);
//! - at most `hash_queue` sign-ins wait for a slot; more are refused at once (`Busy`);
//! - at most `sign_ins_per_minute` sign-ins from all addresses together reach the hashing
//!   (the per-address limit in `session.rs` alone lets 25 addresses try 500 times a minute).
//!
//! Argon2's working memory is kept per slot (`password::Scratch`) and reused, so the memory of
//! checking passwords is `hash_concurrency` × `hash_memory_kib`, allocated once.
//!
//! The gate counts what it does (hashes now, the most at once, verifications, refusals), so
//! that tests and the administrator read the bound rather than infer it from timings.
use super::password::{self, Cost, Scratch};
use chrono::{DateTime, Utc};
use shared::config::ConsoleConfig;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// Every hashing slot is taken and the queue is full: try again in a moment.
    #[error("the server is busy checking other sign-ins: try again in a moment")]
    Busy,
    #[error("the password hashing task failed")]
    Join,
}

/// What the gate has done since the server started (`GET /api/v1/admin/sign-in-gate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct GateStats {
    /// Hashes allowed at once (`[console] hash_concurrency`).
    pub hashing_limit: usize,
    /// Hashes running now.
    pub hashing_now: usize,
    /// The most hashes that ever ran at once: never above `hashing_limit`.
    pub hashing_peak: usize,
    /// Sign-ins allowed to wait for a slot (`[console] hash_queue`), and waiting now.
    pub waiting_limit: usize,
    pub waiting_now: usize,
    /// Password verifications done (real or spent on nothing for an unknown login).
    pub verifications: u64,
    /// Sign-ins refused because the queue was full (503 sign_in_busy).
    pub refused_busy: u64,
    /// Sign-ins refused by the rate of all addresses together (429 too_many_sign_ins).
    pub refused_rate: u64,
    /// `[console] sign_ins_per_minute`.
    pub sign_ins_per_minute: u32,
}

#[derive(Default)]
struct Counters {
    hashing: AtomicUsize,
    peak: AtomicUsize,
    waiting: AtomicUsize,
    verifications: AtomicU64,
    refused_busy: AtomicU64,
    refused_rate: AtomicU64,
}

pub struct HashGate {
    slots: Arc<Semaphore>,
    limit: usize,
    queue: usize,
    per_minute: u32,
    counters: Arc<Counters>,
    /// Argon2's working memory, one per slot at most (a permit takes one, gives it back).
    scratch: Arc<Mutex<Vec<Scratch>>>,
    /// When the sign-ins of the last minute were admitted, by the authority's clock.
    recent: Mutex<VecDeque<DateTime<Utc>>>,
}

/// Takes a waiting sign-in off the count however its wait ends (a hung-up client included).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashGate {
    pub fn new(config: &ConsoleConfig) -> HashGate {
        let limit = config.hash_concurrency.max(1) as usize;
        HashGate {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
            queue: config.hash_queue as usize,
            per_minute: config.sign_ins_per_minute.max(1),
            counters: Arc::default(),
            scratch: Arc::default(),
            recent: Mutex::new(VecDeque::new()),
        }
    }

    /// Counts a sign-in against the rate of all addresses at `now`; refused with the seconds
    /// after which one more would be admitted.
    pub fn admit(&self, now: DateTime<Utc>) -> Result<(), u32> {
        let minute = chrono::Duration::seconds(60);
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        while recent.front().is_some_and(|t| now - *t >= minute) {
            recent.pop_front();
        }
        if recent.len() >= self.per_minute as usize {
            self.counters.refused_rate.fetch_add(1, Ordering::Relaxed);
            let oldest = *recent.front().expect("the window is full");
            return Err((minute - (now - oldest)).num_seconds().clamp(1, 60) as u32);
        }
        recent.push_back(now);
        Ok(())
    }

    /// Runs `work` (a hash) on a blocking thread once a slot is free; refuses at once when
    /// `hash_queue` others are waiting already.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut Scratch) -> T + Send + 'static) -> Result<T, GateError> {
        let c = &self.counters;
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if c.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue {
                    c.waiting.fetch_sub(1, Ordering::AcqRel);
                    c.refused_busy.fetch_add(1, Ordering::Relaxed);
                    return Err(GateError::Busy);
                }
                let _waiting = Waiting(&c.waiting);
                self.slots.clone().acquire_owned().await.map_err(|_| GateError::Join)?
            }
        };
        let (counters, pool) = (self.counters.clone(), self.scratch.clone());
        tokio::task::spawn_blocking(move || {
            let now = counters.hashing.fetch_add(1, Ordering::AcqRel) + 1;
            counters.peak.fetch_max(now, Ordering::AcqRel);
            let mut scratch = pool.lock().unwrap_or_else(|p| p.into_inner()).pop().unwrap_or_default();
            let out = work(&mut scratch);
            pool.lock().unwrap_or_else(|p| p.into_inner()).push(scratch);
            counters.hashing.fetch_sub(1, Ordering::AcqRel);
            drop(permit);
            out
        })
        .await
        .map_err(|_| GateError::Join)
    }

    /// Whether `password` matches the stored hash `phc`: one verification.
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool, GateError> {
        let (pw, phc) = (password.to_owned(), phc.to_owned());
        let counters = self.counters.clone();
        self.run(move |scratch| {
            counters.verifications.fetch_add(1, Ordering::Relaxed);
            password::verify_in(&pw, &phc, scratch)
        })
        .await
    }

    /// One verification's work spent on nothing (an unknown login), at `cost`.
    pub async fn verify_nothing(&self, password: &str, cost: Cost) -> Result<(), GateError> {
        let pw = password.to_owned();
        let counters = self.counters.clone();
        self.run(move |scratch| {
            counters.verifications.fetch_add(1, Ordering::Relaxed);
            password::verify_nothing(&pw, cost, scratch)
        })
        .await
    }

    pub fn stats(&self) -> GateStats {
        let c = &self.counters;
        GateStats {
            hashing_limit: self.limit,
            hashing_now: c.hashing.load(Ordering::Acquire),
            hashing_peak: c.peak.load(Ordering::Acquire),
            waiting_limit: self.queue,
            waiting_now: c.waiting.load(Ordering::Acquire),
            verifications: c.verifications.load(Ordering::Relaxed),
            refused_busy: c.refused_busy.load(Ordering::Relaxed),
            refused_rate: c.refused_rate.load(Ordering::Relaxed),
            sign_ins_per_minute: self.per_minute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(concurrency: u32, queue: u32, per_minute: u32) -> HashGate {
        HashGate::new(&ConsoleConfig {
            hash_concurrency: concurrency,
            hash_queue: queue,
            sign_ins_per_minute: per_minute,
            ..Default::default()
        })
    }

    #[test]
    fn the_rate_of_all_addresses_refuses_past_its_count_until_the_minute_passes() {
        let g = gate(2, 4, 3);
        let t0 = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        for i in 0..3 {
            assert_eq!(g.admit(t0 + chrono::Duration::seconds(i)), Ok(()));
        }
        assert_eq!(g.admit(t0 + chrono::Duration::seconds(10)), Err(50), "retry when the oldest leaves the window");
        assert_eq!(g.admit(t0 + chrono::Duration::seconds(60)), Ok(()));
        assert_eq!(g.stats().refused_rate, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashes_beyond_the_slots_wait_and_beyond_the_queue_are_refused() {
        // Proves the bound holds with work that blocks: 2 slots, 2 waiting, the rest refused.
        let g = Arc::new(gate(2, 2, 100));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Arc::new(Mutex::new(rx));
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (g, rx) = (g.clone(), rx.clone());
            tasks.push(tokio::spawn(async move { g.run(move |_| rx.lock().unwrap().recv().ok()).await.map(|_| ()) }));
        }
        eventually(|| g.stats().waiting_now == 2 && g.stats().hashing_now == 2).await;
        assert!(matches!(g.run(|_| ()).await, Err(GateError::Busy)), "the fifth is refused");
        for _ in 0..4 {
            tx.send(()).unwrap();
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let s = g.stats();
        assert!(s.hashing_peak <= 2, "{s:?}");
        assert_eq!((s.hashing_now, s.waiting_now, s.refused_busy), (0, 0, 1), "{s:?}");
    }

    /// Waits (up to 5 s) for a condition on the gate's own counters.
    async fn eventually(ok: impl Fn() -> bool) {
        for _ in 0..500 {
            if ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the gate never reached the expected state");
    }
}
