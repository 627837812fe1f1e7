//! A portal record into a [`Procedure`], whole or not at all.

use serde_json::Value;

use super::clean::{line, lines, para};
use super::record::{PortalCase, PortalComponent, PortalFee, PortalMethod, PortalRecord, PortalRef, PortalStep};
use crate::catalogue::code::{CodeError, ProcedureCode};
use crate::catalogue::lenient::{Amount, Channel, FeeKind, OnlineLevel};
use crate::catalogue::parts::{Agency, Document, DocumentCase, FeeItem, FieldRef, LegalDoc, Named, Step, StepCase, TimeLimit, Way};
use crate::catalogue::Procedure;
use crate::text::fold;

/// The longest name a record may have. Real names reach 300 and a few 600 characters; a name of
/// thousands is a record pasted into the wrong key.
pub const MAX_NAME_CHARS: usize = 2_000;
/// The most text one key may hold (a description, the requirements, the steps): real ones are a
/// few kilobytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Why a record is not imported.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("expected a JSON object, found {0}")]
    NotAnObject(&'static str),
    #[error("the record has no \"code\"")]
    NoCode,
    #[error("bad procedure code")]
    Code(#[from] CodeError),
    #[error("the record has no \"name\"")]
    NoName,
    #[error("\"{at}\" does not fit the portal's format: {reason}")]
    Shape { at: String, reason: String },
    #[error("the name is {0} characters long; a procedure name is at most {MAX_NAME_CHARS}")]
    NameTooLong(usize),
    #[error("\"{key}\" holds {bytes} bytes of text; one key holds at most {MAX_TEXT_BYTES}")]
    TextTooLong { key: &'static str, bytes: usize },
}

/// The record in `value` as a procedure.
pub fn convert(value: Value) -> Result<Procedure, Refused> {
    if !value.is_object() {
        return Err(Refused::NotAnObject(crate::catalogue::load::kind_of(&value)));
    }
    let r: PortalRecord = serde_path_to_error::deserialize(value)
        .map_err(|e| Refused::Shape { at: e.path().to_string(), reason: e.into_inner().to_string() })?;
    let code = ProcedureCode::parse(r.code.as_deref().map(str::trim).ok_or(Refused::NoCode)?)?;
    let name = r.name.as_deref().and_then(line).ok_or(Refused::NoName)?;
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Refused::NameTooLong(chars));
    }
    for (key, text) in
        [("description", &r.description), ("requirementsAndConditions", &r.requirements_and_conditions), ("keywords", &r.keywords)]
    {
        let bytes = text.as_deref().map_or(0, str::len);
        if bytes > MAX_TEXT_BYTES {
            return Err(Refused::TextTooLong { key, bytes });
        }
    }
    let steps_bytes = r.execution_steps.iter().filter_map(|s| s.description.as_deref()).map(str::len).sum();
    if steps_bytes > MAX_TEXT_BYTES {
        return Err(Refused::TextTooLong { key: "executionSteps", bytes: steps_bytes });
    }

    let ways: Vec<Way> = r.execution_methods.iter().map(|m| way(m, &r.cases)).collect();
    let online_level = if r.is_full_process == Some(true) {
        Some(OnlineLevel::Full)
    } else if ways.iter().any(|w| w.channel == Some(Channel::Online)) {
        Some(OnlineLevel::Partial)
    } else {
        None
    };
    // The documents are per case in `executionCases`; records that keep them in `cases` instead
    // are read from there.
    let with_documents = if r.execution_cases.iter().any(|c| !c.profile_components.is_empty()) { &r.execution_cases } else { &r.cases };
    let mut agencies = refs(&r.departments_executing, agency);
    agencies.extend(refs(&r.unit_groups_executing, agency));
    Ok(Procedure {
        code,
        name,
        kind: None,
        subject_description: None,
        address: None,
        requirements: r.requirements_and_conditions.as_deref().and_then(para),
        keywords: r.keywords.as_deref().and_then(line),
        description: r.description.as_deref().and_then(para),
        decision: r.decision_no.as_deref().and_then(line),
        levels: Vec::new(),
        fields: refs(&r.categories_details, |id, name| FieldRef { id, name }),
        steps: steps(&r.execution_steps),
        ways,
        documents: with_documents.iter().filter_map(document_case).collect(),
        subjects: refs(&r.subject_types_details, |code, name| Named { code, name }),
        results: refs(&r.results_details, |code, name| Named { code, name }),
        legal_basis: refs(&r.legal_basises_details, |number, title| LegalDoc { number, title, issued: None, issuer: None }),
        agencies,
        competent_agencies: refs(&r.departments_authority, agency),
        coordinating_agencies: refs(&r.departments_coordinating, agency),
        online_level,
        weight: 0,
        audiences: Vec::new(),
        sector_managed: false,
    })
}

fn agency(id: Option<String>, name: Option<String>) -> Agency {
    Agency { id, name }
}

/// `{code (else id), name}` pairs, tidied; entries with neither are dropped.
fn refs<T>(list: &[PortalRef], make: impl Fn(Option<String>, Option<String>) -> T) -> Vec<T> {
    list.iter()
        .filter_map(|r| {
            let code = r.code.as_deref().or(r.id.as_deref()).and_then(line);
            let name = r.name.as_deref().and_then(line);
            (code.is_some() || name.is_some()).then(|| make(code, name))
        })
        .collect()
}

/// The unit in the words the portal's pages use; an unknown unit is kept as written.
fn unit_words(unit: &str) -> Option<String> {
    match unit.trim() {
        "WORKING_DAY" => Some("Ngày làm việc".into()),
        "DAY" => Some("Ngày".into()),
        "HOUR" => Some("Giờ".into()),
        "MONTH" => Some("Tháng".into()),
        "OTHER" | "" => None,
        other => line(other),
    }
}

