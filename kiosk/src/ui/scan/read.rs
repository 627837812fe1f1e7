//! What a scanned code is, from its text alone: a dossier's receipt code, a chip ID card's QR,
//! a ticket's own QR, or something else. Pure, so every shape is tested without a screen.
//!
//! An ID card's QR holds the person's ID number, name, birth date, sex and address. The kiosk
//! keeps only what the offer needs (the given name to greet with, the age) and nothing of it
//! leaves this module in a form that could be logged: `IdCard`'s `Debug` shows no field.
use chrono::{Datelike, NaiveDate};
use shared::dossier::ReceiptCode;

/// A scanned code, sorted by what it is.
#[derive(Debug)]
pub enum Scanned {
    Receipt(ReceiptCode),
    IdCard(IdCard),
    /// A ticket's QR: its public key (the last part of the URL printed on it).
    Ticket(String),
    /// A booking's QR code (`MOTCUA-BOOKING:{centre}:{code}`), as scanned: checked in whole,
    /// so the authority tells another centre's booking.
    Booking(String),
    /// Nothing the kiosk reads; only its length is kept, for the log.
    Unknown {
        chars: usize,
    },
}

/// Reads what a scanner typed (without its Enter).
pub fn read(text: &str) -> Scanned {
    let text = text.trim();
    if let Ok(code) = ReceiptCode::parse(text) {
        return Scanned::Receipt(code);
    }
    if let Some(card) = IdCard::parse(text) {
        return Scanned::IdCard(card);
    }
    if let Some(key) = ticket_key(text) {
        return Scanned::Ticket(key);
    }
    if shared::province::booking::parse_qr(text).is_some() {
        return Scanned::Booking(text.to_owned());
    }
    Scanned::Unknown { chars: text.chars().count() }
}

/// The key of a ticket's QR: a URL whose last path segment is a public key (the printed URL is
/// configurable, `[printer] qr_url`, but always ends with the key).
fn ticket_key(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("://")?;
    let path = rest.split(['?', '#']).next()?.trim_end_matches('/');
    let (_, last) = path.rsplit_once('/')?;
    shared::wire::is_public_key(last).then(|| last.to_owned())
}

/// What the kiosk takes from a chip ID card (căn cước công dân): the given name and the birth
/// date. The ID number, the rest of the name, the address and the dates are read past and
/// dropped with the scanned text.
pub struct IdCard {
    given_name: String,
    birth: NaiveDate,
}

impl std::fmt::Debug for IdCard {
    // Nothing of the card in a log line, however it is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdCard { .. }")
    }
}

impl IdCard {
    /// The card's QR text: fields separated by "|": the 12-digit ID number, the old 9-digit
    /// number (often empty), the full name, the birth date (ddMMyyyy), sex, address, the date
    /// of issue. Anything else is not a card.
    pub fn parse(text: &str) -> Option<IdCard> {
        let fields: Vec<&str> = text.split('|').map(str::trim).collect();
        // Some cards leave out the date of issue; none has more than seven fields.
        if !(6..=7).contains(&fields.len()) {
            return None;
        }
        let id = fields[0];
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let old = fields[1];
        if !old.is_empty() && (old.len() != 9 || !old.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let given_name = fields[2].split_whitespace().last()?.to_owned();
        if given_name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
            return None;
        }
        let date = fields[3];
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let birth = NaiveDate::parse_from_str(date, "%d%m%Y").ok()?;
        Some(IdCard { given_name, birth })
    }

    /// The name people are called by: the last word of the full name ("Lan" of "Nguyễn Thị Lan").
    pub fn given_name(&self) -> &str {
        &self.given_name
    }

    /// Full years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        let years = today.year() - self.birth.year();
        let before_birthday = (today.month(), today.day()) < (self.birth.month(), self.birth.day());
        (years - i32::from(before_birthday)).max(0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up card: the shape of a real one, nobody's data.
    const CARD: &str = "001049012345|012345678|Nguyễn Thị Lan|15031950|Nữ|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Proves a card is read to its given name and age (a day before the birthday counts one
    /// year less), whatever optional fields it has, and that its Debug shows nothing.
    #[test]
    fn an_id_card_gives_the_given_name_and_the_age_and_nothing_else() {
        let Scanned::IdCard(card) = read(CARD) else { panic!("not read as a card") };
        assert_eq!(card.given_name(), "Lan");
        assert_eq!(card.age_on(day(2025, 3, 14)), 74, "the day before the 75th birthday");
        assert_eq!(card.age_on(day(2025, 3, 15)), 75);
        assert_eq!(format!("{card:?}"), "IdCard { .. }", "no part of the card in a log");
        assert_eq!(format!("{:?}", read(CARD)), "IdCard(IdCard { .. })");
        // The old number left out, and a card without its date of issue.
        assert!(IdCard::parse("001049012345||Trần Văn Minh|01011940|Nam|Hà Nội|01072021").is_some());
        assert!(IdCard::parse("001049012345||Trần Văn Minh|01011940|Nam|Hà Nội").is_some());
    }

    /// Proves what is not a card is not taken for one: a short ID, letters in it, a date that
    /// does not exist, a field too many, no name.
    #[test]
    fn near_misses_are_not_cards() {
        for text in [
            "00104901234|012345678|Nguyễn Thị Lan|15031950|Nữ|Hà Nội|01072021",
            "00104901234X|012345678|Nguyễn Thị Lan|15031950|Nữ|Hà Nội|01072021",
            "001049012345|012345678|Nguyễn Thị Lan|31021950|Nữ|Hà Nội|01072021",
            "001049012345|012345678|Nguyễn Thị Lan|1950-03-15|Nữ|Hà Nội|01072021",
            "001049012345|012345678|Nguyễn Thị Lan|15031950|Nữ|Hà Nội|01072021|x",
            "001049012345|012345678| |15031950|Nữ|Hà Nội|01072021",
            "001049012345|12345|Nguyễn Thị Lan|15031950|Nữ|Hà Nội|01072021",
        ] {
            assert!(IdCard::parse(text).is_none(), "{text}");
        }
    }

    /// Proves each kind of code is told apart, and that the unknown keeps only a length.
    #[test]
    fn codes_are_sorted_by_what_they_are() {
        assert!(matches!(read("000.00.06.H56-231027-0361\n"), Scanned::Receipt(c) if c.as_str() == "000.00.06.H56-231027-0361"));
        assert!(matches!(read("https://motcua.example.vn/t/Zq3xT0b9LmWk2RcA"), Scanned::Ticket(k) if k == "Zq3xT0b9LmWk2RcA"));
        assert!(
            matches!(read("https://hub.example.vn/t/hoan-kiem/Zq3xT0b9LmWk2RcA/?src=qr"), Scanned::Ticket(k) if k == "Zq3xT0b9LmWk2RcA")
        );
        assert!(matches!(read("Zq3xT0b9LmWk2RcA"), Scanned::Unknown { chars: 16 }), "a bare key is no ticket's QR");
        assert!(matches!(read("https://example.com/t/short"), Scanned::Unknown { .. }));
        assert!(matches!(read("8934567890123"), Scanned::Unknown { chars: 13 }), "a product's barcode");
        assert!(matches!(read(""), Scanned::Unknown { chars: 0 }));
    }
}
