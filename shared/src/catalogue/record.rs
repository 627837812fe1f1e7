//! A procedure record: the national exchange format, and the short list format.
//!
//! One type reads both. The national format has upper-case keys (`MATTHC`,
//! `TENTTHC`, …, as provincial systems receive them from the national database);
//! the short list of `procedures.jsonl` has `code`, `name`, `weight`, `audiences`
//! and `sector_managed`, accepted as aliases or extra keys. Every list is optional
//! and may be `null`, because most records in the field carry only some of them.
//! Unknown keys are ignored so that a newer export still loads.

use serde::{Deserialize, Deserializer, Serialize};

use super::code::ProcedureCode;
use super::lenient::{self, text, OnlineLevel};
use super::parts::{Agency, DocumentCase, FeeItem, FieldRef, LegalDoc, Level, Named, StepCase, Way};
use crate::text::fold;

/// Who a procedure is for, as the portal's list marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Citizen,
    Business,
}

/// One administrative procedure (thủ tục hành chính).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    #[serde(rename = "MATTHC", alias = "code")]
    pub code: ProcedureCode,
    #[serde(rename = "TENTTHC", alias = "name")]
    pub name: String,
    /// `LOAITTHC`, kept as written ("1", "2", "3").
    #[serde(rename = "LOAITTHC", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(rename = "MOTADOITUONGTHUCHIEN", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub subject_description: Option<String>,
    #[serde(rename = "DIACHITIEPNHAN", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `YEUCAU`: requirements and conditions.
    #[serde(rename = "YEUCAU", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub requirements: Option<String>,
    /// `TUKHOA`: keywords, indexed for search after the name.
    #[serde(rename = "TUKHOA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    #[serde(rename = "MOTA", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `QUYETDINH`: the decision that published the procedure.
    #[serde(rename = "QUYETDINH", default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(rename = "CAPTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    #[serde(rename = "LINHVUCTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldRef>,
    #[serde(rename = "TRINHTUTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepCase>,
    #[serde(rename = "CACHTHUCTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub ways: Vec<Way>,
    #[serde(rename = "THANHPHANHOSO", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentCase>,
    #[serde(rename = "DOITUONGTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<Named>,
    #[serde(rename = "KETQUATHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Named>,
    #[serde(rename = "CANCUPHAPLY", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<LegalDoc>,
    #[serde(rename = "COQUANTHUCHIEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<Agency>,
    #[serde(rename = "COQUANCOTHAMQUYEN", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub competent_agencies: Vec<Agency>,
    #[serde(rename = "COQUANPHOIHOP", default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub coordinating_agencies: Vec<Agency>,
    /// Read from `MUCDO`: the values ("toàn trình", "một phần") are known, the
    /// key is not documented, so this is the project's choice of key.
    #[serde(rename = "MUCDO", default, deserialize_with = "lenient::online_level", skip_serializing_if = "Option::is_none")]
    pub online_level: Option<OnlineLevel>,
    /// The portal's popularity weight (short format); 0 when unknown.
    #[serde(default, deserialize_with = "weight", skip_serializing_if = "is_zero")]
    pub weight: u64,
    /// Who it is for; empty when unknown. A full record without this key
    /// gets it from `DOITUONGTHUCHIEN` (see [`Procedure::audiences_from_subjects`]).
    #[serde(default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<Audience>,
    /// Handled by a vertically managed sector (police, tax…): `ISNGANHDOC`.
    #[serde(alias = "ISNGANHDOC", default, deserialize_with = "flag", skip_serializing_if = "is_false")]
    pub sector_managed: bool,
}

// What is not known is left out when written, so a catalogue file (and the API's record) holds
// only what the record says.
fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn weight<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.unwrap_or(0))
}

/// `true`, `1`, `"1"`; `false`, `0`, `"0"`, `null`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match text(d)?.as_deref().map(str::trim) {
        None | Some("0" | "false" | "") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(serde::de::Error::custom(format_args!("sector flag {other:?} is not 0/1/true/false"))),
    }
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
            if has(&["doanh nghiep", "to chuc", "hop tac xa"]) && !out.contains(&Audience::Business) {
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

    /// What the lists and the search need (code, name, keywords, fields, audiences, popularity),
    /// without the page's parts: what a catalogue keeps in memory of each record when it can
    /// read the whole record again from its file.
    pub fn summary(self) -> Procedure {
        Procedure {
            code: self.code,
            name: self.name,
            keywords: self.keywords,
            fields: self.fields,
            audiences: self.audiences,
            weight: self.weight,
            sector_managed: self.sector_managed,
            kind: None,
            subject_description: None,
            address: None,
            requirements: None,
            description: None,
            decision: None,
            levels: Vec::new(),
            steps: Vec::new(),
            ways: Vec::new(),
            documents: Vec::new(),
            subjects: Vec::new(),
            results: Vec::new(),
            legal_basis: Vec::new(),
            agencies: Vec::new(),
            competent_agencies: Vec::new(),
            coordinating_agencies: Vec::new(),
            online_level: None,
        }
    }

    /// All fees of all ways of submitting.
    pub fn fees(&self) -> impl Iterator<Item = &FeeItem> {
        self.ways.iter().flat_map(|w| &w.times).flat_map(|t| &t.fees)
    }
}
