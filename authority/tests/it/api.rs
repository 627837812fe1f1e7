//! The HTTP API over real sockets: the queue's operations, its refusals, and its tokens.
use serde_json::{json, Value};
use shared::client::CounterAction;
use shared::wire::ErrorCode;
use shared::wire::{StateView, TicketState};
use testkit::*;

async fn error_of(res: reqwest::Response) -> (u16, String, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.expect("every error has a JSON body");
    (status, body["error"].as_str().unwrap().to_owned(), body["message"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_ticket_goes_through_its_whole_life() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    let staff = s.client(COUNTER);
    let a1 = kiosk.issue("civil", None).await.unwrap();
    assert_eq!((a1.number.as_str(), a1.waiting_ahead, a1.estimated_wait_s), ("A001", Some(0), Some(0)));
    s.clock.advance(chrono::Duration::minutes(1));
    let a2 = kiosk.issue("civil", None).await.unwrap();
    assert_eq!(a2.waiting_ahead, Some(1));
    assert_eq!(a2.estimated_wait_s, Some(150), "one ahead × 300 s shared by two counters");
    let called = staff.call_next("1").await.unwrap().unwrap();
    assert_eq!((called.number.as_str(), called.state, called.counter.as_deref()), ("A001", TicketState::Called, Some("1")));
    assert_eq!(staff.counter_action("1", CounterAction::Recall).await.unwrap().unwrap().number, "A001");
    let gone = staff.counter_action("1", CounterAction::NoShow).await.unwrap().unwrap();
    assert_eq!(gone.state, TicketState::NoShow);
    let back = staff.restore("A001").await.unwrap();
    assert_eq!((back.state, back.waiting_ahead), (TicketState::Waiting, Some(0)));
    staff.call_next("1").await.unwrap();
    let moved = staff.transfer("1", Some("land"), None).await.unwrap();
    assert_eq!((moved.service.as_str(), moved.state), ("land", TicketState::Waiting));
    // Counter 2 serves civil and land: the transferred A001 keeps its place before A002.
    assert_eq!(staff.call_next("2").await.unwrap().unwrap().number, "A001");
    let done = staff.counter_action("2", CounterAction::Finish).await.unwrap().unwrap();
    assert_eq!(done.state, TicketState::Done);
    assert_eq!(staff.call_next("2").await.unwrap().unwrap().number, "A002");
    assert_eq!(staff.call_next("2").await.unwrap(), None, "nobody waits: 204");
    let state = kiosk.state().await.unwrap();
    assert!(state.waiting.is_empty() && state.counters.iter().all(|c| c.current.is_none()));
    assert_eq!(state.recent_calls[0].number, "A002", "newest call first");
    s.stop().await;
}

#[tokio::test]
async fn the_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start(&db).await;
    let kiosk = s.client(KIOSK);
    for _ in 0..3 {
        kiosk.issue("civil", Some("elderly")).await.unwrap();
    }
    s.client(COUNTER).call_next("2").await.unwrap();
    let before = kiosk.state().await.unwrap();
    s.stop().await;
    let s = TestServer::start(&db).await;
    let after = s.client(KIOSK).state().await.unwrap();
    assert_eq!(after, before);
    assert_eq!(s.client(KIOSK).issue("civil", None).await.unwrap().number, "A004", "numbering goes on");
    s.stop().await;
}

#[tokio::test]
async fn refusals_are_json_with_machine_codes_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let http = s.http();
    s.client(KIOSK).issue("civil", None).await.unwrap();
    let post = |path: &str| http.post(s.api(path)).bearer_auth(KIOSK);
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (post("/tickets").json(&json!({"service": "passport"})), 404, "unknown_service"),
        (post("/tickets").json(&json!({"service": "land", "priority": "elderly"})), 422, "priority_not_offered"),
        (post("/tickets").json(&json!({"service": "civil", "priority": "vip"})), 404, "unknown_priority"),
        (post("/tickets").json(&json!({"service": "tax"})), 409, "service_closed"),
        (post("/tickets").json(&json!({"service": "civil", "extra": 1})), 422, "invalid_body"),
        (post("/tickets").json(&json!({"servce": "civil"})), 422, "invalid_body"),
        (post("/tickets").header("content-type", "application/json").body("{\"service\": "), 400, "bad_request"),
        (post("/tickets").body("service=civil"), 415, "unsupported_media_type"),
        (
            post("/tickets").header("content-type", "application/json").body(format!("{{\"service\":\"{}\"}}", "x".repeat(5000))),
            413,
            "body_too_large",
        ),
        (http.get(s.api("/nothing")).bearer_auth(KIOSK), 404, "not_found"),
        (http.delete(s.api("/tickets")).bearer_auth(KIOSK), 405, "method_not_allowed"),
        (http.post(s.api("/counters/9/call-next")).bearer_auth(COUNTER), 404, "unknown_counter"),
        (http.post(s.api("/counters/1/finish")).bearer_auth(COUNTER), 409, "no_current_ticket"),
        (http.post(s.api("/counters/1/call-next")).bearer_auth(COUNTER).body("{\"x\":1}"), 422, "invalid_body"),
        (http.post(s.api("/tickets/A999/restore")).bearer_auth(COUNTER), 404, "ticket_not_found"),
        (http.post(s.api("/tickets/A001/restore")).bearer_auth(COUNTER), 409, "ticket_not_callable"),
        (http.post(s.api("/counters/1/transfer")).bearer_auth(COUNTER).json(&json!({})), 409, "no_current_ticket"),
        (http.get(s.api("/events")).bearer_auth(DISPLAY).header("last-event-id", "abc"), 400, "bad_request"),
    ];
    for (i, (req, status, code)) in cases.into_iter().enumerate() {
        let (got_status, got_code, message) = error_of(req.send().await.unwrap()).await;
        assert_eq!((got_status, got_code.as_str()), (status, code), "case {i}: {message}");
        assert!(!message.is_empty());
    }
    let state: StateView = s.client(KIOSK).state().await.unwrap();
    assert_eq!(state.last_event_id, 2, "no refusal wrote anything (day start and A001 only)");
    let closed = error_of(post("/tickets").json(&json!({"service": "tax"})).send().await.unwrap()).await;
    assert_eq!(closed.2, "service \"tax\" is closed now; it opens at 13:30");
    s.stop().await;
}

