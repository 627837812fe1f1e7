//! Store tests on real SQLite files in a temporary folder. Each names the failure it proves.
use super::*;
use crate::event::EventBody;
use chrono::Duration;

pub(super) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

pub(super) fn ev(id: u64, d: u32, body: EventBody) -> Event {
    let at = day(d).and_hms_opt(1, 0, 0).unwrap().and_utc() + Duration::seconds(id as i64);
    Event { id, at, day: day(d), body }
}

/// The day's ticket `id` (shared with the marker's tests).
pub(super) fn issued(id: u64, d: u32) -> Event {
    ev(
        id,
        d,
        EventBody::TicketIssued {
            ticket: id,
            number: format!("A{id:03}"),
            service: "civil".into(),
            priority: None,
            seq: id as u32,
            key: None,
            booked: None,
        },
    )
}

fn append_all(s: &mut Store, events: &[Event]) -> Result<(), StoreError> {
    let batch: Vec<_> = events.iter().map(|e| Append { event: e, key: None }).collect();
    s.append(&batch)
}

#[test]
fn events_round_trip_and_days_index_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let mut s = Store::open(&path).unwrap();
    let log = vec![ev(1, 22, EventBody::DayStarted), issued(2, 22), ev(3, 23, EventBody::DayStarted), issued(4, 23)];
    append_all(&mut s, &log).unwrap();
    s.append(&[Append { event: &issued(5, 23), key: Some("k-1") }]).unwrap();
    assert_eq!(s.last_id().unwrap(), 5);
    assert_eq!(s.events_after(2, 10).unwrap(), log[2..].iter().cloned().chain([issued(5, 23)]).collect::<Vec<_>>());
    let recent = s.recent(1).unwrap();
    assert_eq!(recent.iter().map(|(e, _)| e.id).collect::<Vec<_>>(), [3, 4, 5]);
    assert_eq!(recent[2].1.as_deref(), Some("k-1"));
    assert_eq!(s.recent(7).unwrap().len(), 5);
    drop(s);
    // Reopening finds everything, and the settings that keep writes small and durable.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.last_id().unwrap(), 5);
    let page: i64 = s.raw().query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    let mode: String = s.raw().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    let sync: i64 = s.raw().query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!((page, mode.as_str(), sync), (1024, "wal", 2));
}

#[test]
fn a_second_process_on_the_same_file_is_told_it_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let _first = Store::open(&path).unwrap();
    // A second connection behaves as another process would: SQLite's locks are per file.
    let err = Store::open(&path).err().expect("the file is held");
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("locked by another process"));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let junk = b"these are not the bytes of an SQLite database, but somebody's notes".repeat(40);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("junk is refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), junk, "nothing was written over it");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", schema::VERSION + 1).unwrap();
    }
    let err = Store::open(&path).err().expect("a newer schema is refused");
    assert!(matches!(err, StoreError::NewerSchema { found, .. } if found == schema::VERSION + 1), "{err}");
}

#[test]
fn a_read_only_file_or_folder_is_refused_even_for_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let err = Store::open(&path).err().expect("read-only file");
    assert!(matches!(err, StoreError::ReadOnly { what: "file", .. }), "{err}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let err = Store::open(&path).err().expect("read-only folder");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(err, StoreError::ReadOnly { what: "folder", .. }), "{err}");
    let err = Store::open(&dir.path().join("missing/q.db")).err().expect("missing folder");
    assert!(matches!(err, StoreError::NoFolder { .. }), "{err}");
}

#[test]
fn a_full_disk_fails_the_whole_batch_and_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("q.db")).unwrap();
    append_all(&mut s, &[ev(1, 23, EventBody::DayStarted), issued(2, 23)]).unwrap();
    // SQLite's page limit stands in for a full disk: the same SQLITE_FULL reaches the code.
    let pages: i64 = s.raw().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    s.raw().pragma_update(None, "max_page_count", pages).unwrap();
    let big: Vec<Event> = (3..200).map(|i| issued(i, 23)).collect();
    let err = append_all(&mut s, &big).unwrap_err();
    assert!(matches!(err, StoreError::Full { .. }) && err.is_transient(), "{err}");
    assert_eq!(s.last_id().unwrap(), 2, "no part of the failed batch is kept");
    s.raw().pragma_update(None, "max_page_count", 1_000_000).unwrap();
    append_all(&mut s, &big).unwrap();
    assert_eq!(s.last_id().unwrap(), 199, "the store works again once there is room");
}

#[test]
fn pruning_drops_whole_days_only() {
    let mut s = Store::open_in_memory().unwrap();
    let log = vec![ev(1, 21, EventBody::DayStarted), issued(2, 21), ev(3, 22, EventBody::DayStarted), issued(4, 22)];
    append_all(&mut s, &log).unwrap();
    assert_eq!(s.prune_before(day(22)).unwrap(), 2);
    assert_eq!(s.first_id().unwrap(), Some(3));
    assert_eq!(s.prune_before(day(30)).unwrap(), 0, "today is never pruned");
}

#[test]
fn an_unreadable_event_is_named_by_id() {
    let mut s = Store::open_in_memory().unwrap();
    append_all(&mut s, &[ev(1, 23, EventBody::DayStarted)]).unwrap();
    s.raw().execute("UPDATE events SET body = '{\"type\":\"teleported\"}' WHERE id = 1", []).unwrap();
    let err = s.events_after(0, 10).unwrap_err();
    assert!(matches!(err, StoreError::BadEvent { id: 1, .. }), "{err}");
}

/// Requirement: the store finds a dossier's evaluation by its code across days (the engine
/// replays only a week), through the partial index rather than a scan of the whole log, and a
/// dossier never evaluated is none.
#[test]
fn a_dossier_evaluation_is_found_by_its_code_through_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("q.db")).unwrap();
    let code = "000.00.06.H56-231027-0361";
    let scores = crate::dossier::evaluation::Scores::new(&[2; 9]).unwrap();
    let evaluated = ev(3, 22, EventBody::DossierEvaluated { dossier: code.into(), scores, device: None });
    append_all(&mut s, &[ev(1, 22, EventBody::DayStarted), issued(2, 22), evaluated.clone(), ev(4, 23, EventBody::DayStarted)]).unwrap();
    assert_eq!(s.evaluated_at(code).unwrap(), Some(evaluated.at));
    assert_eq!(s.evaluated_at("000.00.06.H56-231027-0362").unwrap(), None);
    let plan: Vec<String> = s
        .raw()
        .prepare(&format!("EXPLAIN QUERY PLAN {EVALUATED_AT}"))
        .unwrap()
        .query_map([code], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(plan.iter().any(|p| p.contains("events_evaluated")), "{plan:?}");
}
