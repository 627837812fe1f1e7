//! Bearer tokens per device and role, from the configuration.
use super::error::ApiError;
use super::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use shared::config::{Role, Token};

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

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
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

    /// Counter staff, limited to their own counters when the token names some.
    pub fn require_counter(&self, counter: &str) -> Result<(), ApiError> {
        self.require(&[Role::Counter])?;
        if self.role == Role::Counter && !self.counters.is_empty() && !self.counters.iter().any(|c| c == counter) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("{} may not operate counter {counter:?}", self.name),
            ));
        }
        Ok(())
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m);
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("an Authorization: Bearer token is needed"))?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let t = state.tokens.find(token.trim()).ok_or_else(|| unauthorized("the token is not known"))?;
        Ok(Caller { name: t.name.clone(), role: t.role, counters: t.counters.clone() })
    }
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
