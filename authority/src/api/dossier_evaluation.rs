//! `POST /api/v1/dossiers/{code}/evaluation` `{"scores": [2, 2, 1, 2, 2, 2, 2, 2, 2]}`: a
//! citizen's evaluation of a finished dossier on the province's nine criteria (2, 1 or 0 points
//! each, at most 18), given at a kiosk or the results board by its receipt code. Once per
//! dossier, whatever day and device. The kiosk and the board offer the form only for a dossier
//! their lookup reports finished: that is the one-stop system's fact, not the queue's.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::config::Role;
use shared::domain::Command;
use shared::dossier::evaluation::MAX_POINTS;
use shared::dossier::ReceiptCode;
use shared::wire::{ErrorBody, Evaluation, EvaluationRequest};

#[utoipa::path(
    post,
    path = "/dossiers/{code}/evaluation",
    tag = "dossiers",
    summary = "The citizen evaluates a finished dossier on the nine criteria",
    description = "Role kiosk, display or counter (and admin). Nine scores of 2, 1 or 0 in the order of the criteria: total \
        time against the legal limit, each agency's time, times the citizen came back, agencies contacted, submitted and \
        collected at the one-stop counter, the procedure published, the staff's attitude, feedback handled, overall. Once \
        per dossier.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("code" = String, Path, description = "The dossier's receipt code (case and spaces do not matter)", example = "000.00.06.H56-231027-0361"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body = EvaluationRequest,
    responses(
        (status = 201, description = "Recorded", body = Evaluation),
        (status = 200, description = "The replay of a request with the same Idempotency-Key", body = Evaluation),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 409, description = "already_evaluated", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body (not nine scores of 2, 1 or 0), bad_receipt_code", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn evaluate(
    State(app): State<AppState>,
    Path(code): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<EvaluationRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Kiosk, Role::Display, Role::Counter])?;
    // A device names itself; a person at the console is not a device.
    let device = caller.person.is_none().then(|| caller.name.clone());
    let cmd = Command::EvaluateDossier { dossier: code.clone(), scores: req.scores, device, stored_at: None };
    let done = app.authority.execute(cmd, key).await?;
    // The engine accepted the code, so it parses; stored as it reads it (trimmed, upper case).
    let dossier = ReceiptCode::as_stored(code);
    let answer = Evaluation { dossier, scores: req.scores, points: req.scores.points(), max_points: MAX_POINTS };
    Ok((if done.replayed { StatusCode::OK } else { StatusCode::CREATED }, Json(answer)).into_response())
}
