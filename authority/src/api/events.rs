//! `GET /api/v1/events`: Server-Sent Events, resumable with `Last-Event-ID`.
//!
//! Each client gets a task that first catches up from the log (everything after the id it
//! gives), then forwards live events. It subscribes to the live channel before reading the log,
//! so nothing falls between the two; an id that is not the next one (a lag, a gap) sends it back
//! to the log. So a client sees every event once, in order. A client resuming from before the
//! oldest kept event, or from an id the store never had, gets `{"type":"resync"}`: fetch the state.
//! Ids the store never had include those lost with a store a restore replaced: they are below
//! the next id (numbering goes on above them) but not in the log (`Store::is_lost`).
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use shared::event::{Event, EventId};
use shared::wire::ErrorBody;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

const PAGE: usize = 500;

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The same as the `Last-Event-ID` header, for clients that cannot set headers.
    after: Option<EventId>,
}

#[utoipa::path(
    get,
    path = "/events",
    tag = "live",
    summary = "Server-Sent Events",
    description = "Any role, or anyone signed in to the console. Each event has `id:` (the store's event id) and JSON \
        `data:` (an Event). Reconnect with Last-Event-ID (or ?after=) to receive every event after that id, then live \
        ones. `{\"type\":\"resync\"}` (no id) means events were pruned or the store was replaced: fetch /state again. \
        A comment line keeps the connection alive every 15 s.",
    security(("bearer" = []), ("session" = [])),
    params(
        ("Last-Event-ID" = Option<u64>, Header, description = "The id of the last event received: the stream resumes after it"),
        EventsQuery,
    ),
    responses(
        (status = 200, description = "The stream: each `data:` is one Event", body = Event, content_type = "text/event-stream"),
        (status = 400, description = "bad_request: Last-Event-ID or after is not an event id", body = ErrorBody),
        (status = 401, description = "unauthorized, session_expired", body = ErrorBody),
        (status = 503, description = "storage_unavailable, stopping", body = ErrorBody),
    )
)]
pub async fn events(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let header = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<EventId>().ok())
                .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be an event id (a whole number)"))?,
        ),
        None => None,
    };
    let live = app.authority.subscribe();
    let last = app.authority.last_id().await?;
    let (from, resync) = match header.or(q.after) {
        // Without a position, a client gets what happens from now on (nothing to check: `last`
        // may be a lost id, the top of a restore's gap).
        None => (last, Some(false)),
        // An id beyond the log: the store was replaced; start the client over.
        Some(id) if id > last => (last, Some(true)),
        // Checked against the log on the first read: pruned, or lost to a restore.
        Some(id) => (id, None),
    };
    let (tx, rx) = mpsc::channel(64);
    // A stream opened by a signed-in person ends with the session (signed out, idle, expired,
    // account disabled): an unattended PC must not go on receiving the queue.
    let session = caller.person.as_ref().map(|p| (p.session.id_hash.clone(), p.session.expires));
    tokio::spawn(forward(app, from, resync, live, tx, session));
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

type Tx = mpsc::Sender<Result<SseEvent, Infallible>>;

fn sse(e: &Event) -> SseEvent {
    let data = serde_json::to_string(e).expect("events always serialise");
    SseEvent::default().id(e.id.to_string()).data(data)
}

fn resync_event() -> SseEvent {
    SseEvent::default().data(r#"{"type":"resync"}"#)
}

/// How often a person's stream checks that their session still stands.
const SESSION_CHECK: Duration = Duration::from_secs(30);

/// Whether the session behind a stream still stands (a stream is not a person using the
/// console: it does not keep the session alive).
async fn session_stands(app: &AppState, id_hash: &str, expires: chrono::DateTime<chrono::Utc>) -> bool {
    let h = id_hash.to_owned();
    let found = app.authority.with_store(move |s, now| Ok((s.session(&h)?.is_some(), now))).await;
    match found {
        Ok((true, now)) => app.console.peek(id_hash, expires, now) == crate::console::session::Freshness::Fresh,
        _ => false,
    }
}

async fn forward(
    app: AppState,
    mut last: EventId,
    // Known already, or `None`: to be decided on the first page.
    resync: Option<bool>,
    mut live: broadcast::Receiver<Arc<Event>>,
    tx: Tx,
    session: Option<(String, chrono::DateTime<chrono::Utc>)>,
) {
    let mut stopping = app.stopping.clone();
    let mut first_page = true;
    let mut check = tokio::time::interval(SESSION_CHECK);
    check.tick().await;
    loop {
        // Catch up from the log.
        loop {
            let page = match app.authority.events_after(last, PAGE).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!("event stream ends: {e}");
                    return;
                }
            };
            if first_page {
                first_page = false;
                let resync = resync.unwrap_or_else(|| page.after_lost || (page.first_id.is_some_and(|first| last + 1 < first) && last > 0));
                if resync && tx.send(Ok(resync_event())).await.is_err() {
                    return;
                }
            }
            let Some(end) = page.events.last().map(|e| e.id) else { break };
            for e in &page.events {
                if tx.send(Ok(sse(e))).await.is_err() {
                    return;
                }
            }
            last = end;
        }
        // Follow live events until a gap sends us back to the log.
        loop {
            tokio::select! {
                r = live.recv() => match r {
                    Ok(e) if e.id <= last => continue,
                    Ok(e) if e.id == last + 1 => {
                        if let Some((h, expires)) = &session {
                            if !session_stands(&app, h, *expires).await {
                                return;
                            }
                        }
                        if tx.send(Ok(sse(&e))).await.is_err() {
                            return;
                        }
                        last = e.id;
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = stopping.changed() => return,
                _ = tx.closed() => return,
                _ = check.tick(), if session.is_some() => {
                    let (h, expires) = session.as_ref().expect("checked by the guard");
                    if !session_stands(&app, h, *expires).await {
                        tracing::debug!("an event stream ends with its session");
                        return;
                    }
                }
            }
        }
    }
}
