//! Booking a number ahead on the hub: the one-time code through the gateway (a stand-in
//! receiver), the booking, its QR code, the limits per phone and per window (two phones racing
//! for the last place), the refusals, and the centre pulling its bookings.
use crate::support::*;
use chrono::Duration;
use serde_json::{json, Value};
use shared::province::booking::{normalize_code, qr_text, Bookings};
use testkit::gateway::Gateway;

/// Thursday 26 November 2026, the day after the tests' Wednesday.
const THURSDAY: &str = "2026-11-26";

fn config_with(url: &str, gateway: &Gateway, booking: &str) -> hub::HubConfig {
    let text = format!(
        "{}\n[notify]\nwebhook = \"{}\"\n\n[booking]\nper_person = 2\n{booking}\n[[booking.services]]\ncentre = \"{CENTRE_A}\"\n\
         service = \"civil\"\nname = \"Hộ tịch\"\nname_en = \"Civil status\"\nwindows = [\"08:00-09:00\", \"09:00-10:00\", \"14:00-15:00\"]\ncapacity = 2\n",
        config_text(url),
        gateway.url
    );
    hub::HubConfig::parse(&text).unwrap_or_else(|(l, m)| panic!("line {l:?}: {m}"))
}

struct Booking {
    _pg: testkit::postgres::Postgres,
    hub: Hub,
    gateway: Gateway,
}

async fn start() -> Booking {
    start_with("").await
}

/// `start`, with more of `[booking]`.
async fn start_with(booking: &str) -> Booking {
    let gateway = Gateway::start(0).await;
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let config = config_with(&pg.url(), &gateway, booking);
    let hub = Hub::start_with(config, TestClock::new(wednesday_10am()), reqwest::Client::new()).await;
    Booking { _pg: pg, hub, gateway }
}

impl Booking {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self.hub.http.post(self.hub.url(path)).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.hub.http.get(self.hub.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }

    /// Asks a code for `phone` and reads it from the gateway, as the citizen reads the SMS.
    async fn code(&self, phone: &str, to: &str) -> String {
        let codes = || self.messages_to(to).into_iter().filter(|m| m["kind"] == "code").collect::<Vec<_>>();
        let before = codes().len();
        let (status, body) = self.post("/api/v1/public/booking/code", json!({"phone": phone})).await;
        assert_eq!(status, 202, "{body}");
        testkit::wait_until(20, "the code at the gateway", || async { codes().len() > before }).await;
        let text = codes().last().unwrap()["text"].as_str().unwrap().to_owned();
        text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("six digits in the message").to_owned()
    }

    fn messages_to(&self, to: &str) -> Vec<Value> {
        self.gateway.received().into_iter().map(|r| r.body).filter(|b| b["to"] == to).collect()
    }

    async fn book(&self, phone: &str, code: &str, window: &str) -> (u16, Value) {
        let body = json!({"phone": phone, "code": code, "centre": CENTRE_A, "service": "civil", "day": THURSDAY, "window": window});
        self.post("/api/v1/public/bookings", body).await
    }

    async fn left(&self, window: &str) -> u64 {
        let slots = self.get(&format!("/api/v1/public/booking/slots?centre={CENTRE_A}&service=civil&day={THURSDAY}")).await;
        slots["windows"].as_array().unwrap().iter().find(|w| w["window"] == window).unwrap()["left"].as_u64().unwrap()
    }
}

