//! Text as the portal serves it, tidied: NFC, no invisible characters, no runs of spaces, no
//! blank lines. Only white space changes; no word is altered, added or removed.

use crate::text::nfc;

/// Characters that show as nothing but break matching and layout: zero-width spaces and joiners,
/// the byte-order mark, the soft hyphen.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// One line: every run of white space (line breaks, tabs, no-break spaces) becomes one space.
/// `None` when nothing is left.
pub(super) fn line(s: &str) -> Option<String> {
    let s = nfc(s);
    let out = s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).map(|w| w.replace(invisible, "")).collect::<Vec<_>>();
    let out = out.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// Lines kept as lines, each tidied like [`line`], blank ones dropped. `None` when nothing is left.
pub(super) fn lines(s: &str) -> Vec<String> {
    s.split(['\n', '\r', '\u{2028}', '\u{2029}']).filter_map(line).collect()
}

/// A text of several lines, tidied, joined with `\n`.
pub(super) fn para(s: &str) -> Option<String> {
    let out = lines(s).join("\n");
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_tidied_and_words_are_kept() {
        assert_eq!(line("  Đăng ký\u{00A0}\u{00A0}thường\t trú \r\n").as_deref(), Some("Đăng ký thường trú"));
        assert_eq!(line("Đăng\u{200B}ký").as_deref(), Some("Đăngký"), "an invisible character is removed, not turned into a space");
        assert_eq!(line(" \u{FEFF} \n"), None);
        assert_eq!(para("Bước 1:  nộp hồ sơ\r\n\r\n  Bước 2: nhận kết quả  ").as_deref(), Some("Bước 1: nộp hồ sơ\nBước 2: nhận kết quả"));
        // NFD input (a combining acute) comes out in NFC.
        assert_eq!(line("ho\u{0301}a").as_deref(), Some("hóa"));
    }
}
