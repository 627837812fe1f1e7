//! Sign-in flood bench: the attack run that took a server from 24 MB to 9.6 GB, replayed
//! against an in-process authority at the REAL password cost (Argon2id, 19 MiB, 2 passes):
//! 500 wrong sign-ins at once from 25 client addresses (127.0.0.1 to 127.0.0.25, 20 each: just
//! within the limit of one address), half against a real account, half against unknown logins.
//!
//! `cargo bench -p authority --bench signin_flood` prints the process's peak memory (VmHWM of
//! /proc/self/status) before and after, how the sign-ins were answered, and the time taken;
//! then what the server's sign-in gate counted. Nothing here asserts: the tests
//! (`tests/it/sign_in_flood.rs`) prove the bound; this measures what it buys.
use authority::clock::SystemClock;
use futures_util::future::join_all;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Instant;

const ADMIN: &str = "bench-admin-token-0123456789";
const ADDRESSES: u8 = 25;
const PER_ADDRESS: usize = 20;

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1} MiB", k as f64 / 1024.0)).unwrap_or_else(|| "unknown (no /proc/self/status)".into())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    // The production cost: the centre sets nothing under [console].
    let config = testkit::centre()
        .store(&dir.path().join("q.db"))
        .service(testkit::service("civil", "Hộ tịch", "A"))
        .counter(1, &["civil"])
        .token("admin", "admin", ADMIN, &[])
        .config();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(authority::run(config, listener, Arc::new(SystemClock), async move {
        let _ = stopped.await;
    }));
    let admin = reqwest::Client::new();
    let r = admin
        .post(format!("{url}/api/v1/admin/accounts"))
        .bearer_auth(ADMIN)
        .json(&serde_json::json!({"login": "lan", "name": "Cán bộ Lan", "role": "staff", "password": "mật-khẩu-đủ-dài-1"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "creating the account: {}", r.status());

    let before = peak_rss_kib();
    let clients: Vec<reqwest::Client> = (1..=ADDRESSES)
        .map(|n| reqwest::Client::builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))).build().unwrap())
        .collect();
    let started = Instant::now();
    let tries = clients.iter().flat_map(|c| (0..PER_ADDRESS).map(move |i| (c, i)));
    let answers = join_all(tries.map(|(c, i)| {
        let url = &url;
        async move {
            let login = if i % 2 == 0 { "lan".to_owned() } else { format!("ghost{i}") };
            let body = serde_json::json!({"login": login, "password": "wrong-password-0"});
            match c.post(format!("{url}/api/v1/session")).json(&body).send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let code = r.json::<serde_json::Value>().await.ok().and_then(|v| v["error"].as_str().map(str::to_owned));
                    format!("{status} {}", code.unwrap_or_default())
                }
                Err(e) => format!("no answer ({})", if e.is_connect() { "connect" } else { "other" }),
            }
        }
    }))
    .await;
    let took = started.elapsed();
    let after = peak_rss_kib();

    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for a in answers {
        *tally.entry(a).or_default() += 1;
    }
    let refused: usize = tally.iter().filter(|(k, _)| k.starts_with("429") || k.starts_with("503")).map(|(_, n)| n).sum();
    let total: usize = tally.values().sum();
    println!("{total} wrong sign-ins from {ADDRESSES} addresses at the production cost (19 MiB, 2 passes), in {:.2} s", took.as_secs_f64());
    println!("peak RSS before: {}, after: {}", mib(before), mib(after));
    println!("refused before hashing: {refused}, answered after a password check: {}", total - refused);
    for (answer, n) in &tally {
        println!("  {n:>4} × {answer}");
    }
    let gate: serde_json::Value =
        admin.get(format!("{url}/api/v1/admin/sign-in-gate")).bearer_auth(ADMIN).send().await.unwrap().json().await.unwrap();
    println!("sign-in gate: {gate}");

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
