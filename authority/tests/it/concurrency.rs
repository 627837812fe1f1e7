//! Many clients at once: no number is issued twice and none is skipped.
use shared::wire::ErrorCode;
use std::collections::HashSet;
use testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_issuing_never_repeats_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    const CLIENTS: usize = 40;
    const EACH: usize = 25;
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        // Each client is its own connection pool, as separate kiosks and counters would be.
        let client = s.client(if c % 2 == 0 { KIOSK } else { COUNTER });
        let service = ["civil", "tax", "civil"][c % 3]; // "tax" is closed at 09:00: mixed refusals
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..EACH {
                match client.issue(service, None).await {
                    Ok(t) => got.push(t.number),
                    Err(e) => assert_eq!(e.code(), Some(&ErrorCode::ServiceClosed), "{e}"),
                }
            }
            got
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.extend(t.await.unwrap());
    }
    let unique: HashSet<_> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "a number was issued twice");
    let expected: HashSet<String> = (1..=numbers.len()).map(|i| format!("A{i:03}")).collect();
    assert_eq!(unique, expected.iter().collect(), "numbers are dense: none skipped");
    let state = s.client(KIOSK).state().await.unwrap();
    assert_eq!(state.waiting.len(), numbers.len());
    assert_eq!(state.last_event_id as usize, numbers.len() + 1, "one event per ticket, plus the day start");
    s.stop().await;
}
