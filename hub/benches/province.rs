//! The province bench: a measurement, not a test (it prints figures and asserts no timing).
//! `cargo bench -p hub --bench province`; scale with `BENCH_CENTRES` (200) and `BENCH_TICKETS`
//! (1,500 tickets per centre per day).
//!
//! A private PostgreSQL, the hub served in this process, and every centre replaying a busy day
//! of the real engine's log (`testkit::day::busy_days`), each event made `outward` as the
//! uplink makes it, pushed with the uplink's typed client in batches of 500, one sequential
//! pusher per centre, all centres at once. Three runs, each on its own fresh database:
//! 1. the whole day: events/s, push latency, the database's size;
//! 2. an outage: the day up to 14:00 pushed, the hub stopped, 14:00–15:00 piles up at every
//!    centre; the hub started again and the time until every centre's cursor is its last id;
//! 3. the same outage caught up by two hub processes over one database, centres split.
//!
//! `BENCH_STATEMENTS=1` also lists the full day's SQL statements by time (pg_stat_statements).
//!
//! After each run, five centres' figures in the hub's province report must equal
//! `shared::report` folded directly over the events that centre sent, or the bench panics.
#[path = "province/cpu.rs"]
mod cpu;

use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc};
use hub::config::HubConfig;
use shared::client::{Backoff, HubClient};
use shared::event::Event;
use shared::province::{outward, EventBatch, Figures, ProvinceReport};
use shared::report::{self, GroupBy};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::postgres::Postgres;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The uplink's default batch.
const BATCH: usize = 500;
const PROVINCE_TOKEN: &str = "bench-province-reader-token-0000";
/// The outage: the day is pushed up to this local hour, the next hour is the backlog.
const OUTAGE_FROM_HOUR: u32 = 14;
/// The province's clock (UTC+7), as `[province]` defaults to.
const UTC_OFFSET_S: i32 = 7 * 3600;

fn env_or(name: &str, default: u32) -> u32 {
    match std::env::var(name) {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("{name}={v:?}: not a whole number")),
        Err(_) => default,
    }
}

fn centre_id(i: usize) -> String {
    format!("centre-{i:04}")
}

fn centre_token(i: usize) -> String {
    format!("bench-token-of-centre-{i:04}-0000")
}

/// The hub's configuration for `centres` centres over `url`, parsed as the hub parses its file.
/// Every simulated centre connects from 127.0.0.1, so the per-address cap is raised to let all
/// of them in at once, as distinct centres' addresses would be.
fn config(url: &str, centres: usize) -> HubConfig {
    let mut text = format!(
        "[database]\nurl = \"{url}\"\n\n[server]\nlisten = \"127.0.0.1:0\"\nmax_connections = 2048\n\
         max_connections_per_address = 1024\n\n[[auth.tokens]]\nname = \"office\"\nrole = \"province\"\ntoken = \"{PROVINCE_TOKEN}\"\n"
    );
    for i in 0..centres {
        text += &format!("\n[[centres]]\nid = \"{}\"\nname = \"Một cửa {i}\"\ntoken = \"{}\"\n", centre_id(i), centre_token(i));
    }
    HubConfig::parse(&text).unwrap_or_else(|(line, m)| panic!("the bench's hub config, line {line:?}: {m}"))
}

/// One hub process's worth: `hub::run` on its own listener, stopped by its shutdown future.
struct Hub {
    url: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), hub::ServeError>>,
}

impl Hub {
    async fn start(config: HubConfig) -> Hub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(hub::run(config, listener, hub::system_clock(), async move {
            let _ = rx.await;
        }));
        let http = reqwest::Client::new();
        testkit::wait_until(60, "the hub answers /healthz", || {
            let (http, health) = (http.clone(), format!("{url}/healthz"));
            async move { http.get(&health).send().await.is_ok_and(|r| r.status() == 200) }
        })
        .await;
        Hub { url, stop, task }
    }

    /// Stops it as SIGTERM does, and waits for the serve task to end cleanly.
    async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(60), self.task).await.expect("the hub stops within 60 s").unwrap().unwrap();
    }
}

/// A fresh migrated database `name` on `pg`, and the hub's configuration over it.
async fn fresh_database(pg: &Postgres, name: &str, centres: usize) -> HubConfig {
    let url = if name == "test" { pg.url() } else { pg.database(name) };
    let config = config(&url, centres);
    let mut client = hub::db::connect(&config.database).await.unwrap();
    hub::migrate::migrate(&mut client).await.unwrap();
    config
}

