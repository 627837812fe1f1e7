//! `PUT /api/v1/admin/catalogue`: the administrator replaces the procedure catalogue with files of
//! procedure records: as the national portal publishes them (a record, its envelope, an array,
//! JSON lines) or in the exchange format. The body is one file, or `multipart/form-data` with
//! several (a folder). Each bad record is named and skipped; the rest are written atomically and
//! served at once, and a `catalogue_replaced` event tells the screens. An upload of which no
//! record imports is refused with the reasons, and the old catalogue stays in service.
use super::auth::{Caller, CsrfHeader};
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::catalogue::{self, ImportError, Upload};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::Serialize;
use shared::config::Role;
use shared::wire::ErrorBody;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// How many procedures the new catalogue has.
    procedures: usize,
    /// The records left out, with where and why; empty when every record imported.
    skipped: Vec<SkippedRecord>,
}

/// A record of the upload that was not imported.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SkippedRecord {
    /// The file's name as uploaded ("upload" for a single-file body).
    file: String,
    /// The line the record starts on; 0 when the whole file was left out.
    line: usize,
    /// The record's procedure code, when it has one that reads.
    code: Option<String>,
    reason: String,
}

#[utoipa::path(
    put,
    path = "/admin/catalogue",
    tag = "admin",
    summary = "Replace the procedure catalogue",
    description = "Role admin. The body is one file of procedure records (the national portal's current records, bare, \
        in the portal's envelope, in a JSON array or as JSON lines; or the exchange format), or multipart/form-data with \
        one part per file. At most `[console] max_catalogue_mb` in all. Each bad record is skipped and named in the \
        answer; when none imports the upload is refused and the old catalogue stays in service.",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body(
        description = "One file of records (application/octet-stream), or several as multipart/form-data, one part per file named by its filename",
        content((String = "application/octet-stream"), (String = "multipart/form-data")),
    ),
    responses(
        (status = 200, description = "Imported, stored and served", body = Imported),
        (status = 400, description = "bad_request: a malformed multipart body", body = ErrorBody),
        (status = 409, description = "no_catalogue_file: the configuration names no file to keep it in", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 422, description = "invalid_catalogue: no record of the upload could be imported", body = ErrorBody),
        (status = 507, description = "storage_unavailable: the file could not be written", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn replace(State(app): State<AppState>, caller: Caller, request: Request) -> Result<Json<Imported>, ApiError> {
    caller.require(&[Role::Admin])?;
    let files = files(&app, request).await?;
    let installed =
        catalogue::install(&app.authority, app.catalogue.clone(), caller.actor(), Upload::Files(files)).await?.map_err(|e| match e {
            e @ (ImportError::Invalid(_) | ImportError::Empty | ImportError::NothingImported(_)) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_catalogue", e.to_string())
            }
            e @ ImportError::NotConfigured => ApiError::new(StatusCode::CONFLICT, "no_catalogue_file", e.to_string()),
            e @ ImportError::Write { .. } => {
                tracing::error!("catalogue upload: {e}");
                ApiError::new(StatusCode::INSUFFICIENT_STORAGE, "storage_unavailable", e.to_string())
            }
            ImportError::Task => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the import task failed"),
        })?;
    let skipped =
        installed.skipped.into_iter().map(|s| SkippedRecord { file: s.file, line: s.line, code: s.code, reason: s.reason }).collect();
    Ok(Json(Imported { procedures: installed.procedures, skipped }))
}

/// The uploaded files: each part of a multipart body, or the body as one file.
async fn files(app: &AppState, request: Request) -> Result<Vec<(String, Bytes)>, ApiError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        let body = Bytes::from_request(request, app).await.map_err(|r| refusal(r.status(), r.body_text()))?;
        return Ok(vec![("upload".to_owned(), body)]);
    }
    let mut parts = Multipart::from_request(request, app).await.map_err(|r| refusal(r.status(), r.body_text()))?;
    let mut files = Vec::new();
    while let Some(part) = parts.next_field().await.map_err(|e| refusal(e.status(), e.body_text()))? {
        let name = part.file_name().or(part.name()).map_or_else(|| format!("part {}", files.len() + 1), str::to_owned);
        let bytes = part.bytes().await.map_err(|e| refusal(e.status(), e.body_text()))?;
        files.push((name, bytes));
    }
    Ok(files)
}

fn refusal(status: StatusCode, text: String) -> ApiError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(status, "body_too_large", text),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", text),
    }
}
