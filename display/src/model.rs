//! The live display model: what every screen shows, rebuilt from `/api/v1/state` and kept
//! current by the events. Pure, so the follower's hard cases (duplicates across reconnects,
//! gaps, resyncs) are tested here without a network.
use shared::event::{Event, EventBody, EventId, TicketId};
use shared::wire::StateView;
use std::collections::{BTreeMap, HashSet, VecDeque};

/// How many recent calls the model keeps (a hall board shows fewer).
pub const RECENT_CALLS: usize = 12;

/// One call or recall, as shown and announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub ticket: TicketId,
    pub number: String,
    pub counter: String,
    pub counter_number: u32,
    /// Unique per call: the event id, or for calls learned from a state, the call's time, so
    /// a call is announced once whichever way it reached the display.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterState {
    pub name: String,
    pub number: u32,
    /// The ticket number being served, if any.
    pub current: Option<String>,
    pub paused: bool,
}

/// A service as the hall board lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub id: String,
    pub name: String,
    pub letter: String,
}

/// The state of the screens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    /// The centre's name, from the state.
    pub centre: String,
    /// The services in the authority's order.
    pub services: Vec<ServiceInfo>,
    pub last_event_id: EventId,
    /// Newest first.
    pub calls: VecDeque<Call>,
    pub counters: BTreeMap<String, CounterState>,
    /// Waiting tickets per service id.
    pub waiting: BTreeMap<String, u32>,
    /// False while the authority cannot be reached: every screen shows an offline mark.
    pub online: bool,
    /// A short line a counter's keypad wants its screen to show (the answer to a press:
    /// "no one waiting", "retrying"), per counter id. Not from the authority: kept by resets.
    pub notices: BTreeMap<String, String>,
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Already applied (a replay after a reconnect): nothing changed.
    Duplicate,
    /// Events were skipped: the caller must fetch the state again.
    Gap,
    /// The event changed what the state describes (the administrator edited services or
    /// counters): the caller fetches the state again, which includes this event.
    Refetch,
    /// Applied; the call to announce, if the event was one.
    Done(Option<Call>),
}

impl Model {
    /// Replaces the model by a fresh state. Returns the calls in it that this model had not
    /// seen yet, oldest first, so a resync after a long outage still announces them once.
    pub fn reset(&mut self, state: &StateView) -> Vec<Call> {
        let known: HashSet<(TicketId, String)> = self.calls.iter().map(|c| (c.ticket, c.number.clone())).collect();
        let first_load = self.last_event_id == 0 && self.calls.is_empty();
        self.last_event_id = state.last_event_id;
        // An authority older than the rule on names may still send one that garbles the board
        // (controls, direction overrides, a page of text): what the board shows is cleaned.
        self.centre = shared::text::clean_name(&state.centre, shared::text::NAME_MAX_CHARS);
        self.services =
            state.services.iter().map(|s| ServiceInfo { id: s.id.clone(), name: s.name.clone(), letter: s.letter.clone() }).collect();
        self.counters = state
            .counters
            .iter()
            .map(|c| {
                let s = CounterState {
                    name: c.name.clone(),
                    number: c.number,
                    current: c.current.as_ref().map(|t| t.number.clone()),
                    paused: c.paused,
                };
                (c.id.clone(), s)
            })
            .collect();
        self.waiting = state.services.iter().map(|s| (s.id.clone(), s.waiting)).collect();
        let calls: VecDeque<Call> = state
            .recent_calls
            .iter()
            .take(RECENT_CALLS)
            .map(|c| Call {
                ticket: c.ticket,
                number: c.number.clone(),
                counter: c.counter.clone(),
                counter_number: c.counter_number,
                key: format!("at:{}", c.at.to_rfc3339()),
            })
            .collect();
        // At start the hall has heard the old calls already (or nobody was there): only calls
        // made while this display was following, then lost, are news.
        let fresh = if first_load {
            Vec::new()
        } else {
            let newest_known = self.calls.front().map(|c| (c.ticket, c.number.clone()));
            let mut fresh: Vec<Call> = calls
                .iter()
                .take_while(|c| Some((c.ticket, c.number.clone())) != newest_known)
                .filter(|c| !known.contains(&(c.ticket, c.number.clone())))
                .cloned()
                .collect();
            fresh.reverse();
            fresh
        };
        self.calls = calls;
        fresh
    }

