//! The marker beside the store (`<db>.seen`): a few lines saying that the store held events,
//! up to which id and of which day.
//!
//! Why: SQLite opens a zero-length file as a new, empty database, so a store truncated by a
//! failing SD card (or deleted, or swapped for an older copy) would start the day again from
//! 001 and issue numbers the hall has already seen. The marker lets `Store::open` tell "never
//! had events" (a new install: no marker) from "had events and lost them" (refused).
//!
//! It is written rarely, to spare the card: when a store is opened on events, when a day starts,
//! when the store is closed, and by a restore. Between those points it lags the log, so it catches
//! a store that lost its events or went back past the last of those points, not a loss of the
//! last few minutes. It is written atomically (temporary file, fsync, rename, fsync of the
//! folder), so a power cut leaves the old marker or the new one, never half of one.
use super::StoreError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the marker records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Seen {
    /// The highest event id the store was seen to hold.
    pub last_id: u64,
    /// The service day of that event.
    #[serde(default)]
    pub day: Option<NaiveDate>,
}

/// The marker's path: the store's file name with `.seen` appended (`queue.db.seen`).
pub fn marker_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".seen");
    db.with_file_name(name)
}

/// The marker of the store at `db`, if there is one. A marker that exists but cannot be read
/// is an error: it may be all that says the store lost its events.
pub(super) fn read(db: &Path) -> Result<Option<Seen>, StoreError> {
    let marker = marker_path(db);
    let text = match std::fs::read_to_string(&marker) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::BadMarker { marker, reason: e.to_string() }),
    };
    toml::from_str(&text).map(Some).map_err(|e| StoreError::BadMarker { marker, reason: e.message().to_owned() })
}

/// Writes the marker atomically.
pub(super) fn write(db: &Path, seen: Seen) -> std::io::Result<()> {
    let marker = marker_path(db);
    let mut tmp_name = marker.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp = marker.with_file_name(tmp_name);
    let body = format!(
        "# Written by the queue store beside {name}: the store held events up to this id. If the\n\
         # store is found empty or older than this, it is refused (numbers would be issued twice).\n\
         # Restore a backup with `kiosk restore`, or remove this file to start afresh on purpose.\n{toml}",
        name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        toml = toml::to_string(&seen).expect("the marker serialises"),
    );
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(body.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &marker)?;
        sync_dir(&marker)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes a rename in the folder of `path` durable.
pub(super) fn sync_dir(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(dir)?.sync_all()
}
