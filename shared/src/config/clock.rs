//! Local-time values of the configuration, parsed at load so bad ones are refused with a line.
use chrono::{FixedOffset, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A wall-clock time "HH:MM" (24 h); "24:00" is allowed as the end of an hour range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LocalTime {
    /// Minutes since local midnight, 0..=1440.
    pub minutes: u32,
}

impl LocalTime {
    pub fn parse(s: &str) -> Result<LocalTime, String> {
        let (h, m) = s.split_once(':').ok_or_else(|| format!("{s:?} is not a time: write HH:MM, e.g. \"07:30\""))?;
        let h: u32 = h.trim().parse().map_err(|_| format!("{s:?}: the hour is not a number"))?;
        let m: u32 = m.trim().parse().map_err(|_| format!("{s:?}: the minutes are not a number"))?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(format!("{s:?} is not a time of day (00:00 to 24:00)"));
        }
        Ok(LocalTime { minutes: h * 60 + m })
    }

    pub fn of(t: NaiveTime) -> LocalTime {
        LocalTime { minutes: t.hour() * 60 + t.minute() }
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

/// An opening window "HH:MM-HH:MM" in local time, start included, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourRange {
    pub start: LocalTime,
    pub end: LocalTime,
}

impl HourRange {
    pub const ALL_DAY: HourRange = HourRange { start: LocalTime { minutes: 0 }, end: LocalTime { minutes: 1440 } };

    pub fn parse(s: &str) -> Result<HourRange, String> {
        let (a, b) = s.split_once('-').ok_or_else(|| format!("{s:?} is not an hour range: write \"07:30-11:30\""))?;
        let (start, end) = (LocalTime::parse(a)?, LocalTime::parse(b)?);
        if start >= end {
            return Err(format!("{s:?}: the range ends before it starts"));
        }
        Ok(HourRange { start, end })
    }

    pub fn contains(&self, t: LocalTime) -> bool {
        self.start <= t && t < self.end
    }
}

impl fmt::Display for HourRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// A fixed offset from UTC, "+07:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcOffset(pub FixedOffset);

impl Default for UtcOffset {
    fn default() -> Self {
        UtcOffset(FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset"))
    }
}

impl UtcOffset {
    pub fn parse(s: &str) -> Result<UtcOffset, String> {
        let bad = || format!("{s:?} is not a UTC offset: write \"+07:00\"");
        let sign = match s.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(bad()),
        };
        let t = LocalTime::parse(&s[1..]).map_err(|_| bad())?;
        if t.minutes > 14 * 60 {
            return Err(bad());
        }
        FixedOffset::east_opt(sign * t.minutes as i32 * 60).map(UtcOffset).ok_or_else(bad)
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.local_minus_utc();
        let sign = if s < 0 { '-' } else { '+' };
        let m = s.unsigned_abs() / 60;
        write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}
string_serde!(LocalTime);
string_serde!(HourRange);
string_serde!(UtcOffset);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_refuse() {
        assert_eq!(LocalTime::parse("07:30").unwrap().minutes, 450);
        assert_eq!(LocalTime::parse("24:00").unwrap().minutes, 1440);
        assert!(LocalTime::parse("24:01").is_err());
        assert!(LocalTime::parse("7h30").is_err());
        assert!(LocalTime::parse("07:60").is_err());
    }

    #[test]
    fn ranges_are_half_open() {
        let r = HourRange::parse("07:30-11:30").unwrap();
        assert!(r.contains(LocalTime::parse("07:30").unwrap()));
        assert!(!r.contains(LocalTime::parse("11:30").unwrap()));
        assert!(HourRange::parse("11:30-07:30").is_err());
        assert_eq!(r.to_string(), "07:30-11:30");
    }

    #[test]
    fn offsets_round_trip() {
        assert_eq!(UtcOffset::parse("+07:00").unwrap(), UtcOffset::default());
        assert_eq!(UtcOffset::parse("-03:30").unwrap().to_string(), "-03:30");
        assert!(UtcOffset::parse("07:00").is_err());
        assert!(UtcOffset::parse("+15:00").is_err());
    }
}
