//! The committed spec must match the code. Regenerate with
//! `cargo run -- openapi > openapi/openapi.json`.

use crate::helpers::spawn_app;

#[test]
fn committed_openapi_matches_the_code() {
    let generated = huurtoezicht::openapi::document_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &generated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json` (or UPDATE_OPENAPI=1 cargo test openapi)"
    );
}

#[tokio::test]
async fn served_spec_is_openapi_31_and_docs_work_offline() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(
        spec,
        serde_json::from_str::<serde_json::Value>(&huurtoezicht::openapi::document_json()).unwrap()
    );
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    let res = app.get("/docs/", None).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "the docs page is served from the binary");
    let res = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(res.status(), 200, "Swagger UI assets are embedded");
    let res = app.get("/docs/swagger-initializer.js", None).await;
    assert_eq!(res.status(), 200);
    let init = res.text().await.unwrap();
    assert!(init.contains("\"/openapi.json\""), "the UI loads the served document: {init}");
}

/// The document is built once at start-up and served as the same bytes on every request and by
/// every worker; only GET is a route.
#[tokio::test]
async fn the_served_spec_is_the_same_bytes_every_time_and_only_for_get() {
    let app = spawn_app().await;
    let mut bodies = Vec::new();
    for _ in 0..4 {
        let res = app.get("/openapi.json", None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/json");
        bodies.push(res.bytes().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    let res = app.post("/openapi.json", &serde_json::json!({}), None).await;
    crate::helpers::assert_problem(res, 405, "/problems/method-not-allowed").await;
}

// ---------------------------------------------------------------------------------------------
// The spec is exact: closed sets are enums, error answers are shared, file bodies are binary.
// ---------------------------------------------------------------------------------------------

use serde_json::Value;

fn spec() -> Value {
    serde_json::to_value(huurtoezicht::openapi::document()).unwrap()
}

/// The rule for "enum-like" (docs/API-DESIGN.md): a string property or parameter — or the
/// items of an array — whose name is one of these, or ends in one of the suffixes, names a
/// member of a closed set and must have an `enum` (directly, through `$ref`, or in every
/// non-null branch of `oneOf`/`anyOf`/`allOf`).
const ENUM_NAMES: &[&str] = &[
    "kind",
    "state",
    "status",
    "stage",
    "outcome",
    "role",
    "language",
    "priority",
    "action",
    "actions",
    "allowed_actions",
    "grant_type",
    "channel",
    "scopes",
    "grounds",
    "partner",
    "basis",
    "step",
    "by",
];
const ENUM_SUFFIXES: &[&str] =
    &["_kind", "_state", "_status", "_stage", "_outcome", "_grounds", "_ground", "_language", "_channel"];

/// Open sets with such a name, each with its reason. A stale entry fails the test too.
const NOT_CLOSED: &[(&str, &str, &str)] = &[
    ("AuditEntryResponse", "action", "audit action names grow with every use case"),
    ("HistoryEntry", "action", "audit action names grow with every use case"),
    ("Problem", "allowed_actions", "the verbs of whichever resource answered"),
    ("SanctionResponse", "allowed_actions", "each sanction kind has its own procedure verbs"),
    ("SanctionResponse", "state", "an object: the procedure's state with its dates"),
    ("MySanction", "state", "an object: the procedure's state with its dates"),
    ("CreateInspectionRequest", "interpreter_language", "any language an interpreter speaks"),
    ("PerformInspectionRequest", "interpreter_language", "any language an interpreter speaks"),
    ("InspectionResponse", "interpreter_language", "any language an interpreter speaks"),
    ("DocumentResponse", "kind", "named by the municipality: 1–50 of a–z, 0–9 and _"),
    (
        "post /v1/licence-applications/{id}/documents",
        "kind",
        "named by the municipality: 1–50 of a–z, 0–9 and _",
    ),
];

fn enum_like(name: &str) -> bool {
    ENUM_NAMES.contains(&name) || ENUM_SUFFIXES.iter().any(|s| name.ends_with(s))
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(spec, spec.pointer(&r.replacen('#', "", 1)).unwrap_or(&Value::Null)),
        None => schema,
    }
}

fn is_type(schema: &Value, t: &str) -> bool {
    schema["type"] == t || schema["type"].as_array().is_some_and(|ts| ts.iter().any(|x| x == t))
}

/// Whether a string (or array of strings) schema is closed, and whether it is a string at all.
fn closed(spec: &Value, schema: &Value) -> (bool, bool) {
    let s = resolve(spec, schema);
    if s.get("enum").is_some() {
        return (true, true);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(branches) = s[key].as_array() {
            let real: Vec<&Value> = branches.iter().filter(|b| b["type"] != "null").collect();
            let results: Vec<(bool, bool)> = real.iter().map(|b| closed(spec, b)).collect();
            let stringy = results.iter().any(|r| r.1);
            return (stringy && results.iter().filter(|r| r.1).all(|r| r.0), stringy);
        }
    }
    if is_type(s, "array") {
        return closed(spec, &s["items"]);
    }
    (false, is_type(s, "string"))
}

fn open_enum_like_fields(spec: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let mut stack = vec![schema];
        while let Some(s) = stack.pop() {
            for key in ["oneOf", "anyOf", "allOf"] {
                stack.extend(s[key].as_array().into_iter().flatten());
            }
            for (prop, p) in s["properties"].as_object().into_iter().flatten() {
                if enum_like(prop) {
                    let (is_closed, stringy) = closed(spec, p);
                    if stringy && !is_closed {
                        found.push((name.clone(), prop.clone()));
                    }
                }
                if p.get("properties").is_some() {
                    stack.push(p);
                }
            }
        }
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                let (is_closed, stringy) = closed(spec, &param["schema"]);
                if enum_like(name) && stringy && !is_closed {
                    found.push((format!("{method} {path}"), name.to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn every_enum_like_field_and_parameter_has_an_enum() {
    let spec = spec();
    let open: Vec<(String, String)> = open_enum_like_fields(&spec)
        .into_iter()
        .filter(|(s, f)| !NOT_CLOSED.iter().any(|(ns, nf, _)| ns == s && nf == f))
        .collect();
    assert!(open.is_empty(), "enum-like fields without an enum (add the closed set's schema): {open:?}");
    for (schema, field, why) in NOT_CLOSED {
        let exists = match schema.split_once(' ') {
            Some((method, path)) => spec["paths"][path][method]["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == *field)),
            None => spec["components"]["schemas"][schema]["properties"].get(field).is_some(),
        };
        assert!(exists, "stale exemption {schema}.{field} ({why})");
    }
}

#[test]
fn the_enum_rule_catches_a_plain_string() {
    let mut spec = spec();
    spec["components"]["schemas"]["ApplicationResponse"]["properties"]["state"] =
        serde_json::json!({"type": "string"});
    spec["components"]["schemas"]["DecideRequest"]["properties"]["refusal_grounds"] =
        serde_json::json!({"type": "array", "items": {"type": "string"}});
    let open = open_enum_like_fields(&spec);
    assert!(open.contains(&("ApplicationResponse".into(), "state".into())), "{open:?}");
    assert!(open.contains(&("DecideRequest".into(), "refusal_grounds".into())), "{open:?}");
}

#[test]
fn error_answers_are_shared_components_referenced_by_every_operation() {
    let spec = spec();
    let responses = &spec["components"]["responses"];
    for name in [
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "MethodNotAllowed",
        "Conflict",
        "PreconditionFailed",
        "PayloadTooLarge",
        "UnsupportedMediaType",
        "ValidationFailed",
        "TooManyRequests",
        "Unavailable",
    ] {
        assert_eq!(
            responses[name]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem",
            "{name}"
        );
    }
    assert!(responses["TooManyRequests"]["headers"]["Retry-After"].is_object());
    assert!(responses["Unavailable"]["headers"]["Retry-After"].is_object());
    assert!(responses["MethodNotAllowed"]["headers"]["Allow"].is_object());
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(r.get("$ref").is_some(), "{method} {path} {status} is declared inline");
                }
            }
            if path != "/health" {
                assert!(op["responses"].get("503").is_some(), "{method} {path} lacks 503");
            }
        }
    }
    // Conditional changes: If-Match in, 412 and the new ETag out; the reads send the ETag.
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let conditional = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "If-Match" && p["in"] == "header"));
            if conditional {
                assert_eq!(
                    op["responses"]["412"]["$ref"], "#/components/responses/PreconditionFailed",
                    "{method} {path}"
                );
                assert!(op["responses"]["200"]["headers"]["ETag"].is_object(), "{method} {path}");
                // An If-Match that names no entity tag (e.g. an empty header) is a 422.
                assert!(
                    op["responses"]["422"].is_object(),
                    "{method} {path} lacks 422 for a malformed If-Match"
                );
            }
        }
    }
    for (path, m) in [
        ("/v1/complaints/{id}/transitions", "post"),
        ("/v1/complaints/{id}/merge", "post"),
        ("/v1/licence-applications/{id}", "patch"),
        ("/v1/licence-applications/{id}/decide", "post"),
        ("/v1/licence-applications/{id}/bibob", "put"),
        ("/v1/sanctions/{id}/actions", "post"),
    ] {
        let params = spec["paths"][path][m]["parameters"].as_array().unwrap().clone();
        assert!(params.iter().any(|p| p["name"] == "If-Match"), "{m} {path} lacks If-Match");
    }
    for path in ["/v1/complaints/{id}", "/v1/licence-applications/{id}", "/v1/sanctions/{id}"] {
        assert!(spec["paths"][path]["get"]["responses"]["200"]["headers"]["ETag"].is_object(), "{path}");
    }
    let ops = |path: &str, m: &str| spec["paths"][path][m]["responses"].clone();
    for (path, m) in
        [("/v1/auth/token", "post"), ("/v1/accounts/landlords", "post"), ("/v1/complaints", "post")]
    {
        assert_eq!(ops(path, m)["429"]["$ref"], "#/components/responses/TooManyRequests", "{m} {path}");
    }
}

#[test]
fn uploads_are_binary_and_the_token_request_is_one_of_two_grants() {
    let spec = spec();
    let upload = &spec["paths"]["/v1/licence-applications/{id}/documents"]["post"];
    for media in ["application/pdf", "image/jpeg", "image/png"] {
        let schema = &upload["requestBody"]["content"][media]["schema"];
        assert_eq!(schema["type"], "string", "{media}");
        assert_eq!(schema["format"], "binary", "{media}");
    }
    for status in ["413", "415"] {
        assert!(upload["responses"].get(status).is_some(), "upload lacks {status}");
    }
    let schemas = &spec["components"]["schemas"];
    let one_of: Vec<&str> = schemas["TokenRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["$ref"].as_str().unwrap())
        .collect();
    assert_eq!(one_of, ["#/components/schemas/PasswordGrant", "#/components/schemas/ClientCredentialsGrant"]);
    assert_eq!(schemas["PasswordGrant"]["required"], serde_json::json!(["email", "password"]));
    assert_eq!(
        schemas["ClientCredentialsGrant"]["required"],
        serde_json::json!(["grant_type", "client_id", "client_secret"])
    );
}

#[test]
fn enforced_limits_are_in_the_schemas() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let postcode = schemas["AddressDto"]["properties"]["postcode"]["pattern"].as_str().unwrap();
    assert!(postcode.starts_with('^') && postcode.ends_with('$'));
    assert_eq!(schemas["AddressDto"]["properties"]["house_number"]["minimum"], 1);
    assert_eq!(schemas["AddressDto"]["properties"]["addition"]["maxLength"], 10);
    assert_eq!(schemas["RegisterLandlordRequest"]["properties"]["password"]["minLength"], 12);
    assert_eq!(schemas["RegisterLandlordRequest"]["properties"]["password"]["maxLength"], 128);
    let limit = spec["paths"]["/v1/properties"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()
        .clone();
    assert_eq!(
        (limit["schema"]["minimum"].clone(), limit["schema"]["maximum"].clone()),
        (1.into(), 200.into())
    );
}

/// Every integer a request can carry (a parameter, or anywhere in a request body) whose
/// `maximum` is missing: a client (or a fuzzer) could send 2^31 to a field the server keeps in
/// 32 bits. Each found as `where: field`.
fn unbounded_request_integers(spec: &Value) -> Vec<String> {
    fn walk(spec: &Value, schema: &Value, at: &str, seen: &mut Vec<String>, found: &mut Vec<String>) {
        if let Some(r) = schema["$ref"].as_str() {
            if seen.iter().any(|s| s == r) {
                return;
            }
            seen.push(r.to_string());
            let name = r.rsplit('/').next().unwrap_or(r);
            return walk(spec, resolve(spec, schema), name, seen, found);
        }
        if is_type(schema, "integer") && schema.get("maximum").is_none() {
            found.push(at.to_string());
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for b in schema[key].as_array().into_iter().flatten() {
                walk(spec, b, at, seen, found);
            }
        }
        walk_items(spec, schema, at, seen, found);
    }
    fn walk_items(spec: &Value, schema: &Value, at: &str, seen: &mut Vec<String>, found: &mut Vec<String>) {
        if schema.get("items").is_some() {
            walk(spec, &schema["items"], &format!("{at}[]"), seen, found);
        }
        for (prop, p) in schema["properties"].as_object().into_iter().flatten() {
            walk(spec, p, &format!("{at}.{prop}"), seen, found);
        }
    }
    let mut found = Vec::new();
    let mut seen = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                walk(spec, &param["schema"], &format!("{method} {path}: {name}"), &mut seen, &mut found);
            }
            for media in op["requestBody"]["content"].as_object().into_iter().flatten().map(|(_, m)| m) {
                walk(spec, &media["schema"], &format!("{method} {path}"), &mut seen, &mut found);
            }
        }
    }
    found
}

#[test]
fn every_integer_a_request_carries_has_a_maximum() {
    let found = unbounded_request_integers(&spec());
    assert!(found.is_empty(), "request integers without a maximum (declare and enforce one): {found:?}");
}

#[test]
fn the_maximum_rule_catches_an_unbounded_integer() {
    let mut spec = spec();
    spec["components"]["schemas"]["FacilityCounts"]["properties"]["toilets"] =
        serde_json::json!({"type": "integer", "format": "int32", "minimum": 0});
    let found = unbounded_request_integers(&spec);
    assert!(found.iter().any(|f| f.ends_with("FacilityCounts.toilets")), "{found:?}");
}
