//! `GET /api/v1/settings`: the centre's settings in force (services, counters, priority classes,
//! queue rules, the ticket's words) for any device with a token: a kiosk lays its tickets out
//! with them, so that the administrator's changes reach the paper without a restart. Nothing
//! secret is in them; changing them is the administrator's (`PUT /api/v1/admin/settings`).
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::wire::{ErrorBody, SettingsView};

#[utoipa::path(
    get,
    path = "/settings",
    operation_id = "settings_get",
    tag = "live",
    summary = "The centre's settings in force, read-only",
    description = "For any device with a token: a kiosk lays its tickets out with them (centre name, service names, \
        QR address, footer), refetching on `settings_changed`.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The settings and their version", body = SettingsView),
        (status = 401, description = "unauthorized, session_expired", body = ErrorBody),
        (status = 503, description = "storage_unavailable, stopping", body = ErrorBody),
    )
)]
pub async fn get(State(app): State<AppState>, _caller: Caller) -> Result<Json<SettingsView>, ApiError> {
    let (version, settings) = app.authority.settings().await?;
    Ok(Json(SettingsView { version, settings }))
}
