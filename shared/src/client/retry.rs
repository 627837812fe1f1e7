//! The one reconnect policy: capped exponential backoff, back to the minimum after a success.
//! Every loop that reconnects or retries (the client's own commands, the display's follower,
//! keypads and health reports, the kiosk's live stream and printer link) waits with it.
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    /// Waits `min` first, doubling after each failure up to `max`.
    pub fn new(min: Duration, max: Duration) -> Backoff {
        let max = max.max(min);
        Backoff { min, max, next: min }
    }

    /// The wait before the next try (after a failure); the one after it is doubled.
    pub fn fail(&mut self) -> Duration {
        let d = self.next;
        self.next = (self.next * 2).min(self.max);
        d
    }

    /// After a success: the next failure waits the minimum again.
    pub fn reset(&mut self) {
        self.next = self.min;
    }

    /// The wait the next failure will get.
    pub fn peek(&self) -> Duration {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap_and_a_success_resets_it() {
        let ms = Duration::from_millis;
        let mut b = Backoff::new(ms(100), ms(500));
        let waits: Vec<_> = (0..5).map(|_| b.fail()).collect();
        assert_eq!(waits, [ms(100), ms(200), ms(400), ms(500), ms(500)]);
        b.reset();
        assert_eq!(b.fail(), ms(100));
        assert_eq!(Backoff::new(ms(300), ms(10)).fail(), ms(300), "a cap below the minimum is the minimum");
    }
}
