//! `GET /api/v1/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&by=service|counter|staff|day`, and
//! `/api/v1/reports.csv` with the same query: tickets issued, served, no-shows, waiting and
//! service times, ratings. `GET /api/v1/reports/dossiers?from&to&by=dossier|officer|unit|quarter`
//! and `/api/v1/reports/dossiers.csv`: satisfaction per dossier, as the province counts it. Read from the event log a day at a time (the queue goes on between
//! days); past days never change, so their visits are kept for the next report.
use super::auth::Caller;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use shared::config::Role;
use shared::report::dossiers::{self, DossierGroup, DossierReport};
use shared::report::{self, Evaluated, GroupBy, Report, Visit};
use shared::wire::ErrorBody;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Past days' visits kept in memory: two months of a busy centre is a few megabytes.
const CACHED_DAYS: usize = 62;

#[derive(Default)]
pub struct ReportCache(Mutex<BTreeMap<NaiveDate, Arc<DayFacts>>>);

/// What reports read of one day.
pub struct DayFacts {
    visits: Vec<Visit>,
    evaluations: Vec<Evaluated>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// The first service day (YYYY-MM-DD).
    from: NaiveDate,
    /// The last service day, included.
    to: NaiveDate,
    /// How the rows are grouped (service when absent).
    #[serde(default)]
    #[param(value_type = Option<GroupBy>)]
    by: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DossierQuery {
    /// The first service day (YYYY-MM-DD).
    from: NaiveDate,
    /// The last service day, included.
    to: NaiveDate,
    /// How the rows are grouped (each dossier when absent); `centre` is the province's.
    #[serde(default)]
    #[param(value_type = Option<String>, pattern = "^(dossier|officer|unit|quarter)$")]
    by: Option<String>,
}

/// The range's days checked: `to` not before `from`, at most `report::MAX_DAYS`.
fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    if to < from {
        return Err(ApiError::bad_request("to is before from"));
    }
    if (to - from).num_days() + 1 > report::MAX_DAYS {
        return Err(ApiError::bad_request(format!("a report covers at most {} days", report::MAX_DAYS)));
    }
    Ok(())
}

/// The visits and evaluations of the days `from..=to` up to today, past days from the cache.
async fn facts(app: &AppState, from: NaiveDate, to: NaiveDate) -> Result<(Vec<Visit>, Vec<Evaluated>), ApiError> {
    let today = app.authority.state().await?.day;
    let (mut visits, mut evaluations) = (Vec::new(), Vec::new());
    let mut day = from;
    while day <= to && day <= today {
        let cached = app.reports.0.lock().unwrap_or_else(|p| p.into_inner()).get(&day).cloned();
        let of_day = match cached {
            Some(v) => v,
            None => {
                let events = app.authority.day_events(day).await?;
                let v = Arc::new(DayFacts { visits: report::visits(&events), evaluations: report::evaluations(&events) });
                if day < today {
                    let mut cache = app.reports.0.lock().unwrap_or_else(|p| p.into_inner());
                    cache.insert(day, v.clone());
                    while cache.len() > CACHED_DAYS {
                        let oldest = *cache.keys().next().expect("not empty");
                        cache.remove(&oldest);
                    }
                }
                v
            }
        };
        visits.extend(of_day.visits.iter().cloned());
        evaluations.extend(of_day.evaluations.iter().cloned());
        day = day.succ_opt().ok_or_else(|| ApiError::bad_request("date out of range"))?;
    }
    Ok((visits, evaluations))
}

/// Staff logins → their names, for rows by person.
async fn staff_names(app: &AppState) -> Result<HashMap<String, String>, ApiError> {
    let accounts = app.authority.with_store(|s, _| s.accounts()).await?;
    Ok(accounts.into_iter().map(|a| (a.login, a.name)).collect())
}

async fn build(app: &AppState, caller: &Caller, q: ReportQuery) -> Result<Report, ApiError> {
    caller.require(&[Role::Admin])?;
    let by = match q.by.as_deref() {
        None => GroupBy::Service,
        Some(s) => GroupBy::parse(s).ok_or_else(|| ApiError::bad_request("by must be service, counter, staff or day"))?,
    };
    check_range(q.from, q.to)?;
    let (visits, _) = facts(app, q.from, q.to).await?;
    let config = app.authority.config();
    let mut names: HashMap<String, String> = HashMap::new();
    match by {
        GroupBy::Service => names.extend(config.services.iter().map(|s| (s.id.clone(), s.name.clone()))),
        GroupBy::Counter => names.extend(config.counters.iter().map(|c| (c.id.clone(), c.name.clone()))),
        GroupBy::Staff => names = staff_names(app).await?,
        GroupBy::Day => {}
    }
    let (from, to) = (q.from, q.to);
    tokio::task::spawn_blocking(move || report::report(&visits, by, &names, from, to))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))
}

