//! Engine tests: each names the rule it proves.
use super::*;
use crate::config::Config;
use crate::event::{Event, EventBody};
use chrono::{Duration, TimeZone};
use std::sync::Arc;

mod check_in;
mod clock_step;
mod dossier_evaluation;
mod dossier_link;

fn config() -> Config {
    let head = "[queue]\npriority_ratio = 2\nmax_wait_min = 30\nno_show_grace_min = 10\nrollover = \"03:00\"\n\
                [[priority]]\nid = \"elderly\"\nname = \"Người cao tuổi\"";
    let civil = ("civil", "Hộ tịch", "A", "priorities = [\"elderly\"]\nservice_time_s = 240");
    let land = (
        "land",
        "Đất đai",
        "B",
        "daily_cap = 3\nhours = [\"07:30-11:30\", \"13:30-17:00\"]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
    );
    crate::testing::config(head, &[civil, land], &[&["civil"], &["civil", "land"]])
}

/// Monday 2026-11-23 at the given local (+07:00) time.
fn at(h: u32, m: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().with_timezone(&Utc)
}

fn engine() -> Engine {
    Engine::new(Arc::new(config()), 1)
}

fn issue(e: &mut Engine, service: &str, priority: Option<&str>, now: DateTime<Utc>) -> String {
    let cmd = Command::Issue { service: service.into(), priority: priority.map(Into::into), key: None };
    e.execute(&cmd, now).unwrap().ticket.unwrap().number
}

fn call_next(e: &mut Engine, counter: &str, now: DateTime<Utc>) -> Option<String> {
    e.execute(&Command::CallNext { counter: counter.into() }, now).unwrap().ticket.map(|t| t.number)
}

#[test]
fn numbers_follow_each_series_and_the_day_starts_first() {
    let mut e = engine();
    let out = e.execute(&Command::Issue { service: "civil".into(), priority: None, key: None }, at(8, 0)).unwrap();
    assert_eq!(out.events[0].body, EventBody::DayStarted);
    assert_eq!(out.ticket.unwrap().number, "A001");
    assert_eq!(issue(&mut e, "civil", None, at(8, 1)), "A002");
    assert_eq!(issue(&mut e, "land", None, at(8, 2)), "B001");
    assert_eq!(issue(&mut e, "civil", Some("elderly"), at(8, 3)), "A003");
}

#[test]
fn priority_goes_first_but_only_ratio_times_in_a_row() {
    let mut e = engine();
    for i in 0..3 {
        issue(&mut e, "civil", None, at(8, i));
    }
    for i in 3..7 {
        issue(&mut e, "civil", Some("elderly"), at(8, i));
    }
    let order: Vec<_> = (0..7).map(|i| call_next(&mut e, "1", at(8, 10 + i)).unwrap()).collect();
    // N: A001-A003, P: A004-A007. Ratio 2: P P N P P N N.
    assert_eq!(order, ["A004", "A005", "A001", "A006", "A007", "A002", "A003"]);
    assert_eq!(call_next(&mut e, "1", at(8, 20)), None, "nobody waits");
}

#[test]
fn a_normal_ticket_past_the_maximum_wait_is_called_before_priority() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", Some("elderly"), at(8, 25));
    assert_eq!(call_next(&mut e, "1", at(8, 29)).as_deref(), Some("A002"), "29 min: priority first");
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", Some("elderly"), at(8, 25));
    assert_eq!(call_next(&mut e, "1", at(8, 30)).as_deref(), Some("A001"), "30 min: no starvation");
}

#[test]
fn call_next_finishes_the_current_visit_and_learns_its_length() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 0));
    call_next(&mut e, "1", at(8, 1));
    let out = e.execute(&Command::CallNext { counter: "1".into() }, at(8, 11)).unwrap();
    match &out.events[0].body {
        EventBody::TicketFinished { number, service_s, .. } => {
            assert_eq!((number.as_str(), *service_s), ("A001", 600));
        }
        other => panic!("expected the finish first, got {other:?}"),
    }
    // 240 + 0.2 * (600 - 240)
    assert!((e.service_s["civil"] - 312.0).abs() < 1e-9);
}

