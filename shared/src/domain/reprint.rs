//! Who may have a ticket reprinted (or a no-show restored), and how often.
//!
//! A counter's credential is on the LAN in many places (a keypad on a display Pi, a PC at every
//! counter): left unscoped, any of them could print the whole day's tickets again and again, and
//! empty the kiosk's paper roll. So a caller limited to some counters acts only on tickets of
//! those counters (called there, sent there, or of a service they serve); only a live ticket is
//! printed again; and reprints are counted per ticket and per day from the log's own
//! `ticket_reprint_requested` events, so the limits hold across a restart.
use super::engine::{Engine, TicketRef};
use super::{DomainError, Ticket};
use crate::event::EventBody;
use crate::wire::TicketState;
use chrono::{DateTime, Utc};

impl Engine {
    /// Refuses a caller limited to `only_at` (empty: any counter) a ticket of other counters.
    pub(crate) fn in_scope(&self, t: &Ticket, only_at: &[String]) -> Result<(), DomainError> {
        if only_at.is_empty() {
            return Ok(());
        }
        let mine = |c: &Option<String>| c.as_ref().is_some_and(|c| only_at.contains(c));
        let serves = only_at.iter().filter_map(|c| self.config.counter(c)).any(|c| c.services.contains(&t.service));
        if mine(&t.counter) || mine(&t.target_counter) || serves {
            return Ok(());
        }
        Err(DomainError::NotYours { number: t.number.clone(), counters: only_at.join(",") })
    }

    pub(crate) fn decide_reprint(
        &self,
        r: &TicketRef,
        device: Option<&String>,
        only_at: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let t = self.find(r)?;
        self.in_scope(t, only_at)?;
        if !matches!(t.state, TicketState::Waiting | TicketState::Called) {
            return Err(DomainError::NotLive { number: t.number.clone(), state: t.state });
        }
        let rules = &self.config.console;
        if let Some(at) = t.reprinted_at {
            let since = (now - at).num_seconds().max(0) as u32;
            if since < rules.reprint_interval_s {
                return Err(DomainError::ReprintTooSoon {
                    number: t.number.clone(),
                    since_s: since,
                    wait_s: rules.reprint_interval_s - since,
                });
            }
        }
        if t.reprints >= rules.reprints_per_ticket {
            return Err(DomainError::TicketReprintLimit { number: t.number.clone(), limit: rules.reprints_per_ticket });
        }
        if self.reprints >= rules.reprints_per_day {
            return Err(DomainError::DayReprintLimit { limit: rules.reprints_per_day });
        }
        Ok(vec![EventBody::TicketReprintRequested {
            ticket: t.id,
            number: t.number.clone(),
            service: t.service.clone(),
            priority: t.priority.clone(),
            issued_at: t.issued_at,
            device: device.cloned(),
        }])
    }
}
