//! Who is asking: a centre (its `[[centres]] token`, looked up by SHA-256 in PostgreSQL), the
//! province (a `[[auth.tokens]]` token of role province), or a dashboard session (its cookie).
use super::{ApiError, AppState};
use crate::config::Role;
use crate::secret::sha256;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// The session cookie's name.
pub const COOKIE: &str = "hub_session";

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == COOKIE && !v.is_empty()).then(|| v.to_owned())
    })
}

/// A centre, authenticated by its token.
pub struct CentreCaller {
    pub centre: String,
}

impl FromRequestParts<AppState> for CentreCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(|| ApiError::unauthorized("a centre's bearer token is required"))?;
        let client = app.pool.get().await?;
        let row = client.query_opt("SELECT id FROM centres WHERE token_sha256 = $1", &[&sha256(token.as_bytes())]).await?;
        match row {
            Some(r) => Ok(CentreCaller { centre: r.get(0) }),
            None => Err(ApiError::unauthorized("unknown token")),
        }
    }
}

impl CentreCaller {
    /// Refuses a centre acting for another.
    pub fn require(&self, centre: &str) -> Result<(), ApiError> {
        if self.centre == centre {
            Ok(())
        } else {
            Err(ApiError::forbidden("wrong_centre", format!("this token is centre {}'s, not {centre}'s", self.centre)))
        }
    }
}

/// Someone allowed to read the province's figures: a province token or a signed-in account.
pub struct ProvinceReader {
    /// The account's login, or the token's name.
    pub who: String,
}

impl FromRequestParts<AppState> for ProvinceReader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        if let Some(token) = bearer(parts) {
            if let Some(t) = app.config.token(token).filter(|t| t.role == Role::Province) {
                return Ok(ProvinceReader { who: t.name.clone() });
            }
            // A centre's own token is known, but not allowed here.
            let client = app.pool.get().await?;
            if client.query_opt("SELECT 1 FROM centres WHERE token_sha256 = $1", &[&sha256(token.as_bytes())]).await?.is_some() {
                return Err(ApiError::forbidden("forbidden", "a centre's token cannot read the province's report"));
            }
            return Err(ApiError::unauthorized("unknown token"));
        }
        match session_cookie(parts) {
            Some(cookie) => match super::session::account_of(app, &cookie).await? {
                Some(login) => Ok(ProvinceReader { who: login }),
                None => Err(ApiError::unauthorized("the session has ended: sign in again")),
            },
            None => Err(ApiError::unauthorized("a province token or a signed-in session is required")),
        }
    }
}
