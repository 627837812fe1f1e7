//! A procedure record: the national exchange format, and the short list format.
//!
//! One type reads both. The national format has upper-case keys (`MATTHC`,
//! `TENTTHC`, …, see DOMAIN.md "A procedure record"); the short list of
//! `procedures.jsonl` has `code`, `name`, `weight`, `audiences` and
//! `sector_managed`, accepted as aliases or extra keys. Every list is optional
//! and may be `null`, because most records in the field carry only some of them.
//! Unknown keys are ignored so that a newer export still loads.

use serde::{Deserialize, Deserializer, Serialize};

use super::code::ProcedureCode;
use super::lenient::{self, text, Amount, Channel, FeeKind, OnlineLevel};
use crate::text::fold;

/// Who a procedure is for, as the portal's list marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Citizen,
    Business,
}

/// One administrative procedure (thủ tục hành chính).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Procedure {
    #[serde(rename = "MATTHC", alias = "code")]
    pub code: ProcedureCode,
    #[serde(rename = "TENTTHC", alias = "name")]
    pub name: String,
    /// `LOAITTHC`, kept as written ("1", "2", "3").
    #[serde(rename = "LOAITTHC", default, deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(rename = "MOTADOITUONGTHUCHIEN", default, deserialize_with = "text")]
    pub subject_description: Option<String>,
    #[serde(rename = "DIACHITIEPNHAN", default, deserialize_with = "text")]
    pub address: Option<String>,
    /// `YEUCAU`: requirements and conditions.
    #[serde(rename = "YEUCAU", default, deserialize_with = "text")]
    pub requirements: Option<String>,
    /// `TUKHOA`: keywords, indexed for search after the name.
    #[serde(rename = "TUKHOA", default, deserialize_with = "text")]
    pub keywords: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text")]
    pub description: Option<String>,
    /// `QUYETDINH`: the decision that published the procedure.
    #[serde(rename = "QUYETDINH", default, deserialize_with = "text")]
    pub decision: Option<String>,
    #[serde(rename = "CAPTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub levels: Vec<Level>,
    #[serde(rename = "LINHVUCTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub fields: Vec<FieldRef>,
    #[serde(rename = "TRINHTUTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub steps: Vec<StepCase>,
    #[serde(rename = "CACHTHUCTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub ways: Vec<Way>,
    #[serde(rename = "THANHPHANHOSO", default, deserialize_with = "lenient::list")]
    pub documents: Vec<DocumentCase>,
    #[serde(rename = "DOITUONGTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub subjects: Vec<Named>,
    #[serde(rename = "KETQUATHUCHIEN", default, deserialize_with = "lenient::list")]
    pub results: Vec<Named>,
    #[serde(rename = "CANCUPHAPLY", default, deserialize_with = "lenient::list")]
    pub legal_basis: Vec<LegalDoc>,
    #[serde(rename = "COQUANTHUCHIEN", default, deserialize_with = "lenient::list")]
    pub agencies: Vec<Agency>,
    #[serde(rename = "COQUANCOTHAMQUYEN", default, deserialize_with = "lenient::list")]
    pub competent_agencies: Vec<Agency>,
    #[serde(rename = "COQUANPHOIHOP", default, deserialize_with = "lenient::list")]
    pub coordinating_agencies: Vec<Agency>,
    /// Read from `MUCDO`: DOMAIN.md names the values ("toàn trình", "một
    /// phần") but not the key, so this is the project's choice of key.
    #[serde(rename = "MUCDO", default, deserialize_with = "lenient::online_level")]
    pub online_level: Option<OnlineLevel>,
    /// The portal's popularity weight (short format); 0 when unknown.
    #[serde(default, deserialize_with = "weight")]
    pub weight: u64,
    /// Who it is for; empty when unknown. A full record without this key
    /// gets it from `DOITUONGTHUCHIEN` (see [`Procedure::audiences_from_subjects`]).
    #[serde(default, deserialize_with = "lenient::list")]
    pub audiences: Vec<Audience>,
    /// Handled by a vertically managed sector (police, tax…): `ISNGANHDOC`.
    #[serde(alias = "ISNGANHDOC", default, deserialize_with = "flag")]
    pub sector_managed: bool,
}

fn weight<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.unwrap_or(0))
}

/// `true`, `1`, `"1"`; `false`, `0`, `"0"`, `null`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match text(d)?.as_deref().map(str::trim) {
        None | Some("0" | "false" | "") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(serde::de::Error::custom(format_args!(
            "sector flag {other:?} is not 0/1/true/false"
        ))),
    }
}

/// The level that handles a procedure (`CAPTHUCHIEN`, `TENCAP`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Level {
    #[serde(rename = "CAPTHUCHIEN", default, deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(rename = "TENCAP", default, deserialize_with = "text")]
    pub name: Option<String>,
}

/// A field the procedure belongs to (`MALINHVUC`, `TENLINHVUC`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldRef {
    #[serde(rename = "MALINHVUC", default, deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(rename = "TENLINHVUC", default, deserialize_with = "text")]
    pub name: Option<String>,
}

/// The steps of one case (`TRUONGHOP`); a procedure may have several cases.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StepCase {
    #[serde(rename = "TRUONGHOP", default, deserialize_with = "text")]
    pub case: Option<String>,
    #[serde(rename = "TRINHTU", default, deserialize_with = "lenient::list")]
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Step {
    #[serde(rename = "TENTRINHTU", default, deserialize_with = "text")]
    pub name: Option<String>,
}

