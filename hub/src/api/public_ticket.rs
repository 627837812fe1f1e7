//! `GET /api/v1/public/centres/{centre}/tickets/{key}` and `.../events`: a centre's ticket as
//! its holder's phone sees it, from the views the centre's uplink sent, once or live. Public:
//! the key is the only credential. Every refusal is the same 404 (unknown centre, malformed
//! key, a key never pushed, a ticket of an earlier day), so answers say nothing of other keys.
//!
//! Unlike the centre's own stream, the view is sent again when only its time moved: on the
//! hub that time is the centre's last push, which is how the phone sees how fresh the
//! province's copy is.
use super::{ApiError, AppState};
use crate::board;
use crate::followers::Copy;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use futures_util::Stream;
use shared::wire::{is_public_key, PublicTicket};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;

/// The one refusal.
pub fn unknown() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "ticket_not_found", "no ticket of today has this key")
}

/// The centre's service day by the hub's clock (the province's offset): a view of an earlier
/// day finds nothing.
pub fn today(app: &AppState) -> NaiveDate {
    (app.clock)().with_timezone(&app.config.province.offset()).date_naive()
}

fn known(app: &AppState, centre: &str, key: &str) -> bool {
    is_public_key(key) && app.config.centre_name(centre).is_some()
}

/// The view of `key` at `centre`, or the one refusal.
pub async fn find(app: &AppState, centre: &str, key: &str) -> Result<PublicTicket, ApiError> {
    if !known(app, centre, key) {
        return Err(unknown());
    }
    board::one(&app.pool, centre, key, today(app)).await?.ok_or_else(unknown)
}

pub async fn ticket(State(app): State<AppState>, Path((centre, key)): Path<(String, String)>) -> Result<Response, ApiError> {
    let view = find(&app, &centre, &key).await?;
    let mut res = Json(view).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn look_up(copy: &Copy, key: &str, today: NaiveDate) -> Option<PublicTicket> {
    copy.tickets.get(key).and_then(|v| board::current(v.clone(), copy.as_of, today))
}

pub async fn events(
    State(app): State<AppState>,
    Path((centre, key)): Path<(String, String)>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    if !known(&app, &centre, &key) {
        return Err(unknown());
    }
    let copy = app.followers.follow(&centre).await?;
    let first = look_up(&copy.borrow(), &key, today(&app)).ok_or_else(unknown)?;
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(follow(app, key, first, copy, tx));
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn ticket_event(view: &PublicTicket) -> SseEvent {
    SseEvent::default().event("ticket").data(serde_json::to_string(view).expect("views always serialise"))
}

/// Sends the first view, then each changed one, until the ticket is gone, the phone leaves or
/// the hub stops.
async fn follow(
    app: AppState,
    key: String,
    first: PublicTicket,
    mut copy: watch::Receiver<Arc<Copy>>,
    tx: mpsc::Sender<Result<SseEvent, Infallible>>,
) {
    if tx.send(Ok(ticket_event(&first))).await.is_err() {
        return;
    }
    let mut stopping = app.stopping.clone();
    let mut last = first;
    loop {
        tokio::select! {
            changed = copy.changed() => {
                if changed.is_err() {
                    return;
                }
                let now = look_up(&copy.borrow_and_update(), &key, today(&app));
                match now {
                    Some(v) if v == last => {}
                    Some(v) => {
                        if tx.send(Ok(ticket_event(&v))).await.is_err() {
                            return;
                        }
                        last = v;
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
