//! The centre's name over real HTTP: the admin settings refuse a name that would garble the
//! hall board and terminals, and a name stored before that rule is cleaned at start instead of
//! stopping the authority or reaching the screens as it was.

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::{TestServer, ADMIN, KIOSK};

async fn put_settings(s: &TestServer, version: u64, settings: &Value) -> (StatusCode, Value) {
    let r = s
        .http()
        .put(s.api("/admin/settings"))
        .bearer_auth(ADMIN)
        .json(&json!({"version": version, "settings": settings}))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn read_settings(s: &TestServer) -> Value {
    s.http().get(s.api("/admin/settings")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap()
}

/// Proves the admin API no longer stores a centre name longer than a board line, or one with ESC,
/// NUL or a right-to-left override: each is refused 422 invalid_settings at `centre_name`, with
/// the reason, and nothing is stored.
#[tokio::test]
async fn the_settings_api_refuses_a_centre_name_that_garbles_or_overflows_a_board_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let got = read_settings(&s).await;
    let long = "x".repeat(500); // the settings and this stay within the test server's 4 KiB body limit
    for (bad, reason) in [
        ("UBND\u{1b}[2J\u{1b}[31m", "U+001B"),
        ("UBND\0phường", "U+0000"),
        ("UBND \u{202E}gnờưhp", "U+202E"),
        ("UBND \u{2067}x\u{2069}", "U+2067"),
        (long.as_str(), "1 to 120 characters"),
    ] {
        let mut settings = got["settings"].clone();
        settings["centre_name"] = json!(bad);
        let (st, err) = put_settings(&s, 0, &settings).await;
        assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")), "{err}");
        assert_eq!(err["problems"][0]["at"], "centre_name", "{err}");
        let message = err["problems"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{reason}: {message}");
    }
    assert_eq!(read_settings(&s).await["version"], 0, "none of the refusals stored anything");

    // A good name, decomposed as a browser may send it, is stored composed and shown at once.
    let mut settings = got["settings"].clone();
    settings["centre_name"] = json!(" UBND phu\u{031B}o\u{031B}\u{0300}ng Ba Đình ");
    let (st, put) = put_settings(&s, 0, &settings).await;
    assert_eq!(st, StatusCode::OK, "{put}");
    assert_eq!(put["settings"]["centre_name"], "UBND phường Ba Đình");
    assert_eq!(s.client(KIOSK).state().await.unwrap().centre, "UBND phường Ba Đình");
}

/// Proves a garbling name that an older version stored does not stop the authority at start
/// (the stored settings are checked by the new rule) and does not reach the boards: it is
/// cleaned (controls and overrides dropped, cut to 120 characters).
#[tokio::test]
async fn a_centre_name_stored_before_the_rule_is_cleaned_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start(&db).await;
    let mut settings = read_settings(&s).await["settings"].clone();
    settings["centre_name"] = json!("UBND");
    assert_eq!(put_settings(&s, 0, &settings).await.0, StatusCode::OK);
    s.stop().await;
    // What an older version let through, written where it kept it.
    let old = format!("\u{1b}[2JUBND \u{202E}Ba Đình\0{}", "x".repeat(12_000));
    let store = shared::store::Store::open(&db).unwrap();
    let n = store.raw().execute("UPDATE settings SET body = json_set(body, '$.centre_name', ?1)", [&old]).unwrap();
    assert_eq!(n, 1);
    drop(store);

    let s = TestServer::start(&db).await;
    let centre = s.client(KIOSK).state().await.expect("the authority starts").centre;
    assert!(centre.starts_with("[2JUBND Ba Đìnhxxx"), "{centre:?}");
    assert_eq!(centre.chars().count(), 120);
    assert!(!centre.chars().any(shared::text::label::garbles), "{centre:?}");
    assert_eq!(read_settings(&s).await["settings"]["centre_name"], centre.as_str(), "the console edits the cleaned name");
}
