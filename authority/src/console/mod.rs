//! The staff and administrator console: accounts, sign-in sessions, the catalogue upload, and
//! the pages served at `/console/`.
//!
//! - `password.rs`: Argon2id hashes, random secrets.
//! - `gate.rs`: the sign-in gate: hashes at once, sign-ins waiting, sign-ins a minute from all addresses.
//! - `session.rs`: the session cookie, anti-forgery tokens, idle timeout, sign-in rate per address.
//! - `accounts.rs`: signing in (lockout), creating and changing accounts.
//! - `catalogue.rs`: replacing the procedure catalogue from an upload, atomically.
//! - `synonyms.rs`: the centre's own synonym table for search, read and saved as written.
//! - `web.rs`: the console's static pages, embedded in the binary.
//!
//! The HTTP handlers are in `api/` (`session.rs`, `staff.rs`, `rating.rs`, `admin_*.rs`,
//! `reports.rs`); a signed-in browser is a `Caller` like a device with a token (`api/auth.rs`).
pub mod accounts;
pub mod catalogue;
pub mod gate;
pub mod password;
pub mod session;
pub mod synonyms;
pub mod web;

pub use session::Console;
