//! The dashboard's sign-in: the cookie, its use by the report, sign-out, and the lock after
//! five wrong passwords (an unknown login alike).
use crate::support::*;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;

async fn sign_in(hub: &Hub, login: &str, password: &str) -> reqwest::Response {
    hub.http.post(hub.url("/api/v1/session")).json(&json!({"login": login, "password": password})).send().await.unwrap()
}

/// Proves a signed-in account's cookie (HttpOnly, SameSite=Strict, no Secure over plain HTTP)
/// reads the report and `GET /api/v1/session`, and no longer does after sign-out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_reads_the_report_until_sign_out() {
    let (_pg, hub) = Hub::fresh().await;
    let r = sign_in(&hub, LOGIN, PASSWORD).await;
    assert_eq!(r.status(), 200);
    let set = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let report = hub.url("/api/v1/province/report?from=2026-11-23&to=2026-11-24");
    assert_eq!(hub.http.get(&report).header(COOKIE, &cookie).send().await.unwrap().status(), 200);
    let who: serde_json::Value =
        hub.http.get(hub.url("/api/v1/session")).header(COOKIE, &cookie).send().await.unwrap().json().await.unwrap();
    assert_eq!(who["login"], LOGIN);
    let out = hub.http.delete(hub.url("/api/v1/session")).header(COOKIE, &cookie).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(hub.http.get(&report).header(COOKIE, &cookie).send().await.unwrap().status(), 401);
    assert_eq!(hub.http.get(hub.url("/api/v1/session")).header(COOKIE, &cookie).send().await.unwrap().status(), 401);
    // A session expires after 8 hours.
    let r = sign_in(&hub, LOGIN, PASSWORD).await;
    let cookie = r.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    hub.clock.advance(chrono::Duration::hours(8) + chrono::Duration::seconds(1));
    assert_eq!(hub.http.get(&report).header(COOKIE, &cookie).send().await.unwrap().status(), 401);
}

/// Proves five wrong passwords lock the login for 15 minutes (even the right password is
/// refused, 429), on a second hub process too, and that an unknown login is locked alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_lock_the_login() {
    let (pg, hub) = Hub::fresh().await;
    let other = Hub::start(&pg.url(), hub.clock.clone()).await;
    for i in 0..5 {
        let h = if i % 2 == 0 { &hub } else { &other };
        assert_eq!(sign_in(h, LOGIN, "wrong").await.status(), 401);
        assert_eq!(sign_in(h, "nobody", "wrong").await.status(), 401);
    }
    for h in [&hub, &other] {
        let r = sign_in(h, LOGIN, PASSWORD).await;
        assert_eq!(r.status(), 429);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "locked");
        assert_eq!(sign_in(h, "nobody", "wrong").await.status(), 429, "an unknown login is locked alike");
    }
    hub.clock.advance(chrono::Duration::minutes(14));
    assert_eq!(sign_in(&hub, LOGIN, PASSWORD).await.status(), 429);
    hub.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(sign_in(&hub, LOGIN, PASSWORD).await.status(), 200);
}

/// Proves a burst of 20 parallel wrong guesses, spread over two hub processes, gets exactly
/// five tries: the other fifteen are refused as locked without a password check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parallel_burst_gets_five_tries() {
    let (pg, hub) = Hub::fresh().await;
    let other = Hub::start(&pg.url(), hub.clock.clone()).await;
    let tries = (0..20).map(|i| sign_in(if i % 2 == 0 { &hub } else { &other }, LOGIN, "guess"));
    let statuses: Vec<u16> = futures_util::future::join_all(tries).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 401).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 15, "{statuses:?}");
}
