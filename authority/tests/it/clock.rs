//! The Pi's clock. A Pi has no real-time clock: after a power cut it boots with a stale time
//! and keeps it until NTP answers, and then the clock steps. Each test names what it proves.
use chrono::Duration;
use shared::event::EventBody;
use shared::store::Store;
use testkit::*;

async fn waiting(s: &TestServer) -> Vec<String> {
    s.client(DISPLAY).state().await.unwrap().waiting.into_iter().map(|t| t.number).collect()
}

/// Proves a Pi that lost power in the evening, booted the next morning with its clock ten
/// minutes behind its own log, issued tickets under that time and then heard from NTP (the
/// clock steps 15 h 40 min forward): says its clock is behind while it is, loses none of the
/// morning's tickets (carried into the true day, QR keys and all), starts the day once, and
/// gives no number twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pi_booted_with_a_stale_clock_keeps_the_mornings_tickets_when_ntp_steps_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let evening = monday_9am() + Duration::hours(7);
    let s = TestServer::start_at(config::in_process(&db).config(), evening).await;
    for _ in 0..3 {
        s.client(KIOSK).issue("civil", None).await.unwrap();
    }
    s.stop().await;

    // The next morning, before NTP: the clock says ten minutes before the log's last event.
    let s = TestServer::start_at(config::in_process(&db).config(), evening - Duration::minutes(10)).await;
    let state = s.client(DISPLAY).state().await.unwrap();
    let behind = state.clock.expect("the state says the clock is behind the log");
    assert!((595..=605).contains(&behind.behind_s), "{behind:?}");
    let health: serde_json::Value = s.http().get(format!("{}/healthz", s.url)).send().await.unwrap().json().await.unwrap();
    assert!(health["clock_behind_s"].as_u64().is_some_and(|b| b >= 595), "health says so too: {health}");
    let a4 = s.client(KIOSK).issue("civil", None).await.unwrap();
    let a5 = s.client(KIOSK).issue("civil", None).await.unwrap();
    assert_eq!((a4.number.as_str(), a5.number.as_str()), ("A004", "A005"), "numbering goes on under the stale time");

    // NTP answers: 07:30 on Tuesday.
    s.clock.step(Duration::minutes(15 * 60 + 40));
    let a6 = s.client(KIOSK).issue("civil", None).await.unwrap();
    assert_eq!(a6.number, "A006", "the day's series goes on after the carried tickets");
    let state = s.client(DISPLAY).state().await.unwrap();
    assert_eq!(state.day.to_string(), "2026-11-24");
    assert!(state.clock.is_none(), "the clock has caught up");
    assert_eq!(waiting(&s).await, ["A004", "A005", "A006"], "Monday evening's leftovers are void; the hall's tickets wait");
    let page = s.client("").public_ticket(a4.key.as_deref().unwrap()).await.unwrap();
    assert_eq!(page.waiting_ahead, Some(0), "the carried ticket's QR code still opens its page: {page:?}");
    s.stop().await;

    let store = Store::open(&db).unwrap();
    let log = store.events_after(0, 1000).unwrap();
    let tuesday: Vec<_> = log.iter().filter(|e| e.day.to_string() == "2026-11-24").collect();
    assert_eq!(tuesday.iter().filter(|e| e.body == EventBody::DayStarted).count(), 1, "Tuesday started once");
    let mut numbers: Vec<String> = tuesday
        .iter()
        .flat_map(|e| match &e.body {
            EventBody::TicketIssued { number, .. } => vec![number.clone()],
            EventBody::ClockStepped { carried, .. } => carried.iter().map(|c| c.number.clone()).collect(),
            _ => vec![],
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["A004", "A005", "A006"], "Tuesday's tickets, each number once");
    let audit: Vec<String> = store.audit_page(None, 50).unwrap().into_iter().map(|a| a.action).collect();
    assert!(audit.contains(&"clock_behind".to_owned()) && audit.contains(&"clock_stepped".to_owned()), "{audit:?}");
}

/// Proves a clock set back a day while serving (someone sets the time by hand) neither starts
/// that day again nor gives Monday's numbers a second time, and that when the clock is set
/// right the same day goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_back_while_serving_starts_no_day_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start_at(config::in_process(&db).config(), monday_9am()).await;
    s.client(KIOSK).issue("civil", None).await.unwrap();
    s.client(KIOSK).issue("civil", None).await.unwrap();
    s.clock.step(-Duration::days(1));
    assert_eq!(s.client(KIOSK).issue("civil", None).await.unwrap().number, "A003");
    let state = s.client(DISPLAY).state().await.unwrap();
    assert_eq!(state.day.to_string(), "2026-11-23", "still Monday");
    assert!(state.clock.is_some_and(|c| c.behind_s >= 86_000));
    s.clock.step(Duration::days(1));
    assert_eq!(s.client(KIOSK).issue("civil", None).await.unwrap().number, "A004");
    assert_eq!(waiting(&s).await, ["A001", "A002", "A003", "A004"], "nothing voided");
    s.stop().await;
    let log = Store::open(&db).unwrap().events_after(0, 100).unwrap();
    assert_eq!(log.iter().filter(|e| e.body == EventBody::DayStarted).count(), 1);
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at), "the log's times never go back");
}
