//! Queue authority bench: durable operations per second, latency of `POST /api/v1/tickets` over
//! loopback HTTP, and bytes written to storage per ticket lifecycle, with a real SQLite file in
//! WAL mode (synchronous = FULL: every answer follows an fsync).
//!
//! `cargo bench -p authority --bench authority` prints the figures the README records. Figures are
//! medians and percentiles of many operations, reported as measured; nothing here asserts time.
use authority::clock::SystemClock;
use shared::client::Client;
use shared::config::Config;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token-0123456789";

fn config(db: &std::path::Path) -> Config {
    testkit::centre()
        .store(db)
        .service(testkit::service("civil", "Hộ tịch", "A"))
        .service(testkit::service("land", "Đất đai", "B"))
        .counter(1, &["civil", "land"])
        .counter(2, &["civil", "land"])
        .token("bench", "admin", TOKEN, &[])
        .config()
}

/// Bytes this process has caused to be sent to storage so far (Linux /proc/self/io).
fn storage_bytes() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines().find_map(|l| l.strip_prefix("write_bytes: ")).and_then(|v| v.trim().parse().ok())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn start(db: &std::path::Path) -> (String, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let cfg = config(db);
    let task = tokio::spawn(async move {
        authority::run(cfg, listener, Arc::new(SystemClock), async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (url, tx, task)
}

/// `clients` concurrent clients, each alternating issue and call-next `per` times (so the queue
/// keeps its length): (ops/s, p50, p99).
async fn mixed_load(url: &str, clients: usize, per: usize) -> (f64, Duration, Duration) {
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let c = Client::new(url, Some(TOKEN.into()));
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            for j in 0..per {
                let t = Instant::now();
                if j % 2 == 1 {
                    c.call_next(if i % 2 == 0 { "1" } else { "2" }).await.unwrap();
                } else {
                    c.issue(if i % 2 == 0 { "civil" } else { "land" }, None).await.unwrap();
                }
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let secs = t0.elapsed().as_secs_f64();
    all.sort();
    (all.len() as f64 / secs, percentile(&all, 0.5), percentile(&all, 0.99))
}

async fn drain(c: &Client) {
    for counter in ["1", "2"] {
        while c.call_next(counter).await.unwrap().is_some() {}
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let (url, stop, task) = start(&db).await;
    let client = Client::new(&url, Some(TOKEN.into()));
    for _ in 0..200 {
        client.issue("land", None).await.unwrap(); // warm up connections and the page cache
    }
    drain(&client).await;

    // 1. Latency of one kiosk taking numbers one after another.
    let n = 3000;
    let mut lat = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        client.issue("civil", None).await.unwrap();
        lat.push(t.elapsed());
    }
    lat.sort();
    println!(
        "POST /api/v1/tickets, 1 client, {n} sequential: p50 {}, p99 {}, max {}",
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );
    drain(&client).await;

    // 2. Many clients at once (half issue, half call-next): group commit shares the fsyncs.
    for clients in [1usize, 8, 32] {
        let (rate, p50, p99) = mixed_load(&url, clients, 400).await;
        println!("{clients:>2} clients, issue + call-next: {rate:.0} durable ops/s, p50 {}, p99 {}", ms(p50), ms(p99));
    }
    drain(&client).await;

    // 3. The same with a busy day's queue waiting (3,500 tickets: 700 a day for 5 services).
    for _ in 0..3500 {
        client.issue("civil", None).await.unwrap();
    }
    let (rate, p50, p99) = mixed_load(&url, 8, 400).await;
    println!(" 8 clients, 3,500 waiting: {rate:.0} durable ops/s, p50 {}, p99 {}", ms(p50), ms(p99));
    drain(&client).await;

    // 4. Storage written per ticket lifecycle: issue, then a call-next that calls it and
    //    finishes the one before: two commits per ticket, as at a real counter.
    let lifecycles = 2000u64;
    let before = storage_bytes();
    for _ in 0..lifecycles {
        client.issue("civil", None).await.unwrap();
        client.call_next("1").await.unwrap();
    }
    let after = storage_bytes();
    match (before, after) {
        (Some(b), Some(a)) => println!(
            "storage written per ticket lifecycle (issue, call, finish; WAL + checkpoints, as the OS counts it in 4 KiB pages): {:.1} KiB",
            (a - b) as f64 / lifecycles as f64 / 1024.0
        ),
        _ => println!("storage written per ticket lifecycle: /proc/self/io is not readable here"),
    }
    let _ = stop.send(());
    task.await.unwrap();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("database file after the bench: {:.0} KiB", size as f64 / 1024.0);
}
