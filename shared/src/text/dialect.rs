//! The regional reading of numbers: Northern (the default) or Southern.
//!
//! Configuration and the command line name it in lower case ("north", "south").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which regional reading to use. The North is the default, the South an option;
/// the South differs in "lẻ" for "linh" and "ngàn" for "nghìn".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    North,
    South,
}

impl Dialect {
    /// The lower-case name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::North => "north",
            Dialect::South => "south",
        }
    }

    /// The word for a zero tens digit before a non-zero unit (105).
    pub(crate) fn zero_tens(self) -> &'static str {
        match self {
            Dialect::North => "linh",
            Dialect::South => "lẻ",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Dialect`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect {0:?}; expected \"north\" or \"south\"")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "north" => Ok(Dialect::North),
            "south" => Ok(Dialect::South),
            other => Err(UnknownDialect(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::{North, South};

    #[test]
    fn dialect_names() {
        assert_eq!(Dialect::default(), North);
        assert_eq!(serde_json::to_string(&South).unwrap(), "\"south\"");
        assert_eq!(serde_json::from_str::<Dialect>("\"north\"").unwrap(), North);
        assert_eq!("south".parse::<Dialect>(), Ok(South));
        assert!("South".parse::<Dialect>().is_err());
        assert_eq!(North.to_string(), "north");
    }
}
