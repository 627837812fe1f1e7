//! Satisfaction per dossier across the province: links, ratings and evaluations made by the
//! real queue engine at two centres, pushed, and rolled up per centre, unit, quarter and dossier
//! exactly as each centre's own code makes its records; the migration that brings this fills it
//! from what a hub already held.
use crate::support::*;
use crate::tickets::centre_config;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;
use shared::domain::{Command, Engine, TicketRef};
use shared::dossier::evaluation::Scores;
use shared::event::{Event, Rating};
use shared::report::dossiers::{records, DossierReport};
use std::sync::Arc;

const D1: &str = "000.00.06.H56-261102-0001";
const D2: &str = "000.00.06.H56-260915-0002";
const D3: &str = "000.00.12.H56-261120-0003";
const D4: &str = "000.00.07.H55-261001-0009";

fn monday(h: u32, m: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().to_utc()
}

fn scores(p: &[u8]) -> Scores {
    Scores::new(p).unwrap()
}

/// Centre A's Monday: three visits served and linked, two rated, two dossiers evaluated. Centre B's: one dossier
/// evaluated that no visit of the range was linked to. As they leave the centres.
fn mornings() -> (Vec<Event>, Vec<Event>) {
    let mut a = Engine::new(Arc::new(centre_config()), 1);
    let mut log = Vec::new();
    let run = |e: &mut Engine, cmd: Command, at: DateTime<Utc>, log: &mut Vec<Event>| {
        log.extend(e.execute(&cmd, at).unwrap_or_else(|err| panic!("{cmd:?}: {err}")).events);
    };
    let visits = [(D1, Some(Rating::Satisfied)), (D2, Some(Rating::Unsatisfied)), (D3, None)];
    for (i, (dossier, rating)) in visits.into_iter().enumerate() {
        let t = monday(8, 0) + Duration::minutes(20 * i as i64);
        run(&mut a, Command::Issue { service: "civil".into(), priority: None, key: None }, t, &mut log);
        run(&mut a, Command::CallNext { counter: "1".into() }, t + Duration::minutes(2), &mut log);
        run(&mut a, Command::Finish { counter: "1".into() }, t + Duration::minutes(12), &mut log);
        let ticket = log.iter().rev().find_map(|e| e.body.ticket()).unwrap();
        let link = Command::LinkDossier { ticket: TicketRef::Id(ticket), dossier: dossier.into(), only_at: vec![] };
        run(&mut a, link, t + Duration::minutes(12), &mut log);
        if let Some(rating) = rating {
            run(&mut a, Command::Rate { ticket: TicketRef::Id(ticket), rating, only_at: vec![] }, t + Duration::minutes(13), &mut log);
        }
    }
    let evaluate = |dossier: &str, s: Scores| Command::EvaluateDossier {
        dossier: dossier.into(),
        scores: s,
        device: Some("kiosk-1".into()),
        stored_at: None,
    };
    run(&mut a, evaluate(D1, scores(&[2; 9])), monday(10, 0), &mut log);
    run(&mut a, evaluate(D3, scores(&[2, 2, 1, 2, 2, 2, 2, 2, 1])), monday(10, 5), &mut log);
    let mut b = Engine::new(Arc::new(centre_config()), 1);
    let mut log_b = Vec::new();
    run(&mut b, evaluate(D4, scores(&[1; 9])), monday(9, 0), &mut log_b);
    let out = |l: Vec<Event>| l.iter().map(shared::province::outward).collect();
    (out(log), out(log_b))
}

async fn dossiers(hub: &Hub, by: &str) -> DossierReport {
    let url = hub.url(&format!("/api/v1/province/dossiers?from=2026-11-23&to=2026-11-23&by={by}"));
    let r = hub.http.get(url).bearer_auth(PROVINCE).send().await.unwrap();
    assert_eq!(r.status(), 200, "by={by}");
    r.json().await.unwrap()
}

fn keyed(r: &DossierReport) -> Vec<(String, u32, u32)> {
    r.rows.iter().map(|row| (row.key.clone(), row.dossiers, row.evaluated)).collect()
}

