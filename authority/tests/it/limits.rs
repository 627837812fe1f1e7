//! What a hostile LAN cannot do to the accept loop: hold sockets with half-sent requests, take
//! every connection from one address. Clients come from distinct loopback addresses
//! (127.0.0.x), as devices on a LAN would.
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use testkit::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

async fn connect_from(from: [u8; 4], to: &str) -> TcpStream {
    let to: SocketAddr = to.trim_start_matches("http://").parse().unwrap();
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::from(from), 0)).unwrap();
    socket.connect(to).await.unwrap()
}

/// Reads until the server closes the connection (or `limit` passes): whether it was closed.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 512];
    let deadline = Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline.into(), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

fn http_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::from(ip)).build().unwrap()
}

/// A request whose head never completes is cut after `[server] header_timeout_s` (it used to
/// hold its socket for ever), and so is a kept-alive connection that sends nothing more.
#[tokio::test]
async fn half_sent_requests_are_cut_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let centre = config::in_process(&dir.path().join("q.db")).server("header_timeout_s", "1");
    let s = TestServer::start_at(centre.config(), monday_9am()).await;
    let mut slow = connect_from([127, 0, 0, 1], &s.url).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(5)).await, "a half-sent request is cut");

    let mut idle = connect_from([127, 0, 0, 1], &s.url).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 12];
    idle.read_exact(&mut answer).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await, "an idle kept-alive connection is cut");
    s.stop().await;
}

/// One address holding its share of connections gets no more, while another address is
/// served; when it lets go, it is served again. Before, 1,100 half-sent requests from one
/// machine exhausted the server's descriptors and every ticket request timed out.
#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let centre = config::in_process(&dir.path().join("q.db")).server("max_connections_per_address", "8");
    let s = TestServer::start_at(centre.config(), monday_9am()).await;
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut c = connect_from([127, 0, 0, 9], &s.url).await;
        c.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
        held.push(c);
    }
    let mut ninth = connect_from([127, 0, 0, 9], &s.url).await;
    let _ = ninth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(closed_within(&mut ninth, Duration::from_secs(5)).await, "the ninth from one address is closed at once");

    let other = http_from([127, 0, 0, 2]);
    let r = other.post(s.api("/tickets")).bearer_auth(KIOSK).json(&serde_json::json!({"service": "civil"})).send().await.unwrap();
    assert_eq!(r.status(), 201, "another address is served meanwhile");

    drop(held);
    let again = http_from([127, 0, 0, 9]);
    wait_until(5, "the address is served again once it let go", || {
        let again = again.clone();
        let url = format!("{}/healthz", s.url);
        async move { again.get(url).send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    s.stop().await;
}

/// The slow-request attack again, at the scale the attack run used (1,100 half-sent requests,
/// from 11 addresses), with the default limits: tickets are issued all the while. Prints the
/// figures for the record.
#[tokio::test]
async fn tickets_are_served_during_a_slow_request_flood() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_at(config::in_process(&dir.path().join("q.db")).config(), monday_9am()).await;
    let mut held = Vec::new();
    for i in 0..1100u32 {
        let mut c = connect_from([127, 0, 1, 10 + (i % 11) as u8], &s.url).await;
        let _ = c.write_all(b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\n").await;
        held.push(c);
    }
    // Those over the per-address share were closed by the server at once.
    let mut closed = 0;
    for c in &mut held {
        if closed_within(c, Duration::from_millis(20)).await {
            closed += 1;
        }
    }
    let kiosk = http_from([127, 0, 0, 1]);
    let started = Instant::now();
    let mut served = 0;
    for _ in 0..50 {
        let r = kiosk.post(s.api("/tickets")).bearer_auth(KIOSK).json(&serde_json::json!({"service": "civil"})).send().await;
        if r.is_ok_and(|r| r.status() == 201) {
            served += 1;
        }
    }
    let health = kiosk.get(format!("{}/healthz", s.url)).send().await.unwrap();
    println!(
        "slow-request flood: 1100 half-sent requests from 11 addresses, {closed} closed at once; \
         tickets served during it: {served}/50 in {:?}; /healthz {}",
        started.elapsed(),
        health.status()
    );
    assert_eq!(served, 50);
    assert_eq!(closed, 1100 - 11 * 32, "each address kept its share (32 by default) and no more");
    assert_eq!(health.status(), 200);
    drop(held);
    s.stop().await;
}
