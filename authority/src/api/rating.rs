//! `POST /api/v1/tickets/{ticket}/rating` `{"rating": "very_satisfied" | "satisfied" |
//! "unsatisfied"}`: the counter's rating device records the citizen's satisfaction with a visit
//! that has just ended (once per visit, within `[queue] rating_window_min` of its end). A device
//! or person limited to some counters may rate only visits that ended there.
use super::auth::{Caller, IdempotencyKey};
use super::body::Body;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::config::Role;
use shared::domain::{Command, TicketRef};
use shared::event::Rating;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    rating: Rating,
}

#[derive(Serialize)]
pub struct RatingAnswer {
    ticket: u64,
    number: String,
    rating: Rating,
    counter: Option<String>,
}

pub async fn rate(
    State(app): State<AppState>,
    Path(ticket): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<RatingRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Counter])?;
    let cmd = Command::Rate { ticket: TicketRef::parse(&ticket), rating: req.rating, only_at: caller.counters().to_vec() };
    let done = app.authority.execute(cmd, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the rating named no ticket"))?;
    let answer = RatingAnswer { ticket: t.id, number: t.number, rating: req.rating, counter: t.counter };
    Ok((if done.replayed { StatusCode::OK } else { StatusCode::CREATED }, Json(answer)).into_response())
}
