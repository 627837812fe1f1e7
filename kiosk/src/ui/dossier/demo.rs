//! A stand-in for the province's one-stop system that speaks the HTTP contract of `http.rs`,
//! with a few made-up dossiers: for the screenshots, the tests and trying the kiosk out.
use super::{Dossier, DossierStatus};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The made-up dossiers (the names are not real people's).
pub fn sample() -> Vec<Dossier> {
    vec![
        Dossier {
            code: "000.00.06.H56-231027-0361".into(),
            applicant: "Nguyễn Văn An".into(),
            procedure: "Đăng ký khai sinh".into(),
            status: DossierStatus::Ready,
            received: day(2023, 10, 27),
            appointment: day(2023, 11, 3),
            completed: day(2023, 11, 2),
        },
        Dossier {
            code: "000.00.06.H56-231030-0012".into(),
            applicant: "Trần Thị Bích Ngọc".into(),
            procedure: "Chứng thực bản sao từ bản chính".into(),
            status: DossierStatus::Processing,
            received: day(2023, 10, 30),
            appointment: day(2023, 11, 6),
            completed: None,
        },
    ]
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

/// The router, and a counter of the lookups it answered (to see the cache at work).
pub fn router(dossiers: Vec<Dossier>) -> (Router, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let demo = Demo { dossiers: Arc::new(dossiers), asked: asked.clone() };
    (Router::new().route("/dossiers/{code}", get(lookup)).with_state(demo), asked)
}
