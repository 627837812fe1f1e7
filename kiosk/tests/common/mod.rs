//! Test harness: a real queue authority on 127.0.0.1 port 0, in-process, with a manual clock.
#![allow(dead_code)]
use chrono::TimeZone;
use kiosk::client::Client;
use kiosk::clock::ManualClock;
use shared::config::Config;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub const KIOSK: &str = "test-kiosk-token-0001";
pub const DISPLAY: &str = "test-display-token-0001";
pub const COUNTER: &str = "test-counter-token-0001";
pub const COUNTER1: &str = "test-counter1-token-001";
pub const ADMIN: &str = "test-admin-token-000001";

pub fn config_text(db: &Path) -> String {
    format!(
        r#"
[store]
path = "{db}"
[server]
max_body_bytes = 4096
[queue]
priority_ratio = 2
max_wait_min = 30
no_show_grace_min = 10
[[priority]]
id = "elderly"
name = "Người cao tuổi"
[[services]]
id = "civil"
name = "Hộ tịch"
letter = "A"
priorities = ["elderly"]
[[services]]
id = "land"
name = "Đất đai"
letter = "B"
daily_cap = 5
[[services]]
id = "tax"
name = "Thuế"
letter = "C"
hours = ["13:30-17:00"]
[[counters]]
id = "1"
name = "Quầy 1"
number = 1
services = ["civil"]
[[counters]]
id = "2"
name = "Quầy 2"
number = 2
services = ["civil", "land", "tax"]
[[auth.tokens]]
name = "kiosk"
role = "kiosk"
token = "{KIOSK}"
[[auth.tokens]]
name = "display"
role = "display"
token = "{DISPLAY}"
[[auth.tokens]]
name = "staff"
role = "counter"
token = "{COUNTER}"
[[auth.tokens]]
name = "keypad-1"
role = "counter"
token = "{COUNTER1}"
counters = ["1"]
[[auth.tokens]]
name = "admin"
role = "admin"
token = "{ADMIN}"
"#,
        db = db.display()
    )
}

/// Monday 2026-11-23, 09:00 in Vietnam.
pub fn monday_9am() -> chrono::DateTime<chrono::Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap().to_utc()
}

pub struct TestServer {
    pub url: String,
    pub clock: Arc<ManualClock>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), kiosk::ServeError>>>,
}

impl TestServer {
    pub async fn start(db: &Path) -> TestServer {
        let config = Config::parse(&config_text(db)).unwrap_or_else(|(l, e)| panic!("line {l:?}: {e}"));
        TestServer::start_with(config, Arc::new(ManualClock::new(monday_9am()))).await
    }

    pub async fn start_with(config: Config, clock: Arc<ManualClock>) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(kiosk::run(config, listener, clock.clone(), async move {
            let _ = rx.await;
        }));
        TestServer { url, clock, stop: Some(tx), task: Some(task) }
    }

    pub fn client(&self, token: &str) -> Client {
        Client::new(&self.url, Some(token.to_owned()))
    }

    pub fn http(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// Stops the server and waits until it has closed its store.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let r = tokio::time::timeout(Duration::from_secs(10), self.task.take().unwrap()).await;
        r.expect("the server stops within 10 s").unwrap().unwrap();
    }
}

/// Polls `check` until it holds, failing after `secs`: no fixed sleeps in tests.
pub async fn wait_until<F: FnMut() -> Fut, Fut: std::future::Future<Output = bool>>(secs: u64, what: &str, mut check: F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
pub mod console;
pub mod printer;
