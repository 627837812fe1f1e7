//! `GET /api/v1/openapi.json`: the API described for other teams and for generated clients.
//! Kept as a document beside the code; a test checks that it names every route the router has.
use axum::http::header;
use axum::response::IntoResponse;

pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_names_every_route_of_the_router() {
        let doc: serde_json::Value = serde_json::from_str(super::DOCUMENT).expect("valid JSON");
        let paths = doc["paths"].as_object().unwrap();
        let router = include_str!("mod.rs");
        for line in router.lines().filter(|l| l.trim_start().starts_with(".route(\"")) {
            let path = line.split('"').nth(1).unwrap();
            if path.starts_with("/console") {
                continue; // the console's pages, not the API
            }
            let full = if path == "/healthz" { path.to_owned() } else { format!("/api/v1{path}") };
            assert!(paths.contains_key(&full), "{full} is routed but not documented");
        }
        assert_eq!(doc["openapi"], "3.0.3");
    }
}
