//! `GET /api/v1/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&by=service|counter|staff|day`, and
//! `/api/v1/reports.csv` with the same query: tickets issued, served, no-shows, waiting and
//! service times, ratings. Read from the event log a day at a time (the queue goes on between
//! days); past days never change, so their visits are kept for the next report.
use super::auth::Caller;
use super::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use shared::config::Role;
use shared::report::{self, GroupBy, Report, Visit};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Past days' visits kept in memory: two months of a busy centre is a few megabytes.
const CACHED_DAYS: usize = 62;

#[derive(Default)]
pub struct ReportCache(Mutex<BTreeMap<NaiveDate, Arc<Vec<Visit>>>>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    from: NaiveDate,
    to: NaiveDate,
    #[serde(default)]
    by: Option<String>,
}

async fn build(app: &AppState, caller: &Caller, q: ReportQuery) -> Result<Report, ApiError> {
    caller.require(&[Role::Admin])?;
    let by = match q.by.as_deref() {
        None => GroupBy::Service,
        Some(s) => GroupBy::parse(s).ok_or_else(|| ApiError::bad_request("by must be service, counter, staff or day"))?,
    };
    if q.to < q.from {
        return Err(ApiError::bad_request("to is before from"));
    }
    if (q.to - q.from).num_days() + 1 > report::MAX_DAYS {
        return Err(ApiError::bad_request(format!("a report covers at most {} days", report::MAX_DAYS)));
    }
    let today = app.authority.state().await?.day;
    let mut visits: Vec<Visit> = Vec::new();
    let mut day = q.from;
    while day <= q.to && day <= today {
        let cached = app.reports.0.lock().unwrap_or_else(|p| p.into_inner()).get(&day).cloned();
        let of_day = match cached {
            Some(v) => v,
            None => {
                let events = app.authority.day_events(day).await?;
                let v = Arc::new(report::visits(&events));
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
        visits.extend(of_day.iter().cloned());
        day = day.succ_opt().ok_or_else(|| ApiError::bad_request("date out of range"))?;
    }
    let config = app.authority.config();
    let mut names: HashMap<String, String> = HashMap::new();
    match by {
        GroupBy::Service => names.extend(config.services.iter().map(|s| (s.id.clone(), s.name.clone()))),
        GroupBy::Counter => names.extend(config.counters.iter().map(|c| (c.id.clone(), c.name.clone()))),
        GroupBy::Staff => {
            let accounts = app.authority.with_store(|s, _| s.accounts()).await?;
            names.extend(accounts.into_iter().map(|a| (a.login, a.name)));
        }
        GroupBy::Day => {}
    }
    let (from, to) = (q.from, q.to);
    tokio::task::spawn_blocking(move || report::report(&visits, by, &names, from, to))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the report task failed"))
}

type Q = Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>;

fn query(q: Q) -> Result<ReportQuery, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::bad_request(format!("{}: give from=YYYY-MM-DD&to=YYYY-MM-DD", e.body_text())))
}

pub async fn json(State(app): State<AppState>, caller: Caller, q: Q) -> Result<Json<Report>, ApiError> {
    Ok(Json(build(&app, &caller, query(q)?).await?))
}

pub async fn csv(State(app): State<AppState>, caller: Caller, q: Q) -> Result<Response, ApiError> {
    let r = build(&app, &caller, query(q)?).await?;
    let name = format!("bao-cao-{}_{}-{}.csv", r.from, r.to, r.by.code());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ASCII file name");
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")), (header::CONTENT_DISPOSITION, disposition)],
        report::to_csv(&r),
    )
        .into_response())
}
