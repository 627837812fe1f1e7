//! HTTPS with the centre's own CA: what a device on the LAN trusts, and what is refused.
use shared::client::{Client, ClientError};
use testkit::browser::{create_account, Browser, PASSWORD};
use testkit::*;

/// A device given the centre's `ca.pem` issues a ticket over HTTPS; a client that trusts only
/// the public CAs is refused at the handshake (an impostor's public certificate would not do
/// for a centre device either), and plain HTTP to the HTTPS port gets no answer.
#[tokio::test]
async fn devices_trust_the_centre_ca_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_at(config::in_process(&dir.path().join("q.db")).tls(dir.path()).config(), monday_9am()).await;
    assert!(s.url.starts_with("https://"), "{}", s.url);
    let t = s.client(KIOSK).issue("civil", None).await.unwrap();
    assert_eq!(t.number.as_str(), "A001");

    let public_roots = Client::builder(&s.url).token(KIOSK).retries(0).build().unwrap();
    let e = public_roots.issue("civil", None).await.unwrap_err();
    assert!(matches!(e, ClientError::Connect { .. }), "{e}");

    let plain = s.url.replacen("https://", "http://", 1);
    let r = reqwest::Client::new().get(format!("{plain}/healthz")).send().await;
    assert!(r.is_err(), "plain HTTP on the HTTPS port must not be answered: {r:?}");
    // Nothing was issued by the refused attempts.
    let state = s.client(KIOSK).state().await.unwrap();
    assert_eq!(state.waiting.len(), 1);
    s.stop().await;
}

/// The console's session cookie carries `Secure` under TLS, so a browser never sends it in
/// clear, even when `[console] secure_cookie` was left out.
#[tokio::test]
async fn the_session_cookie_is_secure_under_tls() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_at(config::in_process(&dir.path().join("q.db")).tls(dir.path()).config(), monday_9am()).await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    let (status, _) = b.sign_in("lan", PASSWORD).await;
    assert!(status.is_success(), "{status}");
    let cookie = b.set_cookie.clone().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    s.stop().await;
}

/// Plain HTTP beyond loopback is refused at start, in the configuration file and for an
/// address bound by `--listen`: staff passwords and tokens would cross the LAN in clear.
#[tokio::test]
async fn plain_http_beyond_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = config::in_process(&dir.path().join("q.db")).listen("0.0.0.0:8080").text();
    let (_, why) = shared::config::Config::parse(&text).unwrap_err();
    assert!(why.to_string().contains("tls_cert"), "{why}");

    let config = config::in_process(&dir.path().join("q.db")).config();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let clock = std::sync::Arc::new(authority::clock::ManualClock::new(monday_9am()));
    let e = authority::run(config, listener, clock, std::future::pending()).await.unwrap_err();
    assert!(matches!(e, authority::ServeError::Listen(_)), "{e}");
    assert!(!dir.path().join("q.db").exists(), "refused before the store was touched");

    // With TLS the same address is served.
    let config = config::in_process(&dir.path().join("q.db")).tls(dir.path()).listen("0.0.0.0:0").config();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let s = TestServer::start_on(config, std::sync::Arc::new(authority::clock::ManualClock::new(monday_9am())), listener).await;
    let url = format!("https://127.0.0.1:{port}");
    let c = Client::builder(&url).token(KIOSK).ca_pem(s.ca.clone().unwrap()).build().unwrap();
    c.issue("civil", None).await.unwrap();
    s.stop().await;
}

/// `kiosk tls init` run again keeps the CA (devices need not be given a new one) and issues a
/// new server certificate that chains to the old `ca.pem`; keys are private to their owner.
#[tokio::test]
async fn a_second_init_keeps_the_ca() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ips = [std::net::IpAddr::from([127, 0, 0, 1])];
    let first = authority::serve::init::init(dir.path(), "localhost", &ips).unwrap();
    assert!(first.new_ca);
    let ca = std::fs::read(dir.path().join("ca.pem")).unwrap();
    let cert = std::fs::read(dir.path().join("server.pem")).unwrap();
    let again = authority::serve::init::init(dir.path(), "localhost", &ips).unwrap();
    assert!(!again.new_ca);
    assert_eq!(std::fs::read(dir.path().join("ca.pem")).unwrap(), ca, "the CA is kept");
    assert_ne!(std::fs::read(dir.path().join("server.pem")).unwrap(), cert, "a new server certificate");
    for key in ["ca.key", "server.key"] {
        let mode = std::fs::metadata(dir.path().join(key)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{key}");
    }
    // The new certificate is accepted by a device holding the first ca.pem.
    let mut centre = config::in_process(&dir.path().join("q.db"));
    for (k, f) in [("tls_cert", "server.pem"), ("tls_key", "server.key")] {
        centre = centre.server(k, &format!("{:?}", dir.path().join(f).display().to_string()));
    }
    let s = TestServer::start_at(centre.config(), monday_9am()).await;
    let c = Client::builder(&s.url).token(KIOSK).ca_pem(ca).build().unwrap();
    c.issue("civil", None).await.unwrap();

    let half = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("ca.pem"), half.path().join("ca.pem")).unwrap();
    let e = authority::serve::init::init(half.path(), "localhost", &ips).unwrap_err();
    assert!(e.to_string().contains("ca.key"), "{e}");
    let e = authority::serve::init::init(half.path(), "bad name!", &ips).unwrap_err();
    assert!(e.to_string().contains("host name"), "{e}");
    s.stop().await;
}
