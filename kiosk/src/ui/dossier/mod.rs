//! Dossier status: the receipt code (mã hồ sơ) a citizen types or scans, checked for its
//! format, looked up in the province's one-stop system through a `DossierSource`, and shown
//! with the applicant's name masked.
//!
//! - `mod.rs`: the receipt code, the record, the source trait, name masking.
//! - `http.rs`: the source over HTTP (the JSON contract is documented there).
//! - `cache.rs`: a source in front of another that remembers recent answers.
//! - `screen.rs`: the screen's controller (`DossierAdapter`).
//! - `demo.rs`: a stand-in one-stop system speaking the contract, with made-up dossiers.
mod cache;
pub mod demo;
mod http;
pub mod screen;

pub use cache::CachedSource;
pub use http::{HttpSource, HttpSourceConfig};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A receipt code `{agency id}-{yyMMdd}-{NNNN}`, e.g. `000.00.06.H56-231027-0361`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceiptCode {
    text: String,
    pub received: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a receipt code has three parts: agency-yyMMdd-NNNN")]
    Shape,
    #[error("the agency id may hold only letters, digits and dots")]
    Agency,
    #[error("the date part is not a real date (yyMMdd)")]
    Date,
    #[error("the sequence part is four digits")]
    Sequence,
}

impl ReceiptCode {
    /// Reads a code as typed or scanned: surrounding spaces and a scanner's line end go,
    /// letters are upper-cased; anything else out of shape is refused.
    pub fn parse(input: &str) -> Result<ReceiptCode, CodeError> {
        let text = input.trim().to_ascii_uppercase();
        let mut parts = text.rsplitn(3, '-');
        let (Some(seq), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CodeError::Shape);
        };
        let agency_ok = !agency.is_empty()
            && agency.len() <= 40
            && agency.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && !agency.starts_with('.')
            && !agency.ends_with('.')
            && !agency.contains("..");
        if !agency_ok {
            return Err(CodeError::Agency);
        }
        if date.len() != 6 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Date);
        }
        let received = NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").map_err(|_| CodeError::Date)?;
        if seq.len() != 4 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Sequence);
        }
        Ok(ReceiptCode { text, received })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where a dossier stands, as the one-stop systems report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    Received,
    Processing,
    /// The agency asks for more documents.
    NeedsMore,
    /// The result is ready to collect.
    Ready,
    /// Collected: finished.
    Returned,
    /// Past the appointment; an apology slip gives a new date.
    Overdue,
    /// Refused, with a written reason.
    Rejected,
}

/// What the kiosk may show of a dossier: no ID numbers, birth dates, addresses or contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub code: String,
    /// The applicant's full name as the system sends it; shown masked only.
    pub applicant: String,
    pub procedure: String,
    pub status: DossierStatus,
    pub received: Option<NaiveDate>,
    pub appointment: Option<NaiveDate>,
    #[serde(default)]
    pub completed: Option<NaiveDate>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("the one-stop system cannot be reached at {url}: {source}")]
    Unreachable { url: String, source: reqwest::Error },
    #[error("the one-stop system answered HTTP {status} for {url}")]
    Status { url: String, status: u16 },
    #[error("the one-stop system's answer from {url} does not follow the contract: {source}")]
    Contract { url: String, source: serde_json::Error },
}

/// The province's one-stop system, as far as the kiosk needs it.
pub trait DossierSource: Send + Sync {
    /// The dossier with this code, `None` when the system knows no such dossier.
    /// Blocking: call it off the UI thread.
    fn lookup(&self, code: &ReceiptCode) -> Result<Option<Dossier>, SourceError>;
}

/// "Nguyễn Văn An" → "Nguyễn V. A.": the family name, then initials (Decree 13/2023: a
/// public screen shows no more than it needs).
pub fn mask_name(full: &str) -> String {
    let mut words = full.split_whitespace();
    let Some(family) = words.next() else { return String::new() };
    let mut out = family.to_owned();
    for w in words {
        if let Some(c) = w.chars().next() {
            out.push(' ');
            out.extend(c.to_uppercase());
            out.push('.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_receipt_code_is_read_and_its_date_kept() {
        let c = ReceiptCode::parse(" 000.00.06.h56-231027-0361\n").unwrap();
        assert_eq!(c.as_str(), "000.00.06.H56-231027-0361");
        assert_eq!(c.received, NaiveDate::from_ymd_opt(2023, 10, 27).unwrap());
    }

    #[test]
    fn codes_out_of_shape_are_refused_with_the_reason() {
        assert_eq!(ReceiptCode::parse("0361"), Err(CodeError::Shape));
        assert_eq!(ReceiptCode::parse("000.00.06.H56-231327-0361"), Err(CodeError::Date));
        assert_eq!(ReceiptCode::parse("000.00.06.H56-231027-361"), Err(CodeError::Sequence));
        assert_eq!(ReceiptCode::parse("000/06-231027-0361"), Err(CodeError::Agency));
        assert_eq!(ReceiptCode::parse("-231027-0361"), Err(CodeError::Agency));
    }

    #[test]
    fn names_are_masked_to_family_name_and_initials() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A.");
        assert_eq!(mask_name("  Lê   thị  Đào "), "Lê T. Đ.");
        assert_eq!(mask_name("Trần"), "Trần");
        assert_eq!(mask_name(""), "");
    }
}
