//! `GET /api/v1/admin/accounts`, `POST` (create), `PATCH /admin/accounts/{login}` (change,
//! disable, reset the password, unlock): staff and administrator accounts.
use super::auth::{Caller, CsrfHeader};
use super::body::Body;
use super::openapi::SessionRefusals;
use super::{ApiError, AppState};
use crate::console::accounts::{self, AccountPatch, NewAccount};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::config::Role;
use shared::console::AccountView;
use shared::wire::ErrorBody;

#[utoipa::path(
    get,
    path = "/admin/accounts",
    operation_id = "accounts_list",
    tag = "admin",
    summary = "Staff and administrator accounts",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The accounts", body = Vec<AccountView>),
        SessionRefusals,
    )
)]
pub async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Vec<AccountView>>, ApiError> {
    caller.require(&[Role::Admin])?;
    let all = app.authority.with_store(|s, _| s.accounts()).await?;
    Ok(Json(all.iter().map(AccountView::from).collect()))
}

#[utoipa::path(
    post,
    path = "/admin/accounts",
    operation_id = "account_create",
    tag = "admin",
    summary = "Create an account",
    description = "Role admin.",
    security(("bearer" = []), ("session" = [])),
    params(CsrfHeader),
    request_body = NewAccount,
    responses(
        (status = 201, description = "Created", body = AccountView),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 409, description = "account_exists", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body, invalid_account", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn create(State(app): State<AppState>, caller: Caller, Body(new): Body<NewAccount>) -> Result<Response, ApiError> {
    caller.require(&[Role::Admin])?;
    let a = accounts::create(&app.authority, &app.console.gate, &caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&a))).into_response())
}

#[utoipa::path(
    patch,
    path = "/admin/accounts/{login}",
    operation_id = "account_update",
    tag = "admin",
    summary = "Change, disable, reset the password of, or unlock an account",
    description = "Role admin. Absent fields stay as they are.",
    security(("bearer" = []), ("session" = [])),
    params(("login" = String, Path, description = "The account's login"), CsrfHeader),
    request_body = AccountPatch,
    responses(
        (status = 200, description = "Changed", body = AccountView),
        (status = 400, description = "bad_request: malformed JSON", body = ErrorBody),
        (status = 404, description = "account_not_found", body = ErrorBody),
        (status = 409, description = "self_lockout", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_body, invalid_account", body = ErrorBody),
        SessionRefusals,
    )
)]
pub async fn update(
    State(app): State<AppState>,
    Path(login): Path<String>,
    caller: Caller,
    Body(patch): Body<AccountPatch>,
) -> Result<Json<AccountView>, ApiError> {
    caller.require(&[Role::Admin])?;
    let a = accounts::update(&app.authority, &app.console.gate, &caller.actor(), &login, patch).await?;
    Ok(Json(AccountView::from(&a)))
}
