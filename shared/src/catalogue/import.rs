//! Importing procedure records from files: the portal's records (bare, in the portal's envelope,
//! in a JSON array, as JSON lines, or a folder of such files) and the exchange format, into one
//! catalogue file that [`Catalogue::load_path`](super::Catalogue::load_path) reads.
//!
//! Each record is converted whole or skipped with its file, line and reason: a bad record never
//! stops the others, and never leaves half of itself behind. Every written line is checked to
//! load again before it is kept, so the file written is always a catalogue the kiosk accepts.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::Value;

use super::load::{self, MAX_FILE_BYTES, MAX_LINE_BYTES};
use super::portal;
use super::{Catalogue, LoadError, Procedure, ProcedureCode};

/// A record (or a whole file) left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file as it was named to the importer.
    pub file: String,
    /// The line the record starts on; 0 when the whole file is skipped.
    pub line: usize,
    /// The record's code when it has one that reads.
    pub code: Option<String>,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.code) {
            (0, _) => write!(f, "{}: {}", self.file, self.reason),
            (line, Some(code)) => write!(f, "{}:{line}: {code}: {}", self.file, self.reason),
            (line, None) => write!(f, "{}:{line}: {}", self.file, self.reason),
        }
    }
}

/// The records read so far, as the lines of the catalogue file to write.
#[derive(Debug, Default)]
pub struct Import {
    lines: Vec<String>,
    bytes: usize,
    first: HashMap<ProcedureCode, (String, usize)>,
    skipped: Vec<Skipped>,
    files: usize,
    weights: HashMap<ProcedureCode, u64>,
}

const CUT_OFF: &str = "the file ends inside a record: it was cut off (a download or copy that did not finish), so none of it is imported";

/// How deep into subfolders a folder is read (links to folders are not followed; this bounds a
/// pathological tree all the same).
const MAX_DEPTH: usize = 16;

/// File names a folder is read for.
const EXTENSIONS: [&str; 4] = ["json", "jsonl", "ndjson", "txt"];

impl Import {
    pub fn new() -> Import {
        Import::default()
    }

    /// Keeps the popularity weights of `current` (the portal's records carry none), so that search
    /// still ranks the procedures people use most first.
    pub fn keeping_weights_of(mut self, current: &Catalogue) -> Import {
        self.weights = current.procedures().iter().filter(|p| p.weight > 0).map(|p| (p.code.clone(), p.weight)).collect();
        self
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many files were read.
    pub fn files(&self) -> usize {
        self.files
    }

    /// What was left out, in the order met.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The catalogue file: one record per line, in the exchange format.
    pub fn to_jsonl(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes + self.lines.len());
        for l in &self.lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// The catalogue the file holds (read back from it, as the kiosk will).
    pub fn catalogue(&self) -> Result<Catalogue, LoadError> {
        Catalogue::load_jsonl(&self.to_jsonl()[..])
    }

    /// Reads a file, or every file of a folder and its subfolders in name order. What cannot be
    /// read is skipped with the reason.
    pub fn add_path(&mut self, path: &Path) {
        self.add_path_at(path, 0);
    }

    fn add_path_at(&mut self, path: &Path, depth: usize) {
        let shown = path.display().to_string();
        if depth > MAX_DEPTH {
            return self.skip_file(&shown, format!("folders nested deeper than {MAX_DEPTH} are not read"));
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.skip_file(&shown, format!("cannot read: {e}")),
        };
        if meta.is_dir() {
            let mut entries: Vec<_> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
                Err(e) => return self.skip_file(&shown, format!("cannot list the folder: {e}")),
            };
            entries.sort();
            for p in entries {
                let hidden = p.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.'));
                // A link to a folder is not followed: two links back to a parent would read the
                // same files exponentially often.
                let linked = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
                if !hidden && linked && p.is_dir() {
                    self.skip_file(&p.display().to_string(), "a link to a folder is not followed".into());
                    continue;
                }
                let wanted = p.is_dir()
                    || p.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                if !hidden && wanted {
                    self.add_path_at(&p, depth + 1);
                }
            }
            return;
        }
        if meta.len() > MAX_FILE_BYTES as u64 {
            return self.skip_file(&shown, format!("the file is {} bytes; a file of records is at most {MAX_FILE_BYTES}", meta.len()));
        }
        match std::fs::read(path) {
            Ok(bytes) => self.add_bytes(&shown, &bytes),
            Err(e) => self.skip_file(&shown, format!("cannot read: {e}")),
        }
    }

    /// Reads one file's content, named `file` in what is skipped.
    pub fn add_bytes(&mut self, file: &str, bytes: &[u8]) {
        self.files += 1;
        if bytes.len() > MAX_FILE_BYTES {
            return self.skip_file(file, format!("the file is {} bytes; a file of records is at most {MAX_FILE_BYTES}", bytes.len()));
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.strip_prefix('\u{FEFF}').unwrap_or(t),
            Err(e) => {
                let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
                return self.skip_file(file, format!("not UTF-8 text (a bad byte on line {line})"));
            }
        };
        if text.trim().is_empty() {
            return self.skip_file(file, "the file is empty".into());
        }
        // One JSON value (an array, a record, an envelope, pretty-printed or not), else JSON lines.
        match serde_json::from_str::<&RawValue>(text) {
            Ok(raw) => self.add_raw(file, text, raw, 1 + leading_newlines(text)),
            Err(whole) if whole.is_eof() && !text.contains('\n') => self.skip_file(file, CUT_OFF.into()),
            Err(whole) => {
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
                if serde_json::from_str::<&RawValue>(first).is_err() {
                    return self.skip_file(file, format!("not JSON: {whole}"));
                }
                // A last record cut off means the file is: a download or a copy that did not
                // finish. Its other records may be a fraction of what was meant, so none is taken.
                let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or_default();
                if serde_json::from_str::<&RawValue>(last).is_err_and(|e| e.is_eof()) {
                    return self.skip_file(file, CUT_OFF.into());
                }
                for (i, l) in text.lines().enumerate() {
                    if l.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<&RawValue>(l) {
                        Ok(raw) => self.add_raw(file, text, raw, i + 1),
                        Err(e) => self.skip(file, i + 1, None, format!("not JSON at column {}: {}", e.column(), bare_json_error(&e))),
                    }
                }
            }
        }
    }

