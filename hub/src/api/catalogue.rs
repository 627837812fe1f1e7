//! `GET /api/v1/catalogue` (any centre's token) → the newest published procedure catalogue,
//! with its `ETag`; `If-None-Match` with that tag → 304; nothing published → 404.
use super::auth::CentreCaller;
use super::{ApiError, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn latest(State(app): State<AppState>, _caller: CentreCaller, headers: HeaderMap) -> Result<Response, ApiError> {
    let client = app.pool.get().await?;
    let row = client.query_opt("SELECT etag, body FROM catalogues ORDER BY version DESC LIMIT 1", &[]).await?;
    let Some(row) = row else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no catalogue has been published"));
    };
    let etag: String = row.get(0);
    let tag = HeaderValue::from_str(&etag).map_err(|_| ApiError::bad_request("stored etag"))?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    let body: String = row.get(1);
    Ok(([(header::ETAG, tag), (header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson; charset=utf-8"))], body)
        .into_response())
}

/// Stores `body` (already checked by the catalogue loader) as the newest version; returns
/// (version, etag).
pub async fn publish(pool: &deadpool_postgres::Pool, body: &str) -> Result<(i64, String), crate::db::DbError> {
    let etag = format!("\"{}\"", &crate::secret::hex(&crate::secret::sha256(body.as_bytes()))[..32]);
    let client = pool.get().await?;
    let version: i64 =
        client.query_one("INSERT INTO catalogues (etag, body) VALUES ($1, $2) RETURNING version", &[&etag, &body]).await?.get(0);
    Ok((version, etag))
}
