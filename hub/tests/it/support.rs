//! What the hub's tests share: the hub's configuration, a migrated private database, a hub in
//! this process on a clock the test sets, or the `hub` binary as a child process.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hub::config::HubConfig;
use serde_json::Value;
use shared::event::Event;
use shared::province::{Acked, ProvinceReport};
use std::path::Path;
use std::process::{Child, Command, Stdio};
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

/// `n` more centres for `config_text`: `centre-0`.. with token `token_of(i)`.
pub fn more_centres(n: usize) -> String {
    (0..n).map(|i| format!("\n[[centres]]\nid = \"centre-{i}\"\nname = \"Một cửa số {i}\"\ntoken = \"{}\"\n", token_of(i))).collect()
}

pub fn token_of(i: usize) -> String {
    format!("token-of-centre-{i:04}-0000000")
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
        Hub::start_with(config(url), clock, reqwest::Client::new()).await
    }

    /// A hub of `config` (HTTPS when it names a certificate), asked with `http`.
    pub async fn start_with(config: HubConfig, clock: TestClock, http: reqwest::Client) -> Hub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        // Under TLS, the name the certificate was made for.
        let (scheme, host) = if config.server.tls() { ("https", "localhost") } else { ("http", "127.0.0.1") };
        let base = format!("{scheme}://{host}:{}", listener.local_addr().unwrap().port());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(hub::run(config, listener, clock.clock(), async move {
            let _ = rx.await;
        }));
        let hub = Hub { url: base, clock, http, stop: Some(tx), task: Some(task) };
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

/// The figures of `centre` in a report.
pub fn of<'a>(r: &'a ProvinceReport, centre: &str) -> &'a shared::province::CentreFigures {
    r.centres.iter().find(|c| c.id == centre).unwrap_or_else(|| panic!("{centre} not in the report"))
}

/// Rows of a table, counted directly in the database.
pub async fn count(url: &str, sql: &str) -> i64 {
    let client = hub::db::connect(&config(url).database).await.unwrap();
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// `hub serve` as a child process over `url`, on a free port, its standard error as `stderr`
/// says (piped for a test that reads what it says), not waited for: the process and its base URL.
pub fn spawn_binary(dir: &Path, url: &str, stderr: Stdio) -> (Child, String) {
    let file = dir.join("hub.toml");
    std::fs::write(&file, config_text(url)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["serve", "--config", file.to_str().unwrap(), "--listen", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

/// `spawn_binary`, once it answers `/healthz`.
pub async fn serve_binary(dir: &Path, url: &str) -> (Child, String) {
    let (child, base) = spawn_binary(dir, url, Stdio::inherit());
    let http = reqwest::Client::new();
    testkit::wait_until(30, "the hub binary answers /healthz", || {
        let (http, url) = (http.clone(), format!("{base}/healthz"));
        async move { http.get(&url).send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    (child, base)
}
