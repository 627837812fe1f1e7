//! Booking a number ahead on the province hub's page (`/booking/`), in headless Chromium
//! emulating a phone, with the `hub` binary and a stand-in SMS gateway: the citizen picks a day
//! and a time, reads the code the gateway received, and gets the booking code and its QR code.
//! The README's picture of it:
//!
//! ```sh
//! cargo test -p e2e --test it booking_screenshots -- --ignored
//! ```
use crate::browser::*;
use crate::province::Province;
use testkit::gateway::Gateway;
use testkit::Served;

/// The hub's `[notify]` and `[booking]`: Hộ tịch at Đại Từ, two windows of two places, every
/// day of the week (the test runs whatever the day).
fn booking(gateway: &Gateway) -> String {
    booking_in(gateway, "\"07:00-08:00\", \"08:00-09:00\"")
}

fn booking_in(gateway: &Gateway, windows: &str) -> String {
    format!(
        "\n[notify]\nwebhook = \"{}\"\n\n[booking]\n\n[[booking.services]]\ncentre = \"dai-tu\"\nservice = \"civil\"\nname = \"Hộ tịch\"\n\
         windows = [{windows}]\ncapacity = 2\nweekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
        gateway.url
    )
}

/// Books tomorrow 07:00–08:00 for 0912 345 678 on the page, as a citizen does; answers once the
/// booking is shown.
async fn book_on_the_page(web: &Chrome, gateway: &Gateway) {
    web.open("/booking/").await;
    web.wait("document.querySelectorAll('#days button').length === 7", "seven days offered").await;
    assert!(web.text("#service").await.contains("Một cửa huyện Đại Từ – Hộ tịch"));
    web.click("#days button:nth-child(2)").await;
    web.wait("document.querySelectorAll('#windows button').length === 2", "the windows").await;
    assert!(web.text("#windows button:nth-child(1)").await.contains("còn 2 chỗ"));
    web.click("#windows button:nth-child(1)").await;
    web.fill("#phone", "0912 345 678").await;
    web.click("#send-code").await;
    web.wait("!document.getElementById('code-box').hidden", "the code box").await;
    assert_eq!(web.text("#msg").await, "Đã nhắn mã tới số 0••• ••• 678.");
    testkit::wait_until(20, "the code at the gateway", || async { !gateway.received().is_empty() }).await;
    let text = gateway.received()[0].body["text"].as_str().unwrap().to_owned();
    let code = text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned();
    web.fill("#code", &code).await;
    web.click("#book").await;
    web.wait("!document.getElementById('done').hidden", "the booking shown").await;
    web.wait("document.getElementById('done-qr').naturalWidth > 0", "its QR code drawn").await;
}

/// Proves a citizen books on the phone page: seven days offered, the places left, a code sent
/// through the gateway and typed, and the booking code (in its one form) with its QR code; the
/// window then shows one place fewer; and a mistyped code is refused in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_citizen_books_a_number_on_the_phone() {
    let gateway = Gateway::start(0).await;
    let province = Province::with(&[("dai-tu", "Một cửa huyện Đại Từ")], &booking(&gateway)).await;
    let _hub: Served = province.serve();
    let web = Chrome::phone(&province.url(), "booking").await;
    book_on_the_page(&web, &gateway).await;
    let shown = web.text("#done-code").await;
    let code = shared::province::booking::normalize_code(&shown).expect("a booking code");
    assert_eq!(shown, shared::province::booking::display_code(&code));
    assert!(web.text("#done-what").await.contains("07:00–08:00"));

    // Another booking on the same phone, the code mistyped.
    web.open("/booking/").await;
    web.wait("document.querySelectorAll('#days button').length === 7", "the page again").await;
    web.click("#days button:nth-child(2)").await;
    web.wait("document.querySelectorAll('#windows button').length === 2", "the windows").await;
    assert!(web.text("#windows button:nth-child(1)").await.contains("còn 1 chỗ"), "one place taken");
    web.click("#windows button:nth-child(2)").await;
    web.fill("#phone", "0912 345 678").await;
    web.click("#send-code").await;
    web.wait("!document.getElementById('code-box').hidden", "the code box").await;
    let codes = || gateway.received().into_iter().filter(|m| m.body["kind"] == "code").collect::<Vec<_>>();
    testkit::wait_until(20, "the second code", || async { codes().len() == 2 }).await;
    let sent = codes()[1].body["text"].as_str().unwrap().to_owned();
    let wrong = if sent.contains("000000") { "111111" } else { "000000" };
    web.fill("#code", wrong).await;
    web.click("#book").await;
    web.wait("document.getElementById('msg').className === 'err'", "the refusal").await;
    assert_eq!(web.text("#msg").await, "Mã chưa đúng.");
}

