//! `hub serve` as the operator runs it: it stops cleanly on SIGTERM, and refuses a plain-HTTP
//! address beyond loopback.
use crate::support::*;
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
