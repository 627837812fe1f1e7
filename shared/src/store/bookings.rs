//! The numbers booked on the province hub that this centre holds: written by the uplink's pull,
//! read by the owner thread when a kiosk checks a code in. A month after its day a booking is
//! of no use and goes with the next pull.
use super::{Store, StoreError};
use crate::province::booking::Booking;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Keeps `bookings` (a booking pulled again is written again, unchanged).
    pub fn put_bookings(&mut self, bookings: &[Booking]) -> Result<(), StoreError> {
        let fail = |e| StoreError::classify(&self.path, "write bookings", e);
        let tx = self.conn.transaction().map_err(fail)?;
        for b in bookings {
            tx.execute(
                "INSERT OR REPLACE INTO bookings (code, seq, service, day, window) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![b.code, b.seq as i64, b.service, b.day.to_string(), b.window.to_string()],
            )
            .map_err(fail)?;
        }
        if let Some(newest) = bookings.iter().map(|b| b.day).max() {
            tx.execute("DELETE FROM bookings WHERE day < date(?1, '-30 day')", [newest.to_string()]).map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    /// The booking with this code, if this centre holds it.
    pub fn booking(&self, code: &str) -> Result<Option<Booking>, StoreError> {
        let fail = |e| StoreError::classify(&self.path, "read bookings", e);
        let row = self
            .conn
            .query_row("SELECT code, seq, service, day, window FROM bookings WHERE code = ?1", [code], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
            })
            .optional()
            .map_err(fail)?;
        let Some((code, seq, service, day, window)) = row else { return Ok(None) };
        let corrupt = |what: &str| StoreError::BadRecord { path: self.path.clone(), what: format!("booking {code}: {what}") };
        Ok(Some(Booking {
            seq: seq.max(0) as u64,
            service,
            day: day.parse().map_err(|_| corrupt("its day"))?,
            window: crate::config::HourRange::parse(&window).map_err(|_| corrupt("its window"))?,
            code,
        }))
    }

    /// The hub's order of the last booking held: the next pull asks after it.
    pub fn bookings_seq(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM bookings", [], |r| r.get::<_, i64>(0))
            .map(|s| s.max(0) as u64)
            .map_err(|e| StoreError::classify(&self.path, "read bookings", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HourRange;
    use chrono::NaiveDate;

    /// Proves bookings pulled are kept and found by code (a pull repeated writes nothing
    /// twice), the hub's order resumes after the last, and a store reopened still holds them.
    #[test]
    fn bookings_are_kept_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        let b = |seq: u64, code: &str| Booking {
            seq,
            code: code.into(),
            service: "civil".into(),
            day: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            window: HourRange::parse("08:00-09:00").unwrap(),
        };
        {
            let mut s = Store::open(&path).unwrap();
            assert_eq!(s.bookings_seq().unwrap(), 0);
            s.put_bookings(&[b(3, "K7QXM2PA"), b(5, "W4Y9MP84")]).unwrap();
            s.put_bookings(&[b(5, "W4Y9MP84")]).unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.bookings_seq().unwrap(), 5);
        assert_eq!(s.booking("K7QXM2PA").unwrap(), Some(b(3, "K7QXM2PA")));
        assert_eq!(s.booking("ZZZZZZZZ").unwrap(), None);
    }
}
