//! Keypad buttons and key names: a leaf module (it uses nothing of this crate), so that the
//! configuration, the keypads and the health reports can all name a button without a cycle.
use shared::client::CounterAction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Button {
    Next,
    Recall,
    NoShow,
    Finish,
}

impl Button {
    /// The command the button sends.
    pub fn action(self) -> CounterAction {
        match self {
            Button::Next => CounterAction::CallNext,
            Button::Recall => CounterAction::Recall,
            Button::NoShow => CounterAction::NoShow,
            Button::Finish => CounterAction::Finish,
        }
    }

    /// The command's path under `/api/v1/counters/{counter}/` (as the logs name it).
    pub fn path(self) -> &'static str {
        self.action().segment()
    }

    pub const ALL: [Button; 4] = [Button::Next, Button::Recall, Button::NoShow, Button::Finish];

    /// The configuration's name.
    pub fn name(self) -> &'static str {
        match self {
            Button::Next => "next",
            Button::Recall => "recall",
            Button::NoShow => "no_show",
            Button::Finish => "finish",
        }
    }

    /// The button of a configuration's name.
    pub fn parse(s: &str) -> Option<Button> {
        Button::ALL.into_iter().find(|b| b.name() == s)
    }
}

/// Key names a configuration may use, and their codes.
const NAMED: &[(&str, u16)] = &[
    ("ESC", 1),
    ("BACKSPACE", 14),
    ("TAB", 15),
    ("ENTER", 28),
    ("SPACE", 57),
    ("NUMLOCK", 69),
    ("KP_ASTERISK", 55),
    ("KP_MINUS", 74),
    ("KP_PLUS", 78),
    ("KP_DOT", 83),
    ("KP_ENTER", 96),
    ("KP_SLASH", 98),
    ("KP7", 71),
    ("KP8", 72),
    ("KP9", 73),
    ("KP4", 75),
    ("KP5", 76),
    ("KP6", 77),
    ("KP1", 79),
    ("KP2", 80),
    ("KP3", 81),
    ("KP0", 82),
    ("F1", 59),
    ("F2", 60),
    ("F3", 61),
    ("F4", 62),
    ("F5", 63),
    ("F6", 64),
    ("F7", 65),
    ("F8", 66),
    ("F9", 67),
    ("F10", 68),
    ("F11", 87),
    ("F12", 88),
    ("UP", 103),
    ("LEFT", 105),
    ("RIGHT", 106),
    ("DOWN", 108),
    ("HOME", 102),
    ("END", 107),
    ("PAGEUP", 104),
    ("PAGEDOWN", 109),
    ("INSERT", 110),
    ("DELETE", 111),
];
const LETTERS: &[u16; 26] = &[30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44];
const DIGITS: &[u16; 10] = &[11, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/// The code of a key name: a name above (with or without `KEY_`), a letter, a digit, or
/// `code:N` for any other key (`evtest` shows the numbers).
pub fn key_code(name: &str) -> Option<u16> {
    let n = name.trim().to_ascii_uppercase();
    let n = n.strip_prefix("KEY_").unwrap_or(&n);
    if let Some(code) = n.strip_prefix("CODE:") {
        return code.parse().ok().filter(|c| *c > 0 && *c < 0x300);
    }
    if let Some((_, c)) = NAMED.iter().find(|(k, _)| *k == n || k.replace('_', "") == n) {
        return Some(*c);
    }
    let mut chars = n.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ 'A'..='Z'), None) => Some(LETTERS[(c as u8 - b'A') as usize]),
        (Some(c @ '0'..='9'), None) => Some(DIGITS[(c as u8 - b'0') as usize]),
        _ => None,
    }
}
