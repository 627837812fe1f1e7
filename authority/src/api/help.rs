//! Kiosks' calls for help (`shared::domain`'s `help.rs` holds the rules): `POST /help` from a
//! kiosk, `POST /help/withdraw` when its citizen left, `GET /help` (a kiosk: its own call;
//! staff: every open one) and `POST /help/{device}/answer` from staff on their way. The kiosk is
//! the caller's token name, so a kiosk calls and withdraws only for itself.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::{empty_ok, Body};
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::config::Role;
use shared::domain::Command;
use shared::wire::{ErrorBody, HelpRequest, HelpView};

/// The call of `device` as the state shows it after a command.
async fn view_of(app: &AppState, device: &str) -> Result<Option<HelpView>, ApiError> {
    Ok(app.authority.state().await?.helps.into_iter().find(|h| h.device == device))
}

/// A call answered so long ago that it has left the views: there is nothing open to show.
fn vanished(device: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_help_call", format!("{device} has no open call for help"))
}

#[utoipa::path(
    post,
    path = "/help",
    operation_id = "help_ask",
    tag = "help",
    summary = "Call a staff member to this kiosk",
    description = "Role kiosk (and admin). The kiosk is the caller's token name. Event help_asked; a second call while \
        one waits unanswered is the same call (no event). A kiosk calls at most once a minute.",
    security(("bearer" = []), ("session" = [])),
    params(IdempotencyHeader, CsrfHeader),
    request_body = HelpRequest,
    responses(
        (status = 200, description = "The call, open", body = HelpView),
        (status = 400, description = "bad_request: malformed JSON, a bad Idempotency-Key", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        (status = 429, description = "help_too_soon: this kiosk called less than a minute ago", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        TokenRefusals,
    )
)]
pub async fn ask(
    State(app): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<HelpRequest>,
) -> Result<Json<HelpView>, ApiError> {
    caller.require(&[Role::Kiosk])?;
    app.authority.execute(Command::AskHelp { device: caller.name.clone(), screen: req.screen }, key).await?;
    view_of(&app, &caller.name).await?.map(Json).ok_or_else(|| vanished(&caller.name))
}

#[utoipa::path(
    post,
    path = "/help/withdraw",
    operation_id = "help_withdraw",
    tag = "help",
    summary = "Withdraw this kiosk's call",
    description = "Role kiosk (and admin): the citizen left. Event help_withdrawn when a call was open; done either way. \
        Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(IdempotencyHeader, CsrfHeader),
    responses(
        (status = 204, description = "No call of this kiosk is open"),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn withdraw(
    State(app): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    caller.require(&[Role::Kiosk])?;
    empty_ok(&body).await?;
    app.authority.execute(Command::WithdrawHelp { device: caller.name.clone() }, key).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/help",
    operation_id = "help_list",
    tag = "help",
    summary = "Open calls for help",
    description = "Roles kiosk (its own call only), counter, admin (every open call, and those answered in the last \
        ten minutes), oldest first.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The calls", body = Vec<HelpView>),
        TokenRefusals,
    )
)]
pub async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Vec<HelpView>>, ApiError> {
    caller.require(&[Role::Kiosk, Role::Counter])?;
    let mut helps = app.authority.state().await?.helps;
    if caller.role == Role::Kiosk {
        helps.retain(|h| h.device == caller.name);
    }
    Ok(Json(helps))
}

#[utoipa::path(
    post,
    path = "/help/{device}/answer",
    operation_id = "help_answer",
    tag = "help",
    summary = "Say a staff member is on the way to a kiosk",
    description = "Roles counter, admin. Event help_answered with the signed-in person (or the token's name); the \
        kiosk shows that someone is coming. An answered call answered again stays as it was. Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("device" = String, Path, description = "The kiosk's token name"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The call, answered", body = HelpView),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "no_help_call: this kiosk has no open call", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn answer(
    State(app): State<AppState>,
    Path(device): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Json<HelpView>, ApiError> {
    caller.require(&[Role::Counter])?;
    empty_ok(&body).await?;
    let (staff, staff_name) = match &caller.person {
        Some(p) => (p.login.clone(), Some(p.name.clone()).filter(|n| !n.trim().is_empty())),
        None => (caller.name.clone(), None),
    };
    app.authority.execute(Command::AnswerHelp { device: device.clone(), staff, staff_name }, key).await?;
    view_of(&app, &device).await?.map(Json).ok_or_else(|| vanished(&device))
}
