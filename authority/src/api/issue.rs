//! `POST /api/v1/tickets`: take a number.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::Command;
use shared::wire::{ErrorBody, IssueRequest, TicketView};

#[utoipa::path(
    post,
    path = "/tickets",
    tag = "tickets",
    summary = "Take a number",
    description = "Roles kiosk, counter (and admin). Refused outside opening hours (service_closed), past the daily cap \
        (daily_cap_reached).",
    security(("bearer" = []), ("session" = [])),
    params(IdempotencyHeader, CsrfHeader),
    request_body = IssueRequest,
    responses(
        (status = 201, description = "The ticket, with waiting_ahead and estimated_wait_s", body = TicketView,
            headers(("Idempotent-Replayed" = String,
                description = "true when the answer is the replay of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "bad_request: malformed JSON, a bad Idempotency-Key", body = ErrorBody),
        (status = 404, description = "unknown_service, unknown_priority", body = ErrorBody),
        (status = 409, description = "service_closed, daily_cap_reached, series_exhausted", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not application/json", body = ErrorBody),
        (status = 422, description = "invalid_body, priority_not_offered", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn issue(
    State(app): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<IssueRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Kiosk, Role::Counter])?;
    let done = app.authority.execute(Command::Issue { service: req.service, priority: req.priority, key: None }, key).await?;
    let ticket = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "no ticket was issued"))?;
    Ok(super::call_next::answer(StatusCode::CREATED, ticket, done.replayed))
}
