//! The checked-in contract is what the code generates; regenerate with
//! `cargo run -q -p mesa -- openapi > openapi/openapi.json`.
#[test]
fn checked_in_openapi_matches_the_code() {
    let generated = mesa::startup::openapi().to_pretty_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let checked_in = std::fs::read_to_string(path).expect("openapi/openapi.json exists");
    assert!(
        generated.trim_end() == checked_in.trim_end(),
        "openapi/openapi.json is stale: run `cargo run -q -p mesa -- openapi > openapi/openapi.json` and regenerate the SPA types"
    );
}

#[test]
fn every_operation_documents_errors_and_security() {
    let spec: serde_json::Value = serde_json::from_str(&mesa::startup::openapi().to_json().unwrap()).unwrap();
    assert!(spec["components"]["securitySchemes"]["bearer_auth"].is_object());
    // The survey's link is its own credential (issue 17).
    let public = ["/api/v1/health", "/api/v1/ready", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/surveys/{token}"];
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let id = format!("{method} {path}");
            let responses = op["responses"].as_object().unwrap();
            if !public.contains(&path.as_str()) {
                assert!(op["security"].is_array(), "{id} has no security");
                assert!(responses.contains_key("401"), "{id} documents no 401");
            }
            for (status, r) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(r["content"]["application/problem+json"].is_object(), "{id} {status} is not problem+json");
                }
            }
        }
    }
}
