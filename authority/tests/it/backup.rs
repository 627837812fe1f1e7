//! `GET /api/v1/admin/backup` while the queue serves, and the copy restored on another store.
use shared::client::ClientError;
use shared::store::Store;
use shared::wire::ErrorCode;
use testkit::*;

/// Proves a backup taken while tickets are being issued is a whole prefix of the log (no
/// event missing before its last one), and that restored on ANOTHER centre's store (with a
/// history of its own) numbering goes on: ticket numbers after the copy's last, event ids
/// above every id either store used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_on_another_store_and_numbering_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    for _ in 0..20 {
        s.client(KIOSK).issue("civil", None).await.unwrap();
    }
    let kiosk = s.client(KIOSK);
    let issuing = tokio::spawn(async move {
        for _ in 0..200 {
            kiosk.issue("civil", None).await.unwrap();
        }
    });
    let out = dir.path().join("copy.db");
    let saved = s.client(ADMIN).backup(&out).await.unwrap();
    issuing.await.unwrap();
    assert!(saved.last_id > 20, "the copy holds what was committed: {saved:?}");
    assert_eq!(saved.bytes, std::fs::metadata(&out).unwrap().len());
    let held = {
        let copy = Store::open(&out).unwrap();
        let events = copy.events_after(0, 10_000).unwrap();
        let ids: Vec<u64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids, (1..=saved.last_id).collect::<Vec<_>>(), "a whole prefix of the log");
        events.len()
    };
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains(".backup-")), "no copy left beside the store: {leftovers:?}");
    let at = s.clock.now_secs();
    s.stop().await;

    // Another store, which used more ids than the copy holds.
    let other = dir.path().join("other.db");
    let o = TestServer::start(&other).await;
    for _ in 0..300 {
        o.client(KIOSK).issue("land", None).await.ok();
        o.client(KIOSK).issue("civil", None).await.unwrap();
    }
    let other_last = o.client(DISPLAY).state().await.unwrap().last_event_id;
    o.stop().await;
    let restored = Store::restore(&out, &other).unwrap();
    assert_eq!(restored.last_id, saved.last_id);
    assert!(restored.floor >= other_last, "the replaced store's ids are never numbered again");

    let at = chrono::DateTime::from_timestamp(at, 0).unwrap();
    let r = TestServer::start_at(config::in_process(&other).config(), at).await;
    let state = r.client(DISPLAY).state().await.unwrap();
    let civil = state.services.iter().find(|x| x.id == "civil").unwrap();
    assert_eq!(civil.issued_today as usize, held - 1, "every ticket of the copy, nothing of the replaced store");
    let next = r.client(KIOSK).issue("civil", None).await.unwrap();
    assert_eq!(next.number, format!("A{:03}", held), "the number after the copy's last");
    let mut events = r.client(DISPLAY).events(Some(restored.last_id)).await.unwrap();
    match events.next().await {
        Some(Ok(shared::client::StreamItem::Resync)) | Some(Ok(shared::client::StreamItem::Event(_))) => {}
        other => panic!("{other:?}"),
    }
    assert!(next.id > restored.floor, "the new ticket's event id {} is above every id used ({})", next.id, restored.floor);
    r.stop().await;
}

/// Proves who may take a copy and what a store without a file answers: a kiosk's token is
/// refused, an in-memory store says why, and an existing file is never overwritten.
#[tokio::test]
async fn a_backup_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("q.db")).await;
    let out = dir.path().join("copy.db");
    let err = s.client(KIOSK).backup(&out).await.unwrap_err();
    assert!(matches!(err, ClientError::Api { status: 403, .. }), "{err:?}");
    assert!(!out.exists() && !dir.path().join("copy.db.partial").exists());
    std::fs::write(&out, b"precious").unwrap();
    let err = s.client(ADMIN).backup(&out).await.unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    s.stop().await;

    let m = TestServer::start(std::path::Path::new(":memory:")).await;
    let err = m.client(ADMIN).backup(&dir.path().join("m.db")).await.unwrap_err();
    match err {
        ClientError::Api { status: 500, code: ErrorCode::BackupFailed, message, .. } => assert!(message.contains("in memory"), "{message}"),
        other => panic!("{other:?}"),
    }
    m.stop().await;
}
