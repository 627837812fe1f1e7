//! The hub over HTTPS (a certificate made by `kiosk tls init`'s code): centres push through
//! TLS, and the dashboard's session cookie is `Secure`.
use crate::support::*;
use crate::tickets::*;
use reqwest::header::SET_COOKIE;

/// Proves a push and a sign-in over HTTPS work with a client trusting the CA, the cookie is
/// then marked Secure, and a client that does not trust the CA gets nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_push_and_a_secure_cookie() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let dir = tempfile::tempdir().unwrap();
    authority::serve::init::init(dir.path(), "localhost", &[]).unwrap();
    let text = config_text(&pg.url()).replace(
        "listen = \"127.0.0.1:0\"\n",
        &format!("listen = \"0.0.0.0:0\"\ntls_cert = \"{0}/server.pem\"\ntls_key = \"{0}/server.key\"\n", dir.path().display()),
    );
    let config = hub::HubConfig::parse(&text).unwrap_or_else(|(l, m)| panic!("{l:?}: {m}"));
    let ca = reqwest::Certificate::from_pem(&std::fs::read(dir.path().join("ca.pem")).unwrap()).unwrap();
    let http = reqwest::Client::builder().tls_built_in_root_certs(false).add_root_certificate(ca).build().unwrap();
    let hub = Hub::start_with(config, TestClock::new(wednesday_10am()), http).await;
    assert!(hub.url.starts_with("https://"));

    let a = days_of_tickets(1, 10, 13, chrono::Duration::zero());
    assert_eq!(hub.push_ok(CENTRE_A, TOKEN_A, &a).await, a.last().unwrap().id);
    let r =
        hub.http.post(hub.url("/api/v1/session")).json(&serde_json::json!({"login": LOGIN, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let set = r.headers()[SET_COOKIE].to_str().unwrap();
    assert!(set.contains("; Secure") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");

    let stranger = reqwest::Client::new();
    assert!(stranger.get(hub.url("/healthz")).send().await.is_err(), "a client without the CA connected");
}
