//! A typed client of the queue authority's API, for the command line, other devices and tests.
//!
//! Every command is sent with an `Idempotency-Key`, and retried with the same key when the
//! network fails before an answer: a button press is applied once even over a flaky link.
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use crate::event::{Event, EventId};
use crate::sse::SseParser;
use crate::wire::{CallRequest, ErrorBody, IssueRequest, StateView, TicketView, TransferRequest};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the queue authority at {url}: {source}")]
    Connect { url: String, source: reqwest::Error },
    #[error("{message} ({code}, HTTP {status})")]
    Api { status: u16, code: String, message: String },
    #[error("unexpected answer from {url}: {reason}")]
    Decode { url: String, reason: String },
}

impl ClientError {
    /// The API's machine code, for callers that act on it.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    retries: u32,
}

static KEYS: AtomicU64 = AtomicU64::new(0);

/// A key unique to this process and press: time, process id and a counter.
fn new_key() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    format!("{:x}-{:x}-{:x}", nanos, std::process::id(), KEYS.fetch_add(1, Ordering::Relaxed))
}

impl Client {
    pub fn new(base: &str, token: Option<String>) -> Client {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .build()
            .expect("an HTTP client without TLS always builds");
        Client { http, base: base.trim_end_matches('/').to_owned(), token, retries: 3 }
    }

