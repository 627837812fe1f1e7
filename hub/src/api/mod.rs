//! The hub's HTTP API, one handler per file. Every process holds only its configuration and a
//! pool: sessions, cursors and the catalogue are in PostgreSQL, so any number of `hub serve`
//! over one database answer alike.
mod auth;
mod board;
mod booking_make;
mod booking_offer;
mod bookings_pull;
mod catalogue;
mod cursor;
mod dossiers;
mod error;
mod health;
mod ingest;
mod near;
pub mod public_ticket;
mod report;
mod session;

pub use catalogue::publish as publish_catalogue;
pub use error::ApiError;

use crate::config::HubConfig;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use std::sync::Arc;

/// The hub's clock: quiet centres and received times are by it (tests set it).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The largest push, in bytes and in events; the uplink sends less.
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_BATCH_EVENTS: usize = 5_000;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<HubConfig>,
    pub clock: Clock,
    /// Whether the hub speaks TLS (the session cookie is then `Secure`).
    pub tls: bool,
    /// Password checks running at once: each takes 19 MiB and a core for a tenth of a second,
    /// so a flood of sign-ins queues here instead of exhausting memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// The centres' ticket views that this process's live pages follow.
    pub followers: Arc<crate::followers::Followers>,
    /// Wakes this process's delivery of "your turn is near" messages.
    pub outbox: Arc<tokio::sync::Notify>,
    /// Turns true when the hub stops: live pages end their streams.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

impl AppState {
    pub fn new(pool: Pool, config: HubConfig, clock: Clock, tls: bool, stopping: tokio::sync::watch::Receiver<bool>) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let followers = crate::followers::Followers::new(pool.clone());
        let hashing = Arc::new(tokio::sync::Semaphore::new(cores));
        let outbox = Arc::new(tokio::sync::Notify::new());
        AppState { pool, config: Arc::new(config), clock, tls, hashing, followers, outbox, stopping }
    }
}

/// Every route of the hub, and the dashboard's pages (`/province/`).
pub fn router(state: AppState) -> Router {
    let small = state.config.server.max_body_bytes;
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/v1/centres/{centre}/events", post(ingest::push).layer(DefaultBodyLimit::max(MAX_BATCH_BYTES)))
        .route("/api/v1/centres/{centre}/cursor", get(cursor::cursor))
        .route("/api/v1/centres/{centre}/tickets", put(board::put).layer(DefaultBodyLimit::max(MAX_BATCH_BYTES)))
        .route("/api/v1/public/centres/{centre}/tickets/{key}", get(public_ticket::ticket))
        .route("/api/v1/public/centres/{centre}/tickets/{key}/events", get(public_ticket::events))
        .route("/api/v1/public/centres/{centre}/tickets/{key}/near", post(near::ask).delete(near::withdraw))
        .route("/api/v1/centres/{centre}/bookings", get(bookings_pull::pull))
        .route("/api/v1/public/booking", get(booking_offer::offer))
        .route("/api/v1/public/booking/slots", get(booking_offer::slots))
        .route("/api/v1/public/booking/code", post(booking_make::send_code))
        .route("/api/v1/public/bookings", post(booking_make::book))
        .route("/api/v1/public/bookings/{centre}/{file}", get(booking_offer::qr))
        .route("/t/{centre}/{key}", get(crate::ticket_page::page))
        .route("/api/v1/catalogue", get(catalogue::latest))
        .route("/api/v1/province/report", get(report::json))
        .route("/api/v1/province/report.csv", get(report::csv))
        .route("/api/v1/province/dossiers", get(dossiers::json))
        .route("/api/v1/province/dossiers.csv", get(dossiers::csv))
        .route("/api/v1/session", post(session::sign_in).get(session::who).delete(session::sign_out))
        .route("/", get(crate::web::to_dashboard))
        .route("/province", get(crate::web::to_dashboard))
        .route("/province/", get(crate::web::index))
        .route("/province/{file}", get(crate::web::asset))
        .route("/booking", get(crate::web::to_booking))
        .route("/booking/", get(crate::web::booking))
        .route("/booking/{file}", get(crate::web::booking_asset))
        .fallback(|| async { ApiError::new(axum::http::StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(DefaultBodyLimit::max(small))
        .with_state(state)
}