#[tokio::test]
async fn the_daily_cap_is_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    for _ in 0..5 {
        kiosk.issue("land", None).await.unwrap();
    }
    let err = kiosk.issue("land", None).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::DailyCapReached), "{err}");
    assert!(!kiosk.state().await.unwrap().services[1].open);
    s.stop().await;
}

#[tokio::test]
async fn each_role_may_do_only_its_part() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let http = s.http();
    let issue = |token: Option<&str>| {
        let r = http.post(s.api("/tickets")).json(&json!({"service": "civil"}));
        match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    };
    assert_eq!(error_of(issue(None).send().await.unwrap()).await.1, "unauthorized");
    let res = issue(Some("not-a-known-token-at-all")).send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_of(res).await.1, "unauthorized");
    let basic = http.post(s.api("/tickets")).header("authorization", "Basic a2lvc2s6eA==").json(&json!({"service": "civil"}));
    assert_eq!(error_of(basic.send().await.unwrap()).await.1, "unauthorized");
    assert_eq!(error_of(issue(Some(DISPLAY)).send().await.unwrap()).await.1, "forbidden", "a display cannot take numbers");
    assert_eq!(issue(Some(KIOSK)).send().await.unwrap().status(), 201);
    assert_eq!(issue(Some(COUNTER)).send().await.unwrap().status(), 201, "staff may issue for a citizen");
    let call = |token: &str, counter: &str| http.post(s.api(&format!("/counters/{counter}/call-next"))).bearer_auth(token.to_owned());
    assert_eq!(error_of(call(KIOSK, "1").send().await.unwrap()).await.1, "forbidden", "a kiosk cannot call tickets");
    assert_eq!(error_of(call(DISPLAY, "1").send().await.unwrap()).await.1, "forbidden");
    assert_eq!(error_of(call(COUNTER1, "2").send().await.unwrap()).await.1, "forbidden", "keypad 1 cannot drive counter 2");
    assert_eq!(call(COUNTER1, "1").send().await.unwrap().status(), 200);
    assert_eq!(call(ADMIN, "2").send().await.unwrap().status(), 200);
    for token in [KIOSK, DISPLAY, COUNTER, ADMIN] {
        assert_eq!(http.get(s.api("/state")).bearer_auth(token).send().await.unwrap().status(), 200);
    }
    assert_eq!(error_of(http.get(s.api("/state")).send().await.unwrap()).await.1, "unauthorized");
    let health: Value = http.get(format!("{}/healthz", s.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let doc: Value = http.get(s.api("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/api/v1/tickets"]["post"].is_object());
    s.stop().await;
}

#[tokio::test]
async fn a_repeated_press_is_applied_once() {
    // A counter keypad on a slow link re-sends its press: the second must not skip a citizen.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    for _ in 0..3 {
        kiosk.issue("civil", None).await.unwrap();
    }
    let http = s.http();
    let press = || http.post(s.api("/counters/1/call-next")).bearer_auth(COUNTER).header("idempotency-key", "press-42");
    let first = press().send().await.unwrap();
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = press().send().await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["number"], "A001");
    assert_eq!(again["number"], "A001", "the same ticket, not A002");
    assert_eq!(kiosk.state().await.unwrap().waiting.len(), 2);
    let ticket = || http.post(s.api("/tickets")).bearer_auth(KIOSK).header("idempotency-key", "tap-7").json(&json!({"service": "civil"}));
    let t1: Value = ticket().send().await.unwrap().json().await.unwrap();
    let t2: Value = ticket().send().await.unwrap().json().await.unwrap();
    assert_eq!(t1["number"], t2["number"], "a double tap prints one number");
    s.stop().await;
}

