//! The marker beside the store, and restore: real files in a temporary folder. Each test
//! names the failure it proves.
use super::tests::{day, ev, issued};
use super::*;
use crate::event::EventBody;

/// A store at `q.db` that held a day: DayStarted (1) and A002 (2) on the 22nd, then closed.
fn a_day_of_tickets(dir: &Path) -> PathBuf {
    let path = dir.join("q.db");
    let mut s = Store::open(&path).unwrap();
    let log = [ev(1, 22, EventBody::DayStarted), issued(2, 22)];
    s.append(&log.iter().map(|e| Append { event: e, key: None }).collect::<Vec<_>>()).unwrap();
    drop(s);
    path
}

fn refused(path: &Path) -> StoreError {
    match Store::open(path) {
        Ok(s) => panic!("the store was opened with last id {}", s.last_id().unwrap()),
        Err(e) => e,
    }
}

#[test]
fn a_store_truncated_to_zero_bytes_is_refused_instead_of_numbering_from_001() {
    // Proves a bad SD card's truncated file no longer starts a fresh day (A001 issued twice).
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
    let err = refused(&path);
    assert!(matches!(err, StoreError::Lost { seen: 2, .. }), "{err}");
    let msg = err.to_string();
    for part in [path.display().to_string(), "empty (0 bytes)".into(), "q.db.seen".into(), "up to id 2".into(), "kiosk restore".into()] {
        assert!(msg.contains(&part), "the message names {part:?}: {msg}");
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "the file is left as found, not given fresh tables");
    assert!(!dir.path().join("q.db-wal").exists(), "SQLite did not touch it");
}

#[test]
fn a_deleted_store_beside_its_marker_is_refused() {
    // Proves a store that vanished is not silently re-created empty.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    std::fs::remove_file(&path).unwrap();
    let err = refused(&path);
    assert!(matches!(&err, StoreError::Lost { found, .. } if found.contains("missing")), "{err}");
    assert!(!path.exists(), "no new database was created");
}

#[test]
fn an_emptied_store_with_a_wal_beside_it_says_to_keep_the_wal() {
    // Proves the operator is told that the -wal may hold the latest commits before anything
    // removes it.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
    std::fs::write(dir.path().join("q.db-wal"), b"frames that might be recovered").unwrap();
    let msg = refused(&path).to_string();
    assert!(msg.contains("q.db-wal"), "{msg}");
    assert_eq!(std::fs::read(dir.path().join("q.db-wal")).unwrap(), b"frames that might be recovered");
}

#[test]
fn a_store_replaced_by_an_older_copy_is_refused() {
    // Proves yesterday's copy put back by hand (not by restore) does not reissue today's numbers.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    let old = dir.path().join("old.db");
    std::fs::copy(&path, &old).unwrap();
    let mut s = Store::open(&path).unwrap();
    let today = [ev(3, 23, EventBody::DayStarted), issued(4, 23)];
    s.append(&today.iter().map(|e| Append { event: e, key: None }).collect::<Vec<_>>()).unwrap();
    drop(s);
    std::fs::copy(&old, &path).unwrap();
    let err = refused(&path);
    assert!(matches!(&err, StoreError::Lost { seen: 4, found, .. } if found.contains("last event is id 2")), "{err}");
    assert!(err.to_string().contains("service day 2026-11-23"), "{err}");
}

#[test]
fn the_marker_moves_when_a_day_starts_not_only_at_a_clean_stop() {
    // Proves a crash (no clean close) still leaves the marker at today's first event, so an
    // emptied store is caught after a power cut too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let mut s = Store::open(&path).unwrap();
    assert!(!marker_path(&path).exists(), "a new store with no events has no marker");
    s.append(&[Append { event: &ev(1, 22, EventBody::DayStarted), key: None }]).unwrap();
    let text = std::fs::read_to_string(marker_path(&path)).unwrap();
    assert!(text.contains("last_id = 1") && text.contains("2026-11-22"), "{text}");
    std::mem::forget(s); // no Drop: as a power cut would leave it
}

#[test]
fn a_new_install_and_a_store_that_never_held_events_start_normally() {
    // Proves the guard does not refuse a first start (no store, no marker) nor a restart of an
    // empty one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    drop(Store::open(&path).unwrap());
    let s = Store::open(&path).unwrap();
    assert_eq!(s.last_id().unwrap(), 0);
    assert!(!marker_path(&path).exists());
}

#[test]
fn a_damaged_marker_is_refused_not_ignored() {
    // Proves garbage in the marker (it may be all that says events were lost) stops the start.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    std::fs::write(marker_path(&path), b"\xff\xfe garbage").unwrap();
    assert!(matches!(refused(&path), StoreError::BadMarker { .. }));
}

