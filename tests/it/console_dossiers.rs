//! The dossier report page in Chromium: a visit linked to its dossier, rated at the counter and
//! evaluated at a kiosk, and a dossier only evaluated, shown per dossier and rolled up per
//! officer and quarter, with the CSV link for a spreadsheet.
use crate::browser::*;
use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

const D1: &str = "000.00.06.H56-261123-0001";
const D2: &str = "H56.02-260815-0002";

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn the_dossier_page_shows_each_dossier_and_the_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let config = testkit::config::console(dir.path(), &dir.path().join("queue.db")).config();
    let start = chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap().with_timezone(&Utc);
    let served = testkit::TestServer::start_at(config, start).await;
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &[]).await;
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    api.take_counter("lan", "1").await;
    let ticket = api.issue("civil", None).await;
    let number = ticket["number"].as_str().unwrap().to_owned();
    let ok = |(s, v): (StatusCode, serde_json::Value), what: &str| assert!(s.is_success(), "{what}: {s} {v}");
    let counter = testkit::ADMIN_TOKEN;
    ok(api.send(Method::POST, "/counters/1/call-next", counter, Some(json!({}))).await, "call");
    ok(api.send(Method::POST, &format!("/tickets/{number}/dossier"), counter, Some(json!({"dossier": D1}))).await, "link");
    ok(api.send(Method::POST, "/counters/1/finish", counter, Some(json!({}))).await, "finish");
    ok(api.send(Method::POST, &format!("/tickets/{number}/rating"), counter, Some(json!({"rating": "very_satisfied"}))).await, "rate");
    let kiosk = testkit::KIOSK_TOKEN;
    let scores = json!({"scores": [2, 2, 2, 2, 2, 2, 2, 2, 1]});
    ok(api.send(Method::POST, &format!("/dossiers/{D1}/evaluation"), kiosk, Some(scores)).await, "evaluate D1");
    let scores = json!({"scores": [1, 1, 1, 1, 1, 1, 1, 1, 1]});
    ok(api.send(Method::POST, &format!("/dossiers/{D2}/evaluation"), kiosk, Some(scores)).await, "evaluate D2");

    let web = Chrome::start(&served.url, "dossiers").await;
    web.sign_in("quantri", PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.goto("dossiers.html#from=2026-11-23&to=2026-11-23&by=dossier").await;
    let rows = "document.querySelectorAll('#dos-table tbody tr').length";
    web.wait(&format!("!document.querySelector('#dossiers').hidden && {rows} === 2"), "the dossiers").await;
    let cell = |key: &str, col: &str| {
        format!("return document.querySelector('#dos-table tr[data-key=\"{key}\"] td[data-col=\"{col}\"]').textContent")
    };
    assert_eq!(web.js(&cell(D1, "officer")).await, json!("lan"));
    assert_eq!(web.js(&cell(D1, "rating")).await, json!("Rất hài lòng"));
    assert_eq!(web.js(&cell(D1, "points")).await, json!("17/18"));
    assert_eq!(web.js(&cell(D1, "ticket")).await, json!(format!("{number} (23/11/2026)")));
    assert_eq!(web.js(&cell(D2, "points")).await, json!("9/18"));
    assert_eq!(web.js(&cell(D2, "rating")).await, json!("—"), "evaluated, not rated at a counter here");
    let total = web.text("#dos-table tfoot th").await;
    assert!(total.contains("2 hồ sơ") && total.contains("1 đánh giá tại quầy (100,0 % hài lòng)"), "{total}");
    web.shot("dossiers").await;

    // Rolled up: by officer (the name of the account), by quarter of receipt.
    web.c.find(fantoccini::Locator::Css("#dos-by")).await.unwrap().select_by_value("officer").await.unwrap();
    web.wait("document.querySelector('#dossiers').dataset.by === 'officer'", "by officer").await;
    assert_eq!(web.js("return document.querySelector('#dos-table tr[data-key=\"lan\"] th').textContent").await, json!("Nguyễn Thị Lan"));
    assert_eq!(web.js(&cell("lan", "mean_points")).await, json!("17,0"));
    web.c.find(fantoccini::Locator::Css("#dos-by")).await.unwrap().select_by_value("quarter").await.unwrap();
    web.wait("document.querySelector('#dossiers').dataset.by === 'quarter'", "by quarter").await;
    assert_eq!(web.js(&cell("2026-Q3", "dossiers")).await, json!("1"));
    assert_eq!(web.js(&cell("2026-Q4", "very_satisfied")).await, json!("1"));
    let href = web.js("return document.querySelector('#dos-csv').getAttribute('href')").await;
    assert_eq!(href, "/api/v1/reports/dossiers.csv?from=2026-11-23&to=2026-11-23&by=quarter");
    let got = web.js("return fetch(document.querySelector('#dos-csv').href).then(async r => [r.status, await r.text()])").await;
    assert_eq!(got[0], 200);
    assert_eq!(got[1].as_str().unwrap().trim_end().lines().count(), 4, "a header, two quarters, the total: {}", got[1]);
    web.close().await;
    served.stop().await;
}
