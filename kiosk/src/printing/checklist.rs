//! The slips that are not tickets: the checklist of documents to bring for a procedure (printed
//! from its page), and the staff's test print. Both go through the printer crate's
//! `ChecklistLayout`, the same encoder and the same transports as a ticket.
use super::layout::{paper, profile};
use super::PrintFailure;
use chrono::{DateTime, Utc};
use printer::ChecklistLayout;
use shared::catalogue::{Document, DocumentCase, Procedure};
use shared::config::Config;

/// Everything printed on a checklist slip.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistJob {
    /// The procedure's name (or "In thử" for a test print).
    pub title: String,
    /// The procedure's code and what the list is.
    pub subtitle: String,
    pub items: Vec<String>,
    /// Notes under the list (before the centre's name and the time, which are always added).
    pub notes: Vec<String>,
    pub printed_at: DateTime<Utc>,
    /// For file names and logs: the procedure code, or "test".
    pub tag: String,
}

/// "Bản chính: 1 - Bản sao: 0", as the portal writes it; empty when the record says nothing.
fn counts(originals: Option<u32>, copies: Option<u32>) -> String {
    match (originals, copies) {
        (None, None) => String::new(),
        (o, c) => format!("Bản chính: {} - Bản sao: {}", o.unwrap_or(0), c.unwrap_or(0)),
    }
}

/// The cases that list at least one named document: the ones the kiosk's page shows, in order.
fn cases(p: &Procedure) -> Vec<&DocumentCase> {
    p.documents.iter().filter(|c| c.documents.iter().any(|d| d.name.as_deref().is_some_and(|n| !n.trim().is_empty()))).collect()
}

/// "Name (Bản chính: 1 - Bản sao: 0)"; "(nếu có)" when the record says it is not required.
fn document_line(d: &Document) -> Option<String> {
    let name = d.name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
    let n = counts(d.originals, d.copies);
    let optional = d.required == Some(false) && !shared::text::fold(name).contains("neu co");
    let name = if optional { format!("{name} (nếu có)") } else { name.to_owned() };
    Some(if n.is_empty() { name } else { format!("{name} ({n})") })
}

/// The documents of every case, each once; a document that only some cases need says which.
pub fn documents(p: &Procedure) -> Vec<String> {
    let cases = cases(p);
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for case in &cases {
        for line in case.documents.iter().filter_map(document_line) {
            let case_name = case.case.clone().unwrap_or_default();
            match out.iter_mut().find(|(l, _)| *l == line) {
                Some((_, in_cases)) => in_cases.push(case_name),
                None => out.push((line, vec![case_name])),
            }
        }
    }
    out.into_iter()
        .map(|(line, in_cases)| {
            let named: Vec<&str> = in_cases.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            if cases.len() > 1 && in_cases.len() < cases.len() && !named.is_empty() {
                format!("{line} — trường hợp: {}", named.join("; "))
            } else {
                line
            }
        })
        .collect()
}

/// The checklist of a procedure: of the case the citizen chose (its index among the cases the
/// page shows), else of every case.
pub fn procedure_checklist(p: &Procedure, case: Option<usize>, now: DateTime<Utc>) -> ChecklistJob {
    let chosen = case.and_then(|i| cases(p).get(i).copied());
    let items = match chosen {
        Some(c) => c.documents.iter().filter_map(document_line).collect(),
        None => documents(p),
    };
    let notes = if items.is_empty() {
        vec!["Danh mục trên máy chưa có chi tiết thành phần hồ sơ: vui lòng hỏi tại quầy.".to_owned()]
    } else {
        vec!["Mang theo bản chính để đối chiếu khi nộp bản sao.".to_owned()]
    };
    // The case heads the list: the same procedure asks other documents in another case.
    let subtitle = match chosen.and_then(|c| c.case.as_deref()).map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("Mã thủ tục {} · Thành phần hồ sơ · Trường hợp: {name}", p.code),
        None => format!("Mã thủ tục {} · Thành phần hồ sơ", p.code),
    };
    ChecklistJob { title: p.name.trim().to_owned(), subtitle, items, notes, printed_at: now, tag: p.code.to_string() }
}

/// The staff's test print: says what printed it and when, and never looks like a ticket.
pub fn test_slip(printer: &str, now: DateTime<Utc>) -> ChecklistJob {
    ChecklistJob {
        title: "IN THỬ — TEST PRINT".to_owned(),
        subtitle: "Không phải phiếu số thứ tự · Not a queue ticket".to_owned(),
        items: vec![printer.to_owned(), "Tiếng Việt có dấu: Ạ Ằ Ẫ Đ Ế Ỗ Ợ Ữ Ỹ".to_owned()],
        notes: Vec::new(),
        printed_at: now,
        tag: "test".to_owned(),
    }
}

/// The printer crate's layout of a checklist job on this kiosk's paper.
pub fn checklist_layout(config: &Config, job: &ChecklistJob) -> ChecklistLayout {
    let local = job.printed_at.with_timezone(&config.centre.utc_offset.0);
    let mut footer = job.notes.clone();
    footer.push(config.centre.name.clone());
    footer.push(format!("In lúc {}", local.format("%H:%M %d/%m/%Y")));
    ChecklistLayout { title: job.title.clone(), subtitle: job.subtitle.clone(), items: job.items.clone(), footer, paper: paper(config) }
}

/// The exact bytes the printer receives for this slip.
pub fn encode_checklist(config: &Config, job: &ChecklistJob) -> Result<Vec<u8>, PrintFailure> {
    Ok(printer::encode(&checklist_layout(config, job).document(), &profile(config))?)
}
