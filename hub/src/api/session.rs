//! The dashboard's sign-in: `POST /api/v1/session {login, password}` sets an HttpOnly,
//! SameSite=Strict cookie (Secure under TLS) that `fetch()` of the same origin sends;
//! `GET /api/v1/session` → who; `DELETE /api/v1/session` signs out. Sessions are stored as the
//! cookie's SHA-256 with their expiry (8 h), failures are counted in PostgreSQL: five in 15
//! minutes lock the login for 15 minutes, on every hub process, and an unknown login is
//! treated exactly as a known one (same answers, same hashing time).
use super::auth::{session_cookie, COOKIE};
use super::{ApiError, AppState};
use crate::secret::{random_token, sha256};
use authority::console::password::{self, Cost, Scratch};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub const SESSION: Duration = Duration::hours(8);
pub const FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCK: Duration = Duration::minutes(15);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    login: String,
    password: String,
}

#[derive(Serialize)]
pub struct Who {
    login: String,
    name: String,
}

/// The login of the live session `cookie` belongs to.
pub async fn account_of(app: &AppState, cookie: &str) -> Result<Option<String>, ApiError> {
    let client = app.pool.get().await?;
    let now = (app.clock)();
    let row = client
        .query_opt("SELECT login FROM sessions WHERE token_sha256 = $1 AND expires_at > $2", &[&sha256(cookie.as_bytes()), &now])
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Whether `failures` (ascending times) lock the login at `now`: five within 15 minutes, the
/// last of them less than 15 minutes ago.
pub fn locked(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    failures.windows(FAILURES).any(|w| w[FAILURES - 1] - w[0] <= WINDOW && now - w[FAILURES - 1] < LOCK)
}

fn cookie(app: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if app.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")).expect("ASCII cookie")
}

pub async fn sign_in(State(app): State<AppState>, body: Result<Json<SignIn>, JsonRejection>) -> Result<Response, ApiError> {
    let Json(s) = body.map_err(|e| super::error::rejection(e.status(), e.body_text()))?;
    let now = (app.clock)();
    let mut client = app.pool.get().await?;
    let since = now - WINDOW - LOCK;
    // The check and the count of this attempt are one step per login, on every process: a
    // burst of parallel guesses gets five tries, not five each.
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &[&s.login]).await?;
    let rows = tx.query("SELECT at FROM sign_in_failures WHERE login = $1 AND at > $2 ORDER BY at", &[&s.login, &since]).await?;
    let failures: Vec<DateTime<Utc>> = rows.iter().map(|r| r.get(0)).collect();
    if locked(&failures, now) {
        return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "locked", "too many wrong passwords: try again in 15 minutes"));
    }
    // Counted as a failure before the check, cleared on success.
    tx.execute("INSERT INTO sign_in_failures (login, at) VALUES ($1, $2)", &[&s.login, &now]).await?;
    tx.commit().await?;
    // No connection is held while the password is checked: sign-ins must not starve pushes.
    drop(client);
    let permit = app
        .hashing
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "stopping", "the hub is stopping"))?;
    let account = app.config.accounts.iter().find(|a| a.login == s.login).cloned();
    let phc = account.as_ref().map(|a| a.password_hash.clone());
    let password = s.password;
    let ok = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match phc {
            Some(phc) => password::verify(&password, &phc),
            None => {
                // An unknown login costs what a known one does: timing does not tell which exist.
                password::verify_nothing(&password, Cost { memory_kib: 19 * 1024, passes: 2 }, &mut Scratch::default());
                false
            }
        }
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the password check failed"))?;
    let client = app.pool.get().await?;
    let Some(account) = account.filter(|_| ok) else {
        client.execute("DELETE FROM sign_in_failures WHERE at < $1", &[&(now - Duration::days(1))]).await?;
        return Err(ApiError::unauthorized("wrong login or password"));
    };
    client.execute("DELETE FROM sign_in_failures WHERE login = $1", &[&account.login]).await?;
    client.execute("DELETE FROM sessions WHERE expires_at < $1", &[&now]).await?;
    let token = random_token();
    client
        .execute(
            "INSERT INTO sessions (token_sha256, login, expires_at) VALUES ($1, $2, $3)",
            &[&sha256(token.as_bytes()), &account.login, &(now + SESSION)],
        )
        .await?;
    let who = Who { login: account.login.clone(), name: account.name.clone() };
    Ok(([(header::SET_COOKIE, cookie(&app, &token, SESSION.num_seconds()))], Json(who)).into_response())
}

pub async fn who(State(app): State<AppState>, parts: Parts) -> Result<Json<Who>, ApiError> {
    let Some(c) = session_cookie(&parts) else { return Err(ApiError::unauthorized("not signed in")) };
    let Some(login) = account_of(&app, &c).await? else { return Err(ApiError::unauthorized("the session has ended: sign in again")) };
    let name = app.config.accounts.iter().find(|a| a.login == login).map(|a| a.name.clone()).unwrap_or_else(|| login.clone());
    Ok(Json(Who { login, name }))
}

pub async fn sign_out(State(app): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    if let Some(c) = session_cookie(&parts) {
        let client = app.pool.get().await?;
        client.execute("DELETE FROM sessions WHERE token_sha256 = $1", &[&sha256(c.as_bytes())]).await?;
    }
    Ok(([(header::SET_COOKIE, cookie(&app, "", 0))], StatusCode::NO_CONTENT).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Proves the lock: five failures within 15 minutes lock for 15 minutes after the fifth;
    /// five spread over more than 15 minutes do not.
    #[test]
    fn five_failures_in_fifteen_minutes_lock() {
        let t = |m: i64| Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap() + Duration::minutes(m);
        let close: Vec<_> = (0..5).map(t).collect();
        assert!(locked(&close, t(5)));
        assert!(locked(&close, t(18)));
        assert!(!locked(&close, t(19)));
        let spread: Vec<_> = [0, 4, 8, 12, 16].into_iter().map(t).collect();
        assert!(!locked(&spread, t(17)));
        assert!(!locked(&close[..4], t(5)));
    }
}
