//! `hub serve` as the operator runs it: it stops cleanly on SIGTERM, refuses a plain-HTTP
//! address beyond loopback, waits for a database that is not up yet and gives up at once on
//! one that refuses it.
use crate::support::*;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Proves the binary answers, then exits 0 on SIGTERM (graceful shutdown) within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_hub_cleanly() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = serve_binary(dir.path(), &pg.url()).await;
    let r = reqwest::get(format!("{base}/api/v1/nothing-here")).await.unwrap();
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    // SAFETY: a signal to our own child by its pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = testkit::wait_exit(&mut child, Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
}

/// Proves a plain-HTTP listen address beyond loopback is refused (exit 2) before anything runs.
#[test]
fn plain_http_beyond_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.toml");
    std::fs::write(&file, config_text("postgres://nobody@127.0.0.1:1/none")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["serve", "--config", file.to_str().unwrap(), "--listen", "0.0.0.0:8090"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("loopback"));
}

/// Proves a hub started before its database (a machine booting, PostgreSQL restarting) waits
/// for it, saying so, and serves once it is up, instead of exiting on the first refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_waits_for_a_database_that_is_not_up_yet() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    migrate(&pg.url()).await;
    tokio::task::block_in_place(|| pg.kill());
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = spawn_binary(dir.path(), &pg.url(), Stdio::piped());
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if line.contains("waiting for the database") {
                let _ = tx.send(line);
            }
        }
    });
    let said = rx.recv_timeout(Duration::from_secs(30)).expect("the hub says it waits for the database");
    assert!(child.try_wait().unwrap().is_none(), "the hub exited instead of waiting: {said}");
    tokio::task::block_in_place(|| pg.start_again());
    let http = reqwest::Client::new();
    testkit::wait_until(60, "the hub answers /healthz once the database is up", || {
        let (http, url) = (http.clone(), format!("{base}/healthz"));
        async move { http.get(&url).send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    let _ = child.kill();
    let _ = child.wait();
}

/// Proves a database that refuses the hub (here, a database name that does not exist) ends
/// the start at once with status 1 and PostgreSQL's reason: waiting would never help.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_refuses_the_hub_is_an_error_at_once() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::Postgres::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://test@127.0.0.1:{}/no_such_database", pg.port);
    let (mut child, _) = spawn_binary(dir.path(), &url, Stdio::piped());
    let status = testkit::wait_exit(&mut child, Duration::from_secs(20));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("no_such_database"), "{err}");
}

/// Proves two centres' tokens exchanged in one edit of the configuration start (the uniqueness
/// of tokens is checked for the whole registration, not row by row) and take effect: each
/// token now writes to the other centre, and no longer to its old one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_exchanged_between_two_centres_take_effect() {
    let (pg, hub) = Hub::fresh().await;
    assert_eq!(hub.push(CENTRE_A, TOKEN_A, &[]).await.0, 200);
    hub.stop().await;
    let swapped =
        config_text(&pg.url()).replace(TOKEN_A, "TOKEN-BEING-SWAPPED").replace(TOKEN_B, TOKEN_A).replace("TOKEN-BEING-SWAPPED", TOKEN_B);
    let config = hub::HubConfig::parse(&swapped).unwrap_or_else(|(l, m)| panic!("line {l:?}: {m}"));
    let hub = Hub::start_with(config, TestClock::new(wednesday_10am()), reqwest::Client::new()).await;
    assert_eq!(hub.push(CENTRE_B, TOKEN_A, &[]).await.0, 200);
    assert_eq!(hub.push(CENTRE_A, TOKEN_B, &[]).await.0, 200);
    assert_eq!(hub.push(CENTRE_A, TOKEN_A, &[]).await.0, 403);
}
