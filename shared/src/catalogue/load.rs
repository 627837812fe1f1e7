//! Reading catalogue files: JSON Lines or one JSON array, with hard limits.
//!
//! The catalogue comes from outside (a USB stick, a download from the
//! province), so every read is bounded: no line over [`MAX_LINE_BYTES`], no
//! file over [`MAX_FILE_BYTES`], JSON nesting capped by serde_json's recursion
//! limit (128). Each failure is a [`LoadError`] naming the line; nothing here
//! panics on any input.

use std::io::{BufRead, Read};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::code::ProcedureCode;
use super::error::LoadError;
use super::record::Procedure;

/// The longest line accepted. The longest real full record seen is a few tens
/// of KB; a megabyte means the file is not what it claims to be.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// The largest file accepted: room for every procedure of a province in full
/// format, while a hostile file cannot exhaust the kiosk's memory.
pub const MAX_FILE_BYTES: usize = 256 << 20;

const BOM: &str = "\u{feff}";

/// Calls `f(line number, text, is last line without a newline)` for each
/// non-blank line, in order. Returns how many lines were passed to `f`.
pub(crate) fn for_each_line<R: BufRead>(
    reader: R,
    mut f: impl FnMut(usize, &str, bool) -> Result<(), LoadError>,
) -> Result<usize, LoadError> {
    for_each_span(reader, |line, _, text, last| f(line, text, last))
}

/// [`for_each_line`], also telling where in the file each line's text starts (in bytes), so that
/// a record can be read again alone.
pub(crate) fn for_each_span<R: BufRead>(
    mut reader: R,
    mut f: impl FnMut(usize, u64, &str, bool) -> Result<(), LoadError>,
) -> Result<usize, LoadError> {
    let mut buf = Vec::new();
    let (mut line, mut total, mut passed) = (0usize, 0usize, 0usize);
    loop {
        buf.clear();
        // One byte more than the limit tells "exactly at the limit" from "over".
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|source| LoadError::Read { line: line + 1, source })?;
        if n == 0 {
            break;
        }
        line += 1;
        total += n;
        if total > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge { limit: MAX_FILE_BYTES });
        }
        let complete = buf.last() == Some(&b'\n');
        if !complete && n > MAX_LINE_BYTES {
            return Err(LoadError::LineTooLong { line, limit: MAX_LINE_BYTES });
        }
        let text = std::str::from_utf8(&buf).map_err(|e| LoadError::InvalidUtf8 { line, column: e.valid_up_to() + 1 })?;
        let mut start = (total - n) as u64;
        let text = match line == 1 {
            true => text.strip_prefix(BOM).inspect(|_| start += BOM.len() as u64).unwrap_or(text),
            false => text,
        };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        f(line, start, text, !complete)?;
        passed += 1;
    }
    if total == 0 {
        return Err(LoadError::Empty);
    }
    Ok(passed)
}

/// Parses one line as JSON, telling a cut-off last line from a malformed one.
pub(crate) fn parse_json<'a, T: Deserialize<'a>>(line: usize, text: &'a str, last_without_newline: bool) -> Result<T, LoadError> {
    serde_json::from_str(text).map_err(|e| {
        let source = at_line(line, text, e);
        if source.is_eof() && last_without_newline {
            LoadError::Truncated { line, source }
        } else {
            LoadError::Json { line, source }
        }
    })
}

