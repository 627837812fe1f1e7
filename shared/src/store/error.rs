//! Store failures, each worded for the person who has to fix it.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: the database is locked by another process (is another `kiosk serve` using it?)", path.display())]
    Locked { path: PathBuf },
    #[error("{}: the database {what} is read-only", path.display())]
    ReadOnly { path: PathBuf, what: &'static str },
    #[error("{}: the folder for the database does not exist", path.display())]
    NoFolder { path: PathBuf },
    #[error("{}: not a queue database, or damaged ({op}: {source})", path.display())]
    Corrupt { path: PathBuf, op: &'static str, source: rusqlite::Error },
    #[error("{}: written by a newer version (schema {found}; this build knows up to {known}); refusing to touch it", path.display())]
    NewerSchema { path: PathBuf, found: i64, known: i64 },
    #[error("{}: the disk (or the database's size limit) is full", path.display())]
    Full { path: PathBuf },
    #[error("{}: the file system would not switch to WAL (mode {mode:?})", path.display())]
    NoWal { path: PathBuf, mode: String },
    #[error("{}: event {id} cannot be read: {reason}", path.display())]
    BadEvent { path: PathBuf, id: u64, reason: String },
    #[error("{}: {what}", path.display())]
    BadRecord { path: PathBuf, what: String },
    #[error("{}: {op}: {source}", path.display())]
    Sqlite { path: PathBuf, op: &'static str, source: rusqlite::Error },
    /// The store lost events its marker says it held: truncated, deleted or swapped for an
    /// older copy. Starting on it would issue that day's numbers a second time.
    #[error(
        "{}: {found}, but {} records that it held events up to id {seen}{}; starting on it would issue numbers \
         a second time. Put the last backup in place with `kiosk restore --from FILE` (it rewrites the marker){}, or, to \
         start afresh on purpose, remove {}",
        path.display(),
        marker.display(),
        day.map(|d| format!(" (service day {d})")).unwrap_or_default(),
        wal.as_ref().map(|w| format!("; keep {} beside it, it may hold the latest commits", w.display())).unwrap_or_default(),
        marker.display()
    )]
    Lost { path: PathBuf, marker: PathBuf, found: String, seen: u64, day: Option<chrono::NaiveDate>, wal: Option<PathBuf> },
    #[error("{}: the store's marker cannot be read ({reason}); check the disk, then remove the marker only if the store is known good", marker.display())]
    BadMarker { marker: PathBuf, reason: String },
    #[error("{}: {what}", path.display())]
    Restore { path: PathBuf, what: String },
    #[error("backup to {}: {what}", path.display())]
    Backup { path: PathBuf, what: String },
}

impl StoreError {
    /// Sorts SQLite's result codes into the causes an operator can act on.
    pub(crate) fn classify(path: &Path, op: &'static str, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        let path = path.to_owned();
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Locked { path },
            Some(C::ReadOnly) => StoreError::ReadOnly { path, what: "file" },
            Some(C::DiskFull) => StoreError::Full { path },
            Some(C::NotADatabase | C::DatabaseCorrupt) => StoreError::Corrupt { path, op, source: e },
            _ => StoreError::Sqlite { path, op, source: e },
        }
    }

    /// Whether retrying later may succeed (the disk was full, another process let go).
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Full { .. } | StoreError::Locked { .. })
    }
}
