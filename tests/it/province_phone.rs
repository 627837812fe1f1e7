//! The ticket's phone page on the province hub (`/t/{centre}/{key}`), in headless Chromium
//! emulating a phone: a centre's authority sends its ticket views through `[uplink]` to the
//! `hub` binary, and a call at the centre's counter turns the page on the hub.
use crate::browser::*;
use crate::province::{until_sent, Province};
use std::time::Instant;
use testkit::{Served, COUNTER, KIOSK};

fn status_has(text: &str) -> String {
    format!("document.getElementById('status').textContent.includes({text:?})")
}

/// Proves a citizen following a ticket on the province's address sees the centre's queue:
/// the people ahead, the call at the counter without a reload (the time it took printed), the
/// time of the hub's copy ("cập nhật lúc"), the English page, and another centre's path that
/// finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_phone_follows_its_ticket_on_the_province_hub() {
    let province = Province::new(&[("dai-tu", "Một cửa huyện Đại Từ"), ("pho-yen", "Một cửa TP Phổ Yên")]).await;
    let _hub = province.serve();
    // The hub expires views by its own clock: the centre works today.
    let centre = province.centre("dai-tu", chrono::Utc::now()).await;
    let kiosk = centre.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    let key = kiosk.issue("civil", None).await.unwrap().key.unwrap();
    until_sent(&centre).await;

    let web = Chrome::phone(&province.url(), "province_phone").await;
    let path = format!("/t/dai-tu/{key}");
    testkit::wait_until(30, "the hub to hold the ticket's view", || {
        let url = format!("{}/api/v1/public/centres/dai-tu/tickets/{key}", province.url());
        async move { reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    web.open(&path).await;
    web.wait(&status_has("Còn 1 người trước bạn"), "one person ahead").await;
    assert_eq!(web.text("#number").await, "A002");
    assert_eq!(web.text("header h1").await, "Một cửa huyện Đại Từ");
    web.wait("document.getElementById('live').className === 'on'", "the page says it is live").await;
    assert!(web.text("#live").await.contains("cập nhật lúc"), "the hub's copy is dated");
    web.js("window.stayed = true; return 1").await;

    let counter = centre.client(COUNTER);
    counter.call_next("1").await.unwrap();
    web.wait(&status_has("Bạn là người tiếp theo"), "next in line").await;
    let t0 = Instant::now();
    counter.call_next("2").await.unwrap();
    web.wait(&format!("{} && {}", status_has("Mời bạn đến"), status_has("Quầy 2")), "the call, through the uplink").await;
    println!("the call reached the phone page on the hub in {:?}", t0.elapsed());
    assert_eq!(web.js("return window.stayed === true").await, true, "the page changed in place");

    web.open(&format!("{path}?lang=en")).await;
    web.wait(&status_has("Please go to"), "the English page").await;
    web.open(&format!("/t/pho-yen/{key}")).await;
    web.wait(&status_has("Không tìm thấy lượt này"), "another centre's path finds nothing").await;
    centre.stop().await;
}

/// The hub's configuration with a stand-in gateway: told at two ahead.
fn notify(gateway: &testkit::gateway::Gateway) -> String {
    format!("\n[notify]\nwebhook = \"{}\"\nahead = 2\n", gateway.url)
}

/// A centre whose five tickets the hub's page with a gateway follows: the last one's page open.
struct NearPage {
    gateway: testkit::gateway::Gateway,
    _province: Province,
    _hub: Served,
    centre: testkit::TestServer,
    web: Chrome,
    key: String,
}

async fn near_page(test: &str) -> NearPage {
    let gateway = testkit::gateway::Gateway::start(0).await;
    let province = Province::with(&[("dai-tu", "Một cửa huyện Đại Từ")], &notify(&gateway)).await;
    let hub = province.serve();
    let centre = province.centre("dai-tu", chrono::Utc::now()).await;
    let kiosk = centre.client(KIOSK);
    for _ in 0..4 {
        kiosk.issue("civil", None).await.unwrap();
    }
    let key = kiosk.issue("civil", None).await.unwrap().key.unwrap();
    until_sent(&centre).await;
    testkit::wait_until(30, "the hub to hold the ticket's view", || {
        let url = format!("{}/api/v1/public/centres/dai-tu/tickets/{key}", province.url());
        async move { reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    let web = Chrome::phone(&province.url(), test).await;
    web.open(&format!("/t/dai-tu/{key}")).await;
    web.wait(&status_has("Còn 4 người trước bạn"), "four ahead").await;
    web.wait("!document.getElementById('near').hidden", "the offer").await;
    NearPage { gateway, _province: province, _hub: hub, centre, web, key }
}

/// Proves "your turn is near" as a citizen uses it on the hub's page: the offer while more than
/// two are ahead, a mistyped number refused in words, the number confirmed masked (and still
/// shown after a reload), then the message at the gateway when the centre's calls bring the
/// ticket to two ahead.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_phone_leaves_its_number_and_is_told_when_near() {
    // Every field named: one left to `..` would be dropped here, the province's database with it.
    let NearPage { gateway, _province, _hub, centre, web, key } = near_page("province_near").await;
    assert_eq!(web.text("#near-offer").await, "Nhắn tin cho tôi khi còn 2 người trước tôi");
    web.fill("#near-phone", "0212 345 678").await;
    web.click("#near-send").await;
    web.wait("document.getElementById('near-msg').className.includes('err')", "a landline refused").await;
    assert!(web.text("#near-msg").await.contains("10 chữ số"));
    web.fill("#near-phone", "0912 345 678").await;
    web.click("#near-send").await;
    web.wait("!document.getElementById('near-set').hidden", "the number confirmed").await;
    assert_eq!(web.text("#near-set-text").await, "Sẽ nhắn tới số 0••• ••• 678 khi còn 2 người trước bạn.");
    web.open(&format!("/t/dai-tu/{key}")).await;
    web.wait("!document.getElementById('near-set').hidden", "the number still shown after a reload").await;

    let counter = centre.client(COUNTER);
    counter.call_next("1").await.unwrap();
    web.wait(&status_has("Còn 3 người trước bạn"), "three ahead on the page").await;
    assert!(gateway.received().is_empty(), "three ahead: not yet");
    counter.call_next("2").await.unwrap();
    testkit::wait_until(30, "the gateway to receive the message", || async { !gateway.received().is_empty() }).await;
    let got = gateway.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body["to"], "+84912345678");
    assert_eq!(got[0].body["text"], "Một cửa huyện Đại Từ: còn 2 người trước số A005 (Hộ tịch). Mời bạn về khu chờ.");
    web.wait(&status_has("Còn 2 người trước bạn"), "two ahead on the page").await;
    centre.stop().await;
}

/// The README's picture of the offer on the hub's page, the number confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
#[ignore = "writes the README's screenshots: run with --ignored"]
async fn province_phone_screenshots() {
    let NearPage { gateway: _gateway, _province, _hub, centre, web, key: _ } = near_page("province_near_shot").await;
    web.fill("#near-phone", "0912 345 678").await;
    web.click("#near-send").await;
    web.wait("!document.getElementById('near-set').hidden", "the number confirmed").await;
    web.js("window.scrollTo(0, 0); return 1").await;
    let images = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../images");
    std::fs::write(images.join("phone-near.png"), web.c.screenshot().await.unwrap()).unwrap();
    centre.stop().await;
}
