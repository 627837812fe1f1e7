//! `GET /api/v1/province/dossiers?from=YYYY-MM-DD&to=YYYY-MM-DD&by=centre|unit|quarter|dossier`
//! (a province token or a dashboard session) → satisfaction per dossier across the centres
//! (`crate::dossiers`); `/api/v1/province/dossiers.csv` the same as CSV. Grouped by centre when
//! `by` is absent. Officers are the centres' own reports: `by=officer` is refused here.
use super::auth::ProvinceReader;
use super::error::rejection;
use super::report::{attachment, check_range, load};
use super::{ApiError, AppState};
use crate::dossiers::{load_evaluations, province_dossiers};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use shared::report::dossiers::{DossierGroup, DossierReport};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierQuery {
    from: NaiveDate,
    to: NaiveDate,
    by: Option<String>,
}

type Q = Result<Query<DossierQuery>, QueryRejection>;

async fn build(app: &AppState, reader: &ProvinceReader, q: Q) -> Result<DossierReport, ApiError> {
    let Query(q) = q.map_err(|e| rejection(e.status(), format!("{}: give from=YYYY-MM-DD&to=YYYY-MM-DD", e.body_text())))?;
    let by = match q.by.as_deref() {
        None => DossierGroup::Centre,
        Some(s) => DossierGroup::parse_among(s, &DossierGroup::PROVINCE)
            .ok_or_else(|| ApiError::bad_request("by must be centre, unit, quarter or dossier (officers are each centre's own report)"))?,
    };
    check_range(q.from, q.to)?;
    tracing::debug!("province dossiers {}..{} by {} for {}", q.from, q.to, by.code(), reader.who);
    let (centres, visits) = load(app, q.from, q.to).await?;
    let evaluations = load_evaluations(&app.pool, q.from, q.to).await?;
    tokio::task::spawn_blocking(move || province_dossiers(&centres, &visits, &evaluations, by, q.from, q.to))
        .await
        .map_err(|_| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))
}

pub async fn json(State(app): State<AppState>, reader: ProvinceReader, q: Q) -> Result<Json<DossierReport>, ApiError> {
    Ok(Json(build(&app, &reader, q).await?))
}

pub async fn csv(State(app): State<AppState>, reader: ProvinceReader, q: Q) -> Result<Response, ApiError> {
    let r = build(&app, &reader, q).await?;
    Ok(attachment(&format!("province-ho-so-{}_{}-{}.csv", r.from, r.to, r.by.code()), shared::report::dossiers_to_csv(&r)))
}
