//! `GET /api/v1/admin/accounts`, `POST` (create), `PATCH /admin/accounts/{login}` (change,
//! disable, reset the password, unlock): staff and administrator accounts.
use super::auth::Caller;
use super::body::Body;
use super::{ApiError, AppState};
use crate::console::accounts::{self, AccountPatch, NewAccount};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::config::Role;
use shared::console::AccountView;

pub async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Vec<AccountView>>, ApiError> {
    caller.require(&[Role::Admin])?;
    let all = app.authority.with_store(|s, _| s.accounts()).await?;
    Ok(Json(all.iter().map(AccountView::from).collect()))
}

pub async fn create(State(app): State<AppState>, caller: Caller, Body(new): Body<NewAccount>) -> Result<Response, ApiError> {
    caller.require(&[Role::Admin])?;
    let a = accounts::create(&app.authority, &caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&a))).into_response())
}

pub async fn update(
    State(app): State<AppState>,
    Path(login): Path<String>,
    caller: Caller,
    Body(patch): Body<AccountPatch>,
) -> Result<Json<AccountView>, ApiError> {
    caller.require(&[Role::Admin])?;
    let a = accounts::update(&app.authority, &caller.actor(), &login, patch).await?;
    Ok(Json(AccountView::from(&a)))
}