#[test]
fn a_no_show_comes_back_in_its_old_place_within_the_grace_period_only() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 1));
    call_next(&mut e, "1", at(8, 2));
    e.execute(&Command::NoShow { counter: "1".into() }, at(8, 3)).unwrap();
    assert_eq!(e.state(at(8, 3), 0).no_show.len(), 1);
    let back = e.execute(&Command::Restore { ticket: TicketRef::Number("A001".into()), only_at: vec![] }, at(8, 13)).unwrap();
    assert_eq!(back.ticket.unwrap().waiting_ahead, Some(0), "restored ahead of A002");
    assert_eq!(call_next(&mut e, "1", at(8, 14)).as_deref(), Some("A001"));
    e.execute(&Command::NoShow { counter: "1".into() }, at(8, 15)).unwrap();
    let late = e.execute(&Command::Restore { ticket: TicketRef::Number("A001".into()), only_at: vec![] }, at(8, 26));
    assert!(matches!(late, Err(DomainError::GraceExpired { .. })), "{late:?}");
    let late = e.execute(&Command::Call { counter: "1".into(), ticket: TicketRef::Number("a001".into()) }, at(8, 26));
    assert!(matches!(late, Err(DomainError::GraceExpired { .. })), "{late:?}");
}

#[test]
fn a_transfer_keeps_the_place_by_issue_time() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0)); // A001
    issue(&mut e, "land", None, at(8, 5)); // B001
    call_next(&mut e, "1", at(8, 6));
    let out = e.execute(&Command::Transfer { counter: "1".into(), service: Some("land".into()), to_counter: None }, at(8, 7)).unwrap();
    assert_eq!(out.ticket.unwrap().waiting_ahead, Some(0), "issued before B001");
    assert_eq!(call_next(&mut e, "2", at(8, 8)).as_deref(), Some("A001"));
}

#[test]
fn a_transfer_to_a_counter_is_called_only_there() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0)); // A001
    issue(&mut e, "civil", None, at(8, 1)); // A002
    call_next(&mut e, "2", at(8, 2));
    e.execute(&Command::Transfer { counter: "2".into(), service: None, to_counter: Some("2".into()) }, at(8, 3)).unwrap();
    assert_eq!(call_next(&mut e, "1", at(8, 4)).as_deref(), Some("A002"), "counter 1 skips A001");
    assert_eq!(call_next(&mut e, "2", at(8, 5)).as_deref(), Some("A001"));
    let refused =
        e.execute(&Command::Transfer { counter: "2".into(), service: Some("land".into()), to_counter: Some("1".into()) }, at(8, 6));
    assert!(matches!(refused, Err(DomainError::NotServedHere { .. })), "{refused:?}");
}

#[test]
fn closed_hours_days_and_caps_are_refused_plainly() {
    let mut e = engine();
    let r = e.execute(&Command::Issue { service: "land".into(), priority: None, key: None }, at(12, 0));
    assert_eq!(r.unwrap_err().to_string(), "service \"land\" is closed now; it opens at 13:30");
    let saturday = at(9, 0) + Duration::days(5);
    let r = e.execute(&Command::Issue { service: "land".into(), priority: None, key: None }, saturday);
    assert!(r.unwrap_err().to_string().contains("opens mon at 07:30"));
    for i in 0..3 {
        issue(&mut e, "land", None, at(9, i));
    }
    let r = e.execute(&Command::Issue { service: "land".into(), priority: None, key: None }, at(9, 5));
    assert_eq!(r.unwrap_err(), DomainError::DailyCapReached { service: "land".into(), cap: 3 });
    assert!(!e.state(at(9, 5), 0).services[1].open);
    let r = e.execute(&Command::Issue { service: "land".into(), priority: Some("elderly".into()), key: None }, at(9, 5));
    assert!(matches!(r, Err(DomainError::PriorityNotOffered { .. })));
}

#[test]
fn the_rollover_restarts_numbering_and_voids_yesterday() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 1));
    // 02:59 the next morning is still the same service day (rollover 03:00).
    let night = at(2, 59) + Duration::days(1);
    assert_eq!(issue(&mut e, "civil", None, night), "A003");
    let morning = at(3, 0) + Duration::days(1);
    let out = e.execute(&Command::Tick, morning).unwrap();
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].body, EventBody::DayStarted);
    assert!(e.state(morning, 0).waiting.is_empty());
    assert_eq!(issue(&mut e, "civil", None, morning), "A001");
}

