//! Followers bench on the hub: phones holding a ticket's page open on the province's address
//! (`/t/{centre}/{key}`'s stream), and how soon a call at a centre's counter reaches them
//! through the centre's uplink.
//!
//! `cargo bench -p hub --bench followers` starts a private PostgreSQL, the `hub` binary (so its
//! memory is its own), and `BENCH_CENTRES` centres (default 10), each a real authority in this
//! process with `[uplink]` to the hub. Each centre issues its share of `BENCH_FOLLOWERS` tickets
//! (default 10,000, one service, so a call changes every follower's place at that centre), one
//! stream per ticket is opened on the hub, and `BENCH_CALLS` calls (default 10) are made, each
//! at the next centre. Each follower of the called centre is timed from the moment the call is
//! sent to the update that moved its place: the uplink's gathering, the push of events and
//! views, PostgreSQL's notification, the hub's copy and the stream, end to end. Memory: the hub
//! process's resident memory grown while the streams were opened, per follower. The bench's
//! client, the authorities, PostgreSQL and the hub share the machine's cores. Nothing here
//! asserts time; the tests prove the behaviour.
use authority::clock::ManualClock;
use shared::client::{Client, TicketFollow, TicketUpdate};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::measure::{percentile, rss_kib};
use testkit::postgres::Postgres;
use tokio::sync::mpsc;

const KIOSK: &str = "bench-kiosk-token-0123456789";
const COUNTER: &str = "bench-counter-token-0123456789";

fn env(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("{name}={v:?}: not a whole number")),
        Err(_) => default,
    }
}

fn centre_id(i: usize) -> String {
    format!("centre-{i:03}")
}

fn centre_token(i: usize) -> String {
    format!("bench-uplink-token-of-centre-{i:03}")
}

/// Each stream is a socket at both ends: this process and the hub (which inherits the limit)
/// need one descriptor per follower and some.
fn raise_open_files(needed: u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
    }
    assert!(lim.rlim_cur >= needed, "{needed} open files needed, the limit is {}: raise `ulimit -Hn`", lim.rlim_cur);
}

/// The `hub` binary serving `config` until dropped.
struct HubProcess(Child);

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn hub(dir: &std::path::Path, pg: &Postgres, centres: usize, caps: usize) -> (HubProcess, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut text = format!(
        "[database]\nurl = \"{}\"\npool_size = 16\n\n[server]\nlisten = \"127.0.0.1:{port}\"\nmax_connections = {caps}\n\
         max_connections_per_address = {caps}\n",
        pg.url()
    );
    for i in 0..centres {
        text += &format!("\n[[centres]]\nid = \"{}\"\nname = \"Một cửa {i}\"\ntoken = \"{}\"\n", centre_id(i), centre_token(i));
    }
    let file = dir.join("hub.toml");
    std::fs::write(&file, text).unwrap();
    let run = |cmd: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hub"));
        c.args([cmd, "--config", file.to_str().unwrap()]);
        c
    };
    let out = run("migrate").output().unwrap();
    assert!(out.status.success(), "hub migrate: {}", String::from_utf8_lossy(&out.stderr));
    let child = run("serve").stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().unwrap();
    (HubProcess(child), format!("http://127.0.0.1:{port}"))
}

