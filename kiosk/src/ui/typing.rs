//! What the on-screen keyboard has typed: the keys as pressed, and the Vietnamese they compose
//! by Telex ("ddawng kys" → "đăng ký") or by VNI ("d9a8ng ky1" → "đăng ký"). Keeping the keys
//! and composing each word afresh makes backspace simple and exact (it removes the last key,
//! not a composed letter), and lets the citizen switch method halfway without losing a thing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Letters: s f r x j for the tones, aa ee oo aw ow uw dd for the letters.
    #[default]
    Telex,
    /// Digits: 1–5 for the tones, 6 circumflex, 7 horn, 8 breve, 9 đ, 0 removes the tone.
    Vni,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Typing {
    keys: String,
    method: Method,
}

/// The key the keyboard sends for backspace.
pub const BACKSPACE: &str = "\u{8}";

impl Typing {
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

    pub fn method(&self) -> Method {
        self.method
    }

    pub fn set_method(&mut self, method: Method) {
        self.method = method;
    }

    /// The composed text, word by word (spaces kept as typed).
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.keys.len());
        for (i, word) in self.keys.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let composed = match self.method {
                Method::Telex if word.chars().all(|c| c.is_ascii_alphabetic()) => Some(&vi::TELEX),
                // A VNI word mixes letters and tone digits; digits alone are a number.
                Method::Vni if word.chars().all(|c| c.is_ascii_alphanumeric()) && word.chars().any(|c| c.is_ascii_alphabetic()) => {
                    Some(&vi::VNI)
                }
                // Codes and numbers ("1.004194") are not composed.
                _ => None,
            };
            match composed {
                Some(method) => {
                    let _ = vi::transform_buffer(method, word.chars(), &mut out);
                }
                None => out.push_str(word),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(method: Method, keys: &[&str]) -> Typing {
        let mut t = Typing { method, ..Typing::default() };
        for k in keys {
            t.key(k);
        }
        t
    }

    fn each(s: &str) -> Vec<String> {
        s.chars().map(String::from).collect()
    }

    fn telex(s: &str) -> String {
        typed(Method::Telex, &each(s).iter().map(String::as_str).collect::<Vec<_>>()).text()
    }

    fn vni(s: &str) -> String {
        typed(Method::Vni, &each(s).iter().map(String::as_str).collect::<Vec<_>>()).text()
    }

    #[test]
    fn telex_keys_compose_vietnamese_word_by_word() {
        assert_eq!(telex("ddawng kys"), "đăng ký");
        assert_eq!(telex("khai sinh"), "khai sinh");
        assert_eq!(telex("thuwowngf"), "thường");
    }

    #[test]
    fn vni_keys_compose_the_same_words() {
        assert_eq!(vni("d9a8ng ky1"), "đăng ký");
        assert_eq!(vni("thu7o7ng2 tru1"), "thường trú");
        assert_eq!(vni("ho65 chie61u"), "hộ chiếu");
        assert_eq!(vni("ta5m tru1"), "tạm trú");
        assert_eq!(vni("ky10"), "ky", "0 removes the tone");
    }

    #[test]
    fn backspace_removes_the_last_key_and_clear_empties() {
        let mut t = typed(Method::Telex, &["k", "y", "s"]);
        assert_eq!(t.text(), "ký");
        t.key(BACKSPACE);
        assert_eq!(t.text(), "ky");
        t.key("");
        assert_eq!(t.text(), "");
        let mut t = typed(Method::Vni, &["k", "y", "1"]);
        assert_eq!(t.text(), "ký");
        t.key(BACKSPACE);
        assert_eq!(t.text(), "ky");
    }

    #[test]
    fn codes_and_numbers_are_not_composed_by_either_method() {
        assert_eq!(typed(Method::Telex, &["1.004194"]).text(), "1.004194");
        assert_eq!(typed(Method::Vni, &["1.004194"]).text(), "1.004194");
        assert_eq!(vni("2025"), "2025");
    }

    #[test]
    fn switching_method_recomposes_what_was_typed() {
        // A citizen used to VNI types "ky1" on the Telex keyboard, then switches: nothing to retype.
        let mut t = typed(Method::Telex, &["k", "y", "1"]);
        assert_eq!(t.text(), "ky1", "Telex leaves a word with a digit alone");
        t.set_method(Method::Vni);
        assert_eq!(t.keys(), "ky1");
        assert_eq!(t.text(), "ký");
    }
}
