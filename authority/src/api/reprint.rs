//! `POST /api/v1/tickets/{ticket}/reprint` `{"device"?}`: staff ask for a ticket of today to be
//! printed again; the kiosk holding the printer (the one named, or any) prints it. 202: the
//! request is recorded; printing happens at the kiosk.
use super::auth::{Caller, IdempotencyKey};
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::{Command, TicketRef};

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReprintRequest {
    #[serde(default)]
    device: Option<String>,
}

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
    let done = app.authority.execute(Command::Reprint { ticket: r, device: req.device }, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the reprint named no ticket"))?;
    Ok(super::call_next::answer(StatusCode::ACCEPTED, t, done.replayed))
}
