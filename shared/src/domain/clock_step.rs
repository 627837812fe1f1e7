//! A clock that steps forward. A Pi has no real-time clock: after a power cut it boots with the
//! time it last saved, and the kiosk may issue tickets under that stale time until NTP answers
//! and steps the clock forward. If the step crosses the rollover, the day turns at once; the
//! tickets issued under the stale time belong to the new day in truth, and their holders are in
//! the hall. They are carried into it with their numbers and their issue times moved by the
//! step, and the new day's series go on after the old day's, so that no number is given twice.
//! Tickets of earlier runs (issued before `since`) are yesterday's, and are void as at any turn.
use super::{Engine, Ticket};
use crate::event::{CarriedTicket, EventBody, EventId};
use crate::wire::TicketState;
use chrono::{DateTime, Utc};

impl Engine {
    /// The event of a step from `from` to `to`, decided before the day turns (`turns`).
    pub(super) fn clock_stepped(&self, from: DateTime<Utc>, to: DateTime<Utc>, since: EventId, turns: bool) -> EventBody {
        let (mut carried, mut series) = (Vec::new(), std::collections::BTreeMap::new());
        if turns {
            let by = to - from;
            carried = self
                .waiting
                .iter()
                .filter_map(|(_, id)| self.tickets.get(id))
                .filter(|t| t.id >= since && t.state == TicketState::Waiting)
                .map(|t| CarriedTicket {
                    ticket: t.id,
                    number: t.number.clone(),
                    service: t.service.clone(),
                    priority: t.priority.clone(),
                    issued_at: t.issued_at + by,
                    key: t.key.clone(),
                    booked: t.booking.clone().map(|code| crate::event::Booked { code, ranks_at: t.ranks_at + by }),
                })
                .collect();
            series = self.series.iter().map(|(s, n)| (s.clone(), *n)).collect();
        }
        EventBody::ClockStepped { from, to, carried, series }
    }

    /// Applies a step: after a `day_started`, its carried tickets wait again and the series
    /// continue; a step within the day changes nothing of the queue.
    pub(super) fn apply_clock_stepped(&mut self, carried: &[CarriedTicket], series: &std::collections::BTreeMap<String, u32>) {
        for c in carried {
            let mut t = Ticket::waiting(c.ticket, &c.number, &c.service, c.priority.clone(), c.issued_at, c.key.clone());
            if let Some(b) = &c.booked {
                t.ranks_at = b.ranks_at;
                t.booking = Some(b.code.clone());
                self.checked_in.insert(b.code.clone(), c.number.clone());
            }
            self.waiting.insert(t.queue_key());
            self.tickets.insert(c.ticket, t);
            *self.issued.entry(c.service.clone()).or_default() += 1;
        }
        for (s, n) in series {
            let last = self.series.entry(s.clone()).or_insert(*n);
            *last = (*last).max(*n);
        }
    }
}
