//! `hub migrate` and the schema check of `hub serve`, through the binary (exit codes and
//! messages are the operator's interface).
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use testkit::postgres::Postgres;

fn hub(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hub")).args(args).stdin(Stdio::null()).output().unwrap()
}

fn write_config(dir: &Path, url: &str) -> PathBuf {
    let file = dir.join("hub.toml");
    std::fs::write(&file, config_text(url)).unwrap();
    file
}

fn migrate_cli(file: &Path) -> Output {
    hub(&["migrate", "--config", file.to_str().unwrap()])
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// What `hub migrate` says when it applies every migration.
fn all_applied() -> String {
    format!("applied migrations {:?}", hub::migrate::MIGRATIONS.iter().map(|m| m.version).collect::<Vec<_>>())
}

/// Proves a fresh database is migrated, and migrating again is a no-op that says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_twice_is_a_no_op() {
    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_config(dir.path(), &pg.url());
    let first = migrate_cli(&file);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains(&all_applied()), "{}", text(&first));
    let second = migrate_cli(&file);
    assert!(second.status.success(), "{}", text(&second));
    assert!(text(&second).contains("up to date"), "{}", text(&second));
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM schema_migrations").await, hub::migrate::MIGRATIONS.len() as i64);
}

/// Proves two migrates started at once both succeed and apply each migration once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_migrates_at_once() {
    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_config(dir.path(), &pg.url());
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_hub"))
            .args(["migrate", "--config", file.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (x, y) = (spawn(), spawn());
    let (x, y) = (x.wait_with_output().unwrap(), y.wait_with_output().unwrap());
    assert!(x.status.success() && y.status.success(), "{}\n{}", text(&x), text(&y));
    let applied = [&x, &y].iter().filter(|o| text(o).contains(&all_applied())).count();
    assert_eq!(applied, 1, "exactly one of them applies it:\n{}\n{}", text(&x), text(&y));
    assert_eq!(count(&pg.url(), "SELECT count(*) FROM schema_migrations").await, hub::migrate::MIGRATIONS.len() as i64);
}

/// Proves a database whose recorded checksum differs from the binary's migration is refused by
/// migrate and by serve (exit 2), as is one migrated by a newer hub.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_or_newer_database_is_refused() {
    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_config(dir.path(), &pg.url());
    assert!(migrate_cli(&file).status.success());
    let client = hub::db::connect(&config(&pg.url()).database).await.unwrap();
    client.execute("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1", &[]).await.unwrap();
    let o = migrate_cli(&file);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("differs"), "{}", text(&o));
    let o = hub(&["serve", "--config", file.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let checksum = hub::migrate::MIGRATIONS[0].checksum();
    client.execute("UPDATE schema_migrations SET checksum = $1 WHERE version = 1", &[&checksum]).await.unwrap();
    client.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')", &[]).await.unwrap();
    let o = migrate_cli(&file);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("newer"), "{}", text(&o));
}

/// Proves `hub serve` refuses to start on a database with pending migrations (exit 2, "run
/// hub migrate"), and that a bad configuration is refused with its line (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_pending_migrations() {
    let pg = tokio::task::spawn_blocking(Postgres::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_config(dir.path(), &pg.url());
    let o = hub(&["serve", "--config", file.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("run hub migrate"), "{}", text(&o));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, format!("{}\n[province]\nopen = \"25:00\"\n", config_text(&pg.url()))).unwrap();
    let o = migrate_cli(&bad);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bad.toml:"), "{}", text(&o));
}
