//! `GET /healthz`: up, the store answers, and it takes writes. A store whose disk is full still
//! answers reads, but every ticket is refused: a watchdog or the hall's monitoring must see
//! that as down, not as ok.
use super::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use shared::event::EventId;
use shared::wire::ErrorBody;
use shared::wire::ErrorCode;

/// Up, and where the log stands. Fields in the order the answer always had.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// The service day in force.
    day: NaiveDate,
    last_event_id: EventId,
    /// Always "ok".
    #[schema(example = "ok")]
    status: &'static str,
    /// Seconds the system clock is behind the queue's log, while it is (the queue keeps the
    /// log's time meanwhile: numbers and days stay right, but NTP should be looked at).
    #[serde(skip_serializing_if = "Option::is_none")]
    clock_behind_s: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    summary = "Liveness and store check",
    security(()),
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "stopping, storage_unavailable: the authority is stopping, or its store does not answer; \
            storage_full: the last write failed for a full disk (or `[store] max_kib`) and none has succeeded since", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds before asking again (storage_full)"))),
    )
)]
pub async fn healthz(State(app): State<AppState>) -> Result<Json<Health>, ApiError> {
    let s = app.authority.state().await?;
    if app.authority.storage_full() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageFull,
            "the store's disk is full: nothing can be recorded until room is made",
        )
        .retry_after(60));
    }
    let clock_behind_s = s.clock.map(|c| c.behind_s);
    Ok(Json(Health { day: s.day, last_event_id: s.last_event_id, status: "ok", clock_behind_s }))
}
