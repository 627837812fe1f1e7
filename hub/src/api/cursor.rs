//! `GET /api/v1/centres/{centre}/cursor` (the centre's token) → `{"acked": id}`: where the
//! centre's uplink resumes after a restart of either side.
use super::auth::CentreCaller;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::Json;
use shared::province::Acked;

pub async fn cursor(State(app): State<AppState>, Path(centre): Path<String>, caller: CentreCaller) -> Result<Json<Acked>, ApiError> {
    caller.require(&centre)?;
    let client = app.pool.get().await?;
    let acked: i64 = client.query_one("SELECT acked FROM centres WHERE id = $1", &[&centre]).await?.get(0);
    Ok(Json(Acked { acked: acked as u64 }))
}
