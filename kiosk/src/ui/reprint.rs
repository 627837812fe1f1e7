//! Tickets this kiosk issued but could not print: kept (the whole print job, number included) so
//! that the citizen can print it again on the ticket screen once the printer is ready, or staff
//! can from the settings. A reprint sends the same job to the printer: it never asks the
//! authority for anything, so it can never issue a new number.
use crate::printing::{PrintFailure, Problem, Readiness, TicketJob, TicketPrinter};
use authority::clock::Clock;
use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use shared::config::Config;
use std::sync::{Arc, Mutex};

/// More than a day's worth of failures means the printer is gone: staff see the newest.
const KEEP: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ReprintError {
    #[error("no unprinted ticket {0} on this kiosk (printed already, or of another day)")]
    Unknown(String),
    #[error("the printer is not ready: {}", .0.code())]
    NotReady(Problem),
    #[error(transparent)]
    Failed(#[from] PrintFailure),
}

pub struct Unprinted {
    jobs: Mutex<Vec<TicketJob>>,
    /// The authority's clock: "today" is the authority's service day.
    clock: Arc<dyn Clock>,
    offset: chrono::FixedOffset,
    rollover_min: u32,
}

impl Unprinted {
    pub fn new(config: &Config, clock: Arc<dyn Clock>) -> Unprinted {
        Unprinted { jobs: Mutex::new(Vec::new()), clock, offset: config.centre.utc_offset.0, rollover_min: config.queue.rollover.minutes }
    }

    /// The service day of a moment: the local date shifted by the rollover time. A ticket of
    /// another day is void, and printing it would send a citizen to wait for nothing.
    fn day(&self, at: DateTime<Utc>) -> NaiveDate {
        (at.with_timezone(&self.offset) - Span::minutes(self.rollover_min.into())).date_naive()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TicketJob>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a job whose printing failed.
    pub fn add(&self, job: TicketJob) {
        let mut jobs = self.lock();
        jobs.retain(|j| j.number != job.number || self.day(j.issued_at) != self.day(job.issued_at));
        jobs.push(job);
        if jobs.len() > KEEP {
            let extra = jobs.len() - KEEP;
            jobs.drain(..extra);
        }
    }

    /// Today's unprinted tickets, oldest first (those of earlier days are forgotten).
    pub fn list(&self) -> Vec<TicketJob> {
        let today = self.day(self.clock.now());
        let mut jobs = self.lock();
        jobs.retain(|j| self.day(j.issued_at) >= today);
        jobs.iter().filter(|j| self.day(j.issued_at) == today).cloned().collect()
    }

    /// Prints ticket `number` again, exactly as it was laid out the first time; forgets it once
    /// printed. Blocking (it talks to the printer).
    pub fn reprint(&self, number: &str, printer: &dyn TicketPrinter) -> Result<TicketJob, ReprintError> {
        let job = self.list().into_iter().find(|j| j.number == number).ok_or_else(|| ReprintError::Unknown(number.to_owned()))?;
        if let Readiness::Unable(p) = printer.readiness() {
            return Err(ReprintError::NotReady(p));
        }
        printer.print(&job)?;
        self.lock().retain(|j| j != &job);
        tracing::info!("ticket {number} printed again on this kiosk");
        Ok(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use authority::clock::ManualClock;
    use chrono::TimeZone;

    fn config() -> Config {
        testkit::config::one_service().queue("rollover", "\"02:00\"").config()
    }

    fn job(number: &str, at: DateTime<Utc>) -> TicketJob {
        TicketJob {
            ticket_id: 1,
            number: number.into(),
            service_name: "Hộ tịch".into(),
            priority_name: None,
            waiting_ahead: 0,
            estimated_wait_s: 0,
            issued_at: at,
            key: None,
        }
    }

    fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().to_utc()
    }

    #[test]
    fn tickets_of_an_earlier_service_day_are_forgotten() {
        // Proves a void ticket of yesterday is never offered for printing (the day rolls at 02:00).
        let clock = Arc::new(ManualClock::new(local(24, 1, 45)));
        let u = Unprinted::new(&config(), clock.clone());
        u.add(job("A007", local(23, 16, 0)));
        u.add(job("A001", local(24, 1, 30)));
        u.add(job("A002", local(24, 8, 0)));
        let numbers = || u.list().into_iter().map(|j| j.number).collect::<Vec<_>>();
        assert_eq!(numbers(), ["A007", "A001"], "01:30 still belongs to the 23rd's day");
        clock.advance(chrono::Duration::hours(7));
        assert_eq!(numbers(), ["A002"]);
    }

    #[test]
    fn the_same_number_is_kept_once() {
        let u = Unprinted::new(&config(), Arc::new(ManualClock::new(local(24, 9, 0))));
        u.add(job("A001", local(24, 8, 0)));
        u.add(job("A001", local(24, 8, 0)));
        assert_eq!(u.list().len(), 1);
    }
}
