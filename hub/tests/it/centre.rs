//! Against a real centre: the queue authority in this process issues, calls, serves and marks
//! absent over its API; its own `/api/v1/reports` is read; its stored event log (as the uplink
//! sends it) is pushed to the hub; the hub's figures must equal the centre's, figure by figure.
use crate::support::*;
use crate::tickets::*;
use shared::client::CounterAction;
use shared::report::Report;
use testkit::{TestServer, ADMIN, COUNTER, KIOSK};

/// Proves the hub's figures for a centre equal that centre's own report over the same day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_equals_the_centres_own_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    let centre = TestServer::start(&db).await;
    let kiosk = centre.client(KIOSK);
    let counter = centre.client(COUNTER);
    let step = |s: i64| centre.clock.advance(chrono::Duration::seconds(s));
    for i in 0..12 {
        kiosk.issue(if i % 3 == 0 { "land" } else { "civil" }, None).await.unwrap();
        step(40 + 7 * i);
    }
    for round in 0..5i64 {
        for c in ["1", "2"] {
            counter.call_next(c).await.unwrap();
            step(90 + 31 * round);
            let action = if round == 2 && c == "2" { CounterAction::NoShow } else { CounterAction::Finish };
            counter.counter_action(c, action).await.unwrap();
            step(20);
        }
    }
    let day = date(23);
    let own: Report = centre
        .http()
        .get(centre.api(&format!("/reports?from={day}&to={day}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    centre.stop().await;
    let store = shared::store::Store::open(&db).unwrap();
    let events: Vec<_> = store.events_after(0, 100_000).unwrap().iter().map(shared::province::outward).collect();
    assert!(own.total.served > 0 && own.total.no_show > 0, "a day with visits: {:?}", own.total);

    let (_pg, hub) = Hub::fresh().await;
    for chunk in events.chunks(5) {
        hub.push_ok(CENTRE_A, TOKEN_A, chunk).await;
    }
    let r = hub.report(day, day).await;
    assert_same(&of(&r, CENTRE_A).figures, &own.total);
    assert_same(&r.total, &own.total);
}
