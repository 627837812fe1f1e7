//! Tolerant readers for the loosely typed values of the national format.
//!
//! Provincial systems re-export the national records by hand and by script, so
//! the same key arrives as `1`, `"1"`, `"1'"` or `null`. These readers accept
//! those spellings and keep anything they cannot interpret as text, so a kiosk
//! still shows it; only the procedure code is strict (see `code.rs`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::fold;

/// A JSON scalar as text: strings as they are, numbers and booleans
/// formatted, `null` as `None`. Objects and arrays are an error: a scalar key
/// that holds a structure means the record was misread upstream.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(Scalar)
}

/// The visitor of [`text`]: its `expecting` is what a refused record's reason says.
struct Scalar;

impl<'de> serde::de::Visitor<'de> for Scalar {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text, a number or null")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Scalar)
    }
}

/// A list that may be `null` as well as absent: both mean "none".
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A yes/no that may be written `true`, `1` or `"1"` (and `false`, `0`, `"0"`); `null`, absent
/// or anything else is "not said".
pub(crate) fn yes_no<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match text(d)?.as_deref().map(bare) {
        Some("1" | "true") => Some(true),
        Some("0" | "false") => Some(false),
        _ => None,
    })
}

/// The text with the stray quote marks and spaces of hand-edited exports
/// removed: `"1'"` → `"1"`.
fn bare(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '’'))
}

/// A count of copies (`SOBANCHINH`, `SOBANSAO`): `1`, `"1"`, `"01"`.
/// Text that is not a number ("theo yêu cầu") reads as `None`, the count unknown.
pub(crate) fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(text(d)?.and_then(|s| bare(&s).parse().ok()))
}

/// The kind of a charge (`MAPHILEPHI`). Written back as its code, so a record read and written
/// again reads the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeKind {
    /// "1": phí, a fee for a service.
    Fee,
    /// "2": lệ phí, a state charge.
    Charge,
    /// Any other code, kept as written.
    Other(String),
}

impl FeeKind {
    /// Reads `"1"`, `"2"`, and their stray-apostrophe forms `"1'"`, `"2'"`.
    pub fn parse(s: &str) -> FeeKind {
        match bare(s) {
            "1" => FeeKind::Fee,
            "2" => FeeKind::Charge,
            _ => FeeKind::Other(s.to_owned()),
        }
    }

    /// The Vietnamese label the portal shows.
    pub fn label(&self) -> &str {
        match self {
            FeeKind::Fee => "Phí",
            FeeKind::Charge => "Lệ phí",
            FeeKind::Other(s) => s,
        }
    }
}

pub(crate) fn fee_kind<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FeeKind>, D::Error> {
    Ok(text(d)?.map(|s| FeeKind::parse(&s)))
}

/// An amount of money (`SOTIEN`). Written back as a number, "không", or the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    /// A number of đồng: `50000`, `"50.000"`, `"50,000 đồng"`.
    Vnd(u64),
    /// Written as no charge: "không", "miễn phí", "miễn".
    Free,
    /// Anything else ("theo quy định của Bộ Tài chính"), kept as written.
    Text(String),
}

impl Amount {
    /// Reads the spellings listed on the variants.
    pub fn parse(s: &str) -> Amount {
        let folded = fold(bare(s));
        if matches!(folded.as_str(), "khong" | "mien" | "mien phi" | "khong thu") {
            return Amount::Free;
        }
        // A currency word at the end is common: "50.000 đồng", "50.000đ", "VNĐ".
        let number = ["vnd", "dong", "d"].iter().find_map(|unit| folded.strip_suffix(unit)).unwrap_or(&folded).trim();
        match vnd(number) {
            Some(n) => Amount::Vnd(n),
            None => Amount::Text(s.to_owned()),
        }
    }

    /// True when nothing is to be paid.
    pub fn is_free(&self) -> bool {
        matches!(self, Amount::Free | Amount::Vnd(0))
    }
}

/// Digits with optional thousands separators: "50000", "50.000", "1,200,000".
/// Vietnamese writes thousands with dots, so "1.5" is not 1.5 đồng but
/// malformed; it is refused rather than read as 15.
fn vnd(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    let groups: Vec<&str> = s.split(['.', ',']).collect();
    let grouped_ok = groups.len() == 1 || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok {
        return None;
    }
    groups.concat().parse().ok()
}

pub(crate) fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    Ok(text(d)?.map(|s| Amount::parse(&s)))
}

/// How a dossier is submitted (`KENH`). Written back as its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// 1: in person at the counter (trực tiếp).
    InPerson,
    /// 2: online (trực tuyến).
    Online,
    /// 3: through the public postal service (dịch vụ bưu chính công ích).
    Postal,
    /// Any other code, kept as written.
    Other(String),
}

