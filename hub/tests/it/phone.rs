//! The phone pages on the hub: a centre's ticket views, pushed as its uplink pushes them (made
//! by the real queue engine), read once, followed live through another hub process over the
//! same database, refused alike for every reason, and expired with their day.
use crate::support::*;
use crate::tickets::centre_config;
use chrono::{DateTime, Duration, Utc};
use shared::client::{Client, ClientError, HubClient, TicketFollow, TicketUpdate};
use shared::domain::{Command, Engine};
use shared::province::TicketBoard;
use shared::wire::{PublicStatus, PublicTicket};
use std::collections::HashMap;
use std::sync::Arc;

pub const KEYS: [&str; 3] = ["Key0aaaaaaaaaaaa", "Key1bbbbbbbbbbbb", "Key2cccccccccccc"];

/// A centre's queue and what its uplink has sent of it.
pub struct Centre {
    pub engine: Engine,
    pub hub: HubClient,
    held: Option<HashMap<String, PublicTicket>>,
}

impl Centre {
    pub fn new(hub: &Hub) -> Centre {
        let hub = HubClient::new(HubClient::builder(&hub.url, TOKEN_A), CENTRE_A).unwrap();
        Centre { engine: Engine::new(Arc::new(centre_config()), 1), hub, held: None }
    }

    pub fn run(&mut self, cmd: Command, at: DateTime<Utc>) {
        self.engine.execute(&cmd, at).unwrap();
    }

    /// What the uplink does after a commit: the views that changed, pushed.
    pub async fn push(&mut self, at: DateTime<Utc>) {
        let board = self.engine.public_board(at);
        let push = TicketBoard::delta(self.held.as_ref(), &board, at).unwrap_or(TicketBoard {
            as_of: at,
            whole: false,
            tickets: Default::default(),
        });
        self.hub.push_tickets(&push).await.unwrap();
        self.held = Some(push.applied_to(self.held.take()));
    }
}

async fn next_update(f: &mut TicketFollow, what: &str) -> TicketUpdate {
    match tokio::time::timeout(std::time::Duration::from_secs(5), f.next()).await {
        Ok(Some(Ok(u))) => u,
        other => panic!("{what}: expected an update, got {other:?}"),
    }
}

fn view(u: TicketUpdate) -> PublicTicket {
    match u {
        TicketUpdate::Ticket(t) => t,
        TicketUpdate::Gone => panic!("the ticket is gone"),
    }
}

fn not_found(r: Result<PublicTicket, ClientError>) -> bool {
    matches!(r, Err(e) if e.status() == Some(404))
}

/// Proves a call at a centre reaches a phone that follows the ticket through another hub
/// process (PostgreSQL's notification between the two), that the views are the centre's own
/// with the time of its last push, and that a push that leaves a key out ends its page.
#[tokio::test]
async fn a_call_reaches_a_phone_following_through_another_hub_process() {
    let (pg, one) = Hub::fresh().await;
    let two = Hub::start(&pg.url(), one.clock.clone()).await;
    let t0 = wednesday_10am() - Duration::minutes(30);
    let mut centre = Centre::new(&one);
    for key in KEYS {
        centre.run(Command::Issue { service: "civil".into(), priority: None, key: Some(key.into()) }, t0);
    }
    centre.push(t0).await;

    let phone = Client::builder(&two.url).build().unwrap();
    let first = phone.province_ticket(CENTRE_A, KEYS[2]).await.unwrap();
    assert_eq!(first, centre.engine.public_ticket(KEYS[2], t0).unwrap(), "the centre's own view");
    assert_eq!((first.waiting_ahead, first.status), (Some(2), PublicStatus::Waiting));
    let mut follow = phone.follow_province_ticket(CENTRE_A, KEYS[2]).await.unwrap();
    assert_eq!(view(next_update(&mut follow, "the first view").await), first);
    let mut first_follow = phone.follow_province_ticket(CENTRE_A, KEYS[0]).await.unwrap();
    next_update(&mut first_follow, "the first ticket's view").await;

    // Counter 1 calls A001: the third ticket moves up; the first is called there.
    let t1 = t0 + Duration::minutes(4);
    centre.run(Command::CallNext { counter: "1".into() }, t1);
    centre.push(t1).await;
    let moved = view(next_update(&mut follow, "the call, through the other process").await);
    assert_eq!((moved.waiting_ahead, moved.as_of), (Some(1), t1));
    let called = view(next_update(&mut first_follow, "the first ticket called").await);
    assert_eq!((called.status, called.counter_number), (PublicStatus::Called, Some(1)));

    // Nothing changed but the centre's time: the page is told how fresh the copy is.
    let t2 = t1 + Duration::seconds(30);
    centre.push(t2).await;
    let fresh = view(next_update(&mut follow, "the freshness push").await);
    assert_eq!((fresh.waiting_ahead, fresh.as_of), (Some(1), t2));

    // The centre's whole board without the third key (as after a day turned): its page ends.
    let mut board = centre.engine.public_board(t2);
    board.remove(KEYS[2]);
    let whole = TicketBoard::delta(None, &board, t2).unwrap();
    centre.hub.push_tickets(&whole).await.unwrap();
    assert_eq!(next_update(&mut follow, "the ticket gone").await, TicketUpdate::Gone);
    assert!(not_found(phone.province_ticket(CENTRE_A, KEYS[2]).await));
    assert!(phone.province_ticket(CENTRE_A, KEYS[1]).await.is_ok(), "the others stay");
    two.stop().await;
    one.stop().await;
}

