//! `POST /api/v1/public/centres/{centre}/tickets/{key}/near` `{"phone", "lang"?}` → 200
//! `{"ahead", "phone"}` (the number masked): the ticket's holder is told through the province's
//! gateway when `ahead` people or fewer are before them (`crate::near`). `DELETE` the same
//! address → 204: the number dropped. Public like the ticket's view: the key is the credential,
//! and the same 404 answers every key that finds nothing.
use super::public_ticket::{find, today};
use super::{ApiError, AppState};
use crate::near::{self, Phone};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::wire::PublicStatus;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearBody {
    phone: String,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Serialize)]
pub struct NearAnswer {
    /// Told when this many people or fewer are ahead.
    ahead: u32,
    /// The number as kept, masked.
    phone: String,
}

fn not_offered() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_offered", "this hub sends no messages")
}

pub async fn ask(
    State(app): State<AppState>,
    Path((centre, key)): Path<(String, String)>,
    body: Result<Json<NearBody>, JsonRejection>,
) -> Result<Json<NearAnswer>, ApiError> {
    let notify = app.config.notify.as_ref().ok_or_else(not_offered)?;
    let view = find(&app, &centre, &key).await?;
    let Json(body) = body.map_err(|e| super::error::rejection(e.status(), e.body_text()))?;
    let phone = Phone::parse(&body.phone).map_err(|why| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone", why))?;
    let ahead = notify.ahead_for(&view.service);
    if view.status != PublicStatus::Waiting {
        return Err(ApiError::new(StatusCode::CONFLICT, "not_waiting", "the ticket is no longer waiting"));
    }
    if view.waiting_ahead.is_some_and(|a| a <= ahead) {
        return Err(ApiError::new(StatusCode::CONFLICT, "already_near", format!("{ahead} people or fewer are ahead already")));
    }
    let lang = if body.lang.as_deref() == Some("en") { "en" } else { "vi" };
    let name = app.config.centre_name(&centre).unwrap_or("");
    let cx = near::Context { centre_name: name, now: (app.clock)(), today: today(&app), offset: app.config.province.offset() };
    let request = near::Request { centre: &centre, key: &key, day: view.day, phone: &phone, ahead, lang };
    if !near::request(&app.pool, &request, &cx).await? {
        return Err(ApiError::new(StatusCode::CONFLICT, "already_sent", "this ticket's message was sent already"));
    }
    Ok(Json(NearAnswer { ahead, phone: phone.masked() }))
}

pub async fn withdraw(State(app): State<AppState>, Path((centre, key)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    app.config.notify.as_ref().ok_or_else(not_offered)?;
    find(&app, &centre, &key).await?;
    near::withdraw(&app.pool, &centre, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
