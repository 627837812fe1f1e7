//! `GET /api/v1/openapi.json`: the API described for other teams and for generated clients.
//!
//! Generated, not kept by hand: each handler carries its `#[utoipa::path]` (path, parameters,
//! bodies, answers, who may call it) in its own file, the wire types derive their schemas in
//! `shared` (feature `openapi`), and the router is an `OpenApiRouter` that takes routes only
//! with their description, so a route cannot be served undocumented. This file holds what is
//! common to all: the document's head, the two ways to authenticate, the tags and the refusals
//! most endpoints share. A copy is committed as `authority/openapi.json`; a test fails when it
//! drifts from what the code generates (`UPDATE_OPENAPI=1 cargo test -p authority openapi`).
use axum::http::header;
use axum::response::IntoResponse;
use shared::wire::ErrorBody;
use std::sync::OnceLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, OpenApi};

/// The head of the document; the paths and schemas come from the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Queue authority API",
        version = "1",
        description = "The queue of a one-stop administrative counter: tickets, counters, live state and events. \
            Bearer tokens per device and role (kiosk, display, counter, admin) come from the configuration; admin may \
            do everything. Every error is a JSON body {error, message} with a machine code (ErrorBody). People sign in \
            to the staff console (/console/) with a session cookie; with it, every state change needs the session's \
            X-CSRF-Token header."
    ),
    servers((url = "/")),
    modifiers(&Security),
    components(schemas(ErrorBody)),
    tags(
        (name = "tickets", description = "Taking a number, and what staff do to one ticket"),
        (name = "counters", description = "The buttons of a counter"),
        (name = "live", description = "The live state and its event stream"),
        (name = "devices", description = "Devices reporting their health"),
        (name = "help", description = "Kiosks calling a staff member, and staff answering"),
        (name = "catalogue", description = "The public procedure catalogue"),
        (name = "dossiers", description = "A citizen's evaluation of a finished dossier"),
        (name = "public", description = "A ticket as its holder's phone sees it, by the key its QR code carries"),
        (name = "console", description = "Signing in to the staff console, taking a counter, rating a visit"),
        (name = "admin", description = "The administrator's settings, accounts, audit log, catalogue and reports"),
        (name = "meta", description = "Liveness and this document"),
    )
)]
pub struct ApiDoc;

/// The two ways in: a device's bearer token from the configuration, or a person's console
/// session cookie.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A device's token from the configuration's [auth] tokens; its role decides what it may do."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        let cookie = ApiKeyValue::with_description(
            crate::console::session::COOKIE,
            "A person signed in to the console (POST /api/v1/session); every state change also needs the \
             session's X-CSRF-Token header.",
        );
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    }
}

/// The refusals of every endpoint that needs a device token.
#[derive(IntoResponses)]
#[allow(dead_code)] // describes answers; the values are built as `ApiError`s
pub enum TokenRefusals {
    /// Missing or unknown bearer token (unauthorized).
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token's role may not do this (forbidden).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Nothing was recorded: storage_full, storage_unavailable or stopping.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// The refusals of every endpoint a person signed in to the console (or a token) may call.
#[derive(IntoResponses)]
#[allow(dead_code)] // describes answers; the values are built as `ApiError`s
pub enum SessionRefusals {
    /// Not signed in: unauthorized (no or unknown token, no session), session_expired.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// forbidden (the role or the account may not do this), or csrf (a state change without this session's
    /// X-CSRF-Token, or from another site).
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// The document, pretty-printed: what is served and what is committed.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let doc = super::routes(0).into_openapi();
        let mut text = serde_json::to_string_pretty(&doc).expect("the document serialises");
        text.push('\n');
        text
    })
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    summary = "This document",
    description = "The OpenAPI 3.1 description of this API, generated from the code. Public.",
    security(()),
    responses((status = 200, description = "The OpenAPI document", body = Object, content_type = "application/json"))
)]
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

#[cfg(test)]
mod tests;
