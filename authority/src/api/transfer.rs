//! `POST /api/v1/counters/{counter}/transfer`: send the current ticket to another service and/or
//! counter; it keeps its place by issue time.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::domain::Command;
use shared::wire::{ErrorBody, TicketView, TransferRequest};

#[utoipa::path(
    post,
    path = "/counters/{counter}/transfer",
    tag = "counters",
    summary = "Send the current ticket to another service or counter",
    description = "Roles counter, admin. It keeps its place by issue time.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body = TransferRequest,
    responses(
        (status = 200, description = "The ticket, waiting again", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: malformed JSON, a bad Idempotency-Key", body = ErrorBody),
        (status = 404, description = "unknown_counter, unknown_service", body = ErrorBody),
        (status = 409, description = "no_current_ticket, ...", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body, empty_transfer (neither service nor counter)", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn transfer(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<TransferRequest>,
) -> Result<Response, ApiError> {
    caller.require_counter(&counter)?;
    let cmd = Command::Transfer { counter, service: req.service, to_counter: req.counter };
    let done = app.authority.execute(cmd, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the transfer named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::OK, t, done.replayed))
}
