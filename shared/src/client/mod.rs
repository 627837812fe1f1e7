//! The typed client of the queue authority's API: the one every process uses (the kiosk's touch
//! UI, printer link and command line, the display's follower, keypads and health reports).
//!
//! Layout:
//! - this file: [`Client`], built in one place by [`ClientBuilder`] (base URL, bearer token,
//!   timeouts, TLS), and one method per endpoint with typed bodies and answers;
//! - [`error`]: [`ClientError`], carrying the API's [`ErrorCode`](crate::wire::ErrorCode) enum;
//! - [`events`]: the typed event stream ([`StreamItem`]) with keep-alive/idle detection;
//! - [`hub`]: [`HubClient`], the province hub's client (the authority's uplink);
//! - [`retry`]: [`Backoff`], the one reconnect policy of every retrying loop;
//! - [`keys`]: idempotency keys and the typed [`CounterAction`];
//! - [`backup`]: the store's copy saved to a file, whole or not at all;
//! - [`public`]: a ticket by its public key, once or live, as its holder's phone reads it.
//!
//! Every command is sent with an `Idempotency-Key`, and retried with the same key when the
//! network fails before an answer: a button press is applied once even over a flaky link.
//! A caller that retries on its own terms (the display's keypads) sends one attempt at a time
//! with a key it keeps across them ([`Client::counter_action_keyed`]).
pub mod backup;
pub mod error;
pub mod events;
pub mod hub;
pub mod keys;
pub mod public;
pub mod retry;

pub use error::ClientError;
pub use events::{EventStream, StreamItem, IDLE};
pub use hub::{HubCatalogue, HubClient};
pub use keys::{CounterAction, IdempotencyKey};
pub use public::{TicketFollow, TicketUpdate};
pub use retry::Backoff;

use crate::event::EventId;
use crate::wire::{
    CallRequest, DeviceAnswer, DeviceReport, DossierLink, DossierLinkRequest, Evaluation, EvaluationRequest, HelpRequest, HelpScreen,
    HelpView, IssueRequest, SettingsView, StateView, TicketView, TransferRequest,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Sets up a [`Client`]: the one place its HTTP stack is built (a custom CA goes here).
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base: String,
    token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    idle: Duration,
    retries: u32,
    ca: Option<Vec<u8>>,
}

impl ClientBuilder {
    /// Trust only this certificate authority (PEM; the centre's `ca.pem`, made by `kiosk tls
    /// init`) for `https` URLs: a device on the centre's LAN talks to the centre's server and
    /// no one else, whatever public CA would vouch for an impostor.
    pub fn ca_pem(mut self, pem: Vec<u8>) -> Self {
        self.ca = Some(pem);
        self
    }