#[tokio::test]
async fn the_day_turns_over_at_the_rollover() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    kiosk.issue("civil", None).await.unwrap();
    s.clock.advance(chrono::Duration::hours(15)); // 00:00 the next day
                                                  // The idle tick turns the day by itself, so boards clear at midnight with no request.
    let k = kiosk.clone();
    wait_until(5, "the new day starts", || {
        let k = k.clone();
        async move { k.state().await.unwrap().day.to_string() == "2026-11-24" }
    })
    .await;
    let state = kiosk.state().await.unwrap();
    assert!(state.waiting.is_empty(), "yesterday's tickets are void");
    assert_eq!(kiosk.issue("civil", None).await.unwrap().number, "A001");
    s.stop().await;
}

#[tokio::test]
async fn a_no_show_past_its_grace_cannot_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    s.client(KIOSK).issue("civil", None).await.unwrap();
    let staff = s.client(COUNTER);
    staff.call_next("1").await.unwrap();
    staff.counter_action("1", CounterAction::NoShow).await.unwrap();
    s.clock.advance(chrono::Duration::minutes(11));
    let err = staff.restore("A001").await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::GraceExpired), "{err}");
    let err = staff.call("1", "A001").await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::GraceExpired), "{err}");
    s.stop().await;
}

#[tokio::test]
async fn a_printer_problem_reaches_staff_and_staff_can_ask_for_a_reprint() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let http = s.http();
    let report = |body: Value| http.post(s.api("/devices/status")).bearer_auth(KIOSK).json(&body).send();
    let mut stream = s.client(COUNTER).events(None).await.unwrap();
    let res = report(json!({"problem": "paper_end", "message": "Máy in hết giấy"})).await.unwrap();
    assert_eq!(res.status(), 200);
    let state = s.client(COUNTER).state().await.unwrap();
    assert_eq!(state.devices.len(), 1);
    assert_eq!((state.devices[0].device.as_str(), state.devices[0].ok), ("kiosk", false), "named by its token");
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert!(format!("{seen:?}").contains("paper_end"), "staff are told live: {seen:?}");
    let last = s.client(KIOSK).state().await.unwrap().last_event_id;
    report(json!({"problem": "paper_end", "message": "Máy in hết giấy"})).await.unwrap();
    assert_eq!(s.client(KIOSK).state().await.unwrap().last_event_id, last, "an unchanged report writes nothing");
    let res = report(json!({"problem": "x".repeat(41)})).await.unwrap();
    assert_eq!(error_of(res).await.1, "bad_request");
    let res = http.post(s.api("/devices/status")).bearer_auth(KIOSK).json(&json!({"problm": "typo"})).send().await.unwrap();
    assert_eq!(error_of(res).await.1, "invalid_body");

    let t = s.client(KIOSK).issue("civil", None).await.unwrap();
    let res = http.post(s.api(&format!("/tickets/{}/reprint", t.number))).bearer_auth(KIOSK).send().await.unwrap();
    assert_eq!(error_of(res).await.1, "forbidden", "a kiosk cannot order reprints");
    let res = http.post(s.api("/tickets/A001/reprint")).bearer_auth(COUNTER).json(&json!({"device": "kiosk"})).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let res = http.post(s.api("/tickets/A777/reprint")).bearer_auth(COUNTER).send().await.unwrap();
    assert_eq!(error_of(res).await.1, "ticket_not_found");
    s.stop().await;
}
