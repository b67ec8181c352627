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
