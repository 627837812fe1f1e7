//! A real queue authority on 127.0.0.1 port 0, in this process, on a manual clock.
use crate::config::in_process;
use authority::clock::ManualClock;
use chrono::TimeZone;
use shared::client::Client;
use shared::config::Config;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Monday 2026-11-23, 09:00 in Vietnam.
pub fn monday_9am() -> chrono::DateTime<chrono::Utc> {
    chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap().to_utc()
}

pub struct TestServer {
    pub url: String,
    /// The centre's CA (PEM) when the server speaks TLS.
    pub ca: Option<Vec<u8>>,
    pub clock: Arc<ManualClock>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), authority::ServeError>>>,
}

impl TestServer {
    pub async fn start(db: &Path) -> TestServer {
        TestServer::start_at(in_process(db).config(), monday_9am()).await
    }

    pub async fn start_with(config: Config, clock: Arc<ManualClock>) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        TestServer::start_on(config, clock, listener).await
    }

    /// The centre `config` at `at` (a manual clock).
    pub async fn start_at(config: Config, at: chrono::DateTime<chrono::Utc>) -> TestServer {
        TestServer::start_with(config, Arc::new(ManualClock::new(at))).await
    }

    /// On a listener the caller bound (a fixed address a child process was told beforehand).
    pub async fn start_on(config: Config, clock: Arc<ManualClock>, listener: tokio::net::TcpListener) -> TestServer {
        let ca = config.server.tls_cert.as_deref().map(|c| authority::serve::tls::chain_root(c).expect("the CA of the chain"));
        let scheme = if ca.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(authority::run(config, listener, clock.clone(), async move {
            let _ = rx.await;
        }));
        TestServer { url, ca, clock, stop: Some(tx), task: Some(task) }
    }

    pub fn client(&self, token: &str) -> Client {
        let b = Client::builder(&self.url).token(token);
        let b = match &self.ca {
            Some(ca) => b.ca_pem(ca.clone()),
            None => b,
        };
        b.build().expect("a client of the test server")
    }

    /// A plain HTTP client (trusting the centre's CA when the server speaks TLS).
    pub fn http(&self) -> reqwest::Client {
        let b = reqwest::Client::builder();
        let b = match &self.ca {
            Some(ca) => b.tls_built_in_root_certs(false).add_root_certificate(reqwest::Certificate::from_pem(ca).unwrap()),
            None => b,
        };
        b.build().unwrap()
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
