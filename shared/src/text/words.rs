//! Numbers read aloud in Vietnamese, as the voice call speaks them. [`Dialect`]
//! and [`letter_name`] live in files of their own and are re-exported here.
//!
//! The announcer chains pre-recorded clips, one per word, so the primary form is
//! a list of clip names ([`number_clips`]); [`number_words`] is that list joined
//! with spaces, for screens, logs and TTS.
//!
//! The rules, per group of three digits:
//! - 1 after "mươi" is "mốt" (21 "hai mươi mốt"); after "mười" or "linh" it stays
//!   "một" (11 "mười một", 101 "một trăm linh một").
//! - 5 after "mười"/"mươi" is "lăm" (15, 25); after "linh" it stays "năm" (105).
//! - 4 after "mươi" is "tư" (24 "hai mươi tư"); after "mười" it stays "bốn" (14).
//! - A zero tens digit before a non-zero unit is "linh" (North) / "lẻ" (South).
//! - A group after a larger one is read with all three places, so a zero
//!   hundreds digit is "không trăm" (1023 "một nghìn không trăm hai mươi ba").
//! - Groups that are entirely zero are not read (1000 "một nghìn", 1000005
//!   "một triệu không trăm linh năm").

pub use super::dialect::{Dialect, UnknownDialect};
pub use super::letters::letter_name;

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// The clips of `n` read aloud, one clip per word.
///
/// ```
/// use shared::text::{number_clips, Dialect};
/// assert_eq!(number_clips(21, Dialect::North), ["hai", "mươi", "mốt"]);
/// ```
pub fn number_clips(n: u64, d: Dialect) -> Vec<&'static str> {
    if n == 0 {
        return vec![DIGITS[0]];
    }
    // Groups of three digits, least significant first. u64 has at most seven.
    let mut groups = Vec::with_capacity(7);
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 1000) as u16);
        rest /= 1000;
    }
    let mut out = Vec::new();
    let mut leading = true;
    for (index, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        push_group(group, !leading, d, &mut out);
        out.extend_from_slice(scale(index, d));
        leading = false;
    }
    out
}

/// `n` read aloud: the clips of [`number_clips`] joined by single spaces.
///
/// ```
/// use shared::text::{number_words, Dialect};
/// assert_eq!(number_words(1023, Dialect::North), "một nghìn không trăm hai mươi ba");
/// assert_eq!(number_words(105, Dialect::South), "một trăm lẻ năm");
/// ```
pub fn number_words(n: u64, d: Dialect) -> String {
    number_clips(n, d).join(" ")
}

/// The word(s) naming the group at `index` (0 = units, 1 = thousands, ...).
///
/// Vietnamese has no single word above "tỷ" (10^9) in everyday use; larger
/// groups compose with it ("nghìn tỷ" 10^12, "triệu tỷ" 10^15, "tỷ tỷ" 10^18).
/// Only thousands matter for ticket numbers; the rest keeps the function total.
fn scale(index: usize, d: Dialect) -> &'static [&'static str] {
    match (index, d) {
        (0, _) => &[],
        (1, Dialect::North) => &["nghìn"],
        (1, Dialect::South) => &["ngàn"],
        (2, _) => &["triệu"],
        (3, _) => &["tỷ"],
        (4, Dialect::North) => &["nghìn", "tỷ"],
        (4, Dialect::South) => &["ngàn", "tỷ"],
        (5, _) => &["triệu", "tỷ"],
        _ => &["tỷ", "tỷ"],
    }
}

