//! The HTTP API of DESIGN.md under `/api/v1`, one file per handler.
//!
//! - `auth.rs`: bearer tokens → a `Caller` with a role; the checks each handler asks for.
//! - `error.rs`: `ApiError`, the JSON error body with a machine code, and the status of each cause.
//! - `body.rs`: the JSON body and path extractors, whose refusals are JSON errors too.
//! - `issue.rs`, `call_next.rs`, `call.rs`, `counter_action.rs` (recall, no-show, finish, pause,
//!   resume), `transfer.rs`, `restore.rs`, `reprint.rs`, `device_status.rs`: the commands.
//! - `settings.rs` (the settings in force, read-only), `state.rs`, `events.rs` (Server-Sent Events), `health.rs`, `openapi.rs`: the reads.
//! - `procedures.rs`, `procedure.rs`: the public catalogue search and records.
//! - `session.rs` (sign in/out), `staff.rs` (take a counter), `rating.rs`: the console's and the
//!   rating device's endpoints; `admin_settings.rs`, `admin_accounts.rs`, `admin_catalogue.rs`,
//!   `admin_audit.rs`, `reports.rs`: the administrator's.
mod admin_accounts;
mod admin_audit;
mod admin_catalogue;
mod admin_settings;
mod auth;
mod body;
mod call;
mod call_next;
mod counter_action;
mod device_status;
mod error;
mod events;
mod health;
mod issue;
mod openapi;
mod procedure;
mod procedures;
mod rating;
mod reports;
mod reprint;
mod restore;
mod session;
mod settings;
mod staff;
mod state;
mod transfer;

pub use auth::Tokens;
pub use error::ApiError;
pub use reports::ReportCache;

use crate::owner::Authority;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;
use std::sync::Arc;
use tokio::sync::watch;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub authority: Authority,
    pub tokens: Arc<Tokens>,
    /// The procedure catalogue, when one is configured and loaded; the administrator may
    /// replace it while it is served.
    pub catalogue: Arc<crate::console::catalogue::CatalogueSlot>,
    /// The console's sessions and sign-in limits.
    pub console: Arc<crate::console::Console>,
    pub reports: Arc<ReportCache>,
    /// Flips to true at shutdown so that open event streams end and the server can stop.
    pub stopping: watch::Receiver<bool>,
}

pub fn router(state: AppState, max_body: usize) -> Router {
    let catalogue_limit = state.console.config.max_catalogue_mb as usize * 1024 * 1024;
    let api = Router::new()
        .route("/tickets", post(issue::issue))
        .route("/tickets/{ticket}/restore", post(restore::restore))
        .route("/tickets/{ticket}/reprint", post(reprint::reprint))
        .route("/devices/status", post(device_status::report))
        .route("/counters/{counter}/call-next", post(call_next::call_next))
        .route("/counters/{counter}/call", post(call::call))
        .route("/counters/{counter}/recall", post(counter_action::recall))
        .route("/counters/{counter}/no-show", post(counter_action::no_show))
        .route("/counters/{counter}/finish", post(counter_action::finish))
        .route("/counters/{counter}/pause", post(counter_action::pause))
        .route("/counters/{counter}/resume", post(counter_action::resume))
        .route("/counters/{counter}/transfer", post(transfer::transfer))
        .route("/state", get(state::state))
        .route("/events", get(events::events))
        .route("/openapi.json", get(openapi::openapi))
        .route("/procedures", get(procedures::search))
        .route("/procedures/{code}", get(procedure::procedure))
        .route("/session", post(session::sign_in).get(session::current).delete(session::sign_out))
        .route("/counters/{counter}/staff", post(staff::take).delete(staff::leave))
        .route("/tickets/{ticket}/rating", post(rating::rate))
        .route("/settings", get(settings::get))
        .route("/admin/settings", get(admin_settings::get).put(admin_settings::put))
        .route("/admin/accounts", get(admin_accounts::list).post(admin_accounts::create))
        .route("/admin/accounts/{login}", patch(admin_accounts::update))
        .route("/admin/audit", get(admin_audit::list))
        .route("/admin/catalogue", put(admin_catalogue::replace).layer(DefaultBodyLimit::max(catalogue_limit)))
        .route("/reports", get(reports::json))
        .route("/reports.csv", get(reports::csv));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/console", get(crate::console::web::root_redirect))
        .route("/console/", get(crate::console::web::index))
        .route("/console/{file}", get(crate::console::web::asset))
        .nest("/api/v1", api)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}