#[test]
fn a_refused_command_changes_nothing_but_a_turned_day_is_not_lost() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    let before = e.state(at(8, 1), 0);
    assert!(e.execute(&Command::Finish { counter: "1".into() }, at(8, 1)).is_err());
    assert!(e.execute(&Command::CallNext { counter: "9".into() }, at(8, 1)).is_err());
    assert_eq!(e.state(at(8, 1), 0), before);
    let tomorrow = at(9, 0) + Duration::days(1);
    assert!(e.execute(&Command::Finish { counter: "1".into() }, tomorrow).is_err());
    let out = e.execute(&Command::Tick, tomorrow).unwrap();
    assert_eq!(out.events.len(), 1, "the day start decided by the refused command goes out now");
    assert_eq!(out.events[0].body, EventBody::DayStarted);
}

#[test]
fn a_paused_counter_calls_nobody_and_leaves_the_estimate_to_the_others() {
    let mut e = engine();
    for i in 0..4 {
        issue(&mut e, "civil", None, at(8, i));
    }
    let both = e.state(at(8, 5), 0).services[0].estimated_wait_s;
    assert_eq!(both, 4 * 240 / 2);
    e.execute(&Command::Pause { counter: "2".into() }, at(8, 5)).unwrap();
    assert_eq!(e.state(at(8, 5), 0).services[0].estimated_wait_s, 4 * 240);
    let r = e.execute(&Command::CallNext { counter: "2".into() }, at(8, 6));
    assert_eq!(r.unwrap_err(), DomainError::CounterPaused("2".into()));
    let again = e.execute(&Command::Pause { counter: "2".into() }, at(8, 6)).unwrap();
    assert!(again.events.is_empty(), "pausing twice writes nothing");
}

/// A tiny deterministic generator: the replay test must be repeatable.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn replaying_the_log_rebuilds_exactly_the_same_state() {
    // Proves a restart after any sequence of commands lands where the log ends.
    let mut rng = Lcg(42);
    let mut live = engine();
    let mut log: Vec<Event> = Vec::new();
    let mut now = at(7, 40);
    for _ in 0..2000 {
        now += Duration::seconds(rng.next(90) as i64);
        let counter = ["1", "2"][rng.next(2) as usize].to_string();
        let cmd = match rng.next(10) {
            0..=3 => Command::Issue {
                service: ["civil", "land"][rng.next(2) as usize].into(),
                priority: (rng.next(3) == 0).then(|| "elderly".into()),
                key: None,
            },
            4 | 5 => Command::CallNext { counter },
            6 => Command::Recall { counter },
            7 => Command::NoShow { counter },
            8 => Command::Restore { ticket: TicketRef::Id(1 + rng.next(log.len() as u64 + 1)), only_at: vec![] },
            _ => Command::Transfer { counter, service: Some("civil".into()), to_counter: None },
        };
        if let Ok(out) = live.execute(&cmd, now) {
            log.extend(out.events);
        }
    }
    let ids: Vec<_> = log.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "event ids are dense and increasing");
    assert!(log.iter().filter(|e| e.body == EventBody::DayStarted).count() >= 2, "the run spans a rollover");
    let mut restarted = engine();
    restarted.replay(&log);
    assert_eq!(restarted.state(now, 0), live.state(now, 0));
    assert_eq!(restarted.next_id(), live.next_id());
    assert!(live.state(now, 0).recent_calls.len() > 3, "the run did call tickets");
}

#[test]
fn the_state_gives_each_waiting_ticket_the_same_place_as_its_own_view() {
    // The one-pass computation of the state must agree with the per-ticket rule.
    let mut e = engine();
    let mut rng = Lcg(7);
    for i in 0..600 {
        let service = ["civil", "land"][rng.next(2) as usize];
        let priority = (service == "civil" && rng.next(3) == 0).then_some("elderly");
        let _ = e.execute(
            &Command::Issue { service: service.into(), priority: priority.map(Into::into), key: None },
            at(9, 0) + Duration::seconds(i),
        );
        if rng.next(4) == 0 {
            let _ = e.execute(&Command::CallNext { counter: "1".into() }, at(9, 0) + Duration::seconds(i));
        }
    }
    let now = at(10, 0);
    let state = e.state(now, 0);
    assert!(state.waiting.len() > 100);
    for t in &state.waiting {
        assert_eq!(Some(t), e.view_ticket(t.id, now).as_ref(), "ticket {}", t.number);
    }
}

