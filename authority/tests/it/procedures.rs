//! The public catalogue endpoints over HTTP, with the 2,929 real procedures.
use serde_json::Value;
use testkit::*;

#[tokio::test]
async fn citizens_queries_find_their_procedure_and_records_come_whole() {
    let dir = tempfile::tempdir().unwrap();
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue");
    let centre = testkit::config::in_process(&dir.path().join("q.db"));
    let config = centre.catalogue(&assets.join("procedures.jsonl")).catalogue_fields(&assets.join("fields.jsonl")).config();
    let s = TestServer::start_at(config, monday_9am()).await;
    let http = s.http();
    let get = |q: &str| http.get(format!("{}?{q}", s.api("/procedures"))).send();
    // No token: the catalogue is public, like the portal.
    let found: Value = get("q=dang%20ky%20tam%20tru").await.unwrap().json().await.unwrap();
    assert_eq!(found["results"][0]["code"], "1.004194", "{found}");
    let found: Value = get("q=ho%20chieu&limit=3").await.unwrap().json().await.unwrap();
    assert_eq!(found["results"].as_array().unwrap().len(), 3);
    assert_eq!(found["results"][0]["code"], "1.001456");
    let browse: Value = get("limit=2").await.unwrap().json().await.unwrap();
    assert_eq!(browse["results"][0]["code"], "1.004194", "browsing starts with the most used");
    assert!(browse["results"][0].get("score").is_none());
    let record: Value = http.get(s.api("/procedures/1.004222")).send().await.unwrap().json().await.unwrap();
    assert_eq!(record["TENTTHC"], "Đăng ký thường trú");
    for (q, code) in [("limit=0", "bad_request"), ("limit=1000", "bad_request"), ("colour=red", "bad_request")] {
        let res = get(q).await.unwrap();
        assert_eq!(res.status(), 400, "{q}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], code);
    }
    let res = http.get(s.api("/procedures/9.999999")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn a_kiosk_without_a_catalogue_says_so_and_still_issues() {
    let dir = tempfile::tempdir().unwrap();
    let centre = testkit::config::in_process(&dir.path().join("q.db"));
    let config = centre.catalogue(std::path::Path::new("/nonexistent/procedures.jsonl")).config();
    let s = TestServer::start_at(config, monday_9am()).await;
    let res = s.http().get(s.api("/procedures?q=ho")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "catalogue_unavailable");
    assert_eq!(s.client(KIOSK).issue("civil", None).await.unwrap().number, "A001");
    s.stop().await;
}
