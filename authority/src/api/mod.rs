//! The HTTP API under `/api/v1`, one file per handler; the contract is the OpenAPI document
//! generated from the handlers (`openapi.rs`, committed as `authority/openapi.json`).
//!
//! - `auth.rs`: bearer tokens → a `Caller` with a role; the checks each handler asks for.
//! - `error.rs`: `ApiError`, the JSON error body with a machine code, and the status of each cause.
//! - `body.rs`: the JSON body and path extractors, whose refusals are JSON errors too.
//! - `issue.rs`, `call_next.rs`, `call.rs`, `counter_action.rs` (recall, no-show, finish, pause,
//!   resume), `transfer.rs`, `restore.rs`, `reprint.rs`, `device_status.rs`: the commands.
//! - `help.rs`: kiosks' calls for help, and staff's answers.
//! - `settings.rs` (the settings in force, read-only), `state.rs`, `events.rs` (Server-Sent Events), `health.rs`: the reads;
//!   `openapi.rs`: the API document, generated from the `#[utoipa::path]` of each handler.
//! - `procedures.rs`, `procedure.rs`: the public catalogue search and records.
//! - `public_ticket.rs`: a ticket by its public key, once or live, for the holder's phone
//!   (the page itself is `crate::ticket_page`).
//! - `session.rs` (sign in/out), `staff.rs` (take a counter), `rating.rs`, `dossier_link.rs`: the
//!   console's and the rating device's endpoints; `dossier_evaluation.rs`: a citizen's evaluation
//!   of a finished dossier, from a kiosk or the results board; `admin_settings.rs`,
//!   `admin_accounts.rs`, `admin_catalogue.rs`, `admin_synonyms.rs` (the centre's words for
//!   search), `admin_audit.rs`, `admin_sign_in_gate.rs`, `admin_backup.rs` (a copy of the store while
//!   serving), `reports.rs`: the administrator's.
mod admin_accounts;
mod admin_audit;
mod admin_backup;
mod admin_catalogue;
mod admin_settings;
mod admin_sign_in_gate;
mod admin_synonyms;
mod auth;
mod body;
mod call;
mod call_next;
mod check_in;
mod counter_action;
mod device_status;
mod dossier_evaluation;
mod dossier_link;
mod error;
mod events;
mod health;
mod help;
mod issue;
mod openapi;
mod procedure;
mod procedures;
mod public_ticket;
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
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::sync::watch;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

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
    /// The link to the province hub, when `[uplink]` is configured.
    pub uplink: Option<Arc<crate::uplink::Status>>,
    /// Flips to true at shutdown so that open event streams end and the server can stop.
    pub stopping: watch::Receiver<bool>,
}

/// Every route of the API with its description: `routes!` takes a handler only with its
/// `#[utoipa::path]`, so what is served and what is documented are one list. The console's
/// pages and the fallbacks are added in `router`.
pub(crate) fn routes(catalogue_limit: usize) -> OpenApiRouter<AppState> {
    let catalogue = routes!(admin_catalogue::replace).layer(DefaultBodyLimit::max(catalogue_limit));
    // A centre's whole table: up to 2,000 pairs of two phrases, past the body limit for devices.
    let synonyms = routes!(admin_synonyms::get, admin_synonyms::put).layer(DefaultBodyLimit::max(1 << 20));
    let api = OpenApiRouter::new()
        .routes(routes!(issue::issue))
        .routes(routes!(check_in::check_in))
        .routes(routes!(restore::restore))
        .routes(routes!(reprint::reprint))
        .routes(routes!(device_status::report))
        .routes(routes!(help::ask, help::list))
        .routes(routes!(help::withdraw))
        .routes(routes!(help::answer))
        .routes(routes!(call_next::call_next))
        .routes(routes!(call::call))
        .routes(routes!(counter_action::recall))
        .routes(routes!(counter_action::no_show))
        .routes(routes!(counter_action::finish))
        .routes(routes!(counter_action::pause))
        .routes(routes!(counter_action::resume))
        .routes(routes!(transfer::transfer))
        .routes(routes!(state::state))
        .routes(routes!(events::events))
        .routes(routes!(openapi::openapi))
        .routes(routes!(procedures::search))
        .routes(routes!(procedure::procedure))
        .routes(routes!(public_ticket::ticket))
        .routes(routes!(public_ticket::events))
        .routes(routes!(session::sign_in, session::current, session::sign_out))
        .routes(routes!(staff::take, staff::leave))
        .routes(routes!(rating::rate))
        .routes(routes!(dossier_link::link))
        .routes(routes!(dossier_evaluation::evaluate))
        .routes(routes!(settings::get))
        .routes(routes!(admin_settings::get, admin_settings::put))
        .routes(routes!(admin_accounts::list, admin_accounts::create))
        .routes(routes!(admin_accounts::update))
        .routes(routes!(admin_audit::list))
        .routes(routes!(admin_backup::backup))
        .routes(routes!(admin_sign_in_gate::stats))
        .routes(catalogue)
        .routes(synonyms)
        .routes(routes!(reports::json))
        .routes(routes!(reports::csv))
        .routes(routes!(reports::dossiers_json))
        .routes(routes!(reports::dossiers_csv));
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).routes(routes!(health::healthz)).nest("/api/v1", api)
}

pub fn router(state: AppState, max_body: usize) -> Router {
    let catalogue_limit = state.console.config.max_catalogue_mb as usize * 1024 * 1024;
    unstated(catalogue_limit, max_body).with_state(state)
}

/// Everything the server answers, before it is given its state (the tests read its routes).
pub(crate) fn unstated(catalogue_limit: usize, max_body: usize) -> Router<AppState> {
    let (api, _) = routes(catalogue_limit).split_for_parts();
    api.route("/console", get(crate::console::web::root_redirect))
        .route("/console/", get(crate::console::web::index))
        .route("/console/{file}", get(crate::console::web::asset))
        .route("/t/{key}", get(crate::ticket_page::page))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
}
