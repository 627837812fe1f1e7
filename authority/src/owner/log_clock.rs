//! The owner's time: the system clock, held to the log. A Pi has no real-time clock; after a
//! power cut it boots with the time it last saved (or older) and keeps it until NTP answers,
//! and then the clock steps. The authority's time never goes back behind what its log has
//! reached: while the system clock is behind, the authority's time is the log's last time moved
//! on by the monotonic clock, and it says so (`behind`, a log line, the state's `clock`). A step
//! forward is noticed (the system clock moved more than the monotonic one) and handed to the
//! owner, which records it before deciding anything at the new time (`take_step`), so that the
//! engine can carry the tickets issued under the stale time into the day they belong to.
use crate::clock::Clock;
use chrono::{DateTime, Utc};
use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

/// A forward jump of the system clock larger than this is a step, not drift or slewing.
const STEP: chrono::Duration = chrono::Duration::seconds(60);
/// How far behind the system clock may be before the authority says so.
const SLACK: chrono::Duration = chrono::Duration::seconds(2);

/// The system clock behind the authority's time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Behind {
    pub system: DateTime<Utc>,
    pub kept: DateTime<Utc>,
}

/// A forward step of the system clock, not yet recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Owned by the authority's thread (the cells make reading it `&self`, as reading a clock is).
pub struct LogClock {
    source: Arc<dyn Clock>,
    /// The last time given out, and the monotonic reading then.
    last: Cell<(DateTime<Utc>, Duration)>,
    step: Cell<Option<Step>>,
    behind: Cell<Option<Behind>>,
}

impl LogClock {
    /// A clock that starts no earlier than `floor`, the time of the log's last event.
    pub fn new(source: Arc<dyn Clock>, floor: Option<DateTime<Utc>>) -> LogClock {
        let (system, mono) = (source.now(), source.monotonic());
        let start = floor.map_or(system, |f| system.max(f));
        let clock = LogClock { source, last: Cell::new((start, mono)), step: Cell::new(None), behind: Cell::new(None) };
        clock.note(system, start);
        clock
    }

    /// The authority's time now: never earlier than the last time it gave.
    pub fn now(&self) -> DateTime<Utc> {
        let (system, mono) = (self.source.now(), self.source.monotonic());
        let (then, then_mono) = self.last.get();
        let kept = then + chrono::Duration::from_std(mono.saturating_sub(then_mono)).unwrap_or_default();
        if system - kept > STEP {
            // Several steps before the owner records one are one step from the first `from`.
            let from = self.step.get().map_or(kept, |s| s.from);
            self.step.set(Some(Step { from, to: system }));
        }
        let now = system.max(kept);
        self.note(system, now);
        self.last.set((now, mono));
        now
    }

    /// The forward step seen since the last call, if any.
    pub fn take_step(&self) -> Option<Step> {
        self.step.take()
    }

    /// Whether the system clock is behind the authority's time, as of the last reading.
    pub fn behind(&self) -> Option<Behind> {
        self.behind.get()
    }

    fn note(&self, system: DateTime<Utc>, kept: DateTime<Utc>) {
        let behind = (kept - system > SLACK).then_some(Behind { system, kept });
        match (self.behind.get(), behind) {
            (None, Some(b)) => tracing::warn!(
                "the system clock ({}) is behind the queue's log ({}) by {} s: the authority keeps the log's time \
                 until the clock catches up (is NTP reachable?)",
                b.system.format("%F %T UTC"),
                b.kept.format("%F %T UTC"),
                (b.kept - b.system).num_seconds()
            ),
            (Some(_), None) => tracing::info!("the system clock has caught up with the queue's log"),
            _ => {}
        }
        self.behind.set(behind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 9, 30, 0).unwrap()
    }

    #[test]
    fn a_clock_behind_the_log_keeps_the_logs_time_moving_and_says_so() {
        let source = Arc::new(ManualClock::new(t0() - chrono::Duration::hours(15)));
        let clock = LogClock::new(source.clone(), Some(t0()));
        assert_eq!(clock.now(), t0(), "never before the log's last event");
        source.advance(chrono::Duration::seconds(90));
        assert_eq!(clock.now(), t0() + chrono::Duration::seconds(90), "time passes at the monotonic clock's pace");
        let b = clock.behind().expect("the state says the clock is behind");
        assert_eq!(b.kept - b.system, chrono::Duration::hours(15));
        assert_eq!(clock.take_step(), None, "a clock behind is not a step");
    }

    #[test]
    fn a_step_forward_is_noticed_once_and_from_the_time_kept() {
        let source = Arc::new(ManualClock::new(t0()));
        let clock = LogClock::new(source.clone(), None);
        source.advance(chrono::Duration::seconds(30));
        clock.now();
        source.step(chrono::Duration::hours(15));
        let now = clock.now();
        assert_eq!(now, t0() + chrono::Duration::seconds(30) + chrono::Duration::hours(15));
        assert_eq!(clock.take_step(), Some(Step { from: t0() + chrono::Duration::seconds(30), to: now }));
        assert_eq!(clock.take_step(), None, "recorded once");
        source.advance(chrono::Duration::seconds(30));
        clock.now();
        assert_eq!(clock.take_step(), None, "time passing after the step is not another");
    }

    #[test]
    fn a_clock_set_back_then_stepped_forward_is_behind_then_one_step() {
        let source = Arc::new(ManualClock::new(t0()));
        let clock = LogClock::new(source.clone(), None);
        source.step(-chrono::Duration::hours(2));
        assert_eq!(clock.now(), t0(), "set back: the time stays");
        assert!(clock.behind().is_some());
        source.step(chrono::Duration::hours(5));
        assert_eq!(clock.now(), t0() + chrono::Duration::hours(3));
        assert_eq!(clock.take_step(), Some(Step { from: t0(), to: t0() + chrono::Duration::hours(3) }));
        assert!(clock.behind().is_none(), "caught up");
    }
}