/// Requirement: the province counts one rating per dossier (its last) and each evaluation once,
/// per centre, receiving unit and quarter of receipt, with the figures worked by hand; listed
/// one by one, each dossier is the record its centre's own report makes of the same events.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dossiers_roll_up_per_centre_unit_and_quarter() {
    let (_pg, hub) = Hub::fresh().await;
    let (a, b) = mornings();
    hub.push_ok(CENTRE_A, TOKEN_A, &a).await;
    hub.push_ok(CENTRE_B, TOKEN_B, &b).await;
    // Pushed again (a lost acknowledgement): nothing counts twice.
    hub.push_ok(CENTRE_A, TOKEN_A, &a).await;

    let by_centre = dossiers(&hub, "centre").await;
    assert_eq!(keyed(&by_centre), [(CENTRE_A.into(), 3, 2), (CENTRE_B.into(), 1, 1)]);
    let row_a = &by_centre.rows[0];
    assert_eq!(row_a.name, "Một cửa A");
    // D1's rating (satisfied) and D2's (unsatisfied): one each; D3 was not rated.
    assert_eq!((row_a.ratings.very_satisfied, row_a.ratings.satisfied, row_a.ratings.unsatisfied), (0, 1, 1));
    assert_eq!((row_a.satisfied_pct, row_a.mean_points), (Some(50.0), Some(17.0)));
    assert_eq!((by_centre.total.dossiers, by_centre.total.evaluated, by_centre.total.mean_points), (4, 3, Some(14.3)));
    assert_eq!(by_centre.total.criteria_mean.as_ref().unwrap()[2], 1.33, "criterion 3: (2 + 1 + 1) / 3");

    let by_unit = dossiers(&hub, "unit").await;
    assert_eq!(keyed(&by_unit), [("000.00.06.H56".into(), 2, 1), ("000.00.07.H55".into(), 1, 1), ("000.00.12.H56".into(), 1, 1)]);
    let by_quarter = dossiers(&hub, "quarter").await;
    assert_eq!(keyed(&by_quarter), [("2026-Q3".into(), 1, 0), ("2026-Q4".into(), 3, 3)]);

    // One by one: what each centre's own code makes of the events it sent.
    let listed = dossiers(&hub, "dossier").await;
    let mut made = Vec::new();
    for (centre, events) in [(CENTRE_A, &a), (CENTRE_B, &b)] {
        let mut rs = records(&shared::report::visits(events), &shared::report::evaluations(events));
        rs.iter_mut().for_each(|r| r.centre = Some(centre.into()));
        made.extend(rs);
    }
    made.sort_by(|x, y| x.dossier.cmp(&y.dossier));
    let mut got = listed.dossiers.clone();
    got.sort_by(|x, y| x.dossier.cmp(&y.dossier));
    assert_eq!(got, made);
    let d1 = got.iter().find(|r| r.dossier == D1).unwrap();
    assert_eq!(
        (d1.rating, d1.ticket.as_deref(), d1.officer.as_deref()),
        (Some(Rating::Satisfied), Some("A001"), Some("-")),
        "no login leaves a centre"
    );

    // The CSV: a line per dossier and the total; officers refused; a centre cannot read it.
    let csv = hub.url("/api/v1/province/dossiers.csv?from=2026-11-23&to=2026-11-23&by=dossier");
    let r = hub.http.get(&csv).bearer_auth(PROVINCE).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert_eq!(text.trim_end().split("\r\n").count(), 1 + 4 + 1, "{text}");
    let d4 = text.lines().find(|l| l.starts_with(D4)).unwrap_or_else(|| panic!("{text}"));
    assert!(d4.ends_with(&format!(",{CENTRE_B}")), "each dossier's centre, last: {d4}");
    assert!(text.lines().next().unwrap().ends_with("Trung tâm / Centre"), "{text}");
    let officer = hub.url("/api/v1/province/dossiers?from=2026-11-23&to=2026-11-23&by=officer");
    let r = hub.http.get(&officer).bearer_auth(PROVINCE).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("centre's own"));
    assert_eq!(hub.http.get(&csv).bearer_auth(TOKEN_A).send().await.unwrap().status(), 403);
    hub.stop().await;
}

/// Requirement: a hub that held links and evaluations before it knew dossiers (migration 2)
/// finds them after `hub migrate`: each visit's last link and every evaluation are filled in
/// from the events it kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_fills_in_what_the_hub_already_held() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    let client = hub::db::connect(&config(&pg.url()).database).await.unwrap();
    // The schema as migration 2 left it, recorded as the migrator records it.
    client
        .batch_execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        .await
        .unwrap();
    for m in &hub::migrate::MIGRATIONS[..2] {
        client.batch_execute(m.sql).await.unwrap();
        client
            .execute("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", &[&m.version, &m.name, &m.checksum()])
            .await
            .unwrap();
    }
    client.execute("INSERT INTO centres (id, name, token_sha256) VALUES ($1, 'Một cửa A', '\\x00')", &[&CENTRE_A]).await.unwrap();
    // What the older hub kept: every event, and a visits row per ticket (without a dossier).
    let (a, _) = mornings();
    for e in &a {
        let ticket = e.body.ticket().map(|t| t as i64);
        client
            .execute(
                "INSERT INTO events (centre, id, at, day, ticket, body, received_at) VALUES ($1, $2, $3, $4, $5, $6, $3)",
                &[&CENTRE_A, &(e.id as i64), &e.at, &e.day, &ticket, &tokio_postgres::types::Json(e)],
            )
            .await
            .unwrap();
    }
    for v in shared::report::visits(&a) {
        client
            .execute(
                "INSERT INTO visits (centre, ticket, day, number, issued_service, service, issued_at, no_show, transfers)
                 VALUES ($1, $2, $3, $4, $5, $5, $6, false, 0)",
                &[&CENTRE_A, &(v.ticket as i64), &v.day, &v.number, &v.service, &v.issued_at],
            )
            .await
            .unwrap();
    }
    migrate(&pg.url()).await;
    let linked = client.query("SELECT number, dossier, dossier_counter FROM visits ORDER BY ticket", &[]).await.unwrap();
    let linked: Vec<(String, Option<String>, Option<String>)> = linked.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    let one = |n: &str, d: &str| (n.to_owned(), Some(d.to_owned()), Some("1".to_owned()));
    assert_eq!(linked, [one("A001", D1), one("A002", D2), one("A003", D3)]);
    let evaluated = client.query("SELECT dossier, scores FROM evaluations ORDER BY dossier", &[]).await.unwrap();
    let evaluated: Vec<(String, Vec<i16>)> = evaluated.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(evaluated, [(D1.to_owned(), vec![2i16; 9]), (D3.to_owned(), vec![2, 2, 1, 2, 2, 2, 2, 2, 1])]);
    drop(client);
    let hub = Hub::start(&pg.url(), TestClock::new(wednesday_10am())).await;
    assert_eq!(keyed(&dossiers(&hub, "centre").await)[0], (CENTRE_A.into(), 3, 2));
    hub.stop().await;
}
