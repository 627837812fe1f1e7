//! The ticket's phone page on the hub, `/t/{centre}/{key}`: the centre's own page
//! (`authority::ticket_page`), drawn from the views the centre's uplink sent and following
//! the hub's stream of them, so a QR code may lead to the province's address and still show
//! the same page. Its "updated at" is the centre's last push: the lag of the uplink.
use crate::api::{public_ticket, AppState};
use authority::ticket_page::{render, respond, Lang, Near, Page, PageQuery};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// `GET /t/{centre}/{key}`.
pub async fn page(
    State(app): State<AppState>,
    Path((centre, key)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let ticket = match public_ticket::find(&app, &centre, &key).await {
        Ok(t) => Some(t),
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => None,
        Err(e) => return e.into_response(),
    };
    let name = app.config.centre_name(&centre).unwrap_or("");
    let api = if ticket.is_some() { format!("/api/v1/public/centres/{centre}/tickets/{key}") } else { String::new() };
    let near = match (&app.config.notify, &ticket) {
        (Some(n), Some(t)) => Some(Near { ahead: n.ahead_for(&t.service), api: format!("{api}/near") }),
        _ => None,
    };
    let html = render(&Page {
        centre: name,
        api,
        lang: Lang::choose(q.lang(), &headers),
        offset_min: app.config.province.utc_offset_minutes,
        ticket: ticket.as_ref(),
        near,
    });
    respond(ticket.is_some(), html)
}
