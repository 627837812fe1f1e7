//! Fields of procedures (lĩnh vực), for browsing and filtering.
//!
//! `fields.jsonl` lists them as `{"id": 203, "name": "Hộ tịch(Bộ Tư pháp)"}`:
//! the ministry in the last brackets, glued to the name. The kiosk shows the
//! name and the ministry apart, so they are split at load.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use serde::Deserialize;

use super::error::LoadError;
use super::lenient::text;
use super::load::{for_each_line, parse_json};

/// A field id as the portal numbers it (`203`). Kept as text because the
/// national format's `MALINHVUC` is text and need not be a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub String);

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<u64> for FieldId {
    fn from(n: u64) -> Self {
        FieldId(n.to_string())
    }
}

impl From<&str> for FieldId {
    fn from(s: &str) -> Self {
        FieldId(s.to_owned())
    }
}

/// A field: "Hộ tịch" of the ministry "Bộ Tư pháp".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: FieldId,
    pub name: String,
    /// The ministry in charge, when the name carried one in brackets.
    pub ministry: Option<String>,
}

/// Splits "Hộ tịch(Bộ Tư pháp)" into ("Hộ tịch", Some("Bộ Tư pháp")).
///
/// Only the last bracket group is the ministry: "Công chứng (nội bộ)(Bộ Tư
/// pháp)" keeps "(nội bộ)" in the name. The group is found by matching
/// brackets from the end, so a ministry name with brackets inside survives.
pub fn split_ministry(full: &str) -> (String, Option<String>) {
    let trimmed = full.trim();
    let Some(inner_end) = trimmed.strip_suffix(')') else {
        return (trimmed.to_owned(), None);
    };
    let mut depth = 0usize;
    for (i, c) in inner_end.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let name = inner_end[..i].trim();
                let ministry = inner_end[i + 1..].trim();
                // "(ODA)" alone is not a ministry: a name must remain.
                if name.is_empty() || ministry.is_empty() {
                    break;
                }
                return (name.to_owned(), Some(ministry.to_owned()));
            }
            _ => {}
        }
    }
    (trimmed.to_owned(), None)
}

#[derive(Deserialize)]
struct RawField {
    #[serde(deserialize_with = "text")]
    id: Option<String>,
    name: String,
}

/// Loads `fields.jsonl`. Same contract as the procedures: all or an error.
pub fn load_fields_jsonl<R: BufRead>(reader: R) -> Result<Vec<Field>, LoadError> {
    let mut out: Vec<Field> = Vec::new();
    let mut first_line: HashMap<FieldId, usize> = HashMap::new();
    let n = for_each_line(reader, |line, text, last| {
        let value: serde_json::Value = parse_json(line, text, last)?;
        let raw = RawField::deserialize(value).map_err(|source| LoadError::Field { line, source })?;
        let Some(id) = raw.id.filter(|s| !s.trim().is_empty()) else {
            return Err(LoadError::Field { line, source: serde::de::Error::custom("the id is empty") });
        };
        let id = FieldId(id);
        if let Some(&first) = first_line.get(&id) {
            return Err(LoadError::DuplicateField { line, id: id.0, first_line: first });
        }
        first_line.insert(id.clone(), line);
        let (name, ministry) = split_ministry(&raw.name);
        out.push(Field { id, name, ministry });
        Ok(())
    })?;
    if n == 0 {
        return Err(LoadError::NoRecords);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requirement: the ministry is split off the last bracket group only.
    #[test]
    fn catalogue_field_names_split_from_ministry() {
        let s = |x: &str| split_ministry(x);
        assert_eq!(s("Hộ tịch(Bộ Tư pháp)"), ("Hộ tịch".into(), Some("Bộ Tư pháp".into())));
        assert_eq!(s("Công chứng (nội bộ)(Bộ Tư pháp)"), ("Công chứng (nội bộ)".into(), Some("Bộ Tư pháp".into())));
        assert_eq!(s("Hộ tịch"), ("Hộ tịch".into(), None));
        assert_eq!(s("(ODA)"), ("(ODA)".into(), None));
        assert_eq!(s("Thuế (a(b))"), ("Thuế".into(), Some("a(b)".into())));
        assert_eq!(s("lạ)"), ("lạ)".into(), None));
    }

    /// Requirement: the real 489 fields load, ids unique, every one with a ministry.
    #[test]
    fn catalogue_real_fields_load() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/catalogue/fields.jsonl");
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let fields = load_fields_jsonl(file).unwrap();
        assert_eq!(fields.len(), 489);
        assert!(fields.iter().all(|f| f.ministry.is_some()), "every real name ends in (ministry)");
        let civil = fields.iter().find(|f| f.id == FieldId::from(203)).unwrap();
        assert_eq!((civil.name.as_str(), civil.ministry.as_deref()), ("Hộ tịch", Some("Bộ Tư pháp")));
    }

    /// Failure proved: a duplicate id or a record without an id is an error
    /// with its line, not a silently merged field.
    #[test]
    fn catalogue_bad_fields_name_the_line() {
        let dup = "{\"id\": 1, \"name\": \"A(B)\"}\n\n{\"id\": 1, \"name\": \"C(D)\"}\n";
        let e = load_fields_jsonl(dup.as_bytes()).unwrap_err();
        assert!(matches!(e, LoadError::DuplicateField { line: 3, first_line: 1, .. }), "{e:?}");
        let e = load_fields_jsonl("{\"name\": \"A\"}".as_bytes()).unwrap_err();
        assert!(matches!(e, LoadError::Field { line: 1, .. }), "{e:?}");
        assert!(e.chain().contains("line 1"), "{}", e.chain());
        let e = load_fields_jsonl("".as_bytes()).unwrap_err();
        assert!(matches!(e, LoadError::Empty), "{e:?}");
    }
}