/// A time of 0 or nothing is "not given", not "done at once".
fn quantity(v: Option<&str>) -> Option<String> {
    let v = line(v?)?;
    let zero = v.replace(',', ".").parse::<f64>().is_ok_and(|n| n == 0.0);
    (!zero).then_some(v)
}

fn way(m: &PortalMethod, cases: &[PortalCase]) -> Way {
    let channel = m.submission_method.as_deref().map(str::trim).map(|s| match s {
        "DIRECT" => Channel::InPerson,
        "ONLINE" => Channel::Online,
        "POSTAL" => Channel::Postal,
        other => Channel::Other(other.to_owned()),
    });
    let description = m.description.as_deref().and_then(para);
    let other = m.processing_time_unit.as_deref().map(str::trim) == Some("OTHER");
    let per_case: Vec<TimeLimit> = if other {
        cases
            .iter()
            .filter_map(|c| {
                let day = c.processing_day.as_ref()?;
                let value = quantity(day.qty.as_deref())?;
                let unit = day.unit.as_deref().and_then(unit_words);
                Some(TimeLimit { value: Some(value), unit, description: c.name.as_deref().and_then(line), fees: Vec::new() })
            })
            .collect()
    } else {
        Vec::new()
    };
    let fees: Vec<FeeItem> = m.fees.iter().filter_map(fee).collect();
    let times = if per_case.is_empty() {
        let value = if other { None } else { quantity(m.processing_time.as_deref()) };
        let unit = value.as_ref().and(m.processing_time_unit.as_deref()).and_then(unit_words);
        vec![TimeLimit { value, unit, description, fees }]
    } else {
        // The method's own description and its fees go with the first case's time; the fees once,
        // so that they are not counted again per case.
        let mut times = per_case;
        match description {
            Some(d) => times.insert(0, TimeLimit { value: None, unit: None, description: Some(d), fees }),
            None => times[0].fees = fees,
        }
        times
    };
    Way { channel, times }
}

fn fee(f: &PortalFee) -> Option<FeeItem> {
    let kind = f.kind.as_deref().map(str::trim).map(|k| match k {
        "FEE" => FeeKind::Charge,
        "SERVICE_FEE" => FeeKind::Fee,
        other => FeeKind::Other(other.to_owned()),
    });
    let amount = f.value.as_deref().and_then(line).map(|v| Amount::parse(&v));
    let description = f.description.as_deref().and_then(para);
    if amount.is_none() && description.is_none() {
        return None;
    }
    let unit = amount.as_ref().and(f.currency_name.as_deref().and_then(line).or(Some("Đồng".to_owned())));
    Some(FeeItem { kind, amount, unit, description })
}

fn document_case(c: &PortalCase) -> Option<DocumentCase> {
    let documents: Vec<Document> = c.profile_components.iter().filter_map(document).collect();
    (!documents.is_empty()).then(|| DocumentCase { case: c.name.as_deref().and_then(line), documents })
}

fn document(d: &PortalComponent) -> Option<Document> {
    let name = d.name.as_deref().and_then(line)?;
    let forms: Vec<String> = d.attachments.iter().filter_map(|a| a.file_name.as_deref().and_then(line)).collect();
    Some(Document {
        code: d.code.as_deref().and_then(line),
        name: Some(name),
        form: (!forms.is_empty()).then(|| forms.join("; ")),
        url: d.attachments.iter().find_map(|a| a.url.as_deref().and_then(line)),
        originals: d.original_qty,
        copies: d.copy_qty,
        required: d.required,
    })
}

/// A line that starts a step: "Bước 1", "Bước 2:"…
fn starts_step(l: &str) -> bool {
    fold(l).strip_prefix("buoc").is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

/// The steps in one text: a new step at each line that begins "Bước"; the lines after it (its
/// details, "- …", "+ …") stay with it. A text without such lines is one step per line.
fn split_steps(text: &str) -> Vec<String> {
    let ls = lines(text);
    if !ls.iter().any(|l| starts_step(l)) {
        return ls;
    }
    let mut out: Vec<String> = Vec::new();
    for l in ls {
        match out.last_mut() {
            Some(step) if !starts_step(&l) => {
                step.push('\n');
                step.push_str(&l);
            }
            _ => out.push(l),
        }
    }
    out
}

/// `executionSteps`: an entry named "Bước N" is one step; an entry named otherwise is a case whose
/// description holds its steps; an entry without a name adds its steps to the common list.
fn steps(list: &[PortalStep]) -> Vec<StepCase> {
    let mut common: Vec<String> = Vec::new();
    let mut cases: Vec<StepCase> = Vec::new();
    for s in list {
        let name = s.name.as_deref().and_then(line);
        let text = s.description.as_deref().map(split_steps).unwrap_or_default();
        match name {
            Some(n) if starts_step(&n) => {
                let body = text.join("\n");
                // The description often repeats the label: "Bước 1: …" under "Bước 1".
                common.push(match body.is_empty() {
                    true => n,
                    false if fold(&body).starts_with(&fold(&n)) => body,
                    false => format!("{n}: {body}"),
                });
            }
            Some(n) if !text.is_empty() && !list.iter().all(|o| o.name.as_deref().and_then(line).as_deref() == Some(&n)) => {
                cases.push(StepCase { case: Some(n), steps: text.into_iter().map(|t| Step { name: Some(t) }).collect() })
            }
            _ => common.extend(text),
        }
    }
    let mut out = Vec::new();
    if !common.is_empty() {
        out.push(StepCase { case: None, steps: common.into_iter().map(|t| Step { name: Some(t) }).collect() });
    }
    out.extend(cases);
    out
}
