//! The centre's own search words edited in the administrator's page, in headless Chromium
//! against the real `kiosk serve` with the demo's 2,929 procedures: a pair typed into the table
//! and saved is searched with at once (the page's own "try" box shows it), a duplicate row is
//! refused naming the row with nothing written, and a table saved meanwhile from elsewhere is
//! not overwritten by a page that read an older one.

use crate::browser::*;
use reqwest::Method;
use serde_json::json;
use testkit::*;

const ROW: &str = "#syn-table tbody tr";

async fn msg_has(web: &Chrome, text: &str) {
    web.wait(&format!("document.querySelector('#msg').textContent.includes({text:?})"), &format!("the message {text:?}")).await;
}

/// The first procedure the page's "try" box finds for `q`.
async fn tried(web: &Chrome, q: &str) -> String {
    web.js("document.getElementById('syn-found').replaceChildren(); return true").await;
    web.fill("#syn-try", q).await;
    web.click("#syn-try-form button").await;
    web.text("#syn-found li").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_typed_in_the_page_is_searched_with_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let synonyms = dir.path().join("synonyms.tsv");
    let config = config::console(dir.path(), &dir.path().join("queue.db"))
        .catalogue(&config::demo_catalogue())
        .catalogue_synonyms(&synonyms)
        .write(dir.path());
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    let web = Chrome::start(&served.url, "synonyms").await;
    web.sign_in("quantri", PASSWORD).await;
    web.goto("admin.html#catalogue").await;
    web.wait(
        "!document.getElementById('syn-empty').hidden && /\\d/.test(document.getElementById('syn-shipped-title').textContent)",
        "the tables",
    )
    .await;
    let ill = "Giải quyết hưởng chế độ ốm đau (";
    assert!(!tried(&web, "nghỉ bệnh").await.starts_with(ill), "not found before the centre's pair");

    // Two rows, the second the same words again: refused naming it, nothing written.
    for (i, (everyday, official)) in [("nghỉ bệnh", "chế độ ốm đau"), ("Nghi benh", "ốm đau")].into_iter().enumerate() {
        web.click("#syn-add").await;
        web.fill(&format!("{ROW}:nth-child({}) [data-side=everyday]", i + 1), everyday).await;
        web.fill(&format!("{ROW}:nth-child({}) [data-side=official]", i + 1), official).await;
    }
    web.click("#syn-save").await;
    msg_has(&web, "row 2: the same everyday words as row 1").await;
    web.wait("document.activeElement === document.querySelector('#syn-table tbody tr:nth-child(2) input')", "the named row focused").await;
    assert!(!synonyms.exists(), "a refused table writes nothing");
    assert!(!tried(&web, "nghỉ bệnh").await.starts_with(ill));

    // The second row removed, the table saves and search uses it at once.
    web.click(&format!("{ROW}:nth-child(2) button")).await;
    web.click("#syn-save").await;
    msg_has(&web, "Đã lưu 1 cặp từ").await;
    assert!(tried(&web, "nghỉ bệnh").await.starts_with(ill), "searched with at once");
    assert_eq!(std::fs::read_to_string(&synonyms).unwrap().lines().last(), Some("nghỉ bệnh\tchế độ ốm đau"));

    // Saved meanwhile elsewhere: this page's save is refused and it shows the newer table.
    let (_, now) = api.admin(Method::GET, "/admin/synonyms", None).await;
    let newer = json!([{"everyday": "nghỉ bệnh", "official": "chế độ ốm đau"}, {"everyday": "làm sổ đỏ", "official": "cấp giấy chứng nhận quyền sử dụng đất"}]);
    let (st, _) = api.admin(Method::PUT, "/admin/synonyms", Some(json!({"version": now["version"], "pairs": newer}))).await;
    assert_eq!(st, reqwest::StatusCode::OK);
    web.click("#syn-add").await;
    web.fill(&format!("{ROW}:nth-child(2) [data-side=everyday]"), "giấy ốm").await;
    web.fill(&format!("{ROW}:nth-child(2) [data-side=official]"), "chế độ ốm đau").await;
    web.click("#syn-save").await;
    msg_has(&web, "vừa được lưu từ một trang khác").await;
    web.wait("document.querySelector('#syn-table tbody tr:nth-child(2) [data-side=everyday]').value === 'làm sổ đỏ'", "the newer table")
        .await;
    assert!(std::fs::read_to_string(&synonyms).unwrap().contains("làm sổ đỏ"), "the other save stands");
    web.close().await;
}
