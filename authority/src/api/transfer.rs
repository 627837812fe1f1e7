//! `POST /api/v1/counters/{counter}/transfer`: send the current ticket to another service and/or
//! counter; it keeps its place by issue time.
use super::auth::{Caller, IdempotencyKey};
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::domain::Command;
use shared::wire::TransferRequest;

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
