//! The administrator's settings applied to a running day.
//!
//! Services, counters and priority classes may change while tickets wait, as long as no ticket
//! of today is stranded: a service that still has tickets waiting, called or brought back
//! cannot go, nor can a counter that is serving someone, nor can a counter stop serving a
//! service it is serving right now. Everything else takes effect with the next command:
//! a renamed service shows its new name, a new counter can call at once, a new service takes
//! tickets. The numbering of a service that stays continues where it is.
use super::engine::Engine;
use super::DomainError;
use crate::config::Config;
use crate::wire::TicketState;
use std::sync::Arc;

impl Engine {
    /// Refuses settings that would strand a ticket of today, naming it.
    pub(crate) fn check_reconfigure(&self, new: &Config) -> Result<(), DomainError> {
        for t in self.tickets.values() {
            let live = matches!(t.state, TicketState::Waiting | TicketState::Called | TicketState::NoShow);
            if live && new.service(&t.service).is_none() {
                return Err(DomainError::InUse(format!(
                    "service {:?} cannot be removed: ticket {} of today is still {}",
                    t.service,
                    t.number,
                    state_word(t.state)
                )));
            }
            if let (true, Some(p)) = (live, &t.priority) {
                if new.priority_class(p).is_none() {
                    return Err(DomainError::InUse(format!(
                        "priority class {p:?} cannot be removed: ticket {} of today is still {}",
                        t.number,
                        state_word(t.state)
                    )));
                }
            }
        }
        for (id, st) in &self.counters {
            let Some(current) = st.current.and_then(|t| self.tickets.get(&t)) else { continue };
            match new.counter(id) {
                None => {
                    return Err(DomainError::InUse(format!("counter {id:?} cannot be removed while it serves ticket {}", current.number)))
                }
                Some(c) if !c.services.contains(&current.service) => {
                    return Err(DomainError::InUse(format!(
                        "counter {id:?} serves ticket {} of service {:?} now: it must keep that service until the visit ends",
                        current.number, current.service
                    )))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Takes the new settings: counters and services that appear get their state, those that
    /// went lose it (`check_reconfigure` made sure nobody was using them).
    pub(crate) fn reconfigure(&mut self, new: Arc<Config>) {
        self.counters.retain(|id, _| new.counter(id).is_some());
        for c in &new.counters {
            self.counters.entry(c.id.clone()).or_default();
        }
        self.service_s.retain(|id, _| new.service(id).is_some());
        for s in &new.services {
            self.service_s.entry(s.id.clone()).or_insert(s.service_time_s as f64);
        }
        self.config = new;
    }
}

fn state_word(s: TicketState) -> &'static str {
    match s {
        TicketState::Waiting => "waiting",
        TicketState::Called => "at a counter",
        TicketState::NoShow => "within its no-show grace period",
        TicketState::Done => "done",
    }
}
