//! The counter page and the rating tablet in headless Chromium, against the real `kiosk serve`:
//! a staff member signs in, takes a counter and serves with the page's buttons and with the
//! keyboard; after each press the test asks the server what happened. A press whose answer
//! is lost is retried with the same Idempotency-Key and done once. The tablet at counter 3
//! asks the citizen to rate the visit the officer just finished, and the rating reaches the
//! report.

use crate::browser::*;
use fantoccini::key::Key;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use testkit::*;

async fn current(api: &Api, counter: &str) -> Option<String> {
    api.counter(counter).await["current"]["number"].as_str().map(str::to_owned)
}

fn waiting_numbers(state: &Value) -> Vec<String> {
    state["waiting"].as_array().unwrap().iter().map(|t| t["number"].as_str().unwrap().to_owned()).collect()
}

/// Waits until the page shows `number` as the ticket being served ("—" for none).
async fn page_shows(web: &Chrome, number: &str) {
    web.wait(
        &format!("document.querySelector('#now-number').textContent === {number:?} && !document.querySelector('#act-call_next').disabled"),
        &format!("the page to show {number}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_serve_a_counter_with_buttons_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1", "3"]).await;
    for (service, priority) in [("civil", None), ("land", None), ("civil", Some("elderly"))] {
        api.issue(service, priority).await; // A001, B001, A002 (elderly)
    }

    let web = Chrome::start(&served.url, "counter").await;
    web.sign_in("lan", PASSWORD).await;
    // A staff member goes straight on to the counter page, offered only their own counters.
    web.wait(
        "location.pathname.endsWith('/counter.html') && document.querySelectorAll('#counters button').length === 2",
        "the counter chooser",
    )
    .await;
    let offered = web.js("return [...document.querySelectorAll('#counters button')].map(b => b.dataset.counter)").await;
    assert_eq!(offered, serde_json::json!(["1", "3"]), "lan may serve counters 1 and 3 only");
    web.click("#counters button[data-counter='1']").await;
    web.wait("!document.querySelector('#serve').hidden", "the serving view").await;
    assert_eq!(api.counter("1").await["staff"], "lan", "taking the counter is recorded");
    let per_service =
        web.js("return [...document.querySelectorAll('#per-service .count')].map(e => [e.dataset.service, e.textContent])").await;
    assert_eq!(per_service, serde_json::json!([["civil", "2"], ["land", "1"]]));
    let marked = web.js("return [...document.querySelectorAll('#waiting tbody tr')].filter(r => r.querySelector('.badge-priority')).map(r => r.dataset.number)").await;
    assert_eq!(marked, serde_json::json!(["A002"]), "the priority ticket is marked in the waiting list");

    // Call next with the button: the priority ticket goes first.
    web.click("#act-call_next").await;
    page_shows(&web, "A002").await;
    assert_eq!(current(&api, "1").await.as_deref(), Some("A002"));
    web.wait("/\\d\\d:\\d\\d/.test(document.querySelector('#now-elapsed').textContent)", "the elapsed time").await;
    web.shot("serving").await;

    // The dossier received from A002: its receipt code typed (or scanned: a scanner types it) in
    // lower case under the current ticket; the authority stores it as it reads, and says so.
    web.fill("#dossier-code", "000.00.06.h56-231027-0361").await;
    web.click("#dossier-submit").await;
    web.wait("document.querySelector('#dossier-linked').textContent.includes('000.00.06.H56-231027-0361')", "the link").await;
    assert_eq!(web.text("#dossier-linked").await, "Số A002 là hồ sơ 000.00.06.H56-231027-0361.");
    web.fill("#dossier-code", "H56-2310").await;
    web.click("#dossier-submit").await;
    web.wait("document.querySelector('#msg').textContent.includes('Mã hồ sơ không đúng dạng')", "the refusal of a code out of shape").await;

    // Recall with F2: a second call of the same ticket, at the top of the latest calls.
    let calls_before = api.state().await["recent_calls"].as_array().unwrap().len();
    web.key(Key::F2).await;
    web.wait("document.querySelector('#msg').textContent.includes('Đã gọi lại số A002')", "the recall to be confirmed").await;
    let st = api.state().await;
    assert_eq!(st["recent_calls"].as_array().unwrap().len(), calls_before + 1, "F2 recalled once");
    assert_eq!(st["recent_calls"][0]["number"], "A002");

    // No-show with M: the counter is free, the ticket is among the no-shows, shown on the page.
    web.key('m').await;
    page_shows(&web, "—").await;
    assert_eq!(current(&api, "1").await, None);
    let st = api.state().await;
    assert!(st["no_show"].as_array().unwrap().iter().any(|t| t["number"] == "A002"), "{st}");
    web.wait("document.querySelector('#no-shows tr[data-number=\"A002\"]')", "the no-show in the list").await;

    // Call next with N, then finish with F4.
    web.key('n').await;
    page_shows(&web, "A001").await;
    assert_eq!(current(&api, "1").await.as_deref(), Some("A001"));
    web.key(Key::F4).await;
    page_shows(&web, "—").await;
    assert_eq!(current(&api, "1").await, None);
    assert!(!waiting_numbers(&api.state().await).contains(&"A001".to_owned()));

    // The citizen who was absent comes back: F8 brings the newest no-show back and calls it here.
    web.key(Key::F8).await;
    page_shows(&web, "A002").await;
    assert_eq!(current(&api, "1").await.as_deref(), Some("A002"));
    assert!(api.state().await["no_show"].as_array().unwrap().is_empty(), "no longer a no-show");

    // Transfer with F6: the dialog, tax at counter 3; the ticket waits there keeping its number.
    web.key(Key::F6).await;
    web.wait("document.querySelector('#transfer-dialog').open", "the transfer dialog").await;
    assert_eq!(web.text("#transfer-title").await, "Chuyển số A002");
    web.click("#transfer-services input[value='tax']").await;
    web.wait("[...document.querySelectorAll('#transfer-counter option')].some(o => o.value === '3')", "counter 3 offered for tax").await;
    web.c.find(fantoccini::Locator::Css("#transfer-counter")).await.unwrap().select_by_value("3").await.unwrap();
    web.shot("transfer").await;
    web.click("#transfer-submit").await;
    web.wait("!document.querySelector('#transfer-dialog').open", "the dialog to close").await;
    page_shows(&web, "—").await;
    let st = api.state().await;
    let moved = st["waiting"].as_array().unwrap().iter().find(|t| t["number"] == "A002").cloned().expect("A002 waits again");
    assert_eq!(moved["service"], "tax", "{moved}");
    assert_eq!(current(&api, "1").await, None);

    // Pause with F7: the server says paused, the page offers Resume, and N calls nobody.
    web.key(Key::F7).await;
    web.wait("document.querySelector('#pause-label').dataset.i18n === 'act.resume'", "the resume button").await;
    assert_eq!(api.counter("1").await["paused"], true);
    assert!(!web.js("return document.querySelector('#paused').hidden").await.as_bool().unwrap());
    web.key('n').await;
    web.wait("document.querySelector('#msg').textContent.includes('trước khi gọi số')", "the paused refusal in words").await;
    assert_eq!(current(&api, "1").await, None, "a paused counter calls nobody");
    web.click("#act-pause").await;
    web.wait("document.querySelector('#pause-label').dataset.i18n === 'act.pause'", "the pause button").await;
    assert_eq!(api.counter("1").await["paused"], false);

    // Buttons for the rest: call next (B001), recall, no-show, bring back by its row's button,
    // transfer to land at any counter, then call next and finish.
    web.click("#act-call_next").await;
    page_shows(&web, "B001").await;
    let calls_before = api.state().await["recent_calls"].as_array().unwrap().len();
    web.click("#act-recall").await;
    web.wait("document.querySelector('#msg').textContent.includes('Đã gọi lại số B001')", "the recall").await;
    assert_eq!(api.state().await["recent_calls"].as_array().unwrap().len(), calls_before + 1);
    web.click("#act-no_show").await;
    page_shows(&web, "—").await;
    web.click("#no-shows button[data-bring-back]").await;
    page_shows(&web, "B001").await;
    assert_eq!(current(&api, "1").await.as_deref(), Some("B001"));
    web.click("#act-transfer").await;
    web.wait("document.querySelector('#transfer-dialog').open", "the transfer dialog").await;
    web.click("#transfer-services input[value='civil']").await;
    web.click("#transfer-submit").await;
    page_shows(&web, "—").await;
    let st = api.state().await;
    assert_eq!(st["waiting"].as_array().unwrap().iter().find(|t| t["number"] == "B001").unwrap()["service"], "civil");
    web.click("#act-call_next").await;
    page_shows(&web, "B001").await;
    web.click("#act-finish").await;
    page_shows(&web, "—").await;
    assert_eq!(current(&api, "1").await, None);

    // A refusal in plain words: finishing with nobody at the counter (F4, the button is off).
    web.key('f').await;
    web.wait("document.querySelector('#msg').textContent.includes('chưa có số nào')", "the refusal").await;

    // Signing out leaves the counter.
    web.click("#sign-out").await;
    web.wait(
        "location.pathname.endsWith('/index.html') && document.querySelector('#msg').textContent.includes('đăng xuất')",
        "the sign-in page",
    )
    .await;
    assert_eq!(api.counter("1").await["staff"], Value::Null);
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_whose_answer_is_lost_is_retried_with_its_key_and_done_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("minh", "Trần Văn Minh", "staff", &[]).await;
    for _ in 0..4 {
        api.issue("civil", None).await; // A001 to A004
    }
    let web = Chrome::start(&served.url, "retry").await;
    web.sign_in("minh", PASSWORD).await;
    web.click("#counters button[data-counter='2']").await;
    web.wait("!document.querySelector('#serve').hidden", "the serving view").await;
    // The network between the page and the server, as the test sets it: `lose-once` loses the
    // answer of the next call-next after the server has done it (a switch rebooting
    // mid-request); `down` lets the next one reach the server, then loses it and every
    // attempt after it; `ok` passes everything. Every key sent is noted.
    web.js("window.__keys = []; window.__mode = 'lose-once'; const real = window.fetch;
         window.fetch = async (url, o) => {
           if (String(url).includes('/call-next')) {
             window.__keys.push(o.headers['Idempotency-Key']);
             if (window.__mode === 'lose-once') { window.__mode = 'ok'; await real(url, o); throw new TypeError('Failed to fetch'); }
             if (window.__mode === 'down') { window.__mode = 'down-sent'; await real(url, o); throw new TypeError('Failed to fetch'); }
             if (window.__mode === 'down-sent') throw new TypeError('Failed to fetch');
           }
           return real(url, o);
         }; return true;")
        .await;
    let keys = || async { web.js("return window.__keys").await.as_array().unwrap().clone() };

    // A lost answer: the page retries by itself with the press's key; done once.
    web.key(Key::F1).await;
    page_shows(&web, "A001").await;
    let k = keys().await;
    assert_eq!(k.len(), 2, "one press, one retry: {k:?}");
    assert_eq!(k[0], k[1], "the retry carries the press's key");
    let st = api.state().await;
    assert_eq!(waiting_numbers(&st), vec!["A002", "A003", "A004"], "the press was done once");
    assert_eq!(st["recent_calls"].as_array().unwrap().len(), 1);

    // The next press is a new one, with a new key.
    web.key('n').await;
    page_shows(&web, "A002").await;
    let k = keys().await;
    assert_eq!(k.len(), 3);
    assert_ne!(k[2], k[0]);

    // The network goes down after the server took the press: the page tries three more
    // times, then says what happened and what to do.
    web.js("window.__mode = 'down'; return true").await;
    web.key('n').await;
    web.wait("document.querySelector('#msg').textContent.includes('Nhấn lại cùng nút')", "the network failure and what to do").await;
    assert_eq!(current(&api, "2").await.as_deref(), Some("A003"), "the server did it, once");
    let k = keys().await;
    assert_eq!(k.len(), 7, "the press and three retries: {k:?}");
    assert!(k[3..].iter().all(|x| *x == k[3]), "one key for them all: {k:?}");
    // The network is back: pressing again sends the same key, and is answered, not done.
    web.js("window.__mode = 'ok'; return true").await;
    web.key('n').await;
    page_shows(&web, "A003").await;
    let k = keys().await;
    assert_eq!((k.len(), &k[7]), (8, &k[3]), "the press again carries the same key");
    let st = api.state().await;
    assert_eq!(waiting_numbers(&st), vec!["A004"], "A004 was not called by the repeated press");
    assert_eq!(st["recent_calls"].as_array().unwrap().len(), 3);
    // And the press after that is new.
    web.key('n').await;
    page_shows(&web, "A004").await;
    assert_ne!(keys().await[8], k[3]);
    web.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tablet_asks_for_a_rating_when_the_officer_finishes_and_the_report_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["3"]).await;
    let tablet = Chrome::start(&served.url, "rate").await;
    tablet.goto(&format!("rate.html#counter=3&token={RATE3_TOKEN}")).await;
    tablet.wait("document.body.dataset.link === 'online'", "the tablet to follow the events").await;
    // The token is kept on the device and taken out of the address bar.
    assert_eq!(tablet.js("return location.hash").await, "");
    assert_eq!(tablet.js("return localStorage.getItem('mc.rate.token')").await, RATE3_TOKEN);
    assert_eq!(tablet.text("#counter-label").await, "Quầy số 3");

    let ticket = api.issue("land", None).await;
    let staff = Chrome::start(&served.url, "rate-staff").await;
    staff.sign_in("lan", PASSWORD).await;
    staff.click("#counters button[data-counter='3']").await;
    staff.wait("!document.querySelector('#serve').hidden", "the serving view").await;
    staff.key('n').await;
    page_shows(&staff, "B001").await;
    assert_eq!(tablet.js("return document.body.dataset.screen").await, "idle", "nothing to rate while the visit goes on");
    staff.key('f').await;
    page_shows(&staff, "—").await;

    tablet.wait("document.body.dataset.screen === 'ask'", "the rating question").await;
    assert_eq!(tablet.text("#ask-h").await, "Quý khách có hài lòng với cán bộ?");
    assert_eq!(tablet.text("#ask-ticket").await, "Số thứ tự B001");
    tablet.shot("rating").await;
    tablet.click("#rate-very_satisfied").await;
    tablet.wait("document.body.dataset.screen === 'thanks'", "the thanks").await;
    assert_eq!(tablet.text("#thanks-h").await, "Cảm ơn quý khách!");
    // A tap goes back to idle.
    tablet.click("#thanks").await;
    tablet.wait("document.body.dataset.screen === 'idle'", "idle again").await;

    // Recorded once, with the officer; a second rating of the same visit is refused.
    let day = api.state().await["day"].as_str().unwrap().to_owned();
    let (s, report) = api.admin(Method::GET, &format!("/reports?from={day}&to={day}&by=staff"), None).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    let row = report["rows"].as_array().unwrap().iter().find(|r| r["key"] == "lan").cloned().expect("lan's row");
    assert_eq!(row["ratings"], serde_json::json!({"very_satisfied": 1, "satisfied": 0, "unsatisfied": 0}), "{row}");
    let (s, again) = api
        .send(Method::POST, &format!("/tickets/{}/rating", ticket["id"]), RATE3_TOKEN, Some(serde_json::json!({"rating": "unsatisfied"})))
        .await;
    assert_eq!((s, again["error"].as_str()), (StatusCode::CONFLICT, Some("already_rated")));
    staff.close().await;
    tablet.close().await;
}
