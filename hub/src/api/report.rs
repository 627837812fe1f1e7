//! `GET /api/v1/province/report?from=YYYY-MM-DD&to=YYYY-MM-DD` (a province token or a dashboard
//! session) → the province report; `/api/v1/province/report.csv` the same as CSV. At most 366
//! days; `to` not before `from`.
use super::auth::ProvinceReader;
use super::error::rejection;
use super::{ApiError, AppState};
use crate::figures::{province_report, to_csv, CentreRow};
use crate::ingest::Visits;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use shared::province::ProvinceReport;
use shared::report::MAX_DAYS;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    from: NaiveDate,
    to: NaiveDate,
}

type Q = Result<Query<Range>, QueryRejection>;

fn range(q: Q) -> Result<Range, ApiError> {
    let Query(r) = q.map_err(|e| rejection(e.status(), format!("{}: give from=YYYY-MM-DD&to=YYYY-MM-DD", e.body_text())))?;
    check_range(r.from, r.to)?;
    Ok(r)
}

/// A report's days: `to` not before `from`, at most a year.
pub(super) fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    if to < from {
        return Err(ApiError::bad_request("to is before from"));
    }
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err(ApiError::bad_request(format!("a report covers at most {MAX_DAYS} days")));
    }
    Ok(())
}

/// The centres, and their visits over `from..=to`.
pub(super) async fn load(app: &AppState, from: NaiveDate, to: NaiveDate) -> Result<(Vec<CentreRow>, Visits), ApiError> {
    let client = app.pool.get().await?;
    let rows = client.query("SELECT id, name, acked, last_event_at, last_received_at FROM centres ORDER BY id", &[]).await?;
    drop(client);
    let centres = rows
        .iter()
        .map(|r| CentreRow {
            id: r.get(0),
            name: r.get(1),
            acked: r.get::<_, i64>(2) as u64,
            last_event_at: r.get(3),
            last_received_at: r.get(4),
        })
        .collect();
    Ok((centres, crate::ingest::load_visits(&app.pool, from, to).await?))
}

/// A CSV file to download as `name`.
pub(super) fn attachment(name: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"))),
        ],
        text,
    )
        .into_response()
}

pub async fn json(State(app): State<AppState>, reader: ProvinceReader, q: Q) -> Result<Json<ProvinceReport>, ApiError> {
    let r = range(q)?;
    tracing::debug!("province report {}..{} for {}", r.from, r.to, reader.who);
    let (centres, visits) = load(&app, r.from, r.to).await?;
    let now = (app.clock)();
    let province = app.config.province.clone();
    let report = tokio::task::spawn_blocking(move || province_report(&centres, &visits, &province, r.from, r.to, now))
        .await
        .map_err(|_| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))?;
    Ok(Json(report))
}

pub async fn csv(State(app): State<AppState>, reader: ProvinceReader, q: Q) -> Result<Response, ApiError> {
    let r = range(q)?;
    tracing::debug!("province report (CSV) {}..{} for {}", r.from, r.to, reader.who);
    let (centres, visits) = load(&app, r.from, r.to).await?;
    let text = tokio::task::spawn_blocking(move || to_csv(&centres, &visits, r.from, r.to))
        .await
        .map_err(|_| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))?;
    Ok(attachment(&format!("province-{}-{}.csv", r.from, r.to), text))
}
