//! The counter buttons that take no arguments: recall, no-show, finish, pause, resume.
use super::auth::{Caller, IdempotencyKey};
use super::body::empty_ok;
use super::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::domain::Command;

/// Runs one button's command; the answer is the ticket it touched, or the counter's pause state.
async fn press(app: AppState, counter: String, caller: Caller, key: Option<String>, body: Bytes, make: fn(String) -> Command) -> Result<Response, ApiError> {
    caller.require_counter(&counter)?;
    empty_ok(&body).await?;
    let cmd = make(counter.clone());
    let pause = match &cmd {
        Command::Pause { .. } => Some(true),
        Command::Resume { .. } => Some(false),
        _ => None,
    };
    let done = app.authority.execute(cmd, key).await?;
    Ok(match (pause, done.ticket) {
        (Some(paused), _) => axum::Json(serde_json::json!({ "counter": counter, "paused": paused })).into_response(),
        (None, Some(t)) => super::call_next::answer(StatusCode::OK, t, done.replayed),
        (None, None) => StatusCode::NO_CONTENT.into_response(),
    })
}

macro_rules! button {
    ($name:ident, $variant:ident) => {
        pub async fn $name(
            State(app): State<AppState>,
            Path(counter): Path<String>,
            caller: Caller,
            IdempotencyKey(key): IdempotencyKey,
            body: Bytes,
        ) -> Result<Response, ApiError> {
            press(app, counter, caller, key, body, |counter| Command::$variant { counter }).await
        }
    };
}

button!(recall, Recall);
button!(no_show, NoShow);
button!(finish, Finish);
button!(pause, Pause);
button!(resume, Resume);
