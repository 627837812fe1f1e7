//! The console's defences as a browser meets them: names that carry HTML or script are shown
//! as text and run nothing; a staff account is refused the administrator's pages (and the API
//! refuses it too); a forged request without the anti-forgery header is refused; an expired
//! session sends the page back to sign-in; every sign-in refusal is said in plain words; the
//! English switch is remembered.

use crate::browser::*;
use chrono::{TimeZone, Utc};
use fantoccini::key::Key;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use testkit::*;

const IMG: &str = "<img src=x onerror=alert(1)>";
const SCRIPT: &str = "<script>alert(2)</script>Thuế";
const COUNTER: &str = "<img src=x onerror=alert(3)>";
const ATTR: &str = "\"><svg onload=alert(4)>";

/// Nothing the names carried ran or became an element, no dialog is open, and `texts` are on
/// the page as text.
async fn inert(web: &Chrome, page: &str, texts: &[&str]) {
    assert_eq!(web.open_dialog().await, None, "{page}: a dialog opened");
    let probe = web
        .js("return {
            imgs: document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]').length,
            inline: [...document.scripts].filter(s => !s.src).length,
            text: document.body.innerText + [...document.querySelectorAll('input, textarea')].map(i => i.value).join('\\n'),
        }")
        .await;
    assert_eq!(probe["imgs"], 0, "{page}: an element was made from a name");
    assert_eq!(probe["inline"], 0, "{page}: an inline script is in the page");
    for t in texts {
        assert!(probe["text"].as_str().unwrap().contains(t), "{page}: {t:?} is not shown as text");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_carrying_html_are_shown_as_text_and_run_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    api.account("xss", IMG, "staff", &[]).await;
    let (_, cur) = api.admin(Method::GET, "/admin/settings", None).await;
    let mut s = cur["settings"].clone();
    s["services"][2]["name"] = json!(SCRIPT);
    s["counters"][2]["name"] = json!(COUNTER);
    s["priority"][0]["name"] = json!(ATTR);
    let (st, v) = api.admin(Method::PUT, "/admin/settings", Some(json!({"version": 0, "settings": s}))).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    // The account with the hostile name serves a ticket at the hostile counter, so that its
    // name is in the report too; tickets wait for the hostile service and priority class.
    api.take_counter("xss", "3").await;
    api.issue("tax", None).await;
    api.admin(Method::POST, "/counters/3/call-next", Some(json!({}))).await;
    api.admin(Method::POST, "/counters/3/finish", Some(json!({}))).await;
    api.issue("tax", None).await;
    api.issue("civil", Some("elderly")).await;

    let web = Chrome::start(&served.url, "injection").await;
    web.sign_in("quantri", PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.goto("counter.html").await;
    web.wait("document.querySelectorAll('#counters button').length === 3", "the counters").await;
    inert(&web, "counter chooser", &[COUNTER, SCRIPT, IMG]).await;
    // Admins may serve any counter; counter 3 is taken by the hostile account, counter 1 is free.
    web.click("#counters button[data-counter='1']").await;
    web.wait("document.querySelector('#waiting tr[data-number=\"A001\"]')", "the waiting list").await;
    inert(&web, "counter, waiting list", &[ATTR]).await;
    web.key('n').await;
    web.wait("document.querySelector('#now-number').textContent === 'A001'", "the call").await;
    web.key(Key::F6).await;
    web.wait("document.querySelector('#transfer-dialog').open", "the transfer dialog").await;
    inert(&web, "transfer dialog", &[SCRIPT]).await;
    web.click("#transfer-services input[value='tax']").await;
    let options = web.js("return [...document.querySelectorAll('#transfer-counter option')].map(o => o.textContent)").await;
    assert!(options.to_string().contains("onerror=alert(3)"), "the hostile counter is offered by its name, as text: {options}");
    inert(&web, "transfer dialog, counters", &[SCRIPT]).await;
    web.key(Key::Escape).await;
    web.wait("!document.querySelector('#transfer-dialog').open", "the dialog to close").await;

    web.goto("admin.html#accounts").await;
    web.wait("document.querySelector('#accounts tr[data-login=\"xss\"]')", "the accounts").await;
    inert(&web, "accounts", &[IMG, COUNTER]).await;
    web.goto("admin.html#settings").await;
    web.wait("document.querySelector('#settings-body [data-at=\"services[2].name\"]')", "the settings").await;
    inert(&web, "settings", &[SCRIPT, COUNTER, ATTR]).await;
    web.goto("admin.html#audit").await;
    web.wait("document.querySelector('#audit tbody tr')", "the audit log").await;
    inert(&web, "audit", &[]).await;
    for by in ["service", "counter", "staff"] {
        web.goto(&format!("reports.html#by={by}")).await;
        web.wait(
            &format!(
                "document.querySelector('#report').dataset.by === '{by}' && document.querySelectorAll('#report-table tbody tr').length > 0"
            ),
            "the report",
        )
        .await;
        let name = match by {
            "service" => SCRIPT,
            "counter" => COUNTER,
            _ => IMG,
        };
        inert(&web, &format!("report by {by}"), &[name]).await;
        let in_chart =
            web.js("return [...document.querySelectorAll('.chart text, .chart title')].map(t => t.textContent).join('\\n')").await;
        assert!(in_chart.as_str().unwrap().contains(&name[..8]), "the chart names the group as text: {in_chart}");
    }
    assert_eq!(web.js("return typeof window.alert === 'function'").await, true);
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_are_refused_the_administrators_pages_and_forged_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1"]).await;
    let web = Chrome::start(&served.url, "refused").await;
    web.sign_in("lan", PASSWORD).await;
    web.wait("location.pathname.endsWith('/counter.html')", "the counter page").await;
    // No link to the administrator's pages, and the pages themselves refuse.
    assert_eq!(web.js("return [...document.querySelectorAll('nav li')].filter(l => !l.hidden).length").await, 1);
    for page in ["admin.html", "reports.html"] {
        web.goto(page).await;
        web.wait("document.querySelector('#refused')", "the refusal").await;
        assert_eq!(web.text("#refused").await, "Trang đó chỉ dành cho quản trị viên.");
        assert_eq!(
            web.js("return !!document.querySelector('#settings-body input, #report-table tbody tr')").await,
            false,
            "{page} shows nothing"
        );
    }
    // The API refuses the same session, whatever the page does.
    let statuses = web
        .js_with(
            "return Promise.all([
               fetch('/api/v1/admin/settings').then(r => r.status),
               fetch('/api/v1/admin/accounts').then(r => r.status),
               fetch('/api/v1/reports?from=2026-01-01&to=2026-01-01').then(r => r.status),
               fetch('/api/v1/session').then(r => r.json()).then(s =>
                 fetch('/api/v1/admin/accounts', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf},
                   body: JSON.stringify({login: 'mallory', name: 'M', role: 'admin', counters: [], password: arguments[0]})}).then(r => r.status)),
               fetch('/api/v1/session').then(r => r.json()).then(s =>
                 fetch('/api/v1/counters/2/call-next', {method: 'POST', headers: {'X-CSRF-Token': s.csrf}}).then(r => r.status)),
               fetch('/api/v1/counters/1/call-next', {method: 'POST', headers: {'X-CSRF-Token': 'forged'}}).then(r => r.json()).then(b => b.error),
             ])",
            vec![json!(PASSWORD)],
        )
        .await;
    assert_eq!(
        statuses,
        json!([403, 403, 403, 403, 403, "csrf"]),
        "admin reads and writes, another counter, and a request without the anti-forgery token"
    );
    let (_, list) = api.admin(Method::GET, "/admin/accounts", None).await;
    assert!(!list.to_string().contains("mallory"));
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sign_in_refusal_is_said_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1"]).await;
    api.account("tam", "Võ Minh Tâm", "staff", &[]).await;
    // (The server refuses any account change while no administrator account exists.)
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    let (st, v) = api.admin(Method::PATCH, "/admin/accounts/tam", Some(json!({"disabled": true}))).await;
    assert_eq!((st, v["disabled"].clone()), (StatusCode::OK, json!(true)), "{v}");
    let web = Chrome::start(&served.url, "sign-in").await;
    web.goto("index.html").await;
    web.wait("document.activeElement && document.activeElement.id === 'login'", "the focus in the login field").await;
    web.shot("sign-in").await;

    let said = |text: &'static str| format!("document.querySelector('#msg').textContent.includes({text:?})");
    web.click("#submit").await;
    web.wait(&said("Nhập tên đăng nhập và mật khẩu."), "the empty form refused").await;
    web.sign_in("lan", "sai-mat-khau-roi").await;
    web.wait(&said("Sai tên đăng nhập hoặc mật khẩu."), "bad_credentials").await;
    assert_eq!(web.js("return document.querySelector('#password').value").await, "", "the wrong password is cleared");
    web.sign_in("tam", PASSWORD).await;
    web.wait(&said("Tài khoản đã bị vô hiệu hóa."), "account_disabled").await;
    // The fifth wrong password in a row locks the account.
    for _ in 0..3 {
        web.sign_in("lan", "sai-mat-khau-roi").await;
        web.wait(&said("Sai tên"), "another refusal").await;
    }
    web.sign_in("lan", "sai-mat-khau-roi").await;
    web.wait("/Thử lại sau \\d\\d:\\d\\d\\./.test(document.querySelector('#msg').textContent)", "account_locked with the time").await;
    // In English, remembered across pages and reloads.
    web.click("#lang").await;
    web.wait("document.querySelector('h1').textContent === 'Sign in' && document.documentElement.lang === 'en'", "English").await;
    web.goto("index.html").await;
    web.wait("document.querySelector('h1').textContent === 'Sign in'", "English after a reload").await;
    web.sign_in("lan", PASSWORD).await;
    web.wait("/Try again after \\d\\d:\\d\\d\\./.test(document.querySelector('#msg').textContent)", "still locked, in English").await;
    // One computer trying too fast.
    let http = reqwest::Client::new();
    for _ in 0..20 {
        http.post(format!("{}/api/v1/session", served.url)).json(&json!({"login": "x", "password": "y"})).send().await.unwrap();
    }
    web.sign_in("tam", PASSWORD).await;
    web.wait("document.querySelector('#msg').textContent.includes('Too many sign-in attempts from this computer')", "too_many_attempts")
        .await;
    web.click("#lang").await;
    web.wait("document.querySelector('h1').textContent === 'Đăng nhập'", "Vietnamese again").await;
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn an_expired_session_sends_the_page_back_to_sign_in() {
    // The authority in this process on a manual clock, so that half an hour passes at once.
    let dir = tempfile::tempdir().unwrap();
    let config = testkit::config::console(dir.path(), &dir.path().join("queue.db")).console("idle_min", "30").config();
    let served = testkit::TestServer::start_at(config, Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()).await;
    let (url, clock) = (served.url.clone(), served.clock.clone());
    let api = Api::new(&url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1"]).await;
    api.issue("civil", None).await;
    let web = Chrome::start(&url, "expired").await;
    web.sign_in("lan", PASSWORD).await;
    web.click("#counters button[data-counter='1']").await;
    web.wait("!document.querySelector('#serve').hidden", "the serving view").await;
    // 31 minutes without a request: the next press finds the session over.
    clock.advance(chrono::Duration::minutes(31));
    web.key('n').await;
    web.wait("location.pathname.endsWith('/index.html')", "the sign-in page").await;
    web.wait("document.querySelector('#msg').textContent.includes('Phiên làm việc đã hết hạn')", "the reason").await;
    assert_eq!(api.counter("1").await["current"], Value::Null, "the press was not done");
    // Signing in again goes back to where the person was.
    web.fill("#login", "lan").await;
    web.fill("#password", PASSWORD).await;
    web.click("#submit").await;
    web.wait("location.pathname.endsWith('/counter.html')", "back at the counter page").await;
    web.close().await;
    served.stop().await;
}
