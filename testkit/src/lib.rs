//! What the project's tests share, written once (a dev-dependency of every crate's tests).
//!
//! - `tokens.rs`: the bearer tokens of the test configurations.
//! - `centre.rs`: the builder of centre configurations (TOML text, parsed `Config`, file).
//! - `config.rs`: the centres the tests run on, made with that builder.
//! - `day.rs`: busy days of a centre as its event log, decided by the real engine.
//! - `wait.rs`: wait-until, async and blocking: no test sleeps blindly.
//! - `server.rs`: the real authority in this process on port 0, on a manual clock.
//! - `process.rs`: the workspace's binaries as child processes (`kiosk`, `display`).
//! - `xvfb.rs`: a virtual X server for the tests of real windows.
//! - `notify.rs`: systemd's notification socket as a test stands in for it (readiness, watchdog).
//! - `netns.rs`: a centre's LAN of network namespaces on a bridge, with cables to pull.
//! - `postgres.rs`: a private PostgreSQL server for one test (initdb, free port, stopped on drop).
//! - `alsa.rs`: ALSA's `default` PCM into a WAV file, for the tests of sound.
//! - `browser.rs`: the console API as a signed-in browser sees it (cookie and CSRF token).
//! - `booking.rs`: numbers booked ahead, as a centre holds them.
//! - `measure.rs`: the benches' resident memory and percentiles.
//! - `gateway.rs`: a stand-in for the province's SMS or Zalo gateway, recording what it is sent.
pub mod alsa;
pub mod booking;
pub mod browser;
pub mod centre;
pub mod config;
pub mod day;
pub mod gateway;
pub mod measure;
pub mod netns;
pub mod notify;
pub mod postgres;
pub mod process;
pub mod server;
pub mod tokens;
pub mod wait;
pub mod xvfb;

pub use centre::{centre, line_of, service, Centre};
pub use config::{config_text, write_config, write_console_config};
pub use process::{bin, kiosk, launch, launch_exe, launch_in, wait_exit, Served};
pub use server::{monday_9am, TestServer};
pub use tokens::*;
pub use wait::{next_event, wait_until, wait_until_blocking};