async fn build_dossiers(app: &AppState, caller: &Caller, q: DossierQuery) -> Result<DossierReport, ApiError> {
    caller.require(&[Role::Admin])?;
    let by = match q.by.as_deref() {
        None => DossierGroup::Dossier,
        Some(s) => DossierGroup::parse_among(s, &DossierGroup::CENTRE)
            .ok_or_else(|| ApiError::bad_request("by must be dossier, officer, unit or quarter"))?,
    };
    check_range(q.from, q.to)?;
    let (visits, evaluations) = facts(app, q.from, q.to).await?;
    let names = if by == DossierGroup::Officer { staff_names(app).await? } else { HashMap::new() };
    let (from, to) = (q.from, q.to);
    tokio::task::spawn_blocking(move || dossiers::report(dossiers::records(&visits, &evaluations), by, &names, from, to))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))
}

/// A CSV file to download as `name` (ASCII: dates and codes).
fn attachment(name: &str, csv: String) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ASCII file name");
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")), (header::CONTENT_DISPOSITION, disposition)], csv)
        .into_response()
}

type Q<T = ReportQuery> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

fn query<T>(q: Q<T>) -> Result<T, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::bad_request(format!("{}: give from=YYYY-MM-DD&to=YYYY-MM-DD", e.body_text())))
}

#[utoipa::path(
    get,
    path = "/reports",
    operation_id = "report",
    tag = "admin",
    summary = "Figures of a range of service days",
    description = "Role admin. Issued, served, no-shows, transfers, waiting and service times (mean, median, 90th \
        percentile by nearest rank), ratings; at most 366 days.",
    security(("bearer" = []), ("session" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 400, description = "bad_request: missing or bad dates, to before from, more than 366 days, bad by", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn json(State(app): State<AppState>, caller: Caller, q: Q) -> Result<Json<Report>, ApiError> {
    Ok(Json(build(&app, &caller, query(q)?).await?))
}

#[utoipa::path(
    get,
    path = "/reports.csv",
    operation_id = "report_csv",
    tag = "admin",
    summary = "The same report as CSV (UTF-8 with BOM)",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report as a CSV attachment", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "attachment; filename=\"bao-cao-FROM_TO-BY.csv\""))),
        (status = 400, description = "bad_request: missing or bad dates, to before from, more than 366 days, bad by", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn csv(State(app): State<AppState>, caller: Caller, q: Q) -> Result<Response, ApiError> {
    let r = build(&app, &caller, query(q)?).await?;
    Ok(attachment(&format!("bao-cao-{}_{}-{}.csv", r.from, r.to, r.by.code()), report::to_csv(&r)))
}

#[utoipa::path(
    get,
    path = "/reports/dossiers",
    operation_id = "report_dossiers",
    tag = "admin",
    summary = "Satisfaction per dossier, rolled up per officer, unit or quarter",
    description = "Role admin. The dossiers linked to visits or evaluated in the range (at most 366 days): one rating per \
        dossier (its last), the nine-criteria evaluation (points of 18, mean per criterion). `by=dossier` lists each \
        dossier; `officer` (who linked it), `unit` (the receiving agency in the code) and `quarter` (of the receipt date in \
        the code) roll them up.",
    security(("bearer" = []), ("session" = [])),
    params(DossierQuery),
    responses(
        (status = 200, description = "The report", body = DossierReport),
        (status = 400, description = "bad_request: missing or bad dates, to before from, more than 366 days, bad by", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn dossiers_json(State(app): State<AppState>, caller: Caller, q: Q<DossierQuery>) -> Result<Json<DossierReport>, ApiError> {
    Ok(Json(build_dossiers(&app, &caller, query(q)?).await?))
}

#[utoipa::path(
    get,
    path = "/reports/dossiers.csv",
    operation_id = "report_dossiers_csv",
    tag = "admin",
    summary = "The dossier report as CSV (UTF-8 with BOM)",
    description = "Role admin. By dossier: one line per dossier with its visit, officer, rating and each criterion's points.",
    security(("bearer" = []), ("session" = [])),
    params(DossierQuery),
    responses(
        (status = 200, description = "The report as a CSV attachment", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "attachment; filename=\"ho-so-FROM_TO-BY.csv\""))),
        (status = 400, description = "bad_request: missing or bad dates, to before from, more than 366 days, bad by", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn dossiers_csv(State(app): State<AppState>, caller: Caller, q: Q<DossierQuery>) -> Result<Response, ApiError> {
    let r = build_dossiers(&app, &caller, query(q)?).await?;
    Ok(attachment(&format!("ho-so-{}_{}-{}.csv", r.from, r.to, r.by.code()), report::dossiers_to_csv(&r)))
}
