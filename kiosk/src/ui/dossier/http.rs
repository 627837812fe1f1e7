//! The one-stop system over HTTP.
//!
//! Contract: `GET {base_url}/dossiers/{code}` (the code URL-encoded) answers
//! - 200 with `{"code": "000.00.06.H56-231027-0361", "applicant": "Nguyễn Văn An",
//!   "procedure": "Đăng ký khai sinh", "status": "processing", "received": "2023-10-27",
//!   "appointment": "2023-11-03", "completed": null}`; `status` is one of `received`,
//!   `processing`, `needs_more`, `ready`, `returned`, `overdue`, `rejected`; dates are
//!   `YYYY-MM-DD` or null;
//! - 404 when there is no such dossier.
//!
//! A province whose system speaks otherwise is reached through a small adapter that speaks
//! this; the kiosk sends nothing but the code.
use super::{Dossier, DossierSource, ReceiptCode, SourceError};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct HttpSourceConfig {
    pub base_url: String,
    /// A citizen waits at most this long before the kiosk says the system is unreachable.
    pub timeout: Duration,
    /// Sent as a bearer token when set.
    pub token: Option<String>,
}

pub struct HttpSource {
    http: reqwest::blocking::Client,
    base: String,
    token: Option<String>,
}

impl HttpSource {
    pub fn new(config: &HttpSourceConfig) -> HttpSource {
        let http = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .expect("an HTTP client with default TLS settings always builds");
        HttpSource { http, base: config.base_url.trim_end_matches('/').to_owned(), token: config.token.clone() }
    }
}

fn encode(code: &str) -> String {
    code.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl DossierSource for HttpSource {
    fn lookup(&self, code: &ReceiptCode) -> Result<Option<Dossier>, SourceError> {
        let url = format!("{}/dossiers/{}", self.base, encode(code.as_str()));
        let mut req = self.http.get(&url);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let res = req.send().map_err(|source| SourceError::Unreachable { url: url.clone(), source })?;
        let status = res.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(SourceError::Status { url, status: status.as_u16() });
        }
        let body = res.bytes().map_err(|source| SourceError::Unreachable { url: url.clone(), source })?;
        serde_json::from_slice(&body).map(Some).map_err(|source| SourceError::Contract { url, source })
    }
}
