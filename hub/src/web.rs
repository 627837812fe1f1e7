//! The province's dashboard: plain HTML, CSS and JavaScript from `hub/web/`, embedded at build
//! time and served at `/province/`. The look (`style.css`) and the bar charts (`charts.js`) are
//! the staff console's own files, taken from the authority, so both read alike; the page only
//! talks to this hub's API (the session, the report and the dossiers), under the console's strict headers.
//! The citizen's booking page (`/booking/`, `booking.*`) is served the same way.
use authority::console::web::{file as console_file, page};
use axum::extract::Path;
use axum::response::{Redirect, Response};

const OWN: &[(&str, &[u8])] = &[
    ("index.html", include_bytes!("../web/index.html")),
    ("dom.js", include_bytes!("../web/dom.js")),
    ("province.js", include_bytes!("../web/province.js")),
    ("dossiers.js", include_bytes!("../web/dossiers.js")),
    ("province.css", include_bytes!("../web/province.css")),
    ("booking.html", include_bytes!("../web/booking.html")),
    ("booking.js", include_bytes!("../web/booking.js")),
    ("booking.css", include_bytes!("../web/booking.css")),
];
/// The citizen's booking page's files, served under `/booking/`.
const BOOKING: &[&str] = &["booking.html", "booking.js", "booking.css", "dom.js"];
/// The console's files the dashboard shares.
const SHARED: &[&str] = &["style.css", "charts.js"];

fn bytes(name: &str) -> Option<&'static [u8]> {
    OWN.iter().find(|(n, _)| *n == name).map(|(_, b)| *b).or_else(|| SHARED.contains(&name).then(|| console_file(name)).flatten())
}

fn serve(name: &str) -> Response {
    page(name, bytes(name), "<a href=\"/province/\">Bảng số liệu tỉnh / Province figures</a>")
}

/// `GET /` and `GET /province` → `/province/`.
pub async fn to_dashboard() -> Redirect {
    Redirect::to("/province/")
}

/// `GET /booking` → `/booking/`.
pub async fn to_booking() -> Redirect {
    Redirect::to("/booking/")
}

/// `GET /booking/`: the citizen's booking page (its API answers 404 when the hub takes no
/// bookings, and the page says so).
pub async fn booking() -> Response {
    booking_file("booking.html")
}

/// `GET /booking/{file}`.
pub async fn booking_asset(Path(name): Path<String>) -> Response {
    booking_file(&name)
}

fn booking_file(name: &str) -> Response {
    let bytes = if BOOKING.contains(&name) { bytes(name) } else { None };
    page(name, bytes, "<a href=\"/booking/\">Đặt lượt trước / Book a number</a>")
}

/// `GET /province/`.
pub async fn index() -> Response {
    serve("index.html")
}

/// `GET /province/{file}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    serve(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Proves every file the page asks for is served (a renamed console file would leave the
    /// dashboard without its look or its charts), and nothing else is.
    #[test]
    fn every_file_the_page_names_is_there() {
        let page = std::str::from_utf8(bytes("index.html").unwrap()).unwrap();
        for name in ["style.css", "province.css", "dom.js", "charts.js", "province.js"] {
            assert!(page.contains(&format!("\"{name}\"")), "{name} not in the page");
            assert!(bytes(name).is_some_and(|b| !b.is_empty()), "{name} not served");
        }
        assert!(bytes("admin.html").is_none(), "only the shared console files are served");
    }
}
