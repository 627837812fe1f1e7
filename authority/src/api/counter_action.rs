//! The counter buttons that take no arguments: recall, no-show, finish, pause, resume.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::empty_ok;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::domain::Command;
use shared::wire::{ErrorBody, TicketView};

/// A counter paused or resumed.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PauseAnswer {
    counter: String,
    paused: bool,
}

/// Runs one button's command; the answer is the ticket it touched, or the counter's pause state.
async fn press(
    app: AppState,
    counter: String,
    caller: Caller,
    key: Option<String>,
    body: Bytes,
    make: fn(String) -> Command,
) -> Result<Response, ApiError> {
    caller.require_counter(&counter)?;
    empty_ok(&body).await?;
    let cmd = make(counter.clone());
    let pause = match &cmd {
        Command::Pause { .. } => Some(true),
        Command::Resume { .. } => Some(false),
        _ => None,
    };
    let done = app.authority.execute(cmd, key).await?;
    Ok(match (pause, done.ticket) {
        (Some(paused), _) => axum::Json(PauseAnswer { counter, paused }).into_response(),
        (None, Some(t)) => super::call_next::answer(StatusCode::OK, t, done.replayed),
        (None, None) => StatusCode::NO_CONTENT.into_response(),
    })
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/recall",
    tag = "counters",
    summary = "Call the current ticket again",
    description = "Roles counter, admin (a counter token or account limited to some counters: only those). Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The ticket called again", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "no_current_ticket", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn recall(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    press(app, counter, caller, key, body, |counter| Command::Recall { counter }).await
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/no-show",
    tag = "counters",
    summary = "Mark the current ticket absent",
    description = "It can be brought back within no_show_grace_min. Roles counter, admin (a counter token or account limited to some counters: only those). Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The ticket, now a no-show", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "no_current_ticket", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn no_show(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    press(app, counter, caller, key, body, |counter| Command::NoShow { counter }).await
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/finish",
    tag = "counters",
    summary = "Finish the current visit",
    description = "Roles counter, admin (a counter token or account limited to some counters: only those). Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The ticket, done", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "no_current_ticket", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn finish(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    press(app, counter, caller, key, body, |counter| Command::Finish { counter }).await
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/pause",
    tag = "counters",
    summary = "Pause a counter",
    description = "It calls nobody until resumed. Roles counter, admin (a counter token or account limited to some counters: only those). Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The counter's pause state", body = PauseAnswer),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "...", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn pause(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    press(app, counter, caller, key, body, |counter| Command::Pause { counter }).await
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/resume",
    tag = "counters",
    summary = "Resume a counter",
    description = "Roles counter, admin (a counter token or account limited to some counters: only those). Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The counter's pause state", body = PauseAnswer),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "...", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn resume(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    press(app, counter, caller, key, body, |counter| Command::Resume { counter }).await
}
