//! `POST /api/v1/centres/{centre}/events` `{"events": [...]}` (the centre's bearer token) →
//! 200 `{"acked": id}`: the highest event id the hub holds for the centre. Idempotent on
//! (centre, id): a batch sent again changes nothing and answers the same. A bad body is
//! refused whole (400), as is a batch too large (413): nothing of it is stored.
use super::auth::CentreCaller;
use super::error::rejection;
use super::{ApiError, AppState, MAX_BATCH_EVENTS};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::province::{Acked, EventBatch};

pub async fn push(
    State(app): State<AppState>,
    Path(centre): Path<String>,
    caller: CentreCaller,
    body: Result<Json<EventBatch>, JsonRejection>,
) -> Result<Json<Acked>, ApiError> {
    caller.require(&centre)?;
    let Json(batch) = body.map_err(|e| rejection(e.status(), e.body_text()))?;
    if batch.events.len() > MAX_BATCH_EVENTS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("{} events in one push; at most {MAX_BATCH_EVENTS}", batch.events.len()),
        ));
    }
    // Ids are stored as PostgreSQL bigint: beyond it, a value would wrap, not be refused.
    let out_of_range = |id: u64| id == 0 || id > i64::MAX as u64;
    if let Some(e) = batch.events.iter().find(|e| out_of_range(e.id) || e.body.ticket().is_some_and(out_of_range)) {
        return Err(ApiError::bad_request(format!("event {}: an id out of range (1 to 2^63-1)", e.id)));
    }
    // A centre strips its staff before sending; one that did not (older firmware) must still
    // not leave a login or a name at the province.
    let events: Vec<_> = batch.events.iter().map(shared::province::outward).collect();
    let now = (app.clock)();
    let acked = crate::ingest::ingest(&app.pool, &centre, &events, now).await?;
    Ok(Json(Acked { acked }))
}
