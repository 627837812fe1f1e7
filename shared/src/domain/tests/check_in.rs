//! Checking in a number booked on the province hub: each test names what it proves.
use super::*;
use crate::config::{BookedRank, HourRange};
use crate::province::booking::Booking;
use chrono::NaiveDate;

const MONDAY: (i32, u32, u32) = (2026, 11, 23);

fn booking(code: &str, window: &str) -> Booking {
    Booking {
        seq: 1,
        code: code.into(),
        service: "civil".into(),
        day: NaiveDate::from_ymd_opt(MONDAY.0, MONDAY.1, MONDAY.2).unwrap(),
        window: HourRange::parse(window).unwrap(),
    }
}

fn check_in(e: &mut Engine, b: Option<Booking>, now: DateTime<Utc>) -> Result<Outcome, DomainError> {
    let code = b.as_ref().map_or_else(|| "ZZZZZZZZ".to_owned(), |b| b.code.clone());
    e.execute(&Command::CheckIn { code, booking: b, key: None }, now)
}

/// Requirement: a booked number checked in before its window enters the queue at the window's
/// opening: after the walk-ins who came before 09:00, before those who came after; its place
/// and its code are in the event, so a replay gives the same queue.
#[test]
fn a_booking_ranks_by_its_windows_opening() {
    let mut e = engine();
    let mut log: Vec<Event> = Vec::new();
    let walk_in = |e: &mut Engine, log: &mut Vec<Event>, now| {
        log.extend(e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, now).unwrap().events);
    };
    walk_in(&mut e, &mut log, at(8, 40));
    let booked = check_in(&mut e, Some(booking("K7QXM2PA", "09:00-10:00")), at(8, 45)).unwrap();
    assert_eq!(booked.ticket.as_ref().unwrap().number, "A002");
    match &booked.events.last().unwrap().body {
        EventBody::TicketIssued { booked: Some(b), .. } => assert_eq!((b.code.as_str(), b.ranks_at), ("K7QXM2PA", at(9, 0))),
        other => panic!("{other:?}"),
    }
    log.extend(booked.events);
    walk_in(&mut e, &mut log, at(8, 50));
    walk_in(&mut e, &mut log, at(9, 5));
    let mut replayed = engine();
    replayed.replay(&log);
    let order: Vec<_> = (0..4).map(|i| call_next(&mut e, "1", at(9, 10 + i)).unwrap()).collect();
    assert_eq!(order, ["A001", "A003", "A002", "A004"], "the booking between 08:50 and 09:05");

    assert_eq!(replayed.tickets.values().find(|t| t.number == "A002").unwrap().ranks_at, at(9, 0));
    assert!(replayed.checked_in.contains_key("K7QXM2PA"), "a replay knows the code is used");
}

/// Requirement: with `booked_rank = "check_in"`, a booked number ranks as a walk-in, by the
/// time it checks in.
#[test]
fn a_booking_may_rank_as_a_walk_in() {
    let mut config = config();
    config.queue.booked_rank = BookedRank::CheckIn;
    let mut e = Engine::new(Arc::new(config), 1);
    check_in(&mut e, Some(booking("K7QXM2PA", "08:00-09:00")), at(8, 30)).unwrap();
    issue(&mut e, "civil", None, at(8, 20 + 20));
    assert_eq!(call_next(&mut e, "1", at(8, 45)).unwrap(), "A001", "checked in at 08:30, first");
}

/// Requirement: each refusal says why, and changes nothing: a code this centre does not hold,
/// another day's booking, too early (with the time it opens), too late, used already.
#[test]
fn refusals_say_why() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(7, 0));
    assert_eq!(check_in(&mut e, None, at(8, 0)).unwrap_err().code(), "booking_not_found");
    let mut other = booking("K7QXM2PA", "09:00-10:00");
    other.day = other.day.succ_opt().unwrap();
    assert!(matches!(check_in(&mut e, Some(other), at(9, 0)), Err(DomainError::BookingOtherDay { .. })));
    // Check-in opens 30 minutes before the window, closes 15 after it.
    let b = booking("K7QXM2PA", "09:00-10:00");
    assert_eq!(
        check_in(&mut e, Some(b.clone()), at(8, 29)).unwrap_err(),
        DomainError::BookingTooEarly { code: "K7QX-M2PA".into(), from: "08:30".into() }
    );
    assert_eq!(check_in(&mut e, Some(b.clone()), at(10, 16)).unwrap_err().code(), "booking_too_late");
    let before = e.tickets.len();
    assert_eq!(before, 1, "refusals issued nothing");
    check_in(&mut e, Some(b.clone()), at(10, 15)).unwrap();
    assert_eq!(
        check_in(&mut e, Some(b), at(10, 15)).unwrap_err(),
        DomainError::BookingUsed { code: "K7QX-M2PA".into(), number: "A002".into() }
    );
}

/// Requirement: a booked ticket issued under a stale clock and carried into the new day by the
/// clock's step keeps its booking (used) and its rank, moved by the step like its issue time.
#[test]
fn a_booked_ticket_carried_over_a_clock_step_keeps_its_booking_and_rank() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(16, 0));
    let since = e.next_id();
    check_in(&mut e, Some(booking("K7QXM2PA", "16:30-17:00")), at(16, 31)).unwrap();
    let (from, to) = (at(16, 32), at(16, 32) + Duration::hours(15) + Duration::minutes(14));
    let out = e.execute(&Command::ClockStepped { from, to, since }, to).unwrap();
    let carried = out
        .events
        .iter()
        .find_map(|ev| match &ev.body {
            EventBody::ClockStepped { carried, .. } => Some(carried.clone()),
            _ => None,
        })
        .expect("the step");
    let by = to - from;
    let booked = carried[0].booked.clone().expect("the booking goes with the ticket");
    assert_eq!((booked.code.as_str(), booked.ranks_at), ("K7QXM2PA", at(16, 30) + by));
    let t = e.tickets.values().find(|t| t.booking.as_deref() == Some("K7QXM2PA")).expect("the ticket carried");
    assert_eq!(t.ranks_at, at(16, 30) + by);
    assert!(e.checked_in.contains_key("K7QXM2PA"), "still used");
}