#[test]
fn device_health_is_recorded_on_change_only_and_outlives_the_day() {
    let mut e = engine();
    let report =
        |problem: Option<&str>| Command::ReportDevice { device: "kiosk-1".into(), problem: problem.map(Into::into), message: None };
    assert_eq!(e.execute(&report(None), at(8, 0)).unwrap().events.len(), 2, "day start + first report");
    assert!(e.execute(&report(None), at(8, 1)).unwrap().events.is_empty(), "no change, nothing written");
    let out = e.execute(&report(Some("paper_end")), at(8, 2)).unwrap();
    assert!(matches!(&out.events[0].body, EventBody::DeviceReported { problem: Some(p), .. } if p == "paper_end"));
    let state = e.state(at(8, 3), 0);
    assert_eq!((state.devices[0].ok, state.devices[0].since), (false, at(8, 2)));
    e.execute(&Command::Tick, at(9, 0) + Duration::days(1)).unwrap();
    assert_eq!(e.state(at(9, 0) + Duration::days(1), 0).devices.len(), 1, "a device's health is not a day's");
}

#[test]
fn a_reprint_names_a_ticket_of_today_and_changes_nothing_else() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    let before = e.state(at(8, 1), 0);
    let out = e.execute(&Command::Reprint { ticket: TicketRef::Number("A001".into()), device: None, only_at: vec![] }, at(8, 1)).unwrap();
    assert!(matches!(&out.events[0].body, EventBody::TicketReprintRequested { number, .. } if number == "A001"));
    assert_eq!(out.ticket.unwrap().number, "A001");
    assert_eq!(e.state(at(8, 1), 0), before);
    let missing = e.execute(&Command::Reprint { ticket: TicketRef::Number("A404".into()), device: None, only_at: vec![] }, at(8, 1));
    assert!(matches!(missing, Err(DomainError::TicketNotFound(_))));
}

fn staff(e: &mut Engine, counter: &str, login: Option<&str>, now: DateTime<Utc>) -> Vec<EventBody> {
    let cmd = Command::Staff { counter: counter.into(), staff: login.map(|l| (l.into(), Some(format!("Name of {l}")))) };
    e.execute(&cmd, now).unwrap().events.into_iter().map(|e| e.body).filter(|b| *b != EventBody::DayStarted).collect()
}

#[test]
fn staff_at_a_counter_are_recorded_with_its_calls_and_finishes_and_sit_at_one_counter() {
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    assert_eq!(staff(&mut e, "1", Some("lan"), at(8, 1)).len(), 1);
    assert!(staff(&mut e, "1", Some("lan"), at(8, 1)).is_empty(), "taking the same counter again changes nothing");
    let out = e.execute(&Command::CallNext { counter: "1".into() }, at(8, 2)).unwrap();
    assert!(matches!(&out.events[0].body, EventBody::TicketCalled { staff: Some(s), .. } if s == "lan"));
    // Lan moves to counter 2: counter 1 is left in the same command.
    let moved = staff(&mut e, "2", Some("lan"), at(8, 3));
    assert_eq!(
        moved,
        vec![
            EventBody::CounterStaffed { counter: "1".into(), staff: None, staff_name: None },
            EventBody::CounterStaffed { counter: "2".into(), staff: Some("lan".into()), staff_name: Some("Name of lan".into()) },
        ]
    );
    let out = e.execute(&Command::Finish { counter: "1".into() }, at(8, 4)).unwrap();
    assert!(matches!(&out.events[0].body, EventBody::TicketFinished { staff: None, .. }), "nobody at counter 1 now");
    let st = e.state(at(8, 5), 0);
    assert_eq!(st.counters[1].staff.as_deref(), Some("lan"));
    assert_eq!(st.counters[1].staff_name.as_deref(), Some("Name of lan"));
    assert_eq!(st.counters[0].staff, None);
    // The next day starts with nobody signed in.
    e.execute(&Command::Tick, at(8, 0) + Duration::days(1)).unwrap();
    assert_eq!(e.state(at(8, 0) + Duration::days(1), 0).counters[1].staff, None);
}

