//! Making a booking (public, no token; the phone is the person):
//! - `POST /api/v1/public/booking/code` `{"phone", "lang"?}` → 202 `{"phone", "valid_s"}`: a
//!   one-time code sent through the gateway (one a minute, five a day: 429 `too_soon`,
//!   `too_many_codes`; the hub's `codes_per_minute` for all phones: 429 `busy`);
//! - `POST /api/v1/public/bookings` `{"phone", "code", "centre", "service", "day", "window",
//!   "lang"?}` → 201 the booking (`code`, `display`, `qr`, …) and a confirmation sent; refused
//!   with 422 `invalid_phone`, `not_bookable`, `wrong_code`, `code_expired`, `no_code`; 429
//!   `too_many_tries`; 409 `full` (no place left in the window), `limit_reached` (the phone's
//!   numbers for the day), `code_used`.
use super::booking_offer::{config, not_bookable};
use super::public_ticket::today;
use super::{ApiError, AppState};
use crate::booking::store::{self, Ask, Checked, CodeRefused, Refused};
use crate::booking::{self};
use crate::near::{Message, Phone};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::config::HourRange;
use shared::province::booking::{display_code, qr_text, ALPHABET, CODE_LEN};

fn phone(typed: &str) -> Result<Phone, ApiError> {
    Phone::parse(typed).map_err(|why| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone", why))
}

fn lang(l: &Option<String>) -> &'static str {
    if l.as_deref() == Some("en") {
        "en"
    } else {
        "vi"
    }
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(t)| t).map_err(|e| super::error::rejection(e.status(), e.body_text()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    phone: String,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Serialize)]
pub struct CodeSent {
    phone: String,
    valid_s: i64,
}

pub async fn send_code(
    State(app): State<AppState>,
    b: Result<Json<CodeBody>, JsonRejection>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    let cfg = config(&app)?;
    let b = body(b)?;
    let phone = phone(&b.phone)?;
    let code = crate::secret::random_of(b"0123456789", 6);
    let lang = lang(&b.lang);
    let message = Message {
        to: phone.as_e164().to_owned(),
        text: booking::code_text(&code, lang),
        centre: String::new(),
        ticket: String::new(),
        kind: "code".into(),
        lang: lang.into(),
    };
    match store::send_code(&app.pool, &phone, &code, &message, ((app.clock)(), today(&app)), cfg.codes_per_minute).await? {
        Ok(()) => Ok((StatusCode::ACCEPTED, Json(CodeSent { phone: phone.masked(), valid_s: store::CODE_VALID.num_seconds() }))),
        Err(CodeRefused::TooSoon(s)) => {
            Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_soon", format!("a code was sent just now: try again in {s} s")))
        }
        Err(CodeRefused::TooMany) => Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_codes", "five codes today already")),
        Err(CodeRefused::Busy) => {
            Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "busy", "many codes are being sent just now: try again in a minute"))
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    phone: String,
    code: String,
    centre: String,
    service: String,
    day: NaiveDate,
    window: HourRange,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Serialize)]
pub struct Booked {
    code: String,
    /// The code as people read it, `K7QX-M2PA`.
    display: String,
    /// What the QR code carries (its image: `/api/v1/public/bookings/{centre}/{code}.svg`).
    qr: String,
    centre: String,
    service: String,
    day: NaiveDate,
    window: HourRange,
}

pub async fn book(State(app): State<AppState>, b: Result<Json<BookBody>, JsonRejection>) -> Result<(StatusCode, Json<Booked>), ApiError> {
    let cfg = config(&app)?;
    let b = body(b)?;
    let phone = phone(&b.phone)?;
    let s = cfg.bookable(&b.centre, &b.service).ok_or_else(|| not_bookable("no such service to book at that centre"))?;
    let (now, today, offset) = ((app.clock)(), today(&app), app.config.province.offset());
    if !booking::bookable(s, b.day, b.window, today, cfg.days, now, offset) {
        return Err(not_bookable("that day and window cannot be booked (not offered, or over)"));
    }
    let refused = |status, code: &'static str, m: &str| Err(ApiError::new(status, code, m));
    match store::check_code(&app.pool, &phone, b.code.trim(), now).await? {
        Checked::Good => {}
        Checked::Wrong => return refused(StatusCode::UNPROCESSABLE_ENTITY, "wrong_code", "the code is not the one sent"),
        Checked::Expired => return refused(StatusCode::UNPROCESSABLE_ENTITY, "code_expired", "the code has expired: ask for a new one"),
        Checked::NoCode => return refused(StatusCode::UNPROCESSABLE_ENTITY, "no_code", "no code was sent to this phone"),
        Checked::TooManyTries => {
            return refused(StatusCode::TOO_MANY_REQUESTS, "too_many_tries", "too many wrong codes: ask for a new one")
        }
    }
    let centre_name = app.config.centre_name(&b.centre).unwrap_or(&b.centre);
    let lang = lang(&b.lang);
    let service_name = if lang == "en" { s.name_en.as_deref().unwrap_or(&s.name) } else { &s.name };
    let ask = Ask { centre: &b.centre, service: &b.service, day: b.day, window: b.window, phone: &phone, code: b.code.trim() };
    let message = |code: &str| Message {
        to: phone.as_e164().to_owned(),
        text: booking::booked_text(centre_name, service_name, b.day, b.window, code, lang),
        centre: b.centre.clone(),
        ticket: display_code(code),
        kind: "booked".into(),
        lang: lang.into(),
    };
    let new_code = || crate::secret::random_of(ALPHABET, CODE_LEN);
    match store::book(&app.pool, &ask, s.capacity, cfg.per_person, now, new_code, message).await? {
        Ok(made) => Ok((
            StatusCode::CREATED,
            Json(Booked {
                display: display_code(&made.code),
                qr: qr_text(&b.centre, &made.code),
                code: made.code,
                centre: b.centre.clone(),
                service: made.service,
                day: made.day,
                window: made.window,
            }),
        )),
        Err(Refused::Full) => refused(StatusCode::CONFLICT, "full", "no place is left in that window"),
        Err(Refused::Limit(n)) => {
            refused(StatusCode::CONFLICT, "limit_reached", &format!("this phone holds {n} numbers for that day already"))
        }
        Err(Refused::CodeUsed) => refused(StatusCode::CONFLICT, "code_used", "the code was used meanwhile: ask for a new one"),
    }
}