/// Appends `events` to the store at `path` and closes it (the marker follows).
fn append_closed(path: &Path, events: &[Event]) {
    let mut s = Store::open(path).unwrap();
    s.append(&events.iter().map(|e| Append { event: e, key: None }).collect::<Vec<_>>()).unwrap();
}

#[test]
fn a_restored_older_copy_opens_and_numbering_continues_above_every_id_the_old_store_used() {
    // Proves restore rewrites the marker (the older copy is accepted when it came through
    // restore), keeps the replaced store aside rather than deleting it, and never numbers an
    // id twice: the day lost with the replaced store had ids 3 and 4, which the province hub
    // holds and would take the new events for repeats of. Numbering goes on from 5, and on
    // from there after a reopen (the floor is in the file, not only in memory).
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    append_closed(&path, &[ev(3, 23, EventBody::DayStarted), issued(4, 23)]);
    let done = Store::restore(&backup, &path).unwrap();
    assert_eq!((done.last_id, done.day, done.floor), (2, Some(day(22)), 4));
    let mut s = Store::open(&path).unwrap();
    assert_eq!((s.last_id().unwrap(), s.last_event_id().unwrap()), (4, 2), "numbering continues after 4; the log ends at 2");
    assert_eq!([2, 3, 4, 5].map(|id| s.is_lost(id).unwrap()), [false, true, true, false], "3 and 4 went with the replaced store");
    s.append(&[Append { event: &ev(5, 23, EventBody::DayStarted), key: None }]).unwrap();
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.last_id().unwrap(), 5);
    assert_eq!(s.events_after(2, 10).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [5], "the log has a gap, not made-up events");
    drop(s);
    let kept = done.kept.expect("the replaced store is kept");
    assert_eq!(Store::open(&kept).unwrap().last_id().unwrap(), 4, "the replaced store keeps its events");
    // The marker says the floor too: the copy put back by hand, without it, is refused.
    std::fs::copy(&backup, &path).unwrap();
    assert!(matches!(refused(&path), StoreError::Lost { seen: 5, .. }));
}

#[test]
fn a_restore_over_a_lost_store_numbers_above_what_the_marker_saw() {
    // Proves the floor does not need the replaced store: a store deleted, or too damaged to
    // read, is restored from yesterday's copy, and the marker alone says that ids 3 and 4 were
    // used (and are held by the hub). Without it numbering would restart at 3.
    for damage in ["deleted", "overwritten with junk"] {
        let dir = tempfile::tempdir().unwrap();
        let path = a_day_of_tickets(dir.path());
        let backup = dir.path().join("backup.db");
        std::fs::copy(&path, &backup).unwrap();
        append_closed(&path, &[ev(3, 23, EventBody::DayStarted), issued(4, 23)]);
        let _ = std::fs::remove_file(dir.path().join("q.db-wal"));
        match damage {
            "deleted" => std::fs::remove_file(&path).unwrap(),
            _ => std::fs::write(&path, b"not a database at all".repeat(100)).unwrap(),
        }
        let done = Store::restore(&backup, &path).unwrap();
        assert_eq!((done.last_id, done.floor), (2, 4), "store {damage}");
        assert_eq!(marker::read(&path).unwrap(), Some(marker::Seen { last_id: 4, day: Some(day(23)) }), "the floor's day");
        assert_eq!(Store::open(&path).unwrap().last_id().unwrap(), 4, "store {damage}");
    }
}

#[test]
fn a_restore_of_a_copy_with_no_events_still_numbers_above_the_old_store() {
    // Proves a copy taken before the first event (a fresh install's backup) does not start the
    // numbering at 1 again when the store it replaces had used ids: the store opens (the marker
    // says the floor, not "held no events"), numbers from 3, and a client at 2 is told it lost it.
    // And with nothing used before, the store is a new one again (no marker, from 1).
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    drop(Store::open(&empty).unwrap());
    let path = a_day_of_tickets(dir.path());
    let done = Store::restore(&empty, &path).unwrap();
    assert_eq!((done.last_id, done.day, done.floor), (0, None, 2));
    let s = Store::open(&path).unwrap();
    assert_eq!((s.last_id().unwrap(), s.last_event_id().unwrap(), s.is_lost(2).unwrap()), (2, 0, true));
    drop(s);

    let fresh = dir.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    let done = Store::restore(&empty, &fresh.join("q.db")).unwrap();
    assert_eq!(done.floor, 0);
    assert!(!marker_path(&fresh.join("q.db")).exists(), "a new store has no marker");
    assert_eq!(Store::open(&fresh.join("q.db")).unwrap().last_id().unwrap(), 0);
}