    /// A value at `line`: an array of values, an envelope, or a record.
    fn add_raw(&mut self, file: &str, text: &str, raw: &RawValue, line: usize) {
        let trimmed = raw.get().trim_start();
        if trimmed.starts_with('[') {
            let items: Vec<&RawValue> = match serde_json::from_str(raw.get()) {
                Ok(items) => items,
                Err(e) => return self.skip(file, line, None, format!("not JSON: {e}")),
            };
            if items.is_empty() {
                return self.skip(file, line, None, "an empty list: no records".into());
            }
            let base = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            let (mut at, mut seen) = (line - leading_newlines(raw.get()), base);
            for item in items {
                // A RawValue borrows from `text`, so its address gives its line.
                let offset = item.get().as_ptr() as usize - text.as_ptr() as usize;
                at += text[seen..offset].bytes().filter(|&b| b == b'\n').count();
                seen = offset;
                self.add_value(file, item, at);
            }
            return;
        }
        self.add_value(file, raw, line);
    }

    fn add_value(&mut self, file: &str, raw: &RawValue, line: usize) {
        match serde_json::from_str(raw.get()) {
            Ok(value) => self.add_parsed(file, value, line),
            Err(e) => self.skip(file, line, None, format!("not JSON: {e}")),
        }
    }

    fn add_parsed(&mut self, file: &str, value: Value, line: usize) {
        let Value::Object(map) = &value else {
            return self.skip(file, line, None, format!("expected a record (a JSON object), found {}", load::kind_of(&value)));
        };
        // The portal's envelope: {"code": …, "data": {record} | [records], "message": …}.
        if map.contains_key("data") && !map.contains_key("name") && !map.contains_key("TENTTHC") {
            let Value::Object(mut map) = value else { unreachable!("matched as an object above") };
            return match map.remove("data") {
                Some(Value::Array(items)) => items.into_iter().for_each(|v| self.add_parsed(file, v, line)),
                Some(data @ Value::Object(_)) => self.add_parsed(file, data, line),
                _ => {
                    let said = map.get("message").and_then(Value::as_str).unwrap_or("no message");
                    let code = map.get("code").map_or_else(|| "none".to_owned(), Value::to_string);
                    self.skip(file, line, None, format!("the portal's answer holds no record (code {code}: {said})"))
                }
            };
        }
        let code_text = map.get("code").or_else(|| map.get("MATTHC")).and_then(Value::as_str).map(|s| s.trim().to_owned());
        let procedure = if portal::is_portal_record(map.keys().map(String::as_str)) {
            portal::convert(value).map_err(|e| chain(&e))
        } else {
            load::procedure(line, value).map_err(|e| strip_line(&e.chain(), line))
        };
        match procedure {
            Ok(mut p) => self.keep(file, line, &mut p),
            Err(reason) => self.skip(file, line, code_text, reason),
        }
    }

    fn keep(&mut self, file: &str, line: usize, p: &mut Procedure) {
        let code = p.code.to_string();
        if let Some((f, l)) = self.first.get(&p.code) {
            let reason = format!("the code appears again; the record kept is at {f}:{l}");
            return self.skip(file, line, Some(code), reason);
        }
        if p.weight == 0 {
            p.weight = self.weights.get(&p.code).copied().unwrap_or(0);
        }
        let text = match serde_json::to_string(&p) {
            Ok(t) => t,
            Err(e) => return self.skip(file, line, Some(code), format!("cannot be written: {e}")),
        };
        if text.len() > MAX_LINE_BYTES {
            return self.skip(
                file,
                line,
                Some(code),
                format!("the record is {} bytes written out; a catalogue line is at most {MAX_LINE_BYTES}", text.len()),
            );
        }
        if self.bytes + text.len() + 1 > MAX_FILE_BYTES {
            return self.skip(file, line, Some(code), format!("the catalogue would pass {MAX_FILE_BYTES} bytes"));
        }
        // What is written must read back as the same record: the kiosk loads this file at start.
        match load::parse_json::<Value>(1, &text, false).and_then(|v| load::procedure(1, v)) {
            Ok(back) if back.code == p.code => {}
            Ok(_) | Err(_) => return self.skip(file, line, Some(code), "the record does not read back as written".into()),
        }
        self.first.insert(p.code.clone(), (file.to_owned(), line));
        self.bytes += text.len() + 1;
        self.lines.push(text);
    }

    fn skip(&mut self, file: &str, line: usize, code: Option<String>, reason: String) {
        self.skipped.push(Skipped { file: file.to_owned(), line, code, reason });
    }

    fn skip_file(&mut self, file: &str, reason: String) {
        self.skip(file, 0, None, reason);
    }
}

fn leading_newlines(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    text[..start].bytes().filter(|&b| b == b'\n').count()
}

/// serde_json's message without its " at line 1 column N", for a line parsed alone.
fn bare_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// An error with its causes, as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// The loader's message without its "line N: " (the import names the line itself).
fn strip_line(message: &str, line: usize) -> String {
    message.strip_prefix(&format!("line {line}: ")).unwrap_or(message).to_owned()
}
