//! `GET /api/v1/admin/synonyms` and `PUT` `{"version", "pairs"}`: the centre's own everyday words
//! for search ("nhà văn hoá" → "thiết chế văn hóa"), beside the shipped table, as the
//! administrator edits them. A saved table is searched with at once, here and on the kiosks.
use super::auth::{Caller, CsrfHeader};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::synonyms::{self, SynonymsError, Table};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::catalogue::SynonymPair;
use shared::config::Role;
use shared::wire::ErrorBody;

/// The synonym tables searched with.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Synonyms {
    /// Whether the configuration names a file for the centre's table (`[catalogue] synonyms`);
    /// without one the table cannot be saved.
    editable: bool,
    /// The centre's table's version, to send back with a change.
    version: String,
    /// The centre's own pairs, as written; they win over the shipped ones for the same words.
    centre: Vec<SynonymPair>,
    /// Why the centre's file as it stands is not used (broken by a hand edit); saving replaces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    /// The table shipped with the appliance, for reference.
    shipped: Vec<SynonymPair>,
}

impl From<Table> for Synonyms {
    fn from(t: Table) -> Synonyms {
        Synonyms {
            editable: t.path.is_some(),
            version: t.version,
            centre: t.pairs,
            problem: t.problem,
            shipped: shared::catalogue::shipped_pairs(),
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSynonyms {
    /// The version read; a change is refused if the table was saved meanwhile.
    version: String,
    /// The centre's whole table (at most 2,000 pairs).
    pairs: Vec<SynonymPair>,
}

#[utoipa::path(
    get,
    path = "/admin/synonyms",
    operation_id = "admin_synonyms_get",
    tag = "admin",
    summary = "The centre's synonym table for search, and the shipped one",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The tables", body = Synonyms),
        SessionRefusals,
    )
)]
pub async fn get(State(app): State<AppState>, caller: Caller) -> Result<Json<Synonyms>, ApiError> {
    caller.require(&[Role::Admin])?;
    let path = app.authority.config().catalogue.synonyms.clone();
    let table = tokio::task::spawn_blocking(move || synonyms::read(path.as_deref()))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the read failed"))?;
    Ok(Json(table.into()))
}

#[utoipa::path(
    put,
    path = "/admin/synonyms",
    operation_id = "admin_synonyms_put",
    tag = "admin",
    summary = "Save the centre's synonym table; search uses it at once",
    description = "Role admin. `version` must be the one read (else 409 version_conflict). Every pair is checked \
        (422 invalid_synonyms naming the row); the file is replaced atomically, the catalogue is searched with it at \
        once and a `catalogue_replaced` event makes the kiosks load it.",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body = SaveSynonyms,
    responses(
        (status = 200, description = "Saved and searched with", body = Synonyms),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 409, description = "version_conflict; no_synonym_file: the configuration names no file", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body; invalid_synonyms: a pair that cannot be used, by row", body = ErrorBody),
        (status = 507, description = "storage_unavailable: the file could not be written", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn put(State(app): State<AppState>, caller: Caller, Body(req): Body<SaveSynonyms>) -> Result<Json<Synonyms>, ApiError> {
    caller.require(&[Role::Admin])?;
    let saved = synonyms::save(&app.authority, app.catalogue.clone(), caller.actor(), req.version, req.pairs).await?;
    let table = saved.map_err(|e| match e {
        e @ SynonymsError::NotConfigured => ApiError::new(StatusCode::CONFLICT, "no_synonym_file", e.to_string()),
        e @ SynonymsError::VersionConflict { .. } => ApiError::new(StatusCode::CONFLICT, "version_conflict", e.to_string()),
        e @ SynonymsError::Invalid(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_synonyms", e.to_string()),
        e @ SynonymsError::Write { .. } => {
            tracing::error!("synonym table: {e}");
            ApiError::new(StatusCode::INSUFFICIENT_STORAGE, "storage_unavailable", e.to_string())
        }
        e @ SynonymsError::Task => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    })?;
    Ok(Json(table.into()))
}
