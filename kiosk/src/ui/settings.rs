//! Settings of the touch UI that the configuration file does not carry (yet): how long an
//! untouched screen waits before going home, and how many tickets a kiosk prints in a while.
use super::dossier::HttpSourceConfig;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct UiSettings {
    /// An untouched screen goes back home, in Vietnamese and normal text, after this long:
    /// the next citizen must not find the last one's half-finished choice.
    pub idle: Duration,
    /// At most `max_tickets` tickets per `per` on this kiosk, so that a child tapping away
    /// cannot empty the paper roll (or the queue).
    pub max_tickets: usize,
    pub per: Duration,
    /// The province's one-stop system for dossier status; `None` hides nothing but says the
    /// lookup is not set up.
    pub dossier: Option<HttpSourceConfig>,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings { idle: Duration::from_secs(90), max_tickets: 6, per: Duration::from_secs(120), dossier: None }
    }
}

impl UiSettings {
    /// The defaults, with the dossier system from the environment until the configuration
    /// file has a table for it: `KIOSK_DOSSIER_URL`, `KIOSK_DOSSIER_TOKEN`,
    /// `KIOSK_DOSSIER_TIMEOUT_S` (default 8).
    pub fn from_env() -> UiSettings {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let timeout = var("KIOSK_DOSSIER_TIMEOUT_S").and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(8);
        let dossier = var("KIOSK_DOSSIER_URL").map(|base_url| HttpSourceConfig {
            base_url,
            timeout: Duration::from_secs(timeout.clamp(1, 60)),
            token: var("KIOSK_DOSSIER_TOKEN"),
        });
        UiSettings { dossier, ..UiSettings::default() }
    }
}

/// A sliding window of the times tickets were issued.
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    per: Duration,
    issued: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(max: usize, per: Duration) -> RateLimiter {
        RateLimiter { max, per, issued: VecDeque::new() }
    }

    fn forget_old(&mut self, now: Instant) {
        while self.issued.front().is_some_and(|&t| now.duration_since(t) >= self.per) {
            self.issued.pop_front();
        }
    }

    /// Whether one more ticket may be taken now.
    pub fn allows(&mut self, now: Instant) -> bool {
        self.forget_old(now);
        self.issued.len() < self.max
    }

    /// Counts a ticket that was issued (refusals do not count: a citizen turned away by a
    /// closed service has not used up paper).
    pub fn record(&mut self, now: Instant) {
        self.forget_old(now);
        self.issued.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seventh_ticket_within_two_minutes_is_refused_and_allowed_again_later() {
        let s = UiSettings::default();
        let mut r = RateLimiter::new(s.max_tickets, s.per);
        let t0 = Instant::now();
        for i in 0..6 {
            assert!(r.allows(t0 + Duration::from_secs(i)), "ticket {i}");
            r.record(t0 + Duration::from_secs(i));
        }
        assert!(!r.allows(t0 + Duration::from_secs(60)));
        // Two minutes after the first ticket, one slot is free again.
        assert!(r.allows(t0 + Duration::from_secs(120)));
        r.record(t0 + Duration::from_secs(120));
        assert!(!r.allows(t0 + Duration::from_secs(120)));
    }
}
