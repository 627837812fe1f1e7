//! `POST /api/v1/session` (sign in), `GET` (who am I), `DELETE` (sign out): the console's
//! sessions. Wrong login and wrong password get the same answer; repeated failures lock the
//! account for a while (an unknown login "locks" the same way); one address trying too fast is
//! slowed down, and so are all addresses together; password hashing waits its turn at the
//! sign-in gate (`console/gate.rs`), or is refused when too many wait.
use super::auth::{Caller, ClientIp, CsrfHeader, Person};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::accounts::{self, AccountError, SignIn};
use crate::console::session;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::console::{AccountRole, Audit};
use shared::domain::Command;
use shared::store::SessionsToEnd;
use shared::wire::ErrorBody;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    login: String,
    password: String,
}

/// What a page knows of its user.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionBody {
    login: String,
    name: String,
    role: AccountRole,
    /// Counters the account may serve; empty: any.
    counters: Vec<String>,
    /// Send this back in `X-CSRF-Token` with every request that changes something.
    csrf: String,
    /// The counter this person is signed in at now, if any.
    counter: Option<String>,
    expires_at: DateTime<Utc>,
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Authority(a) => a.into(),
            AccountError::Invalid(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_account", m),
            e @ AccountError::Exists(_) => ApiError::new(StatusCode::CONFLICT, "account_exists", e.to_string()),
            e @ AccountError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "account_not_found", e.to_string()),
            AccountError::SelfLockout(m) => ApiError::new(StatusCode::CONFLICT, "self_lockout", m),
            e @ AccountError::Busy(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "sign_in_busy", e.to_string()).retry_after(1),
            e @ (AccountError::Password(_) | AccountError::Join) => {
                tracing::error!("console: {e}");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            }
        }
    }
}

async fn body(app: &AppState, p: &Person) -> Result<SessionBody, ApiError> {
    let state = app.authority.state().await?;
    let counter = state.counters.iter().find(|c| c.staff.as_deref() == Some(p.login.as_str())).map(|c| c.id.clone());
    Ok(SessionBody {
        login: p.login.clone(),
        name: p.name.clone(),
        role: p.role,
        counters: p.counters.clone(),
        csrf: p.session.csrf.clone(),
        counter,
        expires_at: p.session.expires,
    })
}

#[utoipa::path(
    post,
    path = "/session",
    tag = "console",
    summary = "Sign in to the console",
    description = "Sets the HttpOnly session cookie. Wrong login and wrong password get the same answer; \
        `[console] lockout_after` wrong passwords in a row lock the account for `lockout_min` (a login that does not \
        exist answers exactly the same). 20 attempts a minute per address, `sign_ins_per_minute` from all addresses; \
        at most `hash_concurrency` passwords are checked at once and `hash_queue` sign-ins wait for their turn.",
    security(()),
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in", body = SessionBody,
            headers(("Set-Cookie" = String, description = "The session cookie (mc_session), HttpOnly, SameSite=Strict"))),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 401, description = "bad_credentials", body = ErrorBody),
        (status = 403, description = "account_disabled", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body", body = ErrorBody),
        (status = 423, description = "account_locked", body = ErrorBody),
        (status = 429, description = "too_many_attempts from one address; too_many_sign_ins from all addresses together",
            body = ErrorBody, headers(("Retry-After" = u32, description = "Seconds after which a sign-in may be admitted"))),
        (status = 503, description = "sign_in_busy: too many sign-ins wait for their password check; \
            storage_full, storage_unavailable, stopping", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait (sign_in_busy)"))),
    )
)]
pub async fn sign_in(State(app): State<AppState>, ClientIp(ip): ClientIp, Body(req): Body<SignInRequest>) -> Result<Response, ApiError> {
    if !app.console.attempt(ip, std::time::Instant::now()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many sign-in attempts from this computer: wait a minute",
        )
        .retry_after(60));
    }
    if let Err(wait) = app.console.gate.admit(app.authority.now()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_sign_ins",
            format!("too many sign-ins at this centre right now: try again in {wait} s"),
        )
        .retry_after(wait));
    }
    if req.login.len() > 64 || req.password.len() > 256 {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "bad_credentials", "wrong login or password"));
    }
    match accounts::sign_in(&app.authority, &app.console, &req.login, &req.password).await? {
        SignIn::Done { token, session, account } => {
            let p = Person { login: account.login, name: account.name, role: account.role, counters: account.counters, session };
            let b = body(&app, &p).await?;
            let mut res = Json(b).into_response();
            res.headers_mut().insert(header::SET_COOKIE, session::set_cookie(&token, app.console.config.secure_cookie));
            res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            Ok(res)
        }
        SignIn::BadCredentials => Err(ApiError::new(StatusCode::UNAUTHORIZED, "bad_credentials", "wrong login or password")),
        SignIn::Locked { until } => {
            let local = until.with_timezone(&app.authority.config().centre.utc_offset.0);
            Err(ApiError::new(
                StatusCode::LOCKED,
                "account_locked",
                format!("too many wrong passwords: the account is locked until {}", local.format("%H:%M")),
            ))
        }
        SignIn::Disabled => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "account_disabled", "this account is disabled: ask the administrator"))
        }
    }
}

#[utoipa::path(
    get,
    path = "/session",
    tag = "console",
    summary = "The signed-in person",
    security(("session" = [])),
    responses(
        (status = 200, description = "The session", body = SessionBody),
        SessionRefusals,
    )
)]
pub async fn current(State(app): State<AppState>, caller: Caller) -> Result<Json<SessionBody>, ApiError> {
    Ok(Json(body(&app, caller.person()?).await?))
}

/// Signs out: leaves any counter the person is at, ends the session, clears the cookie.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "console",
    summary = "Sign out (and leave the counter)",
    security(("session" = [])),
    params(CsrfHeader),
    responses(
        (status = 204, description = "Signed out, cookie cleared"),
        SessionRefusals,
    )
)]
pub async fn sign_out(State(app): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let p = caller.person()?;
    let state = app.authority.state().await?;
    for c in state.counters.iter().filter(|c| c.staff.as_deref() == Some(p.login.as_str())) {
        let audit = Audit::new(p.login.clone(), "counter_left").target(c.id.clone());
        app.authority.execute_audited(Command::Staff { counter: c.id.clone(), staff: None }, None, Some(audit)).await?;
    }
    let h = p.session.id_hash.clone();
    let audit = Audit::new(p.login.clone(), "sign_out");
    app.authority.with_store(move |s, now| s.end_sessions(SessionsToEnd::One(&h), now, Some(&audit))).await?;
    app.console.forget(&p.session.id_hash);
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, session::clear_cookie(app.console.config.secure_cookie));
    Ok(res)
}
