//! `GET /api/v1/procedures?q=&field=&audience=&limit=`: ranked search over the catalogue, for the
//! kiosk's other screens and any other device; public, like the portal it mirrors. Without `q`,
//! the most used procedures (of a field, if given) come first, for browsing.
use super::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shared::catalogue::{Audience, FieldId, SearchOptions};
use shared::wire::ErrorBody;

const MAX_LIMIT: usize = 100;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// The words or the code searched for (at most 200 characters); empty: browse.
    #[serde(default)]
    #[param(max_length = 200)]
    q: String,
    /// A field (lĩnh vực) id.
    field: Option<String>,
    /// `citizen` or `business`.
    #[param(value_type = Option<String>, pattern = "^(citizen|business)$")]
    audience: Option<Audience>,
    /// How many hits, 1 to 100 (10 when absent).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Found {
    code: String,
    name: String,
    /// Higher is better; only the order means anything (absent when browsing).
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchAnswer {
    query: String,
    results: Vec<Found>,
}

#[utoipa::path(
    get,
    path = "/procedures",
    tag = "catalogue",
    summary = "Search the procedure catalogue",
    description = "Public. Ranked search that ignores tone marks and case, tolerates word order, a partial last word \
        and Telex/VNI leftovers, and finds codes (1.004194 or 004194); ties go to the portal's popularity weight. \
        Without q: the most used procedures, for browsing.",
    security(()),
    params(SearchQuery),
    responses(
        (status = 200, description = "Hits, best first", body = SearchAnswer),
        (status = 400, description = "bad_request: bad limit, too long a query, unknown parameter", body = ErrorBody),
        (status = 503, description = "catalogue_unavailable", body = ErrorBody),
    )
)]
pub async fn search(
    State(app): State<AppState>,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let catalogue = app.catalogue.ready().await.ok_or_else(unavailable)?;
    let limit = q.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!("limit must be from 1 to {MAX_LIMIT}")));
    }
    if q.q.chars().count() > 200 {
        return Err(ApiError::bad_request("the query is longer than 200 characters"));
    }
    let field = q.field.map(FieldId);
    let results = if q.q.trim().is_empty() {
        let mut all: Vec<_> = catalogue
            .procedures()
            .iter()
            .filter(|p| field.as_ref().is_none_or(|f| p.fields.iter().any(|r| r.id.as_deref() == Some(f.0.as_str()))))
            .filter(|p| q.audience.is_none_or(|a| p.audiences.is_empty() || p.audiences.contains(&a)))
            .collect();
        all.sort_by_key(|p| std::cmp::Reverse(p.weight));
        all.into_iter().take(limit).map(|p| Found { code: p.code.to_string(), name: p.name.clone(), score: None }).collect()
    } else {
        catalogue
            .search(&q.q, SearchOptions { field, audience: q.audience, limit })
            .into_iter()
            .map(|h| Found { code: h.code.to_string(), name: h.name, score: Some(h.score) })
            .collect()
    };
    Ok(Json(SearchAnswer { query: q.q, results }))
}

pub(super) fn unavailable() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "catalogue_unavailable", "no procedure catalogue is loaded on this kiosk")
}