    /// Applies one event in stream order.
    pub fn apply(&mut self, e: &Event) -> Applied {
        if e.id <= self.last_event_id {
            return Applied::Duplicate;
        }
        if e.id != self.last_event_id + 1 {
            return Applied::Gap;
        }
        if matches!(e.body, EventBody::SettingsChanged { .. }) {
            return Applied::Refetch;
        }
        self.last_event_id = e.id;
        let mut call = None;
        match &e.body {
            EventBody::DayStarted => {
                self.calls.clear();
                self.waiting.values_mut().for_each(|w| *w = 0);
                self.counters.values_mut().for_each(|c| c.current = None);
            }
            EventBody::TicketIssued { service, .. } | EventBody::TicketRestored { service, .. } => {
                *self.waiting.entry(service.clone()).or_default() += 1;
            }
            EventBody::ClockStepped { carried, .. } => {
                for c in carried {
                    *self.waiting.entry(c.service.clone()).or_default() += 1;
                }
            }
            EventBody::TicketCalled { ticket, number, service, counter, counter_number, .. } => {
                if let Some(w) = self.waiting.get_mut(service) {
                    *w = w.saturating_sub(1);
                }
                call = Some(self.called(*ticket, number, counter, *counter_number, e.id));
            }
            EventBody::TicketRecalled { ticket, number, counter, counter_number } => {
                call = Some(self.called(*ticket, number, counter, *counter_number, e.id));
            }
            EventBody::TicketNoShow { counter, .. } | EventBody::TicketFinished { counter, .. } => {
                self.clear_counter(counter);
            }
            EventBody::TicketTransferred { service, from_counter, .. } => {
                self.clear_counter(from_counter);
                *self.waiting.entry(service.clone()).or_default() += 1;
            }
            EventBody::CounterPaused { counter } | EventBody::CounterResumed { counter } => {
                let paused = matches!(e.body, EventBody::CounterPaused { .. });
                if let Some(c) = self.counters.get_mut(counter) {
                    c.paused = paused;
                }
            }
            // Device reports, reprints: nothing a screen shows. A wildcard, so that a new kind of
            // event in `shared` does not stop the display from following.
            _ => {}
        }
        Applied::Done(call)
    }

    fn called(&mut self, ticket: TicketId, number: &str, counter: &str, counter_number: u32, id: EventId) -> Call {
        let c = Call { ticket, number: number.to_owned(), counter: counter.to_owned(), counter_number, key: format!("event:{id}") };
        if let Some(s) = self.counters.get_mut(counter) {
            s.current = Some(number.to_owned());
        }
        self.calls.push_front(c.clone());
        self.calls.truncate(RECENT_CALLS);
        c
    }

