//! The engine: the state of the service day, and the decisions that change it.
use super::day::{open_now, service_day};
use super::{CounterState, DomainError, Ticket};
use crate::config::Config;
use crate::event::{Event, EventBody, EventId, TicketId};
use crate::wire::TicketState;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

pub use super::command::{Command, Outcome, SettingsRef, TicketRef};

/// One call kept for the boards' "latest calls".
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecentCall {
    pub ticket: TicketId,
    pub number: String,
    pub counter: String,
    pub counter_number: u32,
    pub at: DateTime<Utc>,
}

pub(crate) const RECENT_CALLS: usize = 12;

/// Weight of the newest visit in the moving average of service times.
pub(crate) const EWMA_ALPHA: f64 = 0.2;

pub struct Engine {
    pub(crate) config: Arc<Config>,
    pub(crate) day: Option<NaiveDate>,
    pub(crate) next_id: EventId,
    pub(crate) tickets: BTreeMap<TicketId, Ticket>,
    /// The waiting tickets in queue order (issue time, id): calls and estimates walk this,
    /// not the whole day, so their cost follows the queue's length, not the day's.
    pub(crate) waiting: BTreeSet<(DateTime<Utc>, TicketId)>,
    pub(crate) counters: HashMap<String, CounterState>,
    /// Last sequence number issued today, per service.
    pub(crate) series: HashMap<String, u32>,
    pub(crate) issued: HashMap<String, u32>,
    /// Reprints asked today, for the whole centre.
    pub(crate) reprints: u32,
    /// Moving average of visit lengths per service, in seconds.
    pub(crate) service_s: HashMap<String, f64>,
    pub(crate) recent: VecDeque<RecentCall>,
    /// The last health each device reported; kept across days.
    pub(crate) devices: BTreeMap<String, crate::wire::DeviceView>,
    /// Each kiosk's last call for help; kept across days (one per kiosk).
    pub(crate) helps: BTreeMap<String, super::help::HelpCall>,
    /// Dossiers evaluated since the replay began, and when: kept across days, since the
    /// store's answer (`Command::EvaluateDossier::stored_at`) misses what is not committed yet.
    pub(crate) evaluated: HashMap<String, DateTime<Utc>>,
    /// Bookings checked in since the replay began, with their ticket's number: a code checks
    /// in once (a booking is for one day, so what the replay misses is of no use).
    pub(crate) checked_in: HashMap<String, String>,
    /// Events applied by a command that was then refused (the day turned first): they go out
    /// with the next outcome, so the log and the state never disagree.
    pending: Vec<Event>,
}

impl Engine {
    /// An engine with no history; `next_id` continues the store's event ids.
    pub fn new(config: Arc<Config>, next_id: EventId) -> Engine {
        let counters = config.counters.iter().map(|c| (c.id.clone(), CounterState::default())).collect();
        let service_s = config.services.iter().map(|s| (s.id.clone(), s.service_time_s as f64)).collect();
        Engine {
            config,
            day: None,
            next_id: next_id.max(1),
            tickets: BTreeMap::new(),
            waiting: BTreeSet::new(),
            counters,
            series: HashMap::new(),
            issued: HashMap::new(),
            reprints: 0,
            service_s,
            recent: VecDeque::new(),
            devices: BTreeMap::new(),
            helps: BTreeMap::new(),
            evaluated: HashMap::new(),
            checked_in: HashMap::new(),
            pending: Vec::new(),
        }
    }

    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    pub fn day(&self) -> Option<NaiveDate> {
        self.day
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> EventId {
        self.next_id
    }

    pub fn ticket(&self, id: TicketId) -> Option<&Ticket> {
        self.tickets.get(&id)
    }

    /// Rebuilds the state from the log: the same `apply` as live operation, so a restart
    /// reaches exactly the state the last acknowledged command left.
    pub fn replay<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        for e in events {
            self.apply(e);
            self.next_id = self.next_id.max(e.id + 1);
        }
    }

    /// Seeds the visit-length averages from earlier days' finished tickets, so that the first
    /// estimates of a day are real ones.
    pub fn learn_service_time(&mut self, service: &str, seconds: u32) {
        if let Some(avg) = self.service_s.get_mut(service) {
            *avg = ewma(*avg, seconds);
        }
    }

