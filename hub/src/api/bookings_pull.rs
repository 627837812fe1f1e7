//! `GET /api/v1/centres/{centre}/bookings?after=SEQ` (the centre's bearer token) → 200
//! `{"bookings": [...]}`: the centre's bookings after the last it holds, oldest first, at most
//! 1,000 a page (the centre asks again from the last one's `seq`). 404 `not_offered` when the
//! hub takes no bookings.
use super::auth::CentreCaller;
use super::booking_offer::config;
use super::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use shared::province::booking::Bookings;

const PAGE: i64 = 1_000;

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: u64,
}

pub async fn pull(
    State(app): State<AppState>,
    Path(centre): Path<String>,
    caller: CentreCaller,
    Query(q): Query<After>,
) -> Result<Json<Bookings>, ApiError> {
    caller.require(&centre)?;
    config(&app)?;
    let bookings = crate::booking::store::after(&app.pool, &centre, q.after, PAGE).await?;
    Ok(Json(Bookings { bookings }))
}
