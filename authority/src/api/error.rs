//! Every refusal is a JSON body `{"error": code, "message": text}` with a fitting status.
use crate::owner::AuthorityError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::domain::DomainError;
use shared::store::StoreError;
use shared::wire::ErrorBody;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub problems: Vec<shared::config::SettingsProblem>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), problems: Vec::new() }
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.code.to_owned(), message: self.message, problems: self.problems };
        let mut res = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        use DomainError::*;
        let status = match &e {
            UnknownService(_) | UnknownCounter(_) | UnknownPriority(_) | TicketNotFound(_) => StatusCode::NOT_FOUND,
            PriorityNotOffered { .. } | EmptyTransfer => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceClosed { .. } | DailyCapReached { .. } | CounterPaused(_) | NoCurrentTicket(_)
            | NotCallable { .. } | NotServedHere { .. } | GraceExpired { .. } | SeriesExhausted { .. }
            | AlreadyRated(_) | RatingClosed { .. } | NotFinished(_) | InUse(_) => {
                StatusCode::CONFLICT
            }
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl From<AuthorityError> for ApiError {
    fn from(e: AuthorityError) -> Self {
        match e {
            AuthorityError::Domain(d) => d.into(),
            AuthorityError::Store(s) => {
                tracing::error!("storage: {s}");
                let code = match *s {
                    StoreError::Full { .. } => "storage_full",
                    _ => "storage_unavailable",
                };
                // Nothing of the request was kept: saying so lets a kiosk tell the citizen to
                // try again rather than to wait for a number that does not exist.
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, format!("nothing was recorded: {s}"))
            }
            AuthorityError::Stopped => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "stopping", "the server is shutting down")
            }
            AuthorityError::Settings(e) => {
                use crate::owner::ReconfigureError as R;
                use shared::config::SettingsError as S;
                match e {
                    R::VersionConflict { .. } => ApiError::new(StatusCode::CONFLICT, "version_conflict", e.to_string()),
                    R::Invalid(S::Invalid(problems)) => ApiError {
                        message: S::Invalid(problems.clone()).to_string(),
                        problems,
                        ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_settings", "")
                    },
                    R::Invalid(m @ S::Malformed(_)) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_settings", m.to_string()),
                    R::Stored { .. } => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "settings_unreadable", e.to_string()),
                }
            }
        }
    }
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no such endpoint: {}", uri.path()))
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", format!("{method} is not allowed on {}", uri.path()))
}
