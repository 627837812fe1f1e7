//! Extractors whose refusals are JSON errors like every other.
use super::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A JSON request body; an oversized, mistyped or malformed one is refused with its reason.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(r) => Err(refusal(r)),
        }
    }
}

fn refusal(r: JsonRejection) -> ApiError {
    let status = r.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        _ => "bad_request",
    };
    ApiError::new(status, code, r.body_text())
}

/// An optional body: commands like call-next take none, but a client may send `{}`.
pub async fn empty_ok(bytes: &axum::body::Bytes) -> Result<(), ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    match text.trim() {
        "" | "{}" => Ok(()),
        _ => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", "this endpoint takes no body")),
    }
}
