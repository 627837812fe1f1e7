//! The durable log: every event the engine decides, in SQLite.
//!
//! - `mod.rs`: `Store`, opening (pragmas, checks) and the queries.
//! - `schema.rs`: migrations, numbered by `PRAGMA user_version`.
//! - `console.rs`: the console's tables (accounts, sessions, settings, audit log).
//! - `error.rs`: `StoreError`, one variant per thing an operator can fix.
//! - `marker.rs`: the `<db>.seen` marker that keeps an emptied or older store from starting.
//! - `uplink.rs`: what the uplink to the province hub keeps (its cursor, the catalogue's version).
//! - `bookings.rs`: the numbers booked on the province hub, as the uplink pulled them.
//! - `backup.rs`: `Store::backup`, a consistent copy while the authority serves (a reader's
//!   snapshot written by `VACUUM INTO`).
//! - `restore.rs`: `Store::restore`, putting a copy in place of the store (and its marker), with
//!   the ids the replaced store used (`lost_ids`: never numbered again).
//!
//! Why an event log and not a table of tickets: a ticket's life is three to five changes, and a
//! table with indexes rewrites several pages for each, while an append-only log with a rowid key
//! dirties one leaf page per commit. With 1 KiB pages that is about 1 KiB written per operation
//! (measured in the README), which matters on an SD card. The day's state is rebuilt at start
//! by replaying the log through the same code that applied it live.
//!
//! Durability: WAL with `synchronous = FULL`, so a commit that returned is on the medium before
//! anyone is told. `locking_mode = EXCLUSIVE` keeps a second process off the file (it gets a clear
//! "locked" error) and lets SQLite skip the shared-memory index.
mod backup;
mod bookings;
mod console;
mod error;
mod marker;
mod restore;
mod schema;
mod uplink;

pub use backup::BackedUp;
pub use console::SessionsToEnd;
pub use error::StoreError;
pub use marker::marker_path;
pub use restore::Restored;
pub use uplink::{Pruned, UplinkMark};

use crate::event::{Event, EventBody, EventId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// A dossier's evaluation by its code. The WHERE repeats the partial index's condition (schema
/// step 5) word for word, so SQLite reads the index instead of the log.
const EVALUATED_AT: &str = "SELECT at FROM events WHERE json_extract(body, '$.type') = 'dossier_evaluated' \
     AND json_extract(body, '$.dossier') = ?1 ORDER BY id LIMIT 1";

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// What the marker beside the file says; `None` in memory (no marker) or before the first
    /// event of a new store.
    seen: Option<marker::Seen>,
    /// Whether this store keeps a marker (a file on disk, not `:memory:`).
    marked: bool,
}

/// What is written with a batch of events, in the same transaction.
pub enum Side<'a> {
    Settings { version: u64, by: &'a str, body: &'a str },
    Audit(&'a crate::console::Audit),
}

/// An event to append, with the idempotency key of the request that caused it, if any.
pub struct Append<'a> {
    pub event: &'a Event,
    pub key: Option<&'a str>,
}

impl Store {
    /// Opens (or creates) the store at `path`, refusing files it must not touch.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let p = path.to_owned();
        check_writable(path)?;
        let seen = marker::read(path)?;
        if let Some(seen) = seen {
            // Before SQLite sees the file: it would take a missing or empty file for a new
            // database, create the tables and start numbering from 001.
            match std::fs::metadata(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(lost(path, seen, "the file is missing".into())),
                Ok(m) if m.len() == 0 => return Err(lost(path, seen, "the file is empty (0 bytes)".into())),
                _ => {}
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::classify(&p, "open", e))?;
        let mut store = Store::setup(conn, p, seen, true)?;
        // Best effort: a full disk must not keep a sound store from serving what it holds; the
        // marker is tried again when the day starts and at close.
        if let Err(e) = store.mark(None) {
            tracing::warn!("{e}");
        }
        Ok(store)
    }

