//! `POST /api/v1/bookings/check-in`: a number booked on the province hub becomes today's
//! ticket at the kiosk (`shared::domain::check_in` decides; the booking is the one the uplink
//! pulled into the store).
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::TokenRefusals;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use shared::config::Role;
use shared::domain::Command;
use shared::province::booking::{normalize_code, parse_qr};
use shared::wire::{CheckInRequest, ErrorBody, ErrorCode, TicketView};

#[utoipa::path(
    post,
    path = "/bookings/check-in",
    tag = "tickets",
    summary = "Check in a number booked ahead",
    description = "Roles kiosk, counter (and admin). The code as typed or the QR code's text as scanned. The ticket \
        ranks by its window's opening, or as a walk-in (`[queue] booked_rank`). Each refusal says why: a code this \
        centre does not hold (booking_not_found), a QR code made for another centre (booking_other_centre), \
        another day's booking (booking_other_day), too early (booking_too_early, with the time it opens), too late \
        (booking_too_late), checked in already (booking_used).",
    security(("bearer" = []), ("session" = [])),
    params(IdempotencyHeader, CsrfHeader),
    request_body = CheckInRequest,
    responses(
        (status = 201, description = "The ticket, with waiting_ahead and estimated_wait_s", body = TicketView),
        (status = 400, description = "bad_request: malformed JSON, a bad Idempotency-Key", body = ErrorBody),
        (status = 404, description = "booking_not_found, unknown_service", body = ErrorBody),
        (status = 409, description = "booking_other_centre, booking_other_day, booking_too_early, booking_too_late, \
            booking_used, series_exhausted", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type: the body is not application/json", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        TokenRefusals,
    )
)]
pub async fn check_in(
    State(app): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<CheckInRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Kiosk, Role::Counter])?;
    let code = match parse_qr(&req.code) {
        Some((centre, code)) => {
            let here = app.authority.config().uplink.as_ref().map(|u| u.centre.clone());
            if here.is_some_and(|here| here != centre) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::BookingOtherCentre,
                    format!("this booking was made for centre {centre}, not this one"),
                ));
            }
            code
        }
        None => normalize_code(&req.code).ok_or_else(|| {
            ApiError::new(StatusCode::NOT_FOUND, ErrorCode::BookingNotFound, "this is not a booking code (8 letters and digits)")
        })?,
    };
    let done = app.authority.execute(Command::CheckIn { code, booking: None, key: None }, key).await?;
    let ticket = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "no ticket was issued"))?;
    Ok(super::call_next::answer(StatusCode::CREATED, ticket, done.replayed))
}
