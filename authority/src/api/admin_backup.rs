//! `GET /api/v1/admin/backup`: a consistent copy of the store, taken while the queue goes on.
//!
//! The copy is `Store::backup`'s, made by the owner thread (tickets asked for meanwhile wait for
//! it and are committed right after), written beside the store, then streamed from an unlinked file: nothing is left on the disk
//! whatever happens to the download, and memory holds one chunk at a time however large the
//! store. The copy's last event id is in `X-Last-Event-Id`, so the taker can say what it holds.
use super::auth::Caller;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use shared::config::Role;
use shared::store::StoreError;
use shared::wire::{ErrorBody, ErrorCode};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Bytes read from the copy per chunk sent.
const CHUNK: usize = 256 * 1024;

fn failed(message: String) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::BackupFailed, message)
}

#[utoipa::path(
    get,
    path = "/admin/backup",
    tag = "admin",
    summary = "A consistent copy of the store",
    description = "Role admin. A SQLite database file holding every event, account, setting and audit line committed \
        when the copy began; tickets are issued and called meanwhile. `kiosk restore --from FILE` puts it in place of a \
        store (authority stopped). X-Last-Event-Id: the copy's last event.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The copy", content_type = "application/vnd.sqlite3",
            headers(("X-Last-Event-Id" = u64, description = "The last event the copy holds"))),
        (status = 500, description = "backup_failed: the disk is full, the store is in memory...", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn backup(State(app): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    caller.require(&[Role::Admin])?;
    static TAKEN: AtomicU64 = AtomicU64::new(0);
    let store = app.authority.config().store.path.clone();
    let mut name = store.clone().into_os_string();
    name.push(format!(".backup-{}-{}", std::process::id(), TAKEN.fetch_add(1, Ordering::Relaxed)));
    let tmp = std::path::PathBuf::from(name);
    let (info, file) = app
        .authority
        .with_store(move |s, _| {
            let info = s.backup(&tmp)?;
            let file = std::fs::File::open(&tmp);
            // Unlinked at once: the open file is all there is, and it goes with the download.
            let _ = std::fs::remove_file(&tmp);
            let file = file.map_err(|e| StoreError::Backup { path: tmp.clone(), what: format!("cannot read the copy back: {e}") })?;
            Ok((info, file))
        })
        .await
        .map_err(|e| failed(e.to_string()))?;
    tracing::info!("backup taken by {}: {} bytes, up to event {}", caller.name, info.bytes, info.last_id);
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(2);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        loop {
            let mut buf = vec![0u8; CHUNK];
            match file.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            }
        }
    });
    let mut res = Response::new(Body::from_stream(ReceiverStream::new(rx)));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.sqlite3"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(info.bytes));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-last-event-id", HeaderValue::from(info.last_id));
    let filename = format!("attachment; filename=\"motcua-{}.db\"", app.authority.now().format("%Y%m%d-%H%M%S"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&filename).expect("an ASCII file name"));
    Ok(res)
}
