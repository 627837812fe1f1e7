//! `GET /api/v1/admin/sign-in-gate`: what the sign-in gate has done since the server started:
//! the hashes running and the most ever at once, the sign-ins waiting and refused. The bound on
//! password hashing is read here, not guessed from timings (and an administrator sees a flood).
use super::auth::Caller;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::gate::GateStats;
use axum::extract::State;
use axum::Json;
use shared::config::Role;

#[utoipa::path(
    get,
    path = "/admin/sign-in-gate",
    tag = "admin",
    summary = "The sign-in gate's counters",
    description = "Role admin. hashing_peak never exceeds hashing_limit (`[console] hash_concurrency`).",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The counters since the server started", body = GateStats),
        SessionRefusals,
    )
)]
pub async fn stats(State(app): State<AppState>, caller: Caller) -> Result<Json<GateStats>, ApiError> {
    caller.require(&[Role::Admin])?;
    Ok(Json(app.console.gate.stats()))
}
