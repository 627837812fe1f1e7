//! Who is asking: a device with a bearer token from the configuration, or a person signed in to
//! the console (session cookie + anti-forgery header for anything that changes state).
use super::error::ApiError;
use super::AppState;
use crate::console::session::{self, Freshness};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use shared::config::{Role, Token};
use shared::console::{AccountRole, Session};
use shared::store::SessionsToEnd;

pub struct Tokens(Vec<Token>);

impl Tokens {
    pub fn new(tokens: Vec<Token>) -> Tokens {
        Tokens(tokens)
    }

    /// Compares against every token in constant time, so response timing tells nothing about
    /// how much of a guess was right.
    fn find(&self, presented: &str) -> Option<&Token> {
        let mut found = None;
        for t in &self.0 {
            if ct_eq(t.token.as_bytes(), presented.as_bytes()) {
                found = Some(t);
            }
        }
        found
    }
}

pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The authenticated device or person making a request.
pub struct Caller {
    pub name: String,
    pub role: Role,
    counters: Vec<String>,
    /// Set when a person signed in to the console is asking.
    pub person: Option<Person>,
}

/// A signed-in console user.
pub struct Person {
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    pub counters: Vec<String>,
    pub session: Session,
}

impl Caller {
    /// Refuses unless the caller has one of `roles` (admin always has).
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if self.role == Role::Admin || roles.contains(&self.role) {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("{} (role {:?}) may not do this", self.name, self.role).to_lowercase(),
        ))
    }

    /// Counter staff, limited to their own counters when the token or account names some.
    pub fn require_counter(&self, counter: &str) -> Result<(), ApiError> {
        self.require(&[Role::Counter])?;
        if self.role == Role::Counter && !self.counters.is_empty() && !self.counters.iter().any(|c| c == counter) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", format!("{} may not operate counter {counter:?}", self.name)));
        }
        Ok(())
    }

    /// The counters the caller is limited to (empty: any), for an admin always empty.
    pub fn counters(&self) -> &[String] {
        if self.role == Role::Admin {
            &[]
        } else {
            &self.counters
        }
    }

    /// A person signed in to the console (not a device token).
    pub fn person(&self) -> Result<&Person, ApiError> {
        self.person.as_ref().ok_or_else(|| ApiError::forbidden("this needs a person signed in to the console, not a device token"))
    }

    /// What the audit log calls the caller.
    pub fn actor(&self) -> String {
        match &self.person {
            Some(p) => p.login.clone(),
            None => format!("token:{}", self.name),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m);
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return match session::cookie(&parts.headers) {
                Some(token) => from_session(parts, state, &token).await,
                None => Err(unauthorized("an Authorization: Bearer token, or signing in to the console, is needed")),
            };
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let t = state.tokens.find(token.trim()).ok_or_else(|| unauthorized("the token is not known"))?;
        Ok(Caller { name: t.name.clone(), role: t.role, counters: t.counters.clone(), person: None })
    }
}

/// A browser's session: valid, fresh, of an enabled account, and, for anything but a read,
/// with the session's anti-forgery token and from this site.
async fn from_session(parts: &Parts, state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let expired = || ApiError::new(StatusCode::UNAUTHORIZED, "session_expired", "the session has ended: sign in again");
    let id_hash = session::id_hash(token);
    let h = id_hash.clone();
    let found = state
        .authority
        .with_store(move |s, now| {
            let Some(sess) = s.session(&h)? else { return Ok((None, now)) };
            let account = s.account(&sess.login)?;
            Ok((Some((sess, account)), now))
        })
        .await?;
    let (Some((sess, account)), now) = found else { return Err(expired()) };
    let background = parts.headers.contains_key(session::BACKGROUND_HEADER);
    let freshness =
        if background { state.console.peek(&id_hash, sess.expires, now) } else { state.console.touch(&id_hash, sess.expires, now) };
    let fresh = freshness == Freshness::Fresh;
    let Some(account) = account.filter(|a| fresh && !a.disabled) else {
        state.console.forget(&id_hash);
        let h = id_hash.clone();
        state.authority.with_store(move |s, now| s.end_sessions(SessionsToEnd::One(&h), now, None)).await?;
        return Err(expired());
    };
    if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        check_same_site(parts)?;
        let sent = parts.headers.get(session::CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !ct_eq(sent.as_bytes(), sess.csrf.as_bytes()) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "csrf", "the request lacks this session's X-CSRF-Token: reload the page"));
        }
    }
    let role = match account.role {
        AccountRole::Admin => Role::Admin,
        AccountRole::Staff => Role::Counter,
    };
    Ok(Caller {
        name: account.login.clone(),
        role,
        counters: account.counters.clone(),
        person: Some(Person { login: account.login, name: account.name, role: account.role, counters: account.counters, session: sess }),
    })
}

/// Refuses a state-changing request that a browser says comes from another site. The
/// `SameSite=Strict` cookie and the anti-forgery header already stop forgery; this is the
/// third lock, for old browsers.
fn check_same_site(parts: &Parts) -> Result<(), ApiError> {
    let csrf = || ApiError::new(StatusCode::FORBIDDEN, "csrf", "a request from another site is refused");
    if parts.headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return Err(csrf());
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
            return Err(csrf());
        }
    }
    Ok(())
}

/// The `Idempotency-Key` header: a retried request with the same key is answered, not redone.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get("idempotency-key") else { return Ok(IdempotencyKey(None)) };
        let k = v.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 64 && k.bytes().all(|b| b.is_ascii_graphic()));
        match k {
            Some(k) => Ok(IdempotencyKey(Some(k.to_owned()))),
            None => Err(ApiError::bad_request("Idempotency-Key must be 1 to 64 visible ASCII characters")),
        }
    }
}

/// The client's address (from the connection), for the sign-in rate per address.
pub struct ClientIp(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let addr = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(addr.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into())))
    }
}

/// The `Idempotency-Key` header as the API document describes it (`IdempotencyKey` reads it).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // describes a header; never built
pub struct IdempotencyHeader {
    /// A retried request with the same key is answered with the first answer and not done again (the answer then
    /// has the header Idempotent-Replayed: true). 1 to 64 visible ASCII characters.
    #[param(rename = "Idempotency-Key", min_length = 1, max_length = 64, pattern = "^[!-~]+$")]
    idempotency_key: Option<String>,
}

/// The anti-forgery header of a console session, as the API document describes it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // describes a header; never built
pub struct CsrfHeader {
    /// Required with a session cookie for every request that changes state: the `csrf` of the session body.
    /// A device's bearer token needs none.
    #[param(rename = "X-CSRF-Token")]
    x_csrf_token: Option<String>,
}
