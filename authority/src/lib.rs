//! The queue authority of a one-stop centre: the one process that issues numbers and hears the
//! counters. Every other process (the kiosk's touch UI and printer, displays, keypads, the
//! staff console in a browser, the command line) talks to it over the HTTP API.
//!
//! From the core outwards:
//! - `clock.rs`: time behind a trait, so tests turn the day without waiting.
//! - `owner/`: the thread that owns the SQLite store and the engine (`shared::domain`): group
//!   commit, events broadcast only after their commit. Start here to see how a ticket is decided
//!   and made durable.
//! - `console/`: the staff and administrator console: accounts, sessions, the catalogue upload,
//!   and the pages (`web/`, embedded at build time) served at `/console/`.
//! - `api/`: the HTTP API under `/api/v1` (axum), one file per handler, Server-Sent Events, the
//!   OpenAPI document (generated from the handlers; committed as `openapi.json`, the contract).
//! - `ticket_page/`: the citizen's phone page of a ticket, `/t/{key}` (its QR code's address),
//!   live over the public ticket stream.
//! - `uplink/`: the link to the province hub (`[uplink]`): the event log pushed after the last
//!   id the hub acknowledged, without staff names; the province's catalogue taken by version.
//! - `serve/`: the accept loop: TLS with the centre's CA (`kiosk tls init`), the header-read
//!   timeout and the connection caps that keep a hostile LAN from starving the queue.
//! - `lib.rs` (here): `run`, the whole authority as a function of its configuration, a bound
//!   listener, a clock and a shutdown signal (tests start real servers on port 0 in-process).
//!
//! The path of a ticket: `POST /api/v1/tickets` → `api/issue.rs` → `owner::Authority::execute`
//! → the owner thread runs `Engine::execute` (decide, then apply), appends the batch's events in
//! one transaction → the answer after the commit, and the same events on `GET /api/v1/events`
//! for displays and printers. How it fits with the other processes: `docs/architecture.md`.
pub mod api;
pub mod clock;
pub mod console;
pub mod owner;
pub mod serve;
pub mod ticket_page;
pub mod uplink;

use clock::Clock;
use owner::Authority;
use shared::config::Config;
use shared::store::{Store, StoreError};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Authority(#[from] owner::AuthorityError),
    #[error(transparent)]
    Tls(#[from] serve::tls::TlsError),
    #[error("[server] listen: {0}")]
    Listen(String),
    #[error("[uplink]: {0}")]
    Uplink(#[from] shared::client::ClientError),
}

/// Opens the store named by the configuration; `:memory:` keeps it in memory (tests, trials).
pub fn open_store(path: &Path) -> Result<Store, StoreError> {
    if path.as_os_str() == ":memory:" || path.ends_with(":memory:") {
        Store::open_in_memory()
    } else {
        Store::open(path)
    }
}

/// Runs the queue authority until `shutdown` completes, then stops cleanly: open event streams
/// end, requests in flight are answered, the store is closed.
pub async fn run(
    mut config: Config,
    listener: TcpListener,
    clock: Arc<dyn Clock>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let addr = listener.local_addr().map_err(|e| ServeError::Listen(e.to_string()))?;
    // Checked at load for the configured address; checked again for the one bound (`--listen`).
    if let Some(why) = config.server.refuse_listen(addr) {
        return Err(ServeError::Listen(why));
    }
    let tls = match (&config.server.tls_cert, &config.server.tls_key) {
        (Some(cert), Some(key)) => Some(serve::tls::acceptor(cert, key)?),
        _ => None,
    };
    // Under TLS the session cookie is never sent in clear.
    config.console.secure_cookie |= tls.is_some();
    let limits = serve::Limits::of(&config.server);
    let store = open_store(&config.store.path)?;
    let config = Arc::new(config);
    let (authority, thread) = Authority::start(store, config.clone(), clock)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Tickets first: the catalogue loads beside the server starting (requests for procedures
    // wait for it), not before it.
    let catalogue = Arc::new(console::catalogue::CatalogueSlot::loading());
    let (slot, cfg) = (catalogue.clone(), config.clone());
    drop(tokio::task::spawn_blocking(move || slot.finish_loading(load_catalogue(&cfg))));
    let uplink = match &config.uplink {
        Some(u) => Some(uplink::start(authority.clone(), catalogue.clone(), u, stop_rx.clone())?),
        None => None,
    };
    let state = api::AppState {
        authority,
        tokens: Arc::new(api::Tokens::new(config.auth.tokens.clone())),
        catalogue,
        uplink: uplink.as_ref().map(|(status, _)| status.clone()),
        console: Arc::new(console::Console::new(config.console.clone())),
        reports: Arc::new(api::ReportCache::default()),
        stopping: stop_rx,
    };
    let app = api::router(state, config.server.max_body_bytes);
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!("queue authority listening on {scheme}://{addr}");
    serve::serve(listener, app, tls, limits, shutdown, move || {
        let _ = stop_tx.send(true);
    })
    .await;
    // The uplink holds a handle too: it ends at the stop signal (a push in flight is dropped;
    // the hub takes it again as a repeat).
    if let Some((_, task)) = uplink {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
    }
    // Every handle is gone once the server is: the thread drains its queue, closes the store.
    let joined = tokio::time::timeout(std::time::Duration::from_secs(10), tokio::task::spawn_blocking(move || thread.join())).await;
    if joined.is_err() {
        tracing::error!("the queue authority did not stop within 10 s; its last commit stands");
    }
    Ok(())
}

/// The configured catalogue, or none. A broken file is logged, not fatal: a kiosk that cannot
/// show procedures must still hand out numbers. The kiosk's touch UI, which names the same file,
/// shares this copy (`shared::catalogue::load_configured`).
pub fn load_catalogue(config: &Config) -> Option<Arc<shared::catalogue::Catalogue>> {
    let path = config.catalogue.procedures.as_ref()?;
    let started = std::time::Instant::now();
    match shared::catalogue::load_configured(path, config.catalogue.synonyms.as_deref(), config.catalogue.fields.as_deref()) {
        Ok(c) => {
            tracing::info!("{} procedures loaded from {} in {:?}", c.len(), path.display(), started.elapsed());
            Some(c)
        }
        Err(e) => {
            tracing::error!("procedure catalogue {} not loaded: {}", path.display(), e.chain());
            None
        }
    }
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled: a SIGTERM that comes early (systemd stopping a kiosk whose window has
/// just appeared) must stop the process cleanly, not kill it. Call it inside the runtime.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let (term, int) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt()));
    async move {
        let wait = |s: std::io::Result<tokio::signal::unix::Signal>| async move {
            match s {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = wait(term) => {},
            _ = wait(int) => {},
        }
        tracing::info!("shutting down");
    }
}
