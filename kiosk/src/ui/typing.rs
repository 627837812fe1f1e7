//! What the on-screen keyboard has typed: the keys as pressed, and the Vietnamese they
//! compose by Telex ("ddawng kys" → "đăng ký"). Keeping the keys and composing each word
//! afresh makes backspace simple and exact: it removes the last key, not a composed letter.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TelexInput {
    keys: String,
}

/// The key the keyboard sends for backspace.
pub const BACKSPACE: &str = "\u{8}";

impl TelexInput {
    /// Applies one key of the on-screen keyboard: a character, `BACKSPACE`, or "" (clear).
    pub fn key(&mut self, key: &str) {
        match key {
            "" => self.keys.clear(),
            BACKSPACE => {
                self.keys.pop();
            }
            // Scanners and physical keyboards type whole strings; keep what a query can hold.
            k => self.keys.extend(k.chars().filter(|c| !c.is_control()).take(64)),
        }
        if self.keys.chars().count() > 80 {
            self.keys = self.keys.chars().take(80).collect();
        }
    }

    pub fn keys(&self) -> &str {
        &self.keys
    }

    /// The composed text, word by word (spaces kept as typed).
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.keys.len());
        for (i, word) in self.keys.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if word.chars().all(|c| c.is_ascii_alphabetic()) {
                let _ = vi::transform_buffer(&vi::TELEX, word.chars(), &mut out);
            } else {
                // Codes and numbers ("1.004194") are not Telex.
                out.push_str(word);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[&str]) -> TelexInput {
        let mut t = TelexInput::default();
        for k in keys {
            t.key(k);
        }
        t
    }

    #[test]
    fn telex_keys_compose_vietnamese_word_by_word() {
        assert_eq!(typed(&["d", "d", "a", "w", "n", "g", " ", "k", "y", "s"]).text(), "đăng ký");
        assert_eq!(typed(&["k", "h", "a", "i", " ", "s", "i", "n", "h"]).text(), "khai sinh");
        assert_eq!(typed(&["t", "h", "u", "w", "o", "w", "n", "g", "f"]).text(), "thường");
    }

    #[test]
    fn backspace_removes_the_last_key_and_clear_empties() {
        let mut t = typed(&["k", "y", "s"]);
        assert_eq!(t.text(), "ký");
        t.key(BACKSPACE);
        assert_eq!(t.text(), "ky");
        t.key("");
        assert_eq!(t.text(), "");
    }

    #[test]
    fn codes_are_not_composed() {
        assert_eq!(typed(&["1.004194"]).text(), "1.004194");
    }
}
