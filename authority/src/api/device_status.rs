//! `POST /api/v1/devices/status`: a device reports its own health (a kiosk's printer out of
//! paper, say); staff see it in the state and the event stream. The device is the caller's token
//! name, so a device can speak only for itself.
use super::auth::Caller;
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::config::Role;
use shared::domain::Command;
use shared::wire::DeviceReport;

pub async fn report(State(app): State<AppState>, caller: Caller, Body(req): Body<DeviceReport>) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Kiosk, Role::Display, Role::Counter])?;
    let too_long = |s: &Option<String>, n: usize| s.as_ref().is_some_and(|s| s.chars().count() > n);
    if too_long(&req.problem, 40) || too_long(&req.message, 300) {
        return Err(ApiError::bad_request("problem is at most 40 characters, message at most 300"));
    }
    let cmd = Command::ReportDevice { device: caller.name.clone(), problem: req.problem.clone(), message: req.message };
    app.authority.execute(cmd, None).await?;
    Ok(Json(serde_json::json!({ "device": caller.name, "ok": req.problem.is_none() })))
}
