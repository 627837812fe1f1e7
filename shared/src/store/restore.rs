//! `Store::restore`: puts a copy (a backup) in place of the store, with no authority running.
//!
//! The copy is checked and made whole first, beside the store (`<db>.restoring`): a queue
//! database of a schema this build knows, passing SQLite's quick check, its WAL folded into the
//! file. Only then is the old store moved aside (`<db>.before-restore`, with its WAL, so a wrong
//! copy can be undone) and the copy renamed into place. The old store's `-wal`/`-shm` must not
//! stay beside the copy: SQLite would replay them onto it. Last, the marker is rewritten to
//! the copy's last event, so the store that the marker would otherwise call "older" opens.
//!
//! Ids are never numbered twice: the hub stores events by (centre, id) and would take a new
//! event with a lost one's id for a repeat, and a client may still hold a lost ticket's id. So
//! the staged copy records, before it is renamed into place, the highest id the store had used
//! (the replaced store's, the marker's, the copy's own) in `lost_ids`; `Store::last_id` answers
//! at least that. A power cut leaves the old store, or the copy with its floor: never the copy
//! without it.
use super::marker::{self, Seen};
use super::{check_writable, schema, Store, StoreError};
use crate::event::EventId;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The copy's last event id (0: it holds none).
    pub last_id: EventId,
    /// The highest id the store had used before (its own, the marker's, the copy's):
    /// numbering continues after it, so it is `last_id` or above. The ids between the two were
    /// lost with the replaced store.
    pub floor: EventId,
    /// The service day of that event.
    pub day: Option<NaiveDate>,
    /// Where the replaced store was moved, if there was one.
    pub kept: Option<PathBuf>,
}

impl Store {
    /// Puts the copy at `from` in place of the store at `to` and rewrites the marker. Refused
    /// while a process holds the store, and for a copy that is not a sound queue database.
    pub fn restore(from: &Path, to: &Path) -> Result<Restored, StoreError> {
        check_writable(to)?;
        let bad = |what: String| StoreError::Restore { path: from.to_owned(), what };
        match std::fs::metadata(from) {
            Err(e) => return Err(bad(format!("cannot read the copy: {e}"))),
            Ok(m) if !m.is_file() => return Err(bad("the copy is not a file".into())),
            Ok(m) if m.len() == 0 => return Err(bad("the copy is empty (0 bytes)".into())),
            Ok(_) => {}
        }
        if let (Ok(a), Ok(b)) = (std::fs::canonicalize(from), std::fs::canonicalize(to)) {
            if a == b {
                return Err(bad("the copy is the store itself".into()));
            }
        }
        ensure_unheld(to)?;
        // Read before anything moves: the replaced store and the marker say which ids were used.
        // Either may be gone or unreadable (that may be why the store is restored).
        let was_seen = marker::read(to).ok().flatten();
        let used = [used_by(to), was_seen.map(|s| s.last_id)].into_iter().flatten().max().unwrap_or(0);

        let tmp = with_suffix(to, ".restoring");
        remove_set(&tmp);
        let io = |what: &'static str| move |e: std::io::Error| StoreError::Restore { path: from.to_owned(), what: format!("{what}: {e}") };
        let staged = (|| {
            std::fs::copy(from, &tmp).map_err(io("cannot copy it beside the store"))?;
            let wal = with_suffix(from, "-wal");
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                std::fs::copy(&wal, with_suffix(&tmp, "-wal")).map_err(io("cannot copy its -wal file"))?;
            }
            let last = stage_copy(from, &tmp, used)?;
            std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io("cannot flush the copy"))?;
            Ok(last)
        })();
        let (last, floor) = match staged {
            Ok(staged) => staged,
            Err(e) => {
                remove_set(&tmp);
                return Err(e);
            }
        };

        let moved = |what: &'static str| move |e: std::io::Error| StoreError::Restore { path: to.to_owned(), what: format!("{what}: {e}") };
        let before = with_suffix(to, ".before-restore");
        let kept = std::fs::metadata(to).is_ok_and(|m| m.len() > 0).then(|| before.clone());
        remove_set(&before);
        for suffix in ["", "-wal", "-journal"] {
            let old = with_suffix(to, suffix);
            if old.exists() {
                std::fs::rename(&old, with_suffix(&before, suffix)).map_err(moved("cannot move the old store aside"))?;
            }
        }
        let _ = std::fs::remove_file(with_suffix(to, "-shm"));
        std::fs::rename(&tmp, to).map_err(moved("cannot put the copy in place"))?;
        marker::sync_dir(to).map_err(moved("cannot flush the folder"))?;
        let seen_marker = marker::marker_path(to);
        // The marker says the floor: a copy put back by hand later, without it, is refused. Its
        // day is the one of that id, where known.
        let day_of_floor = match (last, was_seen) {
            (Some((id, day)), _) if id == floor => Some(day),
            (_, Some(seen)) if seen.last_id == floor => seen.day,
            _ => None,
        };
        if floor > 0 {
            marker::write(to, Seen { last_id: floor, day: day_of_floor })
        } else {
            // A copy with no events, and no ids used before: the store starts as a new one, so
            // no marker either.
            std::fs::remove_file(&seen_marker).or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
        }
        .map_err(|e| StoreError::BadMarker { marker: seen_marker, reason: format!("cannot write it: {e}") })?;
        let (last_id, day) = last.map_or((0, None), |(id, d)| (id, Some(d)));
        Ok(Restored { last_id, day, floor, kept })
    }
}

