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