#[test]
fn a_visit_is_rated_once_within_the_window_after_it_ends() {
    use crate::event::Rating;
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 0));
    staff(&mut e, "1", Some("lan"), at(8, 0));
    call_next(&mut e, "1", at(8, 1));
    let rate = |n: &str, r| Command::Rate { ticket: TicketRef::Number(n.into()), rating: r, only_at: vec![] };
    assert!(matches!(e.execute(&rate("A001", Rating::Satisfied), at(8, 2)), Err(DomainError::NotFinished(_))));
    call_next(&mut e, "1", at(8, 5)); // finishes A001, calls A002
    let out = e.execute(&rate("A001", Rating::VerySatisfied), at(8, 6)).unwrap();
    assert_eq!(
        out.events[0].body,
        EventBody::TicketRated {
            ticket: 2,
            number: "A001".into(),
            service: "civil".into(),
            counter: "1".into(),
            staff: Some("lan".into()),
            rating: Rating::VerySatisfied,
            dossier: None,
        }
    );
    assert!(matches!(e.execute(&rate("A001", Rating::Unsatisfied), at(8, 7)), Err(DomainError::AlreadyRated(_))), "one rating per visit");
    e.execute(&Command::Finish { counter: "1".into() }, at(8, 10)).unwrap();
    let elsewhere = Command::Rate { ticket: TicketRef::Number("A002".into()), rating: Rating::Satisfied, only_at: vec!["2".into()] };
    assert!(
        matches!(e.execute(&elsewhere, at(8, 11)), Err(DomainError::NotServedHere { .. })),
        "counter 2's device cannot rate counter 1's visit"
    );
    let late = e.execute(&rate("A002", Rating::Satisfied), at(8, 21));
    assert!(matches!(late, Err(DomainError::RatingClosed { window_min: 10, .. })), "{late:?}");
    assert!(matches!(e.execute(&rate("A999", Rating::Satisfied), at(8, 21)), Err(DomainError::TicketNotFound(_))));
}

#[test]
fn new_settings_apply_at_once_but_never_strand_a_ticket() {
    let mut e = engine();
    issue(&mut e, "land", None, at(8, 0));
    issue(&mut e, "civil", None, at(8, 0));
    call_next(&mut e, "1", at(8, 1)); // counter 1 serves A001 (civil)
    let base = e.config().as_ref().clone();
    let reconfigure =
        |e: &mut Engine, c: Config, v| e.execute(&Command::Reconfigure { config: SettingsRef(Arc::new(c)), version: v }, at(8, 2));

    // Removing "land" while B001 waits: refused, nothing changes.
    let mut c = base.clone();
    c.services.retain(|s| s.id != "land");
    c.counters[1].services = vec!["civil".into()];
    let err = reconfigure(&mut e, c, 1).unwrap_err();
    assert!(matches!(&err, DomainError::InUse(m) if m.contains("B001")), "{err}");
    assert_eq!(e.config().services.len(), 2);

    // Counter 1 may not drop the service of the visit it is serving.
    let mut c = base.clone();
    c.counters[0].services = vec!["land".into()];
    assert!(matches!(reconfigure(&mut e, c, 1), Err(DomainError::InUse(m)) if m.contains("A001")));

    // A new counter and a renamed service are in force at once; numbering goes on.
    let mut c = base.clone();
    c.services[0].name = "Hộ tịch – Chứng thực".into();
    c.counters.push(crate::config::Counter { id: "9".into(), name: "Quầy 9".into(), number: 9, services: vec!["land".into()] });
    let out = reconfigure(&mut e, c, 1).unwrap();
    assert_eq!(out.events.last().unwrap().body, EventBody::SettingsChanged { version: 1 });
    assert_eq!(call_next(&mut e, "9", at(8, 3)).as_deref(), Some("B001"), "the new counter calls at once");
    assert_eq!(issue(&mut e, "civil", None, at(8, 4)), "A002");
    let st = e.state(at(8, 5), 0);
    assert_eq!(st.services[0].name, "Hộ tịch – Chứng thực");
    assert_eq!(st.counters.len(), 3);
}

#[test]
fn a_no_show_names_the_counter_it_missed_and_the_state_gives_the_centres_offset() {
    // Staff bringing a no-show back see where it was called; pages show the centre's time.
    let mut e = engine();
    issue(&mut e, "civil", None, at(8, 0));
    call_next(&mut e, "2", at(8, 1));
    e.execute(&Command::NoShow { counter: "2".into() }, at(8, 2)).unwrap();
    let st = e.state(at(8, 3), 0);
    assert_eq!(st.no_show[0].counter.as_deref(), Some("2"));
    assert_eq!(st.utc_offset.as_deref(), Some("+07:00"));
    e.execute(&Command::Restore { ticket: TicketRef::Number("A001".into()), only_at: vec![] }, at(8, 4)).unwrap();
    assert_eq!(e.state(at(8, 4), 0).waiting[0].counter, None, "waiting again: at no counter");
}
