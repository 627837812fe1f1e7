//! Sign-in under a hostile LAN: floods of concurrent sign-ins from many addresses, and what the
//! lockout tells about which logins exist. The bound on hashing is read from the server's own
//! counters (`GET /api/v1/admin/sign-in-gate`), never inferred from timings.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr};
use testkit::browser::{create_account, PASSWORD};
use testkit::config::in_process;
use testkit::{monday_9am, Centre, TestServer, ADMIN};

/// The in-process centre with `more` settings on top.
async fn start(more: impl FnOnce(Centre) -> Centre) -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_at(more(in_process(&dir.path().join("q.db"))).config(), monday_9am()).await;
    (dir, s)
}

/// An HTTP client whose connections come from 127.0.0.`n` (the server limits by peer address).
fn from(n: u8) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))).build().unwrap()
}

/// A sign-in's status, `Retry-After` and body.
async fn sign_in(http: &reqwest::Client, s: &TestServer, login: &str, password: &str) -> (StatusCode, Option<u32>, Value) {
    let r = http.post(s.api("/session")).json(&json!({"login": login, "password": password})).send().await.unwrap();
    let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (r.status(), retry, r.json().await.unwrap_or(Value::Null))
}

async fn gate(s: &TestServer) -> Value {
    let r = s.http().get(s.api("/admin/sign-in-gate")).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// `per` wrong sign-ins from each of 127.0.0.`first`.. `first + addresses - 1`, all at once.
async fn flood(
    s: &TestServer,
    first: u8,
    addresses: u8,
    per: usize,
    login: impl Fn(usize) -> String,
) -> Vec<(StatusCode, Option<u32>, Value)> {
    let clients: Vec<reqwest::Client> = (first..first + addresses).map(from).collect();
    let tries = clients.iter().enumerate().flat_map(|(a, c)| (0..per).map(move |i| (c, a * per + i)));
    join_all(tries.map(|(c, i)| {
        let login = login(i);
        async move { sign_in(c, s, &login, "wrong-password-0").await }
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_concurrent_sign_ins_never_hashes_more_than_the_gate_allows() {
    // Proves the memory of a sign-in flood is bounded: 40 sign-ins at once from 4 addresses at a
    // real memory cost (19 MiB each) run at most `hash_concurrency` hashes at once, at most `hash_queue`
    // wait, the rest are refused at once with 503 sign_in_busy and a Retry-After. Without the
    // gate every one of them hashed at the same time (24 MB → 9.6 GB in the attack run).
    let (_d, s) = start(|c| {
        c.console("hash_memory_kib", "19456").console("hash_passes", "3").console("hash_concurrency", "2").console("hash_queue", "2")
    })
    .await;
    create_account(&s, "lan", "staff", &[]).await;
    let answers = flood(&s, 2, 4, 10, |i| if i % 2 == 0 { "lan".to_owned() } else { format!("ghost{i}") }).await;
    let g = gate(&s).await;
    assert_eq!((g["hashing_limit"].as_u64(), g["waiting_limit"].as_u64()), (Some(2), Some(2)), "{g}");
    let peak = g["hashing_peak"].as_u64().unwrap();
    assert!((1..=2).contains(&peak), "at most 2 hashes ran at once: {g}");
    assert_eq!((g["hashing_now"].as_u64(), g["waiting_now"].as_u64()), (Some(0), Some(0)), "{g}");
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == StatusCode::SERVICE_UNAVAILABLE).collect();
    for (st, retry, body) in &busy {
        assert_eq!((body["error"].as_str(), *retry), (Some("sign_in_busy"), Some(1)), "{st} {body}");
    }
    assert!(!busy.is_empty(), "40 sign-ins at once overflow 2 slots and 2 places in the queue");
    assert_eq!(g["refused_busy"].as_u64(), Some(busy.len() as u64), "{g}");
    let answered = answers.len() - busy.len();
    for (st, _, body) in answers.iter().filter(|a| a.0 != StatusCode::SERVICE_UNAVAILABLE) {
        assert!(matches!(*st, StatusCode::UNAUTHORIZED | StatusCode::LOCKED), "{st} {body}");
    }
    // Every answered sign-in spent one verification, whether the login exists or is locked.
    assert_eq!(g["verifications"].as_u64(), Some(answered as u64), "{g}");
    // The queue is empty again: the account's owner signs in (the flood locked "lan": unlock).
    let r = s.http().patch(s.api("/admin/accounts/lan")).bearer_auth(ADMIN).json(&json!({"unlock": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sign_in(&from(1), &s, "lan", PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_beyond_the_rate_of_all_addresses_are_refused_and_a_good_one_passes_after() {
    // Proves the rate across addresses: 4 addresses × 10 tries stay under the 20 a minute of
    // one address, yet only `sign_ins_per_minute` (10) reach the hashing; the other 30 get 429
    // too_many_sign_ins with a Retry-After, and once that time has passed staff sign in.
    let (_d, s) = start(|c| c.console("sign_ins_per_minute", "10")).await;
    create_account(&s, "lan", "staff", &[]).await;
    let answers = flood(&s, 2, 4, 10, |i| format!("ghost{i}")).await;
    let refused: Vec<_> = answers.iter().filter(|a| a.0 == StatusCode::TOO_MANY_REQUESTS).collect();
    assert_eq!((refused.len(), answers.len() - refused.len()), (30, 10), "{answers:?}");
    for (_, retry, body) in &refused {
        assert_eq!(body["error"], "too_many_sign_ins", "{body}");
        assert!(retry.is_some_and(|r| (1..=60).contains(&r)), "{retry:?}");
    }
    assert!(answers.iter().all(|a| a.0 == StatusCode::TOO_MANY_REQUESTS || a.0 == StatusCode::UNAUTHORIZED), "{answers:?}");
    let g = gate(&s).await;
    assert_eq!((g["refused_rate"].as_u64(), g["verifications"].as_u64()), (Some(30), Some(10)), "{g}");

    // Right after the flood the window is full, even for the right password...
    let (st, retry, _) = sign_in(&from(1), &s, "lan", PASSWORD).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    // ...and once the Retry-After has passed, the good sign-in goes through.
    s.clock.advance(chrono::Duration::seconds(retry.unwrap() as i64));
    let (st, _, me) = sign_in(&from(1), &s, "lan", PASSWORD).await;
    assert_eq!((st, me["login"].as_str()), (StatusCode::OK, Some("lan")), "{me}");
}

#[tokio::test]
async fn an_unknown_login_answers_exactly_as_a_real_one_and_a_locked_account_still_spends_a_verification() {
    // Proves the lockout no longer tells which logins exist: a real login and an unknown one get
    // the same sequence of statuses and bodies (401 four times, then 423 account_locked), and a
    // locked account (or a "locked" unknown login) still costs one verification per try, so it
    // does not answer faster either. Before, an unknown login got 401 forever and a locked
    // account answered without hashing.
    let (_d, s) = start(|c| c).await;
    create_account(&s, "lan", "staff", &[]).await;
    let (real, ghost) = (from(2), from(3));
    let mut seq_real = Vec::new();
    let mut seq_ghost = Vec::new();
    for _ in 0..8 {
        seq_real.push(sign_in(&real, &s, "lan", "wrong-password-0").await);
        seq_ghost.push(sign_in(&ghost, &s, "nobody", "wrong-password-0").await);
    }
    assert_eq!(seq_real, seq_ghost, "the answers do not tell which login exists");
    let statuses: Vec<u16> = seq_real.iter().map(|a| a.0.as_u16()).collect();
    assert_eq!(statuses, [401, 401, 401, 401, 423, 423, 423, 423]);
    assert_eq!(seq_real[4].2["error"], "account_locked");

    let before = gate(&s).await["verifications"].as_u64().unwrap();
    for _ in 0..3 {
        assert_eq!(sign_in(&real, &s, "lan", PASSWORD).await.0, StatusCode::LOCKED, "locked even with the right password");
        assert_eq!(sign_in(&ghost, &s, "nobody", PASSWORD).await.0, StatusCode::LOCKED);
    }
    let after = gate(&s).await["verifications"].as_u64().unwrap();
    assert_eq!(after - before, 6, "each try on a locked login spent one verification");

    // Both locks end alike.
    s.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(sign_in(&real, &s, "lan", PASSWORD).await.0, StatusCode::OK);
    assert_eq!(sign_in(&ghost, &s, "nobody", PASSWORD).await.0, StatusCode::UNAUTHORIZED);
}
