//! A ticket by its public key (the QR code's): the JSON view, the live stream, the phone page.
use authority::clock::Clock;
use chrono::Duration as Days;
use shared::client::{ClientError, TicketUpdate};
use shared::wire::{is_public_key, ErrorCode, PublicStatus, PublicTicket};
use std::time::Duration;
use testkit::*;

async fn next_update(f: &mut shared::client::TicketFollow) -> TicketUpdate {
    match tokio::time::timeout(Duration::from_secs(5), f.next()).await {
        Ok(Some(Ok(u))) => u,
        other => panic!("expected an update, got {other:?}"),
    }
}

fn ticket(u: TicketUpdate) -> PublicTicket {
    match u {
        TicketUpdate::Ticket(t) => t,
        TicketUpdate::Gone => panic!("the ticket is gone"),
    }
}

/// Proves each issued ticket gets its own well-formed key, that the key opens that ticket
/// alone with the figures the phone shows, and that the state every device reads carries no key.
#[tokio::test]
async fn each_ticket_has_a_key_that_opens_that_ticket_alone() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    let mut keys = Vec::new();
    let mut estimates = Vec::new();
    for _ in 0..3 {
        let t = kiosk.issue("civil", None).await.unwrap();
        let key = t.key.clone().expect("the issue answer carries the key");
        assert!(is_public_key(&key), "{key}");
        keys.push(key);
        estimates.push(t.estimated_wait_s);
    }
    keys.dedup();
    assert_eq!(keys.len(), 3, "keys are distinct");
    let public = s.client("");
    for (i, key) in keys.iter().enumerate() {
        let v = public.public_ticket(key).await.unwrap();
        assert_eq!(v.number, format!("A00{}", i + 1));
        assert_eq!((v.status, v.waiting_ahead, v.service_name.as_str()), (PublicStatus::Waiting, Some(i as u32), "Hộ tịch"));
        assert_eq!(v.estimated_wait_s, estimates[i], "the estimate printed on the ticket");
    }
    let state = s.http().get(s.api("/state")).bearer_auth(DISPLAY).send().await.unwrap().text().await.unwrap();
    assert!(keys.iter().all(|k| !state.contains(k.as_str())), "the state shows no key");

    s.client(COUNTER).call_next("2").await.unwrap();
    let called = public.public_ticket(&keys[0]).await.unwrap();
    assert_eq!((called.status, called.counter.as_deref(), called.counter_number), (PublicStatus::Called, Some("Quầy 2"), Some(2)));
    assert_eq!(public.public_ticket(&keys[1]).await.unwrap().waiting_ahead, Some(0));
    s.client(COUNTER).counter_action("2", shared::client::CounterAction::NoShow).await.unwrap();
    let missed = public.public_ticket(&keys[0]).await.unwrap();
    assert_eq!(missed.status, PublicStatus::NoShow);
    assert_eq!(missed.back_by, Some(s.clock.now() + Days::minutes(10)), "the grace period of the config");
    assert_eq!(missed.counter, None, "a missed ticket is at no counter");
    s.stop().await;
}

/// Proves a malformed key, a key never issued and yesterday's key get the same answer, byte
/// for byte: nothing to learn about other keys from the refusals.
#[tokio::test]
async fn every_key_that_finds_nothing_gets_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let yesterday = s.client(KIOSK).issue("civil", None).await.unwrap().key.unwrap();
    s.clock.advance(Days::hours(24));
    s.client(KIOSK).issue("civil", None).await.unwrap();
    let http = s.http();
    let mut answers = Vec::new();
    for key in [yesterday.as_str(), "AAAAAAAAAAAAAAAA", "short", "..%2F..%2Fetc", &"x".repeat(4000)] {
        let res = http.get(s.api(&format!("/public/tickets/{key}"))).send().await.unwrap();
        answers.push((res.status().as_u16(), res.text().await.unwrap()));
        let err = s.client("").public_ticket(key).await.unwrap_err();
        assert!(matches!(&err, ClientError::Api { code: ErrorCode::TicketNotFound, .. }), "{err:?}");
        let page = http.get(format!("{}/t/{key}", s.url)).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 404, "the page for {key:.20}");
        assert!(page.text().await.unwrap().contains("Không tìm thấy lượt này"));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    s.stop().await;
}