/// One way to submit (`KENH`) with its time limits and fees.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Way {
    #[serde(rename = "KENH", default, deserialize_with = "lenient::channel")]
    pub channel: Option<Channel>,
    #[serde(rename = "THOIGIAN", default, deserialize_with = "lenient::list")]
    pub times: Vec<TimeLimit>,
}

/// A time limit (`THOIGIANGIAIQUYET` in `DONVITINH`) and the fees that go with it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimeLimit {
    /// As written: "15", "0.5", or text.
    #[serde(rename = "THOIGIANGIAIQUYET", default, deserialize_with = "text")]
    pub value: Option<String>,
    /// "Ngày làm việc", "Ngày", "Giờ"…
    #[serde(rename = "DONVITINH", default, deserialize_with = "text")]
    pub unit: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(rename = "PHILEPHI", default, deserialize_with = "lenient::list")]
    pub fees: Vec<FeeItem>,
}

impl TimeLimit {
    /// The limit as a number, when it is one ("15" → 15.0; decimal comma accepted).
    pub fn amount(&self) -> Option<f64> {
        self.value.as_deref()?.trim().replace(',', ".").parse().ok()
    }
}

/// A fee or charge (`PHILEPHI`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeeItem {
    #[serde(rename = "MAPHILEPHI", default, deserialize_with = "lenient::fee_kind")]
    pub kind: Option<FeeKind>,
    #[serde(rename = "SOTIEN", default, deserialize_with = "lenient::amount")]
    pub amount: Option<Amount>,
    #[serde(rename = "DONVI", default, deserialize_with = "text")]
    pub unit: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text")]
    pub description: Option<String>,
}

/// The documents of one case (`TRUONGHOP`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DocumentCase {
    #[serde(rename = "TRUONGHOP", default, deserialize_with = "text")]
    pub case: Option<String>,
    #[serde(rename = "GIAYTO", default, deserialize_with = "lenient::list")]
    pub documents: Vec<Document>,
}

/// A document of the dossier, shown as "Bản chính: 1 - Bản sao: 0".
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Document {
    #[serde(rename = "MAGIAYTO", default, deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(rename = "TENGIAYTO", default, deserialize_with = "text")]
    pub name: Option<String>,
    /// The form to fill in (`TENMAUDON`), e.g. "Tờ khai đăng ký khai sinh".
    #[serde(rename = "TENMAUDON", default, deserialize_with = "text")]
    pub form: Option<String>,
    #[serde(rename = "URL", default, deserialize_with = "text")]
    pub url: Option<String>,
    /// Originals (`SOBANCHINH`); `None` when absent or not a number.
    #[serde(rename = "SOBANCHINH", default, deserialize_with = "lenient::count")]
    pub originals: Option<u32>,
    /// Copies (`SOBANSAO`).
    #[serde(rename = "SOBANSAO", default, deserialize_with = "lenient::count")]
    pub copies: Option<u32>,
}

/// A code and a name: subjects (`MADOITUONG`, `TENDOITUONG`) and results
/// (`MAKETQUA`, `TENKETQUA`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    #[serde(alias = "MADOITUONG", alias = "MAKETQUA", default, deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(alias = "TENDOITUONG", alias = "TENKETQUA", default, deserialize_with = "text")]
    pub name: Option<String>,
}

/// A legal document of the legal basis (`CANCUPHAPLY`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LegalDoc {
    #[serde(rename = "SOVANBAN", default, deserialize_with = "text")]
    pub number: Option<String>,
    #[serde(rename = "TENVANBAN", default, deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(rename = "NGAYBANHANH", default, deserialize_with = "text")]
    pub issued: Option<String>,
    #[serde(rename = "COQUANBANHANH", default, deserialize_with = "text")]
    pub issuer: Option<String>,
}

/// An agency (`MADONVI`, `TENDONVI`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Agency {
    #[serde(rename = "MADONVI", default, deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(rename = "TENDONVI", default, deserialize_with = "text")]
    pub name: Option<String>,
}

impl Procedure {
    /// The audiences implied by the subjects' names, for full records that do
    /// not carry the short list's `audiences`. A heuristic on the folded names:
    /// individuals ("cá nhân", "công dân", "người …") are citizens;
    /// organisations ("doanh nghiệp", "tổ chức", "hợp tác xã") are businesses.
    pub fn audiences_from_subjects(&self) -> Vec<Audience> {
        let mut out = Vec::new();
        for name in self.subjects.iter().filter_map(|s| s.name.as_deref()) {
            let f = fold(name);
            let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
            if has(&["ca nhan", "cong dan", "nguoi"]) && !out.contains(&Audience::Citizen) {
                out.push(Audience::Citizen);
            }
            if has(&["doanh nghiep", "to chuc", "hop tac xa"]) && !out.contains(&Audience::Business)
            {
                out.push(Audience::Business);
            }
        }
        out
    }

    /// Fills what a record implies but does not say; the loader calls it.
    pub(crate) fn complete(&mut self) {
        if self.audiences.is_empty() {
            self.audiences = self.audiences_from_subjects();
        }
    }

    /// All fees of all ways of submitting.
    pub fn fees(&self) -> impl Iterator<Item = &FeeItem> {
        self.ways.iter().flat_map(|w| &w.times).flat_map(|t| &t.fees)
    }
}
