//! What the hub's tests share: a migrated private database, a hub in this process on a clock
//! the test sets, days of tickets made by the real engine, and the figures the centre itself
//! would report for them.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hub::config::HubConfig;
use serde_json::Value;
use shared::domain::{Command, Engine, TicketRef};
use shared::event::{Event, Rating};
use shared::province::{Acked, ProvinceReport};
use shared::report::{self, GroupBy, Row};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use testkit::postgres::Postgres;

pub const CENTRE_A: &str = "centre-a";
pub const CENTRE_B: &str = "centre-b";
pub const TOKEN_A: &str = "token-of-centre-a-000000";
pub const TOKEN_B: &str = "token-of-centre-b-000000";
pub const PROVINCE: &str = "province-reader-token-0000";
pub const LOGIN: &str = "so-noi-vu";
pub const PASSWORD: &str = "mat-khau-tinh";

/// Wednesday 2026-11-25 10:00 in Vietnam: inside opening time.
pub fn wednesday_10am() -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap().to_utc()
}

pub fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The hub's configuration for `url`: two centres, a province token, one dashboard account
/// (hashed cheaply: the test checks the rules, not Argon2's cost).
pub fn config_text(url: &str) -> String {
    let hash = authority::console::password::hash(PASSWORD, authority::console::password::Cost { memory_kib: 64, passes: 1 }).unwrap();
    format!(
        "[database]\nurl = \"{url}\"\npool_size = 8\n\n[server]\nlisten = \"127.0.0.1:0\"\n\n\
         [[centres]]\nid = \"{CENTRE_A}\"\nname = \"Một cửa A\"\ntoken = \"{TOKEN_A}\"\n\n\
         [[centres]]\nid = \"{CENTRE_B}\"\nname = \"Một cửa B\"\ntoken = \"{TOKEN_B}\"\n\n\
         [[auth.tokens]]\nname = \"office\"\nrole = \"province\"\ntoken = \"{PROVINCE}\"\n\n\
         [[accounts]]\nlogin = \"{LOGIN}\"\nname = \"Sở Nội vụ\"\npassword_hash = \"{hash}\"\n"
    )
}

pub fn config(url: &str) -> HubConfig {
    HubConfig::parse(&config_text(url)).unwrap_or_else(|(l, m)| panic!("line {l:?}: {m}"))
}

/// Applies the migrations to `url`.
pub async fn migrate(url: &str) {
    let mut client = hub::db::connect(&config(url).database).await.unwrap();
    hub::migrate::migrate(&mut client).await.unwrap();
}

/// The hub's clock, set by the test.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new(at: DateTime<Utc>) -> TestClock {
        TestClock(Arc::new(Mutex::new(at)))
    }
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
    pub fn clock(&self) -> hub::Clock {
        let c = self.0.clone();
        Arc::new(move || *c.lock().unwrap())
    }
}

/// A hub serving in this process.
pub struct Hub {
    pub url: String,
    pub clock: TestClock,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), hub::ServeError>>>,
}

impl Hub {
    /// A hub over the (migrated) database `url`, on the clock `clock`.
    pub async fn start(url: &str, clock: TestClock) -> Hub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(hub::run(config(url), listener, clock.clock(), async move {
            let _ = rx.await;
        }));
        let hub = Hub { url: base, clock, http: reqwest::Client::new(), stop: Some(tx), task: Some(task) };
        let health = hub.url("/healthz");
        let http = hub.http.clone();
        testkit::wait_until(30, "the hub answers /healthz", || {
            let (http, health) = (http.clone(), health.clone());
            async move { http.get(&health).send().await.is_ok_and(|r| r.status() == 200) }
        })
        .await;
        hub
    }

    /// A fresh database and a hub over it, at Wednesday 10:00.
    pub async fn fresh() -> (Postgres, Hub) {
        let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
        migrate(&pg.url()).await;
        let hub = Hub::start(&pg.url(), TestClock::new(wednesday_10am())).await;
        (pg, hub)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Pushes `events` for `centre` with `token`: the status and the body.
    pub async fn push(&self, centre: &str, token: &str, events: &[Event]) -> (u16, Value) {
        let body = serde_json::json!({ "events": events });
        let r = self.http.post(self.url(&format!("/api/v1/centres/{centre}/events"))).bearer_auth(token).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// Pushes and expects 200: the acked id.
    pub async fn push_ok(&self, centre: &str, token: &str, events: &[Event]) -> u64 {
        let (status, body) = self.push(centre, token, events).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value::<Acked>(body).unwrap().acked
    }

    /// The province report, read with the province token.
    pub async fn report(&self, from: NaiveDate, to: NaiveDate) -> ProvinceReport {
        let r =
            self.http.get(self.url(&format!("/api/v1/province/report?from={from}&to={to}"))).bearer_auth(PROVINCE).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Stops the hub as SIGTERM would.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let task = self.task.take().unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(20), task).await.expect("stops within 20 s").unwrap().unwrap();
    }
}

/// A centre of two services and two counters, for the engine.
fn centre_config() -> shared::config::Config {
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
            run(Command::Issue { service: service.into(), priority: None }, t, &mut log);
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

/// The figures of `centre` in a report.
pub fn of<'a>(r: &'a ProvinceReport, centre: &str) -> &'a shared::province::CentreFigures {
    r.centres.iter().find(|c| c.id == centre).unwrap_or_else(|| panic!("{centre} not in the report"))
}

/// Rows of a table, counted directly in the database.
pub async fn count(url: &str, sql: &str) -> i64 {
    let client = hub::db::connect(&config(url).database).await.unwrap();
    client.query_one(sql, &[]).await.unwrap().get(0)
}
