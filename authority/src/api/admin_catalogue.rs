//! `PUT /api/v1/admin/catalogue`: the administrator replaces the procedure catalogue with a file
//! in the national exchange format (JSON lines or a JSON array). A file that does not load is
//! refused with the reason and the old catalogue stays in service; one that loads is written
//! atomically and served at once, and a `catalogue_replaced` event tells the screens.
use super::auth::{Caller, CsrfHeader};
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::catalogue::{self, ImportError};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use shared::config::Role;
use shared::wire::ErrorBody;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// How many procedures the new catalogue has.
    procedures: usize,
}

#[utoipa::path(
    put,
    path = "/admin/catalogue",
    tag = "admin",
    summary = "Replace the procedure catalogue",
    description = "Role admin. The body is the file (JSON lines or a JSON array, national exchange format), at most \
        `[console] max_catalogue_mb`. A file that does not load is refused and the old catalogue stays in service.",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body(content = String, content_type = "application/octet-stream", description = "The catalogue file"),
    responses(
        (status = 200, description = "Loaded, stored and served", body = Imported),
        (status = 409, description = "no_catalogue_file: the configuration names no file to keep it in", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 422, description = "invalid_catalogue", body = ErrorBody),
        (status = 507, description = "storage_unavailable: the file could not be written", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn replace(State(app): State<AppState>, caller: Caller, body: Bytes) -> Result<Json<Imported>, ApiError> {
    caller.require(&[Role::Admin])?;
    let n = catalogue::install(&app.authority, app.catalogue.clone(), caller.actor(), body).await?.map_err(|e| match e {
        e @ (ImportError::Invalid(_) | ImportError::Empty) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_catalogue", e.to_string())
        }
        e @ ImportError::NotConfigured => ApiError::new(StatusCode::CONFLICT, "no_catalogue_file", e.to_string()),
        e @ ImportError::Write { .. } => {
            tracing::error!("catalogue upload: {e}");
            ApiError::new(StatusCode::INSUFFICIENT_STORAGE, "storage_unavailable", e.to_string())
        }
        ImportError::Task => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the import task failed"),
    })?;
    Ok(Json(Imported { procedures: n }))
}