    /// Decides the events of a command at `now` and applies them. On refusal nothing changes.
    pub fn execute(&mut self, cmd: &Command, now: DateTime<Utc>) -> Result<Outcome, DomainError> {
        let mut out = Outcome { events: std::mem::take(&mut self.pending), ticket: None };
        // A day never comes back: a clock set back (a Pi that booted with a stale time) must not
        // start an earlier day again and number its tickets from the start once more.
        let today = service_day(&self.config, now).max(self.day.unwrap_or(NaiveDate::MIN));
        let turns = self.day != Some(today);
        // A clock step is decided before the day turns: what it carries is the old day's.
        let stepped = match cmd {
            Command::ClockStepped { from, to, since } => Some(self.clock_stepped(*from, *to, *since, turns)),
            _ => None,
        };
        if turns {
            self.emit(&mut out, now, today, EventBody::DayStarted);
        }
        let decided = match stepped {
            Some(body) => Ok(vec![body]),
            None => self.decide(cmd, now),
        };
        let bodies = match decided {
            Ok(b) => b,
            Err(e) => {
                // The day has turned already: that part stands even though the command is
                // refused, and goes out with the next outcome.
                self.pending = out.events;
                return Err(e);
            }
        };
        if let Command::Reconfigure { config, .. } = cmd {
            self.reconfigure(config.0.clone());
        }
        // A call answers with the ticket called (none when nobody waits), not the one it ended.
        let calls = matches!(cmd, Command::CallNext { .. } | Command::Call { .. });
        let mut subject = None;
        for body in bodies {
            if !calls || matches!(body, EventBody::TicketCalled { .. }) {
                subject = body.ticket().or(subject);
            }
            self.emit(&mut out, now, today, body);
        }
        // A link repeated with the same code changes nothing, and still answers with its ticket.
        if let (None, Command::LinkDossier { ticket, .. }) = (subject, cmd) {
            subject = self.find(ticket).ok().map(|t| t.id);
        }
        out.ticket = subject.and_then(|id| self.view_ticket(id, now));
        Ok(out)
    }

    fn emit(&mut self, out: &mut Outcome, now: DateTime<Utc>, day: NaiveDate, body: EventBody) {
        let e = Event { id: self.next_id, at: now, day, body };
        self.next_id += 1;
        self.apply(&e);
        out.events.push(e);
    }

    fn decide(&self, cmd: &Command, now: DateTime<Utc>) -> Result<Vec<EventBody>, DomainError> {
        match cmd {
            // A step is decided in `execute`, before the day turns.
            Command::Tick | Command::ClockStepped { .. } => Ok(vec![]),
            Command::Issue { service, priority, key } => self.decide_issue(service, priority.as_deref(), key.clone(), now),
            Command::CheckIn { code, booking, key } => self.decide_check_in(code, booking.as_ref(), key.clone(), now),
            Command::CallNext { counter } => {
                let c = self.counter(counter)?;
                if c.1.paused {
                    return Err(DomainError::CounterPaused(counter.clone()));
                }
                let mut out = self.finish_current(counter, now);
                if let Some(t) = self.select_next(counter, now) {
                    out.push(self.called(t, c.0));
                }
                Ok(out)
            }
            Command::Call { counter, ticket } => {
                let c = self.counter(counter)?;
                if c.1.paused {
                    return Err(DomainError::CounterPaused(counter.clone()));
                }
                let t = self.find(ticket)?;
                if !c.0.services.contains(&t.service) {
                    return Err(DomainError::NotServedHere { number: t.number.clone(), counter: counter.clone() });
                }
                match t.state {
                    TicketState::Waiting => {}
                    TicketState::NoShow => self.within_grace(t, now)?,
                    state => return Err(DomainError::NotCallable { number: t.number.clone(), state }),
                }
                let mut out = self.finish_current(counter, now);
                out.push(self.called(t, c.0));
                Ok(out)
            }
            Command::Recall { counter } => {
                let t = self.current(counter)?;
                let c = self.counter(counter)?.0;
                Ok(vec![EventBody::TicketRecalled {
                    ticket: t.id,
                    number: t.number.clone(),
                    counter: counter.clone(),
                    counter_number: c.number,
                }])
            }
            Command::NoShow { counter } => {
                let t = self.current(counter)?;
                Ok(vec![EventBody::TicketNoShow {
                    ticket: t.id,
                    number: t.number.clone(),
                    counter: counter.clone(),
                    staff: self.staff_at(counter),
                }])
            }
            Command::Restore { ticket, only_at } => {
                let t = self.find(ticket)?;
                self.in_scope(t, only_at)?;
                if t.state != TicketState::NoShow {
                    return Err(DomainError::NotCallable { number: t.number.clone(), state: t.state });
                }
                self.within_grace(t, now)?;
                Ok(vec![EventBody::TicketRestored { ticket: t.id, number: t.number.clone(), service: t.service.clone() }])
            }
            Command::Finish { counter } => {
                self.current(counter)?;
                Ok(self.finish_current(counter, now))
            }
            Command::Transfer { counter, service, to_counter } => {
                let t = self.current(counter)?;
                if service.is_none() && to_counter.is_none() {
                    return Err(DomainError::EmptyTransfer);
                }
                let target_service = match service {
                    Some(s) => self.config.service(s).ok_or_else(|| DomainError::UnknownService(s.clone()))?.id.clone(),
                    None => t.service.clone(),
                };
                if let Some(k) = to_counter {
                    let c = self.counter(k)?.0;
                    if !c.services.contains(&target_service) {
                        return Err(DomainError::NotServedHere { number: t.number.clone(), counter: k.clone() });
                    }
                }
                Ok(vec![EventBody::TicketTransferred {
                    ticket: t.id,
                    number: t.number.clone(),
                    from_service: t.service.clone(),
                    service: target_service,
                    from_counter: counter.clone(),
                    to_counter: to_counter.clone(),
                }])
            }
            Command::ReportDevice { device, problem, message } => {
                let same = self.devices.get(device).is_some_and(|d| d.problem == *problem && d.message == *message);
                Ok(if same {
                    vec![]
                } else {
                    vec![EventBody::DeviceReported { device: device.clone(), problem: problem.clone(), message: message.clone() }]
                })
            }
            Command::AskHelp { device, screen } => self.decide_ask_help(device, *screen, now),
            Command::AnswerHelp { device, staff, staff_name } => self.decide_answer_help(device, staff, staff_name.as_ref()),
            Command::WithdrawHelp { device } => Ok(self.decide_withdraw_help(device)),
            Command::Reprint { ticket, device, only_at } => self.decide_reprint(ticket, device.as_ref(), only_at, now),
            Command::Staff { counter, staff } => self.decide_staff(counter, staff.as_ref()),
            Command::Rate { ticket, rating, only_at } => self.decide_rating(ticket, *rating, only_at, now),
            Command::LinkDossier { ticket, dossier, only_at } => self.decide_link(ticket, dossier, only_at, now),
            Command::EvaluateDossier { dossier, scores, device, stored_at } => self.decide_evaluation(dossier, *scores, device, *stored_at),
            Command::Reconfigure { config, version } => {
                self.check_reconfigure(&config.0)?;
                Ok(vec![EventBody::SettingsChanged { version: *version }])
            }
            Command::CatalogueReplaced { procedures } => Ok(vec![EventBody::CatalogueReplaced { procedures: *procedures }]),
            Command::Pause { counter } => {
                let c = self.counter(counter)?;
                Ok(if c.1.paused { vec![] } else { vec![EventBody::CounterPaused { counter: counter.clone() }] })
            }
            Command::Resume { counter } => {
                let c = self.counter(counter)?;
                Ok(if c.1.paused { vec![EventBody::CounterResumed { counter: counter.clone() }] } else { vec![] })
            }
        }
    }

