//! The per-dossier report over two days made by the real engine, checked against figures worked
//! out by hand: ratings counted once per dossier (the last), evaluations, and the rollups by
//! officer, unit (the agency in the code) and quarter (the receipt date in the code).
use super::*;
use crate::dossier::evaluation::Scores;
use crate::report::dossiers::{self, DossierGroup, DossierReport};

const D1: &str = "000.00.06.H56-261123-0001";
const D2: &str = "H56.02-260930-0002";
const D3: &str = "000.00.06.H56-261123-0003";
const D4: &str = "000.00.06.H56-260815-0007";

/// Day 1: A001 (lan, counter 1) linked to D1 then rated very satisfied; A002 (minh, counter 2)
/// linked to D2, rated unsatisfied; A003 (lan) rated satisfied, then linked to D3. D1 and D4 (an
/// older dossier, no visit here) are evaluated. Day 2: D2's citizen comes back; lan serves them,
/// links D2 again and they rate satisfied: that last rating is D2's.
fn two_days() -> Vec<Event> {
    let mut e = Engine::new(Arc::new(crate::testing::config("", &[("civil", "Hộ tịch", "A", "")], &[&["civil"], &["civil"]])), 1);
    let mut log = Vec::new();
    let mut run = |cmd: Command, t: DateTime<Utc>| log.extend(e.execute(&cmd, t).unwrap().events);
    let issue = || Command::Issue { service: "civil".into(), priority: None, key: None };
    let staff = |c: &str, l: &str| Command::Staff { counter: c.into(), staff: Some((l.into(), None)) };
    let next = |c: &str| Command::CallNext { counter: c.into() };
    let finish = |c: &str| Command::Finish { counter: c.into() };
    let link = |n: &str, d: &str| Command::LinkDossier { ticket: TicketRef::Number(n.into()), dossier: d.into(), only_at: vec![] };
    let rate = |n: &str, r| Command::Rate { ticket: TicketRef::Number(n.into()), rating: r, only_at: vec![] };
    let evaluate = |d: &str, s: &[u8]| Command::EvaluateDossier {
        dossier: d.into(),
        scores: Scores::new(s).unwrap(),
        device: Some("kiosk-1".into()),
        stored_at: None,
    };
    for m in 0..3 {
        run(issue(), at(8, m));
    }
    run(staff("1", "lan"), at(8, 4));
    run(staff("2", "minh"), at(8, 4));
    run(next("1"), at(8, 5));
    run(link("A001", D1), at(8, 6));
    run(finish("1"), at(8, 10));
    run(rate("A001", Rating::VerySatisfied), at(8, 11));
    run(next("2"), at(8, 12));
    run(link("A002", D2), at(8, 13));
    run(finish("2"), at(8, 15));
    run(rate("A002", Rating::Unsatisfied), at(8, 16));
    run(next("1"), at(8, 20));
    run(finish("1"), at(8, 25));
    run(rate("A003", Rating::Satisfied), at(8, 26));
    run(link("A003", D3), at(8, 27));
    run(evaluate(D1, &[2; 9]), at(9, 0));
    run(evaluate(D4, &[2, 2, 1, 2, 2, 2, 2, 2, 1]), at(9, 30));
    let day2 = |h, m| at(h, m) + chrono::Duration::days(1);
    run(issue(), day2(8, 0));
    run(staff("1", "lan"), day2(8, 1));
    run(next("1"), day2(8, 2));
    run(link("A001", D2), day2(8, 3));
    run(finish("1"), day2(8, 5));
    run(rate("A001", Rating::Satisfied), day2(8, 6));
    log
}

fn run_by(by: DossierGroup) -> DossierReport {
    let log = two_days();
    let names: HashMap<String, String> = [("lan", "Lan"), ("minh", "Minh")].map(|(k, v)| (k.to_owned(), v.to_owned())).into();
    let d = at(8, 0).date_naive();
    dossiers::report(dossiers::records(&visits(&log), &evaluations(&log)), by, &names, d, d.succ_opt().unwrap())
}

/// A row as (key, dossiers, [very satisfied, satisfied, unsatisfied], evaluated, mean points).
type Keyed = (String, u32, [u32; 3], u32, Option<f64>);

fn keyed(r: &DossierReport) -> Vec<Keyed> {
    r.rows
        .iter()
        .map(|x| {
            let rt = &x.ratings;
            (x.key.clone(), x.dossiers, [rt.very_satisfied, rt.satisfied, rt.unsatisfied], x.evaluated, x.mean_points)
        })
        .collect()
}