/// The README's picture of a booking made on the phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
#[ignore = "writes the README's screenshots: run with --ignored"]
async fn booking_screenshots() {
    let gateway = Gateway::start(0).await;
    let province = Province::with(&[("dai-tu", "Một cửa huyện Đại Từ")], &booking(&gateway)).await;
    let _hub: Served = province.serve();
    let web = Chrome::phone(&province.url(), "booking_shot").await;
    book_on_the_page(&web, &gateway).await;
    web.js("window.scrollTo(0, 0); return 1").await;
    let images = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../images");
    std::fs::write(images.join("phone-booking.png"), web.c.screenshot().await.unwrap()).unwrap();
}

/// Proves bookings made on the hub reach their centre and check in there: the centre's uplink
/// pulls them at start, the kiosk's check-in (the code as typed) gives a ticket of its service,
/// the QR code's text of another centre is refused as such, a second check-in is refused, and
/// with the hub gone (killed) the centre checks in the other booking it pulled.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn bookings_made_on_the_hub_check_in_at_their_centre_even_offline() {
    let gateway = Gateway::start(0).await;
    let province = Province::with(&[("dai-tu", "Một cửa huyện Đại Từ")], &booking_in(&gateway, "\"00:00-24:00\"")).await;
    let hub: Served = province.serve();
    let http = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        let req = http.post(format!("{}{path}", province.url())).json(&body);
        async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let mut bookings = Vec::new();
    for n in 1..=2 {
        assert_eq!(post("/api/v1/public/booking/code", serde_json::json!({"phone": "0912345678"})).await.0, 202);
        let codes = || gateway.received().into_iter().filter(|m| m.body["kind"] == "code").collect::<Vec<_>>();
        testkit::wait_until(20, "the code at the gateway", || async { codes().len() == n }).await;
        let text = codes()[n - 1].body["text"].as_str().unwrap().to_owned();
        let code = text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned();
        let body = serde_json::json!({"phone": "0912345678", "code": code, "centre": "dai-tu", "service": "civil",
            "day": today.to_string(), "window": "00:00-24:00"});
        let (status, made) = post("/api/v1/public/bookings", body).await;
        assert_eq!(status, 201, "{made}");
        bookings.push(made["display"].as_str().unwrap().to_owned());
    }

    // The centre starts after the bookings: its uplink pulls them at once.
    let centre = province.centre("dai-tu", chrono::Utc::now()).await;
    let kiosk = centre.client(testkit::KIOSK);
    let refusal = |r: Result<shared::wire::TicketView, shared::client::ClientError>| match r {
        Ok(t) => panic!("checked in as {}", t.number),
        Err(e) => e.code().map(|c| c.as_str().to_owned()).unwrap_or_default(),
    };
    let other = shared::province::booking::qr_text("pho-yen", &bookings[0].replace('-', ""));
    assert_eq!(refusal(kiosk.check_in(&other).await), "booking_other_centre");
    let ticket = std::sync::Mutex::new(None);
    testkit::wait_until(30, "the booking pulled and checked in", || async {
        match kiosk.check_in(&bookings[0].to_lowercase()).await {
            Ok(t) => {
                *ticket.lock().unwrap() = Some(t);
                true
            }
            Err(e) => {
                assert_eq!(e.code().map(|c| c.as_str()), Some("booking_not_found"), "{e}");
                false
            }
        }
    })
    .await;
    let ticket = ticket.into_inner().unwrap().unwrap();
    assert_eq!((ticket.number.as_str(), ticket.service.as_str()), ("A001", "civil"));
    assert_eq!(refusal(kiosk.check_in(&bookings[0]).await), "booking_used");

    // The hub goes away: the centre still checks in what it pulled.
    drop(hub);
    assert!(reqwest::get(format!("{}/healthz", province.url())).await.is_err(), "the hub is down");
    let offline = kiosk.check_in(&bookings[1]).await.expect("checked in with the hub down");
    assert_eq!(offline.number, "A002");
    centre.stop().await;
}
