//! The centre's own words for search, edited by the administrator over real HTTP: searched with
//! at once, announced to the kiosks, kept across a restart; a bad table, a stale edit or a centre
//! with no file for it refused with nothing written.

use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::event::EventBody;
use testkit::{TestServer, ADMIN, DISPLAY, KIOSK};

fn centre(dir: &std::path::Path, synonyms: Option<&std::path::Path>) -> shared::config::Config {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue");
    let c = testkit::config::in_process(&dir.join("q.db")).catalogue(&assets.join("procedures.jsonl"));
    match synonyms {
        Some(path) => c.catalogue_synonyms(path).config(),
        None => c.config(),
    }
}

async fn top(s: &TestServer, q: &str) -> Vec<String> {
    let url = reqwest::Url::parse_with_params(&s.api("/procedures"), [("q", q), ("limit", "5")]).unwrap();
    let v: Value = s.http().get(url).send().await.unwrap().json().await.unwrap();
    v["results"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
}

async fn table(s: &TestServer) -> Value {
    s.http().get(s.api("/admin/synonyms")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap()
}

async fn save(s: &TestServer, body: Value) -> (StatusCode, Value) {
    let r = s.http().put(s.api("/admin/synonyms")).bearer_auth(ADMIN).json(&body).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

#[tokio::test]
async fn a_centres_words_are_searched_with_at_once_announced_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synonyms.tsv");
    let s = TestServer::start_at(centre(dir.path(), Some(&path)), testkit::monday_9am()).await;
    let before = top(&s, "nghỉ bệnh").await;
    let t = table(&s).await;
    assert_eq!((t["editable"].as_bool(), t["centre"].as_array().map(Vec::len)), (Some(true), Some(0)), "{t}");
    assert!(t["shipped"].as_array().unwrap().iter().any(|p| p["everyday"] == "sổ hồng"), "the shipped table, as written");
    let mut stream = s.client(DISPLAY).events(Some(s.client(ADMIN).state().await.unwrap().last_event_id)).await.unwrap();

    let pairs = json!([{"everyday": "nghỉ bệnh", "official": "chế độ ốm đau"}, {"everyday": "Sổ Hồng", "official": "quyền sở hữu nhà ở"}]);
    let (st, saved) = save(&s, json!({"version": t["version"], "pairs": pairs})).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["centre"], pairs, "as typed");
    assert_ne!(saved["version"], t["version"]);
    let after = top(&s, "nghỉ bệnh").await;
    assert_eq!(after[0], "Giải quyết hưởng chế độ ốm đau", "searched with at once: {after:?}");
    assert!(!before.contains(&after[0]), "and not found before: {before:?}");
    // The kiosks hear of it (they load the catalogue again with the table).
    let announced = testkit::next_event(&mut stream, 5, "a catalogue_replaced event", |body| match body {
        EventBody::CatalogueReplaced { procedures } => Some(procedures),
        _ => None,
    })
    .await;
    assert_eq!(announced, 2929);
    assert!(std::fs::read_to_string(&path).unwrap().contains("nghỉ bệnh\tchế độ ốm đau\n"));

    // Stale, bad, unknown fields, not an administrator: refused, nothing written.
    let kept = std::fs::read(&path).unwrap();
    let (st, err) = save(&s, json!({"version": t["version"], "pairs": []})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")), "an edit of an older read");
    let v = saved["version"].clone();
    for (bad, row) in [
        (json!([{"everyday": "a", "official": "b"}, {"everyday": "x\ty", "official": "z"}]), "row 2"),
        (
            json!([{"everyday": "nghi benh", "official": "b"}, {"everyday": "Nghỉ bệnh", "official": "c"}]),
            "row 2: the same everyday words as row 1",
        ),
        (json!([{"everyday": "  ", "official": "b"}]), "row 1: a side has no words"),
    ] {
        let (st, err) = save(&s, json!({"version": v, "pairs": bad})).await;
        assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_synonyms")), "{err}");
        assert!(err["message"].as_str().unwrap().starts_with(row), "{err}");
    }
    let (st, err) = save(&s, json!({"version": v, "pairs": [], "extra": 1})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_body")));
    let r = s.http().put(s.api("/admin/synonyms")).bearer_auth(KIOSK).json(&json!({"version": v, "pairs": []})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(std::fs::read(&path).unwrap(), kept, "none of the refusals wrote anything");
    assert_eq!(top(&s, "nghỉ bệnh").await[0], "Giải quyết hưởng chế độ ốm đau");

    // A restart searches with the saved table; the audit names who saved it.
    s.stop().await;
    let s = TestServer::start_at(centre(dir.path(), Some(&path)), testkit::monday_9am()).await;
    assert_eq!(top(&s, "nghỉ bệnh").await[0], "Giải quyết hưởng chế độ ốm đau");
    assert_eq!(table(&s).await["centre"], pairs);
    let audit: Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    let line = audit.as_array().unwrap().iter().find(|a| a["action"] == "synonyms_replaced").expect("audited");
    assert_eq!(line["detail"], "2 pairs");
}

#[tokio::test]
async fn a_broken_file_is_shown_and_replaced_and_no_file_configured_is_said() {
    // Failure proved: a table broken by a hand edit is not used (search keeps the shipped one),
    // the console is told why, and a save replaces it; a centre with no file named cannot save.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synonyms.tsv");
    std::fs::write(&path, "nghỉ bệnh\tchế độ ốm đau\nno tab here\n").unwrap();
    let s = TestServer::start_at(centre(dir.path(), Some(&path)), testkit::monday_9am()).await;
    assert_ne!(top(&s, "nghỉ bệnh").await.first().map(String::as_str), Some("Giải quyết hưởng chế độ ốm đau"));
    let t = table(&s).await;
    assert!(t["problem"].as_str().unwrap().starts_with("line 2: no tab"), "{t}");
    let pairs = json!([{"everyday": "nghỉ bệnh", "official": "chế độ ốm đau"}]);
    assert_eq!(save(&s, json!({"version": t["version"], "pairs": pairs})).await.0, StatusCode::OK);
    assert_eq!(top(&s, "nghỉ bệnh").await[0], "Giải quyết hưởng chế độ ốm đau");
    s.stop().await;

    let s = TestServer::start_at(centre(dir.path(), None), testkit::monday_9am()).await;
    let t = table(&s).await;
    assert_eq!(t["editable"], false);
    let (st, err) = save(&s, json!({"version": t["version"], "pairs": pairs})).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("no_synonym_file")), "{err}");
}
