//! The one-stop system over HTTP or HTTPS (rustls with the bundled Mozilla roots of
//! `webpki-roots`: no system CA store is needed, so it works the same on a bare Pi image).
//!
//! Contract (the kiosk and the display send nothing but what is below; a province whose
//! system speaks otherwise is reached through a small adapter that speaks this):
//! - `GET {base_url}/dossiers/{code}` (the code URL-encoded) answers 200 with
//!   `{"code": "000.00.06.H56-231027-0361", "applicant": "Nguyễn Văn An",
//!   "procedure": "Đăng ký khai sinh", "status": "processing", "received": "2023-10-27",
//!   "appointment": "2023-11-03", "completed": null}`, or 404 when there is no such dossier;
//!   `status` is one of `received`, `processing`, `needs_more`, `ready`, `returned`,
//!   `overdue`, `rejected`; dates are `YYYY-MM-DD` or null; other fields are ignored (and so
//!   never shown).
//! - `GET {base_url}/dossiers?status=ready|processing|overdue&page=N&per_page=M` (N from 1,
//!   M 1–100) answers 200 with `{"items": [dossier, ...], "total": T, "page": N,
//!   "per_page": M}`: at most M dossiers, `total` across all pages; a page past the end has no
//!   items. 400 for a bad parameter.
//! - With a token configured, every request carries `Authorization: Bearer <token>`.
//! - `base_url` may be `http://` (a LAN adapter) or `https://` (certificates checked against
//!   the bundled roots).
use super::{Dossier, DossierPage, DossierSource, DossierStatus, ReceiptCode, SourceError, MAX_PER_PAGE};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct HttpSourceConfig {
    pub base_url: String,
    /// A citizen waits at most this long before the screen says the system is unreachable.
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
            .expect("an HTTP client with the bundled TLS roots always builds");
        HttpSource { http, base: config.base_url.trim_end_matches('/').to_owned(), token: config.token.clone() }
    }

    /// GET `url`: `None` for a 404, else the body of a 2xx.
    fn get(&self, url: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let unreachable = |e: reqwest::Error| SourceError::Unreachable { url: url.to_owned(), source: Box::new(e) };
        let mut req = self.http.get(url);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let res = req.send().map_err(unreachable)?;
        let status = res.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(SourceError::Status { url: url.to_owned(), status: status.as_u16() });
        }
        res.bytes().map(|b| Some(b.to_vec())).map_err(unreachable)
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
        let Some(body) = self.get(&url)? else { return Ok(None) };
        serde_json::from_slice(&body).map(Some).map_err(|source| SourceError::Contract { url, source })
    }

    fn list(&self, status: DossierStatus, page: u32, per_page: u32) -> Result<DossierPage, SourceError> {
        let (page, per_page) = (page.max(1), per_page.clamp(1, MAX_PER_PAGE));
        let url = format!("{}/dossiers?status={}&page={page}&per_page={per_page}", self.base, status.as_str());
        let Some(body) = self.get(&url)? else {
            return Err(SourceError::Status { url, status: 404 });
        };
        let listing: DossierPage = serde_json::from_slice(&body).map_err(|source| SourceError::Contract { url: url.clone(), source })?;
        // A board trusts what it shows: a listing that breaks its own rules is refused whole.
        if listing.items.len() > per_page as usize {
            return Err(SourceError::Listing { url, reason: "more items than the page size asked" });
        }
        if (listing.total as usize) < listing.items.len() {
            return Err(SourceError::Listing { url, reason: "fewer in total than on the page" });
        }
        if listing.items.iter().any(|d| d.status != status) {
            return Err(SourceError::Listing { url, reason: "an item of another status than asked" });
        }
        Ok(listing)
    }
}
