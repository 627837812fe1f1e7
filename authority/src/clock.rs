//! Time, behind a trait so tests can turn the day, let a grace period pass without waiting, or
//! step the system clock as NTP does on a Pi that booted with a stale time.
use chrono::{DateTime, Utc};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub trait Clock: Send + Sync + 'static {
    /// The system clock: the time of day, which can jump.
    fn now(&self) -> DateTime<Utc>;
    /// Time elapsed on a clock that never jumps (since an arbitrary origin): how the authority
    /// tells a step of the system clock from time passing.
    fn monotonic(&self) -> Duration;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn monotonic(&self) -> Duration {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed()
    }
}

/// A clock that moves only when told to: `advance` is time passing, `step` a jump of the
/// system clock alone (the monotonic clock does not see it).
pub struct ManualClock(Mutex<(DateTime<Utc>, Duration)>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new((at, Duration::ZERO)))
    }
    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().expect("clock lock");
        t.0 += by;
        t.1 += by.to_std().expect("time passes forward");
    }
    /// Sets the system clock forward or back, as NTP or a person setting the time does.
    pub fn step(&self, by: chrono::Duration) {
        self.0.lock().expect("clock lock").0 += by;
    }
    /// Unix seconds now.
    pub fn now_secs(&self) -> i64 {
        self.0.lock().expect("clock lock").0.timestamp()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().expect("clock lock").0
    }
    fn monotonic(&self) -> Duration {
        self.0.lock().expect("clock lock").1
    }
}