    /// [`ca_pem`](Self::ca_pem) from a file; none: the bundled public roots.
    pub fn ca_file(self, path: Option<&std::path::Path>) -> Result<Self, ClientError> {
        match path {
            None => Ok(self),
            Some(p) => match std::fs::read(p) {
                Ok(pem) => Ok(self.ca_pem(pem)),
                Err(e) => Err(ClientError::Ca(p.display().to_string(), e.to_string())),
            },
        }
    }

    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Gives up connecting after this long (default 3 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Gives up on an answer to a command or query after this long (default 10 s); never
    /// applies to the event stream, which [`idle`](Self::idle) watches instead.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Silence on the event stream after which it ends (default [`IDLE`], 35 s).
    pub fn idle(mut self, d: Duration) -> Self {
        self.idle = d;
        self
    }

    /// How many times a command is re-sent after a network failure, with the same key (default 3).
    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    pub fn build(self) -> Result<Client, ClientError> {
        // rustls with the bundled web PKI roots (the `reqwest` features of `shared`): HTTPS works
        // the same on every device, with no system CA store.
        let mut http = reqwest::Client::builder().connect_timeout(self.connect_timeout);
        if let Some(pem) = &self.ca {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(ClientError::Setup)?;
            if certs.is_empty() {
                return Err(ClientError::Ca("the CA".into(), "no certificate in it".into()));
            }
            http = certs.into_iter().fold(http.tls_built_in_root_certs(false), |b, c| b.add_root_certificate(c));
        }
        let http = http.build().map_err(ClientError::Setup)?;
        Ok(Client {
            http,
            base: self.base.trim_end_matches('/').to_owned(),
            token: self.token,
            timeout: self.timeout,
            idle: self.idle,
            retries: self.retries,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    timeout: Duration,
    idle: Duration,
    retries: u32,
}

impl Client {
    pub fn builder(base: &str) -> ClientBuilder {
        ClientBuilder {
            base: base.to_owned(),
            token: None,
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(10),
            idle: IDLE,
            retries: 3,
            ca: None,
        }
    }

    /// A client with the defaults.
    pub fn new(base: &str, token: Option<String>) -> Client {
        let b = Client::builder(base);
        let b = match token {
            Some(t) => b.token(t),
            None => b,
        };
        b.build().expect("an HTTP client with the bundled TLS roots always builds")
    }

    /// How many times a command is re-sent after a network failure (with the same key).
    pub fn with_retries(mut self, retries: u32) -> Client {
        self.retries = retries;
        self
    }

    /// The authority's base URL, for logs.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.http.request(method, self.url(path));
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Sends a command once with `key`; `None` for 204 No Content.
    async fn attempt<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&serde_json::Value>,
        key: &IdempotencyKey,
    ) -> Result<Option<T>, ClientError> {
        let mut req = self.request(Method::POST, path).header("idempotency-key", key.as_str()).timeout(self.timeout);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.map_err(|e| ClientError::Connect { url: self.url(path), source: e })?;
        self.decode(path, res).await
    }

    /// Sends a command with a fresh key, re-sent with the same key after a network failure.
    async fn command<T: DeserializeOwned>(&self, path: &str, body: Option<serde_json::Value>) -> Result<Option<T>, ClientError> {
        let key = IdempotencyKey::new();
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(2));
        let mut attempt = 0;
        loop {
            match self.attempt(path, body.as_ref(), &key).await {
                Err(ClientError::Connect { .. }) if attempt < self.retries => {
                    attempt += 1;
                    tokio::time::sleep(backoff.fail()).await;
                }
                other => return other,
            }
        }
    }

    async fn query<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let res = self.request(Method::GET, path).timeout(self.timeout).send().await;
        let res = res.map_err(|e| ClientError::Connect { url: self.url(path), source: e })?;
        self.decode(path, res).await?.ok_or_else(|| self.no_body(path))
    }

    async fn decode<T: DeserializeOwned>(&self, path: &str, res: reqwest::Response) -> Result<Option<T>, ClientError> {
        let url = self.url(path);
        let status = res.status();
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        // A cut answer is no answer: whether the command was done is settled by its key.
        let bytes = res.bytes().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
        if !status.is_success() {
            return Err(error::refusal(&url, status.as_u16(), &bytes));
        }
        serde_json::from_slice(&bytes).map(Some).map_err(|e| ClientError::Decode { url, reason: e.to_string() })
    }

    fn no_body(&self, path: &str) -> ClientError {
        ClientError::Decode { url: self.url(path), reason: "no body".into() }
    }

    fn json<B: serde::Serialize>(body: B) -> Option<serde_json::Value> {
        Some(serde_json::to_value(body).expect("request bodies are serialisable"))
    }

    pub async fn issue(&self, service: &str, priority: Option<&str>) -> Result<TicketView, ClientError> {
        let body = IssueRequest { service: service.to_owned(), priority: priority.map(str::to_owned) };
        let path = "/api/v1/tickets";
        self.command(path, Self::json(body)).await?.ok_or_else(|| self.no_body(path))
    }

    /// Checks in a number booked on the province hub (`POST /api/v1/bookings/check-in`): the
    /// code as typed, or a booking QR code's text as scanned.
    pub async fn check_in(&self, code: &str) -> Result<TicketView, ClientError> {
        let path = "/api/v1/bookings/check-in";
        self.command(path, Self::json(crate::wire::CheckInRequest { code: code.to_owned() })).await?.ok_or_else(|| self.no_body(path))
    }

    /// `None`: nobody waits.
    pub async fn call_next(&self, counter: &str) -> Result<Option<TicketView>, ClientError> {
        self.counter_action(counter, CounterAction::CallNext).await
    }

    pub async fn call(&self, counter: &str, number: &str) -> Result<TicketView, ClientError> {
        let body = CallRequest { ticket: None, number: Some(number.to_owned()) };
        let path = format!("/api/v1/counters/{counter}/call");
        self.command(&path, Self::json(body)).await?.ok_or_else(|| self.no_body(&path))
    }

    /// Asks for a ticket of today (its number, e.g. A012) to be printed again, at the kiosk
    /// `device` (its token name) or at any kiosk; printing happens there.
    pub async fn reprint(&self, number: &str, device: Option<&str>) -> Result<TicketView, ClientError> {
        let path = format!("/api/v1/tickets/{number}/reprint");
        let body = device.map(|d| serde_json::json!({ "device": d }));
        self.command(&path, body).await?.ok_or_else(|| self.no_body(&path))
    }

    /// A counter's button: the ticket it concerns, `None` when there was nothing to do.
    pub async fn counter_action(&self, counter: &str, action: CounterAction) -> Result<Option<TicketView>, ClientError> {
        self.command(&action.path(counter), None).await
    }

    /// One attempt of a counter's button with the caller's `key`: a caller that retries on its
    /// own (with [`ClientError::is_transient`]) keeps the key, so the press is applied once.
    pub async fn counter_action_keyed(
        &self,
        counter: &str,
        action: CounterAction,
        key: &IdempotencyKey,
    ) -> Result<Option<TicketView>, ClientError> {
        self.attempt(&action.path(counter), None, key).await
    }

    pub async fn transfer(&self, counter: &str, service: Option<&str>, to_counter: Option<&str>) -> Result<TicketView, ClientError> {
        let body = TransferRequest { service: service.map(str::to_owned), counter: to_counter.map(str::to_owned) };
        let path = format!("/api/v1/counters/{counter}/transfer");
        self.command(&path, Self::json(body)).await?.ok_or_else(|| self.no_body(&path))
    }

    pub async fn set_paused(&self, counter: &str, paused: bool) -> Result<(), ClientError> {
        let action = if paused { "pause" } else { "resume" };
        self.command::<serde::de::IgnoredAny>(&format!("/api/v1/counters/{counter}/{action}"), None).await.map(|_| ())
    }

    pub async fn restore(&self, ticket: &str) -> Result<TicketView, ClientError> {
        let path = format!("/api/v1/tickets/{ticket}/restore");
        self.command(&path, None).await?.ok_or_else(|| self.no_body(&path))
    }

    /// Reports this device's health (the device is this client's token name).
    pub async fn report_device(&self, problem: Option<&str>, message: Option<&str>) -> Result<DeviceAnswer, ClientError> {
        let body = DeviceReport { problem: problem.map(str::to_owned), message: message.map(str::to_owned) };
        let path = "/api/v1/devices/status";
        self.command(path, Self::json(body)).await?.ok_or_else(|| self.no_body(path))
    }

    /// `POST /api/v1/help`: this kiosk's citizen asks for a staff member. A second call while
    /// one waits is the same call; a call within a minute of the last is `help_too_soon`.
    pub async fn ask_help(&self, screen: HelpScreen) -> Result<HelpView, ClientError> {
        let path = "/api/v1/help";
        self.command(path, Self::json(HelpRequest { screen })).await?.ok_or_else(|| self.no_body(path))
    }

    /// `POST /api/v1/tickets/{ticket}/dossier`: the visit `ticket` (its id, or its number of
    /// today) became the dossier with receipt code `dossier`.
    pub async fn link_dossier(&self, ticket: &str, dossier: &str) -> Result<DossierLink, ClientError> {
        let path = format!("/api/v1/tickets/{ticket}/dossier");
        let body = serde_json::to_value(DossierLinkRequest { dossier: dossier.to_owned() }).expect("a request body serialises");
        self.command(&path, Some(body)).await?.ok_or_else(|| self.no_body(&path))
    }

    /// `POST /api/v1/dossiers/{code}/evaluation`: the citizen's nine-criteria evaluation of the
    /// finished dossier `code`; once per dossier (`already_evaluated` after).
    pub async fn evaluate_dossier(
        &self,
        code: &crate::dossier::ReceiptCode,
        scores: crate::dossier::evaluation::Scores,
    ) -> Result<Evaluation, ClientError> {
        // A parsed code is letters, digits, dots and hyphens: nothing to escape in a path.
        let path = format!("/api/v1/dossiers/{code}/evaluation");
        let body = serde_json::to_value(EvaluationRequest { scores }).expect("a request body serialises");
        self.command(&path, Some(body)).await?.ok_or_else(|| self.no_body(&path))
    }

    /// `POST /api/v1/help/withdraw`: this kiosk's citizen left; done when nothing was open too.
    pub async fn withdraw_help(&self) -> Result<(), ClientError> {
        self.command::<serde::de::IgnoredAny>("/api/v1/help/withdraw", None).await.map(|_| ())
    }

    /// `GET /api/v1/help`: a kiosk's own open call, or every open call for staff.
    pub async fn helps(&self) -> Result<Vec<HelpView>, ClientError> {
        self.query("/api/v1/help").await
    }

    /// `POST /api/v1/help/{device}/answer`: staff are on their way to the kiosk `device`.
    pub async fn answer_help(&self, device: &str) -> Result<HelpView, ClientError> {
        let path = format!("/api/v1/help/{device}/answer");
        self.command(&path, None).await?.ok_or_else(|| self.no_body(&path))
    }

    /// `GET /healthz`: the authority answers, through its owner thread, and its store takes writes.
    pub async fn healthz(&self) -> Result<(), ClientError> {
        self.query::<serde::de::IgnoredAny>("/healthz").await.map(|_| ())
    }

    /// `GET /api/v1/state`: everything a screen needs to draw itself.
    pub async fn state(&self) -> Result<StateView, ClientError> {
        self.query("/api/v1/state").await
    }

    /// The centre's settings in force (`GET /api/v1/settings`).
    pub async fn settings(&self) -> Result<SettingsView, ClientError> {
        self.query("/api/v1/settings").await
    }

    /// Follows the event stream from after `after` (or from now).
    pub async fn events(&self, after: Option<EventId>) -> Result<EventStream, ClientError> {
        let path = "/api/v1/events";
        let mut req = self.request(Method::GET, path);
        if let Some(id) = after {
            req = req.header("last-event-id", id.to_string());
        }
        Ok(EventStream::new(self.open_stream(path, req).await?))
    }

    /// Opens a Server-Sent Events answer; a refusal is the API's error.
    async fn open_stream(&self, path: &str, req: reqwest::RequestBuilder) -> Result<events::Messages, ClientError> {
        let url = self.url(path);
        let res = req.send().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
        if !res.status().is_success() {
            let status = res.status().as_u16();
            let bytes = res.bytes().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
            return Err(error::refusal(&url, status, &bytes));
        }
        Ok(events::Messages::new(Box::pin(res.bytes_stream()), url, self.idle))
    }
}
