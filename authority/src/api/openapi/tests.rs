//! The document against the committed copy, against the router itself, and as OpenAPI.
use super::document;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}

/// Other teams read the committed copy without running the server: it must be what the code
/// generates. `UPDATE_OPENAPI=1` rewrites it instead.
#[test]
fn the_committed_openapi_json_is_what_the_code_generates() {
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, document()).expect("write the committed copy");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == document(),
        "{} differs from the document the code generates: regenerate it with\n    \
         UPDATE_OPENAPI=1 cargo test -p authority openapi\nand commit it",
        path.display()
    );
}

/// Each route of the router as axum itself holds it: its path and the methods it answers.
/// Read from the router's `Debug` form (axum lists `RouteId → path` and each method router's
/// `Allow` header), so a route added any way at all, `routes!` or a plain `.route`, is seen.
fn routed() -> BTreeMap<String, BTreeSet<String>> {
    let text = format!("{:?}", super::super::unstated(0, 0));
    // The fallback router that follows holds axum's own catch-all routes, not ours.
    let text = text.split("fallback_router:").next().unwrap();
    let mut allow: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // `RouteId(7): MethodRouter(MethodRouter { get: ..., allow_header: Bytes(b"GET,HEAD") })`
    for part in text.split("RouteId(").skip(1) {
        let id: String = part.chars().take_while(char::is_ascii_digit).collect();
        let rest = &part[id.len()..];
        if let Some(methods) = rest.strip_prefix("): MethodRouter(").and_then(|r| r.split("allow_header: Bytes(b\"").nth(1)) {
            let methods = methods.split('"').next().unwrap();
            allow.insert(id, methods.split(',').filter(|m| *m != "HEAD").map(str::to_lowercase).collect());
        }
    }
    let mut routes = BTreeMap::new();
    // `paths: {RouteId(7): "/api/v1/state", ...}`
    for part in text.split("RouteId(").skip(1) {
        let id: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Some(path) = part[id.len()..].strip_prefix("): \"") {
            let path = path.split('"').next().unwrap().to_owned();
            let methods = allow.get(&id).unwrap_or_else(|| panic!("no methods read for route {id} ({path})"));
            routes.insert(path, methods.clone());
        }
    }
    routes
}

/// A route cannot be served without its description: every path and method the router answers
/// (but the console's pages and the phone page /t/{key}) is in the document, and the document names nothing it does not.
#[test]
fn every_route_of_the_router_is_in_the_openapi_document_and_nothing_else() {
    let routes = routed();
    assert!(routes.len() > 25, "the router's Debug form was not understood (axum changed?): {routes:?}");
    let doc: Value = serde_json::from_str(document()).unwrap();
    let mut documented = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let methods: BTreeSet<String> = item.as_object().unwrap().keys().filter(|k| *k != "parameters").cloned().collect();
        documented.insert(path.clone(), methods);
    }
    let served: BTreeMap<String, BTreeSet<String>> =
        routes.into_iter().filter(|(p, _)| !p.starts_with("/console") && !p.starts_with("/t/")).collect();
    for (path, methods) in &served {
        assert_eq!(documented.get(path), Some(methods), "{path} is routed for {methods:?} but documented as {:?}", documented.get(path));
    }
    for path in documented.keys() {
        assert!(served.contains_key(path), "{path} is documented but not routed");
    }
}

/// The document is OpenAPI that a reader's tools take: it reads back as utoipa's model of
/// OpenAPI without losing anything, and every `$ref` names a schema that is there.
#[test]
fn the_openapi_document_reads_back_as_openapi_and_every_ref_resolves() {
    let parsed: utoipa::openapi::OpenApi = serde_json::from_str(document()).expect("an OpenAPI document");
    let again: Value = serde_json::to_value(&parsed).unwrap();
    let doc: Value = serde_json::from_str(document()).unwrap();
    assert_eq!(again, doc, "reading the document back lost or changed something");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(schemas.contains_key(name), "$ref {r} names no schema");
    }
    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(operation_ids.insert(id), "operationId {id} of {method} {path} is not unique");
            assert!(op["summary"].is_string(), "{method} {path} has no summary");
            assert!(op["tags"].is_array(), "{method} {path} has no tag");
            for requirement in op["security"].as_array().map(Vec::as_slice).unwrap_or_default() {
                for scheme in requirement.as_object().unwrap().keys() {
                    assert!(schemes.contains_key(scheme), "{method} {path} names an unknown security scheme {scheme}");
                }
            }
            for (status, answer) in op["responses"].as_object().unwrap() {
                let code: u16 = status.parse().unwrap();
                if code >= 400 {
                    let schema = &answer["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status} is not the error body");
                }
            }
        }
    }
}