    fn decide_issue(
        &self,
        service: &str,
        priority: Option<&str>,
        key: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let s = self.config.service(service).ok_or_else(|| DomainError::UnknownService(service.to_owned()))?;
        if let Some(p) = priority {
            if self.config.priority_class(p).is_none() {
                return Err(DomainError::UnknownPriority(p.to_owned()));
            }
            if !s.priorities.iter().any(|x| x == p) {
                return Err(DomainError::PriorityNotOffered { service: s.id.clone(), priority: p.to_owned() });
            }
        }
        open_now(&self.config, s, now).map_err(|next| DomainError::ServiceClosed { service: s.id.clone(), next })?;
        let issued = self.issued.get(&s.id).copied().unwrap_or(0);
        if let Some(cap) = s.daily_cap {
            if issued >= cap {
                return Err(DomainError::DailyCapReached { service: s.id.clone(), cap });
            }
        }
        let (number, seq) = self.next_number(s)?;
        Ok(vec![EventBody::TicketIssued {
            ticket: self.next_id,
            number,
            service: s.id.clone(),
            priority: priority.map(str::to_owned),
            seq,
            key,
            booked: None,
        }])
    }

    /// The service's next number today, and its place in the series.
    pub(super) fn next_number(&self, s: &crate::config::Service) -> Result<(String, u32), DomainError> {
        let seq = match self.series.get(&s.id) {
            Some(last) => last.checked_add(1).ok_or_else(|| DomainError::SeriesExhausted { service: s.id.clone() })?,
            None => s.start,
        };
        let digits = self.config.queue.number_digits as usize;
        Ok((format!("{}{seq:0digits$}", s.letter), seq))
    }

    fn counter(&self, id: &str) -> Result<(&crate::config::Counter, &CounterState), DomainError> {
        let c = self.config.counter(id).ok_or_else(|| DomainError::UnknownCounter(id.to_owned()))?;
        Ok((c, self.counters.get(id).expect("every configured counter has a state")))
    }

    fn current(&self, counter: &str) -> Result<&Ticket, DomainError> {
        let (_, st) = self.counter(counter)?;
        st.current.and_then(|id| self.tickets.get(&id)).ok_or_else(|| DomainError::NoCurrentTicket(counter.to_owned()))
    }

