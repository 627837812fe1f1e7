//! The administrator's page while the machine's clock is behind the queue's log (a Pi that
//! booted with a stale time): the authority runs in this process on a manual clock so the test
//! can set the clock back and forward; Chromium is the other process.
use crate::browser::*;
use serde_json::json;

/// Proves the administrator is told, in words on the page and in the audit log, that the clock
/// is behind, and that the warning goes once the clock is right again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_sees_a_clock_behind_the_log_and_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let config = testkit::config::console(dir.path(), &dir.path().join("queue.db")).config();
    let served = testkit::TestServer::start_at(config, testkit::monday_9am()).await;
    let api = Api::new(&served.url);
    api.account("quantri", "Lê Quản Trị", "admin", &[]).await;
    api.issue("civil", None).await;
    served.clock.step(-chrono::Duration::hours(3));
    assert_eq!(api.issue("civil", None).await["number"], "A002", "numbering goes on while the clock is behind");

    let web = Chrome::start(&served.url, "clock").await;
    web.sign_in("quantri", PASSWORD).await;
    web.wait("!document.querySelector('#signed-in').hidden", "the choice of pages").await;
    web.click("#go-admin").await;
    web.wait("!document.querySelector('#clock').hidden", "the clock's warning").await;
    let text = web.text("#clock").await;
    assert!(text.contains("chậm hơn sổ ghi") && text.contains("06:00") && text.contains("09:00"), "{text}");
    web.goto("admin.html#audit").await;
    web.wait("document.querySelector('#audit tbody tr')", "the audit log").await;
    let actions = web.js("return [...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.action)").await;
    assert!(actions.as_array().unwrap().contains(&json!("clock_behind")), "{actions}");
    assert!(web.text("#audit tbody").await.contains("Đồng hồ của máy chậm hơn sổ ghi"));

    served.clock.step(chrono::Duration::hours(3) + chrono::Duration::minutes(5));
    web.goto("admin.html").await;
    web.wait("document.querySelector('#centre').textContent.length > 0", "the state").await;
    assert!(web.js("return document.querySelector('#clock').hidden").await == json!(true), "the warning has gone");
    web.close().await;
    served.stop().await;
}