    fn clear_counter(&mut self, counter: &str) {
        if let Some(s) = self.counters.get_mut(counter) {
            s.current = None;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use shared::wire::{CallView, CounterView, ServiceView};

    pub fn state(last: EventId, calls: &[(TicketId, &str)]) -> StateView {
        StateView {
            centre: "UBND".into(),
            day: "2026-11-23".parse().unwrap(),
            last_event_id: last,
            services: vec![ServiceView {
                id: "civil".into(),
                name: "Hộ tịch".into(),
                name_en: None,
                letter: "A".into(),
                group: None,
                priorities: vec![],
                waiting: 2,
                issued_today: 2,
                daily_cap: None,
                open: true,
                estimated_wait_s: 0,
            }],
            counters: vec![CounterView {
                id: "3".into(),
                name: "Quầy 3".into(),
                number: 3,
                services: vec!["civil".into()],
                paused: false,
                current: None,
                staff: None,
                staff_name: None,
            }],
            priority: vec![],
            waiting: vec![],
            no_show: vec![],
            recent_calls: calls
                .iter()
                .enumerate()
                .map(|(i, (t, n))| CallView {
                    ticket: *t,
                    number: (*n).into(),
                    counter: "3".into(),
                    counter_number: 3,
                    at: format!("2026-11-23T01:00:{:02}Z", 59 - i).parse().unwrap(),
                })
                .collect(),
            devices: vec![],
            helps: vec![],
            now: None,
            utc_offset: None,
            uplink: None,
            clock: None,
        }
    }

    pub fn called(id: EventId, ticket: TicketId, number: &str) -> Event {
        Event {
            id,
            at: "2026-11-23T01:02:03Z".parse().unwrap(),
            day: "2026-11-23".parse().unwrap(),
            body: EventBody::TicketCalled {
                ticket,
                number: number.into(),
                service: "civil".into(),
                counter: "3".into(),
                counter_number: 3,
                staff: None,
            },
        }
    }

    #[test]
    fn a_call_updates_the_counter_and_the_list_once() {
        // Proves a replayed event (after a reconnect) is neither shown nor announced twice.
        let mut m = Model::default();
        assert!(m.reset(&state(5, &[])).is_empty());
        let Applied::Done(Some(c)) = m.apply(&called(6, 1, "A001")) else { panic!() };
        assert_eq!(c.number, "A001");
        assert_eq!(m.counters["3"].current.as_deref(), Some("A001"));
        assert_eq!(m.waiting["civil"], 1);
        assert_eq!(m.apply(&called(6, 1, "A001")), Applied::Duplicate);
        assert_eq!(m.calls.len(), 1);
    }

    #[test]
    fn a_centre_name_that_would_garble_the_board_is_cleaned() {
        // Proves the hall board never gets ESC, NUL or a right-to-left override in the centre's
        // name, nor 12,000 characters of it, whatever the authority sends.
        let mut m = Model::default();
        let mut s = state(5, &[]);
        s.centre = format!("\u{1b}[2JUBND \u{202E}Ba Đình\0{}", "x".repeat(12_000));
        m.reset(&s);
        assert!(m.centre.starts_with("[2JUBND Ba Đìnhxxx"), "{:?}", m.centre);
        assert_eq!(m.centre.chars().count(), shared::text::NAME_MAX_CHARS);
    }

    #[test]
    fn a_skipped_event_is_a_gap_and_changes_nothing() {
        // Proves the model never silently jumps over an event it did not see.
        let mut m = Model::default();
        m.reset(&state(5, &[]));
        assert_eq!(m.apply(&called(8, 1, "A001")), Applied::Gap);
        let changed = Event { body: EventBody::SettingsChanged { version: 1 }, ..called(6, 1, "A001") };
        assert_eq!(m.apply(&changed), Applied::Refetch, "new settings: the state is fetched again");
        assert_eq!(m.last_event_id, 5);
        assert!(m.calls.is_empty());
    }

    #[test]
    fn a_resync_announces_only_calls_missed_since_the_last_seen() {
        // Proves a refetch after an outage yields the missed calls, oldest first, and not the
        // ones already announced; and that the first load announces nothing old.
        let mut m = Model::default();
        assert!(m.reset(&state(5, &[(1, "A001")])).is_empty());
        let fresh = m.reset(&state(9, &[(3, "A003"), (2, "A002"), (1, "A001")]));
        let numbers: Vec<_> = fresh.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["A002", "A003"]);
        assert!(m.reset(&state(9, &[(3, "A003"), (2, "A002"), (1, "A001")])).is_empty());
    }
}
