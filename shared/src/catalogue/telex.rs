//! Telex and VNI leftovers in a query, undone down to folded letters.
//!
//! A citizen used to typing Vietnamese on a phone may type "ddawng kys" on the
//! kiosk, whose keyboard does not compose: the keys that would have made
//! "đăng ký" stay in the text. Search compares folded text (no marks), so
//! there is no need to compose the marks only to drop them again: this module
//! removes the mark keys and yields what [`fold`](crate::text::fold) would give
//! for the composed word. The search tries the word as typed too, because
//! real words (English "visa", "website") may look like Telex.
//!
//! Telex keys: tones s f r x j (z clears a tone), shapes aa ee oo (â ê ô),
//! aw ow uw (ă ơ ư), w alone (ư), dd (đ). VNI keys: digits 1–9 after letters.

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The folded word `word` (lower-case ASCII) with Telex keys removed, or
/// `None` if it holds none or is not a plain lower-case ASCII word.
///
/// Rules, in the order keys come:
/// - `dd` at the start is đ, which folds to d;
/// - a doubled a, e or o is â, ê or ô, which fold to a, e, o;
/// - `w` after a vowel is a shape key (ă ơ ư) and goes; `w` before any vowel
///   types ư, which folds to u;
/// - s f r x j z after the first vowel are tone keys and go: no Vietnamese
///   syllable has these letters after its vowel (they are initials only), so
///   the rule cannot eat a real letter of a Vietnamese word.
pub fn strip_telex(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut seen_vowel = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'd' if i == 1 && out == b"d" => {}
            b'a' | b'e' | b'o' if out.last() == Some(&c) && b.get(i.wrapping_sub(1)) == Some(&c) => {}
            b'w' if seen_vowel => {}
            b'w' => {
                out.push(b'u');
                seen_vowel = true;
            }
            b's' | b'f' | b'r' | b'x' | b'j' | b'z' if seen_vowel => {}
            _ => {
                seen_vowel |= is_vowel(c);
                out.push(c);
            }
        }
    }
    let out = String::from_utf8(out).ok()?;
    (out != word && !out.is_empty()).then_some(out)
}

/// The word with VNI keys (digits after a letter) removed, or `None` if it has
/// none. "d9a8ng" → "dang", "ky1" → "ky". A word that starts with a digit is a
/// number ("123", "6"), not VNI, and is left alone.
pub fn strip_vni(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_lowercase)
        || !b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        || !b.iter().any(u8::is_ascii_digit)
    {
        return None;
    }
    // "d9" is đ: the 9 goes with the rest of the digits.
    Some(word.chars().filter(char::is_ascii_lowercase).collect())
}

/// The forms of a folded query word to look up: as typed first, then the
/// Telex and VNI readings when they differ.
pub fn variants(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    for v in [strip_telex(word), strip_vni(word)].into_iter().flatten() {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    /// Requirement: Telex leftovers reduce to the fold of the composed word,
    /// with tone keys placed anywhere after the vowel.
    #[test]
    fn catalogue_telex_leftovers_fold_like_the_composed_word() {
        let cases = [
            ("ddawng", "Đăng"),
            ("kys", "ký"),
            ("thuowngf", "thường"),
            ("tuowfng", "tường"),
            ("truws", "trú"),
            ("nguwowif", "người"),
            ("caaps", "cấp"),
            ("giaays", "giấy"),
            ("pheps", "phép"),
            ("xaay", "xây"),
            ("dungwj", "dựng"),
            ("hoj", "họ"),
            ("tw", "tư"),
            ("nghieepj", "nghiệp"),
            ("chieeus", "chiếu"),
            ("cuwowcs", "cước"),
            ("hooj", "hộ"),
        ];
        for (typed, word) in cases {
            assert_eq!(strip_telex(typed).as_deref(), Some(fold(word).as_str()), "{typed}");
        }
    }

    /// Failure proved: plain unaccented words are not mangled (no variant),
    /// so "sinh", "xay", "tru" search as typed.
    #[test]
    fn catalogue_telex_leaves_plain_words_alone() {
        for w in ["sinh", "xay", "tru", "ho", "chieu", "dang", "khai", "thuong", "giay", "x", ""] {
            assert_eq!(strip_telex(w), None, "{w}");
        }
        assert_eq!(strip_telex("Dang"), None, "only folded input");
        assert_eq!(variants("visa"), ["visa", "via"], "as typed comes first");
    }

    /// Requirement: VNI digits after letters go; numbers stay numbers.
    #[test]
    fn catalogue_vni_digits() {
        assert_eq!(strip_vni("d9a8ng").as_deref(), Some("dang"));
        assert_eq!(strip_vni("ky1").as_deref(), Some("ky"));
        assert_eq!(strip_vni("123"), None);
        assert_eq!(strip_vni("ky"), None);
        assert_eq!(variants("kys"), ["kys", "ky"]);
    }
}