#[test]
fn a_restore_cut_off_before_the_rename_leaves_the_old_store_and_a_copy_that_has_its_floor() {
    // Proves the floor is written into the staged copy before it goes in place, so that a power
    // cut at any point leaves either the old store (whole) or the copy with its floor, never
    // the copy without it. The cut is made by the move of the old store failing (its
    // `.before-restore` name taken by a folder): the step right before the rename.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    append_closed(&path, &[ev(3, 23, EventBody::DayStarted), issued(4, 23)]);
    let blocked = dir.path().join("q.db.before-restore");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("x"), b"x").unwrap();
    assert!(matches!(Store::restore(&backup, &path), Err(StoreError::Restore { .. })));
    let old = Store::open(&path).unwrap();
    assert_eq!(old.events_after(0, 10).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3, 4], "the old store is whole");
    drop(old);
    let staged = Store::open(&dir.path().join("q.db.restoring")).unwrap();
    assert_eq!((staged.last_event_id().unwrap(), staged.last_id().unwrap()), (2, 4), "the staged copy has its floor");
}

#[test]
fn restore_mends_a_truncated_store() {
    // Proves the way out the refusal names works: restore over an emptied file, then open.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
    assert!(matches!(refused(&path), StoreError::Lost { .. }));
    Store::restore(&backup, &path).unwrap();
    assert_eq!(Store::open(&path).unwrap().last_id().unwrap(), 2);
}

#[test]
fn restore_takes_the_commits_in_the_copys_wal_and_drops_the_old_stores_wal() {
    // Proves a copy taken with its -wal loses nothing, and the replaced store's -wal is not
    // replayed onto the copy (which would mix two histories).
    let dir = tempfile::tempdir().unwrap();
    // Copies a store's file and -wal while it is open, as a crash would leave them; the
    // connection is leaked so that nothing checkpoints the WAL into the file.
    let snapshot = |s: Store, to: &Path| {
        std::fs::copy(s.path(), to).unwrap();
        std::fs::copy(format!("{}-wal", s.path().display()), format!("{}-wal", to.display())).unwrap();
        std::mem::forget(s);
    };
    let src_dir = dir.path().join("src");
    std::fs::create_dir(&src_dir).unwrap();
    let mut live = Store::open(&a_day_of_tickets(&src_dir)).unwrap();
    live.append(&[Append { event: &issued(3, 22), key: None }]).unwrap();
    let copy = dir.path().join("copy.db");
    snapshot(live, &copy);

    let old_dir = dir.path().join("old");
    std::fs::create_dir(&old_dir).unwrap();
    let mut old = Store::open(&old_dir.join("q.db")).unwrap();
    old.append(&[Append { event: &ev(7, 20, EventBody::DayStarted), key: None }]).unwrap();
    let path = dir.path().join("q.db");
    std::fs::copy(marker_path(old.path()), marker_path(&path)).unwrap();
    snapshot(old, &path);
    assert!(dir.path().join("q.db-wal").metadata().unwrap().len() > 0, "the old store's WAL is staged");

    let done = Store::restore(&copy, &path).unwrap();
    assert_eq!(done.last_id, 3, "the commit in the copy's -wal is there");
    assert_eq!(done.floor, 7, "the old store's id in its -wal counts as used");
    let s = Store::open(&path).unwrap();
    assert_eq!(s.events_after(0, 10).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn restore_is_refused_while_the_store_is_held_and_for_a_copy_that_is_not_a_store() {
    // Proves restore cannot pull the file from under a running authority, nor put junk in place.
    let dir = tempfile::tempdir().unwrap();
    let path = a_day_of_tickets(dir.path());
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    let held = Store::open(&path).unwrap();
    assert!(matches!(Store::restore(&backup, &path), Err(StoreError::Locked { .. })));
    drop(held);
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, b"not a database at all".repeat(100)).unwrap();
    assert!(matches!(Store::restore(&junk, &path), Err(StoreError::Corrupt { .. } | StoreError::Restore { .. })));
    std::fs::write(&junk, b"").unwrap();
    assert!(matches!(Store::restore(&junk, &path), Err(StoreError::Restore { .. })));
    assert!(matches!(Store::restore(&path, &path), Err(StoreError::Restore { .. })));
    assert_eq!(Store::open(&path).unwrap().last_id().unwrap(), 2, "the store is as it was");
    assert!(!dir.path().join("q.db.restoring").exists(), "nothing staged is left behind");
}
