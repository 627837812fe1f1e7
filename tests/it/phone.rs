//! The ticket's phone page (`/t/{key}`, the address its QR code carries) in headless Chromium
//! emulating a phone: live as the counter calls, in Vietnamese and English, and what a bad key
//! shows. The README's pictures of it:
//!
//! ```sh
//! cargo test -p e2e --test it phone_screenshots -- --ignored
//! ```
//!
//! writes `images/phone-*.png` (390×844 at 2×) from the demo centre.
use crate::browser::*;
use chrono::{TimeZone, Utc};
use std::path::Path;
use std::time::Instant;
use testkit::{TestServer, COUNTER, KIOSK};

fn status_has(text: &str) -> String {
    format!("document.getElementById('status').textContent.includes({text:?})")
}

/// Proves the page a citizen's phone opens: the number and the people ahead at once, the call
/// on the page within a second without reloading it, the missed-call notice, the English page,
/// and a key that finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_phone_follows_its_ticket_live() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    let key = kiosk.issue("civil", None).await.unwrap().key.unwrap();
    let web = Chrome::phone(&s.url, "phone_follow").await;
    web.open(&format!("/t/{key}")).await;
    web.wait(&status_has("Còn 1 người trước bạn"), "one person ahead").await;
    assert_eq!(web.text("#number").await, "A002");
    assert_eq!(web.js("return window.innerWidth").await, 390, "a phone's width");
    web.wait("document.getElementById('live').className === 'on'", "the page says it is live").await;
    // Marks the page: a reload would lose the mark.
    web.js("window.stayed = true; return 1").await;

    let counter = s.client(COUNTER);
    counter.call_next("1").await.unwrap();
    web.wait(&status_has("Bạn là người tiếp theo"), "next in line").await;
    let t0 = Instant::now();
    counter.call_next("1").await.unwrap();
    web.wait(&format!("{} && {}", status_has("Mời bạn đến"), status_has("Quầy 1")), "the call").await;
    let took = t0.elapsed();
    println!("the call reached the phone page in {took:?}");
    assert!(took.as_millis() < 1000, "the call took {took:?} to reach the page");
    assert_eq!(web.js("return window.stayed === true").await, true, "the page changed in place");
    assert!(web.js("return document.title").await.as_str().unwrap().starts_with("▶ A002"));

    counter.counter_action("1", shared::client::CounterAction::NoShow).await.unwrap();
    web.wait(&format!("{} && {}", status_has("Bạn đã lỡ lượt gọi"), status_has("trước")), "the missed call").await;

    web.open(&format!("/t/{key}?lang=en")).await;
    web.wait(&status_has("You missed your call"), "the English page").await;
    assert_eq!(web.js("return document.documentElement.lang").await, "en");

    web.open("/t/AAAAAAAAAAAAAAAA").await;
    web.wait(&status_has("Không tìm thấy lượt này"), "the page of a key that finds nothing").await;
    assert_eq!(web.text("#number").await, "–");
    s.stop().await;
}

/// The README's pictures of the phone page: waiting, called (Vietnamese and English).
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
#[ignore = "writes the README's screenshots: run with --ignored"]
async fn phone_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = shared::config::Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo.toml")).unwrap();
    config.store.path = dir.path().join("queue.db");
    let nine = chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap().with_timezone(&Utc);
    let s = TestServer::start_at(config.clone(), nine).await;
    let token = |role: shared::config::Role| config.auth.tokens.iter().find(|t| t.role == role).unwrap().token.clone();
    let kiosk = s.client(&token(shared::config::Role::Kiosk));
    let service = config.services[0].id.clone();
    for _ in 0..7 {
        kiosk.issue(&service, None).await.unwrap();
    }
    let key = kiosk.issue(&service, None).await.unwrap().key.unwrap();
    let web = Chrome::phone(&s.url, "phone_screenshots").await;
    let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../images");
    let save = |name: &'static str| {
        let web = &web;
        let images = images.clone();
        async move {
            let png = web.c.screenshot().await.unwrap();
            std::fs::write(images.join(format!("phone-{name}.png")), png).unwrap();
        }
    };
    web.open(&format!("/t/{key}")).await;
    web.wait(&status_has("Còn 7 người"), "seven ahead").await;
    save("waiting").await;
    let admin = s.client(&token(shared::config::Role::Admin));
    let counter = config.counters.iter().find(|c| c.services.contains(&service)).unwrap().id.clone();
    admin.call(&counter, &format!("{}008", config.services[0].letter)).await.unwrap();
    web.wait(&status_has("Mời bạn đến"), "the call").await;
    save("called").await;
    web.open(&format!("/t/{key}?lang=en")).await;
    web.wait(&status_has("Please go to"), "the English page").await;
    save("called-en").await;
    s.stop().await;
}
