//! The read side: how many are ahead of a ticket, how long it may wait, and the whole state.
use super::day::open_now;
use super::engine::Engine;
use super::Ticket;
use crate::event::TicketId;
use crate::wire::{CallView, CounterView, PriorityView, ServiceView, StateView, TicketState, TicketView};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

impl Engine {
    /// Waiting tickets of the same service that will be called before `t`: every waiting
    /// priority ticket issued before it, and, for a normal ticket, every priority ticket and
    /// every normal ticket issued before it (priority tickets go first, within the ratio).
    pub(crate) fn ahead_of(&self, t: &Ticket) -> u32 {
        self.waiting_tickets()
            .filter(|u| u.id != t.id && u.service == t.service)
            .filter(|u| match (&t.priority, &u.priority) {
                (Some(_), Some(_)) | (None, None) => u.queue_key() < t.queue_key(),
                (None, Some(_)) => true,
                (Some(_), None) => false,
            })
            .count() as u32
    }

    /// Tickets ahead, times the moving average of a visit, shared among the counters that
    /// serve the service and are open (at least one, so a closed hall still gets an estimate).
    pub(crate) fn estimate_s(&self, service: &str, ahead: u32) -> u32 {
        let avg = self.service_s.get(service).copied().unwrap_or(300.0);
        let open = self
            .config
            .counters
            .iter()
            .filter(|c| c.services.iter().any(|s| s == service))
            .filter(|c| self.counters.get(&c.id).is_some_and(|s| !s.paused))
            .count()
            .max(1);
        (ahead as f64 * avg / open as f64).round() as u32
    }

    /// Every waiting ticket with its place, in one pass over the queue (a busy day has
    /// thousands waiting, and displays fetch this after every reconnection): a normal ticket
    /// has every waiting priority ticket of its service ahead, plus the normal ones before it;
    /// a priority ticket, the priority ones before it. The same rule as `ahead_of`.
    fn waiting_views(&self) -> Vec<TicketView> {
        self.places().map(|(t, ahead)| self.view(t, Some(ahead))).collect()
    }

    /// Every waiting ticket with the number of tickets ahead of it (see `waiting_views`).
    pub(crate) fn places(&self) -> impl Iterator<Item = (&Ticket, u32)> {
        let mut priority_total: HashMap<&str, u32> = HashMap::new();
        for t in self.waiting_tickets().filter(|t| t.priority.is_some()) {
            *priority_total.entry(t.service.as_str()).or_default() += 1;
        }
        let mut seen: HashMap<(&str, bool), u32> = HashMap::new();
        self.waiting_tickets().map(move |t| {
            let before = seen.entry((t.service.as_str(), t.priority.is_some())).or_default();
            let ahead = *before + if t.priority.is_some() { 0 } else { priority_total.get(t.service.as_str()).copied().unwrap_or(0) };
            *before += 1;
            (t, ahead)
        })
    }

    fn view(&self, t: &Ticket, ahead: Option<u32>) -> TicketView {
        TicketView {
            id: t.id,
            number: t.number.clone(),
            service: t.service.clone(),
            priority: t.priority.clone(),
            issued_at: t.issued_at,
            state: t.state,
            counter: t.counter.clone(),
            called_at: t.called_at,
            waiting_ahead: ahead,
            estimated_wait_s: ahead.map(|a| self.estimate_s(&t.service, a)),
            key: None,
        }
    }

    pub fn view_ticket(&self, id: TicketId, _now: DateTime<Utc>) -> Option<TicketView> {
        let t = self.tickets.get(&id)?;
        let ahead = (t.state == TicketState::Waiting).then(|| self.ahead_of(t));
        Some(self.view(t, ahead))
    }

    pub fn state(&self, now: DateTime<Utc>, last_event_id: u64) -> StateView {
        let day = self.day.unwrap_or_else(|| super::service_day(&self.config, now));
        let no_shows = {
            let mut v: Vec<&Ticket> = self.tickets.values().filter(|t| t.state == TicketState::NoShow).collect();
            v.sort_by_key(|t| t.queue_key());
            v.into_iter().filter_map(|t| self.view_ticket(t.id, now)).collect::<Vec<_>>()
        };
        let grace = chrono::Duration::minutes(self.config.queue.no_show_grace_min as i64);
        let services = self
            .config
            .services
            .iter()
            .map(|s| {
                let waiting = self.waiting_tickets().filter(|t| t.service == s.id).count() as u32;
                let issued = self.issued.get(&s.id).copied().unwrap_or(0);
                let capped = s.daily_cap.is_some_and(|c| issued >= c);
                ServiceView {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    name_en: s.name_en.clone(),
                    letter: s.letter.clone(),
                    group: s.group.clone(),
                    priorities: s.priorities.clone(),
                    waiting,
                    issued_today: issued,
                    daily_cap: s.daily_cap,
                    open: !capped && open_now(&self.config, s, now).is_ok(),
                    estimated_wait_s: self.estimate_s(&s.id, waiting),
                }
            })
            .collect();
        let counters = self
            .config
            .counters
            .iter()
            .map(|c| {
                let st = self.counters.get(&c.id).cloned().unwrap_or_default();
                CounterView {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    number: c.number,
                    services: c.services.clone(),
                    paused: st.paused,
                    current: st.current.and_then(|id| self.view_ticket(id, now)),
                    staff: st.staff.as_ref().map(|(l, _)| l.clone()),
                    staff_name: st.staff.as_ref().and_then(|(_, n)| n.clone()),
                }
            })
            .collect();
        StateView {
            centre: self.config.centre.name.clone(),
            day,
            last_event_id,
            services,
            counters,
            priority: self
                .config
                .priority
                .iter()
                .map(|p| PriorityView { id: p.id.clone(), name: p.name.clone(), name_en: p.name_en.clone() })
                .collect(),
            waiting: self.waiting_views(),
            no_show: no_shows
                .into_iter()
                .filter(|t| self.tickets.get(&t.id).and_then(|x| x.no_show_at).is_some_and(|at| now - at <= grace))
                .collect(),
            recent_calls: self
                .recent
                .iter()
                .map(|r| CallView {
                    ticket: r.ticket,
                    number: r.number.clone(),
                    counter: r.counter.clone(),
                    counter_number: r.counter_number,
                    at: r.at,
                })
                .collect(),
            devices: self.devices.values().cloned().collect(),
            helps: self.help_views(now),
            now: Some(now),
            utc_offset: Some(self.config.centre.utc_offset.to_string()),
            uplink: None,
            clock: None,
        }
    }
}
