//! Every refusal is a JSON body `{"error": code, "message": text}` with a fitting status.
use crate::owner::AuthorityError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::domain::DomainError;
use shared::store::StoreError;
use shared::wire::{ErrorBody, ErrorCode};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// The machine code, from the enum the client reads it back into: the two cannot drift.
    pub code: ErrorCode,
    pub message: String,
    pub problems: Vec<shared::config::SettingsProblem>,
    /// Seconds after which trying again may succeed (`Retry-After`), for a refusal that passes.
    pub retry_after: Option<u32>,
    /// What the refusal is about, for a screen to say (`ErrorBody::detail`).
    pub detail: Option<String>,
}

impl ApiError {
    /// `code` is an [`ErrorCode`] or its wire name (the handlers' `"invalid_body"`); a name the
    /// enum lacks is a server code the clients cannot act on, caught in debug builds.
    pub fn new(status: StatusCode, code: impl Into<ErrorCode>, message: impl Into<String>) -> ApiError {
        let code = code.into();
        debug_assert!(!matches!(code, ErrorCode::Unknown(_)), "error code {code} is missing from shared::wire::ErrorCode");
        ApiError { status, code, message: message.into(), problems: Vec::new(), retry_after: None, detail: None }
    }
    /// Tells the client when trying again may succeed.
    pub fn retry_after(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.code, message: self.message, problems: self.problems, detail: self.detail };
        let mut res = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(s) = self.retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        use DomainError::*;
        let status = match &e {
            UnknownService(_) | UnknownCounter(_) | UnknownPriority(_) | TicketNotFound(_) | NoHelpCall(_) | BookingNotFound(_) => {
                StatusCode::NOT_FOUND
            }
            PriorityNotOffered { .. } | EmptyTransfer | BadReceiptCode { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceClosed { .. }
            | DailyCapReached { .. }
            | CounterPaused(_)
            | NoCurrentTicket(_)
            | NotCallable { .. }
            | NotServedHere { .. }
            | GraceExpired { .. }
            | SeriesExhausted { .. }
            | AlreadyRated(_)
            | RatingClosed { .. }
            | NotFinished(_)
            | NotLive { .. }
            | NotServed(_)
            | LinkClosed { .. }
            | DossierTaken { .. }
            | AlreadyEvaluated { .. }
            | BookingOtherDay { .. }
            | BookingTooEarly { .. }
            | BookingTooLate { .. }
            | BookingUsed { .. }
            | InUse(_) => StatusCode::CONFLICT,
            NotYours { .. } => StatusCode::FORBIDDEN,
            ReprintTooSoon { .. } | TicketReprintLimit { .. } | DayReprintLimit { .. } | HelpTooSoon { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
        };
        let retry = match &e {
            ReprintTooSoon { wait_s, .. } | HelpTooSoon { wait_s, .. } => Some(*wait_s),
            _ => None,
        };
        let detail = match &e {
            BookingOtherDay { day, .. } => Some(day.format("%d/%m/%Y").to_string()),
            BookingTooEarly { from, .. } => Some(from.clone()),
            BookingTooLate { window, .. } => Some(window.replace('-', "–")),
            BookingUsed { number, .. } => Some(number.clone()),
            _ => None,
        };
        ApiError { retry_after: retry, detail, ..ApiError::new(status, e.code(), e.to_string()) }
    }
}

impl From<AuthorityError> for ApiError {
    fn from(e: AuthorityError) -> Self {
        match e {
            AuthorityError::Domain(d) => d.into(),
            AuthorityError::Store(s) => {
                tracing::error!("storage: {s}");
                let code = match *s {
                    StoreError::Full { .. } => ErrorCode::StorageFull,
                    _ => ErrorCode::StorageUnavailable,
                };
                // Nothing of the request was kept: saying so lets a kiosk tell the citizen to
                // try again rather than to wait for a number that does not exist.
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, format!("nothing was recorded: {s}"))
            }
            AuthorityError::Stopped => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Stopping, "the server is shutting down"),
            AuthorityError::Settings(e) => {
                use crate::owner::ReconfigureError as R;
                use shared::config::SettingsError as S;
                match e {
                    R::VersionConflict { .. } => ApiError::new(StatusCode::CONFLICT, ErrorCode::VersionConflict, e.to_string()),
                    R::Invalid(S::Invalid(problems)) => ApiError {
                        message: S::Invalid(problems.clone()).to_string(),
                        problems,
                        ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidSettings, "")
                    },
                    R::Invalid(m @ S::Malformed(_)) => {
                        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidSettings, m.to_string())
                    }
                    R::Stored { .. } => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::SettingsUnreadable, e.to_string()),
                }
            }
        }
    }
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("no such endpoint: {}", uri.path()))
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, format!("{method} is not allowed on {}", uri.path()))
}
