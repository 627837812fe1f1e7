//! `GET /api/v1/admin/settings` and `PUT` `{"version", "settings"}`: the centre's settings as
//! the administrator edits them (services, counters, priority classes, queue rules, ticket text),
//! checked by the configuration file's rules and against today's tickets, applied at once.
use super::auth::{Caller, CsrfHeader};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::config::{Role, Settings};
use shared::wire::ErrorBody;

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Versioned {
    /// The version read; a change is refused if another was stored meanwhile.
    version: u64,
    #[schema(value_type = Settings)]
    settings: serde_json::Value,
}

#[utoipa::path(
    get,
    path = "/admin/settings",
    operation_id = "admin_settings_get",
    tag = "admin",
    summary = "The settings the administrator edits, with their version",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The settings", body = Versioned),
        SessionRefusals,
    )
)]
pub async fn get(State(app): State<AppState>, caller: Caller) -> Result<Json<Versioned>, ApiError> {
    caller.require(&[Role::Admin])?;
    let (version, settings) = app.authority.settings().await?;
    Ok(Json(Versioned { version, settings: serde_json::to_value(settings).expect("settings serialise") }))
}

#[utoipa::path(
    put,
    path = "/admin/settings",
    operation_id = "admin_settings_put",
    tag = "admin",
    summary = "Store and apply new settings at once",
    description = "Role admin. `version` must be the one read (else 409 version_conflict). Checked by the configuration \
        file's rules (422 invalid_settings with `problems`) and against today's tickets (409 in_use). A \
        `settings_changed` event follows.",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body = Versioned,
    responses(
        (status = 200, description = "Stored and in force, with the new version", body = Versioned),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 409, description = "version_conflict, in_use", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body, invalid_settings (with problems)", body = ErrorBody),
        (status = 500, description = "settings_unreadable", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn put(State(app): State<AppState>, caller: Caller, Body(req): Body<Versioned>) -> Result<Json<Versioned>, ApiError> {
    caller.require(&[Role::Admin])?;
    // Parsed here rather than by the body extractor, so a typo is refused with the settings'
    // own error code and message.
    let settings = Settings::from_json(&req.settings.to_string())
        .map_err(|e| ApiError::from(crate::owner::AuthorityError::Settings(crate::owner::ReconfigureError::Invalid(e))))?;
    let (version, settings) = app.authority.reconfigure(settings, req.version, &caller.actor()).await?;
    Ok(Json(Versioned { version, settings: serde_json::to_value(settings).expect("settings serialise") }))
}
