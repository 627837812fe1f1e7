//! `POST /api/v1/counters/{counter}/call`: call a given ticket (a waiting one out of turn, or a
//! no-show who came back within the grace period), by id or by number.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::domain::{Command, TicketRef};
use shared::wire::{CallRequest, ErrorBody, TicketView};

#[utoipa::path(
    post,
    path = "/counters/{counter}/call",
    tag = "counters",
    summary = "Call a given ticket",
    description = "Roles counter, admin. A waiting ticket out of turn, or a no-show within the grace period; give \
        either `ticket` (an id) or `number`.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("counter" = String, Path, description = "Counter id from the configuration"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body = CallRequest,
    responses(
        (status = 200, description = "The ticket called", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: malformed JSON, a bad Idempotency-Key", body = ErrorBody),
        (status = 404, description = "unknown_counter, ticket_not_found", body = ErrorBody),
        (status = 409, description = "ticket_not_callable, counter_paused, grace_expired, not_served_here, ...", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body: neither or both of ticket and number", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn call(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<CallRequest>,
) -> Result<Response, ApiError> {
    caller.require_counter(&counter)?;
    let ticket = match (req.ticket, req.number) {
        (Some(id), None) => TicketRef::Id(id),
        (None, Some(n)) => TicketRef::Number(n),
        _ => return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", "give either \"ticket\" (an id) or \"number\"")),
    };
    let done = app.authority.execute(Command::Call { counter, ticket }, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the call named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::OK, t, done.replayed))
}
