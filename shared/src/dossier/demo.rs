//! A stand-in for the province's one-stop system that speaks the HTTP contract of `http.rs`
//! (lookup and listing), over made-up dossiers: for the screenshots, the tests and the demo
//! (`onestop-demo`, the display crate's binary, serves it).
use super::sample::board_order;
use super::{Dossier, DossierPage, DossierStatus, MAX_PER_PAGE};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The two fixed dossiers (see [`super::sample::fixed`]).
pub fn sample() -> Vec<Dossier> {
    super::sample::fixed()
}

#[derive(Clone)]
struct Demo {
    dossiers: Arc<Vec<Dossier>>,
    asked: Arc<AtomicUsize>,
}

async fn lookup(State(demo): State<Demo>, Path(code): Path<String>) -> Response {
    demo.asked.fetch_add(1, Ordering::SeqCst);
    match demo.dossiers.iter().find(|d| d.code == code) {
        Some(d) => Json(d.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn bad(message: &str) -> Response {
    let body = serde_json::json!({"error": "bad_request", "message": message});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn list(State(demo): State<Demo>, Query(q): Query<HashMap<String, String>>) -> Response {
    demo.asked.fetch_add(1, Ordering::SeqCst);
    let Some(status) = q.get("status").and_then(|s| DossierStatus::parse(s)) else {
        return bad("status is one of received, processing, needs_more, ready, returned, overdue, rejected");
    };
    let number = |k: &str, default: u32| q.get(k).map_or(Some(default), |v| v.parse::<u32>().ok());
    let (Some(page), Some(per_page)) = (number("page", 1), number("per_page", 20)) else {
        return bad("page and per_page are whole numbers");
    };
    if page == 0 || !(1..=MAX_PER_PAGE).contains(&per_page) {
        return bad("page counts from 1; per_page is 1-100");
    }
    let mut all: Vec<&Dossier> = demo.dossiers.iter().filter(|d| d.status == status).collect();
    all.sort_by(|a, b| board_order(a, b));
    let from = ((page - 1) as usize).saturating_mul(per_page as usize);
    let items = all.iter().skip(from).take(per_page as usize).map(|d| (*d).clone()).collect();
    Json(DossierPage { items, total: all.len() as u32, page, per_page }).into_response()
}

/// The router, and a counter of the requests it answered (to see a cache at work).
pub fn router(dossiers: Vec<Dossier>) -> (Router, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let demo = Demo { dossiers: Arc::new(dossiers), asked: asked.clone() };
    let router = Router::new().route("/dossiers", get(list)).route("/dossiers/{code}", get(lookup)).with_state(demo);
    (router, asked)
}
