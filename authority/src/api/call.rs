//! `POST /api/v1/counters/{counter}/call`: call a given ticket (a waiting one out of turn, or a
//! no-show who came back within the grace period), by id or by number.
use super::auth::{Caller, IdempotencyKey};
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::domain::{Command, TicketRef};
use shared::wire::CallRequest;

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
