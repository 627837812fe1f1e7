//! What the uplink to the province hub keeps in the store, so that a restart neither resends
//! the whole log nor loses the backlog, nor imports the same catalogue twice: the last id the
//! hub acknowledged, how many events pruning had to drop unsent, the catalogue's version.
use super::{Store, StoreError};
use crate::event::EventId;
use chrono::{DateTime, Utc};
use rusqlite::params;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UplinkMark {
    /// The highest id the hub said it holds; the backlog is every event after it.
    pub acked: EventId,
    pub acked_at: Option<DateTime<Utc>>,
    /// Events pruned before the hub acknowledged them (`[uplink] keep_unsent_days`), all told.
    pub dropped: u64,
    /// The `ETag` of the province's catalogue last imported.
    pub catalogue_etag: Option<String>,
}

/// What a pruning deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub events: usize,
    /// Of those, the ones the hub had not acknowledged.
    pub unsent: usize,
}

impl Store {
    pub fn uplink(&self) -> Result<UplinkMark, StoreError> {
        self.conn
            .query_row("SELECT acked, acked_at, dropped, catalogue_etag FROM uplink", [], |r| {
                Ok(UplinkMark {
                    acked: r.get::<_, i64>(0)? as u64,
                    acked_at: r.get::<_, Option<i64>>(1)?.and_then(DateTime::from_timestamp_millis),
                    dropped: r.get::<_, i64>(2)? as u64,
                    catalogue_etag: r.get(3)?,
                })
            })
            .map_err(|e| StoreError::classify(&self.path, "read the uplink", e))
    }

    /// Records the hub's acknowledgement (lower than before too: the hub's word is the truth).
    pub fn set_uplink_acked(&mut self, acked: EventId, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE uplink SET acked = ?1, acked_at = ?2", params![acked as i64, at.timestamp_millis()])
            .map(|_| ())
            .map_err(|e| StoreError::classify(&self.path, "write the uplink", e))
    }

    pub fn set_catalogue_etag(&mut self, etag: Option<&str>) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE uplink SET catalogue_etag = ?1", [etag])
            .map(|_| ())
            .map_err(|e| StoreError::classify(&self.path, "write the uplink", e))
    }
}

#[cfg(test)]
mod tests {
    use crate::event::{Event, EventBody};
    use crate::store::{Append, Pruned, Store};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// Days 1..=`days`, each a day start and two tickets: ids 3(d-1)+1 ..= 3d.
    fn store_of(days: u32) -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let mut log = Vec::new();
        for d in 1..=days {
            let at = Utc.with_ymd_and_hms(2026, 11, d, 2, 0, 0).unwrap();
            let base = 3 * (d as u64 - 1);
            log.push(Event { id: base + 1, at, day: day(d), body: EventBody::DayStarted });
            for i in 2..=3 {
                let body = EventBody::TicketIssued {
                    ticket: base + i,
                    number: format!("A{i:03}"),
                    service: "s".into(),
                    priority: None,
                    seq: 1,
                    key: None,
                    booked: None,
                };
                log.push(Event { id: base + i, at, day: day(d), body });
            }
        }
        s.append(&log.iter().map(|e| Append { event: e, key: None }).collect::<Vec<_>>()).unwrap();
        s
    }

    #[test]
    fn the_cursor_and_the_catalogue_version_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.uplink().unwrap().acked, 0, "a new store has sent nothing");
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        s.set_uplink_acked(42, at).unwrap();
        s.set_catalogue_etag(Some("\"v7\"")).unwrap();
        drop(s);
        let u = Store::open(&path).unwrap().uplink().unwrap();
        assert_eq!((u.acked, u.acked_at, u.catalogue_etag.as_deref(), u.dropped), (42, Some(at), Some("\"v7\""), 0));
    }

    #[test]
    fn pruning_keeps_what_the_hub_has_not_acknowledged() {
        // Proves an unreachable hub loses no ticket to the day's pruning: days 1-5 are past
        // keep_days, but the hub holds only up to id 4 (day 2), so days 2-5 stay whole but id 4.
        let mut s = store_of(10);
        s.set_uplink_acked(4, Utc::now()).unwrap();
        let p = s.prune(day(6), Some(day(1))).unwrap();
        assert_eq!(p, Pruned { events: 4, unsent: 0 });
        assert_eq!(s.first_id().unwrap(), Some(5));
        assert_eq!(s.events_after(4, 100).unwrap().len(), 26);
        assert_eq!(s.events_of_day(day(2)).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [5, 6], "a day kept in part is readable");
        assert_eq!(s.uplink().unwrap().dropped, 0);
        // Without an uplink, the same pruning takes the whole days.
        let mut plain = store_of(10);
        assert_eq!(plain.prune(day(6), None).unwrap(), Pruned { events: 15, unsent: 0 });
    }

    #[test]
    fn past_the_hard_limit_unsent_events_go_and_are_counted() {
        // Proves the hard limit holds (a hub gone for good cannot fill the card) and that the
        // loss is counted: days 1-3 are past keep_unsent_days; the hub has nothing.
        let mut s = store_of(10);
        let p = s.prune(day(6), Some(day(4))).unwrap();
        assert_eq!(p, Pruned { events: 9, unsent: 9 });
        assert_eq!(s.first_id().unwrap(), Some(10));
        assert_eq!(s.uplink().unwrap().dropped, 9);
        // Once the hub has it all, pruning is the plain one again.
        s.set_uplink_acked(30, Utc::now()).unwrap();
        assert_eq!(s.prune(day(6), Some(day(4))).unwrap(), Pruned { events: 6, unsent: 0 });
        assert_eq!(s.first_id().unwrap(), Some(16));
        assert_eq!(s.uplink().unwrap().dropped, 9, "counted once");
    }
}
