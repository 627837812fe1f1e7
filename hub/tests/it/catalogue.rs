//! The catalogue published downward: `hub catalogue publish` checks the file with the centre's
//! loader; `GET /api/v1/catalogue` serves the newest with an ETag.
use crate::support::*;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use std::process::{Command, Stdio};

/// Proves: nothing published → 404; a bad file is refused (exit 2); a good one is served to
/// any centre's token with its ETag, 304 when unchanged, and not to a province token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_then_fetch_with_etag() {
    let (pg, hub) = Hub::fresh().await;
    let url = hub.url("/api/v1/catalogue");
    assert_eq!(hub.http.get(&url).bearer_auth(TOKEN_A).send().await.unwrap().status(), 404);

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hub.toml");
    std::fs::write(&config, config_text(&pg.url())).unwrap();
    let all = std::fs::read_to_string(testkit::config::demo_catalogue()).unwrap();
    let small: String = all.lines().take(20).map(|l| format!("{l}\n")).collect();
    let good = dir.path().join("procedures.jsonl");
    std::fs::write(&good, &small).unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"not\": \"a procedure\"}\n").unwrap();
    let publish = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_hub"))
            .args(["catalogue", "publish", "--config", config.to_str().unwrap(), file.to_str().unwrap()])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let o = publish(&bad);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = publish(&good);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let r = hub.http.get(&url).bearer_auth(TOKEN_B).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers()[ETAG].to_str().unwrap().to_owned();
    assert_eq!(r.text().await.unwrap(), small);
    let r = hub.http.get(&url).bearer_auth(TOKEN_A).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(hub.http.get(&url).bearer_auth(PROVINCE).send().await.unwrap().status(), 401);
    assert_eq!(hub.http.get(&url).send().await.unwrap().status(), 401);
}