/// Pushes the words of one group `g` (1..=999).
///
/// `full` is true for a group that follows a larger one: it is read with its
/// hundreds even when they are zero ("không trăm"), and a lone unit then takes
/// "linh"/"lẻ" (1005 "một nghìn không trăm linh năm").
fn push_group(g: u16, full: bool, d: Dialect, out: &mut Vec<&'static str>) {
    let (h, t, u) = ((g / 100) as usize, (g / 10 % 10) as usize, (g % 10) as usize);
    let with_hundreds = full || h > 0;
    if with_hundreds {
        out.push(DIGITS[h]);
        out.push("trăm");
    }
    match t {
        0 => {
            if u > 0 {
                if with_hundreds {
                    out.push(d.zero_tens());
                }
                // After "linh"/"lẻ" (or alone) every digit keeps its plain name.
                out.push(DIGITS[u]);
            }
        }
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
        _ => {
            out.push(DIGITS[t]);
            out.push("mươi");
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::{North, South};

    /// Reads words back into a number, independently of the writer: a digit
    /// waits until "trăm", "mươi", a scale word or the end says what it is worth.
    fn parse(words: &str) -> u64 {
        let (mut total, mut group, mut pending) = (0u64, 0u64, None::<u64>);
        for w in words.split(' ') {
            let digit = match w {
                "không" => Some(0),
                "một" | "mốt" => Some(1),
                "hai" => Some(2),
                "ba" => Some(3),
                "bốn" | "tư" => Some(4),
                "năm" | "lăm" => Some(5),
                "sáu" => Some(6),
                "bảy" => Some(7),
                "tám" => Some(8),
                "chín" => Some(9),
                _ => None,
            };
            if let Some(d) = digit {
                assert!(pending.replace(d).is_none(), "two digits in a row in {words:?}");
                continue;
            }
            match w {
                "trăm" => group += pending.take().expect("digit before trăm") * 100,
                "mươi" => group += pending.take().expect("digit before mươi") * 10,
                "mười" => group += 10,
                "linh" | "lẻ" => {}
                "nghìn" | "ngàn" | "triệu" => {
                    let scale = if w == "triệu" { 1_000_000 } else { 1000 };
                    total += (group + pending.take().unwrap_or(0)) * scale;
                    group = 0;
                }
                other => panic!("unknown word {other:?} in {words:?}"),
            }
        }
        total + group + pending.unwrap_or(0)
    }

    #[test]
    fn every_number_below_ten_thousand_round_trips_and_follows_the_rules() {
        for d in [North, South] {
            for n in 0..=9999u64 {
                let text = number_words(n, d);
                assert_eq!(parse(&text), n, "{n} read as {text:?}");
                let w: Vec<&str> = text.split(' ').collect();
                let (h, t, u) = (n / 100 % 10, n / 10 % 10, n % 10);
                for (i, word) in w.iter().enumerate() {
                    let prev = if i > 0 { w[i - 1] } else { "" };
                    match *word {
                        "mốt" | "tư" => assert_eq!(prev, "mươi", "{n}: {text}"),
                        "lăm" => assert!(prev == "mươi" || prev == "mười", "{n}: {text}"),
                        "một" => assert_ne!(prev, "mươi", "{n}: {text}"),
                        "bốn" => assert_ne!(prev, "mươi", "{n}: {text}"),
                        "năm" => assert!(prev != "mươi" && prev != "mười", "{n}: {text}"),
                        "không" => assert!(n == 0 || w[i + 1] == "trăm", "{n}: {text}"),
                        _ => {}
                    }
                }
                // The dialect's own words, and the other dialect's, which must not appear.
                let ([zero_tens, thousand], [other_zero, other_thousand]) = match d {
                    North => (["linh", "nghìn"], ["lẻ", "ngàn"]),
                    South => (["lẻ", "ngàn"], ["linh", "nghìn"]),
                };
                let has = |x: &str| w.contains(&x);
                assert_eq!(has(zero_tens), n >= 100 && t == 0 && u != 0, "{n}: {text}");
                assert_eq!(has("mười"), t == 1, "{n}: {text}");
                assert_eq!(has("không"), n == 0 || (n >= 1000 && h == 0 && n % 1000 != 0), "{n}: {text}");
                assert_eq!(has(thousand), n >= 1000, "{n}: {text}");
                assert!(!has(other_zero) && !has(other_thousand), "{n}: {text}");
                assert_eq!(number_clips(n, d).join(" "), text);
            }
        }
    }

    #[test]
    fn the_cases_of_the_domain_notes() {
        let cases = [
            (1023, "một nghìn không trăm hai mươi ba", "một ngàn không trăm hai mươi ba"),
            (105, "một trăm linh năm", "một trăm lẻ năm"),
            (15, "mười lăm", "mười lăm"),
            (25, "hai mươi lăm", "hai mươi lăm"),
            (11, "mười một", "mười một"),
            (21, "hai mươi mốt", "hai mươi mốt"),
            (24, "hai mươi tư", "hai mươi tư"),
            (14, "mười bốn", "mười bốn"),
            (10, "mười", "mười"),
            (20, "hai mươi", "hai mươi"),
            (100, "một trăm", "một trăm"),
            (1000, "một nghìn", "một ngàn"),
            (0, "không", "không"),
            (101, "một trăm linh một", "một trăm lẻ một"),
            (104, "một trăm linh bốn", "một trăm lẻ bốn"),
            (115, "một trăm mười lăm", "một trăm mười lăm"),
            (1005, "một nghìn không trăm linh năm", "một ngàn không trăm lẻ năm"),
            (1010, "một nghìn không trăm mười", "một ngàn không trăm mười"),
            (2500, "hai nghìn năm trăm", "hai ngàn năm trăm"),
            (9999, "chín nghìn chín trăm chín mươi chín", "chín ngàn chín trăm chín mươi chín"),
        ];
        for (n, north, south) in cases {
            assert_eq!(number_words(n, North), north, "{n} North");
            assert_eq!(number_words(n, South), south, "{n} South");
        }
        assert_eq!(number_clips(21, North), ["hai", "mươi", "mốt"]);
    }

    #[test]
    fn millions_and_beyond() {
        assert_eq!(number_words(1_000_000, North), "một triệu");
        assert_eq!(number_words(1_000_005, North), "một triệu không trăm linh năm");
        assert_eq!(number_words(2_031_000, South), "hai triệu không trăm ba mươi mốt ngàn");
        assert_eq!(number_words(7_000_000_000, North), "bảy tỷ");
        assert_eq!(number_words(3_000_000_000_000, North), "ba nghìn tỷ");
        let max = number_words(u64::MAX, North);
        assert!(max.starts_with("mười tám tỷ tỷ bốn trăm bốn mươi sáu triệu tỷ"), "{max}");
        for n in [1_000_000, 12_345_678, 900_000_001, 100_010_101] {
            assert_eq!(parse(&number_words(n, North)), n);
        }
    }
}
