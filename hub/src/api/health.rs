//! `GET /healthz`: 200 when the database answers, 503 otherwise (a load balancer takes the
//! process out of rotation while its database is away).
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz(State(app): State<AppState>) -> Result<Json<Value>, ApiError> {
    let client = app.pool.get().await?;
    client.query_one("SELECT 1", &[]).await?;
    Ok(Json(json!({"status": "ok"})))
}
