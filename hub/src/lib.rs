//! The province hub: every one-stop centre's queue authority pushes its event log here; the
//! hub keeps it in PostgreSQL, folds it into one record per ticket with the same code the
//! centre reports with (`shared::report`), and reports on the province. Processes hold no
//! state another needs, so any number of `hub serve` may run over one database.
//!
//! Layout:
//! - `config.rs`: the TOML configuration (`[database]`, `[server]`, `[[centres]]`,
//!   `[[auth.tokens]]`, `[[accounts]]`, `[province]`), refused with `file:line: reason`.
//! - `db.rs`: the connection pool, and which failures mean "the database is away" (503).
//! - `migrate.rs`: the embedded migrations (`migrations/`), `schema_migrations`, the lock.
//! - `ingest.rs`: storing a push in one transaction, refolding the tickets it touches and
//!   keeping its evaluations; loading visits for reports.
//! - `figures.rs`: the province report and its CSV from visits (pure).
//! - `dossiers.rs`: satisfaction per dossier across the province (per centre, unit, quarter),
//!   from the visits' links and the stored evaluations.
//! - `api/`: the HTTP API, one handler per file (`mod.rs` has the routes).
//! - `serve.rs`: `hub serve`: schema check, centres registered, the accept loop.
//! - `board.rs`: the centres' ticket views for the phone pages, stored and read by version.
//! - `followers.rs`: the copies of those views this process's live pages follow, kept up by
//!   PostgreSQL's notifications.
//! - `booking/`: booking a number ahead: `[booking]`, one-time codes, the limits, the QR code.
//! - `near/`: "your turn is near": phone numbers left on the pages, messages to the province's
//!   gateway claimed inside the centres' pushes and delivered from an outbox.
//! - `ticket_page.rs`: the phone page `/t/{centre}/{key}` (the centre's own page, from the hub).
//! - `web.rs`: the province's dashboard page at `/province/` (files in `web/`).
//! - `secret.rs`: SHA-256 of tokens and cookies, random session secrets.
pub mod api;
pub mod board;
pub mod booking;
pub mod config;
pub mod db;
pub mod dossiers;
pub mod figures;
pub mod followers;
pub mod ingest;
pub mod migrate;
pub mod near;
pub mod secret;
pub mod serve;
pub mod ticket_page;
pub mod web;

pub use api::{system_clock, Clock};
pub use config::HubConfig;
pub use serve::{run, ServeError};
