//! The province report: its range rules, who may read it, and the CSV.
use crate::support::*;
use crate::tickets::*;

/// Proves bad ranges are 400 (to before from, more than 366 days, not a date, missing) and
/// 366 days is allowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_is_checked() {
    let (_pg, hub) = Hub::fresh().await;
    let get = |q: &str| hub.http.get(hub.url(&format!("/api/v1/province/report{q}"))).bearer_auth(PROVINCE).send();
    for q in ["?from=2026-11-25&to=2026-11-24", "?from=2025-01-01&to=2026-01-02", "?from=2026-13-01&to=2026-12-01", "?from=2026-11-01", ""]
    {
        let r = get(q).await.unwrap();
        assert_eq!(r.status(), 400, "{q}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "bad_request", "{q}");
    }
    assert_eq!(get("?from=2025-01-01&to=2026-01-01").await.unwrap().status(), 200);
}

/// Proves a centre's token cannot read the province's report (403), nor can no token or an
/// unknown one (401).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_province_reads_the_report() {
    let (_pg, hub) = Hub::fresh().await;
    let url = hub.url("/api/v1/province/report?from=2026-11-23&to=2026-11-23");
    assert_eq!(hub.http.get(&url).bearer_auth(TOKEN_A).send().await.unwrap().status(), 403);
    assert_eq!(hub.http.get(&url).bearer_auth("unknown-token-00000000").send().await.unwrap().status(), 401);
    assert_eq!(hub.http.get(&url).send().await.unwrap().status(), 401);
    let csv = hub.url("/api/v1/province/report.csv?from=2026-11-23&to=2026-11-23");
    assert_eq!(hub.http.get(&csv).bearer_auth(TOKEN_B).send().await.unwrap().status(), 403);
    assert_eq!(hub.http.get(&url).bearer_auth(PROVINCE).send().await.unwrap().status(), 200);
}

/// Proves the CSV has the BOM, the header, one row per centre and the total, with the same
/// figures as the JSON report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_has_a_row_per_centre_and_the_total() {
    let (_pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(1, 20, 7, chrono::Duration::zero());
    hub.push_ok(CENTRE_A, TOKEN_A, &a).await;
    let r = hub.http.get(hub.url("/api/v1/province/report.csv?from=2026-11-23&to=2026-11-23")).bearer_auth(PROVINCE).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = r.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "no BOM");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{text}");
    let total = centre_total(&a, date(23), date(23));
    let row_a: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row_a[0], CENTRE_A);
    assert_eq!(row_a[2], total.issued.unwrap().to_string());
    assert_eq!(row_a[3], total.served.to_string());
    let row_b: Vec<&str> = lines[2].split(',').collect();
    assert_eq!((row_b[0], row_b[2]), (CENTRE_B, "0"));
    let row_total: Vec<&str> = lines[3].split(',').collect();
    assert_eq!((row_total[0], row_total[2]), ("total", total.issued.unwrap().to_string().as_str()));
}

/// Proves a centre name a spreadsheet would run as a formula is written defused (a leading
/// apostrophe), as the centre's own CSV does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_cells_are_not_formulas() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let text = config_text(&pg.url()).replace("name = \"Một cửa B\"", "name = \"=HYPERLINK(\\\"http://x\\\")\"");
    let config = hub::HubConfig::parse(&text).unwrap_or_else(|(l, m)| panic!("{l:?}: {m}"));
    let hub = Hub::start_with(config, TestClock::new(wednesday_10am()), reqwest::Client::new()).await;
    let r = hub.http.get(hub.url("/api/v1/province/report.csv?from=2026-11-23&to=2026-11-23")).bearer_auth(PROVINCE).send().await.unwrap();
    let text = r.text().await.unwrap();
    let row_b = text.lines().find(|l| l.starts_with(CENTRE_B)).unwrap();
    assert!(row_b.starts_with(&format!("{CENTRE_B},\"'=HYPERLINK(")), "{row_b}");
}

/// Proves the report's JSON keeps the contract's names (DESIGN.md: the province hub), which the
/// dashboard and the province's systems read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_json_keeps_the_contract_names() {
    let (_pg, hub) = Hub::fresh().await;
    hub.push_ok(CENTRE_A, TOKEN_A, &days_of_tickets(1, 10, 15, chrono::Duration::zero())).await;
    let r: serde_json::Value = hub
        .http
        .get(hub.url("/api/v1/province/report?from=2026-11-23&to=2026-11-23"))
        .bearer_auth(PROVINCE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let a = r["centres"].as_array().unwrap().iter().find(|c| c["id"] == CENTRE_A).unwrap();
    for key in [
        "id",
        "name",
        "tickets_issued",
        "tickets_served",
        "no_shows",
        "wait_p50_s",
        "wait_p90_s",
        "service_p50_s",
        "ratings",
        "acked",
        "quiet",
    ] {
        assert!(!a[key].is_null(), "centres[].{key} missing: {a}");
    }
    for key in ["tickets_issued", "tickets_served", "no_shows", "ratings", "busiest_hours"] {
        assert!(!r["total"][key].is_null(), "total.{key} missing: {r}");
    }
    assert_eq!(r["days"][0]["day"], "2026-11-23");
}
