//! The console's pages: plain HTML, CSS and JavaScript from `authority/web/`, embedded at
//! build time (`build.rs`), served at `/console/` with headers that keep the pages from running
//! anything but their own scripts (no inline script, no other origin), from being framed, and
//! from being cached stale after an upgrade.
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

include!(concat!(env!("OUT_DIR"), "/console_files.rs"));

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// The headers every console answer carries.
pub fn secure_headers(h: &mut HeaderMap) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

pub fn file(name: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

fn serve(name: &str) -> Response {
    page(name, file(name), "<a href=\"/console/\">Bàn làm việc / Console</a>")
}

/// A page's answer under the console's headers: `bytes` typed by `name`'s extension, or a 404
/// page offering `home` (HTML) as the way back. The province hub's dashboard answers the same way.
pub fn page(name: &str, bytes: Option<&'static [u8]>, home: &str) -> Response {
    let mut res = match bytes {
        Some(bytes) => {
            let mut r = bytes.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
            r
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
            format!("<!doctype html><meta charset=utf-8><title>404</title><p>Không có trang này. / No such page. {home}"),
        )
            .into_response(),
    };
    secure_headers(res.headers_mut());
    res
}

/// `GET /console` → `/console/`.
pub async fn root_redirect() -> Redirect {
    Redirect::to("/console/")
}

/// `GET /console/`: the sign-in page.
pub async fn index() -> Response {
    serve("index.html")
}

/// `GET /console/{file}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    serve(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
    }

    #[test]
    fn the_staff_pages_are_served_with_their_shared_header_and_the_part_alone_is_not() {
        // Proves the build's include step: every staff page carries the header (navigation and
        // sign-out), no include line reaches a browser, and the part is no page of its own.
        for page in ["counter.html", "admin.html", "reports.html", "dossiers.html"] {
            let html = std::str::from_utf8(file(page).unwrap()).unwrap();
            assert!(html.contains(r#"<header class="top">"#) && html.contains(r#"id="sign-out""#), "{page}");
            assert!(!html.contains("<!-- include"), "{page}");
        }
        assert!(file("staff-header.part.html").is_none());
    }
}
