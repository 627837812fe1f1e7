//! A stand-in for the province hub, for the uplink's own unit of behaviour only: it speaks the
//! hub's contract (DESIGN.md, "The province hub") faithfully, in memory, and can be told to
//! fail. The real hub (crate `hub`, PostgreSQL) is tested end to end against the authority
//! elsewhere; here what matters is what the centre does when the hub fails.
//!
//! Contract kept: bearer token → 401 `unauthorized`; another centre → 403 `wrong_centre`; a body
//! that is not an `EventBatch` in ascending ids → 400; more than 5,000 events → 413; events stored
//! by (centre, id), a repeat ignored; the answer `{"acked": highest id held}`; `cursor` the same;
//! `catalogue` with an `ETag`, 304 on `If-None-Match`, 404 when none is published.
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use shared::province::{Acked, EventBatch};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub const CENTRE: &str = "ba-dinh";
pub const TOKEN: &str = "centre-ba-dinh-token-0123456789";

/// How the hub answers the uplink's requests (`events` and `cursor`) from now on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Up,
    /// 503 with the hub's error body: its database is down.
    Down,
    /// The next push is read, then the connection is cut: nothing stored (then `Up`).
    CutBeforeStoring,
    /// The next push is stored, then the connection is cut before the answer is complete
    /// (then `Up`).
    CutAfterStoring,
    /// 401: the centre's token is not (or no longer) known.
    Unauthorized,
}

#[derive(Default)]
pub struct Held {
    /// What the hub holds, by id: the events as received (JSON).
    pub events: BTreeMap<u64, Value>,
    /// Every id received, in order of arrival, repeats included.
    pub arrivals: Vec<u64>,
    /// Requests to `events` and `cursor`, whatever the answer.
    pub requests: usize,
    /// Pushes whose connection was cut.
    pub cuts: usize,
    /// `If-None-Match` of every catalogue request.
    pub catalogue_asks: Vec<Option<String>>,
    pub catalogue: Option<(String, Vec<u8>)>,
    mode: Option<Mode>,
}

#[derive(Clone)]
pub struct Hub {
    pub url: String,
    held: Arc<Mutex<Held>>,
}

impl Hub {
    pub async fn start() -> Hub {
        let held = Arc::new(Mutex::new(Held::default()));
        let app = Router::new()
            .route("/api/v1/centres/{centre}/events", post(push))
            .route("/api/v1/centres/{centre}/cursor", get(cursor))
            .route("/api/v1/catalogue", get(catalogue))
            .with_state(held.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Hub { url, held }
    }

    pub fn set(&self, mode: Mode) {
        self.held.lock().unwrap().mode = Some(mode);
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Held) -> T) -> T {
        f(&mut self.held.lock().unwrap())
    }

    /// The ids held, ascending.
    pub fn ids(&self) -> Vec<u64> {
        self.with(|h| h.events.keys().copied().collect())
    }

    pub fn publish(&self, etag: &str, file: &[u8]) {
        self.with(|h| h.catalogue = Some((etag.to_owned(), file.to_vec())));
    }

    /// `[uplink]` for a centre that reports here.
    pub fn uplink(&self, extra: &str) -> String {
        format!("[uplink]\nurl = \"{}\"\ncentre = \"{CENTRE}\"\ntoken = \"{TOKEN}\"\n{extra}\n", self.url)
    }
}

fn refuse(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({"error": code, "message": format!("stand-in hub: {code}")}))).into_response()
}

/// The checks every centre request goes through, and the mode's failure if any.
fn gate(held: &mut Held, headers: &HeaderMap, centre: &str) -> Result<Mode, (StatusCode, &'static str)> {
    held.requests += 1;
    let mode = held.mode.unwrap_or(Mode::Up);
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if mode == Mode::Unauthorized || bearer != Some(TOKEN) {
        return Err((StatusCode::UNAUTHORIZED, "unauthorized"));
    }
    if centre != CENTRE {
        return Err((StatusCode::FORBIDDEN, "wrong_centre"));
    }
    if mode == Mode::Down {
        return Err((StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable"));
    }
    Ok(mode)
}

fn acked(held: &Held) -> Acked {
    Acked { acked: held.events.keys().next_back().copied().unwrap_or(0) }
}

async fn push(State(held): State<Arc<Mutex<Held>>>, Path(centre): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let mut h = held.lock().unwrap();
    let mode = match gate(&mut h, &headers, &centre) {
        Ok(m) => m,
        Err((status, code)) => return refuse(status, code),
    };
    // Typed, as the hub reads it: an event the hub cannot read is a 400, not a guess.
    let Ok(batch) = serde_json::from_slice::<EventBatch>(&body) else { return refuse(StatusCode::BAD_REQUEST, "invalid_body") };
    if batch.events.len() > 5_000 {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    }
    if batch.events.windows(2).any(|w| w[0].id >= w[1].id) {
        return refuse(StatusCode::BAD_REQUEST, "invalid_body");
    }
    if mode == Mode::CutBeforeStoring {
        return cut(&mut h);
    }
    let raw: Value = serde_json::from_slice(&body).unwrap();
    for (e, v) in batch.events.iter().zip(raw["events"].as_array().unwrap()) {
        h.arrivals.push(e.id);
        h.events.entry(e.id).or_insert_with(|| v.clone());
    }
    let answer = acked(&h);
    if mode == Mode::CutAfterStoring {
        return cut(&mut h);
    }
    Json(answer).into_response()
}

/// An answer that promises more than it sends and then fails: the connection is cut.
fn cut(h: &mut Held) -> Response {
    h.mode = Some(Mode::Up);
    h.cuts += 1;
    let part = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{\"ack")), Err(std::io::Error::other("cut"))]);
    Response::builder().header(header::CONTENT_LENGTH, "40").body(Body::from_stream(part)).unwrap()
}

async fn cursor(State(held): State<Arc<Mutex<Held>>>, Path(centre): Path<String>, headers: HeaderMap) -> Response {
    let mut h = held.lock().unwrap();
    if let Err((status, code)) = gate(&mut h, &headers, &centre) {
        return refuse(status, code);
    }
    Json(acked(&h)).into_response()
}

async fn catalogue(State(held): State<Arc<Mutex<Held>>>, headers: HeaderMap) -> Response {
    let mut h = held.lock().unwrap();
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if bearer != Some(&format!("Bearer {TOKEN}")) {
        return refuse(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let seen = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    h.catalogue_asks.push(seen.clone());
    match &h.catalogue {
        None => refuse(StatusCode::NOT_FOUND, "not_found"),
        Some((etag, _)) if seen.as_deref() == Some(etag.as_str()) => StatusCode::NOT_MODIFIED.into_response(),
        Some((etag, file)) => ([(header::ETAG, etag.clone())], file.clone()).into_response(),
    }
}
