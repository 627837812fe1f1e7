//! `GET /healthz`: up, and the store answers.
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use shared::event::EventId;
use shared::wire::ErrorBody;

/// Up, and where the log stands. Fields in the order the answer always had.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// The service day in force.
    day: NaiveDate,
    last_event_id: EventId,
    /// Always "ok".
    #[schema(example = "ok")]
    status: &'static str,
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    summary = "Liveness and store check",
    security(()),
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "The authority is stopping, or its store does not answer", body = ErrorBody),
    )
)]
pub async fn healthz(State(app): State<AppState>) -> Result<Json<Health>, ApiError> {
    let s = app.authority.state().await?;
    Ok(Json(Health { day: s.day, last_event_id: s.last_event_id, status: "ok" }))
}
