//! Reports over a day made by the real engine, checked against figures worked out by hand.
use super::*;
use crate::domain::{Command, Engine, TicketRef};
use crate::event::{Event, Rating};
use chrono::{DateTime, TimeZone, Utc};
use std::sync::Arc;

mod dossiers;

/// 2026-11-23, local (+07:00) time.
fn at(h: u32, m: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().with_timezone(&Utc)
}

/// The day of the module doc of `tests`: four tickets, two counters, two staff, a no-show, a
/// transfer, two ratings, one ticket still waiting.
fn day() -> Vec<Event> {
    let mut e = Engine::new(
        Arc::new(crate::testing::config(
            "",
            &[("civil", "Hộ tịch", "A", ""), ("land", "Đất đai", "C", "")],
            &[&["civil"], &["civil", "land"]],
        )),
        1,
    );
    let mut log = Vec::new();
    let mut run = |cmd: Command, t: DateTime<Utc>| log.extend(e.execute(&cmd, t).unwrap().events);
    let issue = |s: &str| Command::Issue { service: s.into(), priority: None, key: None };
    let staff = |c: &str, l: &str| Command::Staff { counter: c.into(), staff: Some((l.into(), None)) };
    let next = |c: &str| Command::CallNext { counter: c.into() };
    run(issue("civil"), at(8, 0)); // A001
    run(issue("civil"), at(8, 1)); // A002
    run(issue("land"), at(8, 2)); // C001
    run(staff("1", "lan"), at(8, 4));
    run(staff("2", "minh"), at(8, 4));
    run(next("1"), at(8, 5)); // A001 waited 300 s
    run(next("2"), at(8, 6)); // A002 (issued before C001) waited 300 s
    run(Command::Finish { counter: "1".into() }, at(8, 10)); // A001 served 300 s
    run(Command::Rate { ticket: TicketRef::Number("A001".into()), rating: Rating::VerySatisfied, only_at: vec![] }, at(8, 11));
    run(Command::NoShow { counter: "2".into() }, at(8, 12)); // A002 no-show
    run(next("2"), at(8, 13)); // C001 waited 660 s
    run(Command::Transfer { counter: "2".into(), service: Some("civil".into()), to_counter: None }, at(8, 20));
    run(next("1"), at(8, 21)); // C001 again, now in civil: its wait stays 660 s
    run(Command::Finish { counter: "1".into() }, at(8, 30)); // 08:13 → 08:30 = 1,020 s
    run(Command::Rate { ticket: TicketRef::Number("C001".into()), rating: Rating::Unsatisfied, only_at: vec!["1".into()] }, at(8, 31));
    run(issue("civil"), at(8, 40)); // A003, never called
    log
}

fn names() -> HashMap<String, String> {
    [("civil", "Hộ tịch"), ("land", "Đất đai"), ("1", "Quầy 1"), ("2", "Quầy 2"), ("lan", "Lan"), ("minh", "Minh")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn run(by: GroupBy) -> Report {
    let d = at(8, 0).date_naive();
    report(&visits(&day()), by, &names(), d, d)
}

fn row<'a>(r: &'a Report, key: &str) -> &'a Row {
    r.rows.iter().find(|x| x.key == key).unwrap_or_else(|| panic!("no row {key} in {r:#?}"))
}

fn st(count: u32, mean: f64, median: f64, p90: f64) -> Option<Stats> {
    Some(Stats { count, mean, median, p90 })
}

#[test]
fn by_service_the_figures_worked_out_by_hand() {
    let r = run(GroupBy::Service);
    let civil = row(&r, "civil");
    assert_eq!((civil.issued, civil.served, civil.no_show, civil.transferred), (Some(3), 2, 1, 0));
    assert_eq!(civil.wait_s, st(2, 300.0, 300.0, 300.0), "A001 and A002 waited 5 minutes each");
    assert_eq!(civil.service_s, st(2, 660.0, 660.0, 1020.0), "A001 300 s, C001 1,020 s (finished in civil)");
    assert_eq!(civil.ratings, Ratings { very_satisfied: 1, satisfied: 0, unsatisfied: 1 });
    assert_eq!(civil.name, "Hộ tịch");
    let land = row(&r, "land");
    assert_eq!((land.issued, land.served, land.no_show, land.transferred), (Some(1), 0, 0, 1));
    assert_eq!(land.wait_s, st(1, 660.0, 660.0, 660.0));
    assert_eq!(land.service_s, None);
    let t = &r.total;
    assert_eq!((t.issued, t.served, t.no_show, t.transferred), (Some(4), 2, 1, 1));
    assert_eq!(t.wait_s, st(3, 420.0, 300.0, 660.0));
    assert_eq!(t.service_s, st(2, 660.0, 660.0, 1020.0));
}

#[test]
fn by_counter_and_by_staff_follow_who_called_and_who_finished() {
    for (by, one, two) in [(GroupBy::Counter, "1", "2"), (GroupBy::Staff, "lan", "minh")] {
        let r = run(by);
        let a = row(&r, one);
        assert_eq!((a.issued, a.served, a.no_show), (None, 2, 0), "{by:?}");
        assert_eq!(a.wait_s, st(1, 300.0, 300.0, 300.0), "{by:?}: only A001 was first called here");
        assert_eq!(a.service_s, st(2, 660.0, 660.0, 1020.0));
        assert_eq!(a.ratings.total(), 2);
        let b = row(&r, two);
        assert_eq!((b.served, b.no_show, b.transferred), (0, 1, 1), "{by:?}");
        assert_eq!(b.wait_s, st(2, 480.0, 480.0, 660.0), "{by:?}: A002 300 s and C001 660 s");
    }
}

#[test]
fn by_day_and_the_csv_carry_the_same_totals() {
    let r = run(GroupBy::Day);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].key, "2026-11-23");
    assert_eq!(r.rows[0].issued, Some(4));
    let csv = to_csv(&r);
    assert!(csv.starts_with('\u{feff}'), "Excel needs the byte-order mark for Vietnamese");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "header, one day, total");
    let total: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(&total[..6], &["total", "Tổng cộng / Total", "4", "2", "1", "1"]);
    assert_eq!(total[18], "50.0", "one of two ratings satisfied or better");
}

#[test]
fn csv_cells_cannot_smuggle_formulas_or_break_rows() {
    // Proves a staff name typed as a formula or with a comma stays one inert cell.
    let d = at(8, 0).date_naive();
    let mut names = names();
    names.insert("lan".into(), "=HYPERLINK(\"http://x\",\"a,b\")".into());
    let r = report(&visits(&day()), GroupBy::Staff, &names, d, d);
    let csv = to_csv(&r);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\""), "{csv}");
}

#[test]
fn percentiles_by_nearest_rank() {
    assert_eq!(Stats::of(&[]), None);
    assert_eq!(Stats::of(&[7]), st(1, 7.0, 7.0, 7.0));
    let v: Vec<u32> = (1..=10).collect();
    assert_eq!(Stats::of(&v), st(10, 5.5, 5.5, 9.0));
    let v: Vec<u32> = (1..=11).collect();
    assert_eq!(Stats::of(&v).unwrap().p90, 10.0);
}
