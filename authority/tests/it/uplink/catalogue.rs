//! The province's catalogue, taken from the (stand-in) hub by version.
use super::hub::Hub;
use super::{local_events, uplink};
use shared::event::EventBody;
use std::path::Path;
use testkit::{wait_until, TestServer, ADMIN};

fn procedures(n: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(testkit::config::demo_catalogue()).unwrap();
    (text.lines().take(n).collect::<Vec<_>>().join("\n") + "\n").into_bytes()
}

fn replaced(db: &Path) -> Vec<u32> {
    local_events(db)
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::CatalogueReplaced { procedures } => Some(procedures),
            _ => None,
        })
        .collect()
}

async fn refused(s: &TestServer) -> usize {
    let audit: serde_json::Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    audit.as_array().unwrap().iter().filter(|l| l["action"] == "catalogue_refused" && l["actor"] == "province-hub").count()
}

#[tokio::test]
async fn the_catalogue_is_taken_once_per_version_and_a_bad_one_leaves_the_old_in_service() {
    // Proves: the province's catalogue replaces the centre's through the upload's own path (the
    // file on disk, a catalogue_replaced event for the kiosks); a restart asks by ETag and
    // imports nothing again; a file that does not load is refused with an audit line and the
    // old catalogue stays (file, version, event count); the next good version is taken.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let file = dir.path().join("procedures.jsonl");
    std::fs::write(&file, procedures(5)).unwrap();
    let hub = Hub::start().await;
    hub.publish("\"v1\"", &procedures(20));
    let config = testkit::config::in_process(&db).catalogue(&file).raw(&hub.uplink("")).config();
    let start = || TestServer::start_at(config.clone(), testkit::monday_9am());

    let s = start().await;
    wait_until(20, "version v1 is in service", || async { uplink(&s).await.0.catalogue_etag.as_deref() == Some("\"v1\"") }).await;
    let r = s.http().get(s.api("/procedures?limit=100")).bearer_auth(testkit::KIOSK).send().await.unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
    assert_eq!(std::fs::read(&file).unwrap(), procedures(20));
    assert_eq!(replaced(&db), [20]);

    // A restart asks with the version it has: 304, nothing imported.
    let s = start().await;
    wait_until(20, "the hub is asked again", || async { hub.with(|h| h.catalogue_asks.len()) == 2 }).await;
    assert_eq!(hub.with(|h| h.catalogue_asks[1].clone()).as_deref(), Some("\"v1\""));
    s.stop().await;
    assert_eq!(replaced(&db), [20], "an unchanged version is not imported again");

    // A broken file: refused, said, the old one kept.
    hub.publish("\"v2\"", r#"{"MATTHC":"1.000001","TENTTHC":"Đăng"#.as_bytes());
    let s = start().await;
    wait_until(20, "the broken version is refused", || async { refused(&s).await == 1 }).await;
    assert_eq!(uplink(&s).await.0.catalogue_etag.as_deref(), Some("\"v1\""));
    s.stop().await;
    assert_eq!(std::fs::read(&file).unwrap(), procedures(20), "the old file stays");
    assert_eq!(replaced(&db), [20]);

    hub.publish("\"v3\"", &procedures(30));
    let s = start().await;
    wait_until(20, "version v3 is in service", || async { uplink(&s).await.0.catalogue_etag.as_deref() == Some("\"v3\"") }).await;
    s.stop().await;
    assert_eq!(replaced(&db), [20, 30]);
    assert_eq!(std::fs::read(&file).unwrap(), procedures(30));
}
