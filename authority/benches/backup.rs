//! Backup bench: how long the owner thread is busy copying a store (`Store::backup`, what
//! `GET /api/v1/admin/backup` runs between two commits, so it is how long a ticket may wait).
//!
//! `cargo bench -p authority --bench backup` fills a store with `BENCH_DAYS` (default 30) busy
//! days of `BENCH_TICKETS` tickets (default 1,000; the engine's own events, `testkit::day`) and
//! copies it five times: the store's size, the copy's, and the median time. Asserts nothing.
use chrono::TimeZone;
use shared::store::{Append, Store};
use std::time::Instant;

fn env(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let days = env("BENCH_DAYS", 30);
    let tickets = env("BENCH_TICKETS", 1000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let first = chrono::FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 11, 2, 7, 30, 0).unwrap().to_utc();
    let events = testkit::day::busy_days(days, tickets, 7, first);
    let mut store = Store::open(&path).unwrap();
    for chunk in events.chunks(500) {
        store.append(&chunk.iter().map(|e| Append { event: e, key: None }).collect::<Vec<_>>()).unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len() + std::fs::metadata(dir.path().join("q.db-wal")).map(|m| m.len()).unwrap_or(0);
    let mut times = Vec::new();
    let mut copy_size = 0;
    for i in 0..5 {
        let out = dir.path().join(format!("copy-{i}.db"));
        let t0 = Instant::now();
        let b = store.backup(&out).unwrap();
        times.push(t0.elapsed());
        copy_size = b.bytes;
        std::fs::remove_file(&out).unwrap();
    }
    times.sort();
    println!(
        "backup: {days} days × {tickets} tickets ({} events), store {:.1} MiB, copy {:.1} MiB; copy time median {:.0} ms (min {:.0}, max {:.0})",
        events.len(),
        size as f64 / 1048576.0,
        copy_size as f64 / 1048576.0,
        times[2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[4].as_secs_f64() * 1e3
    );
}
