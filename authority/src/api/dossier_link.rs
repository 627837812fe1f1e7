//! `POST /api/v1/tickets/{ticket}/dossier` `{"dossier": "000.00.06.H56-231027-0361"}`: the officer
//! links the visit they serve (or have just served) to the dossier they received, by its receipt
//! code typed or scanned. The visit's rating then counts for that dossier, as the province counts
//! them (one dossier, one visit: a code already linked to another visit is refused). A caller
//! limited to some counters links only visits called there.
use super::auth::{Caller, CsrfHeader, IdempotencyHeader, IdempotencyKey};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::config::Role;
use shared::domain::{Command, TicketRef};
use shared::dossier::ReceiptCode;
use shared::wire::{DossierLink, DossierLinkRequest, ErrorBody};

#[utoipa::path(
    post,
    path = "/tickets/{ticket}/dossier",
    tag = "console",
    summary = "The visit became a dossier: link its receipt code",
    description = "Role counter (and admin). The ticket must have been called, and not have ended more than \
        `[queue] rating_window_min` minutes ago. Linking the same ticket again with another code corrects it; the same \
        code again changes nothing.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("ticket" = String, Path, description = "The ticket's id, or its number of today (A012)", example = "A012"),
        IdempotencyHeader,
        CsrfHeader,
    ),
    request_body = DossierLinkRequest,
    responses(
        (status = 201, description = "Linked (or already linked to this code)", body = DossierLink),
        (status = 200, description = "The replay of a request with the same Idempotency-Key", body = DossierLink),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 409, description = "not_served, link_closed, dossier_taken, not_served_here", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body, bad_receipt_code", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn link(
    State(app): State<AppState>,
    Path(ticket): Path<String>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Body(req): Body<DossierLinkRequest>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Counter])?;
    let cmd = Command::LinkDossier { ticket: TicketRef::parse(&ticket), dossier: req.dossier.clone(), only_at: caller.counters().to_vec() };
    let done = app.authority.execute(cmd, key).await?;
    let t = done.ticket.ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the link named no ticket"))?;
    // The engine stored the code as it reads it (trimmed, upper case): answer the same.
    let dossier = ReceiptCode::as_stored(req.dossier);
    let status = if done.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(DossierLink { ticket: t.id, number: t.number, dossier })).into_response())
}
