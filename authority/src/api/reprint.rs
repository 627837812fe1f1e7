//! `POST /api/v1/tickets/{ticket}/reprint` `{"device"?}`: staff ask for a ticket of today to be
//! printed again; the kiosk holding the printer (the one named, or any) prints it. 202: the
//! request is recorded; printing happens at the kiosk. Each reprint is paper: a caller limited to
//! some counters reprints only their tickets, only live ones, and within `[console]`'s limits
//! (decided by the engine from the log, so a restart does not reset them).
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::{Command, TicketRef};
use shared::wire::{ErrorBody, TicketView};

#[derive(serde::Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ReprintRequest {
    /// The kiosk (its token name) that should print; any kiosk when absent.
    #[serde(default)]
    device: Option<String>,
}

#[utoipa::path(
    post,
    path = "/tickets/{ticket}/reprint",
    tag = "tickets",
    summary = "Ask for a ticket to be printed again",
    description = "Roles counter, admin. Event ticket_reprint_requested; the kiosk named by device (or any kiosk) \
        prints it. The body may be empty. Only a waiting or called ticket; a counter token or account limited to some \
        counters only for tickets of those counters (called or sent there, or of a service they serve). At most \
        `[console] reprints_per_ticket` per ticket a day, `reprint_interval_s` apart, and `reprints_per_day` in all.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("ticket" = String, Path, description = "The ticket's id, or its number of today (A012)", example = "A012"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body(content = Option<ReprintRequest>, description = "Which kiosk prints (any, when absent)"),
    responses(
        (status = 202, description = "Recorded (printing happens at the kiosk); the ticket", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: a bad Idempotency-Key", body = ErrorBody),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 409, description = "ticket_not_live: the ticket is served, a no-show or void", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        (status = 429, description = "reprint_too_soon: the ticket was reprinted less than reprint_interval_s ago; \
            reprint_limit_reached: reprints_per_ticket for this ticket or reprints_per_day for the centre",
            body = ErrorBody, headers(("Retry-After" = u32, description = "Seconds to wait (reprint_too_soon only)"))),
        TokenRefusals,
    )
)]
pub async fn reprint(
    State(app): State<AppState>,
    Path(ticket): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Counter])?;
    let req: ReprintRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReprintRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", e.to_string()))?
    };
    let r = TicketRef::parse(&ticket);
    let only_at = caller.counters().to_vec();
    let done = app.authority.execute(Command::Reprint { ticket: r, device: req.device, only_at }, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the reprint named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::ACCEPTED, t, done.replayed))
}
