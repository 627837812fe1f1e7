//! A kiosk's call for help through the counter page in headless Chromium, against the real
//! `kiosk serve`: the kiosk calls (the request its touch UI sends, with its token), the page
//! shows a banner naming the kiosk and its screen and chimes; the staff member presses "I am on
//! my way", and the kiosk reads back who is coming. A call withdrawn leaves the page.

use crate::browser::*;
use shared::client::Client;
use shared::wire::HelpScreen;
use testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosks_call_reaches_the_counter_page_which_chimes_and_answers_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_console_config(dir.path(), &dir.path().join("queue.db"));
    let served = Served::start(&config);
    let api = Api::new(&served.url);
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1"]).await;
    let kiosk = Client::new(&served.url, Some(KIOSK_TOKEN.to_owned()));

    let web = Chrome::start(&served.url, "help").await;
    web.sign_in("lan", PASSWORD).await;
    web.wait("document.querySelectorAll('#counters button').length === 1", "the counter chooser").await;
    // Taking the counter is the page's first click: from then on it may play sound.
    web.click("#counters button[data-counter='1']").await;
    web.wait("!document.querySelector('#serve').hidden", "the serving view").await;
    assert_eq!(web.js("return document.querySelector('#helps').hidden").await, true, "no call, no banner");

    let call = kiosk.ask_help(HelpScreen::Procedures).await.unwrap();
    web.wait("document.querySelector('#helps .help-call.open[data-device=\"kiosk\"]')", "the call's banner").await;
    let said = web.text("#helps .help-call .help-text").await;
    assert!(said.contains("Kiosk kiosk") && said.contains("Tra cứu thủ tục"), "the kiosk and its screen: {said}");
    web.wait("Number(document.body.dataset.helpChimes || 0) >= 1", "the chime").await;
    web.shot("call").await;

    web.click("#helps button[data-answer='kiosk']").await;
    web.wait("document.querySelector('#msg').textContent.includes('Kiosk kiosk đã được báo')", "the answer confirmed").await;
    web.wait("document.querySelector('#helps .help-call:not(.open)')", "the banner to say who is going").await;
    assert!(web.text("#helps .help-call").await.contains("Nguyễn Thị Lan đang đến kiosk kiosk"));
    let mine = kiosk.helps().await.unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (mine[0].asked_at, mine[0].answered_by.as_deref()),
        (call.asked_at, Some("Nguyễn Thị Lan")),
        "the kiosk learns who is coming"
    );
    let chimes = web.js("return Number(document.body.dataset.helpChimes)").await;
    assert_eq!(chimes, 1, "an answered call does not chime again");

    // The citizen leaves: the kiosk withdraws its call and the page lets it go.
    kiosk.withdraw_help().await.unwrap();
    web.wait("document.querySelector('#helps').hidden", "the withdrawn call to leave the page").await;
    web.close().await;
}
