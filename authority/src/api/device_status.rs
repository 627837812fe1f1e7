//! `POST /api/v1/devices/status`: a device reports its own health (a kiosk's printer out of
//! paper, say); staff see it in the state and the event stream. The device is the caller's token
//! name, so a device can speak only for itself.
use super::auth::{Caller, CsrfHeader};
use super::body::Body;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use shared::config::Role;
use shared::domain::Command;
use shared::wire::{DeviceAnswer, DeviceReport, ErrorBody};

#[utoipa::path(
    post,
    path = "/devices/status",
    operation_id = "device_status",
    tag = "devices",
    summary = "Report this device's health",
    description = "Roles kiosk, display, counter (and admin). The device is the caller's token name. Only changes are \
        recorded (event device_reported); staff see the health in /state devices[].",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body = DeviceReport,
    responses(
        (status = 200, description = "Recorded", body = DeviceAnswer),
        (status = 400, description = "bad_request: malformed JSON, problem longer than 40 or message longer than 300 characters",
            body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn report(State(app): State<AppState>, caller: Caller, Body(req): Body<DeviceReport>) -> Result<Json<DeviceAnswer>, ApiError> {
    caller.require(&[Role::Kiosk, Role::Display, Role::Counter])?;
    let too_long = |s: &Option<String>, n: usize| s.as_ref().is_some_and(|s| s.chars().count() > n);
    if too_long(&req.problem, 40) || too_long(&req.message, 300) {
        return Err(ApiError::bad_request("problem is at most 40 characters, message at most 300"));
    }
    let cmd = Command::ReportDevice { device: caller.name.clone(), problem: req.problem.clone(), message: req.message };
    app.authority.execute(cmd, None).await?;
    Ok(Json(DeviceAnswer { ok: req.problem.is_none(), device: caller.name }))
}
