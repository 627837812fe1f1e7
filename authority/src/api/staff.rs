//! `POST /api/v1/counters/{counter}/staff`: the signed-in person takes the counter (its calls,
//! finishes and ratings are recorded with them); `DELETE`: they leave it. One person is at one
//! counter at a time: taking another leaves the first.
use super::auth::{Caller, CsrfHeader};
use super::body::empty_ok;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use shared::console::Audit;
use shared::domain::Command;
use shared::wire::ErrorBody;

/// Who is at the counter now.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StaffAnswer {
    counter: String,
    staff: Option<String>,
    staff_name: Option<String>,
}

#[utoipa::path(
    post,
    path = "/counters/{counter}/staff",
    tag = "console",
    summary = "The signed-in person takes the counter",
    description = "Its calls, finishes and ratings are recorded with them; taking another counter leaves the first. \
        Takes no body (or `{}`).",
    security(("session" = [])),
    params(("counter" = String, Path, description = "Counter id"), CsrfHeader),
    responses(
        (status = 200, description = "Taken", body = StaffAnswer),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 422, description = "invalid_body: this endpoint takes no body", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn take(
    State(app): State<AppState>,
    Path(counter): Path<String>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<StaffAnswer>, ApiError> {
    caller.require_counter(&counter)?;
    let p = caller.person()?;
    empty_ok(&body).await?;
    let cmd = Command::Staff { counter: counter.clone(), staff: Some((p.login.clone(), Some(p.name.clone()))) };
    let audit = Audit::new(p.login.clone(), "counter_taken").target(counter.clone());
    app.authority.execute_audited(cmd, None, Some(audit)).await?;
    Ok(Json(StaffAnswer { counter, staff: Some(p.login.clone()), staff_name: Some(p.name.clone()) }))
}

#[utoipa::path(
    delete,
    path = "/counters/{counter}/staff",
    tag = "console",
    summary = "The signed-in person leaves the counter",
    security(("session" = [])),
    params(("counter" = String, Path, description = "Counter id"), CsrfHeader),
    responses(
        (status = 200, description = "Left (staff and staff_name are null)", body = StaffAnswer),
        (status = 404, description = "unknown_counter", body = ErrorBody),
        (status = 409, description = "not_your_counter", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn leave(State(app): State<AppState>, Path(counter): Path<String>, caller: Caller) -> Result<Json<StaffAnswer>, ApiError> {
    caller.require_counter(&counter)?;
    let p = caller.person()?;
    let state = app.authority.state().await?;
    let c = state
        .counters
        .iter()
        .find(|c| c.id == counter)
        .ok_or_else(|| ApiError::from(shared::domain::DomainError::UnknownCounter(counter.clone())))?;
    // Leaving a counter someone else has taken since would sign them out: refuse.
    if c.staff.is_some() && c.staff.as_deref() != Some(p.login.as_str()) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_your_counter",
            format!("counter {counter} is taken by {}", c.staff_name.clone().unwrap_or_default()),
        ));
    }
    if c.staff.is_some() {
        let audit = Audit::new(p.login.clone(), "counter_left").target(counter.clone());
        app.authority.execute_audited(Command::Staff { counter: counter.clone(), staff: None }, None, Some(audit)).await?;
    }
    Ok(Json(StaffAnswer { counter, staff: None, staff_name: None }))
}
