//! The uplink to the province hub, against a stand-in hub (`hub.rs`) that can fail on demand:
//! every event arrives once and in order whatever the hub does, no staff name leaves, the
//! backlog survives restarts and pruning, the state tells an operator how it goes, the
//! province's catalogue is taken once per version, and a failing hub is not hammered.
mod catalogue;
mod hub;
mod hub_client;

use hub::{Hub, Mode};
use serde_json::{json, Value};
use shared::config::Config;
use shared::event::Event;
use shared::wire::UplinkView;
use std::path::Path;
use std::time::Duration;
use testkit::{wait_until, TestServer, ADMIN, KIOSK};

/// The in-process centre reporting to `hub`, with `extra` `[uplink]` keys.
fn centre(db: &Path, hub: &Hub, extra: &str) -> Config {
    testkit::config::in_process(db).raw(&hub.uplink(extra)).config()
}

async fn issue(s: &TestServer, n: usize) {
    for _ in 0..n {
        let r = s.http().post(s.api("/tickets")).bearer_auth(KIOSK).json(&json!({"service": "civil"})).send().await.unwrap();
        assert_eq!(r.status(), 201);
    }
}

async fn uplink(s: &TestServer) -> (UplinkView, u64) {
    let v: Value = s.http().get(s.api("/state")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    let view = serde_json::from_value(v["uplink"].clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
    (view, v["last_event_id"].as_u64().unwrap())
}

/// Waits until the hub acknowledged every event the centre has.
async fn caught_up(s: &TestServer) -> u64 {
    testkit::wait::until_some(20, "the hub acknowledges every event", || async {
        let (u, last) = uplink(s).await;
        (u.backlog == 0 && u.acked == last).then_some(last)
    })
    .await
}

/// The centre's own log, read from its store once the server is stopped.
fn local_events(db: &Path) -> Vec<Event> {
    shared::store::Store::open(db).unwrap().events_after(0, 100_000).unwrap()
}

/// The hub holds exactly the centre's events 1..=last, each as `outward` makes it, and every
/// push arrived in ascending order.
fn assert_hub_holds_the_log(hub: &Hub, db: &Path) {
    let local = local_events(db);
    let held = hub.with(|h| h.events.clone());
    assert_eq!(held.keys().copied().collect::<Vec<_>>(), local.iter().map(|e| e.id).collect::<Vec<_>>(), "every id, none twice");
    for e in &local {
        assert_eq!(held[&e.id], serde_json::to_value(shared::province::outward(e)).unwrap(), "event {}", e.id);
    }
    // Ids arrive ascending but where the centre went back to resend (after a failure or a
    // hub that lost events): never a gap ahead of what the hub held.
    let arrivals = hub.with(|h| h.arrivals.clone());
    let mut high = 0;
    for id in arrivals {
        assert!(id <= high + 1, "id {id} sent while the hub held only up to {high}");
        high = high.max(id);
    }
}

#[tokio::test]
async fn every_event_arrives_once_in_order_through_a_down_hub_and_cut_connections() {
    // Proves the uplink loses nothing and skips nothing when the hub's database is down for a
    // while (503), when the connection is cut during a push the hub did not store (the centre
    // must send it again), and when it is cut after the hub stored it (the centre cannot know:
    // the hub's cursor tells it). Also that the state shows the backlog and the last error.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    hub.set(Mode::Down);
    let s = TestServer::start_at(centre(&db, &hub, "catalogue = false"), testkit::monday_9am()).await;
    issue(&s, 5).await;
    wait_until(10, "the state says the hub is down", || async {
        let (u, last) = uplink(&s).await;
        u.backlog == last && u.acked == 0 && u.last_error.as_deref().is_some_and(|e| e.contains("503")) && u.last_error_at.is_some()
    })
    .await;
    assert_eq!(uplink(&s).await.0.hub, hub.url);

    hub.set(Mode::CutBeforeStoring);
    let first = caught_up(&s).await;
    assert_eq!(hub.with(|h| h.cuts), 1, "the push was cut once, then sent again");
    assert!(uplink(&s).await.0.last_ack_at.is_some());

    hub.set(Mode::CutAfterStoring);
    issue(&s, 3).await;
    let last = caught_up(&s).await;
    assert!(last > first);
    assert_eq!(hub.with(|h| h.cuts), 2);
    s.stop().await;
    assert_hub_holds_the_log(&hub, &db);
}

#[tokio::test]
async fn a_restarted_centre_resumes_its_backlog_after_the_stored_cursor() {
    // Proves the acknowledged id is kept in the store: after a restart with a backlog (hub
    // down), the centre knows what the hub has, sends only the rest once it is back, and
    // nothing is sent twice.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    let config = centre(&db, &hub, "catalogue = false");
    let s = TestServer::start_at(config.clone(), testkit::monday_9am()).await;
    issue(&s, 4).await;
    let first = caught_up(&s).await;
    hub.set(Mode::Down);
    issue(&s, 4).await;
    s.stop().await;

    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    wait_until(10, "the cursor and the backlog outlive the restart", || async {
        let (u, last) = uplink(&s).await;
        u.acked == first && u.backlog == last - first && last > first
    })
    .await;
    issue(&s, 2).await;
    hub.set(Mode::Up);
    caught_up(&s).await;
    s.stop().await;
    assert_hub_holds_the_log(&hub, &db);
    let arrivals = hub.with(|h| h.arrivals.clone());
    assert_eq!(arrivals.len(), arrivals.iter().collect::<std::collections::BTreeSet<_>>().len(), "nothing sent twice: {arrivals:?}");
}

#[tokio::test]
async fn a_hub_restored_from_an_older_backup_is_sent_its_gap_again() {
    // Proves the hub's cursor is the truth: a hub that lost the last events it had acknowledged
    // (its database restored from a backup) gets them again from the centre.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    let config = centre(&db, &hub, "catalogue = false");
    let s = TestServer::start_at(config.clone(), testkit::monday_9am()).await;
    issue(&s, 6).await;
    let last = caught_up(&s).await;
    s.stop().await;
    hub.with(|h| h.events.retain(|id, _| *id <= 3));

    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    wait_until(20, "the hub holds every event again", || async { hub.ids().len() as u64 == last }).await;
    caught_up(&s).await;
    s.stop().await;
    assert_hub_holds_the_log(&hub, &db);
}

#[tokio::test]
async fn a_centre_restored_from_an_older_copy_gets_its_new_events_to_the_hub() {
    // Proves the day after a restore reaches the province: the store put back to an older copy
    // numbers its new events above every id the hub already holds from before (the hub stores
    // by id and would drop events with those ids as repeats), and the uplink does not call a
    // hub that holds the lost events "ahead of the centre's log".
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    let config = centre(&db, &hub, "catalogue = false");
    let s = TestServer::start_at(config.clone(), testkit::monday_9am()).await;
    issue(&s, 2).await;
    caught_up(&s).await;
    s.stop().await;
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).unwrap();
    let s = TestServer::start_at(config.clone(), testkit::monday_9am()).await;
    issue(&s, 3).await;
    let lost = caught_up(&s).await;
    s.stop().await;
    let restored = shared::store::Store::restore(&backup, &db).unwrap();
    assert_eq!(restored.floor, lost);
    assert!(restored.last_id < lost);

    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    issue(&s, 3).await;
    let last = caught_up(&s).await;
    assert_eq!(last, lost + 3, "numbered on from the hub's last id");
    let (u, _) = uplink(&s).await;
    assert_eq!(u.last_error, None, "a hub holding the lost events is not ahead: {u:?}");
    s.stop().await;
    // Every event of the restored log is the one the hub holds under its id: none was taken
    // for a repeat of a lost one.
    let held = hub.with(|h| h.events.clone());
    let local = local_events(&db);
    assert!(local.iter().any(|e| e.id > lost));
    for e in &local {
        assert_eq!(held.get(&e.id), Some(&serde_json::to_value(shared::province::outward(e)).unwrap()), "event {}", e.id);
    }
    assert_eq!(held.keys().copied().collect::<Vec<_>>(), (1..=last).collect::<Vec<_>>(), "the hub keeps the lost events too");
}

#[tokio::test]
async fn no_staff_login_or_name_reaches_the_hub() {
    // Proves `outward` is on the way out: a counter staffed by a signed-in clerk who calls and
    // finishes a ticket leaves the centre without the clerk's login or name.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    let s = TestServer::start_at(centre(&db, &hub, "catalogue = false"), testkit::monday_9am()).await;
    testkit::browser::create_account(&s, "lan", "staff", &["1"]).await;
    let mut b = testkit::browser::Browser::new(&s);
    assert_eq!(b.sign_in("lan", testkit::browser::PASSWORD).await.0, 200);
    assert_eq!(b.post("/counters/1/staff", json!({})).await.0, 200);
    issue(&s, 1).await;
    assert_eq!(b.post("/counters/1/call-next", json!({})).await.0, 200);
    assert_eq!(b.post("/counters/1/finish", json!({})).await.0, 200);
    caught_up(&s).await;
    s.stop().await;
    let local = serde_json::to_string(&local_events(&db)).unwrap();
    assert!(local.contains("Cán bộ lan") && local.contains("\"lan\""), "the centre keeps its own record: {local}");
    let sent = serde_json::to_string(&hub.with(|h| h.events.clone())).unwrap();
    assert!(sent.contains("counter_staffed") && sent.contains("ticket_finished"), "{sent}");
    assert!(!sent.contains("lan"), "{sent}");
    assert_hub_holds_the_log(&hub, &db);
}

#[tokio::test]
async fn pruning_keeps_what_the_hub_lacks_and_drops_it_past_the_limit_saying_so() {
    // Proves a hub that refuses the centre for days costs no ticket while keep_unsent_days
    // lasts (the day's pruning, keep_days = 1, would otherwise take it), and that past it the
    // events go with an audit line and a count in the state. Then the rest still reaches the hub.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let hub = Hub::start().await;
    hub.set(Mode::Unauthorized);
    let mut config = centre(&db, &hub, "catalogue = false\nkeep_unsent_days = 3");
    config.store.keep_days = 1;
    let s = TestServer::start_at(config, testkit::monday_9am()).await;
    issue(&s, 3).await;
    let day_one = uplink(&s).await.1;
    let turn_day = |n: i64| {
        let s = &s;
        async move {
            s.clock.advance(chrono::Duration::days(1));
            let want = (testkit::monday_9am() + chrono::Duration::days(n)).date_naive();
            wait_until(10, "the day turns", || async {
                let v: Value = s.http().get(s.api("/state")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
                v["day"].as_str() == Some(&want.to_string())
            })
            .await;
        }
    };
    for n in 1..=3 {
        turn_day(n).await;
    }
    let (u, _) = uplink(&s).await;
    assert_eq!(u.dropped, 0, "three days on, nothing is dropped");
    assert!(u.last_error.as_deref().is_some_and(|e| e.contains("401")), "{u:?}");
    turn_day(4).await;
    wait_until(10, "the state counts the dropped events", || async { uplink(&s).await.0.dropped == day_one }).await;
    let audit: Value = s.http().get(s.api("/admin/audit")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    let line = audit.as_array().unwrap().iter().find(|l| l["action"] == "uplink_events_dropped").expect("an audit line");
    assert!(line["detail"].as_str().unwrap().contains(&format!("{day_one} events")), "{line}");
    s.stop().await;
    let kept = local_events(&db);
    assert_eq!(kept.first().map(|e| e.id), Some(day_one + 1), "the days after the limit are all kept");
}

#[tokio::test]
async fn a_failing_hub_is_not_hammered() {
    // Proves the backoff: a hub down for 3.5 s sees at most 4 requests (1 s, 2 s... with a fifth
    // of jitter), and a hub that refuses the centre's token sees one, then none for minutes.
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start().await;
    hub.set(Mode::Down);
    let s = TestServer::start_at(centre(&dir.path().join("q.db"), &hub, "catalogue = false"), testkit::monday_9am()).await;
    issue(&s, 2).await;
    let window = tokio::time::Instant::now();
    wait_until(5, "a first try", || async { hub.with(|h| h.requests) >= 1 }).await;
    tokio::time::sleep_until(window + Duration::from_millis(3500)).await;
    let down = hub.with(|h| h.requests);
    assert!((2..=4).contains(&down), "{down} requests in 3.5 s to a hub that is down");
    s.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start().await;
    hub.set(Mode::Unauthorized);
    let s = TestServer::start_at(centre(&dir.path().join("q.db"), &hub, "catalogue = false"), testkit::monday_9am()).await;
    wait_until(5, "the refusal is in the state", || async {
        uplink(&s).await.0.last_error.as_deref().is_some_and(|e| e.contains("unauthorized") && e.contains("401"))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hub.with(|h| h.requests), 1, "a refused token is not tried again at once");
    s.stop().await;
}

#[tokio::test]
async fn a_hub_ahead_of_the_centres_log_is_said_loudly() {
    // Proves a centre whose store went back (restored from an older copy, or another centre's
    // id configured) does not silently feed the hub ids it will take for repeats: the state
    // says what is wrong.
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start().await;
    hub.with(|h| {
        h.events.insert(100, json!({"id": 100}));
    });
    let s = TestServer::start_at(centre(&dir.path().join("q.db"), &hub, "catalogue = false"), testkit::monday_9am()).await;
    wait_until(10, "the state says the hub is ahead", || async {
        uplink(&s).await.0.last_error.as_deref().is_some_and(|e| e.contains("up to id 100") && e.contains("restored from an older copy"))
    })
    .await;
    s.stop().await;
}
