//! Procedure records as the national portal publishes them now (camelCase JSON, DOMAIN.md), read
//! into the catalogue's [`Procedure`].
//!
//! Layout:
//! - `record`: the portal's record as it arrives, every key optional and leniently typed;
//! - `clean`: its text with stray spaces, line breaks and invisible characters taken out, the
//!   words left as they are;
//! - `convert`: the record into a [`Procedure`], or the reason it is refused. A refused record
//!   yields nothing: no half of a record ever reaches a catalogue.
//!
//! The mapping, part by part:
//! - fields (`LINHVUCTHUCHIEN`) from `categoriesDetails` (its `code`, else its `id`); subjects
//!   (`DOITUONGTHUCHIEN`, whence the audiences) from `subjectTypesDetails`;
//! - agencies from `departmentsExecuting` then `unitGroupsExecuting`; competent and coordinating
//!   ones from `departmentsAuthority` and `departmentsCoordinating`;
//! - ways of submitting (`CACHTHUCTHUCHIEN`) from `executionMethods`, one per channel, with the
//!   time limit and its unit in words and the fees (`FEE` is lệ phí, `SERVICE_FEE` phí; a null
//!   value keeps only its description). With the unit `OTHER` the time comes from each of
//!   `cases[].processingDay`, named by its case, or else from the description;
//! - documents per case (`THANHPHANHOSO`) from `executionCases` (else `cases`), each with its
//!   originals, copies, whether it is required, and its form's file name;
//! - steps from `executionSteps`, split at the lines that begin "Bước";
//! - online level: "toàn trình" when `isFullProcess`, "một phần" when a way is online;
//! - legal basis from `legalBasisesDetails` (code as the number), results from `resultsDetails`,
//!   requirements, description, keywords and the decision number as text.

mod clean;
mod convert;
mod record;

pub use convert::{convert, Refused, MAX_NAME_CHARS, MAX_TEXT_BYTES};

/// True when a JSON object's keys say it is a portal record (camelCase) rather than the exchange
/// format or the short list (`weight`, `audiences`…), which the catalogue's own loader reads. A
/// record of only `code` and `name` is read as the portal's: both formats agree on it, and the
/// portal's reading checks more (the length of the name).
pub fn is_portal_record<'a>(mut keys: impl Iterator<Item = &'a str>) -> bool {
    !keys.any(|k| matches!(k, "MATTHC" | "TENTTHC" | "weight" | "audiences" | "sector_managed"))
}
