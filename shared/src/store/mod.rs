//! The durable log: every event the engine decides, in SQLite.
//!
//! - `mod.rs`: `Store`, opening (pragmas, checks) and the queries.
//! - `schema.rs`: migrations, numbered by `PRAGMA user_version`.
//! - `console.rs`: the console's tables (accounts, sessions, settings, audit log).
//! - `error.rs`: `StoreError`, one variant per thing an operator can fix.
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
mod console;
mod error;
mod schema;

pub use console::SessionsToEnd;
pub use error::StoreError;

use crate::event::{Event, EventBody, EventId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

pub struct Store {
    conn: Connection,
    path: PathBuf,
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
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::classify(&p, "open", e))?;
        Store::setup(conn, p)
    }

    /// A store that lives in memory only: for tests and for trying the API without a disk.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::classify(Path::new(":memory:"), "open", e))?;
        Store::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
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
        let mut store = Store { conn, path };
        schema::migrate(&mut store.conn, &store.path)?;
        Ok(store)
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
        tx.commit().map_err(fail("commit"))
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

    /// The id of the last event, 0 for an empty log.
    pub fn last_id(&self) -> Result<EventId, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|v| v as u64)
            .map_err(|e| StoreError::classify(&self.path, "read last id", e))
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
        let path = self.path.clone();
        let p = &path;
        let fail = |op| move |e| StoreError::classify(p, op, e);
        let d = day.to_string();
        let tx = self.conn.transaction().map_err(fail("begin"))?;
        let first: Option<i64> =
            tx.query_row("SELECT MIN(first_event) FROM days WHERE day >= ?1", [&d], |r| r.get(0)).map_err(fail("read days"))?;
        let Some(first) = first else { return Ok(0) };
        let n = tx.execute("DELETE FROM events WHERE id < ?1", [first]).map_err(fail("prune events"))?;
        // The audit log is kept as long as the events it explains.
        let cutoff = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0);
        tx.execute("DELETE FROM audit WHERE at < ?1", [cutoff]).map_err(fail("prune audit"))?;
        tx.execute("DELETE FROM days WHERE day < ?1", [&d]).map_err(fail("prune days"))?;
        tx.commit().map_err(fail("commit"))?;
        Ok(n)
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
