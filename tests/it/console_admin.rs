//! The administrator's page in headless Chromium against the real `kiosk serve`: settings
//! edited in the page are in force at once (the state and a call at the new counter show it,
//! no restart); a refused setting is shown next to its field; two administrators editing at once
//! do not overwrite each other; a change that would strand tickets is refused in plain words;
//! accounts are created, edited, reset, disabled and unlocked; a catalogue file replaces the
//! served one, and a broken one is refused with the old one still served; the audit log shows it.

use crate::browser::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use testkit::*;

fn field(at: &str) -> String {
    format!("#settings-body [data-at=\"{at}\"]")
}

/// The error text shown next to the field named `at`.
async fn problem_at(web: &Chrome, at: &str) -> String {
    let sel = field(at);
    web.wait(&format!("document.querySelector({sel:?}).getAttribute('aria-invalid') === 'true'"), &format!("a problem at {at}")).await;
    let v = web
        .js_with("const e = document.querySelector(arguments[0]); return document.getElementById(e.getAttribute('aria-describedby').split(' ').pop()).textContent", vec![json!(sel)])
        .await;
    v.as_str().unwrap().to_owned()
}

async fn msg_has(web: &Chrome, text: &str) {
    web.wait(&format!("document.querySelector('#msg').textContent.includes({text:?})"), &format!("the message {text:?}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_edited_in_the_page_are_in_force_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    let web = Chrome::start(&served.url, "settings").await;
    web.sign_in("quantri", PASSWORD).await;
    // An administrator is offered the administration pages.
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.click("#go-admin").await;
    web.wait(&format!("document.querySelector({:?})", field("services[1].name")), "the settings form").await;
    assert_eq!(web.text("#settings-version").await, "Đang dùng cài đặt trong tệp cấu hình (chưa sửa lần nào).");

    // Rename a service and add a counter serving land and tax.
    web.fill(&field("services[1].name"), "Đất đai – Xây dựng").await;
    web.click("#add-counter").await;
    web.wait(&format!("document.querySelector({:?})", field("counters[3].name")), "the new counter's row").await;
    assert_eq!(
        web.js(&format!("return document.querySelector({:?}).value", field("counters[3].id"))).await,
        "4",
        "the next free number is offered"
    );
    web.fill(&field("counters[3].name"), "Quầy 4").await;
    for s in ["land", "tax"] {
        web.click(&format!("{} input[value=\"{s}\"]", field("counters[3].services"))).await;
    }
    // The printer: a 58 mm roll, an Epson printing text in its Windows-1258 code page.
    for (at, value) in [("printer.paper", "58"), ("printer.profile", "epson"), ("printer.text", "cp1258")] {
        let set = format!("const s = document.querySelector({:?}); s.value = {value:?}; s.dispatchEvent(new Event('change'));", field(at));
        web.js(&set).await;
    }
    web.shot("settings").await;
    web.click("#settings-save").await;
    msg_has(&web, "Đã lưu và áp dụng ngay (phiên bản 1)").await;
    let printer = api.admin(Method::GET, "/admin/settings", None).await.1["settings"]["printer"].clone();
    assert_eq!(printer, json!({"paper": 58, "profile": "epson", "text": "cp1258"}));
    let st = api.state().await;
    let land = st["services"].as_array().unwrap().iter().find(|s| s["id"] == "land").unwrap().clone();
    assert_eq!(land["name"], "Đất đai – Xây dựng");
    let four = st["counters"].as_array().unwrap().iter().find(|c| c["id"] == "4").cloned().expect("counter 4 in the state");
    assert_eq!((four["name"].as_str(), four["services"].clone()), (Some("Quầy 4"), json!(["land", "tax"])));
    // In force: a ticket for land is called at the new counter, without a restart.
    let t = api.issue("land", None).await;
    let (s, called) = api.admin(Method::POST, "/counters/4/call-next", Some(json!({}))).await;
    assert_eq!((s, called["number"].clone()), (StatusCode::OK, t["number"].clone()), "{called}");
    api.admin(Method::POST, "/counters/4/finish", Some(json!({}))).await;

    // A setting the rules refuse: the problem is shown next to the field, nothing is stored.
    web.fill(&field("services[1].letter"), "A").await;
    web.click("#settings-save").await;
    let text = problem_at(&web, "services[1].letter").await;
    assert!(text.contains("used by two services"), "{text}");
    assert!(web.text("#problems").await.contains("services[1].letter"));
    assert_eq!(api.admin(Method::GET, "/admin/settings", None).await.1["version"], 1);
    // The browser's own check: an opening range that is not one.
    web.fill(&field("services[1].letter"), "B").await;
    web.fill(&field("services[2].hours"), "7h30-11h").await;
    web.click("#settings-save").await;
    let text = problem_at(&web, "services[2].hours").await;
    assert!(text.contains("07:30-11:30"), "{text}");
    assert!(
        web.js(&format!("return document.querySelector({:?}).getAttribute('aria-invalid')", field("services[1].letter"))).await.is_null(),
        "the fixed field is clear"
    );
    web.fill(&field("services[2].hours"), "00:00-24:00").await;

    // Another administrator saves meanwhile: this page's save is refused, not merged blindly.
    let (_, current) = api.admin(Method::GET, "/admin/settings", None).await;
    let mut other = current["settings"].clone();
    other["centre_name"] = json!("Trung tâm đã đổi tên");
    let (s, v) = api.admin(Method::PUT, "/admin/settings", Some(json!({"version": 1, "settings": other}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    web.fill(&field("queue.no_show_grace_min"), "20").await;
    web.click("#settings-save").await;
    msg_has(&web, "Cài đặt vừa được người khác thay đổi").await;
    web.click("#conflict-reload").await;
    web.wait(
        &format!("document.querySelector({:?}).value === 'Trung tâm đã đổi tên'", field("centre.name")),
        "the other administrator's change",
    )
    .await;
    assert_eq!(web.text("#settings-version").await, "Phiên bản cài đặt: 2");

    // Removing a service that has a waiting ticket would strand it: refused, in plain words.
    api.issue("tax", None).await;
    web.click("#service-rows [data-row=\"services[2]\"] button.danger").await;
    web.click("#settings-save").await;
    msg_has(&web, "Không thể thay đổi: còn số đang chờ").await;
    assert!(api.state().await["services"].as_array().unwrap().iter().any(|s| s["id"] == "tax"), "tax is still served");
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_catalogue_and_audit_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    api.account("binh", "Phạm Văn Bình", "staff", &["3"]).await;
    // Five wrong passwords lock binh for a while.
    let http = reqwest::Client::new();
    let sign_in = |login: &'static str, password: String| {
        let (http, url) = (http.clone(), served.url.clone());
        async move {
            http.post(format!("{url}/api/v1/session")).json(&json!({"login": login, "password": password})).send().await.unwrap().status()
        }
    };
    for _ in 0..5 {
        sign_in("binh", "not-the-password".into()).await;
    }
    assert_eq!(sign_in("binh", PASSWORD.into()).await, StatusCode::LOCKED);

    let web = Chrome::start(&served.url, "accounts").await;
    web.sign_in("quantri", PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.goto("admin.html#accounts").await;
    web.wait("document.querySelector('#accounts tr[data-login=\"binh\"]')", "the list of accounts").await;
    assert!(web.text("#accounts tr[data-login='binh'] .status").await.starts_with("Bị khóa đến "));

    // The browser refuses a short password before asking the server.
    web.fill("#new-login", "hoa").await;
    web.fill("#new-name", "Đỗ Thị Hoa").await;
    web.fill("#new-password", "short").await;
    web.click("#account-create").await;
    web.wait("document.querySelector('#new-password-error').textContent.includes('ít nhất 10')", "the password rule").await;
    web.fill("#new-password", PASSWORD).await;
    for c in ["1", "2"] {
        web.click(&format!("#new-counters input[value='{c}']")).await;
    }
    web.click("#account-create").await;
    msg_has(&web, "Đã tạo tài khoản hoa.").await;
    let (_, list) = api.admin(Method::GET, "/admin/accounts", None).await;
    let hoa = list.as_array().unwrap().iter().find(|a| a["login"] == "hoa").cloned().expect("hoa created");
    assert_eq!(
        (hoa["role"].as_str(), hoa["counters"].clone(), hoa["name"].as_str()),
        (Some("staff"), json!(["1", "2"]), Some("Đỗ Thị Hoa"))
    );
    assert_eq!(sign_in("hoa", PASSWORD.into()).await, StatusCode::OK, "the new account signs in");
    // The same login again: refused, said next to the field.
    web.fill("#new-login", "hoa").await;
    web.fill("#new-name", "Người khác").await;
    web.fill("#new-password", PASSWORD).await;
    web.click("#account-create").await;
    web.wait("document.querySelector('#new-login-error').textContent.includes('đã có')", "account_exists").await;

    // Edit: a new name, counter 2 no more.
    web.click("#accounts button[data-edit='hoa']").await;
    web.wait("document.querySelector('#account-dialog').open", "the edit dialog").await;
    web.fill("#edit-name", "Đỗ Thị Hoa (Tư pháp)").await;
    web.click("#edit-counters input[value='2']").await;
    web.click("#account-edit-save").await;
    msg_has(&web, "Đã cập nhật tài khoản hoa.").await;
    let (_, list) = api.admin(Method::GET, "/admin/accounts", None).await;
    let hoa = list.as_array().unwrap().iter().find(|a| a["login"] == "hoa").cloned().unwrap();
    assert_eq!((hoa["name"].as_str(), hoa["counters"].clone()), (Some("Đỗ Thị Hoa (Tư pháp)"), json!(["1"])));
    // Reset the password: the new one works, the old one no more.
    web.click("#accounts button[data-reset='hoa']").await;
    web.wait("document.querySelector('#password-dialog').open", "the password dialog").await;
    web.fill("#reset-password", "mật-khẩu-mới-của-hoa").await;
    web.click("#password-save").await;
    msg_has(&web, "Đã đặt mật khẩu mới cho hoa").await;
    assert_eq!(sign_in("hoa", "mật-khẩu-mới-của-hoa".into()).await, StatusCode::OK);
    assert_eq!(sign_in("hoa", PASSWORD.into()).await, StatusCode::UNAUTHORIZED);
    // Disable: refused at sign-in; enable again.
    web.click("#accounts button[data-toggle='hoa']").await;
    web.wait("document.querySelector('#accounts tr[data-login=\"hoa\"] .status').textContent === 'Đã vô hiệu hóa'", "disabled").await;
    assert_eq!(sign_in("hoa", "mật-khẩu-mới-của-hoa".into()).await, StatusCode::FORBIDDEN);
    web.click("#accounts button[data-toggle='hoa']").await;
    web.wait("document.querySelector('#accounts tr[data-login=\"hoa\"] .status').textContent === 'Đang hoạt động'", "enabled").await;
    // Unlock binh before the lockout ends.
    web.click("#accounts button[data-unlock='binh']").await;
    web.wait("document.querySelector('#accounts tr[data-login=\"binh\"] .status').textContent === 'Đang hoạt động'", "unlocked").await;
    assert_eq!(sign_in("binh", PASSWORD.into()).await, StatusCode::OK);
    // An administrator cannot lock themselves out.
    web.click("#accounts button[data-toggle='quantri']").await;
    msg_has(&web, "không thể tự vô hiệu hóa").await;
    web.shot("accounts").await;

    // Catalogue: 25 procedures replace the 40 served; then a broken file is refused and the 25
    // stay in service.
    let demo =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/procedures.jsonl")).unwrap();
    let lines: Vec<&str> = demo.lines().collect();
    let code = |i: usize| serde_json::from_str::<Value>(lines[i]).unwrap()["code"].as_str().unwrap().to_owned();
    let good = dir.path().join("thu-tuc.jsonl");
    std::fs::write(&good, lines[..25].join("\n") + "\n").unwrap();
    let broken = dir.path().join("hong.jsonl");
    std::fs::write(&broken, format!("{}\n{}", lines[0], &lines[1][..lines[1].len() / 2])).unwrap();
    let public = |code: String| {
        let (http, url) = (http.clone(), served.url.clone());
        async move { http.get(format!("{url}/api/v1/procedures/{code}")).send().await.unwrap().status() }
    };
    assert_eq!(public(code(30)).await, StatusCode::OK, "the 31st of the first catalogue is served");
    web.goto("admin.html#catalogue").await;
    web.c.find(fantoccini::Locator::Css("#catalogue-file")).await.unwrap().send_keys(good.to_str().unwrap()).await.unwrap();
    web.click("#catalogue-submit").await;
    msg_has(&web, "Đã nhập 25 thủ tục.").await;
    assert_eq!(public(code(24)).await, StatusCode::OK);
    assert_eq!(public(code(30)).await, StatusCode::NOT_FOUND, "the new catalogue replaced the old");
    web.c.find(fantoccini::Locator::Css("#catalogue-file")).await.unwrap().send_keys(broken.to_str().unwrap()).await.unwrap();
    web.click("#catalogue-submit").await;
    msg_has(&web, "Tệp danh mục không hợp lệ; danh mục cũ vẫn được dùng.").await;
    assert!(web.text("#msg .detail").await.contains("hong.jsonl: the file ends inside a record"), "the reason names the file");
    assert_eq!(public(code(24)).await, StatusCode::OK, "the old catalogue is still served");

    // The portal's records, two files and a bad one chosen together: two imported, the bad one
    // listed with its file, line and reason.
    // Chromium takes only canonical paths.
    let portal = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue/portal").canonicalize().unwrap();
    let bad = dir.path().join("thu-tuc-loi.json");
    std::fs::write(&bad, r#"{"code":"1.000009","name":"Sai kiểu","executionCases":"không phải danh sách"}"#).unwrap();
    let chosen = [portal.join("1.004222.json"), portal.join("1.004194.json"), bad].map(|p| p.to_str().unwrap().to_owned()).join("\n");
    web.c.find(fantoccini::Locator::Css("#catalogue-file")).await.unwrap().send_keys(&chosen).await.unwrap();
    web.click("#catalogue-submit").await;
    msg_has(&web, "Đã nhập 2 thủ tục.").await;
    web.wait("!document.getElementById('catalogue-skipped').hidden", "the skipped list").await;
    let listed = web.text("#catalogue-skipped-list").await;
    assert!(listed.contains("thu-tuc-loi.json:1 (1.000009): \"executionCases\" does not fit"), "{listed}");
    assert_eq!(public("1.004222".into()).await, StatusCode::OK);
    web.shot("catalogue-import").await;

    // The audit log names what was done, in words.
    web.goto("admin.html#audit").await;
    web.wait("document.querySelector('#audit tbody tr')", "the audit log").await;
    let actions = web.js("return [...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.action)").await;
    for a in ["account_created", "account_changed", "catalogue_replaced", "catalogue_refused", "account_locked", "sign_in"] {
        assert!(actions.as_array().unwrap().iter().any(|x| x == a), "{a} missing from {actions}");
    }
    assert!(web.text("#audit tbody").await.contains("Thay danh mục"));
    assert!(web.text("#audit tbody").await.contains("Từ chối danh mục"));
    // Fifty lines a page, newest first; older pages on demand.
    for i in 0..40 {
        api.account(&format!("nv{i:02}"), &format!("Nhân viên {i}"), "staff", &[]).await;
    }
    web.click("#audit-newest").await;
    web.wait("document.querySelectorAll('#audit tbody tr').length === 50", "a full page").await;
    let ids = |v: Value| v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().parse::<u64>().unwrap()).collect::<Vec<_>>();
    let first = ids(web.js("return [...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.id)").await);
    assert_eq!(first.len(), 50, "a page of fifty");
    assert!(first.windows(2).all(|w| w[0] > w[1]), "newest first");
    web.click("#audit-older").await;
    web.wait(&format!("document.querySelector('#audit tbody tr').dataset.id !== '{}'", first[0]), "the older page").await;
    let older = ids(web.js("return [...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.id)").await);
    assert!(!older.is_empty() && older[0] < first[49], "the page before: {older:?}");
    web.click("#audit-newest").await;
    web.wait(&format!("document.querySelector('#audit tbody tr').dataset.id === '{}'", first[0]), "the newest page again").await;
    web.close().await;
}
