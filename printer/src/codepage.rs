//! Vietnamese in the printer's own character tables: TCVN-3 and Windows-1258.
//!
//! Raster text is the default because it prints correctly on every printer. A printer with
//! Vietnamese code tables can instead receive text as bytes (a line of 40 characters is about 45
//! bytes instead of a kilobyte of raster), with these tables, Epson numbering (`ESC t n`):
//!
//! - **TCVN-3**, TCVN 5712:1993 part VN3 (VSCII-3), the 8-bit standard of Vietnam: ASCII plus the
//!   67 lower-case Vietnamese letters. VN3 has no upper-case letter carrying a tone mark: as with
//!   the ".VnTime"/".VnTimeH" font pairs of the ABC set, capitals come from a second table whose
//!   cells hold the capital of the same letters. Epson prints them as two pages: **30**
//!   (TCVN-3-1, lower case) and **31** (TCVN-3-2, capitals). Lower-case positions are those of
//!   TCVN 5712:1993 VN3 (and of VN1, which the tests cross-check against glibc's `TCVN5712-1`
//!   converter); the capital page follows Epson's code table for page 31 (TM-T20II technical
//!   reference guide, as transcribed in the `escpos-printer-db` project's `encoding.yml`), which
//!   the tests check is the lower-case page letter for letter.
//! - **Windows-1258** (Epson page **52**, "WPC1258"): Latin-1-like, with ă â ê ô ơ ư đ and their
//!   capitals precomposed and the five tone marks as *combining* bytes (0xCC grave, 0xEC acute,
//!   0xD2 hook above, 0xDE tilde, 0xF2 dot below) that follow their letter. A letter the table
//!   holds whole (à, é, Ô...) is one byte; any other toned letter is its base letter and one tone
//!   byte, which is how Windows and glibc's `CP1258` converter encode it (cross-checked in the
//!   tests). Printers that implement WPC1258 print a tone byte over the preceding letter.
//!
//! A character outside the chosen table is never sent as a guess: [`CodePage::first_unencodable`]
//! finds it, and the encoder then sends that whole line as raster (see `encoder`).

use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// `ESC t 30`: TCVN-3, lower case (TCVN-3-1).
pub const TCVN3_LOWER: u8 = 30;
/// `ESC t 31`: TCVN-3, capitals (TCVN-3-2).
pub const TCVN3_UPPER: u8 = 31;
/// `ESC t 52`: Windows-1258 (WPC1258).
pub const WPC1258: u8 = 52;

/// Unassigned cell in the tables below.
const NONE: char = '\u{FFFF}';

