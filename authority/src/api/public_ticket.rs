//! `GET /api/v1/public/tickets/{key}` and `.../events`: a ticket as its holder's phone sees it,
//! once or live. Public: the key is the only credential, and it opens that ticket alone.
//!
//! Every refusal is the same 404, whether the key is malformed, never issued or from an
//! earlier day, so the answers say nothing about other keys. The live stream sends the view
//! on connection and again whenever it changes (the owner thread's board, one lookup per
//! follower per commit), and `event: gone` when the day ends the ticket.
use super::{ApiError, AppState};
use crate::owner::Board;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::Stream;
use shared::wire::{is_public_key, ErrorBody, ErrorCode, PublicTicket};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;

/// The one refusal.
pub(crate) fn unknown() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, ErrorCode::TicketNotFound, "no ticket of today has this key")
}

/// Today's ticket with this key, or the one refusal.
pub(crate) async fn find(app: &AppState, key: &str) -> Result<PublicTicket, ApiError> {
    if !is_public_key(key) {
        return Err(unknown());
    }
    app.authority.public_ticket(key).await?.ok_or_else(unknown)
}

#[utoipa::path(
    get,
    path = "/public/tickets/{key}",
    operation_id = "public_ticket",
    tag = "public",
    summary = "A ticket, by the key its QR code carries",
    description = "Public. Number, service, status, people ahead and the estimated wait, the counter when called. \
        Today's tickets only: a key from an earlier day, a key never issued and a malformed key are all the same 404.",
    security(()),
    params(("key" = String, Path, description = "The ticket's public key (16 characters)", example = "Zq3xT0b9LmWk2RcA")),
    responses(
        (status = 200, description = "The ticket", body = PublicTicket),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 503, description = "storage_unavailable, stopping", body = ErrorBody),
    )
)]
pub async fn ticket(State(app): State<AppState>, Path(key): Path<String>) -> Result<Response, ApiError> {
    let view = find(&app, &key).await?;
    let mut res = Json(view).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

#[utoipa::path(
    get,
    path = "/public/tickets/{key}/events",
    operation_id = "public_ticket_events",
    tag = "public",
    summary = "A ticket, live (Server-Sent Events)",
    description = "Public. `event: ticket` with the ticket's view (a PublicTicket) on connection and whenever it \
        changes; `event: gone` when the service day ends and the ticket with it (the stream then closes). A comment \
        line keeps the connection alive every 15 s. The same 404 as the single read for any key that finds nothing.",
    security(()),
    params(("key" = String, Path, description = "The ticket's public key", example = "Zq3xT0b9LmWk2RcA")),
    responses(
        (status = 200, description = "The stream: each `data:` of `event: ticket` is one PublicTicket", body = PublicTicket,
            content_type = "text/event-stream"),
        (status = 404, description = "ticket_not_found", body = ErrorBody),
        (status = 503, description = "storage_unavailable, stopping", body = ErrorBody),
    )
)]
pub async fn events(
    State(app): State<AppState>,
    Path(key): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    // Subscribe before the first read, so no change falls between the two.
    let board = app.authority.follow_board();
    let first = find(&app, &key).await?;
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(follow(key, first, board, app.stopping.clone(), tx));
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn ticket_event(view: &PublicTicket) -> SseEvent {
    SseEvent::default().event("ticket").data(serde_json::to_string(view).expect("views always serialise"))
}

/// Sends the first view, then each changed one, until the ticket is gone, the phone leaves or
/// the server stops.
async fn follow(
    key: String,
    first: PublicTicket,
    mut board: watch::Receiver<Arc<Board>>,
    mut stopping: watch::Receiver<bool>,
    tx: mpsc::Sender<Result<SseEvent, Infallible>>,
) {
    if tx.send(Ok(ticket_event(&first))).await.is_err() {
        return;
    }
    let mut last = first;
    loop {
        tokio::select! {
            changed = board.changed() => {
                if changed.is_err() {
                    return;
                }
                let now = board.borrow_and_update().clone();
                match now.tickets.get(&key) {
                    // Only the time moved: nothing to tell the phone.
                    Some(v) if shared::province::same_view(v, &last) => {}
                    Some(v) => {
                        if tx.send(Ok(ticket_event(v))).await.is_err() {
                            return;
                        }
                        last = v.clone();
                    }
                    None => {
                        let _ = tx.send(Ok(SseEvent::default().event("gone").data("{}"))).await;
                        return;
                    }
                }
            }
            _ = stopping.changed() => return,
            _ = tx.closed() => return,
        }
    }
}
