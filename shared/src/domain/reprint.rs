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
            key: t.key.clone(),
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::super::engine::Command;
    use super::*;
    use crate::config::Config;
    use chrono::{Duration, TimeZone};
    use std::sync::Arc;

    /// Counter 1 serves civil (A), counter 2 civil and land (B); at most 3 reprints a day.
    fn engine() -> Engine {
        let head = "[console]\nreprints_per_day = 3";
        let config: Config =
            crate::testing::config(head, &[("civil", "Hộ tịch", "A", ""), ("land", "Đất đai", "B", "")], &[&["civil"], &["civil", "land"]]);
        Engine::new(Arc::new(config), 1)
    }

    fn at(s: i64) -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap().to_utc() + Duration::seconds(s)
    }

    fn reprint(e: &mut Engine, number: &str, only_at: &[&str], now: DateTime<Utc>) -> Result<(), DomainError> {
        let only_at = only_at.iter().map(|c| c.to_string()).collect();
        e.execute(&Command::Reprint { ticket: TicketRef::Number(number.into()), device: None, only_at }, now).map(|_| ())
    }

    #[test]
    fn a_counter_reprints_its_own_live_tickets_within_the_limits_which_a_replay_keeps() {
        let mut e = engine();
        for s in ["civil", "land"] {
            e.execute(&Command::Issue { service: s.into(), priority: None, key: None }, at(0)).unwrap();
        }
        assert!(matches!(reprint(&mut e, "B001", &["1"], at(1)), Err(DomainError::NotYours { .. })), "land is not counter 1's");
        reprint(&mut e, "B001", &["2"], at(1)).unwrap();
        reprint(&mut e, "A001", &["1"], at(1)).unwrap();
        assert!(matches!(reprint(&mut e, "A001", &[], at(20)), Err(DomainError::ReprintTooSoon { wait_s: 11, .. })));
        reprint(&mut e, "A001", &[], at(31)).unwrap();

        // The log replayed into a new engine (a restart) knows the counts.
        let log: Vec<_> = {
            let mut fresh = engine();
            let mut events = Vec::new();
            for cmd in [
                Command::Issue { service: "civil".into(), priority: None, key: None },
                Command::Issue { service: "land".into(), priority: None, key: None },
            ] {
                events.extend(fresh.execute(&cmd, at(0)).unwrap().events);
            }
            for (n, t) in [("B001", 1), ("A001", 1), ("A001", 31)] {
                events.extend(
                    fresh
                        .execute(&Command::Reprint { ticket: TicketRef::Number(n.into()), device: None, only_at: vec![] }, at(t))
                        .unwrap()
                        .events,
                );
            }
            events
        };
        let mut back = engine();
        back.replay(&log);
        assert!(matches!(reprint(&mut back, "A001", &[], at(40)), Err(DomainError::ReprintTooSoon { .. })));
        assert!(matches!(reprint(&mut back, "B001", &[], at(90)), Err(DomainError::DayReprintLimit { limit: 3 })), "3 a day in all");
    }

    #[test]
    fn only_waiting_and_called_tickets_are_reprinted_and_three_times_at_most() {
        let config: Config = crate::testing::config("", &[("civil", "Hộ tịch", "A", "")], &[&["civil"]]);
        let mut e = Engine::new(Arc::new(config), 1);
        e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, at(0)).unwrap();
        for i in 0..3 {
            reprint(&mut e, "A001", &["1"], at(30 * i)).unwrap();
        }
        assert!(matches!(reprint(&mut e, "A001", &["1"], at(120)), Err(DomainError::TicketReprintLimit { limit: 3, .. })));
        e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, at(0)).unwrap();
        e.execute(&Command::Call { counter: "1".into(), ticket: TicketRef::Number("A002".into()) }, at(121)).unwrap();
        reprint(&mut e, "A002", &["1"], at(122)).unwrap();
        e.execute(&Command::Finish { counter: "1".into() }, at(123)).unwrap();
        assert!(matches!(reprint(&mut e, "A002", &[], at(200)), Err(DomainError::NotLive { state: TicketState::Done, .. })));
    }
}