/// Epson page 30, bytes 0x80..=0xFF, 16 per row: TCVN 5712:1993 VN3 lower case (0xA0 is the
/// standard's no-break space).
#[rustfmt::skip]
const TCVN3_LOWER_TABLE: [[char; 16]; 8] = {
    const N: char = NONE;
    [
        [N; 16],
        [N; 16],
        ['\u{A0}', N, N, N, N, N, N, N, 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', N],
        [N, N, N, N, N, 'à', 'ả', 'ã', 'á', 'ạ', N, 'ằ', 'ẳ', 'ẵ', 'ắ', N],
        [N, N, N, N, N, N, 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', N, 'ẻ', 'ẽ'],
        ['é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', N, N, N, 'ĩ', 'í', 'ị', 'ò'],
        [N, 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù'],
        [N, 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', N],
    ]
};

/// Windows-1258, bytes 0x80..=0xFF (Microsoft's published table; 0xCC 0xD2 0xDE 0xEC 0xF2 are
/// the combining tone marks).
#[rustfmt::skip]
const CP1258_TABLE: [[char; 16]; 8] = {
    const N: char = NONE;
    [
        ['€', N, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', N, '‹', 'Œ', N, N, N],
        [N, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', N, '›', 'œ', N, N, 'Ÿ'],
        ['\u{A0}', '¡', '¢', '£', '¤', '¥', '¦', '§', '¨', '©', 'ª', '«', '¬', '\u{AD}', '®', '¯'],
        ['°', '±', '²', '³', '´', 'µ', '¶', '·', '¸', '¹', 'º', '»', '¼', '½', '¾', '¿'],
        ['À', 'Á', 'Â', 'Ă', 'Ä', 'Å', 'Æ', 'Ç', 'È', 'É', 'Ê', 'Ë', '\u{300}', 'Í', 'Î', 'Ï'],
        ['Đ', 'Ñ', '\u{309}', 'Ó', 'Ô', 'Ơ', 'Ö', '×', 'Ø', 'Ù', 'Ú', 'Û', 'Ü', 'Ư', '\u{303}', 'ß'],
        ['à', 'á', 'â', 'ă', 'ä', 'å', 'æ', 'ç', 'è', 'é', 'ê', 'ë', '\u{301}', 'í', 'î', 'ï'],
        ['đ', 'ñ', '\u{323}', 'ó', 'ô', 'ơ', 'ö', '÷', 'ø', 'ù', 'ú', 'û', 'ü', 'ư', '₫', 'ÿ'],
    ]
};

/// The five Vietnamese tone marks as combining characters.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A native text encoding a printer profile may choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodePage {
    /// TCVN-3 over Epson pages 30 (lower case) and 31 (capitals).
    Tcvn3,
    /// Windows-1258, Epson page 52, tones as combining bytes.
    Cp1258,
}

/// What one byte of a code table prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    /// A character with its own cell.
    Char(char),
    /// A tone mark printed over the previous cell (Windows-1258 only).
    Combining(char),
}

/// A character and the `ESC t` table its byte belongs to (`None`: ASCII, valid in every table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coded {
    pub table: Option<u8>,
    pub byte: u8,
}

fn row_table(rows: &[[char; 16]; 8]) -> [Option<char>; 128] {
    let mut out = [None; 128];
    for (i, c) in rows.iter().flatten().enumerate() {
        out[i] = (*c != NONE).then_some(*c);
    }
    out
}

/// Epson page 31: the capital of each page-30 letter in the same cell, except Ă Â Đ, which sit
/// where VN3 puts its own untoned capitals (0xA1, 0xA2, 0xA7), leaving the cells of ă â đ empty.
fn capitals(lower: &[Option<char>; 128]) -> [Option<char>; 128] {
    let mut out = lower.map(|c| c.map(|c| c.to_uppercase().next().unwrap_or(c)));
    for (from, to) in [(0xA8, 0xA1), (0xA9, 0xA2), (0xAE, 0xA7)] {
        out[to - 0x80] = out[from - 0x80].take();
    }
    out
}

struct Tables {
    lower: [Option<char>; 128],
    upper: [Option<char>; 128],
    cp1258: [Option<char>; 128],
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| Tables {
        lower: row_table(&TCVN3_LOWER_TABLE),
        upper: capitals(&row_table(&TCVN3_LOWER_TABLE)),
        cp1258: row_table(&CP1258_TABLE),
    })
}

fn find(table: &[Option<char>; 128], c: char) -> Option<u8> {
    table.iter().position(|&t| t == Some(c)).map(|i| 0x80 + i as u8)
}

/// Whether the byte is a printable ASCII character (the same in every table).
fn ascii(c: char) -> Option<u8> {
    (' '..='~').contains(&c).then_some(c as u8)
}

/// What `byte` prints in code table `table`: `None` for an unassigned cell, or for a table the
/// virtual printer does not know (then only ASCII is known). ASCII control bytes are commands,
/// not text, and are not looked up here.
pub fn glyph(table: u8, byte: u8) -> Option<Glyph> {
    if (0x20..0x7F).contains(&byte) {
        return Some(Glyph::Char(byte as char));
    }
    if byte < 0x80 {
        return None;
    }
    let t = tables();
    let i = (byte - 0x80) as usize;
    match table {
        TCVN3_LOWER => t.lower[i].map(Glyph::Char),
        TCVN3_UPPER => t.upper[i].map(Glyph::Char),
        WPC1258 => t.cp1258[i].map(|c| if TONES.contains(&c) { Glyph::Combining(c) } else { Glyph::Char(c) }),
        _ => None,
    }
}

/// Whether `table` is one the virtual printer can decode beyond ASCII.
pub fn known_table(table: u8) -> bool {
    matches!(table, TCVN3_LOWER | TCVN3_UPPER | WPC1258)
}

impl CodePage {
    /// The name used in configuration and reports.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Tcvn3 => "tcvn3",
            CodePage::Cp1258 => "cp1258",
        }
    }

    /// The bytes of one character (after NFC), with the table each needs; `None` when this code
    /// page cannot print it.
    pub fn encode_char(self, c: char) -> Option<Vec<Coded>> {
        if let Some(b) = ascii(c) {
            return Some(vec![Coded { table: None, byte: b }]);
        }
        let t = tables();
        match self {
            CodePage::Tcvn3 => {
                let (table, byte) = find(&t.lower, c).map(|b| (TCVN3_LOWER, b)).or_else(|| find(&t.upper, c).map(|b| (TCVN3_UPPER, b)))?;
                Some(vec![Coded { table: Some(table), byte }])
            }
            CodePage::Cp1258 => {
                let coded = |byte| Coded { table: Some(WPC1258), byte };
                let one = |c: char| ascii(c).or_else(|| find(&t.cp1258, c));
                // A whole letter the table has, or a lone tone mark (after a letter that has
                // no precomposed form, e.g. "q" + acute): one byte.
                if let Some(b) = find(&t.cp1258, c) {
                    return Some(vec![coded(b)]);
                }
                // Split off the tone mark: NFD, drop the tone, recompose the rest (so "ậ",
                // a + dot below + circumflex, becomes "â" and the dot below).
                let decomposed: Vec<char> = c.to_string().nfd().collect();
                let tone = decomposed.iter().copied().find(|d| TONES.contains(d))?;
                let base: String = decomposed.iter().filter(|&&d| d != tone).collect::<String>().nfc().collect();
                let mut base_chars = base.chars();
                let (Some(b), None) = (base_chars.next(), base_chars.next()) else {
                    return None;
                };
                let base_byte = one(b)?;
                let tone_byte = find(&t.cp1258, tone)?;
                let base_coded = if base_byte < 0x80 { Coded { table: None, byte: base_byte } } else { coded(base_byte) };
                Some(vec![base_coded, coded(tone_byte)])
            }
        }
    }

    /// The first character of `text` (after NFC) that this code page cannot print.
    pub fn first_unencodable(self, text: &str) -> Option<char> {
        crate::text::nfc(text).chars().find(|&c| self.encode_char(c).is_none())
    }

    /// Encodes `text` (NFC first) as (table, byte) pairs; `Err` names the first character the
    /// code page cannot print, and nothing is produced for it.
    pub fn encode(self, text: &str) -> Result<Vec<Coded>, char> {
        let mut out = Vec::with_capacity(text.len());
        for c in crate::text::nfc(text).chars() {
            out.extend(self.encode_char(c).ok_or(c)?);
        }
        Ok(out)
    }
}

