//! `POST /api/v1/tickets`: take a number.
use super::auth::{Caller, IdempotencyKey};
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::Command;
use shared::wire::IssueRequest;

pub async fn issue(
    State(app): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<IssueRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Kiosk, Role::Counter])?;
    let done = app.authority.execute(Command::Issue { service: req.service, priority: req.priority }, key).await?;
    let ticket = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "no ticket was issued"))?;
    Ok(super::call_next::answer(StatusCode::CREATED, ticket, done.replayed))
}

