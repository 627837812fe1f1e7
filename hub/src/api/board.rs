//! `PUT /api/v1/centres/{centre}/tickets` (the centre's bearer token) → 204: the views of the
//! centre's tickets that changed, for the phone pages (`shared::province::TicketBoard`).
//! Idempotent: the same push again sets the same views. A bad body is refused whole.
use super::auth::CentreCaller;
use super::error::rejection;
use super::{ApiError, AppState};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::province::{TicketBoard, MAX_BOARD_TICKETS};
use shared::wire::is_public_key;

pub async fn put(
    State(app): State<AppState>,
    Path(centre): Path<String>,
    caller: CentreCaller,
    body: Result<Json<TicketBoard>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(&centre)?;
    let Json(board) = body.map_err(|e| rejection(e.status(), e.body_text()))?;
    if board.tickets.len() > MAX_BOARD_TICKETS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("{} tickets in one push; at most {MAX_BOARD_TICKETS}", board.tickets.len()),
        ));
    }
    // Pages find tickets by these keys: anything else could never be asked for, or could be
    // taken for another centre's path.
    if let Some(k) = board.tickets.keys().find(|k| !is_public_key(k)) {
        return Err(ApiError::bad_request(format!("{k:?} is not a ticket's public key (16 letters, digits, - or _)")));
    }
    let name = app.config.centre_name(&centre).unwrap_or(&centre);
    let near = app.config.notify.as_ref().map(|_| crate::near::Context {
        centre_name: name,
        now: (app.clock)(),
        today: super::public_ticket::today(&app),
        offset: app.config.province.offset(),
    });
    crate::board::put(&app.pool, &centre, &board, near.as_ref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
