//! Accent-insensitive folding of Vietnamese text, for search.
//!
//! Citizens type on an on-screen keyboard, often without tones, and the catalogue
//! arrives from the province in whatever normalisation form its editors used. Both
//! sides of a search therefore go through [`fold`], so "ho tich", "hộ tịch" and the
//! NFD spelling of "hộ tịch" all compare equal.

use unicode_normalization::UnicodeNormalization;

/// True for the combining diacritical marks block, U+0300–U+036F.
///
/// Every Vietnamese tone mark (grave, acute, tilde, hook above, dot below) and
/// every vowel modifier (circumflex, breve, horn) lives in this block once the
/// text is in NFD, so dropping it leaves the bare Latin letters.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Folds `s` for accent-insensitive comparison.
///
/// Steps: NFD; lower-case; drop U+0300–U+036F; map đ→d (Đ is lower-cased first,
/// so it lands here too); collapse runs of whitespace into one space and trim.
///
/// đ and Đ need their own mapping because they are letters with a stroke, not a
/// base letter plus a combining mark: NFD leaves them whole.
///
/// Old and new tone placement ("hòa" / "hoà") differ only in which vowel carries
/// the grave accent, and the accent is dropped, so both fold to "hoa".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Tracks whether a space is owed before the next visible character; this
    // collapses whitespace runs and trims both ends in the same pass.
    let mut pending_space = false;
    for c in s.nfd().flat_map(char::to_lowercase) {
        // Lower-casing can itself produce a combining mark (U+0130 İ → i + U+0307),
        // so the mark filter runs after it.
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if c == 'đ' { 'd' } else { c });
    }
    out
}

/// `s` in Unicode Normalization Form C.
///
/// The store, the wire and the screens use NFC so that a ticket or a procedure
/// name has one byte form; input from elsewhere goes through here first.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The folded words of `s`: [`fold`], then split on anything that is not
/// alphanumeric, empty pieces dropped.
///
/// Search ranks by word matches, and punctuation in procedure names ("đăng ký
/// khai sinh (có yếu tố nước ngoài)") must not glue to the neighbouring word.
pub fn tokens(s: &str) -> Vec<String> {
    fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn drops_tones_and_vowel_marks() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("HỘ TỊCH"), "ho tich");
        assert_eq!(fold("ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự"), "aaaaa aaaaa eeeee ooooo ooooo uuuuu");
        assert_eq!(fold("đĐ"), "dd");
    }

    #[test]
    fn nfc_and_nfd_fold_alike() {
        let samples = ["Nguyễn Thị Hương", "Đường Trần Hưng Đạo", "thủ tục cấp lại", "Ưu tiên"];
        for s in samples {
            let nfd: String = s.nfd().collect();
            assert_ne!(nfd, s, "the sample should really differ in NFD");
            assert_eq!(fold(&nfd), fold(s), "{s}");
            assert_eq!(nfc(&nfd), s);
        }
    }

    #[test]
    fn old_and_new_tone_placement_fold_alike() {
        assert_eq!(fold("hòa"), fold("hoà"));
        assert_eq!(fold("thuỷ"), fold("thủy"));
        assert_eq!(fold("hòa"), "hoa");
    }

    #[test]
    fn collapses_and_trims_whitespace() {
        assert_eq!(fold("  cấp \t giấy\n\nphép  "), "cap giay phep");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" \t "), "");
    }

    #[test]
    fn folding_is_idempotent() {
        let s = "Chứng thực bản sao từ bản chính";
        assert_eq!(fold(&fold(s)), fold(s));
    }

    #[test]
    fn lower_casing_marks_are_dropped_too() {
        // İ lower-cases to i + U+0307; the dot must not survive.
        assert_eq!(fold("İ"), "i");
    }

    #[test]
    fn tokens_split_on_punctuation() {
        assert_eq!(tokens("Đăng ký khai sinh (có yếu tố nước ngoài)"), ["dang", "ky", "khai", "sinh", "co", "yeu", "to", "nuoc", "ngoai"]);
        assert_eq!(tokens("1.004946.000.00.00.H12"), ["1", "004946", "000", "00", "00", "h12"]);
        assert!(tokens(" -- ").is_empty());
    }
}
