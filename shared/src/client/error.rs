//! What can go wrong talking to the authority, and whether trying again can help.
use crate::wire::{ErrorBody, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The reqwest client could not be set up (a TLS backend or certificate problem).
    #[error("cannot set up the HTTP client: {0}")]
    Setup(reqwest::Error),
    /// The certificate authority to trust cannot be read.
    #[error("cannot use the CA certificate {0}: {1}")]
    Ca(String, String),
    /// No answer: the connection failed, timed out, or the answer was cut.
    #[error("cannot reach the queue authority at {url}: {source}")]
    Connect { url: String, source: reqwest::Error },
    /// No answer from the province hub (`HubClient`): as `Connect`, named for the operator.
    #[error("cannot reach the province hub at {url}: {source}")]
    HubUnreachable { url: String, source: reqwest::Error },
    /// A refusal with the API's error body.
    #[error("{message} ({code}, HTTP {status})")]
    Api { status: u16, code: ErrorCode, message: String, detail: Option<String> },
    /// An error status without a readable error body (a proxy's page, an empty 503).
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("unexpected answer from {url}: {reason}")]
    Decode { url: String, reason: String },
    /// The event stream sent nothing, not even a keep-alive, for this long: a dead link.
    #[error("no data from the event stream for {0:?}")]
    Idle(std::time::Duration),
}

impl ClientError {
    /// The API's machine code, for callers that act on it.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// What the refusal is about (`ErrorBody::detail`), when the API said it.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ClientError::Api { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of an answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the same request (with the same idempotency key) may succeed if sent again:
    /// no answer, or the authority was busy or in storage trouble (nothing was done).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Connect { .. } | ClientError::HubUnreachable { .. } | ClientError::Idle(_) => true,
            // A 429 that lasts the day: trying again cannot help.
            ClientError::Api { code: ErrorCode::ReprintLimitReached, .. } => false,
            ClientError::Api { status, .. } | ClientError::Status { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            ClientError::Setup(_) | ClientError::Ca(..) | ClientError::Decode { .. } => false,
        }
    }
}

/// The error of a non-success answer's body.
pub(crate) fn refusal(url: &str, status: u16, body: &[u8]) -> ClientError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(b) => ClientError::Api { status, code: b.error, message: b.message, detail: b.detail },
        Err(_) => ClientError::Status { url: url.to_owned(), status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_is_read_into_its_code_and_a_newer_code_is_kept() {
        // Proves the client reads the server's body into the shared enum, keeps a code it does
        // not know as it came, and tells a body-less 503 (retry) from a refusal (do not).
        let e = refusal("u", 409, br#"{"error":"service_closed","message":"closed until 13:00"}"#);
        assert_eq!(e.code(), Some(&ErrorCode::ServiceClosed));
        assert!(!e.is_transient());
        let e = refusal("u", 409, br#"{"error":"quota_exceeded","message":"m"}"#);
        assert_eq!(e.code(), Some(&ErrorCode::Unknown("quota_exceeded".into())));
        let e = refusal("u", 503, b"<html>busy</html>");
        assert!(matches!(e, ClientError::Status { status: 503, .. }), "{e:?}");
        assert!(e.is_transient());
        assert!(refusal("u", 503, br#"{"error":"storage_full","message":"m"}"#).is_transient());
        // Slowed down: later helps; a day's reprints used up: it does not.
        assert!(refusal("u", 429, br#"{"error":"reprint_too_soon","message":"m"}"#).is_transient());
        assert!(refusal("u", 503, br#"{"error":"sign_in_busy","message":"m"}"#).is_transient());
        assert!(!refusal("u", 429, br#"{"error":"reprint_limit_reached","message":"m"}"#).is_transient());
    }

    #[test]
    fn error_codes_are_the_same_strings_on_the_wire() {
        // Proves serde of the enum is byte-identical to the strings the server used to send.
        let body = ErrorBody { error: ErrorCode::NoCurrentTicket, message: "m".into(), problems: Vec::new(), detail: None };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"error":"no_current_ticket","message":"m"}"#);
        for code in [
            "ticket_not_callable",
            "csrf",
            "storage_full",
            "invalid_body",
            "account_locked",
            "too_many_sign_ins",
            "sign_in_busy",
            "ticket_not_live",
            "reprint_too_soon",
            "reprint_limit_reached",
        ] {
            let c: ErrorCode = serde_json::from_str(&format!("\"{code}\"")).unwrap();
            assert!(!matches!(c, ErrorCode::Unknown(_)), "{code}");
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{code}\""));
        }
    }
}
