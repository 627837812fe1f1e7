//! Dossiers (hồ sơ) of the province's one-stop system, as far as the kiosk and the results
//! board need them: the receipt code (mã hồ sơ) a citizen types or scans, checked for its
//! format; the record; the `DossierSource` trait both screens ask through; name masking and the
//! public view (a public screen shows the code, a masked name, the procedure, the dates and
//! the status, nothing else: no ID number, birth date, address or contents, as the personal-data
//! rules, Decree 13/2023, recommend).
//!
//! - `mod.rs`: the receipt code, the record, listings, the source trait, masking. Pure.
//! - `evaluation.rs`: the province's nine-criteria evaluation of a finished dossier. Pure.
//! - `cache.rs`: a source in front of another that remembers recent answers. Pure.
//! - `http.rs` (feature `http`): the source over HTTP or HTTPS; the JSON contract is there.
//! - `demo.rs` (feature `demo`): a stand-in one-stop system speaking the contract, with a few
//!   hundred made-up dossiers.
//! - `sample.rs`: made-up dossiers (the fixed ones the tests look up, and a generated day
//!   of a ward: plausible names, real procedures), pure, for the demo and the tests.
mod cache;
#[cfg(feature = "demo")]
pub mod demo;
pub mod evaluation;
#[cfg(feature = "http")]
mod http;
pub mod sample;

pub use cache::CachedSource;
#[cfg(feature = "http")]
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

    /// A code as the queue stores it once accepted (trimmed, upper case); the input unchanged
    /// when it is no code, for answers that echo what was sent.
    pub fn as_stored(input: String) -> String {
        ReceiptCode::parse(&input).map(|c| c.text).unwrap_or(input)
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

/// The statuses a results board lists, one tab each.
pub const BOARD_STATUSES: [DossierStatus; 3] = [DossierStatus::Ready, DossierStatus::Processing, DossierStatus::Overdue];

impl DossierStatus {
    /// The name in the contract (`?status=` and the JSON field).
    pub fn as_str(self) -> &'static str {
        match self {
            DossierStatus::Received => "received",
            DossierStatus::Processing => "processing",
            DossierStatus::NeedsMore => "needs_more",
            DossierStatus::Ready => "ready",
            DossierStatus::Returned => "returned",
            DossierStatus::Overdue => "overdue",
            DossierStatus::Rejected => "rejected",
        }
    }

    /// Decided: the result is ready, collected, or refused. Only such a dossier can be
    /// evaluated (its time, the agencies it went through, are known).
    pub fn is_finished(self) -> bool {
        matches!(self, DossierStatus::Ready | DossierStatus::Returned | DossierStatus::Rejected)
    }

    pub fn parse(s: &str) -> Option<DossierStatus> {
        [
            DossierStatus::Received,
            DossierStatus::Processing,
            DossierStatus::NeedsMore,
            DossierStatus::Ready,
            DossierStatus::Returned,
            DossierStatus::Overdue,
            DossierStatus::Rejected,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// One page of a listing: `items` of at most the page size asked, `total` across all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierPage {
    pub items: Vec<Dossier>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

impl DossierPage {
    /// How many pages the listing has (at least one, empty or not).
    pub fn pages(&self) -> u32 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// The largest page a source is asked for; a board shows far fewer rows at once.
pub const MAX_PER_PAGE: u32 = 100;

/// Why a source could not answer. The transport's own error is kept as the source, boxed, so
/// that this pure module does not depend on an HTTP library.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("the one-stop system cannot be reached at {url}: {source}")]
    Unreachable { url: String, source: Box<dyn std::error::Error + Send + Sync> },
    #[error("the one-stop system answered HTTP {status} for {url}")]
    Status { url: String, status: u16 },
    #[error("the one-stop system's answer from {url} does not follow the contract: {source}")]
    Contract { url: String, source: serde_json::Error },
    #[error("the one-stop system's listing from {url} does not hold together: {reason}")]
    Listing { url: String, reason: &'static str },
}

/// The province's one-stop system, as far as the kiosk and the results board need it.
/// Blocking: call it off the UI thread.
pub trait DossierSource: Send + Sync {
    /// The dossier with this code, `None` when the system knows no such dossier.
    fn lookup(&self, code: &ReceiptCode) -> Result<Option<Dossier>, SourceError>;

    /// Page `page` (from 1) of the dossiers in `status`, `per_page` (1–[`MAX_PER_PAGE`]) to a
    /// page, in the system's order (the demo: appointment date, then code).
    fn list(&self, status: DossierStatus, page: u32, per_page: u32) -> Result<DossierPage, SourceError>;
}

/// What a public screen may show of a dossier (see the module's doc):
/// the applicant only masked, and no field beyond these. Built only by [`Dossier::public`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicDossier {
    pub code: String,
    pub name: String,
    pub procedure: String,
    pub status: DossierStatus,
    pub received: Option<NaiveDate>,
    pub appointment: Option<NaiveDate>,
    pub completed: Option<NaiveDate>,
}

impl Dossier {
    pub fn public(&self) -> PublicDossier {
        PublicDossier {
            code: self.code.clone(),
            name: mask_name(&self.applicant),
            procedure: self.procedure.clone(),
            status: self.status,
            received: self.received,
            appointment: self.appointment,
            completed: self.completed,
        }
    }
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
    fn private_fields_of_a_provincial_answer_never_reach_the_public_view() {
        // Proves a system that sends more than the contract (ID number, birth date, address,
        // phone) loses those fields at parsing, and the public view masks the name.
        let json = r#"{"code": "000.00.06.H56-231027-0361", "applicant": "Nguyễn Văn An",
            "cccd": "001099012345", "birth_date": "1990-01-02", "address": "12 Hàng Bạc",
            "phone": "0912345678", "procedure": "Đăng ký khai sinh", "status": "ready",
            "received": "2023-10-27", "appointment": "2023-11-03", "completed": null}"#;
        let d: Dossier = serde_json::from_str(json).unwrap();
        let p = d.public();
        assert_eq!(p.name, "Nguyễn V. A.");
        let shown = format!("{p:?}");
        for secret in ["001099012345", "1990", "Hàng Bạc", "0912345678", "Văn An"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn statuses_round_trip_their_contract_names_and_pages_count() {
        for s in BOARD_STATUSES {
            assert_eq!(DossierStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(DossierStatus::parse("done"), None);
        let page = |total| DossierPage { items: vec![], total, page: 1, per_page: 10 };
        assert_eq!((page(0).pages(), page(10).pages(), page(11).pages()), (1, 1, 2));
    }

    #[test]
    fn names_are_masked_to_family_name_and_initials() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A.");
        assert_eq!(mask_name("  Lê   thị  Đào "), "Lê T. Đ.");
        assert_eq!(mask_name("Trần"), "Trần");
        assert_eq!(mask_name(""), "");
    }
}
