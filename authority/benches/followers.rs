//! Followers bench: phones holding a ticket's page open (the public ticket stream), and how
//! soon a call at a counter reaches each of them.
//!
//! `cargo bench -p authority --bench followers` starts an authority in this process, issues one
//! ticket per follower (one service, so every call changes every follower's place), opens one
//! stream per ticket, then makes `BENCH_CALLS` calls (default 10) and times each follower's
//! update from the moment the call is sent: median and 99th percentile. `BENCH_FOLLOWERS`
//! (default 2,000) sets how many follow. Memory: the process's resident memory grown while the
//! streams were opened, per follower; it holds both ends of each stream (server and client),
//! so the server's own share is less. The connection caps are raised to the follower count:
//! a centre sets them for its own Wi-Fi. Nothing here asserts; the tests prove the behaviour.
use authority::clock::ManualClock;
use shared::client::{Client, TicketUpdate};
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::measure::{percentile, rss_kib};
use tokio::sync::mpsc;

const KIOSK: &str = "bench-kiosk-token-0123456789";
const COUNTER: &str = "bench-counter-token-0123456789";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let followers = env("BENCH_FOLLOWERS", 2000);
    let calls = env("BENCH_CALLS", 10);
    let dir = tempfile::tempdir().unwrap();
    let caps = (followers + 100).to_string();
    let config = testkit::centre()
        .store(&dir.path().join("q.db"))
        .server("max_connections", &caps)
        .server("max_connections_per_address", &caps)
        .service(testkit::service("civil", "Hộ tịch", "A"))
        .counter(1, &["civil"])
        .token("kiosk", "kiosk", KIOSK, &[])
        .token("counter", "counter", COUNTER, &[])
        .config();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // A clock that stands still at 09:00: the day cannot turn in the middle of the run.
    let clock = Arc::new(ManualClock::new(testkit::monday_9am()));
    let server = tokio::spawn(authority::run(config, listener, clock, async move {
        let _ = stopped.await;
    }));
    let kiosk = Client::new(&url, Some(KIOSK.into()));
    testkit::wait_until(10, "the authority answers", || async { kiosk.state().await.is_ok() }).await;
    // The calls take tickets from the front; the followers' tickets come after them.
    for _ in 0..calls {
        kiosk.issue("civil", None).await.unwrap();
    }
    let mut keys = Vec::with_capacity(followers);
    for _ in 0..followers {
        keys.push(kiosk.issue("civil", None).await.unwrap().key.unwrap());
    }

    let before = rss_kib(std::process::id());
    let opened = Instant::now();
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, Instant, TicketUpdate)>();
    let phone = Client::new(&url, None);
    let mut streams = Vec::with_capacity(followers);
    for key in &keys {
        streams.push(phone.follow_ticket(key).await.expect("a follower's stream"));
    }
    let open_s = opened.elapsed().as_secs_f64();
    for (i, mut s) in streams.into_iter().enumerate() {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(u)) = s.next().await {
                if tx.send((i, Instant::now(), u)).is_err() {
                    return;
                }
            }
        });
    }
    // Each follower's first view.
    for _ in 0..followers {
        rx.recv().await.unwrap();
    }
    let grown = rss_kib(std::process::id()).saturating_sub(before);

    let counter = Client::new(&url, Some(COUNTER.into()));
    let mut latencies = Vec::with_capacity(followers * calls);
    for _ in 0..calls {
        let t0 = Instant::now();
        counter.call_next("1").await.unwrap();
        for _ in 0..followers {
            let (_, at, u) =
                tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("every follower hears of the call").unwrap();
            assert!(matches!(u, TicketUpdate::Ticket(_)));
            latencies.push(at - t0);
        }
    }
    latencies.sort();
    println!("followers: {followers} streams open in {open_s:.1} s; {calls} calls, each reaching every follower");
    println!(
        "call → follower's update: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "memory: {:.1} MiB grown for {followers} streams ({:.1} KiB a follower, both ends in this process)",
        grown as f64 / 1024.0,
        grown as f64 / followers as f64
    );
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(15), server).await;
}
