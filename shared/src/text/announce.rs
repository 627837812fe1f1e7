//! The voice call for a ticket: its sentence, and the clips that speak it.
//!
//! "Xin mời công dân có số thứ tự a mười hai đến quầy số ba": the ticket's letter
//! prefix by letter name, its digits as one number (leading zeros are not read),
//! then the counter number.
//!
//! ## Clip naming
//! The announcer plays one WAV clip per name returned by [`call_clips`], in order:
//! - [`CLIP_CHIME`] `"chime"`: the attention chime;
//! - [`CLIP_OPENING`] `"xin_moi"`: the phrase [`OPENING`], recorded as one clip;
//! - one clip per word of the ticket: a letter name (`"a"`, `"bê"`, `"e-lờ"`: a
//!   hyphenated name is one clip) or a number word (`"hai"`, `"mươi"`, `"mốt"`);
//! - [`CLIP_TO_COUNTER`] `"den_quay_so"`: the phrase [`TO_COUNTER`];
//! - one clip per word of the counter number.
//!
//! Phrase clips have ASCII names because they stand for several words; word
//! clips are named by the word itself, in NFC, so a voice pack is a folder of
//! `<clip>.wav` files that anyone can check against what the call says.

use super::fold::nfc;
use super::words::{letter_name, number_clips, Dialect};

/// The words that open every call.
pub const OPENING: &str = "Xin mời công dân có số thứ tự";
/// The words between the ticket and the counter.
pub const TO_COUNTER: &str = "đến quầy số";
/// The clip of the attention chime played before the words.
pub const CLIP_CHIME: &str = "chime";
/// The clip that speaks [`OPENING`].
pub const CLIP_OPENING: &str = "xin_moi";
/// The clip that speaks [`TO_COUNTER`].
pub const CLIP_TO_COUNTER: &str = "den_quay_so";

/// Why a ticket number cannot be read aloud.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnounceError {
    #[error("the ticket number is empty; expected letters then digits, e.g. \"A012\"")]
    Empty,
    #[error("ticket number {number:?} has no digits; expected letters then digits, e.g. \"A012\"")]
    NoDigits { number: String },
    #[error(
        "ticket number {number:?}: {found:?} at character {position} is not allowed; \
         expected letters then digits, e.g. \"A012\""
    )]
    InvalidChar { number: String, found: char, position: usize },
    #[error("ticket number {number:?} has too many digits to read aloud")]
    TooLong { number: String },
}

/// The clips of a ticket number: letter names, then the number's words.
fn ticket_clips(number: &str, d: Dialect) -> Result<Vec<&'static str>, AnnounceError> {
    // NFC first: a prefix such as "Đ" may arrive decomposed from a browser.
    let number = nfc(number.trim());
    if number.is_empty() {
        return Err(AnnounceError::Empty);
    }
    let mut clips = Vec::new();
    let mut digits = String::new();
    for (position, c) in number.chars().enumerate() {
        // Letters may only come before the first digit: "A012", not "01A2".
        match (c.is_ascii_digit(), letter_name(c)) {
            (true, _) => digits.push(c),
            (false, Some(name)) if digits.is_empty() => clips.push(name),
            _ => return Err(AnnounceError::InvalidChar { number, found: c, position }),
        }
    }
    if digits.is_empty() {
        return Err(AnnounceError::NoDigits { number });
    }
    // Only overflow can fail here: the string holds ASCII digits alone.
    let Ok(value) = digits.parse::<u64>() else {
        return Err(AnnounceError::TooLong { number });
    };
    clips.extend(number_clips(value, d));
    Ok(clips)
}

/// The words of a ticket number read aloud: "A012" → `["a", "mười", "hai"]`.
///
/// The number is letters (any case, see [`letter_name`]) followed by at least
/// one ASCII digit; surrounding whitespace is ignored.
pub fn ticket_words(number: &str, d: Dialect) -> Result<Vec<String>, AnnounceError> {
    Ok(ticket_clips(number, d)?.into_iter().map(str::to_owned).collect())
}