    /// How many times a command is re-sent after a network failure (with the same key).
    pub fn with_retries(mut self, retries: u32) -> Client {
        self.retries = retries;
        self
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Sends a command; `None` for 204 No Content.
    async fn command<T: DeserializeOwned>(&self, path: &str, body: Option<serde_json::Value>) -> Result<Option<T>, ClientError> {
        let key = new_key();
        let mut attempt = 0;
        loop {
            let mut req = self.request(Method::POST, path).header("idempotency-key", &key).timeout(Duration::from_secs(10));
            if let Some(b) = &body {
                req = req.json(b);
            }
            match req.send().await {
                Ok(res) => return self.decode(path, res).await,
                Err(e) if attempt < self.retries && (e.is_connect() || e.is_timeout() || e.is_request()) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200 * attempt as u64)).await;
                }
                Err(e) => return Err(ClientError::Connect { url: format!("{}{path}", self.base), source: e }),
            }
        }
    }

    async fn decode<T: DeserializeOwned>(&self, path: &str, res: reqwest::Response) -> Result<Option<T>, ClientError> {
        let url = format!("{}{path}", self.base);
        let status = res.status();
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let bytes = res.bytes().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
        if !status.is_success() {
            return Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
                Ok(b) => ClientError::Api { status: status.as_u16(), code: b.error, message: b.message },
                Err(_) => ClientError::Decode { url, reason: format!("HTTP {status} without an error body") },
            });
        }
        serde_json::from_slice(&bytes).map(Some).map_err(|e| ClientError::Decode { url, reason: e.to_string() })
    }

    fn some<T>(v: Option<T>, what: &str) -> Result<T, ClientError> {
        v.ok_or_else(|| ClientError::Decode { url: what.to_owned(), reason: "no body".into() })
    }

    pub async fn issue(&self, service: &str, priority: Option<&str>) -> Result<TicketView, ClientError> {
        let body = IssueRequest { service: service.to_owned(), priority: priority.map(str::to_owned) };
        Self::some(self.command("/api/v1/tickets", Some(serde_json::to_value(body).expect("serialisable"))).await?, "issue")
    }

    pub async fn call_next(&self, counter: &str) -> Result<Option<TicketView>, ClientError> {
        self.command(&format!("/api/v1/counters/{counter}/call-next"), None).await
    }

    pub async fn call(&self, counter: &str, number: &str) -> Result<TicketView, ClientError> {
        let body = CallRequest { ticket: None, number: Some(number.to_owned()) };
        let path = format!("/api/v1/counters/{counter}/call");
        Self::some(self.command(&path, Some(serde_json::to_value(body).expect("serialisable"))).await?, "call")
    }

    /// `action` is one of `recall`, `no-show`, `finish`.
    pub async fn counter_action(&self, counter: &str, action: &str) -> Result<Option<TicketView>, ClientError> {
        self.command(&format!("/api/v1/counters/{counter}/{action}"), None).await
    }

    pub async fn transfer(&self, counter: &str, service: Option<&str>, to_counter: Option<&str>) -> Result<TicketView, ClientError> {
        let body = TransferRequest { service: service.map(str::to_owned), counter: to_counter.map(str::to_owned) };
        let path = format!("/api/v1/counters/{counter}/transfer");
        Self::some(self.command(&path, Some(serde_json::to_value(body).expect("serialisable"))).await?, "transfer")
    }

    pub async fn set_paused(&self, counter: &str, paused: bool) -> Result<(), ClientError> {
        let action = if paused { "pause" } else { "resume" };
        self.command::<serde_json::Value>(&format!("/api/v1/counters/{counter}/{action}"), None).await.map(|_| ())
    }

    pub async fn restore(&self, ticket: &str) -> Result<TicketView, ClientError> {
        Self::some(self.command(&format!("/api/v1/tickets/{ticket}/restore"), None).await?, "restore")
    }

    /// Reports this device's health (the device is this client's token name).
    pub async fn report_device(&self, problem: Option<&str>, message: Option<&str>) -> Result<(), ClientError> {
        let body = crate::wire::DeviceReport { problem: problem.map(str::to_owned), message: message.map(str::to_owned) };
        self.command::<serde_json::Value>("/api/v1/devices/status", Some(serde_json::to_value(body).expect("serialisable"))).await.map(|_| ())
    }

    pub async fn state(&self) -> Result<StateView, ClientError> {
        let path = "/api/v1/state";
        let res = self.request(Method::GET, path).timeout(Duration::from_secs(10)).send().await;
        let res = res.map_err(|e| ClientError::Connect { url: format!("{}{path}", self.base), source: e })?;
        Self::some(self.decode(path, res).await?, "state")
    }

    /// The centre's settings in force (`GET /api/v1/settings`).
    pub async fn settings(&self) -> Result<crate::wire::SettingsView, ClientError> {
        let path = "/api/v1/settings";
        let res = self.request(Method::GET, path).timeout(Duration::from_secs(10)).send().await;
        let res = res.map_err(|e| ClientError::Connect { url: format!("{}{path}", self.base), source: e })?;
        Self::some(self.decode(path, res).await?, "settings")
    }

    /// Follows the event stream from after `after` (or from now).
    pub async fn events(&self, after: Option<EventId>) -> Result<EventStream, ClientError> {
        let path = "/api/v1/events";
        let mut req = self.request(Method::GET, path);
        if let Some(id) = after {
            req = req.header("last-event-id", id.to_string());
        }
        let url = format!("{}{path}", self.base);
        let res = req.send().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
        if !res.status().is_success() {
            return Err(self.decode::<serde_json::Value>(path, res).await.err().unwrap_or(ClientError::Decode { url, reason: "no stream".into() }));
        }
        Ok(EventStream { body: Box::pin(res.bytes_stream()), parser: SseParser::new(), ready: VecDeque::new(), url })
    }
}

/// What the event stream delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Event(Event),
    /// Events were lost to pruning or the store was replaced: fetch the state again.
    Resync,
}

type ByteStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

pub struct EventStream {
    body: ByteStream,
    parser: SseParser,
    ready: VecDeque<crate::sse::SseMessage>,
    url: String,
}

impl EventStream {
    /// The next item; `None` when the server closed the stream.
    pub async fn next(&mut self) -> Option<Result<StreamItem, ClientError>> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Some(if m.data.contains(r#""type":"resync""#) && m.id.is_none() {
                    Ok(StreamItem::Resync)
                } else {
                    serde_json::from_str(&m.data)
                        .map(StreamItem::Event)
                        .map_err(|e| ClientError::Decode { url: self.url.clone(), reason: format!("event {:?}: {e}", m.id) })
                });
            }
            match self.body.next().await? {
                Ok(chunk) => self.ready.extend(self.parser.push(&chunk)),
                Err(e) => return Some(Err(ClientError::Connect { url: self.url.clone(), source: e })),
            }
        }
    }
}
