//! How each event changes the day's state. Live operation and replay both come through here,
//! which is what makes a restart land exactly where the log ends.
use super::engine::{ewma, Engine, RecentCall, RECENT_CALLS};
use super::{CounterState, Ticket};
use crate::event::{Event, EventBody};
use crate::wire::TicketState;

impl Engine {
    pub(crate) fn apply(&mut self, e: &Event) {
        self.apply_body(e);
        if let Some(id) = e.body.ticket() {
            self.index_waiting(id);
        }
    }

    /// Keeps the waiting index in step with the ticket's state after each event.
    fn index_waiting(&mut self, id: u64) {
        if let Some(t) = self.tickets.get(&id) {
            if t.state == TicketState::Waiting {
                self.waiting.insert(t.queue_key());
            } else {
                self.waiting.remove(&t.queue_key());
            }
        }
    }

    fn apply_body(&mut self, e: &Event) {
        match &e.body {
            EventBody::DayStarted => {
                // Yesterday's tickets are void; pauses are kept (a counter closed last night
                // stays closed until staff open it).
                self.day = Some(e.day);
                self.tickets.clear();
                self.waiting.clear();
                self.series.clear();
                self.issued.clear();
                self.reprints = 0;
                self.recent.clear();
                // Staff sign in again each day: a counter left signed in last night must not
                // count today's visits for someone who is not there.
                for c in self.counters.values_mut() {
                    *c = CounterState { paused: c.paused, ..CounterState::default() };
                }
            }
            EventBody::TicketIssued { ticket, number, service, priority, seq, key, booked } => {
                self.day.get_or_insert(e.day);
                let mut t = Ticket::waiting(*ticket, number, service, priority.clone(), e.at, key.clone());
                if let Some(b) = booked {
                    t.ranks_at = b.ranks_at;
                    t.booking = Some(b.code.clone());
                    self.checked_in.insert(b.code.clone(), number.clone());
                }
                self.tickets.insert(*ticket, t);
                self.series.insert(service.clone(), *seq);
                *self.issued.entry(service.clone()).or_default() += 1;
            }
            EventBody::TicketCalled { ticket, number, counter, counter_number, .. } => {
                let priority = match self.tickets.get_mut(ticket) {
                    Some(t) => {
                        t.state = TicketState::Called;
                        t.counter = Some(counter.clone());
                        t.target_counter = None;
                        t.first_called_at.get_or_insert(e.at);
                        t.called_at = Some(e.at);
                        t.calls += 1;
                        t.no_show_at = None;
                        t.priority.is_some()
                    }
                    None => false,
                };
                if let Some(c) = self.counters.get_mut(counter) {
                    c.current = Some(*ticket);
                    c.priority_streak = if priority { c.priority_streak + 1 } else { 0 };
                }
                self.remember_call(*ticket, number, counter, *counter_number, e);
            }
            EventBody::TicketRecalled { ticket, number, counter, counter_number } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.calls += 1;
                    t.called_at = Some(e.at);
                }
                self.remember_call(*ticket, number, counter, *counter_number, e);
            }
            EventBody::TicketNoShow { ticket, counter, .. } => {
                // The counter stays on the ticket: staff see where it missed its turn.
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.state = TicketState::NoShow;
                    t.no_show_at = Some(e.at);
                }
                self.free(counter, *ticket);
            }
            EventBody::TicketRestored { ticket, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.state = TicketState::Waiting;
                    t.counter = None;
                    t.no_show_at = None;
                }
            }
            EventBody::TicketFinished { ticket, service, counter, service_s, staff, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.state = TicketState::Done;
                    t.finished_at = Some(e.at);
                    t.served_by = Some((counter.clone(), staff.clone()));
                }
                self.free(counter, *ticket);
                if let Some(avg) = self.service_s.get_mut(service) {
                    *avg = ewma(*avg, *service_s);
                }
            }
            EventBody::TicketTransferred { ticket, service, from_counter, to_counter, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.service = service.clone();
                    t.state = TicketState::Waiting;
                    t.counter = None;
                    t.target_counter = to_counter.clone();
                }
                self.free(from_counter, *ticket);
            }
            EventBody::HelpAsked { .. } | EventBody::HelpAnswered { .. } | EventBody::HelpWithdrawn { .. } => self.apply_help(e),
            EventBody::DeviceReported { device, problem, message } => {
                self.devices.insert(
                    device.clone(),
                    crate::wire::DeviceView {
                        device: device.clone(),
                        ok: problem.is_none(),
                        problem: problem.clone(),
                        message: message.clone(),
                        since: e.at,
                    },
                );
            }
            // Nothing changes in the queue: the kiosk that holds the printer acts on the event.
            // Counted, so that the limits hold after a restart too (replay comes through here).
            EventBody::TicketReprintRequested { ticket, .. } => {
                self.reprints += 1;
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.reprints += 1;
                    t.reprinted_at = Some(e.at);
                }
            }
            EventBody::CounterPaused { counter } => {
                if let Some(c) = self.counters.get_mut(counter) {
                    c.paused = true;
                }
            }
            EventBody::CounterResumed { counter } => {
                if let Some(c) = self.counters.get_mut(counter) {
                    c.paused = false;
                }
            }
            EventBody::CounterStaffed { counter, staff, staff_name } => {
                if let Some(c) = self.counters.get_mut(counter) {
                    c.staff = staff.as_ref().map(|l| (l.clone(), staff_name.clone()));
                }
            }
            EventBody::TicketRated { ticket, rating, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.rating = Some(*rating);
                }
            }
            EventBody::DossierLinked { ticket, dossier, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.dossier = Some(dossier.clone());
                }
            }
            EventBody::DossierEvaluated { dossier, .. } => {
                self.evaluated.insert(dossier.clone(), e.at);
            }
            // The engine took the new settings when it decided this event (`execute`); at
            // replay the engine starts from the newest settings already. The catalogue is not
            // the queue's.
            EventBody::SettingsChanged { .. } | EventBody::CatalogueReplaced { .. } => {}
            EventBody::ClockStepped { carried, series, .. } => self.apply_clock_stepped(carried, series),
        }
    }

    fn free(&mut self, counter: &str, ticket: u64) {
        if let Some(c) = self.counters.get_mut(counter) {
            if c.current == Some(ticket) {
                c.current = None;
            }
        }
    }

    fn remember_call(&mut self, ticket: u64, number: &str, counter: &str, counter_number: u32, e: &Event) {
        self.recent.push_front(RecentCall { ticket, number: number.to_owned(), counter: counter.to_owned(), counter_number, at: e.at });
        self.recent.truncate(RECENT_CALLS);
    }
}