/// Proves every refusal is the same 404 (another centre's path, a malformed key, a key never
/// pushed, a ticket of yesterday), and that a push is refused whole when it is not the
/// centre's own, names a key that is not one, or is malformed: nothing of it is kept.
#[tokio::test]
async fn refusals_say_nothing_and_keep_nothing() {
    let (pg, hub) = Hub::fresh().await;
    let t0 = wednesday_10am();
    let mut centre = Centre::new(&hub);
    centre.run(Command::Issue { service: "civil".into(), priority: None, key: Some(KEYS[0].into()) }, t0);
    centre.push(t0).await;
    let phone = Client::builder(&hub.url).build().unwrap();
    assert!(phone.province_ticket(CENTRE_A, KEYS[0]).await.is_ok());
    for (c, k) in [(CENTRE_B, KEYS[0]), ("centre-x", KEYS[0]), (CENTRE_A, KEYS[1]), (CENTRE_A, "short"), (CENTRE_A, "Key0aaaaaaaaaaa!")] {
        let r = hub.http.get(hub.url(&format!("/api/v1/public/centres/{c}/tickets/{k}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{c}/{k}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "ticket_not_found", "{c}/{k}: the same refusal");
        let page = hub.http.get(hub.url(&format!("/t/{c}/{k}"))).send().await.unwrap();
        assert_eq!(page.status(), 404, "the page for {c}/{k}");
        assert!(page.text().await.unwrap().contains("Không tìm thấy lượt này"));
        let stream = hub.http.get(hub.url(&format!("/api/v1/public/centres/{c}/tickets/{k}/events"))).send().await.unwrap();
        assert_eq!(stream.status(), 404, "the stream for {c}/{k}");
    }

    let before = count(&pg.url(), "SELECT count(*) FROM public_tickets").await;
    let tickets = "/api/v1/centres/centre-a/tickets";
    let valid = serde_json::json!({"as_of": t0, "tickets": {KEYS[1]: null}});
    let cases = [
        (TOKEN_B, valid.clone(), 403),
        ("no-such-token-000000000", valid.clone(), 401),
        (TOKEN_A, serde_json::json!({"as_of": t0, "tickets": {"../../x": null}}), 400),
        (TOKEN_A, serde_json::json!({"as_of": t0, "tickets": {}, "extra": 1}), 400),
        (TOKEN_A, serde_json::json!({"as_of": "yesterday", "tickets": {}}), 400),
    ];
    for (token, body, status) in cases {
        let r = hub.http.put(hub.url(tickets)).bearer_auth(token).json(&body).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{body}");
    }
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM public_tickets").await, before, "nothing kept");
    assert_eq!(count(&pg.url(), "SELECT board_version FROM centres WHERE id = 'centre-a'").await, 1);

    // The next day (by the hub's clock in the province), yesterday's ticket finds nothing.
    hub.clock.advance(Duration::days(1));
    assert!(not_found(phone.province_ticket(CENTRE_A, KEYS[0]).await));
    hub.stop().await;
}

/// Proves the page on the hub is the centre's page: the number, the service in the language
/// asked, the centre's name, the hub's address for the live view, and the headers that keep the
/// key private.
#[tokio::test]
async fn the_page_is_the_centres_page_from_the_hub() {
    let (_pg, hub) = Hub::fresh().await;
    let t0 = wednesday_10am();
    let mut centre = Centre::new(&hub);
    centre.run(Command::Issue { service: "land".into(), priority: None, key: Some(KEYS[0].into()) }, t0);
    centre.push(t0).await;
    let r = hub.http.get(hub.url(&format!("/t/{CENTRE_A}/{}?lang=vi", KEYS[0]))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let html = r.text().await.unwrap();
    assert!(html.contains("B001") && html.contains("Đất đai") && html.contains("Một cửa A"), "{html}");
    assert!(html.contains(&format!("/api/v1/public/centres/{CENTRE_A}/tickets/{}", KEYS[0])));
    assert!(html.len() < 50_000);
    hub.stop().await;
}

/// Proves a page keeps following when the hub's listening connection to PostgreSQL is cut (a
/// database restart, a proxy timing out): the hub connects again, loads the copies whole, and
/// the change pushed meanwhile reaches the phone.
#[tokio::test]
async fn a_lost_listening_connection_is_made_again_and_nothing_is_missed() {
    let (pg, hub) = Hub::fresh().await;
    let t0 = wednesday_10am();
    let mut centre = Centre::new(&hub);
    for key in &KEYS[..2] {
        centre.run(Command::Issue { service: "civil".into(), priority: None, key: Some((*key).into()) }, t0);
    }
    centre.push(t0).await;
    let phone = Client::builder(&hub.url).build().unwrap();
    let mut follow = phone.follow_province_ticket(CENTRE_A, KEYS[1]).await.unwrap();
    next_update(&mut follow, "the first view").await;

    let cut =
        count(&pg.url(), "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %') AS t")
            .await;
    assert_eq!(cut, 1, "one listening connection");
    let t1 = t0 + Duration::minutes(2);
    centre.run(Command::CallNext { counter: "2".into() }, t1);
    centre.push(t1).await;
    let moved = view(next_update(&mut follow, "the call pushed while the hub was not listening").await);
    assert_eq!(moved.waiting_ahead, Some(0));
    hub.stop().await;
}
