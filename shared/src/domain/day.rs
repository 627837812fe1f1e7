//! Local time: which service day an instant belongs to, and whether a service is open.
use crate::config::{Config, LocalTime, Service, Weekday};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The service day of an instant: the local date, shifted back by the rollover time, so that with
/// a rollover at 03:00 a ticket taken at 01:00 still belongs to the day before.
pub fn service_day(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    let local = now.with_timezone(&config.centre.utc_offset.0);
    (local - Duration::minutes(config.queue.rollover.minutes as i64)).date_naive()
}

/// `Ok` when the service takes tickets at this instant, else when it opens next (for the message).
pub(crate) fn open_now(config: &Config, s: &Service, now: DateTime<Utc>) -> Result<(), Option<String>> {
    let local = now.with_timezone(&config.centre.utc_offset.0);
    let t = LocalTime::of(local.time());
    let today = Weekday::of(chrono::Datelike::weekday(&local));
    if s.days.contains(&today) && s.hours.iter().any(|r| r.contains(t)) {
        return Ok(());
    }
    if s.days.contains(&today) {
        if let Some(r) = s.hours.iter().filter(|r| r.start > t).min_by_key(|r| r.start) {
            return Err(Some(format!("at {}", r.start)));
        }
    }
    let first = s.hours.iter().map(|r| r.start).min();
    for ahead in 1..=7 {
        let day = Weekday::of(chrono::Datelike::weekday(&(local + Duration::days(ahead))));
        if s.days.contains(&day) {
            let when = if ahead == 1 { "tomorrow".to_owned() } else { format!("{day:?}").to_lowercase() };
            return Err(first.map(|f| format!("{when} at {f}")));
        }
    }
    Err(None)
}
