//! The citizen's view of a ticket, found by its public key: what the phone page shows and
//! nothing more (no id, no staff, no other ticket). Today's tickets only: after the day turns,
//! a key finds nothing, which is how a ticket page expires.
use super::engine::Engine;
use super::Ticket;
use crate::wire::{PublicStatus, PublicTicket, TicketState};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

impl Engine {
    /// The ticket whose public key is `key`, as of `as_of` (when the state was last changed).
    pub fn public_ticket(&self, key: &str, as_of: DateTime<Utc>) -> Option<PublicTicket> {
        let t = self.tickets.values().find(|t| t.key.as_deref() == Some(key))?;
        let ahead = (t.state == TicketState::Waiting).then(|| self.ahead_of(t));
        Some(self.public(t, ahead, as_of))
    }

    /// Every ticket of the day that has a key, by key, computed in one pass over the queue:
    /// what a server holding many followers looks each follower's ticket up in.
    pub fn public_board(&self, as_of: DateTime<Utc>) -> HashMap<String, PublicTicket> {
        let mut board = HashMap::with_capacity(self.tickets.len());
        for (t, ahead) in self.places() {
            if let Some(k) = &t.key {
                board.insert(k.clone(), self.public(t, Some(ahead), as_of));
            }
        }
        for t in self.tickets.values().filter(|t| t.state != TicketState::Waiting) {
            if let Some(k) = &t.key {
                board.insert(k.clone(), self.public(t, None, as_of));
            }
        }
        board
    }

    fn public(&self, t: &Ticket, ahead: Option<u32>, as_of: DateTime<Utc>) -> PublicTicket {
        let service = self.config.service(&t.service);
        let called = matches!(t.state, TicketState::Called);
        let counter = t.counter.as_deref().filter(|_| called).and_then(|c| self.config.counter(c));
        let grace = Duration::minutes(self.config.queue.no_show_grace_min as i64);
        PublicTicket {
            number: t.number.clone(),
            service: t.service.clone(),
            service_name: service.map_or_else(|| t.service.clone(), |s| s.name.clone()),
            service_name_en: service.and_then(|s| s.name_en.clone()),
            status: match t.state {
                TicketState::Waiting => PublicStatus::Waiting,
                TicketState::Called => PublicStatus::Called,
                TicketState::NoShow => PublicStatus::NoShow,
                TicketState::Done => PublicStatus::Served,
            },
            waiting_ahead: ahead,
            estimated_wait_s: ahead.map(|a| self.estimate_s(&t.service, a)),
            counter: counter.map(|c| c.name.clone()),
            counter_number: counter.map(|c| c.number),
            called_at: t.called_at.filter(|_| called),
            back_by: t.no_show_at.filter(|_| t.state == TicketState::NoShow).map(|at| at + grace),
            day: self.day.unwrap_or_else(|| as_of.date_naive()),
            as_of,
        }
    }
}
