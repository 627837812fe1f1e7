//! `POST /api/v1/counters/{counter}/call-next`: end the visit in progress, call the next ticket.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::empty_ok;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::domain::Command;
use shared::wire::{ErrorBody, TicketView};

#[utoipa::path(
    post,
    path = "/counters/{counter}/call-next",
    tag = "counters",
    summary = "Call the next ticket",
    description = "Roles counter, admin (a counter token or account limited to some counters: only those). Ends the \
        visit in progress first. The ticket is chosen by the priority rules: a normal ticket past max_wait_min first, \
        else priority within priority_ratio, else by issue time. Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The ticket called", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 204, description = "Nobody waits (the visit in progress, if any, was finished)"),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "counter_paused, ...", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn call_next(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_counter(&counter)?;
    empty_ok(&body).await?;
    let done = app.authority.execute(Command::CallNext { counter }, key).await?;
    Ok(match done.ticket {
        Some(t) => answer(StatusCode::OK, t, done.replayed),
        // Nobody waits: 204, and the visit in progress (if any) has been finished.
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// A ticket answer; a repeated idempotency key is flagged so a client can tell.
pub(super) fn answer(status: StatusCode, ticket: TicketView, replayed: bool) -> Response {
    let mut res = (status, axum::Json(ticket)).into_response();
    if replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}
