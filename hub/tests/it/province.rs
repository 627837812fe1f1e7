//! Many centres at once: a province's centres pushing concurrently to two hub processes.
use crate::support::*;
use crate::tickets::*;
use shared::event::Event;

/// Proves 40 centres pushing at the same time, each alternating between two hub processes over
/// one database, are each counted exactly, and the province total folds all their tickets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_centres_pushing_at_once() {
    const N: usize = 40;
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    // Every centre here pushes from 127.0.0.1, where in the field each has its own address: the
    // per-address cap (32) would refuse some of the 40 at once (a reset seen under load).
    let text = config_text(&pg.url()).replace("[server]\n", "[server]\nmax_connections_per_address = 64\n") + &more_centres(N);
    let config = || hub::HubConfig::parse(&text).unwrap();
    let clock = TestClock::new(wednesday_10am());
    let one = std::sync::Arc::new(Hub::start_with(config(), clock.clone(), reqwest::Client::new()).await);
    let two = std::sync::Arc::new(Hub::start_with(config(), clock, reqwest::Client::new()).await);
    let logs: Vec<Vec<Event>> = (0..N).map(|i| days_of_tickets(2, 12 + (i as u32 % 7), 100 + i as u64, chrono::Duration::zero())).collect();
    let mut tasks = Vec::new();
    for (i, log) in logs.iter().cloned().enumerate() {
        let (one, two) = (one.clone(), two.clone());
        tasks.push(tokio::spawn(async move {
            let (id, token) = (format!("centre-{i}"), token_of(i));
            for (k, chunk) in log.chunks(11).enumerate() {
                let hub = if (i + k) % 2 == 0 { &one } else { &two };
                hub.push_ok(&id, &token, chunk).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (from, to) = (date(23), date(24));
    let r = one.report(from, to).await;
    assert_eq!(r.centres.len(), N + 2);
    for (i, log) in logs.iter().enumerate() {
        let c = of(&r, &format!("centre-{i}"));
        assert_same(&c.figures, &centre_total(log, from, to));
        assert_eq!(c.acked, log.last().unwrap().id);
    }
    let all: Vec<&[Event]> = logs.iter().map(|l| l.as_slice()).collect();
    assert_same(&r.total, &province_total(&all, from, to));
}