/// Proves a retried issue (the same Idempotency-Key after a lost answer) gets the same ticket
/// with the same key, and that keys come back with the log after a restart. The ticket is the
/// day's first: its request's key used to be forgotten by the day's own turn and the retry
/// issued a second number.
#[tokio::test]
async fn the_days_first_issue_retried_and_a_restart_keep_the_ticket_and_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start(&db).await;
    let send = || {
        s.http()
            .post(s.api("/tickets"))
            .bearer_auth(KIOSK)
            .header("idempotency-key", "retry-of-one-press")
            .json(&serde_json::json!({"service": "civil"}))
            .send()
    };
    let first: shared::wire::TicketView = send().await.unwrap().json().await.unwrap();
    let again: shared::wire::TicketView = send().await.unwrap().json().await.unwrap();
    assert_eq!((first.id, &first.key), (again.id, &again.key));
    let key = first.key.unwrap();
    let at = s.clock.now();
    s.stop().await;
    let s = TestServer::start_at(config::in_process(&db).config(), at).await;
    assert_eq!(s.client("").public_ticket(&key).await.unwrap().number, "A001");
    s.stop().await;
}

/// Proves the live stream: the first view at once, a new view for each change that concerns the
/// ticket (not for changes that do not), and `gone` when the day turns.
#[tokio::test]
async fn a_follower_sees_each_change_of_its_ticket_then_the_day_end() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    let key = kiosk.issue("civil", None).await.unwrap().key.unwrap();
    let mut f = s.client("").follow_ticket(&key).await.unwrap();
    assert_eq!(ticket(next_update(&mut f).await).waiting_ahead, Some(1));
    // A ticket behind ours changes nothing the phone shows: no message. The call does.
    kiosk.issue("civil", None).await.unwrap();
    s.client(COUNTER).call_next("1").await.unwrap();
    let v = ticket(next_update(&mut f).await);
    assert_eq!((v.status, v.waiting_ahead), (PublicStatus::Waiting, Some(0)), "{v:?}");
    s.client(COUNTER).call_next("1").await.unwrap();
    let v = ticket(next_update(&mut f).await);
    assert_eq!((v.status, v.counter.as_deref()), (PublicStatus::Called, Some("Quầy 1")));
    s.client(COUNTER).counter_action("1", shared::client::CounterAction::Finish).await.unwrap();
    assert_eq!(ticket(next_update(&mut f).await).status, PublicStatus::Served);
    // The next service day: the owner's tick turns it and the page expires.
    s.clock.advance(Days::hours(24));
    assert_eq!(next_update(&mut f).await, TicketUpdate::Gone);
    assert!(tokio::time::timeout(Duration::from_secs(5), f.next()).await.unwrap().is_none(), "the stream closes");
    s.stop().await;
}

/// Proves the phone page: the ticket's number and service at first paint, in Vietnamese or
/// English, with the headers that keep the key private and the page uncached.
#[tokio::test]
async fn the_phone_page_shows_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let key = s.client(KIOSK).issue("civil", None).await.unwrap().key.unwrap();
    let res = s.http().get(format!("{}/t/{key}", s.url)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let html = res.text().await.unwrap();
    assert!(html.len() < 50 * 1024, "{} bytes", html.len());
    assert!(html.contains(">A001<") && html.contains("Hộ tịch") && html.contains("Số thứ tự của bạn"));
    assert!(html.contains(&format!("/api/v1/public/tickets/{key}")), "the page follows its own ticket");
    let en = s.http().get(format!("{}/t/{key}", s.url)).header("accept-language", "en-US,en").send().await.unwrap();
    assert!(en.text().await.unwrap().contains("Your number"));
    s.stop().await;
}
