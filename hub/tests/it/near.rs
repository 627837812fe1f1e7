//! "Your turn is near": a phone number left on a ticket's page, and the one message the
//! province's gateway (a stand-in receiver on 127.0.0.1) gets when the centre's pushes bring the
//! ticket near, through two hub processes over one database.
use crate::phone::Centre;
use crate::support::*;
use chrono::Duration;
use serde_json::{json, Value};
use shared::domain::Command;
use testkit::gateway::Gateway;

const GATEWAY_TOKEN: &str = "gateway-bearer-token";

/// The tests' hub configuration with `[notify]` to `gateway`: two ahead by default, four for land.
fn config_with(url: &str, gateway: &Gateway) -> hub::HubConfig {
    let text = format!(
        "{}\n[notify]\nwebhook = \"{}\"\ntoken = \"{GATEWAY_TOKEN}\"\nahead = 2\n\n[notify.services]\nland = 4\n",
        config_text(url),
        gateway.url
    );
    hub::HubConfig::parse(&text).unwrap_or_else(|(l, m)| panic!("line {l:?}: {m}"))
}

async fn hub_with(url: &str, gateway: &Gateway, clock: TestClock) -> Hub {
    Hub::start_with(config_with(url, gateway), clock, reqwest::Client::new()).await
}

fn key(i: usize) -> String {
    format!("NearKey{i:02}aaaaaaa")
}

/// `n` civil tickets issued at `at`, keyed `key(0)..`.
fn issue(centre: &mut Centre, service: &str, n: usize, from: usize, at: chrono::DateTime<chrono::Utc>) {
    for i in from..from + n {
        centre.run(Command::Issue { service: service.into(), priority: None, key: Some(key(i)) }, at);
    }
}

async fn ask(hub: &Hub, key: &str, body: Value) -> (u16, Value) {
    let r = hub.http.post(hub.url(&format!("/api/v1/public/centres/{CENTRE_A}/tickets/{key}/near"))).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn outbox_empty(url: &str) {
    let url = url.to_owned();
    testkit::wait_until(20, "the outbox to be empty", || {
        let url = url.clone();
        async move { count(&url, "SELECT count(*) FROM near_outbox").await == 0 }
    })
    .await;
}

/// Proves the message goes once, when two people are ahead, with the page's language, the
/// gateway's token and a repeat key that is not the ticket's key; that the number is dropped as
/// soon as the message is claimed; and that later calls, through either hub process, send
/// nothing more.
#[tokio::test]
async fn the_phone_is_told_once_when_its_turn_is_near() {
    let gateway = Gateway::start(0).await;
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let clock = TestClock::new(wednesday_10am());
    let one = hub_with(&pg.url(), &gateway, clock.clone()).await;
    let two = hub_with(&pg.url(), &gateway, clock.clone()).await;
    let t0 = wednesday_10am() - Duration::minutes(30);
    let mut centre = Centre::new(&one);
    issue(&mut centre, "civil", 6, 0, t0);
    centre.push(t0).await;

    let (status, answer) = ask(&two, &key(5), json!({"phone": "0912 345 678", "lang": "en"})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"ahead": 2, "phone": "0••• ••• 678"}));
    let phones = "SELECT count(*) FROM near_requests WHERE phone IS NOT NULL";
    assert_eq!(count(&pg.url(), phones).await, 1);

    // Five ahead, then four, three: not yet.
    let mut t = t0;
    for counter in ["1", "2"] {
        t += Duration::minutes(3);
        centre.run(Command::CallNext { counter: counter.into() }, t);
        centre.push(t).await;
    }
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM near_outbox").await, 0, "three ahead: not near");
    assert!(gateway.received().is_empty());
    // Counter 1 finishes and calls the next: two ahead.
    t += Duration::minutes(3);
    centre.run(Command::CallNext { counter: "1".into() }, t);
    centre.push(t).await;
    assert_eq!(count(&pg.url(), phones).await, 0, "the number is dropped once the message is claimed");
    outbox_empty(&pg.url()).await;
    let got = gateway.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.body["to"], "+84912345678");
    assert_eq!(m.body["text"], "Một cửa A: 2 people ahead of number A006 (Hộ tịch). Please come back to the waiting area.");
    assert_eq!((m.body["kind"].as_str(), m.body["ticket"].as_str(), m.body["lang"].as_str()), (Some("near"), Some("A006"), Some("en")));
    assert_eq!(m.authorization.as_deref(), Some(format!("Bearer {GATEWAY_TOKEN}").as_str()));
    let repeat = m.idempotency_key.clone().expect("a repeat key");
    assert!(!repeat.contains(&key(5)), "the gateway never sees the ticket's key: {repeat}");

    // One ahead, then called, pushed through the other process: nothing more is sent.
    for counter in ["2", "1", "2"] {
        t += Duration::minutes(3);
        centre.run(Command::CallNext { counter: counter.into() }, t);
        centre.hub = shared::client::HubClient::new(shared::client::HubClient::builder(&two.url, TOKEN_A), CENTRE_A).unwrap();
        centre.push(t).await;
    }
    outbox_empty(&pg.url()).await;
    assert_eq!(gateway.received().len(), 1, "once per ticket");
    let (status, answer) = ask(&one, &key(5), json!({"phone": "0912345678"})).await;
    assert_eq!((status, answer["error"].as_str()), (409, Some("not_waiting")), "{answer}");
    two.stop().await;
    one.stop().await;
}