/// A centre's authority in this process, pushing to the hub; its clock stands still at the
/// moment the bench started (the hub expires views by its own clock, so the day is today's).
async fn centre(dir: &std::path::Path, i: usize, hub: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
    let uplink = format!("[uplink]\nurl = \"{hub}\"\ncentre = \"{}\"\ntoken = \"{}\"\ncatalogue = false\n", centre_id(i), centre_token(i));
    let config = testkit::centre()
        .store(&dir.join(format!("{}.db", centre_id(i))))
        .service(testkit::service("civil", "Hộ tịch", "A"))
        .counter(1, &["civil"])
        .token("kiosk", "kiosk", KIOSK, &[])
        .token("counter", "counter", COUNTER, &[])
        .raw(&uplink)
        .config();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    tokio::spawn(authority::run(config, listener, clock, async move {
        let _ = stopped.await;
    }));
    let kiosk = Client::new(&url, Some(KIOSK.into()));
    testkit::wait_until(10, "the authority answers", || async { kiosk.state().await.is_ok() }).await;
    (url, stop)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let centres = env("BENCH_CENTRES", 10).max(1);
    let followers = env("BENCH_FOLLOWERS", 10_000);
    let calls = env("BENCH_CALLS", 10);
    let per_centre = followers.div_ceil(centres);
    raise_open_files(followers as u64 + 1_000);
    let dir = tempfile::tempdir().unwrap();
    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    let (hub_process, hub_url) = hub(dir.path(), &pg, centres, followers + 200);
    let phone = Client::new(&hub_url, None);
    testkit::wait_until(30, "the hub answers", || {
        let url = format!("{hub_url}/healthz");
        async move { reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) }
    })
    .await;

    let mut sites = Vec::with_capacity(centres);
    for i in 0..centres {
        sites.push(centre(dir.path(), i, &hub_url).await);
    }
    // Every centre issues its tickets at once; the calls take tickets from the front, so the
    // followers' tickets come after them.
    let issued = Instant::now();
    let mut issuing = Vec::new();
    for (url, _) in &sites {
        let kiosk = Client::new(url, Some(KIOSK.into()));
        let first = calls.div_ceil(centres);
        issuing.push(tokio::spawn(async move {
            for _ in 0..first {
                kiosk.issue("civil", None).await.unwrap();
            }
            let mut keys = Vec::with_capacity(per_centre);
            for _ in 0..per_centre {
                keys.push(kiosk.issue("civil", None).await.unwrap().key.unwrap());
            }
            keys
        }));
    }
    let mut keys: Vec<Vec<String>> = Vec::new();
    for t in issuing {
        keys.push(t.await.unwrap());
    }
    for (i, k) in keys.iter().enumerate() {
        let last = k.last().unwrap().clone();
        let phone = phone.clone();
        testkit::wait_until(120, "the hub to hold every centre's views", || {
            let (phone, last) = (phone.clone(), last.clone());
            async move { phone.province_ticket(&centre_id(i), &last).await.is_ok() }
        })
        .await;
    }
    let issue_s = issued.elapsed().as_secs_f64();

    let pid = hub_process.0.id();
    let before = rss_kib(pid);
    let opened = Instant::now();
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, Instant)>();
    let mut streams: Vec<(usize, TicketFollow)> = Vec::with_capacity(followers);
    for (c, k) in keys.iter().enumerate() {
        for key in k {
            streams.push((c, phone.follow_province_ticket(&centre_id(c), key).await.expect("a follower's stream")));
        }
    }
    let open_s = opened.elapsed().as_secs_f64();
    let (first_tx, mut first_rx) = mpsc::unbounded_channel::<()>();
    for (c, mut s) in streams {
        let (tx, first_tx) = (tx.clone(), first_tx.clone());
        tokio::spawn(async move {
            let mut place = None;
            while let Some(Ok(TicketUpdate::Ticket(v))) = s.next().await {
                let now = (v.waiting_ahead, v.status);
                match place {
                    None => {
                        let _ = first_tx.send(());
                    }
                    // The time alone moved (the uplink's freshness push): not the call.
                    Some(p) if p == now => {}
                    Some(_) => {
                        if tx.send((c, Instant::now())).is_err() {
                            return;
                        }
                    }
                }
                place = Some(now);
            }
        });
    }
    let total: usize = keys.iter().map(Vec::len).sum();
    for _ in 0..total {
        first_rx.recv().await.unwrap();
    }
    let grown = rss_kib(pid).saturating_sub(before);

    let mut latencies = Vec::with_capacity(per_centre * calls);
    for n in 0..calls {
        let c = n % centres;
        let counter = Client::new(&sites[c].0, Some(COUNTER.into()));
        let t0 = Instant::now();
        counter.call_next("1").await.unwrap();
        for _ in 0..keys[c].len() {
            let (from, at) =
                tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("every follower hears of the call").unwrap();
            assert_eq!(from, c, "only the called centre's followers move");
            latencies.push(at - t0);
        }
    }
    latencies.sort();
    println!(
        "hub followers: {total} streams on the hub over {centres} centres ({per_centre} each), open in {open_s:.1} s; \
         tickets issued and on the hub in {issue_s:.1} s"
    );
    println!(
        "{calls} calls, each reaching its centre's {per_centre} followers through the uplink: call → follower's update \
         p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "hub memory: {:.1} MiB grown for {total} streams ({:.1} KiB a follower, the hub process alone)",
        grown as f64 / 1024.0,
        grown as f64 / total as f64
    );
    for (_, stop) in sites {
        let _ = stop.send(());
    }
    drop(hub_process);
}
