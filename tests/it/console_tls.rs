//! The console in a counter PC's browser over the centre's HTTPS: Chromium that trusts `ca.pem`
//! the way the README says (imported into the user's NSS database) opens the pages, signs in and
//! reaches the counter page; a browser that was not given the CA does not show the console.
use crate::browser::{Api, Chrome, PASSWORD};
use testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_trusts_the_centre_ca_uses_the_console_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let tls = dir.path().join("tls");
    let config = config::console(dir.path(), &dir.path().join("queue.db")).tls(&tls).write(dir.path());
    let served = Served::start(&config);
    assert!(served.url.starts_with("https://"), "{}", served.url);
    let api = Api::trusting(&served.url, &std::fs::read(tls.join("ca.pem")).unwrap());
    api.account("lan", "Nguyễn Thị Lan", "staff", &["1"]).await;

    let web = Chrome::trusting(&served.url, "tls", &tls.join("ca.pem")).await;
    web.sign_in("lan", PASSWORD).await;
    web.wait("location.pathname.endsWith('/counter.html') && location.protocol === 'https:'", "the counter page over HTTPS").await;
    web.close().await;

    let stranger = Chrome::start(&served.url, "tls-untrusted").await;
    // Chromium shows its certificate warning (or fails the navigation) instead of the page.
    let opened = stranger.c.goto(&format!("{}/console/index.html", served.url)).await;
    if opened.is_ok() {
        let signin = stranger.js("return document.querySelector('#signin') !== null").await;
        assert_eq!(signin, serde_json::json!(false), "a browser without the centre's CA must not show the console");
    }
    stranger.close().await;
}
