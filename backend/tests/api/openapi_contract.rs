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

/// Whether a schema, or anything it is made of (a `$ref`'d component, a property, the items, an
/// `allOf`/`oneOf`/`anyOf` branch), carries an example. `seen` stops at a component already
/// visited, so recursive schemas (catalog trees) end.
fn schema_has_example(spec: &serde_json::Value, schema: &serde_json::Value, seen: &mut Vec<String>) -> bool {
    let Some(obj) = schema.as_object() else { return false };
    if obj.contains_key("example") || obj.contains_key("examples") {
        return true;
    }
    if let Some(reference) = obj.get("$ref").and_then(|r| r.as_str()) {
        if seen.iter().any(|s| s == reference) {
            return false;
        }
        seen.push(reference.to_owned());
        return schema_has_example(spec, resolve(spec, reference), seen);
    }
    let properties = obj.get("properties").and_then(|p| p.as_object()).into_iter().flat_map(|p| p.values());
    let branches = ["allOf", "oneOf", "anyOf"].into_iter().filter_map(|k| obj.get(k).and_then(|b| b.as_array())).flatten();
    let singles = ["items", "additionalProperties"].into_iter().filter_map(|k| obj.get(k));
    properties.chain(branches).chain(singles).collect::<Vec<_>>().into_iter().any(|s| schema_has_example(spec, s, seen))
}

/// `#/components/schemas/Ticket` → that component (or null).
fn resolve<'a>(spec: &'a serde_json::Value, reference: &str) -> &'a serde_json::Value {
    reference.trim_start_matches('#').split('/').skip(1).fold(spec, |v, part| &v[part])
}

/// A request body's or a response's media types: an example on the media type or in its schema.
fn content_has_example(spec: &serde_json::Value, holder: &serde_json::Value) -> bool {
    let holder = match holder["$ref"].as_str() {
        Some(reference) => resolve(spec, reference),
        None => holder,
    };
    holder["content"].as_object().is_some_and(|content| {
        content.values().any(|media| media.get("example").is_some() || media.get("examples").is_some() || schema_has_example(spec, &media["schema"], &mut Vec::new()))
    })
}

/// Issue 20: every operation shows an integrator what to send or what comes back — an example
/// in its request body, in a success response's schema, or on one of its parameters.
#[test]
fn every_operation_carries_an_example() {
    let spec: serde_json::Value = serde_json::from_str(&mesa::startup::openapi().to_json().unwrap()).unwrap();
    let mut without = Vec::new();
    let mut total = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "put", "post", "patch", "delete", "head", "options"].contains(&method.as_str()) {
                continue;
            }
            total += 1;
            let body = op.get("requestBody").is_some_and(|b| content_has_example(&spec, b));
            let response = op["responses"].as_object().unwrap().iter().any(|(status, r)| status.starts_with('2') && content_has_example(&spec, r));
            let parameters = item["parameters"].as_array().into_iter().chain(op["parameters"].as_array()).flatten().any(|p| {
                let p = match p["$ref"].as_str() {
                    Some(reference) => resolve(&spec, reference),
                    None => p,
                };
                // An optional parameter's example is in its description (see the test below).
                let described = p["description"].as_str().is_some_and(|d| d.contains("Example: `"));
                p.get("example").is_some() || p.get("examples").is_some() || described || schema_has_example(&spec, &p["schema"], &mut Vec::new())
            });
            if !(body || response || parameters) {
                without.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    println!("{} of {total} operations carry an example", total - without.len());
    assert!(without.is_empty(), "{} of {total} operations carry no example:\n{}", without.len(), without.join("\n"));
}

/// Swagger UI prefills "Try it out" with parameter examples: optional ones carry theirs in the
/// description instead, so an operator's first try is the unfiltered list.
#[test]
fn optional_parameters_start_empty_in_try_it_out() {
    let spec: serde_json::Value = serde_json::from_str(&mesa::startup::openapi().to_json().unwrap()).unwrap();
    let mut moved = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let id = format!("{method} {path} {}", p["name"]);
                if p["required"] == true {
                    continue;
                }
                assert!(p.get("example").is_none() && p.get("examples").is_none(), "{id} would be prefilled");
                moved += usize::from(p["description"].as_str().is_some_and(|d| d.contains("Example: `")));
            }
        }
    }
    let tickets = &spec["paths"]["/api/v1/tickets"]["get"]["parameters"];
    let q = tickets.as_array().unwrap().iter().find(|p| p["name"] == "q").unwrap();
    assert!(q["description"].as_str().unwrap().ends_with("Example: `impresora piso 4`."), "{q}");
    assert!(moved > 100, "only {moved} optional parameters show their example in the description");
}
