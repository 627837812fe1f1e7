//! Names that people read on the hall board, the ticket and a terminal (the centre's name):
//! what they may hold.
//!
//! A name reaches a Slint board, a thermal printer and `kiosk state` in a terminal. Control
//! characters (C0, DEL, C1: ESC starts terminal and printer commands), the bidirectional
//! embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: they reverse the text
//! after them, on screen and in logs), and the other invisible format characters (zero-width
//! spaces and joiners, BOM, line separators, tag characters) garble or hide what is shown, and
//! no centre needs them in a Vietnamese name. New names with them are refused; names stored
//! before the rule are cleaned ([`clean_name`]) and anything printed to a terminal is escaped
//! ([`escape_for_terminal`]).
use super::fold::nfc;
use std::borrow::Cow;

/// What a hall board line holds, and what the other names (services, priority classes) take.
pub const NAME_MAX_CHARS: usize = 120;

/// Whether `c` garbles or hides text on a terminal, a printer or a board.
pub fn garbles(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' // soft hyphen
            | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}' | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}' // line and paragraph separators, embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, isolates, deprecated formats
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}' // tag characters
        )
}

/// A name as it will be stored (trimmed, NFC), or why it is refused: empty, longer than `max`
/// characters, or holding a character that [`garbles`] (named with its position).
pub fn check_name(name: &str, max: usize) -> Result<String, String> {
    // Checked before trimming: NEL (U+0085) and the line separators are white space to `trim`.
    if let Some((i, c)) = name.chars().enumerate().find(|(_, c)| garbles(*c)) {
        return Err(format!(
            "must not hold control, direction-changing or invisible characters (U+{:04X} at character {})",
            c as u32,
            i + 1
        ));
    }
    let name = nfc(name.trim());
    let n = name.chars().count();
    if n == 0 || n > max {
        return Err(format!("must have 1 to {max} characters (it has {n})"));
    }
    Ok(name)
}

/// A name stored before the rule, made safe: characters that garble dropped, trimmed, NFC, cut
/// at `max` characters. Empty if nothing is left.
pub fn clean_name(name: &str, max: usize) -> String {
    let kept: String = name.chars().filter(|c| !garbles(*c)).collect();
    nfc(kept.trim()).chars().take(max).collect::<String>().trim_end().to_owned()
}

/// `s` safe to print on a terminal: each character that garbles shown as `\u{..}`, the rest as
/// is (Vietnamese letters stay readable).
pub fn escape_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(garbles) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if garbles(c) { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_controls_overrides_or_invisibles_are_refused_and_say_which() {
        // Proves ESC, NUL, DEL, C1, a right-to-left override, an isolate, a zero-width space
        // and a BOM are each caught.
        for bad in ["UBND\u{1b}[2J", "A\0B", "A\u{7f}", "A\u{9b}31m", "UBND \u{202E}nộiH", "\u{2067}x", "Ba\u{200B}Đình", "\u{FEFF}UBND"]
        {
            let err = check_name(bad, NAME_MAX_CHARS).expect_err(bad);
            assert!(err.contains("U+"), "{err}");
        }
        assert!(check_name("UBND \u{202E}x", 120).unwrap_err().contains("U+202E at character 6"));
        assert!(check_name("UBND\u{85}", 120).is_err(), "a trailing NEL is refused, not trimmed away");
    }

    #[test]
    fn a_good_name_is_trimmed_and_composed_and_the_length_is_capped() {
        // Proves a decomposed name from a browser is stored composed, and 12,000 characters are not.
        let decomposed = "  Bo\u{0302}\u{0323} pha\u{0323}\u{0302}n Mo\u{0323}\u{0302}t cu\u{031B}\u{0309}a ";
        assert_eq!(check_name(decomposed, 120).unwrap(), "Bộ phận Một cửa");
        assert_eq!(check_name(&"Đ".repeat(120), 120).unwrap().chars().count(), 120);
        assert!(check_name(&"Đ".repeat(12_000), 120).unwrap_err().contains("1 to 120 characters (it has 12000)"));
        assert!(check_name("   ", 120).is_err());
    }

    #[test]
    fn an_old_name_is_cleaned_and_printing_escapes_what_garbles() {
        // Proves a name stored before the rule cannot reach a board or terminal as it was.
        assert_eq!(clean_name("\u{1b}[31mUBND\u{202E} Ba Đình\0", 120), "[31mUBND Ba Đình");
        assert_eq!(clean_name(&"x".repeat(500), 120).len(), 120);
        assert_eq!(escape_for_terminal("UBND\u{1b}[2J\u{202E}"), "UBND\\u{1b}[2J\\u{202e}");
        assert!(matches!(escape_for_terminal("Bộ phận Một cửa"), Cow::Borrowed(_)));
    }
}