/// The same syntax error with its position counted in the file rather than
/// in the one line parsed, so the message says "at line 2 column 24" and not
/// "line 1" under a "line 2" heading. Parsing again behind `line - 1`
/// newlines (white space to JSON) reproduces the error exactly; it runs only
/// on the failure path, once per refused file.
fn at_line(line: usize, text: &str, e: serde_json::Error) -> serde_json::Error {
    if line <= 1 || e.line() == 0 {
        return e;
    }
    let padded = "\n".repeat(line - 1) + text;
    serde_json::from_str::<Value>(&padded).err().unwrap_or(e)
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One record from its JSON value: the code first, strictly and with its own
/// error, then the rest of the record.
pub(crate) fn procedure(line: usize, value: Value) -> Result<Procedure, LoadError> {
    let Value::Object(map) = &value else {
        return Err(LoadError::NotAnObject { line, found: kind_of(&value) });
    };
    let code = match map.get("MATTHC").or_else(|| map.get("code")) {
        None | Some(Value::Null) => return Err(LoadError::MissingCode { line }),
        Some(Value::String(s)) => ProcedureCode::parse(s),
        // A code written as a number loses trailing zeros (1.004190 → 1.00419):
        // refuse it even when it happens to survive.
        Some(other) => return Err(LoadError::CodeNotText { line, found: kind_of(other) }),
    }
    .map_err(|source| LoadError::Code { line, source })?;
    let mut p = Procedure::deserialize(value).map_err(|source| LoadError::Record { line, code: code.to_string(), source })?;
    p.complete();
    Ok(p)
}

/// Records with the line each starts on.
pub(crate) type Records = Vec<(usize, Procedure)>;

/// Where a record's text lies in its file, to read it again alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u64,
    pub len: u32,
    pub line: usize,
}

/// Every record of a JSON Lines file as its summary ([`Procedure::summary`]), with its line
/// number, and where each lies in the file. The whole records are read once, checked as at any
/// load, and dropped: the catalogue reads one again when its page opens.
pub(crate) fn jsonl_summaries<R: BufRead>(reader: R) -> Result<(Records, Vec<Span>), LoadError> {
    let (mut out, mut spans) = (Vec::new(), Vec::new());
    let n = for_each_span(reader, |line, start, text, last| {
        // Straight into the record when it is sound: no JSON tree of every record built and
        // thrown away (that garbage stays in the allocator's hands as resident memory). A record
        // that does not read goes the checking way, whose error names what is wrong.
        let whole = match serde_json::from_str::<Procedure>(text) {
            Ok(mut p) => {
                p.complete();
                p
            }
            Err(_) => procedure(line, parse_json(line, text, last)?)?,
        };
        out.push((line, whole.summary()));
        spans.push(Span { start, len: text.len() as u32, line });
        Ok(())
    })?;
    if n == 0 {
        return Err(LoadError::NoRecords);
    }
    Ok((out, spans))
}

/// Every record of a JSON Lines file, with its line number.
pub(crate) fn jsonl_records<R: BufRead>(reader: R) -> Result<Records, LoadError> {
    let mut out = Vec::new();
    let n = for_each_line(reader, |line, text, last| {
        let value: Value = parse_json(line, text, last)?;
        out.push((line, procedure(line, value)?));
        Ok(())
    })?;
    if n == 0 {
        return Err(LoadError::NoRecords);
    }
    Ok(out)
}

/// Every record of a file holding one JSON array of records, with the line
/// each record starts on.
pub(crate) fn array_records<R: Read>(reader: R) -> Result<Records, LoadError> {
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|source| LoadError::Read { line: 1, source })?;
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { limit: MAX_FILE_BYTES });
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        LoadError::InvalidUtf8 { line: 1 + before.iter().filter(|&&b| b == b'\n').count(), column: e.valid_up_to() - line_start + 1 }
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let raws: Vec<&RawValue> = serde_json::from_str(text).map_err(|source| {
        let line = source.line();
        if source.is_eof() {
            LoadError::Truncated { line, source }
        } else {
            LoadError::Json { line, source }
        }
    })?;
    if raws.is_empty() {
        return Err(LoadError::NoRecords);
    }
    let mut out = Vec::with_capacity(raws.len());
    let (mut line, mut seen) = (1usize, 0usize);
    for raw in raws {
        // A RawValue borrows from `text`, so its address gives its offset.
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        line += text[seen..offset].bytes().filter(|&b| b == b'\n').count();
        seen = offset;
        let value: Value = parse_json(line, raw.get(), false)?;
        out.push((line, procedure(line, value)?));
    }
    Ok(out)
}

/// True when the content starts (after a BOM and white space) with `[`.
pub(crate) fn looks_like_array(head: &[u8]) -> bool {
    let head = head.strip_prefix(BOM.as_bytes()).unwrap_or(head);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}
