//! Calls for help over real sockets: a kiosk calls, staff see it live and answer, the kiosk
//! learns who is coming; the rate limit, the roles and the refusals.
use shared::wire::{ErrorCode, HelpScreen};
use testkit::*;

#[tokio::test]
async fn a_kiosk_calls_staff_answer_and_the_kiosk_learns_who_is_coming() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let (kiosk, staff) = (s.client(KIOSK), s.client(COUNTER));
    let mut stream = staff.events(None).await.unwrap();

    let call = kiosk.ask_help(HelpScreen::Procedures).await.unwrap();
    assert_eq!((call.device.as_str(), call.screen, call.answered_by.as_deref()), ("kiosk", HelpScreen::Procedures, None));
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert!(format!("{seen:?}").contains("HelpAsked"), "staff are told live: {seen:?}");
    let last = staff.state().await.unwrap().last_event_id;
    assert_eq!(kiosk.ask_help(HelpScreen::Home).await.unwrap().asked_at, call.asked_at, "a second press is the same call");
    assert_eq!(staff.state().await.unwrap().last_event_id, last, "and writes nothing");
    assert_eq!(staff.helps().await.unwrap(), vec![call.clone()], "staff see the open call");
    assert_eq!(staff.state().await.unwrap().helps, vec![call.clone()], "the state carries it for the console");

    let answered = staff.answer_help("kiosk").await.unwrap();
    assert_eq!(answered.answered_by.as_deref(), Some("staff"), "a token answers under its name");
    assert_eq!(kiosk.helps().await.unwrap(), vec![answered.clone()], "the kiosk learns someone is coming");

    // One call a minute: the refusal says how long to wait, in the body and in Retry-After.
    let err = kiosk.ask_help(HelpScreen::Home).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(429), Some(&ErrorCode::HelpTooSoon)), "{err}");
    let res = s.http().post(s.api("/help")).bearer_auth(KIOSK).json(&serde_json::json!({"screen": "home"})).send().await.unwrap();
    assert_eq!(res.headers()["retry-after"], "60", "the clock did not move: a whole minute");
    s.clock.advance(chrono::Duration::seconds(61));
    let again = kiosk.ask_help(HelpScreen::Home).await.unwrap();
    assert_eq!((again.screen, again.answered_by), (HelpScreen::Home, None), "a minute later, a new call");
    kiosk.withdraw_help().await.unwrap();
    kiosk.withdraw_help().await.unwrap();
    assert!(staff.helps().await.unwrap().is_empty(), "a withdrawn call leaves the console");
    s.stop().await;
}

#[tokio::test]
async fn calls_for_help_are_refused_to_the_wrong_roles_and_bad_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let err = s.client(COUNTER).ask_help(HelpScreen::Home).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Forbidden), "only a kiosk calls, for itself");
    let err = s.client(DISPLAY).helps().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Forbidden), "a display has no business with calls");
    let err = s.client(KIOSK).answer_help("kiosk").await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Forbidden), "a kiosk cannot answer calls");
    let err = s.client(COUNTER).answer_help("kiosk-9").await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(&ErrorCode::NoHelpCall)), "{err}");
    let post =
        |body: &'static str| s.http().post(s.api("/help")).bearer_auth(KIOSK).header("content-type", "application/json").body(body).send();
    // Refused with the reason (400 for what is not JSON of the shape, 422 for a missing or
    // unknown field), and nothing recorded.
    for (body, status) in [(r#"{"screen": 3}"#, 400), ("{", 400), (r#"{}"#, 422), (r#"{"screen": "home", "name": "x"}"#, 422)] {
        let res = post(body).await.unwrap();
        assert_eq!(res.status(), status, "{body}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}: {err}");
    }
    assert!(s.client(COUNTER).helps().await.unwrap().is_empty(), "no bad body made a call");
    // A screen this build does not know is still a call.
    assert_eq!(post(r#"{"screen": "booking"}"#).await.unwrap().status(), 200);
    assert_eq!(s.client(COUNTER).helps().await.unwrap()[0].screen, HelpScreen::Other);
    s.stop().await;
}