    /// A store that lives in memory only: for tests and for trying the API without a disk.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::classify(Path::new(":memory:"), "open", e))?;
        Store::setup(conn, PathBuf::from(":memory:"), None, false)
    }

    fn setup(conn: Connection, path: PathBuf, seen: Option<marker::Seen>, marked: bool) -> Result<Store, StoreError> {
        let fail = |op: &'static str| {
            let path = path.clone();
            move |e| StoreError::classify(&path, op, e)
        };
        // Order matters: exclusive locking before WAL (no shared memory), page size before the
        // first table exists (it cannot change afterwards in WAL mode).
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE").map_err(fail("set locking mode"))?;
        conn.busy_timeout(std::time::Duration::from_millis(250)).map_err(fail("set busy timeout"))?;
        conn.pragma_update(None, "page_size", 1024).map_err(fail("set page size"))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(fail("switch to WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(StoreError::NoWal { path, mode });
        }
        conn.pragma_update(None, "synchronous", "FULL").map_err(fail("set synchronous"))?;
        if let Some(seen) = seen {
            // Before the migrations, which would give an emptied file fresh tables.
            let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(fail("read schema version"))?;
            if found == 0 {
                return Err(lost(&path, seen, "the file holds no queue tables".into()));
            }
            if found <= schema::VERSION {
                // With the ids a restore left behind: the marker records those too.
                let last = used_up_to(&conn).map_err(fail("read last id"))?;
                if last < seen.last_id {
                    let found =
                        if last == 0 { "it holds no events".to_owned() } else { format!("its last event is id {last} (an older copy?)") };
                    return Err(lost(&path, seen, found));
                }
            }
        }
        // Unmarked until the schema is known good: a store refused here writes no marker.
        let mut store = Store { conn, path, seen, marked: false };
        schema::migrate(&mut store.conn, &store.path)?;
        store.marked = marked;
        Ok(store)
    }

    /// Brings the marker up to the log: to `last` (an event just committed) or, with `None`, to
    /// the last event stored. Writes only when the log went past what the marker says.
    fn mark(&mut self, last: Option<(EventId, NaiveDate)>) -> Result<(), StoreError> {
        if !self.marked {
            return Ok(());
        }
        let last = match last {
            Some(l) => Some(l),
            None => self
                .conn
                .query_row("SELECT id, day FROM events ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .optional()
                .map_err(|e| StoreError::classify(&self.path, "read last id", e))?
                .map(|(id, day)| (id as u64, day.parse().unwrap_or_default())),
        };
        let Some((last_id, day)) = last else { return Ok(()) };
        if self.seen.is_some_and(|s| s.last_id >= last_id) {
            return Ok(());
        }
        let seen = marker::Seen { last_id, day: Some(day) };
        marker::write(&self.path, seen)
            .map_err(|e| StoreError::BadMarker { marker: marker_path(&self.path), reason: format!("cannot write it: {e}") })?;
        self.seen = Some(seen);
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Caps the file at `kib` KiB (`[store] max_kib`): past it, a write fails as on a full disk
    /// (`StoreError::Full`), and what was committed stays. A cap below the present size holds
    /// the store at its present size.
    pub fn limit_size(&mut self, kib: u32) -> Result<(), StoreError> {
        let page: i64 =
            self.conn.query_row("PRAGMA page_size", [], |r| r.get(0)).map_err(|e| StoreError::classify(&self.path, "read page size", e))?;
        let pages = (kib as i64 * 1024 / page.max(512)).max(1);
        self.conn.pragma_update(None, "max_page_count", pages).map_err(|e| StoreError::classify(&self.path, "cap the size", e))
    }

    /// Appends events in one transaction: all of them are durable when this returns, or none.
    pub fn append(&mut self, batch: &[Append<'_>]) -> Result<(), StoreError> {
        self.append_with(batch, &[])
    }

    /// Appends events and writes what goes with them (new settings, audit lines) in ONE
    /// transaction: a settings change and its `settings_changed` event stand or fall together.
    pub fn append_with(&mut self, batch: &[Append<'_>], side: &[Side<'_>]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        {
            let mut ins = tx
                .prepare_cached("INSERT INTO events (id, at, day, body, key) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(fail("prepare insert"))?;
            let mut day =
                tx.prepare_cached("INSERT OR IGNORE INTO days (day, first_event) VALUES (?1, ?2)").map_err(fail("prepare insert"))?;
            for a in batch {
                let e = a.event;
                let body = serde_json::to_string(&e.body).expect("events always serialise");
                let d = e.day.to_string();
                ins.execute(params![e.id as i64, e.at.timestamp_millis(), d, body, a.key]).map_err(fail("insert event"))?;
                if e.body == EventBody::DayStarted {
                    day.execute(params![d, e.id as i64]).map_err(fail("insert day"))?;
                }
            }
        }
        let at = batch.last().map(|a| a.event.at).unwrap_or_else(Utc::now);
        for s in side {
            match s {
                Side::Settings { version, by, body } => tx
                    .execute(
                        "INSERT INTO settings (version, at, by, body) VALUES (?1, ?2, ?3, ?4)",
                        params![*version as i64, at.timestamp_millis(), by, body],
                    )
                    .map(|_| ())
                    .map_err(fail("write settings"))?,
                Side::Audit(a) => console::write_audit(&tx, at, a).map_err(fail("write audit"))?,
            }
        }
        tx.commit().map_err(fail("commit"))?;
        // A new day is the moment to move the marker (once a day, to spare the card): from
        // then on an emptied store or yesterday's copy is refused.
        if let Some(e) = batch.last().map(|a| a.event).filter(|_| batch.iter().any(|a| a.event.body == EventBody::DayStarted)) {
            if let Err(err) = self.mark(Some((e.id, e.day))) {
                // The events are committed; failing the call now would tell the caller they
                // were not. The marker is tried again at the next day and at close.
                tracing::warn!("{err}");
            }
        }
        Ok(())
    }

    /// The events of one service day, in order (reports read a day at a time).
    pub fn events_of_day(&self, day: NaiveDate) -> Result<Vec<Event>, StoreError> {
        let d = day.to_string();
        let bounds: Option<(i64, Option<i64>)> = self
            .conn
            .query_row("SELECT first_event, (SELECT MIN(first_event) FROM days WHERE day > ?1) FROM days WHERE day = ?1", [&d], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| StoreError::classify(&self.path, "read days", e))?;
        let Some((first, next)) = bounds else { return Ok(Vec::new()) };
        self.query_events(
            "SELECT id, at, day, body, key FROM events WHERE id >= ?1 AND id < ?2 ORDER BY id",
            params![first, next.unwrap_or(i64::MAX)],
        )
        .map(|v| v.into_iter().map(|(e, _)| e).collect())
    }

    /// When the dossier `code` (as the engine stores it) was evaluated, if the log holds its
    /// evaluation: a dossier is evaluated once, and the engine knows only the days it replayed.
    pub fn evaluated_at(&self, code: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .query_row(EVALUATED_AT, [code], |r| r.get::<_, i64>(0))
            .optional()
            .map(|ms| ms.and_then(DateTime::from_timestamp_millis))
            .map_err(|e| StoreError::classify(&self.path, "read evaluations", e))
    }

    /// The highest id this store has used, 0 for a new one: numbering continues after it. It
    /// is the last event's id, or above it after a restore of an older copy: the ids the
    /// replaced store had used (`lost_ids`) are never numbered again.
    pub fn last_id(&self) -> Result<EventId, StoreError> {
        used_up_to(&self.conn).map_err(|e| StoreError::classify(&self.path, "read last id", e))
    }

    /// The id of the last event the log holds, 0 for an empty log: below `last_id` after a
    /// restore until the next event. What a client that reads the state follows on from.
    pub fn last_event_id(&self) -> Result<EventId, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|v| v as u64)
            .map_err(|e| StoreError::classify(&self.path, "read last id", e))
    }

    /// Whether `id` was an event of a store a restore replaced, lost with it: a client that
    /// resumes from it saw events this log never had, and must fetch the state again.
    pub fn is_lost(&self, id: EventId) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM lost_ids WHERE upto >= ?1 AND after < ?1)", [id as i64], |r| r.get(0))
            .map_err(|e| StoreError::classify(&self.path, "read lost ids", e))
    }

    /// The id of the oldest event kept, if any: a client resuming from before it has lost
    /// events to pruning and must fetch the state again.
    pub fn first_id(&self) -> Result<Option<EventId>, StoreError> {
        self.conn
            .query_row("SELECT MIN(id) FROM events", [], |r| r.get::<_, Option<i64>>(0))
            .map(|v| v.map(|v| v as u64))
            .map_err(|e| StoreError::classify(&self.path, "read first id", e))
    }

    /// Up to `limit` events after `after`, in order.
    pub fn events_after(&self, after: EventId, limit: usize) -> Result<Vec<Event>, StoreError> {
        self.query_events(
            "SELECT id, at, day, body, key FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
            params![after as i64, limit as i64],
        )
        .map(|v| v.into_iter().map(|(e, _)| e).collect())
    }

    /// The events of the last `days` service days that have any, oldest first, with their keys:
    /// what start-up replays.
    pub fn recent(&self, days: u32) -> Result<Vec<(Event, Option<String>)>, StoreError> {
        let first: Option<i64> = self
            .conn
            .query_row(
                "SELECT MIN(first_event) FROM (SELECT first_event FROM days ORDER BY day DESC LIMIT ?1)",
                [days.max(1) as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| StoreError::classify(&self.path, "read days", e))?
            .flatten();
        let from = first.unwrap_or(0);
        self.query_events("SELECT id, at, day, body, key FROM events WHERE id >= ?1 ORDER BY id", params![from])
    }

    /// Deletes the events of days before `day`; returns how many went.
    pub fn prune_before(&mut self, day: NaiveDate) -> Result<usize, StoreError> {
        self.prune(day, None).map(|p| p.events)
    }

    /// Deletes the events of days before `day`, but, with `unsent_before`, none the province
    /// hub has not acknowledged (`uplink().acked`) unless its day is before `unsent_before`
    /// too: those are dropped unsent, counted in the answer and in `uplink().dropped`.
    pub fn prune(&mut self, day: NaiveDate, unsent_before: Option<NaiveDate>) -> Result<Pruned, StoreError> {
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        let first_of = |d: NaiveDate| {
            tx.query_row("SELECT MIN(first_event) FROM days WHERE day >= ?1", [d.to_string()], |r| r.get::<_, Option<i64>>(0))
                .map_err(fail("read days"))
        };
        let Some(mut cut) = first_of(day)? else { return Ok(Pruned::default()) };
        let mut unsent = 0;
        if let Some(hard) = unsent_before {
            let acked: i64 = tx.query_row("SELECT acked FROM uplink", [], |r| r.get(0)).map_err(fail("read the uplink"))?;
            // No day on or after the hard limit: every event is past it.
            let hard_cut = first_of(hard)?.unwrap_or(i64::MAX);
            cut = cut.min(hard_cut.max(acked + 1));
            unsent = tx
                .query_row("SELECT COUNT(*) FROM events WHERE id > ?1 AND id < ?2", [acked, cut], |r| r.get::<_, i64>(0))
                .map_err(fail("count unsent"))? as usize;
            if unsent > 0 {
                tx.execute("UPDATE uplink SET dropped = dropped + ?1", [unsent as i64]).map_err(fail("count dropped"))?;
            }
        }
        let n = tx.execute("DELETE FROM events WHERE id < ?1", [cut]).map_err(fail("prune events"))?;
        // Days (and the audit lines that explain them) go only once all their events have: a
        // day kept in part for the hub stays readable.
        let kept_from: Option<String> = tx
            .query_row("SELECT day FROM events WHERE id >= ?1 ORDER BY id LIMIT 1", [cut], |r| r.get(0))
            .optional()
            .map_err(fail("read days"))?;
        let until = kept_from.and_then(|d| d.parse::<NaiveDate>().ok()).map_or(day, |k| k.min(day));
        let cutoff = until.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0);
        tx.execute("DELETE FROM audit WHERE at < ?1", [cutoff]).map_err(fail("prune audit"))?;
        tx.execute("DELETE FROM days WHERE day < ?1", [until.to_string()]).map_err(fail("prune days"))?;
        tx.commit().map_err(fail("commit"))?;
        Ok(Pruned { events: n, unsent })
    }

    fn query_events(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<(Event, Option<String>)>, StoreError> {
        let fail = |op| move |e| StoreError::classify(&self.path, op, e);
        let mut st = self.conn.prepare_cached(sql).map_err(fail("prepare read"))?;
        let rows = st
            .query_map(args, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(fail("read events"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, day, body, key) = row.map_err(fail("read event"))?;
            let bad = |reason: String| StoreError::BadEvent { path: self.path.clone(), id: id as u64, reason };
            let at = DateTime::<Utc>::from_timestamp_millis(at).ok_or_else(|| bad(format!("time {at} is out of range")))?;
            let day: NaiveDate = day.parse().map_err(|e| bad(format!("day {day:?}: {e}")))?;
            let body: EventBody = serde_json::from_str(&body).map_err(|e| bad(e.to_string()))?;
            out.push((Event { id: id as u64, at, day, body }, key));
        }
        Ok(out)
    }

    /// Runs a statement on the connection; tests use it to stage broken files and limits.
    #[doc(hidden)]
    pub fn raw(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for Store {
    /// A clean stop leaves the marker at the last event, so a copy older than that is refused.
    fn drop(&mut self) {
        if let Err(e) = self.mark(None) {
            tracing::warn!("{e}");
        }
    }
}

/// The highest id a store has used: its last event's, or the top of the ids a restore left
/// behind. Reads stores of any schema (a copy or a replaced store may predate `lost_ids`).
fn used_up_to(conn: &Connection) -> rusqlite::Result<EventId> {
    let has_lost: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lost_ids')", [], |r| r.get(0))?;
    let sql = if has_lost {
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM events), 0), COALESCE((SELECT MAX(upto) FROM lost_ids), 0))"
    } else {
        "SELECT COALESCE(MAX(id), 0) FROM events"
    };
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|v| v.max(0) as u64)
}

fn lost(path: &Path, seen: marker::Seen, found: String) -> StoreError {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    let wal = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0).then_some(wal);
    StoreError::Lost { path: path.to_owned(), marker: marker_path(path), found, seen: seen.last_id, day: seen.day, wal }
}

/// SQLite opened as root writes even a file marked read-only, and a store that silently writes
/// where the administrator forbade it is worse than one that refuses: check the mode bits.
fn check_writable(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let ro = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o222 == 0).unwrap_or(false);
    if ro(path) {
        return Err(StoreError::ReadOnly { path: path.to_owned(), what: "file" });
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.exists() {
        return Err(StoreError::NoFolder { path: path.to_owned() });
    }
    if ro(dir) {
        // The WAL file is created beside the database.
        return Err(StoreError::ReadOnly { path: path.to_owned(), what: "folder" });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_marker;
