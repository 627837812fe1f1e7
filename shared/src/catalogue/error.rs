//! Why a catalogue file was refused. Every variant that comes from the content
//! names the line (1-based), so whoever maintains the file can go to it.

use std::io;
use std::path::PathBuf;

use super::code::CodeError;

/// Why a catalogue (procedures or fields) could not be loaded.
///
/// A load that returns this leaves no partial catalogue behind: the caller
/// keeps serving the one it has.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot open {path}")]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}")]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<LoadError>,
    },
    #[error("line {line}: read failed")]
    Read {
        line: usize,
        #[source]
        source: io::Error,
    },
    #[error("the file is empty (0 bytes)")]
    Empty,
    #[error("the file holds no records, only blank lines")]
    NoRecords,
    #[error("line {line}: longer than {limit} bytes; one record is never that large")]
    LineTooLong { line: usize, limit: usize },
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("line {line}: not UTF-8 text (bad byte at column {column})")]
    InvalidUtf8 { line: usize, column: usize },
    #[error("line {line}: the record is cut off (the file ends inside it)")]
    Truncated {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: malformed JSON")]
    Json {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: expected a JSON object, found {found}")]
    NotAnObject { line: usize, found: &'static str },
    #[error("line {line}: the record has no procedure code (neither \"MATTHC\" nor \"code\")")]
    MissingCode { line: usize },
    #[error("line {line}: the procedure code must be a JSON string such as \"1.004194\", found {found}")]
    CodeNotText { line: usize, found: &'static str },
    #[error("line {line}: bad procedure code")]
    Code {
        line: usize,
        #[source]
        source: CodeError,
    },
    #[error("line {line}: procedure {code}: a value does not fit the format")]
    Record {
        line: usize,
        code: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: procedure code {code} already appeared on line {first_line}")]
    DuplicateCode { line: usize, code: String, first_line: usize },
    #[error("line {line}: the file no longer holds procedure {code} where it was loaded from")]
    Changed { line: usize, code: String },
    #[error("line {line}: field record does not fit {{\"id\", \"name\"}}")]
    Field {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: field id {id} already appeared on line {first_line}")]
    DuplicateField { line: usize, id: String, first_line: usize },
}

impl LoadError {
    /// The line the error points at, when it comes from the content.
    pub fn line(&self) -> Option<usize> {
        use LoadError::*;
        match self {
            InFile { source, .. } => source.line(),
            Read { line, .. }
            | LineTooLong { line, .. }
            | InvalidUtf8 { line, .. }
            | Truncated { line, .. }
            | Json { line, .. }
            | NotAnObject { line, .. }
            | MissingCode { line }
            | CodeNotText { line, .. }
            | Code { line, .. }
            | Record { line, .. }
            | DuplicateCode { line, .. }
            | Changed { line, .. }
            | Field { line, .. }
            | DuplicateField { line, .. } => Some(*line),
            Open { .. } | Empty | NoRecords | TooLarge { .. } => None,
        }
    }

    /// The error and its causes on one line, "a: b: c", for logs and screens.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }
}
