//! `GET /api/v1/settings`: the centre's settings in force (services, counters, priority classes,
//! queue rules, the ticket's words) for any device with a token: a kiosk lays its tickets out
//! with them, so that the administrator's changes reach the paper without a restart. Nothing
//! secret is in them; changing them is the administrator's (`PUT /api/v1/admin/settings`).
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::wire::SettingsView;

pub async fn get(State(app): State<AppState>, _caller: Caller) -> Result<Json<SettingsView>, ApiError> {
    let (version, settings) = app.authority.settings().await?;
    Ok(Json(SettingsView { version, settings }))
}
