//! The shared typed client (`shared::client`) against the real server over real sockets: a
//! press is applied once across a dropped connection, refusals arrive as the shared
//! `ErrorCode`, and the event stream resyncs and notices a dead link.
use shared::client::{Client, ClientError, CounterAction, IdempotencyKey, StreamItem};
use shared::wire::ErrorCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use testkit::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy to `upstream` that, on its first `cuts` connections, forwards the request, waits
/// until the server starts answering (so the command was applied) and then drops the link
/// without passing the answer on; later connections are passed through whole.
async fn cutting_proxy(upstream: String, cuts: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    let addr = upstream.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        loop {
            let (mut down, _) = listener.accept().await.unwrap();
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut up = TcpStream::connect(&addr).await.unwrap();
            tokio::spawn(async move {
                if n < cuts {
                    let mut buf = vec![0u8; 64 * 1024];
                    let got = down.read(&mut buf).await.unwrap();
                    up.write_all(&buf[..got]).await.unwrap();
                    let mut answer = [0u8; 1];
                    assert_eq!(up.read(&mut answer).await.unwrap(), 1, "the server answers");
                    // Both sockets dropped here: the client sees the link die mid-answer.
                } else {
                    let _ = tokio::io::copy_bidirectional(&mut down, &mut up).await;
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_press_retried_after_the_connection_drops_is_applied_once() {
    // Proves the client's retry with the same Idempotency-Key: the first call-next reaches the
    // server and is applied, its answer is lost with the connection, the client sends it again
    // and gets the first answer back (A001), and A002 is still waiting: one press, one call.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    kiosk.issue("civil", None).await.unwrap();
    let (url, seen) = cutting_proxy(s.url.clone(), 1).await;
    let staff = Client::new(&url, Some(COUNTER.to_owned()));
    let called = staff.call_next("1").await.unwrap().expect("a ticket");
    assert_eq!(called.number, "A001");
    assert_eq!(seen.load(Ordering::SeqCst), 2, "sent twice: cut once, then answered");
    let state = kiosk.state().await.unwrap();
    assert_eq!(state.waiting.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["A002"], "called once");
    s.stop().await;
}

#[tokio::test]
async fn a_keypad_press_with_its_own_key_is_applied_once_across_its_retries() {
    // Proves the caller-keyed command: one attempt at a time, the loss of the answer reported as
    // transient, and the same key sent again answered with the first call, not a second one.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    kiosk.issue("civil", None).await.unwrap();
    let (url, _) = cutting_proxy(s.url.clone(), 1).await;
    let keypad = Client::builder(&url).token(COUNTER).retries(0).build().unwrap();
    let key = IdempotencyKey::from_string("kp-1-test-1".into()).unwrap();
    let lost = keypad.counter_action_keyed("1", CounterAction::CallNext, &key).await.unwrap_err();
    assert!(lost.is_transient(), "{lost:?}");
    let again = keypad.counter_action_keyed("1", CounterAction::CallNext, &key).await.unwrap().unwrap();
    assert_eq!(again.number, "A001", "the first press's answer");
    let next = keypad.counter_action_keyed("1", CounterAction::CallNext, &IdempotencyKey::new()).await.unwrap().unwrap();
    assert_eq!(next.number, "A002", "a new press is a new call");
    s.stop().await;
}

#[tokio::test]
async fn a_refusal_round_trips_as_the_shared_error_code() {
    // Proves the server's ApiError and the client's ClientError share one enum: a domain
    // refusal, a rights refusal and an unknown route each come back as their variant.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let staff = s.client(COUNTER);
    let e = staff.counter_action("1", CounterAction::Recall).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::NoCurrentTicket), "{e}");
    assert_eq!(e.status(), Some(409));
    assert!(!e.is_transient());
    let e = s.client(DISPLAY).call_next("1").await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Forbidden), "{e}");
    let e = s.client(KIOSK).issue("nowhere", None).await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::UnknownService), "{e}");
    let e = Client::new(&s.url, None).state().await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Unauthorized), "{e}");
    s.stop().await;
}

#[tokio::test]
async fn the_stream_resyncs_and_following_from_the_fresh_state_misses_nothing() {
    // Proves the typed stream's resync: a position the store never had gives `Resync`; the
    // state fetched then, followed from its last event, gives the next event and nothing twice.
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let kiosk = s.client(KIOSK);
    kiosk.issue("civil", None).await.unwrap();
    let display = s.client(DISPLAY);
    let mut stream = display.events(Some(9_999)).await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(first, StreamItem::Resync);
    let state = display.state().await.unwrap();
    let mut stream = display.events(Some(state.last_event_id)).await.unwrap();
    kiosk.issue("civil", None).await.unwrap();
    match tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap() {
        Some(Ok(StreamItem::Event(e))) => assert_eq!(e.id, state.last_event_id + 1),
        other => panic!("expected the next event, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn a_silent_stream_ends_as_idle_instead_of_hanging() {
    // Proves the keep-alive watch: a server that answers the stream's headers and then sends
    // nothing (a link dead without TCP noticing) ends the stream with `Idle`.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await.unwrap();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        s.write_all(head.as_bytes()).await.unwrap();
        let _ = s.read(&mut buf).await; // held open, silent
    });
    let client = Client::builder(&url).token(DISPLAY).idle(Duration::from_millis(300)).build().unwrap();
    let mut stream = client.events(None).await.unwrap();
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("ends by itself");
    assert!(matches!(end, Some(Err(ClientError::Idle(_)))), "{end:?}");
}
