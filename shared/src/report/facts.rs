//! One day's events → one record per visit (ticket), the unit every report counts, and the
//! dossiers' evaluations.
use crate::dossier::evaluation::Scores;
use crate::event::{Event, EventBody, Rating, TicketId};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// What happened to one ticket over its day.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub day: NaiveDate,
    pub ticket: TicketId,
    pub number: String,
    /// The service it was issued for, and the one it ended in (a transfer changes it).
    pub issued_service: String,
    pub service: String,
    pub priority: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub first_called_at: Option<DateTime<Utc>>,
    /// The counter and staff member who called it first (its wait ends there).
    pub first_counter: Option<String>,
    pub first_staff: Option<String>,
    /// Where and by whom it was finished, and how long the visit took.
    pub finished: Option<Finish>,
    /// Ended the day as a no-show (a no-show brought back and served is served).
    pub no_show: bool,
    pub transfers: u32,
    pub rating: Option<Rating>,
    /// The dossier the visit became (the last link counts), and who linked it.
    pub dossier: Option<Linked>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub code: String,
    pub counter: String,
    pub staff: Option<String>,
}

/// A citizen's evaluation of a finished dossier, as the log holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub dossier: String,
    pub scores: Scores,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finish {
    pub counter: String,
    pub staff: Option<String>,
    pub service_s: u32,
}

impl Visit {
    fn issued(day: NaiveDate, ticket: TicketId, number: &str, service: &str, priority: &Option<String>, at: DateTime<Utc>) -> Visit {
        Visit {
            day,
            ticket,
            number: number.to_owned(),
            issued_service: service.to_owned(),
            service: service.to_owned(),
            priority: priority.clone(),
            issued_at: at,
            first_called_at: None,
            first_counter: None,
            first_staff: None,
            finished: None,
            no_show: false,
            transfers: 0,
            rating: None,
            dossier: None,
        }
    }

    /// Seconds from taking the number to the first call.
    pub fn wait_s(&self) -> Option<u32> {
        self.first_called_at.map(|c| (c - self.issued_at).num_seconds().clamp(0, u32::MAX as i64) as u32)
    }
}

/// The visits of the events given (one or more whole days), in ticket order. Events about
/// tickets whose issue is not among them (a log pruned mid-day) are ignored.
pub fn visits<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<Visit> {
    let mut out: BTreeMap<TicketId, Visit> = BTreeMap::new();
    for e in events {
        match &e.body {
            EventBody::TicketIssued { ticket, number, service, priority, .. } => {
                out.insert(*ticket, Visit::issued(e.day, *ticket, number, service, priority, e.at));
            }
            // Carried into the next day by a clock step: a visit of that day, counted once.
            EventBody::ClockStepped { carried, .. } => {
                for c in carried {
                    out.insert(c.ticket, Visit::issued(e.day, c.ticket, &c.number, &c.service, &c.priority, c.issued_at));
                }
            }
            EventBody::TicketCalled { ticket, counter, staff, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    if v.first_called_at.is_none() {
                        v.first_called_at = Some(e.at);
                        v.first_counter = Some(counter.clone());
                        v.first_staff = staff.clone();
                    }
                    v.no_show = false;
                }
            }
            EventBody::TicketNoShow { ticket, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.no_show = true;
                }
            }
            EventBody::TicketRestored { ticket, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.no_show = false;
                }
            }
            EventBody::TicketTransferred { ticket, service, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.service = service.clone();
                    v.transfers += 1;
                }
            }
            EventBody::TicketFinished { ticket, service, counter, service_s, staff, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.service = service.clone();
                    v.finished = Some(Finish { counter: counter.clone(), staff: staff.clone(), service_s: *service_s });
                }
            }
            EventBody::TicketRated { ticket, rating, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.rating = Some(*rating);
                }
            }
            EventBody::DossierLinked { ticket, dossier, counter, staff, .. } => {
                if let Some(v) = out.get_mut(ticket) {
                    v.dossier = Some(Linked { code: dossier.clone(), counter: counter.clone(), staff: staff.clone() });
                }
            }
            _ => {}
        }
    }
    out.into_values().collect()
}

/// The evaluations among the events given, in the log's order.
pub fn evaluations<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<Evaluated> {
    events
        .into_iter()
        .filter_map(|e| match &e.body {
            EventBody::DossierEvaluated { dossier, scores, .. } => {
                Some(Evaluated { day: e.day, at: e.at, dossier: dossier.clone(), scores: *scores })
            }
            _ => None,
        })
        .collect()
}
