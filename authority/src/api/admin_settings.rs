//! `GET /api/v1/admin/settings` and `PUT` `{"version", "settings"}`: the centre's settings as
//! the administrator edits them (services, counters, priority classes, queue rules, ticket text),
//! checked by the configuration file's rules and against today's tickets, applied at once.
use super::auth::Caller;
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::config::{Role, Settings};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versioned {
    /// The version read; a change is refused if another was stored meanwhile.
    version: u64,
    settings: serde_json::Value,
}

pub async fn get(State(app): State<AppState>, caller: Caller) -> Result<Json<Versioned>, ApiError> {
    caller.require(&[Role::Admin])?;
    let (version, settings) = app.authority.settings().await?;
    Ok(Json(Versioned { version, settings: serde_json::to_value(settings).expect("settings serialise") }))
}

pub async fn put(State(app): State<AppState>, caller: Caller, Body(req): Body<Versioned>) -> Result<Json<Versioned>, ApiError> {
    caller.require(&[Role::Admin])?;
    // Parsed here rather than by the body extractor, so a typo is refused with the settings'
    // own error code and message.
    let settings = Settings::from_json(&req.settings.to_string()).map_err(|e| {
        ApiError::from(crate::owner::AuthorityError::Settings(crate::owner::ReconfigureError::Invalid(e)))
    })?;
    let (version, settings) = app.authority.reconfigure(settings, req.version, &caller.actor()).await?;
    Ok(Json(Versioned { version, settings: serde_json::to_value(settings).expect("settings serialise") }))
}
