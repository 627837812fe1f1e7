//! `POST /api/v1/counters/{counter}/call-next`: end the visit in progress, call the next ticket.
use super::auth::{Caller, IdempotencyKey};
use super::body::empty_ok;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::domain::Command;
use shared::wire::TicketView;

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
