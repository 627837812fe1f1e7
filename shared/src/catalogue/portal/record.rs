//! The portal's record as it arrives (DOMAIN.md, "as the national portal publishes it now").
//!
//! Every key is optional and every list may be `null`; scalars may come as numbers or text
//! (`lenient.rs`). A key that holds the wrong kind of value (a list where text belongs, text where
//! a list belongs) refuses the record, with the key's path in the reason. Unknown keys are ignored
//! so that a newer portal still imports.

use serde::Deserialize;

use crate::catalogue::lenient::{self, count, text, yes_no};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalRecord {
    #[serde(deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "yes_no")]
    pub is_full_process: Option<bool>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub requirements_and_conditions: Option<String>,
    #[serde(deserialize_with = "text")]
    pub keywords: Option<String>,
    #[serde(deserialize_with = "text")]
    pub decision_no: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub execution_steps: Vec<PortalStep>,
    #[serde(deserialize_with = "lenient::list")]
    pub categories_details: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub subject_types_details: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub departments_executing: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub unit_groups_executing: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub departments_authority: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub departments_coordinating: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub execution_methods: Vec<PortalMethod>,
    #[serde(deserialize_with = "lenient::list")]
    pub execution_cases: Vec<PortalCase>,
    /// The cases again, with their own time limits (`processingDay`) for the unit `OTHER`; some
    /// records keep their documents here instead of in `executionCases`.
    #[serde(deserialize_with = "lenient::list")]
    pub cases: Vec<PortalCase>,
    #[serde(deserialize_with = "lenient::list")]
    pub legal_basises_details: Vec<PortalRef>,
    #[serde(deserialize_with = "lenient::list")]
    pub results_details: Vec<PortalRef>,
}

/// `{id, name, code}`: a field, an audience, an agency, a legal document, a result.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PortalRef {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PortalStep {
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalMethod {
    /// `DIRECT`, `ONLINE`, `POSTAL`.
    #[serde(deserialize_with = "text")]
    pub submission_method: Option<String>,
    #[serde(deserialize_with = "text")]
    pub processing_time: Option<String>,
    /// `WORKING_DAY`, `DAY`, `HOUR`, `OTHER`.
    #[serde(deserialize_with = "text")]
    pub processing_time_unit: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub fees: Vec<PortalFee>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalFee {
    /// `FEE` (lệ phí) or `SERVICE_FEE` (phí).
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: Option<String>,
    /// Đồng; `null` when only the description says what is paid.
    #[serde(deserialize_with = "text")]
    pub value: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub currency_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalCase {
    #[serde(deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    pub processing_day: Option<PortalDay>,
    #[serde(deserialize_with = "lenient::list")]
    pub profile_components: Vec<PortalComponent>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PortalDay {
    #[serde(deserialize_with = "text")]
    pub qty: Option<String>,
    #[serde(rename = "type", deserialize_with = "text")]
    pub unit: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalComponent {
    #[serde(deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "count")]
    pub original_qty: Option<u32>,
    #[serde(deserialize_with = "count")]
    pub copy_qty: Option<u32>,
    #[serde(deserialize_with = "yes_no")]
    pub required: Option<bool>,
    #[serde(deserialize_with = "lenient::list")]
    pub attachments: Vec<PortalAttachment>,
}

/// A form to fill in, attached to a document.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PortalAttachment {
    #[serde(deserialize_with = "text")]
    pub file_name: Option<String>,
    #[serde(alias = "fileUrl", alias = "link", deserialize_with = "text")]
    pub url: Option<String>,
}
