//! A clock that jumps: each test names the failure it proves absent.
use super::*;

fn on(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    at(h, m) + Duration::days(day as i64 - 23)
}

fn waiting(e: &Engine, now: DateTime<Utc>) -> Vec<String> {
    e.state(now, 0).waiting.into_iter().map(|t| t.number).collect()
}

#[test]
fn a_clock_set_back_a_day_neither_starts_that_day_again_nor_reuses_a_number() {
    let mut e = engine();
    issue(&mut e, "civil", None, on(23, 8, 0));
    issue(&mut e, "civil", None, on(23, 8, 1));
    // The clock goes back to the day before: the engine stays on its day and its series.
    let out = e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, on(22, 10, 0)).unwrap();
    assert!(out.events.iter().all(|ev| ev.body != EventBody::DayStarted), "no day started again: {:?}", out.events);
    assert_eq!(out.events[0].day, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), "the event keeps the engine's day");
    assert_eq!(out.ticket.unwrap().number, "A003");
    // (The queue's order follows issue times, which the authority's clock keeps from going
    // back: `authority/src/owner/log_clock.rs`. Here only what waits is looked at.)
    let mut still = waiting(&e, on(23, 9, 0));
    still.sort();
    assert_eq!(still, ["A001", "A002", "A003"], "nothing was voided");
    // When the clock comes right, the same day goes on: no second start.
    let out = e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, on(23, 9, 0)).unwrap();
    assert!(out.events.iter().all(|ev| ev.body != EventBody::DayStarted));
    assert_eq!(out.ticket.unwrap().number, "A004");
}

/// A Pi lost power on the evening of the 23rd with A001-A003 left waiting, booted on the morning
/// of the 24th with the clock it saved (16:30 on the 23rd), issued A004 and A005 under that time,
/// then NTP stepped the clock to 07:46 on the 24th.
fn booted_stale_then_stepped() -> (Engine, Vec<Event>) {
    let mut e = engine();
    let mut log = Vec::new();
    for m in 0..3 {
        log.extend(e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, on(23, 16, m)).unwrap().events);
    }
    let since = e.next_id();
    for m in [30, 31] {
        let cmd = Command::Issue { service: "civil".into(), priority: None, key: Some(format!("key-{m}")) };
        log.extend(e.execute(&cmd, on(23, 16, m)).unwrap().events);
    }
    let step = Command::ClockStepped { from: on(23, 16, 32), to: on(24, 7, 46), since };
    log.extend(e.execute(&step, on(24, 7, 46)).unwrap().events);
    (e, log)
}

#[test]
fn a_step_over_the_rollover_carries_the_tickets_issued_under_the_stale_time() {
    let (mut e, log) = booted_stale_then_stepped();
    let tail: Vec<&EventBody> = log.iter().rev().take(2).rev().map(|ev| &ev.body).collect();
    assert_eq!(tail[0], &EventBody::DayStarted, "the step turned the day");
    let EventBody::ClockStepped { carried, series, .. } = tail[1] else { panic!("{:?}", tail[1]) };
    let numbers: Vec<&str> = carried.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["A004", "A005"], "the stale run's tickets are carried, the evening's are not");
    assert_eq!(carried[0].issued_at, on(24, 7, 44), "issue times move by the step (16:30 + 15 h 14 min)");
    assert_eq!(carried[1].key.as_deref(), Some("key-31"), "a carried ticket keeps its QR code's key");
    assert_eq!(series.get("civil"), Some(&5));
    assert_eq!(e.day(), Some(on(24, 12, 0).date_naive()));
    assert_eq!(waiting(&e, on(24, 7, 47)), ["A004", "A005"], "yesterday's leftovers are void, the hall's tickets wait");
    // The series goes on after the carried numbers: A004 and A005 are not given again.
    assert_eq!(issue(&mut e, "civil", None, on(24, 7, 48)), "A006");
    assert_eq!(call_next(&mut e, "1", on(24, 7, 50)).as_deref(), Some("A004"), "carried tickets keep their place");
}

#[test]
fn a_replayed_step_rebuilds_the_same_day() {
    let (live, log) = booted_stale_then_stepped();
    let mut restarted = engine();
    restarted.replay(&log);
    let now = on(24, 8, 0);
    assert_eq!(restarted.state(now, 0), live.state(now, 0), "a restart after the step lands on the carried queue");
    assert_eq!(restarted.public_ticket("key-31", now), live.public_ticket("key-31", now));
    assert!(restarted.public_ticket("key-31", now).is_some(), "the citizen's page still finds the carried ticket");
}

#[test]
fn a_step_within_the_day_records_itself_and_leaves_the_queue_alone() {
    let mut e = engine();
    issue(&mut e, "civil", None, on(23, 8, 0));
    let since = e.next_id();
    issue(&mut e, "civil", None, on(23, 8, 1));
    let out = e.execute(&Command::ClockStepped { from: on(23, 8, 2), to: on(23, 9, 30), since }, on(23, 9, 30)).unwrap();
    assert_eq!(out.events.len(), 1);
    let EventBody::ClockStepped { carried, series, .. } = &out.events[0].body else { panic!() };
    assert!(carried.is_empty() && series.is_empty(), "nothing to carry when the day goes on");
    assert_eq!(waiting(&e, on(23, 9, 31)), ["A001", "A002"]);
    assert_eq!(issue(&mut e, "civil", None, on(23, 9, 31)), "A003");
}
