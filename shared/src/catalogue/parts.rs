//! The parts of a full record: levels, fields, steps, ways of submitting with
//! time limits and fees, documents, subjects and results, legal basis, agencies.
//!
//! Every value is optional and every list may be `null` or absent (see
//! `lenient.rs`), because provincial exports fill them unevenly.

use serde::{Deserialize, Serialize};

use super::lenient::{self, text, Amount, Channel, FeeKind};

/// The level that handles a procedure (`CAPTHUCHIEN`, `TENCAP`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    #[serde(rename = "CAPTHUCHIEN", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(rename = "TENCAP", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A field the procedure belongs to (`MALINHVUC`, `TENLINHVUC`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldRef {
    #[serde(rename = "MALINHVUC", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "TENLINHVUC", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The steps of one case (`TRUONGHOP`); a procedure may have several cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepCase {
    #[serde(rename = "TRUONGHOP", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(rename = "TRINHTU", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    #[serde(rename = "TENTRINHTU", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One way to submit (`KENH`) with its time limits and fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Way {
    #[serde(rename = "KENH", default, deserialize_with = "lenient::channel", skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(rename = "THOIGIAN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeLimit>,
}

/// A time limit (`THOIGIANGIAIQUYET` in `DONVITINH`) and the fees that go with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeLimit {
    /// As written: "15", "0.5", or text.
    #[serde(rename = "THOIGIANGIAIQUYET", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// "Ngày làm việc", "Ngày", "Giờ"…
    #[serde(rename = "DONVITINH", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "PHILEPHI", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<FeeItem>,
}

impl TimeLimit {
    /// The limit as a number, when it is one ("15" → 15.0; decimal comma accepted).
    pub fn amount(&self) -> Option<f64> {
        self.value.as_deref()?.trim().replace(',', ".").parse().ok()
    }
}

/// A fee or charge (`PHILEPHI`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeItem {
    #[serde(rename = "MAPHILEPHI", default, deserialize_with = "lenient::fee_kind", skip_serializing_if = "Option::is_none")]
    pub kind: Option<FeeKind>,
    #[serde(rename = "SOTIEN", default, deserialize_with = "lenient::amount", skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(rename = "DONVI", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The documents of one case (`TRUONGHOP`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentCase {
    #[serde(rename = "TRUONGHOP", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(rename = "GIAYTO", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
}

/// A document of the dossier, shown as "Bản chính: 1 - Bản sao: 0".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(rename = "MAGIAYTO", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(rename = "TENGIAYTO", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The form to fill in (`TENMAUDON`), e.g. "Tờ khai đăng ký khai sinh".
    #[serde(rename = "TENMAUDON", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(rename = "URL", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Originals (`SOBANCHINH`); `None` when absent or not a number.
    #[serde(rename = "SOBANCHINH", default, deserialize_with = "lenient::count", skip_serializing_if = "Option::is_none")]
    pub originals: Option<u32>,
    /// Copies (`SOBANSAO`).
    #[serde(rename = "SOBANSAO", default, deserialize_with = "lenient::count", skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
    /// Whether the dossier must hold it; `None` when the record does not say. The exchange
    /// format has no key for it, so `BATBUOC` is the project's choice; the portal's `required`
    /// fills it on import.
    #[serde(rename = "BATBUOC", default, deserialize_with = "lenient::yes_no", skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// A code and a name: subjects (`MADOITUONG`, `TENDOITUONG`) and results
/// (`MAKETQUA`, `TENKETQUA`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    #[serde(alias = "MADOITUONG", alias = "MAKETQUA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(alias = "TENDOITUONG", alias = "TENKETQUA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A legal document of the legal basis (`CANCUPHAPLY`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalDoc {
    #[serde(rename = "SOVANBAN", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(rename = "TENVANBAN", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(rename = "NGAYBANHANH", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    #[serde(rename = "COQUANBANHANH", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// An agency (`MADONVI`, `TENDONVI`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agency {
    #[serde(rename = "MADONVI", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "TENDONVI", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
