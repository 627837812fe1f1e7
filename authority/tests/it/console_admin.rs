//! The administrator's live changes over real HTTP: settings applied without a restart (and
//! refused when wrong or when they would strand a ticket), the catalogue replaced (and a broken
//! file refused with the old one still served).

use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::event::EventBody;
use testkit::browser::{create_account, Browser, PASSWORD};
use testkit::{TestServer, ADMIN, DISPLAY, KIOSK};

async fn admin(s: &TestServer) -> Browser {
    create_account(s, "boss", "admin", &[]).await;
    let mut b = Browser::new(s);
    assert_eq!(b.sign_in("boss", PASSWORD).await.0, StatusCode::OK);
    b
}

#[tokio::test]
async fn new_settings_are_in_force_at_once_announced_and_kept_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start(&db).await;
    let b = admin(&s).await;
    let (st, got) = b.get("/admin/settings").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["version"], 0, "nothing edited yet: the file's own settings");
    let mut stream = s.client(DISPLAY).events(Some(s.client(ADMIN).state().await.unwrap().last_event_id)).await.unwrap();

    let mut settings = got["settings"].clone();
    settings["services"][0]["name"] = json!("Hộ tịch – Chứng thực");
    settings["counters"].as_array_mut().unwrap().push(json!({"id": "3", "name": "Quầy 3", "number": 3, "services": ["land"]}));
    settings["ticket"]["footer"] = json!(["Cảm ơn quý khách."]);
    let (st, put) = b.put("/admin/settings", json!({"version": 0, "settings": settings})).await;
    assert_eq!(st, StatusCode::OK, "{put}");
    assert_eq!(put["version"], 1);

    // In force without a restart: the state shows it, the new counter calls at once.
    let state = s.client(KIOSK).state().await.unwrap();
    assert_eq!(state.services[0].name, "Hộ tịch – Chứng thực");
    assert_eq!(state.counters.len(), 3);
    s.client(KIOSK).issue("land", None).await.unwrap();
    assert_eq!(s.client(ADMIN).call_next("3").await.unwrap().unwrap().number, "B001");
    // Every screen hears of it.
    let announced = testkit::next_event(&mut stream, 5, "a settings_changed event", |body| match body {
        EventBody::SettingsChanged { version } => Some(version),
        _ => None,
    })
    .await;
    assert_eq!(announced, 1);

    // A second edit from the old version is refused: it would undo the first.
    let (st, err) = b.put("/admin/settings", json!({"version": 0, "settings": got["settings"]})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")));
    // Wrong values are refused with the path of each.
    let mut bad = put["settings"].clone();
    bad["services"][1]["letter"] = json!("A");
    bad["counters"][0]["services"] = json!(["nope"]);
    let (st, err) = b.put("/admin/settings", json!({"version": 1, "settings": bad})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_settings")), "{err}");
    let at: Vec<&str> = err["problems"].as_array().unwrap().iter().map(|p| p["at"].as_str().unwrap()).collect();
    assert_eq!(at, ["services[1].letter", "counters[0].services[0]"]);
    // A typo in a key is refused too, not ignored.
    let mut typo = put["settings"].clone();
    typo["queue"]["priorty_ratio"] = json!(3);
    assert_eq!(b.put("/admin/settings", json!({"version": 1, "settings": typo})).await.1["error"], "invalid_settings");
    // Counter 3 serves B001 now: removing it is refused, naming the ticket.
    let mut strand = put["settings"].clone();
    strand["counters"].as_array_mut().unwrap().pop();
    let (st, err) = b.put("/admin/settings", json!({"version": 1, "settings": strand})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("in_use")));
    assert!(err["message"].as_str().unwrap().contains("B001"), "{err}");
    assert_eq!(b.get("/admin/settings").await.1["version"], 1, "none of the refusals stored anything");

    // After a restart the stored settings are in force, not the file's.
    s.stop().await;
    let s = TestServer::start(&db).await;
    let state = s.client(KIOSK).state().await.unwrap();
    assert_eq!(state.services[0].name, "Hộ tịch – Chứng thực");
    assert_eq!(state.counters.len(), 3);
    assert_eq!(state.counters[2].current.as_ref().map(|t| t.number.as_str()), Some("B001"));
    let audit: Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    let line = audit.as_array().unwrap().iter().find(|a| a["action"] == "settings_changed").expect("audited");
    assert_eq!(line["actor"], "boss");
    let detail = line["detail"].as_str().unwrap();
    assert!(
        detail.contains("counters added: 3") && detail.contains("services changed: civil") && detail.contains("ticket text"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_catalogue_upload_is_served_at_once_and_a_broken_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let procedures = dir.path().join("procedures.jsonl");
    std::fs::write(&procedures, "{\"MATTHC\":\"1.000001\",\"TENTTHC\":\"Đăng ký khai sinh\"}\n").unwrap();
    let config = testkit::config::in_process(&db).catalogue(&procedures).config();
    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    let search = |q: &'static str| {
        let s = &s;
        async move {
            let v: Value = s.http().get(s.api(&format!("/procedures?q={q}"))).send().await.unwrap().json().await.unwrap();
            v["results"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("khai%20sinh").await, ["1.000001"]);
    let upload = |body: Vec<u8>| {
        let s = &s;
        async move { s.http().put(s.api("/admin/catalogue")).bearer_auth(ADMIN).body(body).send().await.unwrap() }
    };
    let real = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/procedures.jsonl")).unwrap();
    let r = upload(real.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["procedures"], 2929);
    assert!(search("giay%20phep%20xay%20dung").await.len() > 1, "the new catalogue is searched at once");
    let kept = std::fs::read(&procedures).unwrap();
    let uploaded = shared::catalogue::Catalogue::load_bytes(&real).unwrap();
    assert_eq!(shared::catalogue::Catalogue::load_bytes(&kept).unwrap().procedures(), uploaded.procedures(), "and kept for the next start");

    // Truncated, not JSON, empty: refused with the reason, the served catalogue unchanged.
    for broken in [real[..real.len() / 2 + 17].to_vec(), b"\x00\x01binary".to_vec(), Vec::new()] {
        let r = upload(broken).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["error"], "invalid_catalogue", "{err}");
    }
    assert!(search("giay%20phep%20xay%20dung").await.len() > 1);
    assert_eq!(std::fs::read(&procedures).unwrap(), kept);
    let audit: Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["catalogue_refused", "catalogue_refused", "catalogue_refused", "catalogue_replaced"]);
}

/// A multipart/form-data body with one part per (file name, content), as a browser sends a folder.
fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----motcua-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n").as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_folder_of_portal_records_is_imported_and_its_bad_records_are_named() {
    // Requirement: the administrator uploads a folder of the portal's records (one part per file);
    // they are served at once with every case, keep the popularity the old catalogue gave the
    // same code, and a bad record is named in the answer while the others arrive.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let procedures = dir.path().join("procedures.jsonl");
    std::fs::write(&procedures, "{\"code\":\"1.004222\",\"name\":\"Đăng ký thường trú\",\"weight\":8781419}\n").unwrap();
    let config = testkit::config::in_process(&db).catalogue(&procedures).config();
    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    let portal = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal");
    let (a, b) = (std::fs::read(portal.join("1.004222.json")).unwrap(), std::fs::read(portal.join("1.004194.json")).unwrap());
    let bad = r#"{"code":"1.000009","name":"Sai kiểu","executionMethods":{"x":1}}"#.as_bytes();
    let (content_type, body) = multipart(&[("1.004222.json", &a), ("1.004194.json", &b), ("hỏng.json", bad)]);
    let r =
        s.http().put(s.api("/admin/catalogue")).bearer_auth(ADMIN).header("content-type", content_type).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["procedures"], 2, "{answer}");
    let skipped = answer["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{answer}");
    assert_eq!(
        (skipped[0]["file"].as_str(), skipped[0]["line"].as_u64(), skipped[0]["code"].as_str()),
        (Some("hỏng.json"), Some(1), Some("1.000009"))
    );
    assert!(skipped[0]["reason"].as_str().unwrap().contains("executionMethods"), "{answer}");

    let record: Value = s.http().get(s.api("/procedures/1.004222")).send().await.unwrap().json().await.unwrap();
    assert_eq!(record["THANHPHANHOSO"].as_array().unwrap().len(), 3, "every case's documents");
    assert_eq!(record["weight"], 8_781_419, "the old catalogue's popularity is kept");
    assert_eq!(record["CACHTHUCTHUCHIEN"][0]["KENH"], "1", "written in the exchange format's own codes");

    // An upload of which nothing imports is refused with the reasons; the catalogue stays.
    let (content_type, body) = multipart(&[("hỏng.json", bad)]);
    let r =
        s.http().put(s.api("/admin/catalogue")).bearer_auth(ADMIN).header("content-type", content_type).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = r.json().await.unwrap();
    assert!(err["message"].as_str().unwrap().contains("hỏng.json:1: 1.000009"), "{err}");
    assert_eq!(shared::catalogue::Catalogue::load_path(&procedures).unwrap().len(), 2);
}
