//! `GET /api/v1/procedures/{code}`: one procedure's full record, in the national exchange format's
//! upper-case keys (`MATTHC`, `TENTTHC`, `TRINHTUTHUCHIEN`...). Public.
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::catalogue::Procedure;
use shared::wire::ErrorBody;

#[utoipa::path(
    get,
    path = "/procedures/{code}",
    tag = "catalogue",
    summary = "One procedure's full record",
    description = "Public. The record in the national exchange format's upper-case keys (MATTHC, TENTTHC, \
        TRINHTUTHUCHIEN, CACHTHUCTHUCHIEN, THANHPHANHOSO, ...).",
    security(()),
    params(("code" = String, Path, description = "The procedure's code, e.g. 1.004194", example = "1.004194")),
    responses(
        (status = 200, description = "The record", body = Object),
        (status = 404, description = "unknown_procedure", body = ErrorBody),
        (status = 503, description = "catalogue_unavailable", body = ErrorBody),
    )
)]
pub async fn procedure(State(app): State<AppState>, Path(code): Path<String>) -> Result<Json<Procedure>, ApiError> {
    let catalogue = app.catalogue.ready().await.ok_or_else(super::procedures::unavailable)?;
    catalogue
        .get(&code)
        .map(|p| Json(p.into_owned()))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "unknown_procedure", format!("there is no procedure {code:?}")))
}
