//! The typed client of the province hub, as a centre's authority uses it (the uplink): push
//! events, ask the hub's cursor, take the province's catalogue. Built on the same
//! [`ClientBuilder`] as the authority's client (timeouts, `ca_pem` trust), and answering the same
//! [`ClientError`]s, read from the hub's `{"error", "message"}` bodies.
use super::{error, Client, ClientBuilder, ClientError};
use crate::province::booking::Bookings;
use crate::province::{Acked, EventBatch, TicketBoard};
use reqwest::{header, Method, StatusCode};
use std::time::Duration;

/// A centre's link to its province hub.
#[derive(Clone, Debug)]
pub struct HubClient {
    client: Client,
    centre: String,
}

/// The answer to [`HubClient::catalogue`].
#[derive(Debug, Clone, PartialEq)]
pub enum HubCatalogue {
    /// The version named by the `etag` sent is still the published one (HTTP 304).
    Unchanged,
    /// The province has published none (HTTP 404).
    NotPublished,
    /// The published file (the format `[catalogue] procedures` loads) and its version.
    Published { etag: Option<String>, bytes: bytes::Bytes },
}

impl HubClient {
    /// A client of the hub at `url` for `centre`, with its bearer `token`. Give `ca_pem` to the
    /// builder ([`HubClient::builder`]) to trust one CA instead of the public roots.
    pub fn builder(url: &str, token: &str) -> ClientBuilder {
        // A push of 5,000 events is a few MiB: more time than a kiosk's command.
        Client::builder(url).token(token).timeout(Duration::from_secs(60)).retries(0)
    }

    pub fn new(builder: ClientBuilder, centre: &str) -> Result<HubClient, ClientError> {
        Ok(HubClient { client: builder.build()?, centre: centre.to_owned() })
    }

    /// The hub's base URL, for logs and the uplink's status.
    pub fn base(&self) -> &str {
        self.client.base()
    }

    fn centre_path(&self, rest: &str) -> String {
        format!("/api/v1/centres/{}/{rest}", self.centre)
    }

    /// `POST /api/v1/centres/{centre}/events`: answers the highest id the hub now holds.
    /// Idempotent at the hub: a batch sent again after a lost answer is harmless.
    pub async fn push(&self, batch: &EventBatch) -> Result<Acked, ClientError> {
        let path = self.centre_path("events");
        let req = self.client.request(Method::POST, &path).timeout(self.client.timeout).json(batch);
        let res = req.send().await.map_err(|e| self.unreachable(&path, e))?;
        self.answer(&path, res).await
    }

    /// `GET /api/v1/centres/{centre}/cursor`: the hub's truth of what it holds.
    pub async fn cursor(&self) -> Result<Acked, ClientError> {
        let path = self.centre_path("cursor");
        let res = self.client.request(Method::GET, &path).timeout(self.client.timeout).send().await;
        let res = res.map_err(|e| self.unreachable(&path, e))?;
        self.answer(&path, res).await
    }

    /// `PUT /api/v1/centres/{centre}/tickets`: the views of the centre's tickets that changed,
    /// for the hub's phone pages. Idempotent: a push sent again sets the same views.
    pub async fn push_tickets(&self, board: &TicketBoard) -> Result<(), ClientError> {
        let path = self.centre_path("tickets");
        let req = self.client.request(Method::PUT, &path).timeout(self.client.timeout).json(board);
        let res = req.send().await.map_err(|e| self.unreachable(&path, e))?;
        let status = res.status();
        if status.is_success() {
            return Ok(());
        }
        let bytes = res.bytes().await.map_err(|e| self.unreachable(&path, e))?;
        Err(error::refusal(&self.client.url(&path), status.as_u16(), &bytes))
    }

    /// `GET /api/v1/centres/{centre}/bookings?after=`: the centre's bookings after the last it
    /// holds (at most a page); None when the hub takes no bookings (404).
    pub async fn bookings(&self, after: u64) -> Result<Option<Bookings>, ClientError> {
        let path = format!("{}?after={after}", self.centre_path("bookings"));
        let res = self.client.request(Method::GET, &path).timeout(self.client.timeout).send().await;
        let res = res.map_err(|e| self.unreachable(&path, e))?;
        let url = self.client.url(&path);
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| self.unreachable(&path, e))?;
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(error::refusal(&url, status.as_u16(), &bytes));
        }
        serde_json::from_slice(&bytes).map(Some).map_err(|e| ClientError::Decode { url, reason: e.to_string() })
    }

    /// `GET /api/v1/catalogue` with the version held (`etag`): a file bigger than `max_bytes`
    /// is refused ([`ClientError::Decode`]) without being read whole.
    pub async fn catalogue(&self, etag: Option<&str>, max_bytes: usize) -> Result<HubCatalogue, ClientError> {
        let path = "/api/v1/catalogue";
        let mut req = self.client.request(Method::GET, path).timeout(self.client.timeout);
        if let Some(t) = etag {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        let mut res = req.send().await.map_err(|e| self.unreachable(path, e))?;
        let url = self.client.url(path);
        match res.status() {
            StatusCode::NOT_MODIFIED => return Ok(HubCatalogue::Unchanged),
            StatusCode::NOT_FOUND => return Ok(HubCatalogue::NotPublished),
            s if !s.is_success() => {
                let body = res.bytes().await.map_err(|e| self.unreachable(path, e))?;
                return Err(error::refusal(&url, s.as_u16(), &body));
            }
            _ => {}
        }
        let etag = res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let too_big = || ClientError::Decode { url: url.clone(), reason: format!("the catalogue is larger than {max_bytes} bytes") };
        if res.content_length().is_some_and(|n| n > max_bytes as u64) {
            return Err(too_big());
        }
        let mut body = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| self.unreachable(path, e))? {
            if body.len() + chunk.len() > max_bytes {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HubCatalogue::Published { etag, bytes: body.into() })
    }

    fn unreachable(&self, path: &str, source: reqwest::Error) -> ClientError {
        ClientError::HubUnreachable { url: self.client.url(path), source }
    }

    async fn answer(&self, path: &str, res: reqwest::Response) -> Result<Acked, ClientError> {
        let url = self.client.url(path);
        let status = res.status();
        // A cut answer is no answer: the push is sent again, which the hub takes as a repeat.
        let bytes = res.bytes().await.map_err(|e| self.unreachable(path, e))?;
        if !status.is_success() {
            return Err(error::refusal(&url, status.as_u16(), &bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode { url, reason: e.to_string() })
    }
}
