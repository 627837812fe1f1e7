//! The kiosk: the touch UI, its ticket printer, and the command line. The queue authority it
//! embeds (or joins) is the `authority` crate; it talks to it over HTTP like any other device,
//! through `shared::client`.
//!
//! - `connect.rs`: which authority the kiosk talks to (its own, or one it joined on the LAN)
//!   and the one place its clients are built (token, the centre's CA).
//! - `ui/`: the touch UI (Slint), one adapter per screen.
//! - `printing/`: the ticket printer the touch UI uses (a real ESC/POS device or the simulator),
//!   and the link that prints the reprints staff ask for.
//! - `speech/`: spoken guidance: espeak-ng's voice, played with aplay on an ALSA PCM.
//! - `import.rs`: `kiosk catalogue import`, the portal's records into the catalogue file.
//! - `pin.rs`: the staff PIN of the kiosk's settings (argon2 hash, strength rules, lockout).
//! - `watchdog.rs`: what proves the kiosk alive to systemd's watchdog (`shared::notify`).
//! - `cli.rs`: the command-line client's commands and their human-readable output.
//! - `main.rs`: the binary: `kiosk` (authority + UI + printer), `kiosk serve` (the authority
//!   alone, `authority::run`), and the client commands; `kiosk-screens` (`ui/screens_bin.rs`)
//!   draws every screen to PNG.
pub mod cli;
pub mod connect;
pub mod import;
pub mod pin;
pub mod printing;
pub mod speech;
pub mod ui;
pub mod watchdog;
