//! `GET /healthz` when the store cannot take writes.

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::config::in_process;
use testkit::{monday_9am, TestServer, KIOSK};

#[tokio::test]
async fn healthz_says_storage_full_while_every_write_is_refused_for_a_full_disk() {
    // Proves a full disk shows as down: the store capped at 64 KiB (`[store] max_kib`, SQLite's
    // page limit standing in for a full disk as in the store's own tests) is filled with
    // tickets until one is refused with 503 storage_full; /healthz then answers 503
    // storage_full too. Before, it said 200 "ok" while every ticket was refused.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_at(in_process(&dir.path().join("q.db")).store_max_kib(64).config(), monday_9am()).await;
    let health = || async { s.http().get(format!("{}/healthz", s.url)).send().await.unwrap() };
    assert_eq!(health().await.status(), StatusCode::OK);
    let mut refused = None;
    for _ in 0..5000 {
        let r = s.http().post(s.api("/tickets")).bearer_auth(KIOSK).json(&json!({"service": "civil"})).send().await.unwrap();
        if r.status() != StatusCode::CREATED {
            refused = Some((r.status(), r.json::<Value>().await.unwrap()));
            break;
        }
    }
    let (st, body) = refused.expect("64 KiB fill up before 5000 tickets");
    assert_eq!((st, body["error"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("storage_full")), "{body}");
    let r = health().await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "storage_full");
    s.stop().await;
}
