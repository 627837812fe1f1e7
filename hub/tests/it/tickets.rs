//! Days of tickets made by the real queue engine, and the figures the centre itself reports
//! for them (its events folded a day at a time, then `shared::report::report`).
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use shared::domain::{Command, Engine, TicketRef};
use shared::event::{Event, Rating};
use shared::report::{self, GroupBy, Row};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A centre of two services and two counters, for the engine.
pub fn centre_config() -> shared::config::Config {
    testkit::centre()
        .service(testkit::service("civil", "Hộ tịch", "A"))
        .service(testkit::service("land", "Đất đai", "B"))
        .counter(1, &["civil", "land"])
        .counter(2, &["civil", "land"])
        .config()
}

/// `days` service days from Monday 2026-11-23, `per_day` tickets each, made by the real engine:
/// calls, finishes of varied length, no-shows, transfers, ratings, and tickets left waiting at
/// the day's end. `seed` varies the day; `shift` moves every event's clock (a centre whose
/// clock is wrong). Staff are stripped as the centre's uplink does.
pub fn days_of_tickets(days: u32, per_day: u32, seed: u64, shift: Duration) -> Vec<Event> {
    let mut engine = Engine::new(Arc::new(centre_config()), 1);
    let mut log: Vec<Event> = Vec::new();
    let mut rng = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move |n: u64| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (rng >> 33) % n
    };
    let base = chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 7, 30, 0).unwrap().to_utc();
    for d in 0..days {
        let mut t = base + Duration::days(i64::from(d));
        let mut run = |cmd: Command, at: DateTime<Utc>, log: &mut Vec<Event>| {
            if let Ok(o) = engine.execute(&cmd, at) {
                log.extend(o.events);
            }
        };
        let staff = Command::Staff { counter: "1".into(), staff: Some(("lan".into(), Some("Nguyễn Thị Lan".into()))) };
        run(staff, t, &mut log);
        for i in 0..per_day {
            t += Duration::seconds(30 + next(240) as i64);
            let service = if next(3) == 0 { "land" } else { "civil" };
            run(Command::Issue { service: service.into(), priority: None, key: None }, t, &mut log);
            // Most of the time a counter serves someone after each issue; the day ends with some waiting.
            if i + 3 < per_day || next(2) == 0 {
                let counter = if next(2) == 0 { "1" } else { "2" };
                run(Command::CallNext { counter: counter.into() }, t + Duration::seconds(next(600) as i64), &mut log);
                let end = t + Duration::seconds(600 + next(900) as i64);
                match next(10) {
                    0 => run(Command::NoShow { counter: counter.into() }, end, &mut log),
                    1 => run(Command::Transfer { counter: counter.into(), service: Some("land".into()), to_counter: None }, end, &mut log),
                    _ => {
                        run(Command::Finish { counter: counter.into() }, end, &mut log);
                        if next(2) == 0 {
                            let rating = Rating::ALL[next(3) as usize];
                            let ticket = log.iter().rev().find_map(|e| e.body.ticket()).unwrap();
                            run(
                                Command::Rate { ticket: TicketRef::Id(ticket), rating, only_at: vec![] },
                                end + Duration::seconds(20),
                                &mut log,
                            );
                        }
                    }
                }
            }
        }
    }
    log.iter()
        .map(|e| {
            let mut e = shared::province::outward(e);
            e.at += shift;
            e
        })
        .collect()
}

/// The figures the centre's own `/api/v1/reports` gives for `events` over `from..=to`: the
/// events of each day folded into visits, then `shared::report::report`'s total.
pub fn centre_total(events: &[Event], from: NaiveDate, to: NaiveDate) -> Row {
    report::report(&visits_of(events, from, to), GroupBy::Day, &HashMap::new(), from, to).total
}

/// The visits of a centre's `events` over `from..=to`, a day at a time as the centre reads them.
pub fn visits_of(events: &[Event], from: NaiveDate, to: NaiveDate) -> Vec<report::Visit> {
    let mut by_day: BTreeMap<NaiveDate, Vec<Event>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.day >= from && e.day <= to) {
        by_day.entry(e.day).or_default().push(e.clone());
    }
    by_day.values().flat_map(report::visits).collect()
}

/// The province's total over several centres' events: all their visits folded at once.
pub fn province_total(centres: &[&[Event]], from: NaiveDate, to: NaiveDate) -> Row {
    let all: Vec<_> = centres.iter().flat_map(|e| visits_of(e, from, to)).collect();
    report::report(&all, GroupBy::Day, &HashMap::new(), from, to).total
}

/// Asserts the hub's figures for a centre equal the centre's own report's total, figure by figure.
pub fn assert_same(hub: &shared::province::Figures, centre: &Row) {
    assert_eq!(hub.tickets_issued, centre.issued.unwrap(), "issued");
    assert_eq!(hub.tickets_served, centre.served, "served");
    assert_eq!(hub.no_shows, centre.no_show, "no-shows");
    assert_eq!(hub.wait_p50_s, centre.wait_s.as_ref().map(|s| s.median), "wait median");
    assert_eq!(hub.wait_p90_s, centre.wait_s.as_ref().map(|s| s.p90), "wait p90");
    assert_eq!(hub.service_p50_s, centre.service_s.as_ref().map(|s| s.median), "service median");
    assert_eq!(hub.ratings, centre.ratings, "ratings");
}
