//! `[boards]`: what the Slint boards share, and the `window` setting of each board.
use serde::Deserialize;

/// Settings the Slint boards share.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Boards {
    /// The local time the boards show, as an offset from UTC (Vietnam: +07:00, no daylight
    /// saving), so that a Pi left on UTC still shows the hall's time.
    pub utc_offset: String,
}

impl Default for Boards {
    fn default() -> Self {
        Boards { utc_offset: "+07:00".into() }
    }
}

impl Boards {
    pub fn offset(&self) -> chrono::FixedOffset {
        parse_offset(&self.utc_offset).unwrap_or_else(|| chrono::FixedOffset::east_opt(7 * 3600).expect("+07:00 is valid"))
    }
}

/// "+07:00" → the offset; `None` when out of shape.
pub(super) fn parse_offset(s: &str) -> Option<chrono::FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Whether a board opens a real window: `true`, `false` (headless: snapshots only), or
/// `"auto"` (a window when a display server is there, `$DISPLAY` or `$WAYLAND_DISPLAY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindowMode {
    Yes,
    No,
    #[default]
    Auto,
}

impl<'de> Deserialize<'de> for WindowMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(true) => Ok(WindowMode::Yes),
            Raw::Bool(false) => Ok(WindowMode::No),
            Raw::Text(t) if t == "auto" => Ok(WindowMode::Auto),
            Raw::Text(t) => Err(serde::de::Error::custom(format!("window is true, false or \"auto\", not {t:?}"))),
        }
    }
}

impl WindowMode {
    /// Resolves `auto` against the environment.
    pub fn wanted(self) -> bool {
        match self {
            WindowMode::Yes => true,
            WindowMode::No => false,
            WindowMode::Auto => ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty())),
        }
    }
}