/// Proves a gateway that is down is tried again until it takes the message (once), and that a
/// number left for a ticket that ends without being near (gone from the centre's board) is
/// deleted with no message.
#[tokio::test]
async fn a_gateway_down_is_tried_again_and_an_ended_ticket_forgets_the_number() {
    let gateway = Gateway::start(2).await;
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let hub = hub_with(&pg.url(), &gateway, TestClock::new(wednesday_10am())).await;
    let t0 = wednesday_10am() - Duration::minutes(30);
    let mut centre = Centre::new(&hub);
    // Land: told at four ahead. Six land tickets, the last with five ahead; and one civil.
    issue(&mut centre, "land", 6, 0, t0);
    issue(&mut centre, "civil", 1, 6, t0);
    centre.push(t0).await;
    assert_eq!(ask(&hub, &key(5), json!({"phone": "+84 987 654 321"})).await.1["ahead"], 4);
    let (status, body) = ask(&hub, &key(6), json!({"phone": "0987654322"})).await;
    assert_eq!(status, 409, "civil's threshold is 2 and nobody is ahead: {body}");
    assert_eq!(body["error"], "already_near");

    let t1 = t0 + Duration::minutes(2);
    centre.run(Command::CallNext { counter: "2".into() }, t1);
    centre.push(t1).await;
    testkit::wait_until(30, "the message delivered after two refusals", || async { gateway.received().len() == 1 }).await;
    assert_eq!(gateway.refused(), 2);
    assert_eq!(gateway.received()[0].body["text"], "Một cửa A: còn 4 người trước số B006 (Đất đai). Mời bạn về khu chờ.");
    outbox_empty(&pg.url()).await;

    // A number left for a ticket that then leaves the board (a new day at the centre).
    issue(&mut centre, "land", 6, 7, t1);
    centre.push(t1).await;
    assert_eq!(ask(&hub, &key(12), json!({"phone": "0355555555"})).await.0, 200);
    let mut board = centre.engine.public_board(t1);
    board.remove(&key(12));
    let whole = shared::province::TicketBoard::delta(None, &board, t1).unwrap();
    centre.hub.push_tickets(&whole).await.unwrap();
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM near_requests WHERE phone IS NOT NULL").await, 0, "the number is deleted");
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM near_outbox").await, 0, "and nothing is sent");
    hub.stop().await;
}

/// Proves the refusals: a number that is not a Vietnamese mobile (422, nothing kept), a key that
/// finds nothing (the one 404), a hub with no `[notify]` (404 not_offered); and that a number
/// withdrawn is deleted, and one can be left again afterwards.
#[tokio::test]
async fn refusals_and_withdrawing() {
    let gateway = Gateway::start(0).await;
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let hub = hub_with(&pg.url(), &gateway, TestClock::new(wednesday_10am())).await;
    let t0 = wednesday_10am();
    let mut centre = Centre::new(&hub);
    issue(&mut centre, "civil", 5, 0, t0);
    centre.push(t0).await;
    for bad in ["", "12345", "0212345678", "+1 415 555 0100", "0912-345-67x"] {
        let (status, body) = ask(&hub, &key(4), json!({"phone": bad})).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("invalid_phone")), "{bad:?}");
    }
    assert_eq!(ask(&hub, &key(4), json!({"number": "0912345678"})).await.0, 400, "an unknown field");
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM near_requests").await, 0, "nothing kept");
    for k in ["NearKey99aaaaaaa", "short"] {
        let (status, body) = ask(&hub, k, json!({"phone": "0912345678"})).await;
        assert_eq!((status, body["error"].as_str()), (404, Some("ticket_not_found")), "{k}");
    }

    assert_eq!(ask(&hub, &key(4), json!({"phone": "0912345678"})).await.0, 200);
    let path = hub.url(&format!("/api/v1/public/centres/{CENTRE_A}/tickets/{}/near", key(4)));
    assert_eq!(hub.http.delete(&path).send().await.unwrap().status(), 204);
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM near_requests").await, 0, "withdrawn: deleted");
    assert_eq!(ask(&hub, &key(4), json!({"phone": "0912345679"})).await.0, 200, "left again");
    hub.stop().await;

    // The same database served by a hub with no gateway: no offer.
    let plain = Hub::start(&pg.url(), TestClock::new(wednesday_10am())).await;
    let (status, body) = ask(&plain, &key(4), json!({"phone": "0912345678"})).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_offered")));
    let page = plain.http.get(plain.url(&format!("/t/{CENTRE_A}/{}", key(4)))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("\"near\":null"), "the page offers nothing");
    plain.stop().await;
}
