//! `GET /api/v1/state`: the whole live state, for any device with a token.
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::wire::StateView;

pub async fn state(State(app): State<AppState>, _caller: Caller) -> Result<Json<StateView>, ApiError> {
    Ok(Json(app.authority.state().await?))
}
