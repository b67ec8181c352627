//! Intake: categories, validation, anonymity, attachments, idempotent portal submissions.

use super::*;

#[tokio::test]
async fn categories_are_listed_in_every_supported_language_with_their_rule() {
    let app = spawn_app().await;
    for lang in ["nl", "en", "pl", "ro", "bg", "uk"] {
        let res = app.get(&format!("/v1/complaint-categories?lang={lang}"), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        let cats = body["categories"].as_array().unwrap();
        assert!(cats.len() >= 15);
        let deposit = cats.iter().find(|c| c["code"] == "deposit_too_high").unwrap();
        assert_eq!(deposit["rule"], "GR-04");
        assert!(!deposit["title"].as_str().unwrap().is_empty());
        assert!(cats.iter().any(|c| c["code"] == "unsafe_housing" && c["urgent"] == true));
    }
    let pl: Value = app.get("/v1/complaint-categories?lang=pl", None).await.json().await.unwrap();
    assert_eq!(
        pl["categories"].as_array().unwrap().iter().find(|c| c["code"] == "other").unwrap()["title"],
        "Coś innego"
    );
    assert!(pl["exploitation_signals"].as_array().unwrap().contains(&json!("documents_withheld")));
    assert_problem(app.get("/v1/complaint-categories?lang=de", None).await, 422, "/problems/validation")
        .await;
}

#[tokio::test]
async fn anonymous_complaint_stores_no_reporter_data_and_is_tracked_with_the_code() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/complaints"))
        .header("user-agent", "SecretAgent/7.7")
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"category": "intimidation", "language": "uk", "description": "Погрози",
                      "location_description": "Kamer boven de bakkerij", "anonymity": "fully_anonymous"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let code = body["tracking_code"].as_str().unwrap().to_string();
    // 32 Crockford base32 characters (160 bits) in 8 groups of 4.
    assert_eq!(code.len(), 39);
    assert_eq!(code.split('-').count(), 8);

    let row = stored(&app, body["id"].as_str().unwrap());
    let dump = format!("{row:?}");
    for secret in ["127.0.0.1", "203.0.113.9", "SecretAgent", code.as_str()] {
        assert!(!dump.contains(secret), "{secret} stored with the complaint");
    }
    assert_eq!(row.channel, Channel::Public);
    assert!(row.client_id.is_none() && row.contact_email.is_none());
    assert_ne!(row.tracking_hash, code);
    // Scenario 59: accepted, no feedback channel, no personal data.
    let v: Value = app
        .get(&format!("/v1/complaints/{}", row.id), Some(&role_token("officer")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["feedback_channel"], "none");
    assert!(v["contact"].is_null());

    let audit = app.get(&format!("/v1/audit?entity_id={}", row.id), Some(&app.admin_token().await)).await;
    let audit: Value = audit.json().await.unwrap();
    assert_eq!(audit["items"][0]["actor_kind"], "anonymous");
    assert!(audit["items"][0]["actor_id"].is_null());

    // Typed by a human: lower case, spaces instead of dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let res = track(&app, &typed).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "received");
    assert_eq!(view["status_label"], "отримано");
    assert_eq!(view["messages"], json!([]));
}

#[tokio::test]
async fn intake_validates_fields_and_contact_consent() {
    let app = spawn_app().await;
    let res = app
        .post("/v1/complaints", &json!({"category": "nope", "language": "xx", "description": "x"}), None)
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        body["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert!(
        pointers.contains(&"/category") && pointers.contains(&"/language") && pointers.contains(&"/address")
    );

    let mut r = report("intimidation");
    r["contact"] = json!({"email": "melder@example.org", "consent_to_contact": false});
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/contact/consent_to_contact");

    r["contact"] = json!({"email": "melder@example.org", "consent_to_contact": true});
    r["anonymity"] = json!("fully_anonymous");
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/contact");

    let mut r = report("intimidation");
    r["exploitation_signals"] = json!(["passport_taken"]);
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/exploitation_signals/0");

    // Landlords and officers do not submit with a token; only portals do.
    let res = app.post("/v1/complaints", &report("other"), Some(&role_token("landlord"))).await;
    assert_problem(res, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn attachments_with_a_lying_extension_are_rejected() {
    let app = spawn_app().await;
    let mut r = report("poor_maintenance");
    r["attachments"] = json!([{"file_name": "foto.jpg", "content_base64": b64(b"%PDF-1.7\n1 0 obj\n")}]);
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/attachments/0");
    r["attachments"] =
        json!([{"file_name": "foto.jpg", "media_type": "image/jpeg", "content_base64": b64(b"MZ\x90\0exe")}]);
    assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    r["attachments"] = json!([{"file_name": "scan.png", "content_base64": b64(&jpeg_with_gps())}]);
    assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    // Nothing was stored.
    assert!(std::fs::read_dir(attachment_dir(&app)).map(|d| d.count() == 0).unwrap_or(true));
}

#[tokio::test]
async fn exif_gps_and_the_pdf_author_are_gone_from_stored_attachments() {
    let app = spawn_app().await;
    let mut r = report("poor_maintenance");
    // A PDF that cannot be read cannot be cleaned: refused, nothing stored.
    r["attachments"] = json!([{"file_name": "brief.pdf", "content_base64": b64(b"%PDF-1.4\n%%EOF\n")}]);
    let res = app.post("/v1/complaints", &r, None).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/attachments/0");
    r["attachments"] = json!([
        {"file_name": "IMG_0001.JPG", "media_type": "image/jpeg", "content_base64": b64(&jpeg_with_gps())},
        {"file_name": "brief.pdf", "content_base64": b64(&pdf_with_author())}
    ]);
    let created = submit(&app, &r).await;
    let files: Vec<_> = std::fs::read_dir(attachment_dir(&app)).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 2);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("GPS") && !text.contains("Exif"), "metadata left in {}", f.display());
        assert!(!text.contains("Kowalska"), "the PDF author is left in {}", f.display());
    }
    assert!(
        files
            .iter()
            .any(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).contains("Schimmel in kamer 2")),
        "the PDF page stays"
    );
    let token = officer(&app).await;
    let c: Value = app
        .get(&format!("/v1/complaints/{}", created["id"].as_str().unwrap()), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let jpeg = c["attachments"].as_array().unwrap().iter().find(|a| a["media_type"] == "image/jpeg").unwrap();
    let res = app.get(jpeg["href"].as_str().unwrap(), Some(&token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    assert!(!String::from_utf8_lossy(&bytes).contains("GPS"));
}

#[tokio::test]
async fn an_idempotent_portal_retry_returns_the_original_complaint() {
    let app = spawn_app().await;
    let portal = app.client_token(&["complaints:write"]).await;
    let body = report("no_licence");
    let send = |key: &'static str, body: Value| {
        let req = app.client.post(app.url("/v1/complaints")).bearer_auth(&portal).json(&body);
        async move { req.header("idempotency-key", key).send().await.unwrap() }
    };
    let first = send("portal-123", body.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert!(first["tracking_code"].is_string());
    let again = send("portal-123", body.clone()).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["replayed"], true);
    assert!(again["tracking_code"].is_null());

    let mut other = body.clone();
    other["description"] = json!("iets anders");
    assert_problem(send("portal-123", other).await, 409, "/problems/conflict").await;
    let res = app.post("/v1/complaints", &body, Some(&portal)).await;
    assert_problem(res, 422, "/problems/validation").await;

    let list: Value = app.get("/v1/complaints", Some(&officer(&app).await)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let row = stored(&app, first["id"].as_str().unwrap());
    assert_eq!(row.channel, Channel::Portal);
}

#[tokio::test]
async fn a_municipality_can_replace_the_category_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut data: Value =
        serde_json::from_str(include_str!("../../../data/complaint-categories.json")).unwrap();
    let cats = data["categories"].as_array_mut().unwrap();
    let intimidation = cats.iter_mut().find(|c| c["code"] == "intimidation").unwrap();
    intimidation["handling_term_days"] = json!(10);
    intimidation["texts"]["en"]["title"] = json!("Bullying by the landlord");
    let path = dir.path().join("categories.json");
    std::fs::write(&path, data.to_string()).unwrap();
    let settings =
        HashMap::from([("HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE".to_string(), path.display().to_string())]);
    let app =
        spawn_app_with(settings, Clock::fixed(Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap())).await;
    let body: Value = app.get("/v1/complaint-categories?lang=en", None).await.json().await.unwrap();
    let c =
        body["categories"].as_array().unwrap().iter().find(|c| c["code"] == "intimidation").unwrap().clone();
    assert_eq!(c["title"], "Bullying by the landlord");
    assert_eq!(c["handling_term_days"], 10);
    let created = submit(&app, &report("intimidation")).await;
    assert_eq!(created["handling_due_on"], "2026-05-11");

    // A file with an unknown rule code stops start-up with the variable's name.
    intimidation_rule_breaks(&path, &data);
}

fn intimidation_rule_breaks(path: &std::path::Path, data: &Value) {
    let mut bad = data.clone();
    bad["categories"][0]["rule"] = json!("GR-99");
    std::fs::write(path, bad.to_string()).unwrap();
    let src =
        HashMap::from([("HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE".to_string(), path.display().to_string())]);
    let err = huurtoezicht::config::Config::from_source(&src).unwrap_err();
    assert_eq!(err.name, "HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE");
}

#[tokio::test]
async fn attachments_are_bounded_in_size_and_count() {
    let settings = HashMap::from([
        ("HUURTOEZICHT_ATTACHMENT_MAX_BYTES".to_string(), "1000".to_string()),
        ("HUURTOEZICHT_ATTACHMENT_MAX_COUNT".to_string(), "1".to_string()),
    ]);
    let app = spawn_app_with(settings, Clock::system()).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1001, b' ');
    let mut r = report("other");
    r["attachments"] = json!([{"file_name": "a.pdf", "content_base64": b64(&big)}]);
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/attachments/0/content_base64");
    let small = json!({"file_name": "a.pdf", "content_base64": b64(b"%PDF-1.4\n")});
    r["attachments"] = json!([small.clone(), small]);
    let body = assert_problem(app.post("/v1/complaints", &r, None).await, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/attachments");
    // The body limit of the route follows from the attachment limits.
    r["attachments"] = json!([]);
    r["description"] = json!("x".repeat(300_000));
    assert_problem(app.post("/v1/complaints", &r, None).await, 413, "/problems/payload-too-large").await;
}
