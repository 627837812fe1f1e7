//! The console's sign-in, sessions and their refusals, over real HTTP on 127.0.0.1.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use testkit::browser::{create_account, Browser, PASSWORD};
use testkit::{TestServer, ADMIN, COUNTER1, KIOSK};

async fn server() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    (dir, s)
}

async fn issue(s: &TestServer) -> Value {
    let r = s.http().post(s.api("/tickets")).bearer_auth(KIOSK).json(&json!({"service": "civil"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn state(s: &TestServer) -> Value {
    s.http().get(s.api("/state")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap()
}

async fn audit(s: &TestServer) -> Vec<Value> {
    let v: Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    v.as_array().unwrap().clone()
}

#[tokio::test]
async fn staff_sign_in_take_a_counter_serve_and_sign_out() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &["1"]).await;
    let mut b = Browser::new(&s);
    let (st, me) = b.sign_in("lan", PASSWORD).await;
    assert_eq!(st, StatusCode::OK, "{me}");
    assert_eq!((me["login"].as_str(), me["role"].as_str(), me["counter"].clone()), (Some("lan"), Some("staff"), Value::Null));
    assert_eq!(b.get("/session").await.1["name"], "Cán bộ lan");

    assert_eq!(b.post("/counters/1/staff", json!({})).await.0, StatusCode::OK);
    let t = issue(&s).await;
    let (st, called) = b.post("/counters/1/call-next", json!({})).await;
    assert_eq!((st, called["number"].as_str()), (StatusCode::OK, t["number"].as_str()));
    let now = state(&s).await;
    assert_eq!(now["counters"][0]["staff"], "lan");
    assert_eq!(now["counters"][0]["staff_name"], "Cán bộ lan");
    assert!(now["now"].is_string(), "the page corrects its clock with the server's");
    assert_eq!(b.get("/session").await.1["counter"], "1");
    assert_eq!(b.post("/counters/1/finish", json!({})).await.0, StatusCode::OK);

    // The counter's rating device (a counter-1 token) rates the visit just ended, once.
    let rate = |rating: &'static str| {
        let (s, id) = (&s, t["id"].as_u64().unwrap());
        async move {
            s.http()
                .post(s.api(&format!("/tickets/{id}/rating")))
                .bearer_auth(COUNTER1)
                .json(&json!({"rating": rating}))
                .send()
                .await
                .unwrap()
        }
    };
    let r = rate("very_satisfied").await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let r = rate("unsatisfied").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "already_rated");

    // Signing out leaves the counter and ends the session for good.
    assert_eq!(b.delete("/session").await.0, StatusCode::NO_CONTENT);
    assert_eq!(state(&s).await["counters"][0]["staff"], Value::Null);
    let (st, err) = b.post("/counters/1/call-next", json!({})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_expired")));
    let actions: Vec<String> = audit(&s).await.iter().map(|a| a["action"].as_str().unwrap().to_owned()).collect();
    for a in ["account_created", "sign_in", "counter_taken", "counter_left", "sign_out"] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from the audit log: {actions:?}");
    }
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_a_while_and_unknown_logins_look_the_same() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    let (st, unknown) = b.sign_in("nobody", "whatever-password").await;
    let (st2, wrong) = b.sign_in("lan", "wrong-password-1").await;
    assert_eq!((st, st2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(unknown, wrong, "the answer does not tell which logins exist");
    for _ in 0..3 {
        assert_eq!(b.sign_in("lan", "wrong-password-1").await.0, StatusCode::UNAUTHORIZED);
    }
    // The fifth wrong password in a row locks it; then even the right one is refused.
    let (st, err) = b.sign_in("lan", "wrong-password-1").await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::LOCKED, Some("account_locked")), "{err}");
    let (st, _) = b.sign_in("lan", PASSWORD).await;
    assert_eq!(st, StatusCode::LOCKED);
    assert!(b.cookie.is_none(), "no session was handed out");
    s.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(b.sign_in("lan", PASSWORD).await.0, StatusCode::OK, "the lockout ends after lockout_min");
    let log = audit(&s).await;
    assert!(log.iter().any(|a| a["action"] == "account_locked" && a["actor"] == "lan"));
    assert!(log.iter().any(|a| a["action"] == "sign_in_failed" && a["target"] == "nobody"));
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_end_of_day() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    b.sign_in("lan", PASSWORD).await;
    // Used every 20 minutes, it stays; 12 hours after signing in, it ends anyway.
    for _ in 0..35 {
        s.clock.advance(chrono::Duration::minutes(20));
        assert_eq!(b.get("/session").await.0, StatusCode::OK);
    }
    s.clock.advance(chrono::Duration::minutes(20));
    let (st, err) = b.get("/session").await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_expired")));
    // Idle for 31 minutes: ended.
    b.sign_in("lan", PASSWORD).await;
    s.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(b.get("/session").await.1["error"], "session_expired");
    // A made-up cookie is no session at all.
    b.cookie = Some("mc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
    assert_eq!(b.get("/session").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forged_requests_are_refused_and_change_nothing() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    b.sign_in("lan", PASSWORD).await;
    issue(&s).await;
    let call = format!("{}/api/v1/counters/1/call-next", s.url);
    let cookie = b.cookie.clone().unwrap();
    let csrf = b.csrf.clone().unwrap();
    let attempts = [
        ("no token", vec![]),
        ("a wrong token", vec![("x-csrf-token", "forged-token-value")]),
        ("another site's page", vec![("x-csrf-token", csrf.as_str()), ("origin", "http://evil.example")]),
        ("a cross-site fetch", vec![("x-csrf-token", csrf.as_str()), ("sec-fetch-site", "cross-site")]),
    ];
    for (what, headers) in attempts {
        let mut req = s.http().post(&call).header("cookie", &cookie).body("{}").header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "csrf", "{what}");
    }
    assert_eq!(state(&s).await["waiting"].as_array().unwrap().len(), 1, "nobody was called");
    // Reads need no token; the same origin with the token works.
    assert_eq!(b.get("/state").await.0, StatusCode::OK);
    let ok = s
        .http()
        .post(&call)
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .header("origin", &s.url)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn staff_cannot_do_what_only_administrators_may() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &["1"]).await;
    let mut b = Browser::new(&s);
    b.sign_in("lan", PASSWORD).await;
    let before = s.http().get(s.api("/admin/accounts")).bearer_auth(ADMIN).send().await.unwrap().text().await.unwrap();
    let settings = s.http().get(s.api("/admin/settings")).bearer_auth(ADMIN).send().await.unwrap().json::<Value>().await.unwrap();
    let tries: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/admin/settings", None),
        (Method::PUT, "/admin/settings", Some(settings.clone())),
        (Method::GET, "/admin/accounts", None),
        (Method::POST, "/admin/accounts", Some(json!({"login": "evil", "name": "x", "role": "admin", "password": "0123456789ab"}))),
        (Method::PATCH, "/admin/accounts/lan", Some(json!({"role": "admin"}))),
        (Method::GET, "/admin/audit", None),
        (Method::GET, "/reports?from=2026-11-23&to=2026-11-23", None),
        (Method::POST, "/counters/2/call-next", Some(json!({}))),
        (Method::POST, "/counters/2/staff", Some(json!({}))),
    ];
    for (m, path, body) in tries {
        let (st, err) = b.send(m.clone(), path, body, true).await;
        assert_eq!((st, err["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{m} {path}");
    }
    let after = s.http().get(s.api("/admin/accounts")).bearer_auth(ADMIN).send().await.unwrap().text().await.unwrap();
    assert_eq!(before, after, "no account was created or changed");
    let now = s.http().get(s.api("/admin/settings")).bearer_auth(ADMIN).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(now, settings, "the settings are as they were");
}

#[tokio::test]
async fn a_disabled_account_or_a_new_password_ends_its_sessions() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    create_account(&s, "boss", "admin", &[]).await;
    let mut lan = Browser::new(&s);
    lan.sign_in("lan", PASSWORD).await;
    let mut boss = Browser::new(&s);
    boss.sign_in("boss", PASSWORD).await;
    assert_eq!(boss.patch("/admin/accounts/lan", json!({"password": "một-mật-khẩu-mới"})).await.0, StatusCode::OK);
    assert_eq!(lan.get("/session").await.0, StatusCode::UNAUTHORIZED, "the old browser is signed out");
    assert_eq!(lan.sign_in("lan", PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(lan.sign_in("lan", "một-mật-khẩu-mới").await.0, StatusCode::OK);
    assert_eq!(boss.patch("/admin/accounts/lan", json!({"disabled": true})).await.0, StatusCode::OK);
    assert_eq!(lan.get("/session").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(lan.sign_in("lan", "một-mật-khẩu-mới").await.0, StatusCode::FORBIDDEN);
    // The administrator cannot lock themselves out, nor leave the centre without one.
    let (st, err) = boss.patch("/admin/accounts/boss", json!({"disabled": true})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("self_lockout")));
    let (st, err) = boss.post("/admin/accounts", json!({"login": "x", "name": "X", "role": "staff", "password": "short"})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_account")), "{err}");
}

#[tokio::test]
async fn a_centre_run_on_the_admin_token_alone_can_still_change_staff_accounts() {
    // Proves the "one administrator must remain" rule does not block changes to staff accounts
    // when no administrator account exists (only the admin token).
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let r = s.http().patch(s.api("/admin/accounts/lan")).bearer_auth(ADMIN).json(&json!({"disabled": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    create_account(&s, "boss", "admin", &[]).await;
    let r = s.http().patch(s.api("/admin/accounts/boss")).bearer_auth(ADMIN).json(&json!({"role": "staff"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "the last administrator account cannot be demoted");
}

#[tokio::test]
async fn a_page_refetching_by_itself_does_not_keep_an_idle_session_alive() {
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    b.sign_in("lan", PASSWORD).await;
    let cookie = b.cookie.clone().unwrap();
    let background = |s: &TestServer| s.http().get(s.api("/state")).header("cookie", &cookie).header("x-console-background", "1");
    for _ in 0..3 {
        s.clock.advance(chrono::Duration::minutes(10));
        assert_eq!(background(&s).send().await.unwrap().status(), StatusCode::OK);
    }
    s.clock.advance(chrono::Duration::minutes(1));
    let r = background(&s).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "31 minutes without a person's request");
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "session_expired");
}

#[tokio::test]
async fn a_persons_event_stream_ends_with_their_session() {
    // Proves a signed-out (or expired) browser stops receiving the queue's events.
    let (_d, s) = server().await;
    create_account(&s, "lan", "staff", &[]).await;
    let mut b = Browser::new(&s);
    b.sign_in("lan", PASSWORD).await;
    let mut stream = s.http().get(s.api("/events")).header("cookie", b.cookie.clone().unwrap()).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    issue(&s).await;
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), stream.chunk()).await.unwrap().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("ticket_issued"), "a live event while signed in");
    assert_eq!(b.delete("/session").await.0, StatusCode::NO_CONTENT);
    issue(&s).await;
    let mut after = String::new();
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Ok(Some(c)) = stream.chunk().await {
            after.push_str(&String::from_utf8_lossy(&c));
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream ends");
    assert!(!after.contains("ticket_issued"), "no event after sign-out: {after}");
}
