//! Debouncing of a push button's line, pure: edges in (with the time the kernel stamped them),
//! confirmed presses out. A level counts once it has held for `settle` without another edge,
//! so the contact bounce of a cheap button (a burst of edges over 1–10 ms) and a spike of
//! electrical noise shorter than `settle` give no press, and one firm press gives exactly one.
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Debouncer {
    settle: Duration,
    /// The last confirmed level (true = pressed).
    stable: bool,
    /// The level after the last edge, and when that edge came.
    raw: bool,
    raw_since: Duration,
}

impl Debouncer {
    /// A button that starts released.
    pub fn new(settle: Duration) -> Debouncer {
        Debouncer { settle, stable: false, raw: false, raw_since: Duration::ZERO }
    }

    /// The line went to `pressed` at `at` (timestamps only grow). An edge to the level the
    /// line already has (a missed edge in between) only restarts the wait.
    pub fn edge(&mut self, at: Duration, pressed: bool) {
        self.raw = pressed;
        self.raw_since = at;
    }

    /// When [`Self::poll`] may confirm a change; `None` while the line agrees with the stable level.
    pub fn deadline(&self) -> Option<Duration> {
        (self.raw != self.stable).then_some(self.raw_since + self.settle)
    }

    /// At `now`: `true` once for each confirmed press (released → pressed).
    pub fn poll(&mut self, now: Duration) -> bool {
        match self.deadline() {
            Some(d) if now >= d => {
                self.stable = self.raw;
                self.stable
            }
            _ => false,
        }
    }
}

/// Runs a recorded edge sequence through a debouncer, polling at every edge and deadline as a
/// reader thread would; the times of the confirmed presses. Used by the tests and the simulator.
pub fn presses(settle: Duration, edges: &[(Duration, bool)], until: Duration) -> Vec<Duration> {
    let mut d = Debouncer::new(settle);
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // The next thing to happen: an edge, or the debouncer's deadline, whichever is first.
        let next_edge = edges.get(i).map(|e| e.0);
        let deadline = d.deadline();
        let now = match (next_edge, deadline) {
            (Some(e), Some(t)) if t <= e => t,
            (Some(e), _) => e,
            (None, Some(t)) => t,
            (None, None) => break,
        };
        if now > until {
            break;
        }
        // Deadlines that fell before this edge are checked first, as a timed wait would.
        if d.poll(now) {
            out.push(now);
        }
        if next_edge == Some(now) {
            d.edge(now, edges[i].1);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_bouncing_press_is_one_press() {
        // Proves contact bounce on press and on release (edges 0.3-2 ms apart) yields exactly
        // one press, confirmed settle after the last bounce.
        let edges = [
            (ms(100), true),
            (ms(101), false),
            (ms(102), true),
            (ms(104), false),
            (ms(105), true),
            // held ~150 ms, then a bouncy release
            (ms(250), false),
            (ms(251), true),
            (ms(252), false),
        ];
        assert_eq!(presses(ms(20), &edges, ms(1000)), [ms(125)]);
    }

    #[test]
    fn a_spike_shorter_than_settle_is_no_press() {
        // Proves electrical noise (a 5 ms glitch) does not call the next citizen.
        let edges = [(ms(10), true), (ms(15), false)];
        assert!(presses(ms(20), &edges, ms(1000)).is_empty());
    }

    #[test]
    fn two_firm_presses_are_two_presses() {
        // Proves a second press after a real release counts again (no lock-out forever).
        let edges = [(ms(0), true), (ms(100), false), (ms(200), true), (ms(201), false), (ms(202), true), (ms(300), false)];
        assert_eq!(presses(ms(20), &edges, ms(1000)), [ms(20), ms(222)]);
    }

    #[test]
    fn a_held_button_is_one_press_and_a_missed_edge_is_tolerated() {
        // Proves holding gives no repeats, and two "pressed" edges in a row (the release edge
        // lost by the kernel) do not make a phantom release-press pair.
        let edges = [(ms(0), true), (ms(5), true), (ms(3000), false)];
        assert_eq!(presses(ms(20), &edges, ms(5000)), [ms(25)]);
    }

    #[test]
    fn a_release_bounce_into_a_quick_repress_is_not_doubled() {
        // Proves a press, a release shorter than settle, and on: still one press.
        let edges = [(ms(0), true), (ms(60), false), (ms(70), true), (ms(200), false)];
        assert_eq!(presses(ms(20), &edges, ms(1000)), [ms(20)]);
    }
}
