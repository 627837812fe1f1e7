//! The accept loop of the authority: plain HTTP on loopback or HTTPS on the LAN, with the limits
//! a hostile network needs and `axum::serve` does not offer.
//!
//! - this file: [`serve`], accepting connections until shutdown, then draining them;
//! - [`slots`]: the connection caps, overall and per client address;
//! - [`tls`]: loading the server's certificate and key into a rustls acceptor;
//! - [`init`]: `kiosk tls init`, the centre's CA and the server's certificate.
//!
//! Why each limit: a half-sent request (slowloris) used to hold its socket for ever, and 1,100
//! of them exhausted the process's file descriptors, so that no ticket could be issued and
//! `/healthz` timed out. Now a request head must arrive within `[server] header_timeout_s`
//! (also between requests on a kept-alive connection), a TLS handshake within the same time,
//! and one address holds at most `max_connections_per_address` sockets.
pub mod init;
pub mod slots;
pub mod tls;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use shared::config::Server;
use slots::Slots;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long connections still open at shutdown may take to finish their answer.
const DRAIN: Duration = Duration::from_secs(10);

/// The limits of [`serve`], from `[server]`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
}

impl Limits {
    /// The configured limits; the overall cap is lowered to what the open-file limit allows,
    /// after raising the soft limit to the hard one (systemd's default soft limit is 1,024).
    pub fn of(server: &Server) -> Limits {
        let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
        // The store, its journal, logs, the catalogue and the runtime need some descriptors.
        let fit = usize::try_from(files.saturating_sub(64)).unwrap_or(usize::MAX).max(16);
        let max_connections = (server.max_connections as usize).min(fit);
        if max_connections < server.max_connections as usize {
            tracing::warn!("open-file limit {files}: at most {max_connections} connections (configured {})", server.max_connections);
        }
        Limits {
            header_timeout: Duration::from_secs(u64::from(server.header_timeout_s)),
            max_connections,
            max_connections_per_address: (server.max_connections_per_address as usize).min(max_connections),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, calls
/// `stopping` (which ends the event streams) and waits up to 10 s for open answers.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    stopping: impl FnOnce(),
) {
    let slots = Arc::new(Slots::new(limits.max_connections, limits.max_connections_per_address));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = slots.take(peer.ip()) else {
            // Closing at once costs nothing; answering would cost a descriptor for longer.
            drop(tcp);
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let watcher = graceful.watcher();
        let http = http.clone();
        let app = app.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let _slot = slot;
            match tls {
                None => connection(http, tcp, peer, app, watcher).await,
                Some(acceptor) => match tokio::time::timeout(limits.header_timeout, acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => connection(http, stream, peer, app, watcher).await,
                    Ok(Err(e)) => tracing::debug!("TLS handshake with {peer} failed: {e}"),
                    Err(_) => tracing::debug!("TLS handshake with {peer} timed out"),
                },
            }
        });
    }
    drop(listener);
    stopping();
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("connections still open {} s after shutdown were cut", DRAIN.as_secs());
    }
}

/// One connection: HTTP/1.1, the client's address in each request's extensions (the handlers'
/// `ConnectInfo`, for the sign-in rate per address).
async fn connection<I>(
    http: hyper::server::conn::http1::Builder,
    io: I,
    peer: SocketAddr,
    app: Router,
    watcher: hyper_util::server::graceful::Watcher,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = app.map_request(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req
    });
    let conn = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
    if let Err(e) = watcher.watch(conn).await {
        tracing::debug!("connection with {peer}: {e}");
    }
}

/// An accept error is about one connection (the client gave up) or about the process (no
/// descriptor left): in the second case wait a little, rather than spin, for sockets to close.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::warn!("accepting a connection failed: {e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