/// Requirement: one record per dossier: the last visit linked gives its ticket, officer and
/// rating (D2's unsatisfied of day 1 is replaced by day 2's satisfied); a link after the rating
/// counts (D3); a dossier with only an evaluation is there too (D4), its unit and quarter read
/// from its code.
#[test]
fn one_record_per_dossier_with_its_last_rating_and_its_evaluation() {
    let r = run_by(DossierGroup::Dossier);
    let recs: Vec<_> = r
        .dossiers
        .iter()
        .map(|d| (d.dossier.as_str(), d.ticket.as_deref(), d.officer.as_deref(), d.rating, d.scores.map(|s| s.points())))
        .collect();
    assert_eq!(
        recs,
        // In the order of the codes.
        [
            (D4, None, None, None, Some(16)),
            (D1, Some("A001"), Some("lan"), Some(Rating::VerySatisfied), Some(18)),
            (D3, Some("A003"), Some("lan"), Some(Rating::Satisfied), None),
            (D2, Some("A001"), Some("lan"), Some(Rating::Satisfied), None),
        ]
    );
    let d4 = &r.dossiers[0];
    assert_eq!(
        (d4.unit.as_str(), d4.quarter.as_str(), d4.received.map(|d| d.to_string())),
        ("000.00.06.H56", "2026-Q3", Some("2026-08-15".into()))
    );
    assert_eq!(r.dossiers[3].day.map(|d| d.to_string()).as_deref(), Some("2026-11-24"));
    let t = &r.total;
    assert_eq!((t.dossiers, t.ratings.total(), t.satisfied_pct, t.evaluated, t.mean_points), (4, 3, Some(100.0), 2, Some(17.0)));
    assert_eq!(t.criteria_mean.as_deref(), Some(&[2.0, 2.0, 1.5, 2.0, 2.0, 2.0, 2.0, 2.0, 1.5][..]));
}

/// Requirement: the rollups the province asks for, by officer (a dossier with no visit falls
/// under "no officer known"), by unit and by quarter of receipt.
#[test]
fn rolled_up_per_officer_unit_and_quarter() {
    let officer = run_by(DossierGroup::Officer);
    assert_eq!(keyed(&officer), [("-".into(), 1, [0, 0, 0], 1, Some(16.0)), ("lan".into(), 3, [1, 2, 0], 1, Some(18.0))]);
    assert_eq!(officer.rows[1].name, "Lan");
    assert!(officer.dossiers.is_empty(), "the records go out only by dossier");
    let unit = run_by(DossierGroup::Unit);
    assert_eq!(keyed(&unit), [("000.00.06.H56".into(), 3, [1, 1, 0], 2, Some(17.0)), ("H56.02".into(), 1, [0, 1, 0], 0, None)]);
    let quarter = run_by(DossierGroup::Quarter);
    assert_eq!(keyed(&quarter), [("2026-Q3".into(), 2, [0, 1, 0], 1, Some(16.0)), ("2026-Q4".into(), 2, [1, 1, 0], 1, Some(18.0))]);
    assert_eq!(quarter.rows[0].name, "Quý 3/2026 / Q3 2026");
}

/// Requirement: the CSV opens in a spreadsheet in Vietnamese (BOM), one line per dossier with
/// the nine criteria's points, the total last; a rollup has its means per criterion.
#[test]
fn csv_per_dossier_and_per_quarter() {
    let csv = dossiers_to_csv(&run_by(DossierGroup::Dossier));
    assert!(csv.starts_with("\u{feff}Mã hồ sơ / Dossier,"), "{csv}");
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 4 + 1, "{csv}");
    assert!(lines[0].contains("TC9 Mức độ hài lòng chung / Overall satisfaction"), "{}", lines[0]);
    assert_eq!(
        lines[2],
        format!("{D1},000.00.06.H56,2026-11-23,2026-Q4,A001,2026-11-23,civil,1,lan,Rất hài lòng / very_satisfied,18,2,2,2,2,2,2,2,2,2")
    );
    assert_eq!(lines[1], format!("{D4},000.00.06.H56,2026-08-15,2026-Q3,,,,,,,16,2,2,1,2,2,2,2,2,1"));
    assert!(lines[5].starts_with("total,Tổng cộng / Total,4,1,2,0,100.0,2,17.0,2.00,2.00,1.50,"), "{}", lines[5]);
    let by_quarter = dossiers_to_csv(&run_by(DossierGroup::Quarter));
    let q: Vec<&str> = by_quarter.trim_end().split("\r\n").collect();
    assert_eq!(q.len(), 1 + 2 + 1);
    assert!(q[1].starts_with("2026-Q3,Quý 3/2026 / Q3 2026,2,0,1,0,100.0,1,16.0,2.00,2.00,1.00,"), "{}", q[1]);
    assert!(q[1].ends_with(",2026-11-23 - 2026-11-24"), "{}", q[1]);
}
