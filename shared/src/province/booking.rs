//! Numbers booked ahead on the province hub, as a centre pulls them
//! (`GET /api/v1/centres/{centre}/bookings?after=SEQ`) and as a citizen's booking code reads.
//!
//! A booking code is 8 characters from an alphabet without the look-alikes (no 0/O, 1/I/L),
//! 31 symbols, so about 40 random bits, printed and shown as `K7QX-M2PA`; typed in any case, with or without the
//! dash or spaces, it is the same code. The QR code on the phone carries [`QR_PREFIX`], the
//! centre's id and the code (`MOTCUA-BOOKING:dai-tu:K7QXM2PA`), so a kiosk's scanner tells a
//! booking from a ticket or a receipt code, and a booking made for another centre at once.
use crate::config::HourRange;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The code's alphabet: 31 symbols, none that reads as another.
pub const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// What a booking's QR code starts with.
pub const QR_PREFIX: &str = "MOTCUA-BOOKING:";
pub const CODE_LEN: usize = 8;

/// A booking as the centre keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    /// The hub's order of bookings: a centre pulls after the last it holds.
    pub seq: u64,
    pub code: String,
    pub service: String,
    pub day: NaiveDate,
    /// The window, local time: the booking enters the queue when it opens.
    pub window: HourRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bookings {
    pub bookings: Vec<Booking>,
}

/// What a booking's QR code carries.
pub fn qr_text(centre: &str, code: &str) -> String {
    format!("{QR_PREFIX}{centre}:{code}")
}

/// A booking's QR code as scanned: the centre it was made for and the code; None when the text
/// is not a booking's.
pub fn parse_qr(text: &str) -> Option<(String, String)> {
    let (centre, code) = text.trim().strip_prefix(QR_PREFIX)?.rsplit_once(':')?;
    Some((centre.to_owned(), normalize_code(code)?))
}

/// The code as typed, in its one form (`K7QX M2PA`, `k7qx-m2pa`), or None when it cannot be a
/// booking code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let typed = typed.trim();
    let code: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// The code as people read it: `K7QX-M2PA`.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LEN {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Proves a code is one code however it is typed or scanned, and that other things a
    /// scanner reads (a ticket's key, a receipt code, look-alike letters) are not codes.
    #[test]
    fn codes_as_typed_and_scanned() {
        for typed in ["K7QXM2PA", "k7qx-m2pa", " K7QX M2PA "] {
            assert_eq!(normalize_code(typed).as_deref(), Some("K7QXM2PA"), "{typed:?}");
        }
        let scanned = qr_text("dai-tu", "K7QXM2PA");
        assert_eq!(parse_qr(&scanned), Some(("dai-tu".to_owned(), "K7QXM2PA".to_owned())));
        assert_eq!(parse_qr("K7QXM2PA"), None, "typed, not scanned");
        assert_eq!(parse_qr("MOTCUA-BOOKING:dai-tu:K7QXM2P0"), None);
        for typed in ["K7QXM2P", "K7QXM2PA9", "K7QXM2P0", "K7QXM2PI", "Zq3xT0b9LmWk2RcA", "000.00.00.H12-260101-0001"] {
            assert_eq!(normalize_code(typed), None, "{typed:?}");
        }
        assert_eq!(display_code("K7QXM2PA"), "K7QX-M2PA");
    }
}