/// The sentence of the call for `number` at `counter`, on one line:
/// "Xin mời công dân có số thứ tự a mười hai đến quầy số ba".
pub fn call_sentence(number: &str, counter: u32, d: Dialect) -> Result<String, AnnounceError> {
    let ticket = ticket_clips(number, d)?.join(" ");
    let counter = number_clips(counter.into(), d).join(" ");
    Ok(format!("{OPENING} {ticket} {TO_COUNTER} {counter}"))
}

/// The clips the announcer plays for the call, in order (see the module doc).
pub fn call_clips(number: &str, counter: u32, d: Dialect) -> Result<Vec<String>, AnnounceError> {
    let mut clips = vec![CLIP_CHIME, CLIP_OPENING];
    clips.extend(ticket_clips(number, d)?);
    clips.push(CLIP_TO_COUNTER);
    clips.extend(number_clips(counter.into(), d));
    Ok(clips.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::{North, South};

    #[test]
    fn ticket_numbers_read_as_letter_then_number() {
        assert_eq!(ticket_words("A012", North).unwrap(), ["a", "mười", "hai"]);
        assert_eq!(ticket_words("B1023", North).unwrap(), ["bê", "một", "nghìn", "không", "trăm", "hai", "mươi", "ba"]);
        assert_eq!(ticket_words("105", South).unwrap(), ["một", "trăm", "lẻ", "năm"]);
        assert_eq!(ticket_words("L021", North).unwrap(), ["e-lờ", "hai", "mươi", "mốt"]);
        assert_eq!(ticket_words("A000", North).unwrap(), ["a", "không"]);
        assert_eq!(ticket_words(" c5 ", North).unwrap(), ["xê", "năm"]);
        assert_eq!(ticket_words("AB7", North).unwrap(), ["a", "bê", "bảy"]);
        // A decomposed Ă is composed before lookup; Đ has no decomposition at all.
        assert_eq!(ticket_words("A\u{306}9", North).unwrap(), ["á", "chín"]);
        assert_eq!(ticket_words("Đ1", North).unwrap(), ["đê", "một"]);
    }

    #[test]
    fn the_call_sentence() {
        assert_eq!(call_sentence("A012", 3, North).unwrap(), "Xin mời công dân có số thứ tự a mười hai đến quầy số ba");
        assert_eq!(
            call_sentence("1023", 21, North).unwrap(),
            "Xin mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số hai mươi mốt"
        );
        assert_eq!(call_sentence("B105", 15, South).unwrap(), "Xin mời công dân có số thứ tự bê một trăm lẻ năm đến quầy số mười lăm");
    }

    #[test]
    fn the_call_clips() {
        assert_eq!(call_clips("A021", 14, North).unwrap(), ["chime", "xin_moi", "a", "hai", "mươi", "mốt", "den_quay_so", "mười", "bốn"]);
        assert_eq!(call_clips("", 1, North), Err(AnnounceError::Empty));
    }

    #[test]
    fn bad_numbers_are_refused_clearly() {
        assert_eq!(ticket_words("", North), Err(AnnounceError::Empty));
        assert_eq!(ticket_words("  ", North), Err(AnnounceError::Empty));
        assert_eq!(ticket_words("A", North), Err(AnnounceError::NoDigits { number: "A".into() }));
        let err = ticket_words("01A2", North).unwrap_err();
        assert_eq!(err, AnnounceError::InvalidChar { number: "01A2".into(), found: 'A', position: 2 });
        assert!(err.to_string().contains("'A' at character 2"), "{err}");
        assert!(matches!(ticket_words("A-12", North), Err(AnnounceError::InvalidChar { found: '-', .. })));
        assert!(matches!(ticket_words("A١٢", North), Err(AnnounceError::InvalidChar { found: '١', .. })));
        let long = "9".repeat(25);
        assert_eq!(ticket_words(&long, North), Err(AnnounceError::TooLong { number: long.clone() }));
        assert!(call_sentence("A 12", 3, North).is_err());
        assert!(AnnounceError::Empty.to_string().contains("empty"));
    }
}