/// Appends the bytes of `coded` to `out`, with an `ESC t n` wherever the table changes.
/// `current` is the table the printer has selected (`None` after `ESC @`: page 0).
pub fn push_coded(out: &mut Vec<u8>, current: &mut Option<u8>, coded: &[Coded]) {
    for c in coded {
        if let Some(t) = c.table {
            if *current != Some(t) {
                out.extend_from_slice(&crate::escpos::code_table(t));
                *current = Some(t);
            }
        }
        out.push(c.byte);
    }
}

/// Number of printed cells in `text`: characters, not counting combining marks (which print
/// over the cell before them).
pub fn cell_count(text: &str) -> usize {
    text.chars().filter(|&c| !is_combining_mark(c)).count()
}

/// Splits `text` into cells: each base character with the combining marks that follow it.
pub fn cells(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in text.chars() {
        match out.last_mut() {
            Some(cell) if is_combining_mark(c) => cell.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter: 12 vowels × 6 (no tone + 5 tones), đ, and the consonants.
    pub(crate) const LOWER: &str = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợ\
        uùủũúụưừửữứựyỳỷỹýỵđbcdghklmnpqrstvx";

    fn bytes(coded: &[Coded]) -> Vec<u8> {
        coded.iter().map(|c| c.byte).collect()
    }

    // Proves the TCVN-3 encoding of real text byte by byte: lower case from page 30, capitals
    // with tones from page 31, ASCII in either, and one ESC t per change of table.
    #[test]
    fn tcvn3_exact_bytes() {
        let coded = CodePage::Tcvn3.encode("Đường Ấp").unwrap();
        assert_eq!(bytes(&coded), [0xA7, 0xAD, 0xEA, 0x6E, 0x67, 0x20, 0xCA, 0x70]);
        let tables: Vec<Option<u8>> = coded.iter().map(|c| c.table).collect();
        assert_eq!(tables, [Some(31), Some(30), Some(30), None, None, None, Some(31), None]);
        let mut out = Vec::new();
        let mut current = None;
        push_coded(&mut out, &mut current, &coded);
        #[rustfmt::skip]
        assert_eq!(out, [
            0x1B, b't', 31, 0xA7,
            0x1B, b't', 30, 0xAD, 0xEA, b'n', b'g', b' ',
            0x1B, b't', 31, 0xCA, b'p',
        ]);
        assert_eq!(current, Some(31));
    }

    // Proves Windows-1258 keeps whole letters the table has and splits the others into base and
    // tone byte, including a dot below under a circumflex (ậ = â + 0xF2).
    #[test]
    fn cp1258_exact_bytes() {
        let coded = CodePage::Cp1258.encode("Việt Nam ậ Ý đà").unwrap();
        assert_eq!(
            bytes(&coded),
            [b'V', b'i', 0xEA, 0xF2, b't', b' ', b'N', b'a', b'm', b' ', 0xE2, 0xF2, b' ', b'Y', 0xEC, b' ', 0xF0, 0xE0]
        );
        // Decomposed input gives the same bytes.
        let nfd: String = "Việt Nam ậ Ý đà".nfd().collect();
        assert_eq!(CodePage::Cp1258.encode(&nfd).unwrap(), coded);
    }

    // Proves every Vietnamese letter, lower and upper case, survives encode → glyph lookup in both
    // code pages, and that each letter is one printed cell.
    #[test]
    fn every_letter_round_trips() {
        let upper = LOWER.to_uppercase();
        for cp in [CodePage::Tcvn3, CodePage::Cp1258] {
            for text in [LOWER, upper.as_str()] {
                for c in text.chars() {
                    let coded = cp.encode_char(c).unwrap_or_else(|| panic!("{cp:?} lacks {c}"));
                    let mut cell = String::new();
                    let mut table = 0;
                    for k in &coded {
                        table = k.table.unwrap_or(table);
                        match glyph(table, k.byte) {
                            Some(Glyph::Char(g)) => {
                                assert!(cell.is_empty(), "{c}: two cells");
                                cell.push(g);
                            }
                            Some(Glyph::Combining(m)) => cell.push(m),
                            None => panic!("{cp:?} {c}: byte {:02X} unassigned", k.byte),
                        }
                    }
                    assert_eq!(crate::text::nfc(&cell), c.to_string(), "{cp:?}");
                }
            }
        }
    }

    // Proves page 31 is page 30 in capitals: each toned letter's capital sits in the same cell.
    #[test]
    fn tcvn3_capital_page_mirrors_lower_page() {
        for c in LOWER.chars().filter(|c| !c.is_ascii()) {
            let lower = CodePage::Tcvn3.encode_char(c).unwrap()[0];
            let cap = c.to_uppercase().next().unwrap();
            let upper = CodePage::Tcvn3.encode_char(cap).unwrap()[0];
            assert_eq!((lower.table, upper.table), (Some(30), Some(31)), "{c}");
            if !"ăâđ".contains(c) {
                assert_eq!(lower.byte, upper.byte, "{c}/{cap}");
            }
        }
    }

    // Proves characters outside a table are reported, not guessed: the en dash has no TCVN-3
    // cell (Windows-1258 has one), a tone on a consonant has no Vietnamese form in TCVN-3, and
    // neither page has CJK.
    #[test]
    fn unencodable_characters_are_named() {
        assert_eq!(CodePage::Tcvn3.first_unencodable("Hộ tịch – Chứng thực"), Some('–'));
        assert_eq!(CodePage::Cp1258.first_unencodable("Hộ tịch – Chứng thực"), None);
        assert_eq!(CodePage::Tcvn3.encode("ok ñ"), Err('ñ'));
        assert_eq!(CodePage::Cp1258.encode("số 東"), Err('東'));
        assert_eq!(CodePage::Tcvn3.first_unencodable("q\u{301}"), Some('\u{301}'));
        assert_eq!(bytes(&CodePage::Cp1258.encode("q\u{301}").unwrap()), [b'q', 0xEC]);
    }

    // Proves the cell split: combining marks stay with their letter.
    #[test]
    fn cells_group_combining_marks() {
        assert_eq!(cells("Vie\u{302}\u{323}t"), ["V", "i", "e\u{302}\u{323}", "t"]);
        assert_eq!(cell_count("Vie\u{302}\u{323}t"), 4);
    }

    /// Converts with glibc's iconv, an implementation written independently of these tables.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn glibc_iconv(from: &str, to: &str, input: &[u8]) -> Vec<u8> {
        use std::ffi::CString;
        let (to_c, from_c) = (CString::new(to).unwrap(), CString::new(from).unwrap());
        // SAFETY: valid NUL-terminated names; the descriptor is closed below.
        let cd = unsafe { libc::iconv_open(to_c.as_ptr(), from_c.as_ptr()) };
        assert_ne!(cd as isize, -1, "glibc has no {from} → {to} converter");
        let mut inbuf = input.to_vec();
        let mut out = vec![0u8; input.len() * 4 + 16];
        let (mut inp, mut inleft) = (inbuf.as_mut_ptr().cast::<libc::c_char>(), inbuf.len());
        let (mut outp, mut outleft) = (out.as_mut_ptr().cast::<libc::c_char>(), out.len());
        // SAFETY: pointers and lengths describe live buffers; a null input flushes the state.
        unsafe {
            let r = libc::iconv(cd, &mut inp, &mut inleft, &mut outp, &mut outleft);
            assert_ne!(r, usize::MAX, "iconv failed on {input:02X?}");
            libc::iconv(cd, std::ptr::null_mut(), std::ptr::null_mut(), &mut outp, &mut outleft);
            libc::iconv_close(cd);
        }
        out.truncate(out.len() - outleft);
        out
    }

    // Proves our Windows-1258 bytes equal glibc's CP1258 converter's for every Vietnamese letter
    // in both cases (which precomposed forms exist, the tone split, the tone byte values), and
    // that every assigned byte of our table decodes to what glibc decodes.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn cp1258_matches_glibc() {
        let all = format!("{LOWER}{}", LOWER.to_uppercase());
        for c in all.chars() {
            let ours = bytes(&CodePage::Cp1258.encode_char(c).unwrap());
            let glibc = glibc_iconv("UTF-8", "CP1258", c.to_string().as_bytes());
            assert_eq!(ours, glibc, "{c}");
        }
        for b in 0x80..=0xFFu8 {
            if let Some(Glyph::Char(c) | Glyph::Combining(c)) = glyph(WPC1258, b) {
                let glibc = glibc_iconv("CP1258", "UTF-8", &[b]);
                assert_eq!(String::from_utf8(glibc).unwrap(), c.to_string(), "0x{b:02X}");
            }
        }
    }

    // Proves our TCVN-3 lower-case page and the untoned capitals Ă Â Đ sit where glibc's
    // TCVN 5712 converter (VN1, a superset of VN3) puts them.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn tcvn3_matches_glibc() {
        for c in LOWER.chars().filter(|c| !c.is_ascii()).chain("ĂÂĐ".chars()) {
            let ours = bytes(&CodePage::Tcvn3.encode_char(c).unwrap());
            let glibc = glibc_iconv("UTF-8", "TCVN5712-1", c.to_string().as_bytes());
            assert_eq!(ours, glibc, "{c}");
        }
    }
}
