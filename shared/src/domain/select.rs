//! Which waiting ticket a counter calls next.
//!
//! The complaint heard most about open queue systems is priority ordering: priority tickets that
//! always jump the whole queue, or normal tickets that wait forever. The rule here:
//! 1. a normal ticket that has waited `max_wait_min` or longer is called first (oldest first);
//! 2. else a priority ticket, unless this counter has just called `priority_ratio` of them in a
//!    row while normal tickets were waiting;
//! 3. else the oldest normal ticket, or the oldest priority ticket when no normal one waits.
//!
//! "Oldest" is by issue time, which transfers and restored no-shows keep.
use super::engine::Engine;
use super::Ticket;
use crate::wire::TicketState;
use chrono::{DateTime, Duration, Utc};

impl Engine {
    /// Whether a counter may call this ticket at all.
    pub(crate) fn eligible(&self, t: &Ticket, counter: &crate::config::Counter) -> bool {
        t.state == TicketState::Waiting
            && counter.services.contains(&t.service)
            && t.target_counter.as_ref().is_none_or(|k| *k == counter.id)
    }

    /// Waiting tickets in queue order.
    pub(crate) fn waiting_tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.waiting.iter().filter_map(|(_, id)| self.tickets.get(id))
    }

    pub(crate) fn select_next(&self, counter: &str, now: DateTime<Utc>) -> Option<&Ticket> {
        let c = self.config.counter(counter)?;
        let streak = self.counters.get(counter).map_or(0, |s| s.priority_streak);
        let max_wait = Duration::minutes(self.config.queue.max_wait_min as i64);
        let mut oldest_normal: Option<&Ticket> = None;
        let mut oldest_priority: Option<&Ticket> = None;
        // The index is in queue order: the first eligible of each kind is the oldest.
        for t in self.waiting_tickets().filter(|t| self.eligible(t, c)) {
            let slot = if t.priority.is_some() { &mut oldest_priority } else { &mut oldest_normal };
            slot.get_or_insert(t);
            if oldest_normal.is_some() && oldest_priority.is_some() {
                break;
            }
        }
        match (oldest_normal, oldest_priority) {
            (Some(n), _) if now - n.issued_at >= max_wait => Some(n),
            (Some(n), Some(_)) if streak >= self.config.queue.priority_ratio => Some(n),
            (_, Some(p)) => Some(p),
            (n, None) => n,
        }
    }
}