fn client(hub_url: &str, i: usize) -> HubClient {
    HubClient::new(HubClient::builder(hub_url, &centre_token(i)), &centre_id(i)).unwrap()
}

/// What the pushers did: the time of each push the hub took, and the answers that asked the
/// centre to come back later (503 while every pooled connection was busy, or no answer).
#[derive(Default)]
struct Pushes {
    latencies: Vec<Duration>,
    retried: usize,
}

/// A failure the uplink tries again after its backoff (5xx, 408, 429, no answer); anything
/// else would stop a real centre too, so the bench panics.
fn retry_or_panic(e: shared::client::ClientError, base: &str) {
    let retried = matches!(e.status(), Some(s) if s >= 500 || s == 408 || s == 429) || e.status().is_none() && e.is_transient();
    assert!(retried, "{base}: {e}");
}

/// Pushes `events` as the uplink does: from the hub's cursor on, batches of 500, one after the
/// other, until the hub holds the last one; after a failure worth a retry, the uplink's backoff
/// (1 s doubling to 60 s) and the cursor asked again.
async fn push_from_cursor(client: HubClient, events: Arc<Vec<Event>>) -> Pushes {
    let mut out = Pushes::default();
    let Some(last) = events.last().map(|e| e.id) else { return out };
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
    let mut acked = None;
    loop {
        let from = match acked {
            Some(a) if a >= last => return out,
            Some(a) => a,
            None => match client.cursor().await {
                Ok(c) => {
                    acked = Some(c.acked);
                    continue;
                }
                Err(e) => {
                    retry_or_panic(e, client.base());
                    out.retried += 1;
                    tokio::time::sleep(backoff.fail()).await;
                    continue;
                }
            },
        };
        let start = events.partition_point(|e| e.id <= from);
        let batch = EventBatch { events: events[start..(start + BATCH).min(events.len())].to_vec() };
        let t = Instant::now();
        match client.push(&batch).await {
            Ok(answer) => {
                out.latencies.push(t.elapsed());
                assert!(answer.acked > from, "{}: the hub's acked did not move: {} after {from}", client.base(), answer.acked);
                acked = Some(answer.acked);
                backoff.reset();
            }
            Err(e) => {
                retry_or_panic(e, client.base());
                out.retried += 1;
                acked = None;
                tokio::time::sleep(backoff.fail()).await;
            }
        }
    }
}

/// Every centre pushes its `logs[i]` at once, to `hubs[i % hubs.len()]`.
async fn replay(hubs: &[&str], logs: &[Arc<Vec<Event>>]) -> Pushes {
    let tasks: Vec<_> =
        logs.iter().enumerate().map(|(i, log)| tokio::spawn(push_from_cursor(client(hubs[i % hubs.len()], i), log.clone()))).collect();
    let mut all = Pushes::default();
    for t in tasks {
        let p = t.await.expect("a centre's pusher panicked");
        all.latencies.extend(p.latencies);
        all.retried += p.retried;
    }
    all
}

/// Every centre's cursor is the last id of its `logs[i]`.
async fn assert_cursors(hub_url: &str, logs: &[Arc<Vec<Event>>]) {
    for (i, log) in logs.iter().enumerate() {
        let acked = client(hub_url, i).cursor().await.unwrap().acked;
        let last = log.last().map_or(0, |e| e.id);
        assert_eq!(acked, last, "{}: the hub's cursor is {acked}, the centre's last event {last}", centre_id(i));
    }
}

/// The figures `shared::report` gives for `events` of one centre on `day`, as the province
/// report's body carries them.
fn expected(events: &[Event], day: NaiveDate) -> Figures {
    let visits = report::visits(events);
    let row = report::report(&visits, GroupBy::Day, &HashMap::new(), day, day).total;
    let offset = chrono::FixedOffset::east_opt(UTC_OFFSET_S).unwrap();
    let mut hours = vec![0u32; 24];
    for v in &visits {
        hours[v.issued_at.with_timezone(&offset).hour() as usize] += 1;
    }
    Figures {
        tickets_issued: row.issued.unwrap_or(0),
        tickets_served: row.served,
        no_shows: row.no_show,
        wait_p50_s: row.wait_s.as_ref().map(|s| s.median),
        wait_p90_s: row.wait_s.as_ref().map(|s| s.p90),
        service_p50_s: row.service_s.as_ref().map(|s| s.median),
        ratings: row.ratings.clone(),
        busiest_hours: hours,
    }
}

