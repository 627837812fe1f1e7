//! A stand-in for the province's SMS or Zalo gateway (the hub's `[notify] webhook`): a real
//! HTTP server on 127.0.0.1 that records every message posted to it, and answers the first
//! `failing` posts with 503 as a gateway that is down would.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use std::sync::{Arc, Mutex};

/// A message as the gateway received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: serde_json::Value,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Posts still to refuse with 503.
    failing: u32,
    refused: u32,
}

pub struct Gateway {
    /// The address to give as `[notify] webhook`.
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

impl Gateway {
    /// A gateway answering 200 to every post but the first `failing`.
    pub async fn start(failing: u32) -> Gateway {
        let inner = Arc::new(Mutex::new(Inner { failing, ..Inner::default() }));
        let app = Router::new().route("/send", post(receive)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port for the gateway");
        let url = format!("http://{}/send", listener.local_addr().expect("its address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Gateway { url, inner, task }
    }

    /// The messages delivered (not those refused with 503).
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("never poisoned").received.clone()
    }

    /// How many posts were answered 503.
    pub fn refused(&self) -> u32 {
        self.inner.lock().expect("never poisoned").refused
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap, Json(body): Json<serde_json::Value>) -> StatusCode {
    let mut inner = inner.lock().expect("never poisoned");
    if inner.failing > 0 {
        inner.failing -= 1;
        inner.refused += 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    inner.received.push(Received { body, authorization: header("authorization"), idempotency_key: header("idempotency-key") });
    StatusCode::OK
}
