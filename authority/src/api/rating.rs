//! `POST /api/v1/tickets/{ticket}/rating` `{"rating": "very_satisfied" | "satisfied" |
//! "unsatisfied"}`: the counter's rating device records the citizen's satisfaction with a visit
//! that has just ended (once per visit, within `[queue] rating_window_min` of its end). A device
//! or person limited to some counters may rate only visits that ended there.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::config::Role;
use shared::domain::{Command, TicketRef};
use shared::event::Rating;
use shared::wire::ErrorBody;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    rating: Rating,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingAnswer {
    ticket: u64,
    number: String,
    rating: Rating,
    counter: Option<String>,
}

#[utoipa::path(
    post,
    path = "/tickets/{ticket}/rating",
    tag = "console",
    summary = "The citizen rates a visit that has just ended",
    description = "Role counter (and admin). Once per visit, within `[queue] rating_window_min` minutes of its end; a \
        device or account limited to some counters rates only visits that ended there.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("ticket" = String, Path, description = "The ticket's id, or its number of today (A012)", example = "A012"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body = RatingRequest,
    responses(
        (status = 201, description = "Recorded", body = RatingAnswer),
        (status = 200, description = "The replay of a request with the same Idempotency-Key", body = RatingAnswer),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 409, description = "already_rated, rating_closed, not_finished, not_served_here", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        SessionRefusals,
    )
)]
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
