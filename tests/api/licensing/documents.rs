//! Application documents: type by magic bytes, size limit, stored outside the database.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, setup, submitted};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

async fn upload(
    app: &TestApp,
    token: &str,
    id: &str,
    query: &str,
    ct: &str,
    body: &[u8],
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/licence-applications/{id}/documents?{query}")))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_landlord_uploads_lists_and_downloads_a_pdf() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    let res = upload(
        &app,
        &s.landlord,
        id,
        "kind=floor_plan&file_name=C:\\docs\\plattegrond.pdf",
        "application/pdf",
        PDF,
    )
    .await;
    assert_eq!(res.status(), 201);
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["file_name"], "plattegrond.pdf");
    assert_eq!(doc["size_bytes"], PDF.len());
    assert_eq!(doc["content_type"], "application/pdf");

    let list: Value = app
        .get(&format!("/v1/licence-applications/{id}/documents"), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let res = app
        .get(
            &format!("/v1/licence-applications/{id}/documents/{}", doc["id"].as_str().unwrap()),
            Some(&s.officer),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

    let (_, other) = app.register_landlord("ander@example.nl").await;
    let res = app.get(&format!("/v1/licence-applications/{id}/documents"), Some(&other)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    let res = upload(&app, &other, id, "kind=lease", "application/pdf", PDF).await;
    assert_problem(res, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn content_that_does_not_match_its_type_or_is_too_large_is_refused() {
    let mut settings = std::collections::HashMap::new();
    settings.insert("HUURTOEZICHT_MAX_UPLOAD_BYTES".to_string(), "1024".to_string());
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::fixed(at(2025, 3, 3))).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    for kind in ["Floor%20Plan", "plattegrond!", "", &"a".repeat(51)] {
        let p = assert_problem(
            upload(&app, &s.landlord, id, &format!("kind={kind}"), "application/pdf", PDF).await,
            422,
            "/problems/validation",
        )
        .await;
        assert_eq!(p["errors"][0]["pointer"], "#/query/kind", "{kind}: {p}");
    }
    let exe = b"MZ\x90\x00 this is not a pdf";
    assert_problem(
        upload(&app, &s.landlord, id, "kind=lease", "application/pdf", exe).await,
        415,
        "/problems/unsupported-media-type",
    )
    .await;
    assert_problem(
        upload(&app, &s.landlord, id, "kind=lease", "text/html", b"<html>").await,
        415,
        "/problems/unsupported-media-type",
    )
    .await;
    // A PNG declared as JPEG.
    let png = b"\x89PNG\r\n\x1a\n0000";
    assert_problem(
        upload(&app, &s.landlord, id, "kind=photo", "image/jpeg", png).await,
        415,
        "/problems/unsupported-media-type",
    )
    .await;
    assert_eq!(upload(&app, &s.landlord, id, "kind=photo", "image/png", png).await.status(), 201);
    let big = [PDF, &vec![b'x'; 2048]].concat();
    assert_problem(
        upload(&app, &s.landlord, id, "kind=lease", "application/pdf", &big).await,
        413,
        "/problems/payload-too-large",
    )
    .await;
    assert_problem(
        upload(&app, &s.landlord, id, "kind=Bad Kind", "application/pdf", PDF).await,
        422,
        "/problems/validation",
    )
    .await;
    let list: Value = app
        .get(&format!("/v1/licence-applications/{id}/documents"), Some(&s.landlord))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn role_matrix_of_the_document_routes() {
    let app = spawn_app().await;
    let base = "/v1/licence-applications/00000000-0000-0000-0000-000000000000/documents";
    let readers = ["landlord", "officer", "bibob_officer", "manager"];
    assert_role_matrix(
        &app,
        Method::POST,
        &format!("{base}?kind=lease"),
        &json!({}),
        &["landlord", "officer"],
    )
    .await;
    assert_role_matrix(&app, Method::GET, base, &json!({}), &readers).await;
    assert_role_matrix(
        &app,
        Method::GET,
        &format!("{base}/00000000-0000-0000-0000-000000000001"),
        &json!({}),
        &readers,
    )
    .await;
}
