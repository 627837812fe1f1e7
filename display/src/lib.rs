//! The display controller: what the counter screens show and the voice call says.
//!
//! Layout (why it is so: `docs/architecture.md`, "The display controller"):
//! - [`config`]: the controller's TOML configuration (`[authority]`, `[follow]`, `[boards]`,
//!   `[[outputs]]`, `[[keypads]]`);
//! - [`model`]: the live display model, pure: rebuilt from the state, kept current by events;
//! - [`follow`]: the event-stream client that feeds the model and reconnects forever;
//! - [`counter`]: the counter screen renderer (generic over `embedded_graphics::DrawTarget`)
//!   and its devices: PNG simulator, Linux framebuffer, RS-485 LED panel;
//! - [`boards`]: the Slint hall board and results board, their controllers, the headless
//!   platform that draws their snapshots;
//! - [`voice`]: recorded clips, call assembly, the announcement queue, ALSA playback;
//! - [`button`]: the keypad [`button::Button`] and key-name table, a leaf module (no imports
//!   from this crate) shared by the configuration and the keypads;
//! - [`keypad`]: GPIO buttons (debounced) and USB keypads, presses sent once each;
//! - [`health`]: the display's own health, reported to the authority on change;
//! - [`golden`]: pictures compared with their golden PNGs in `images/` by pixels, with a tolerance
//!   (the golden tests);
//! - [`run`] (in `app`): wires the outputs of a configuration to one follower; the boards run
//!   on the main thread (`boards::run`) on the same model.
//!
//! The wording of the voice call lives in [`shared::text::announce`] so the kiosk and the
//! tests share it; [`announce_text`] is what `display announce-text` prints.

mod app;
pub mod boards;
pub mod button;
pub mod config;
pub mod counter;
pub mod follow;
pub mod golden;
pub mod health;
pub mod keypad;
pub mod model;
pub mod voice;

pub use app::{run, run_on, run_with, Probes, RunError, Wiring};
use shared::text::{call_sentence, AnnounceError, Dialect};

/// Exit statuses of the `display` binary: 0 done, 1 a failure, 2 bad usage or configuration.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A failure other than bad usage.
    pub const FAILURE: u8 = 1;
    /// Bad usage or configuration (clap uses the same status for its errors).
    pub const USAGE: u8 = 2;
}

/// The one-line sentence the voice call speaks for ticket `number` at `counter`.
pub fn announce_text(number: &str, counter: u32, dialect: Dialect) -> Result<String, AnnounceError> {
    call_sentence(number, counter, dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_of_a_call() {
        assert_eq!(announce_text("A012", 3, Dialect::North).unwrap(), "Xin mời công dân có số thứ tự a mười hai đến quầy số ba");
        assert!(announce_text("", 3, Dialect::North).is_err());
    }
}
