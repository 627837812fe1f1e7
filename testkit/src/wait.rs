//! Waiting for a condition instead of sleeping blindly: poll, and fail with what was awaited.
use std::time::{Duration, Instant};

/// Polls `check` until it answers `Some`, failing after `secs` with `what`.
pub async fn until_some<T, F: FnMut() -> Fut, Fut: std::future::Future<Output = Option<T>>>(secs: u64, what: &str, mut check: F) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out after {secs} s waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Polls `check` until it holds, failing after `secs`: no fixed sleeps in tests.
pub async fn wait_until<F: FnMut() -> Fut, Fut: std::future::Future<Output = bool>>(secs: u64, what: &str, mut check: F) {
    until_some(secs, what, || {
        let held = check();
        async move { held.await.then_some(()) }
    })
    .await
}

/// Polls `check` until it holds, failing after `secs` with `what`: no fixed sleeps in tests.
pub fn wait_until_blocking(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out after {secs} s waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The first event of `stream` that `pick` takes, within `secs`; a stream that ends, or a
/// timeout, fails the test with `what`.
pub async fn next_event<T>(
    stream: &mut shared::client::EventStream,
    secs: u64,
    what: &str,
    mut pick: impl FnMut(shared::event::EventBody) -> Option<T>,
) -> T {
    let wait = async {
        loop {
            match stream.next().await {
                Some(Ok(shared::client::StreamItem::Event(e))) => {
                    if let Some(v) = pick(e.body) {
                        return v;
                    }
                }
                Some(_) => {}
                None => panic!("the event stream ended before {what}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(secs), wait).await.unwrap_or_else(|_| panic!("timed out after {secs} s waiting for {what}"))
}
