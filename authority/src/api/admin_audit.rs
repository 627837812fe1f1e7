//! `GET /api/v1/admin/audit?limit=&before=`: the audit log, newest first.
use super::auth::Caller;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use shared::config::Role;
use shared::console::AuditEntry;
use shared::wire::ErrorBody;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Lines per page, 1 to 1000 (100 when absent).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// Lines older than this id (the last id of the previous page).
    before: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/admin/audit",
    operation_id = "audit_list",
    tag = "admin",
    summary = "The audit log, newest first",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Lines, newest first", body = Vec<AuditEntry>),
        (status = 400, description = "bad_request: limit out of range, unknown parameter", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    caller.require(&[Role::Admin])?;
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("limit must be from 1 to 1000"));
    }
    let before = q.before;
    Ok(Json(app.authority.with_store(move |s, _| s.audit_page(before, limit)).await?))
}
