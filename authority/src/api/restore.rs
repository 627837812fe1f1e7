//! `POST /api/v1/tickets/{ticket}/restore`: a no-show who came back within the grace period
//! waits again in the old place. `{ticket}` is the id or the number ("A012").
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::empty_ok;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::{Command, TicketRef};
use shared::wire::{ErrorBody, TicketView};

#[utoipa::path(
    post,
    path = "/tickets/{ticket}/restore",
    tag = "tickets",
    summary = "Bring a no-show back within the grace period",
    description = "Role counter (and admin). The ticket waits again in its old place. A counter token or account \
        limited to some counters restores only tickets of those counters (marked no-show there, or of a service they serve). \
        Takes no body (or `{}`).",
    security(("bearer" = []), ("session" = [])),
    params(
        ("ticket" = String, Path, description = "The ticket's id, or its number of today (A012)", example = "A012"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    responses(
        (status = 200, description = "The ticket, waiting again", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: a bad Idempotency-Key, a body that is not UTF-8", body = ErrorBody),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 409, description = "ticket_not_callable, grace_expired", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn restore(
    State(app): State<AppState>,
    Path(ticket): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Counter])?;
    empty_ok(&body).await?;
    let r = TicketRef::parse(&ticket);
    let only_at = caller.counters().to_vec();
    let done = app.authority.execute(Command::Restore { ticket: r, only_at }, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the restore named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::OK, t, done.replayed))
}
