//! `POST /api/v1/tickets/{ticket}/restore`: a no-show who came back within the grace period
//! waits again in the old place. `{ticket}` is the id or the number ("A012").
use super::auth::{Caller, IdempotencyKey};
use super::body::empty_ok;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::{Command, TicketRef};

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
    let done = app.authority.execute(Command::Restore { ticket: r }, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the restore named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::OK, t, done.replayed))
}
