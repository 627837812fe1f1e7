//! Procedure codes (mã thủ tục), validated strictly.
//!
//! A code is the key of everything else (lookup, duplicates, the ticket's
//! procedure), so a malformed one is refused rather than guessed at: a record
//! whose code is wrong cannot be found by the code printed on the portal.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A validated procedure code: national `1.004194`, or a local variant that
/// appends `.000.00.00.` and an agency id, `1.001612.000.00.00.H48`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

/// Why a text is not a procedure code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("procedure code is empty")]
    Empty,
    #[error(
        "procedure code {code:?} is malformed: expected a national code such as \"1.004194\" \
         (1, 2 or 3, a dot, six digits) or a local variant such as \"1.001612.000.00.00.H48\""
    )]
    Malformed { code: String },
}

/// Length of a national code: `d.dddddd`.
const NATIONAL_LEN: usize = 8;
/// What a local variant puts between the national code and the agency id.
const LOCAL_INFIX: &str = ".000.00.00.";

/// True for `[123]\.\d{6}`.
fn is_national(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == NATIONAL_LEN && matches!(b[0], b'1'..=b'3') && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit)
}

/// True for an agency id such as `H48`: one upper-case letter, two digits.
fn is_agency(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

impl ProcedureCode {
    /// Validates `s` without trimming it: a stray space in the source data is
    /// an error to fix there, not something to paper over here.
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        let valid = match s.get(..NATIONAL_LEN) {
            Some(national) if is_national(national) => {
                let rest = &s[NATIONAL_LEN..];
                rest.is_empty() || rest.strip_prefix(LOCAL_INFIX).is_some_and(is_agency)
            }
            _ => false,
        };
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(CodeError::Malformed { code: s.to_owned() })
        }
    }

    /// The whole code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The national part, `1.001612` for `1.001612.000.00.00.H48`.
    pub fn national(&self) -> &str {
        &self.0[..NATIONAL_LEN]
    }

    /// The six digits of the national part, `001612`: what citizens read off
    /// a printed form and type without the leading type digit.
    pub fn digits(&self) -> &str {
        &self.0[2..NATIONAL_LEN]
    }

    /// The agency id of a local variant (`H48`), `None` for a national code.
    pub fn agency(&self) -> Option<&str> {
        self.0.get(NATIONAL_LEN + LOCAL_INFIX.len()..)
    }
}

impl TryFrom<String> for ProcedureCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, CodeError> {
        Self::parse(&s)
    }
}

impl From<ProcedureCode> for String {
    fn from(c: ProcedureCode) -> String {
        c.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requirement: national codes and local variants are accepted and their
    /// parts are readable (the search matches on `digits`).
    #[test]
    fn catalogue_code_accepts_national_and_local() {
        let c = ProcedureCode::parse("1.004194").unwrap();
        assert_eq!((c.national(), c.digits(), c.agency()), ("1.004194", "004194", None));
        let l = ProcedureCode::parse("1.001612.000.00.00.H48").unwrap();
        assert_eq!(l.national(), "1.001612");
        assert_eq!(l.agency(), Some("H48"));
        assert_eq!(l.to_string(), "1.001612.000.00.00.H48");
        assert!(ProcedureCode::parse("3.000347").is_ok());
    }

    /// Failure proved: near-miss codes (wrong type digit, too few or many
    /// digits, spaces, wrong infix, lower-case agency) are refused, not guessed.
    #[test]
    fn catalogue_code_rejects_near_misses() {
        for bad in [
            "4.004194",
            "1.00419",
            "1.0041945",
            " 1.004194",
            "1.004194 ",
            "1,004194",
            "1.004194.000.00.00",
            "1.004194.000.00.00.h48",
            "1.004194.000.00.01.H48",
            "1.004194.000.00.00.H4",
            "1.00419a",
            "１.004194",
        ] {
            assert_eq!(ProcedureCode::parse(bad), Err(CodeError::Malformed { code: bad.into() }), "{bad:?}");
        }
        assert_eq!(ProcedureCode::parse(""), Err(CodeError::Empty));
        let msg = ProcedureCode::parse("x").unwrap_err().to_string();
        assert!(msg.contains("\"x\"") && msg.contains("1.004194"), "{msg}");
    }

    /// Requirement: serde goes through the same validation.
    #[test]
    fn catalogue_code_serde_validates() {
        let c: ProcedureCode = serde_json::from_str("\"2.001195\"").unwrap();
        assert_eq!(c.as_str(), "2.001195");
        assert!(serde_json::from_str::<ProcedureCode>("\"2.0011\"").is_err());
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"2.001195\"");
    }
}
