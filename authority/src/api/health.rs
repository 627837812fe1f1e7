//! `GET /healthz`: up, and the store answers.
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;

pub async fn healthz(State(app): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let s = app.authority.state().await?;
    Ok(Json(serde_json::json!({ "status": "ok", "day": s.day, "last_event_id": s.last_event_id })))
}