pub(crate) fn channel<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Channel>, D::Error> {
    Ok(text(d)?.map(|s| match bare(&s) {
        "1" => Channel::InPerson,
        "2" => Channel::Online,
        "3" => Channel::Postal,
        _ => Channel::Other(s),
    }))
}

/// The online service level (Decree 42/2022). Written back by its current name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlineLevel {
    /// "toàn trình": the whole procedure can be done online (formerly level 4).
    Full,
    /// "một phần": part of it can be done online (formerly level 3).
    Partial,
}

/// Why an online level is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "online service level {0:?} is not understood; expected \"toàn trình\", \"một phần\", \
     or an old level 1 to 4"
)]
pub struct BadOnlineLevel(pub String);

impl OnlineLevel {
    /// Reads the current names and the old numbered levels. Levels 1 and 2
    /// (information only) mean no online service: `Ok(None)`.
    pub fn parse(s: &str) -> Result<Option<OnlineLevel>, BadOnlineLevel> {
        let f = fold(bare(s));
        let f = f.strip_prefix("muc do").map_or(f.as_str(), str::trim);
        match f {
            "toan trinh" | "4" => Ok(Some(OnlineLevel::Full)),
            "mot phan" | "3" => Ok(Some(OnlineLevel::Partial)),
            "" | "1" | "2" => Ok(None),
            _ => Err(BadOnlineLevel(s.to_owned())),
        }
    }
}

pub(crate) fn online_level<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OnlineLevel>, D::Error> {
    match text(d)? {
        None => Ok(None),
        Some(s) => OnlineLevel::parse(&s).map_err(serde::de::Error::custom),
    }
}

// The exchange format's own spellings, so that what the importer writes and the API serves loads
// again into the same record (`tests_portal` reads every written record back).
impl Serialize for FeeKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            FeeKind::Fee => "1",
            FeeKind::Charge => "2",
            FeeKind::Other(code) => code,
        })
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Vnd(n) => s.serialize_u64(*n),
            Amount::Free => s.serialize_str("không"),
            Amount::Text(t) => s.serialize_str(t),
        }
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Channel::InPerson => "1",
            Channel::Online => "2",
            Channel::Postal => "3",
            Channel::Other(code) => code,
        })
    }
}

impl OnlineLevel {
    /// The name the portal uses today.
    pub fn name(self) -> &'static str {
        match self {
            OnlineLevel::Full => "toàn trình",
            OnlineLevel::Partial => "một phần",
        }
    }
}

impl Serialize for OnlineLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requirement: the fee code tolerates the stray apostrophe of real data.
    #[test]
    fn catalogue_fee_kind_tolerates_stray_apostrophe() {
        assert_eq!(FeeKind::parse("1'"), FeeKind::Fee);
        assert_eq!(FeeKind::parse(" 2' "), FeeKind::Charge);
        assert_eq!(FeeKind::parse("1"), FeeKind::Fee);
        assert_eq!(FeeKind::parse("9"), FeeKind::Other("9".into()));
        assert_eq!(FeeKind::Charge.label(), "Lệ phí");
    }

    /// Requirement: amounts written as text ("không") or with Vietnamese
    /// thousands dots are read; ambiguous text is kept, never misread as a number.
    #[test]
    fn catalogue_amounts_in_their_real_spellings() {
        assert_eq!(Amount::parse("không"), Amount::Free);
        assert_eq!(Amount::parse("Không"), Amount::Free);
        assert_eq!(Amount::parse("Miễn phí"), Amount::Free);
        assert_eq!(Amount::parse("50.000"), Amount::Vnd(50_000));
        assert_eq!(Amount::parse("1,200,000 đồng"), Amount::Vnd(1_200_000));
        assert_eq!(Amount::parse("50.000đ"), Amount::Vnd(50_000));
        assert_eq!(Amount::parse("200000 VNĐ"), Amount::Vnd(200_000));
        assert_eq!(Amount::parse("0"), Amount::Vnd(0));
        assert!(Amount::parse("0").is_free());
        assert_eq!(Amount::parse("1.5"), Amount::Text("1.5".into()));
        let t = "Theo quy định của Bộ Tài chính";
        assert_eq!(Amount::parse(t), Amount::Text(t.into()));
    }

    /// Requirement: current and old online levels; failure proved: unknown
    /// text is an error, not silently "not online".
    #[test]
    fn catalogue_online_levels() {
        assert_eq!(OnlineLevel::parse("Toàn trình"), Ok(Some(OnlineLevel::Full)));
        assert_eq!(OnlineLevel::parse("một phần"), Ok(Some(OnlineLevel::Partial)));
        assert_eq!(OnlineLevel::parse("Mức độ 4"), Ok(Some(OnlineLevel::Full)));
        assert_eq!(OnlineLevel::parse("3"), Ok(Some(OnlineLevel::Partial)));
        assert_eq!(OnlineLevel::parse("2"), Ok(None));
        assert!(OnlineLevel::parse("nhanh").is_err());
    }
}
