//! `[[keypads]]`: counter keypads and which input each button is.
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

fn default_true() -> bool {
    true
}
fn default_debounce_ms() -> u64 {
    30
}
fn default_notice_s() -> u64 {
    5
}

/// One counter keypad: its buttons are mapped to the counter's commands. Every kind has
/// `counter` (the counter the buttons command), `token` (of role `counter`, allowed for that
/// counter) and `notice_s` (how long the counter screen shows the answer to a press).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Keypad {
    /// Push buttons on GPIO pins (BCM numbering), read with rppal. Off a Pi it is simulated:
    /// lines `next`, `recall`, `no_show` or `finish` written to `simulate` (a FIFO it makes)
    /// press the button, through the same debouncing.
    Gpio {
        counter: String,
        token: String,
        pins: ButtonMap<u8>,
        /// Pressed pulls the pin to ground (the usual wiring with the internal pull-up).
        #[serde(default = "default_true")]
        active_low: bool,
        #[serde(default = "default_debounce_ms")]
        debounce_ms: u64,
        #[serde(default)]
        simulate: Option<PathBuf>,
        #[serde(default = "default_notice_s")]
        notice_s: u64,
    },
    /// A USB keypad or keyboard: Linux input events from `/dev/input/eventN` (better a stable
    /// `/dev/input/by-id/...-event-kbd` link). Keys by name, e.g. "KP_ENTER", "KP_PLUS", "F1".
    Evdev {
        counter: String,
        token: String,
        device: PathBuf,
        keys: ButtonMap<String>,
        /// Take the device for this keypad alone (EVIOCGRAB), so key presses do not also type
        /// into a window.
        #[serde(default = "default_true")]
        grab: bool,
        #[serde(default = "default_notice_s")]
        notice_s: u64,
    },
}

impl Keypad {
    pub fn counter(&self) -> &str {
        match self {
            Keypad::Gpio { counter, .. } | Keypad::Evdev { counter, .. } => counter,
        }
    }
    pub fn token(&self) -> &str {
        match self {
            Keypad::Gpio { token, .. } | Keypad::Evdev { token, .. } => token,
        }
    }
    pub fn notice(&self) -> Duration {
        match self {
            Keypad::Gpio { notice_s, .. } | Keypad::Evdev { notice_s, .. } => Duration::from_secs(*notice_s),
        }
    }
}

/// Which input each button is. Any of them may be left out.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ButtonMap<T> {
    pub next: Option<T>,
    pub recall: Option<T>,
    pub no_show: Option<T>,
    pub finish: Option<T>,
}

impl<T: Clone> ButtonMap<T> {
    /// `(button, input)` for every mapped button.
    pub fn entries(&self) -> Vec<(crate::button::Button, T)> {
        use crate::button::Button;
        [(Button::Next, &self.next), (Button::Recall, &self.recall), (Button::NoShow, &self.no_show), (Button::Finish, &self.finish)]
            .into_iter()
            .filter_map(|(b, v)| v.clone().map(|v| (b, v)))
            .collect()
    }
}