/// Refuses while another process (a running authority) holds the store: its exclusive lock
/// makes even a read busy. A file SQLite cannot read is not held by anyone.
fn ensure_unheld(to: &Path) -> Result<(), StoreError> {
    if !std::fs::metadata(to).is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    let Ok(conn) = Connection::open_with_flags(to, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX) else {
        return Ok(());
    };
    let probe =
        conn.busy_timeout(std::time::Duration::ZERO).and_then(|_| conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(())));
    match probe.map_err(|e| StoreError::classify(to, "check the lock", e)) {
        Err(e @ StoreError::Locked { .. }) => Err(e),
        _ => Ok(()),
    }
}

/// The highest id the store at `to` has used, if it can be read. Read only, and it leaves the
/// file as it was (it is kept aside as `.before-restore`).
fn used_by(to: &Path) -> Option<EventId> {
    if !std::fs::metadata(to).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    let conn = Connection::open_with_flags(to, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).ok()?;
    match super::used_up_to(&conn) {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::warn!("{}: the ids it used cannot be read ({e}); the marker and the copy say them", to.display());
            None
        }
    }
}

/// Checks the staged copy, brings its schema up to date, records the ids used before it that
/// it lacks (`used`, above its own), and folds its WAL into the file. Returns its last event
/// and the floor it now has.
fn stage_copy(from: &Path, tmp: &Path, used: EventId) -> Result<(Option<(EventId, NaiveDate)>, EventId), StoreError> {
    let fail = |op| move |e| StoreError::classify(from, op, e);
    let mut conn =
        Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(fail("open"))?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE").map_err(fail("set locking mode"))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(fail("read schema version"))?;
    if version == 0 {
        return Err(StoreError::Restore { path: from.to_owned(), what: "not a queue database (it has no queue tables)".into() });
    }
    if version > schema::VERSION {
        return Err(StoreError::NewerSchema { path: from.to_owned(), found: version, known: schema::VERSION });
    }
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(fail("check"))?;
    if check != "ok" {
        return Err(StoreError::Restore { path: from.to_owned(), what: format!("the copy is damaged: {check}") });
    }
    let last: Option<(i64, String)> = conn
        .query_row("SELECT id, day FROM events ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(fail("read last id"))?;
    let last = match last {
        None => None,
        Some((id, day)) => Some((
            id as u64,
            day.parse().map_err(|e| StoreError::BadEvent { path: from.to_owned(), id: id as u64, reason: format!("day {day:?}: {e}") })?,
        )),
    };
    // The floor goes in the copy itself, before it is renamed into place. The migration is
    // the one `Store::open` would run.
    schema::migrate(&mut conn, from)?;
    let own = super::used_up_to(&conn).map_err(fail("read last id"))?;
    if used > own {
        conn.execute("INSERT INTO lost_ids (upto, after) VALUES (?1, ?2)", [used as i64, own as i64])
            .map_err(fail("record the lost ids"))?;
    }
    // Leaving WAL mode checkpoints everything into the file and removes the -wal: the copy is
    // then one file. `Store::open` switches it back.
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(())).map_err(fail("fold the WAL into the copy"))?;
    Ok((last, used.max(own)))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes a database file and its journals (leftovers of an earlier, interrupted restore).
fn remove_set(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}
