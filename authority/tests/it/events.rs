//! The event stream: every event once, in order, across disconnections.
use shared::client::StreamItem;
use shared::event::{Event, EventBody};
use std::time::Duration;
use testkit::*;

async fn next_event(stream: &mut shared::client::EventStream) -> Event {
    match tokio::time::timeout(Duration::from_secs(5), stream.next()).await {
        Ok(Some(Ok(StreamItem::Event(e)))) => e,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn number(e: &Event) -> Option<&str> {
    match &e.body {
        EventBody::TicketIssued { number, .. } | EventBody::TicketCalled { number, .. } => Some(number),
        _ => None,
    }
}

#[tokio::test]
async fn a_client_that_reconnects_with_last_event_id_misses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    let display = s.client(DISPLAY);
    let mut stream = display.events(Some(0)).await.unwrap();
    kiosk.issue("civil", None).await.unwrap();
    let day = next_event(&mut stream).await;
    assert_eq!(day.body, EventBody::DayStarted);
    let first = next_event(&mut stream).await;
    assert_eq!(number(&first), Some("A001"));
    drop(stream); // the link drops
                  // Calls happen while the display is away.
    for _ in 0..5 {
        kiosk.issue("civil", None).await.unwrap();
    }
    s.client(COUNTER).call_next("1").await.unwrap();
    let mut stream = display.events(Some(first.id)).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push(next_event(&mut stream).await);
    }
    // Live events keep coming on the resumed stream, after the missed ones.
    kiosk.issue("civil", None).await.unwrap();
    seen.push(next_event(&mut stream).await);
    let ids: Vec<u64> = seen.iter().map(|e| e.id).collect();
    assert_eq!(ids, ((first.id + 1)..=(first.id + 7)).collect::<Vec<_>>(), "each event once, in order");
    let numbers: Vec<_> = seen.iter().filter_map(number).collect();
    assert_eq!(numbers, ["A002", "A003", "A004", "A005", "A006", "A001", "A007"]);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_follower_under_load_sees_every_event_exactly_once() {
    // Issues from several clients while a display follows: the live path and the catch-up path
    // must join without a gap or a repeat even when events pour in.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let mut stream = s.client(DISPLAY).events(Some(0)).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let k = s.client(KIOSK);
        tasks.push(tokio::spawn(async move {
            for _ in 0..50 {
                k.issue("civil", None).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut ids = Vec::new();
    for _ in 0..401 {
        ids.push(next_event(&mut stream).await.id);
    }
    assert_eq!(ids, (1..=401).collect::<Vec<_>>());
    s.stop().await;
}

#[tokio::test]
async fn a_client_from_an_unknown_future_is_told_to_resync() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    s.client(KIOSK).issue("civil", None).await.unwrap();
    let mut stream = s.client(DISPLAY).events(Some(9_999)).await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(first, StreamItem::Resync, "a store that was replaced must not leave a board frozen");
    s.client(KIOSK).issue("civil", None).await.unwrap();
    assert_eq!(number(&next_event(&mut stream).await), Some("A002"), "then live events follow");
    s.stop().await;
}

#[tokio::test]
async fn shutdown_ends_open_streams() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let mut stream = s.client(DISPLAY).events(None).await.unwrap();
    s.stop().await; // would hang if the open stream kept the server alive
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap();
    assert!(matches!(end, None | Some(Err(_))), "{end:?}");
}

#[tokio::test]
async fn a_client_resuming_from_an_id_lost_with_a_restore_is_told_to_resync() {
    // Proves a board that saw events a restore took away (the store put back to an older copy)
    // is not left showing them: its Last-Event-ID is in the gap the restore leaves (an id the
    // log no longer has, below the next id), or is the replaced store's last id (above the
    // log's last event, but not above the ids used), and either way it is told to fetch the
    // state again. A client at the copy's last event, or following on from the state, is not
    // (a resync there would send it round in a loop), and all of them get the new events.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let s = TestServer::start(&db).await;
    s.client(KIOSK).issue("civil", None).await.unwrap(); // 1 the day, 2 A001
    s.stop().await;
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).unwrap();
    let s = TestServer::start(&db).await;
    for _ in 0..3 {
        s.client(KIOSK).issue("civil", None).await.unwrap(); // 3, 4, 5: lost below
    }
    s.stop().await;
    let restored = shared::store::Store::restore(&backup, &db).unwrap();
    assert_eq!((restored.last_id, restored.floor), (2, 5));

    let s = TestServer::start(&db).await;
    let display = s.client(DISPLAY);
    let state = display.state().await.unwrap();
    assert_eq!(state.last_event_id, 2, "the state is the copy's");
    let mut in_gap = display.events(Some(4)).await.unwrap();
    let mut at_old_end = display.events(Some(5)).await.unwrap();
    let mut at_copy_end = display.events(Some(2)).await.unwrap();
    let mut from_state = display.events(Some(state.last_event_id)).await.unwrap();
    s.client(KIOSK).issue("civil", None).await.unwrap();
    for (name, stream) in [("in the gap", &mut in_gap), ("at the replaced store's end", &mut at_old_end)] {
        let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
        assert_eq!(first, StreamItem::Resync, "a client {name}");
        assert_eq!(next_event(stream).await.id, 6, "a client {name}: then the new event, numbered above the lost ones");
    }
    for (name, stream) in [("at the copy's end", &mut at_copy_end), ("following the state", &mut from_state)] {
        assert_eq!(next_event(stream).await.id, 6, "a client {name} goes on without a resync");
    }
    s.stop().await;
}