/// Proves the whole path: the offer (weekdays only), a code sent to the phone, the booking
/// with a code in its one form and its QR code, the confirmation at the gateway, the window's
/// places counted down, and the centre pulling exactly its new bookings with its own token.
#[tokio::test]
async fn a_citizen_books_and_the_centre_pulls_the_booking() {
    let b = start().await;
    let offer = b.get("/api/v1/public/booking").await;
    let service = &offer["services"][0];
    assert_eq!((service["centre_name"].as_str(), service["name"].as_str()), (Some("Một cửa A"), Some("Hộ tịch")));
    let days: Vec<&str> = service["days"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_eq!(days, ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01"], "no weekend");
    assert_eq!(b.left("08:00-09:00").await, 2);

    let code = b.code("0912 345 678", "+84912345678").await;
    let (status, made) = b.book("0912345678", &code, "08:00-09:00").await;
    assert_eq!(status, 201, "{made}");
    let booking_code = made["code"].as_str().unwrap();
    assert_eq!(normalize_code(booking_code).as_deref(), Some(booking_code));
    assert_eq!(made["qr"], qr_text(CENTRE_A, booking_code));
    assert_eq!(made["display"], format!("{}-{}", &booking_code[..4], &booking_code[4..]));
    assert_eq!(b.left("08:00-09:00").await, 1);
    testkit::wait_until(20, "the confirmation", || async { b.messages_to("+84912345678").len() == 2 }).await;
    let confirmation = b.messages_to("+84912345678")[1]["text"].as_str().unwrap().to_owned();
    assert!(confirmation.contains("26/11/2026, 08:00–09:00") && confirmation.contains(made["display"].as_str().unwrap()), "{confirmation}");

    let svg = b.hub.http.get(b.hub.url(&format!("/api/v1/public/bookings/{CENTRE_A}/{booking_code}.svg"))).send().await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().starts_with("<svg"));

    let pull = |token: &'static str, after: u64| {
        let url = b.hub.url(&format!("/api/v1/centres/{CENTRE_A}/bookings?after={after}"));
        let http = b.hub.http.clone();
        async move { http.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let pulled: Bookings = pull(TOKEN_A, 0).await.json().await.unwrap();
    assert_eq!(pulled.bookings.len(), 1);
    let one = &pulled.bookings[0];
    assert_eq!(
        (one.code.as_str(), one.service.as_str(), one.day.to_string(), one.window.to_string()),
        (booking_code, "civil", THURSDAY.into(), "08:00-09:00".into())
    );
    let later: Bookings = pull(TOKEN_A, one.seq).await.json().await.unwrap();
    assert!(later.bookings.is_empty(), "nothing after the last held");
    assert_eq!(pull(TOKEN_B, 0).await.status(), 403, "another centre's token");
    b.hub.stop().await;
}

/// Proves the limits hold: two numbers a phone a day, the third refused; and when two phones
/// book the window's last place at the same moment, exactly one gets it.
#[tokio::test]
async fn the_limits_hold_under_a_race() {
    let b = start().await;
    let a = "+84912000001";
    for window in ["09:00-10:00", "14:00-15:00"] {
        let code = b.code(a, a).await;
        b.hub.clock.advance(Duration::seconds(61));
        assert_eq!(b.book(a, &code, window).await.0, 201);
    }
    let code = b.code(a, a).await;
    let (status, body) = b.book(a, &code, "08:00-09:00").await;
    assert_eq!((status, body["error"].as_str()), (409, Some("limit_reached")), "{body}");

    // 09:00-10:00 holds one of two: two phones race for the last place.
    let (p, q) = ("+84912000002", "+84912000003");
    let (cp, cq) = (b.code(p, p).await, b.code(q, q).await);
    let ((s1, _), (s2, _)) = tokio::join!(b.book(p, &cp, "09:00-10:00"), b.book(q, &cq, "09:00-10:00"));
    let mut statuses = [s1, s2];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "one place, one booking");
    assert_eq!(b.left("09:00-10:00").await, 0);
    b.hub.stop().await;
}

/// Proves the refusals: a wrong code, too many tries, a code asked again within the minute,
/// an expired code, a window already over, a day not offered, a service not bookable, a bad
/// phone; and a hub with no `[booking]` offers nothing.
#[tokio::test]
async fn refusals() {
    let b = start().await;
    let p = "+84988000001";
    let code = b.code(p, p).await;
    let (status, body) = b.post("/api/v1/public/booking/code", json!({"phone": p})).await;
    assert_eq!((status, body["error"].as_str()), (429, Some("too_soon")), "{body}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(b.book(p, wrong, "08:00-09:00").await.1["error"], "wrong_code");
    for (window, day, service) in [
        ("08:00-09:00", "2026-11-25", "civil"),
        ("08:00-09:00", "2026-11-28", "civil"),
        ("10:00-11:00", THURSDAY, "civil"),
        ("08:00-09:00", THURSDAY, "land"),
    ] {
        let body = json!({"phone": p, "code": code, "centre": CENTRE_A, "service": service, "day": day, "window": window});
        let (status, answer) = b.post("/api/v1/public/bookings", body).await;
        assert_eq!((status, answer["error"].as_str()), (422, Some("not_bookable")), "{window} {day} {service}: {answer}");
    }
    assert_eq!(b.book("0212345678", &code, "08:00-09:00").await.1["error"], "invalid_phone");
    for _ in 0..4 {
        b.book(p, wrong, "08:00-09:00").await;
    }
    let (status, body) = b.book(p, &code, "08:00-09:00").await;
    assert_eq!((status, body["error"].as_str()), (429, Some("too_many_tries")), "the right code after five wrong: {body}");

    b.hub.clock.advance(Duration::minutes(2));
    let code = b.code(p, p).await;
    b.hub.clock.advance(Duration::minutes(11));
    assert_eq!(b.book(p, &code, "08:00-09:00").await.1["error"], "code_expired");
    assert_eq!(b.book("+84988000002", &code, "08:00-09:00").await.1["error"], "no_code");
    b.hub.stop().await;

    let plain = Hub::start(&b._pg.url(), TestClock::new(wednesday_10am())).await;
    let r = plain.http.get(plain.url("/api/v1/public/booking")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    plain.stop().await;
}

/// Proves the hub-wide cap on codes: past `codes_per_minute` in a minute, any further phone is
/// refused (429 busy, nothing sent) until the minute has passed; so nobody can make the gateway
/// text many numbers.
#[tokio::test]
async fn the_hub_texts_no_more_codes_a_minute_than_its_budget() {
    let b = start_with("codes_per_minute = 2").await;
    b.code("+84911000001", "+84911000001").await;
    b.code("+84911000002", "+84911000002").await;
    let (status, body) = b.post("/api/v1/public/booking/code", json!({"phone": "+84911000003"})).await;
    assert_eq!((status, body["error"].as_str()), (429, Some("busy")), "{body}");
    assert!(b.messages_to("+84911000003").is_empty(), "nothing sent");
    b.hub.clock.advance(Duration::seconds(61));
    b.code("+84911000003", "+84911000003").await;
    b.hub.stop().await;
}
