//! The ticket's phone page on the province hub (`/t/{centre}/{key}`), in headless Chromium
//! emulating a phone: a centre's authority sends its ticket views through `[uplink]` to the
//! `hub` binary, and a call at the centre's counter turns the page on the hub.
use crate::browser::*;
use crate::province::{until_sent, Province};
use std::time::Instant;
use testkit::{COUNTER, KIOSK};

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