    pub(super) fn find(&self, r: &TicketRef) -> Result<&Ticket, DomainError> {
        match r {
            TicketRef::Id(id) => self.tickets.get(id).ok_or_else(|| DomainError::TicketNotFound(id.to_string())),
            TicketRef::Number(n) => {
                self.tickets.values().find(|t| t.number.eq_ignore_ascii_case(n)).ok_or_else(|| DomainError::TicketNotFound(n.clone()))
            }
        }
    }

    fn within_grace(&self, t: &Ticket, now: DateTime<Utc>) -> Result<(), DomainError> {
        let grace_min = self.config.queue.no_show_grace_min;
        let since = t.no_show_at.map(|at| now - at).unwrap_or_default();
        if since > chrono::Duration::minutes(grace_min as i64) {
            return Err(DomainError::GraceExpired { number: t.number.clone(), grace_min });
        }
        Ok(())
    }

    /// Calling the next ticket ends the visit in progress: staff press one button, not two.
    fn finish_current(&self, counter: &str, now: DateTime<Utc>) -> Vec<EventBody> {
        let Ok(t) = self.current(counter) else { return vec![] };
        let started = t.first_called_at.unwrap_or(now);
        vec![EventBody::TicketFinished {
            ticket: t.id,
            number: t.number.clone(),
            service: t.service.clone(),
            counter: counter.to_owned(),
            service_s: (now - started).num_seconds().clamp(0, u32::MAX as i64) as u32,
            staff: self.staff_at(counter),
        }]
    }

    /// The call of `t` at `counter`, the configured counter its command named (found, not
    /// looked up again on trust).
    fn called(&self, t: &Ticket, counter: &crate::config::Counter) -> EventBody {
        EventBody::TicketCalled {
            ticket: t.id,
            number: t.number.clone(),
            service: t.service.clone(),
            counter: counter.id.clone(),
            counter_number: counter.number,
            staff: self.staff_at(&counter.id),
        }
    }

    /// The login of the staff member at a counter, recorded with what the counter does.
    pub(crate) fn staff_at(&self, counter: &str) -> Option<String> {
        self.counters.get(counter).and_then(|c| c.staff.as_ref()).map(|(login, _)| login.clone())
    }

    fn decide_staff(&self, counter: &str, staff: Option<&(String, Option<String>)>) -> Result<Vec<EventBody>, DomainError> {
        let (_, st) = self.counter(counter)?;
        let mut out = Vec::new();
        if let Some((login, _)) = staff {
            // Leaving the counter they were at before, in counter order for a stable log.
            let mut others: Vec<&String> = self
                .counters
                .iter()
                .filter(|(id, c)| id.as_str() != counter && c.staff.as_ref().is_some_and(|(l, _)| l == login))
                .map(|(id, _)| id)
                .collect();
            others.sort();
            for id in others {
                out.push(EventBody::CounterStaffed { counter: id.clone(), staff: None, staff_name: None });
            }
        }
        let same = st.staff.as_ref().map(|(l, _)| l) == staff.map(|(l, _)| l);
        if !same {
            out.push(EventBody::CounterStaffed {
                counter: counter.to_owned(),
                staff: staff.map(|(l, _)| l.clone()),
                staff_name: staff.and_then(|(_, n)| n.clone()),
            });
        }
        Ok(out)
    }

    fn decide_rating(
        &self,
        r: &TicketRef,
        rating: crate::event::Rating,
        only_at: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<EventBody>, DomainError> {
        let t = self.find(r)?;
        if t.rating.is_some() {
            return Err(DomainError::AlreadyRated(t.number.clone()));
        }
        let (Some(at), Some((counter, staff))) = (t.finished_at, t.served_by.as_ref()) else {
            return Err(DomainError::NotFinished(t.number.clone()));
        };
        if !only_at.is_empty() && !only_at.contains(counter) {
            return Err(DomainError::NotServedHere { number: t.number.clone(), counter: only_at.join(",") });
        }
        let window_min = self.config.queue.rating_window_min;
        if now - at > chrono::Duration::minutes(window_min as i64) {
            return Err(DomainError::RatingClosed { number: t.number.clone(), window_min });
        }
        Ok(vec![EventBody::TicketRated {
            ticket: t.id,
            number: t.number.clone(),
            service: t.service.clone(),
            counter: counter.clone(),
            staff: staff.clone(),
            rating,
            dossier: t.dossier.clone(),
        }])
    }
}

pub(crate) fn ewma(avg: f64, seconds: u32) -> f64 {
    // One forgotten "finish" should not make the estimate absurd for the rest of the day.
    let s = (seconds as f64).clamp(10.0, 3600.0);
    avg + EWMA_ALPHA * (s - avg)
}