/// Five centres spread over the province: the hub's report for `day` equals `expected`.
async fn check_report(run: &str, hub_url: &str, logs: &[Arc<Vec<Event>>], day: NaiveDate) {
    let n = logs.len();
    let mut sample: Vec<usize> = [0, n / 4, n / 2, 3 * n / 4, n - 1].into();
    sample.dedup();
    let url = format!("{hub_url}/api/v1/province/report?from={day}&to={day}");
    let r = reqwest::Client::new().get(&url).bearer_auth(PROVINCE_TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let r: ProvinceReport = r.json().await.unwrap();
    for i in sample {
        let id = centre_id(i);
        let got = r.centres.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{run}: {id} is not in the hub's report"));
        let want = expected(&logs[i], day);
        assert!(
            got.figures == want,
            "{run}: the hub's figures for {id} on {day} differ from shared::report over its events\n hub:    {:?}\n centre: {want:?}",
            got.figures
        );
    }
    println!("  correctness: the report of {day} equals shared::report for {} sampled centres", n.min(5));
}

/// With `BENCH_STATEMENTS=1`: PostgreSQL is restarted with `pg_stat_statements` loaded, and
/// the full day's statements are listed by the time they took (a profile of the ingest's SQL).
fn statements_wanted() -> bool {
    std::env::var("BENCH_STATEMENTS").is_ok_and(|v| v == "1")
}

async fn load_statements(pg: &Postgres) {
    let url = pg.url();
    let client = hub::db::connect(&config(&url, 0).database).await.unwrap();
    client.batch_execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'").await.unwrap();
    drop(client);
    tokio::task::block_in_place(|| {
        pg.kill();
        pg.start_again();
    });
    let client = hub::db::connect(&config(&url, 0).database).await.unwrap();
    client.batch_execute("CREATE EXTENSION pg_stat_statements").await.unwrap();
}

async fn print_statements(config: &HubConfig) {
    let client = hub::db::connect(&config.database).await.unwrap();
    let rows = client
        .query(
            "SELECT coalesce(query, '?'), calls, total_exec_time, mean_exec_time, rows FROM pg_stat_statements
             ORDER BY total_exec_time DESC LIMIT 8",
            &[],
        )
        .await
        .unwrap();
    let info = client
        .query_one("SELECT (SELECT count(*) FROM pg_stat_statements), dealloc, stats_reset::text FROM pg_stat_statements_info", &[])
        .await
        .unwrap();
    let (kept, dealloc, reset): (i64, i64, String) = (info.get(0), info.get(1), info.get(2));
    println!("  statements by time (pg_stat_statements: {kept} kept, {dealloc} deallocations, since {reset}):");
    for r in rows {
        let (q, calls, total, mean, n): (String, i64, f64, f64, i64) = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(90).collect();
        println!("    {:>7.1} s {calls:>6} calls {mean:>7.2} ms {n:>8} rows  {q}", total / 1000.0);
    }
}

async fn database_size(config: &HubConfig) -> i64 {
    let client = hub::db::connect(&config.database).await.unwrap();
    client.query_one("SELECT pg_database_size(current_database())", &[]).await.unwrap().get(0)
}

struct Quantiles {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

fn quantiles(mut all: Vec<Duration>) -> Quantiles {
    all.sort_unstable();
    let at = |q: f64| all[((all.len() as f64 * q).ceil() as usize).saturating_sub(1).min(all.len() - 1)];
    Quantiles { p50: at(0.50), p99: at(0.99), max: *all.last().unwrap() }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The events of every log up to the local hour `until` (exclusive).
fn before(logs: &[Arc<Vec<Event>>], until: DateTime<Utc>) -> Vec<Arc<Vec<Event>>> {
    logs.iter().map(|l| Arc::new(l.iter().take_while(|e| e.at < until).cloned().collect())).collect()
}

/// The outage run with `processes` hubs over one fresh database: the figures line.
async fn outage(pg: &Postgres, name: &str, processes: usize, logs: &[Arc<Vec<Event>>], day: NaiveDate) -> String {
    let config = fresh_database(pg, name, logs.len()).await;
    let local = chrono::FixedOffset::east_opt(UTC_OFFSET_S).unwrap();
    let hour = |h: u32| local.from_local_datetime(&day.and_hms_opt(h, 0, 0).unwrap()).unwrap().to_utc();
    let (up_to, backlog_end) = (before(logs, hour(OUTAGE_FROM_HOUR)), before(logs, hour(OUTAGE_FROM_HOUR + 1)));
    let hub = Hub::start(config.clone()).await;
    let before_outage = replay(&[&hub.url], &up_to).await;
    hub.stop().await;
    let backlog: usize = up_to.iter().zip(&backlog_end).map(|(a, b)| b.len() - a.len()).sum();
    println!("  outage, {processes} hub process(es): the day to {OUTAGE_FROM_HOUR}:00 pushed, hub stopped; backlog {backlog} events ({} pushes retried before)", before_outage.retried);
    let (started, cpu_before) = (Instant::now(), cpu::now(pg.port));
    let mut hubs = Vec::new();
    for _ in 0..processes {
        hubs.push(Hub::start(config.clone()).await);
    }
    let up = started.elapsed();
    let urls: Vec<&str> = hubs.iter().map(|h| h.url.as_str()).collect();
    let pushes = replay(&urls, &backlog_end).await;
    let caught_up = started.elapsed();
    let used = cpu::now(pg.port) - cpu_before;
    assert_cursors(urls[0], &backlog_end).await;
    let q = quantiles(pushes.latencies);
    let line = format!(
        "outage catch-up, {processes} hub(s): {backlog} events in {:.1} s from restart (hub up in {}), {:.0} events/s; push p50 {} p99 {} max {}; {} retried; {used}",
        caught_up.as_secs_f64(),
        ms(up),
        backlog as f64 / (caught_up - up).as_secs_f64(),
        ms(q.p50),
        ms(q.p99),
        ms(q.max),
        pushes.retried
    );
    println!("  {line}");
    check_report(&format!("outage, {processes} hub(s)"), urls[0], &backlog_end, day).await;
    for h in hubs {
        h.stop().await;
    }
    line
}

async fn bench() {
    let centres = env_or("BENCH_CENTRES", 200) as usize;
    let tickets = env_or("BENCH_TICKETS", 1500);
    assert!(centres > 0 && tickets > 0, "BENCH_CENTRES and BENCH_TICKETS must be at least 1");
    println!("province bench: {centres} centres × {tickets} tickets (BENCH_CENTRES, BENCH_TICKETS), batches of {BATCH}");
    let first_open = testkit::monday_9am();
    let t = Instant::now();
    let logs: Vec<Arc<Vec<Event>>> = tokio::task::spawn_blocking(move || {
        (0..centres).map(|i| Arc::new(testkit::day::busy_days(1, tickets, i as u64, first_open).iter().map(outward).collect())).collect()
    })
    .await
    .unwrap();
    let total: usize = logs.iter().map(|l| l.len()).sum();
    let day = logs[0][0].day;
    println!("  the province's day ({day}): {total} events, generated in {:.1} s", t.elapsed().as_secs_f64());

    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    if statements_wanted() {
        load_statements(&pg).await;
    }
    let config = fresh_database(&pg, "test", centres).await;
    let hub = Hub::start(config.clone()).await;
    let (t, cpu_before) = (Instant::now(), cpu::now(pg.port));
    let pushes = replay(&[&hub.url], &logs).await;
    let wall = t.elapsed();
    let used = cpu::now(pg.port) - cpu_before;
    assert_cursors(&hub.url, &logs).await;
    let (count, retried) = (pushes.latencies.len(), pushes.retried);
    let q = quantiles(pushes.latencies);
    let size = database_size(&config).await;
    let full = format!(
        "full day: {total} events in {count} pushes ({retried} retried), {:.1} s wall, {:.0} events/s; push p50 {} p99 {} max {}; PostgreSQL {:.0} MiB; {used}",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64(),
        ms(q.p50),
        ms(q.p99),
        ms(q.max),
        size as f64 / (1024.0 * 1024.0)
    );
    println!("  {full}");
    if statements_wanted() {
        print_statements(&config).await;
    }
    check_report("full day", &hub.url, &logs, day).await;
    hub.stop().await;

    let one = outage(&pg, "outage_one", 1, &logs, day).await;
    let two = outage(&pg, "outage_two", 2, &logs, day).await;

    println!("\n--- summary (cargo bench -p hub --bench province; BENCH_CENTRES={centres} BENCH_TICKETS={tickets}) ---");
    println!("{full}\n{one}\n{two}");
    println!("cores available: {}", std::thread::available_parallelism().map_or(0, |n| n.get()));
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(bench());
}
