//! The display controller: what the hall screens, counter screens and the voice
//! call show and say.
//!
//! Planned layout (DESIGN.md): the event-stream client, renderers generic over
//! `embedded_graphics::DrawTarget`, output devices behind traits, the Slint
//! boards, the announcer and the keypad reader. For now the crate holds the text
//! of the voice call, which `display announce-text` prints; the wording itself
//! lives in [`shared::text::announce`] so the kiosk and the tests share it.

use shared::text::{call_sentence, AnnounceError, Dialect};

/// Exit statuses of the `display` binary (DESIGN.md, "Command line").
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A failure other than bad usage.
    pub const FAILURE: u8 = 1;
    /// Bad usage or configuration (clap uses the same status for its errors).
    pub const USAGE: u8 = 2;
}

/// The one-line sentence the voice call speaks for ticket `number` at `counter`.
pub fn announce_text(
    number: &str,
    counter: u32,
    dialect: Dialect,
) -> Result<String, AnnounceError> {
    call_sentence(number, counter, dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_of_a_call() {
        assert_eq!(
            announce_text("A012", 3, Dialect::North).unwrap(),
            "Xin mời công dân có số thứ tự a mười hai đến quầy số ba"
        );
        assert!(announce_text("", 3, Dialect::North).is_err());
    }
}
