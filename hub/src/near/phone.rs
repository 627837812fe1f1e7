//! A Vietnamese mobile number as a citizen types it: `0912 345 678`, `+84 912.345.678`,
//! `84912345678`. Kept as E.164 (`+84912345678`), shown back masked.
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

/// Why a number is refused, in the words the page shows.
pub const INVALID: &str = "a Vietnamese mobile number: 10 digits starting with 0 (03, 05, 07, 08 or 09), or +84 and 9 digits";

impl Phone {
    pub fn parse(typed: &str) -> Result<Phone, &'static str> {
        if typed.len() > 32 {
            return Err(INVALID);
        }
        let kept: String = typed.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let national = if let Some(rest) = kept.strip_prefix("+84") {
            rest
        } else if let Some(rest) = kept.strip_prefix("84").filter(|r| r.len() == 9) {
            rest
        } else if let Some(rest) = kept.strip_prefix('0') {
            rest
        } else {
            return Err(INVALID);
        };
        let ok = national.len() == 9
            && national.bytes().all(|b| b.is_ascii_digit())
            && matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9');
        if ok {
            Ok(Phone(format!("+84{national}")))
        } else {
            Err(INVALID)
        }
    }

    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// The last three digits only, as the page confirms it: `0••• ••• 678`.
    pub fn masked(&self) -> String {
        format!("0••• ••• {}", &self.0[self.0.len() - 3..])
    }
}

impl fmt::Display for Phone {
    /// Never the number itself: what reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}
