//! The domain of the queue appliance: pure rules, plus the SQLite store at its edge.
//!
//! - `atomic`: replacing a file whole or not at all (the catalogue, its import).
//! - `catalogue`: the procedure catalogue (national exchange format and the short list), its
//!   hostile-file-safe loading, the import of the portal's current records, and the ranked
//!   per-keystroke search (accents, Telex, VNI).
//! - `client`: the typed async client of the queue authority's API (feature `client`), the one
//!   every process uses, and `HubClient`, the province hub's client of the authority's uplink.
//! - `config`: the TOML configuration, validated, with `file:line: reason` errors.
//! - `console`: staff accounts, sessions and the audit log, as records and API bodies.
//! - `dossier`: dossiers of the one-stop system (receipt codes, masking, the source trait;
//!   the HTTP(S) source behind feature `http`, a stand-in system behind feature `demo`).
//! - `domain`: tickets, counters and the queue engine; decides events from commands, no I/O.
//! - `event`: the events the engine decides, persisted as the store's log and sent to clients.
//! - `notify`: systemd's readiness and watchdog messages (`sd_notify`), for the kiosk and the
//!   display.
//! - `province`: the uplink's and the province report's bodies; what leaves a centre.
//! - `report`: the figures of a day or a range (issued, served, waits, ratings), from events.
//! - `store`: the SQLite event log (WAL, migrations in `PRAGMA user_version`), and the uplink's
//!   cursor.
//! - `wire`: request and response bodies of the HTTP API. With feature `openapi` the API's bodies
//!   (here, in `console`, `event`, `report` and `config::Settings`) derive `utoipa::ToSchema`, for
//!   the authority's generated API document; without it `shared` does not compile utoipa.
//! - `sse`: a parser of Server-Sent Events streams, for the API's clients.
//! - `text`: Vietnamese text rules (search folding, numbers read aloud).
//! - `testing` (unit tests only): the centre configurations of this crate's own tests.
pub mod atomic;
pub mod catalogue;
#[cfg(feature = "client")]
pub mod client;
pub mod config;
pub mod console;
pub mod domain;
pub mod dossier;
pub mod event;
pub mod notify;
pub mod province;
pub mod report;
pub mod sse;
pub mod store;
#[cfg(test)]
mod testing;
pub mod text;
pub mod wire;
