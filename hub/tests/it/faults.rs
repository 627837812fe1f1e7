//! Faults: PostgreSQL killed under pushes, two hubs over one database, a hub killed while a
//! push is in flight. After each, the centre resends from the cursor and counts are exact.
use crate::support::*;
use crate::tickets::*;
use serde_json::Value;
use shared::event::Event;

async fn cursor(hub: &Hub, centre: &str, token: &str) -> u64 {
    let r = hub.http.get(hub.url(&format!("/api/v1/centres/{centre}/cursor"))).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["acked"].as_u64().unwrap()
}

/// What a centre's uplink does: from the hub's cursor on, in batches of `size`.
async fn resend_from_cursor(hub: &Hub, centre: &str, token: &str, events: &[Event], size: usize) {
    let acked = cursor(hub, centre, token).await;
    let rest: Vec<Event> = events.iter().filter(|e| e.id > acked).cloned().collect();
    for chunk in rest.chunks(size) {
        hub.push_ok(centre, token, chunk).await;
    }
}

/// Proves PostgreSQL dying under a stream of pushes makes them fail with 5xx (healthz 503), that
/// what was stored is whole batches only (events 1..=acked, nothing more), and that after it
/// restarts the pool reconnects and a resend from the cursor gives exact counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_mid_ingest() {
    let (pg, hub) = Hub::fresh().await;
    let a = days_of_tickets(2, 60, 10, chrono::Duration::zero());
    let pg = std::sync::Arc::new(pg);
    let chunks: Vec<&[Event]> = a.chunks(7).collect();
    let (first, rest) = chunks.split_at(chunks.len() / 3);
    for chunk in first {
        hub.push_ok(CENTRE_A, TOKEN_A, chunk).await;
    }
    // The server dies while the rest is being pushed.
    let killer = {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.kill())
    };
    for chunk in rest {
        let (status, body) = hub.push(CENTRE_A, TOKEN_A, chunk).await;
        assert!(status == 200 || status >= 500, "{status} {body}");
    }
    killer.await.unwrap();
    let (status, body) = hub.push(CENTRE_A, TOKEN_A, rest[rest.len() - 1]).await;
    assert_eq!((status, body["error"].as_str()), (503, Some("database_unavailable")), "{body}");
    assert_eq!(hub.http.get(hub.url("/healthz")).send().await.unwrap().status(), 503);
    let pg2 = pg.clone();
    tokio::task::spawn_blocking(move || pg2.start_again()).await.unwrap();
    let health = hub.url("/healthz");
    testkit::wait_until(30, "the hub reconnects", || {
        let (http, health) = (hub.http.clone(), health.clone());
        async move { http.get(&health).send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    let acked = cursor(&hub, CENTRE_A, TOKEN_A).await;
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, acked as i64, "only whole batches stored");
    assert_eq!(count(&pg.url(), "SELECT coalesce(max(id), 0) FROM events").await, acked as i64);
    resend_from_cursor(&hub, CENTRE_A, TOKEN_A, &a, 7).await;
    let r = hub.report(date(23), date(24)).await;
    assert_same(&of(&r, CENTRE_A).figures, &centre_total(&a, date(23), date(24)));
}

/// Proves two hub processes over one database, receiving one centre's batches alternately and
/// the same batch at the same time, count exactly, and agree on acked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_over_one_database_count_exactly() {
    let (pg, one) = Hub::fresh().await;
    let two = Hub::start(&pg.url(), one.clock.clone()).await;
    let a = days_of_tickets(2, 50, 11, chrono::Duration::zero());
    for (i, chunk) in a.chunks(23).enumerate() {
        if i % 3 == 2 {
            // The same batch to both at once (a retry racing the first attempt).
            let (x, y) = tokio::join!(one.push_ok(CENTRE_A, TOKEN_A, chunk), two.push_ok(CENTRE_A, TOKEN_A, chunk));
            assert_eq!(x, y);
        } else if i % 2 == 0 {
            one.push_ok(CENTRE_A, TOKEN_A, chunk).await;
        } else {
            two.push_ok(CENTRE_A, TOKEN_A, chunk).await;
        }
    }
    let (r1, r2) = (one.report(date(23), date(24)).await, two.report(date(23), date(24)).await);
    assert_eq!(r1, r2);
    assert_same(&of(&r1, CENTRE_A).figures, &centre_total(&a, date(23), date(24)));
    assert_eq!(of(&r1, CENTRE_A).acked, a.last().unwrap().id);
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, a.len() as i64);
}

/// Proves a hub process killed (SIGKILL) while a push is inside its transaction stores nothing
/// of it, and that the centre, resending from the cursor to a new process, gets exact counts.
/// The push is held in flight by the test holding the centre's row lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_killed_mid_batch() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = serve_binary(dir.path(), &pg.url()).await;
    let http = reqwest::Client::new();
    let a = days_of_tickets(1, 40, 12, chrono::Duration::zero());
    let (first, rest) = a.split_at(a.len() / 3);
    let push = |events: Vec<Event>| {
        let (http, url) = (http.clone(), format!("{base}/api/v1/centres/{CENTRE_A}/events"));
        async move { http.post(url).bearer_auth(TOKEN_A).json(&serde_json::json!({ "events": events })).send().await }
    };
    assert_eq!(push(first.to_vec()).await.unwrap().status(), 200);

    // Hold the centre's row: the next push waits inside its transaction.
    let mut holder = hub::db::connect(&config(&pg.url()).database).await.unwrap();
    let tx = holder.transaction().await.unwrap();
    tx.execute("SELECT 1 FROM centres WHERE id = $1 FOR UPDATE", &[&CENTRE_A]).await.unwrap();
    let in_flight = tokio::spawn(push(rest.to_vec()));
    let url = pg.url();
    testkit::wait_until(30, "the push waits on the centre's row", || {
        let url = url.clone();
        async move {
            count(&url, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT acked FROM centres%'")
                .await
                == 1
        }
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    tx.rollback().await.unwrap();
    assert!(in_flight.await.unwrap().is_err(), "the killed hub answered");
    // The dead hub's transaction is rolled back when PostgreSQL finds its client gone.
    testkit::wait_until(30, "the dead hub's session ends", || {
        let url = url.clone();
        async move { count(&url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT acked FROM centres%'").await == 0 }
    })
    .await;
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM events").await, first.len() as i64, "nothing of the killed push");

    let hub = Hub::start(&pg.url(), TestClock::new(wednesday_10am())).await;
    resend_from_cursor(&hub, CENTRE_A, TOKEN_A, &a, 9).await;
    let r = hub.report(date(23), date(23)).await;
    assert_same(&of(&r, CENTRE_A).figures, &centre_total(&a, date(23), date(23)));
    assert_eq!(of(&r, CENTRE_A).acked, a.last().unwrap().id);
}
