//! `GET /api/v1/state`: the whole live state, for any device with a token.
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::wire::{ErrorBody, StateView};

#[utoipa::path(
    get,
    path = "/state",
    tag = "live",
    summary = "The whole live state",
    description = "Any role, or anyone signed in to the console: everything a screen needs to draw itself from \
        scratch; follow /events from its last_event_id. With `[uplink]`, `uplink` says how the link to the province hub is doing.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The state", body = StateView),
        (status = 401, description = "unauthorized, session_expired", body = ErrorBody),
        (status = 503, description = "storage_unavailable, stopping", body = ErrorBody),
    )
)]
pub async fn state(State(app): State<AppState>, _caller: Caller) -> Result<Json<StateView>, ApiError> {
    let mut state = app.authority.state().await?;
    if let Some(u) = &app.uplink {
        state.uplink = Some(u.view(state.last_event_id, app.authority.uplink_dropped()));
    }
    Ok(Json(state))
}
