//! What may be booked, read by the booking page (public, no token):
//! - `GET /api/v1/public/booking` → the bookable services of each centre with their days and
//!   windows;
//! - `GET /api/v1/public/booking/slots?centre&service&day` → each window's places left, and
//!   whether it can still be booked;
//! - `GET /api/v1/public/bookings/{centre}/{code}.svg` → the QR code a kiosk scans for it.
//!
//! 404 `not_offered` when the hub has no `[booking]`.
use super::public_ticket::today;
use super::{ApiError, AppState};
use crate::booking::{self, config::Booking as BookingConfig};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::config::HourRange;
use shared::province::booking::{normalize_code, qr_text};

pub fn not_offered() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_offered", "this hub takes no bookings")
}

pub fn config(app: &AppState) -> Result<&BookingConfig, ApiError> {
    app.config.booking.as_ref().ok_or_else(not_offered)
}

#[derive(Serialize)]
pub struct Offer {
    services: Vec<OfferedService>,
    /// Numbers one phone may book for a day.
    per_person: u32,
}

#[derive(Serialize)]
struct OfferedService {
    centre: String,
    centre_name: String,
    service: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<String>,
    days: Vec<NaiveDate>,
    windows: Vec<HourRange>,
}

pub async fn offer(State(app): State<AppState>) -> Result<Json<Offer>, ApiError> {
    let b = config(&app)?;
    let today = today(&app);
    let services = b
        .services
        .iter()
        .map(|s| OfferedService {
            centre: s.centre.clone(),
            centre_name: app.config.centre_name(&s.centre).unwrap_or_default().to_owned(),
            service: s.service.clone(),
            name: s.name.clone(),
            name_en: s.name_en.clone(),
            days: booking::days_open(s, today, b.days),
            windows: s.windows.clone(),
        })
        .collect();
    Ok(Json(Offer { services, per_person: b.per_person }))
}

#[derive(Deserialize)]
pub struct SlotsQuery {
    centre: String,
    service: String,
    day: NaiveDate,
}

#[derive(Serialize)]
pub struct Slots {
    windows: Vec<Slot>,
}

#[derive(Serialize)]
struct Slot {
    window: HourRange,
    left: u32,
    /// False once the window is over (today), or the day is not offered.
    open: bool,
}

pub async fn slots(State(app): State<AppState>, Query(q): Query<SlotsQuery>) -> Result<Json<Slots>, ApiError> {
    let b = config(&app)?;
    let s = b.bookable(&q.centre, &q.service).ok_or_else(|| not_bookable("no such service to book at that centre"))?;
    let taken = booking::store::taken(&app.pool, &q.centre, &q.service, q.day).await?;
    let (today, now, offset) = (today(&app), (app.clock)(), app.config.province.offset());
    let windows = s
        .windows
        .iter()
        .map(|w| {
            let used = taken.iter().find(|(start, _)| *start == w.start.minutes).map_or(0, |(_, n)| *n);
            Slot { window: *w, left: s.capacity.saturating_sub(used), open: booking::bookable(s, q.day, *w, today, b.days, now, offset) }
        })
        .collect();
    Ok(Json(Slots { windows }))
}

pub fn not_bookable(why: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_bookable", why)
}

pub async fn qr(State(app): State<AppState>, Path((centre, file)): Path<(String, String)>) -> Result<Response, ApiError> {
    config(&app)?;
    let nothing = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such code");
    if app.config.centre_name(&centre).is_none() {
        return Err(nothing());
    }
    let code = file.strip_suffix(".svg").and_then(normalize_code).ok_or_else(nothing)?;
    let svg = booking::qr::svg(&qr_text(&centre, &code)).ok_or_else(|| ApiError::bad_request("the code does not fit a QR code"))?;
    let mut res = svg.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
    Ok(res)
}
