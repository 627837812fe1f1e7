//! `Store::backup`: a consistent copy of a store while the authority goes on serving it.
//!
//! The store holds its file with `locking_mode = EXCLUSIVE` (no second process may open it), so
//! the copy is made through the store's own connection, by the thread that owns it: `VACUUM
//! INTO` writes the committed state as one read transaction into a compact, self-contained
//! database file (no `-wal` beside it), which `Store::restore` takes as it is. Commands sent
//! meanwhile wait in the owner's queue and are committed right after (group commit): none is
//! lost, and the copy is a whole prefix of the log. The cost is the copy's time
//! (`cargo bench -p authority --bench backup`: 167 ms for 30 busy days, 15 MiB, on the
//! development machine).
use super::{schema, StoreError};
use crate::event::EventId;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackedUp {
    /// The last event in the copy (0: none).
    pub last_id: EventId,
    pub bytes: u64,
}

impl super::Store {
    /// Copies the store into a new file `out` (which must not exist). Refused for a store in
    /// memory; a failure leaves no partial file behind.
    pub fn backup(&self, out: &Path) -> Result<BackedUp, StoreError> {
        let fail = |what: String| StoreError::Backup { path: out.to_owned(), what };
        if !self.marked {
            return Err(fail("the store is in memory: there is no file to copy".into()));
        }
        if out.exists() {
            return Err(fail("the file exists already".into()));
        }
        let conn = &self.conn;
        let target = out.to_str().ok_or_else(|| fail("the path is not UTF-8".into()))?;
        // One statement, one read transaction: one snapshot of the whole file.
        if let Err(e) = conn.execute("VACUUM INTO ?1", [target]) {
            let _ = std::fs::remove_file(out);
            return Err(fail(format!("copying failed: {e}")));
        }
        std::fs::File::open(out).and_then(|f| f.sync_all()).map_err(|e| fail(format!("cannot flush the copy: {e}")))?;
        let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        // A copy is only worth keeping if it reads back as a queue database.
        let check = Connection::open_with_flags(out, OpenFlags::SQLITE_OPEN_READ_ONLY).and_then(|c| {
            let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let last: i64 = c.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?;
            Ok((version, last))
        });
        let problem = match check {
            Ok((v, last)) if v == schema::VERSION => return Ok(BackedUp { last_id: last as EventId, bytes }),
            Ok((v, _)) => format!("the copy has schema version {v}, not {}", schema::VERSION),
            Err(e) => format!("the copy does not read back: {e}"),
        };
        let _ = std::fs::remove_file(out);
        Err(fail(problem))
    }
}
