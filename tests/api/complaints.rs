//! Meldpunt: anonymous intake, tracking code, attachments, idempotent portal submissions, officer
//! triage, referrals, merge, hotspots, notifications and the retention job.

use std::collections::HashMap;

use base64::Engine;
use chrono::{Duration, TimeZone, Utc};
use huurtoezicht::clock::Clock;
use huurtoezicht::config::DatabaseUrl;
use huurtoezicht::db::complaints as store;
use huurtoezicht::db::Db;
use huurtoezicht::domain::complaints::Channel;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

fn report(category: &str) -> Value {
    json!({
        "category": category,
        "language": "pl",
        "description": "Właściciel grozi, że nas wyrzuci.",
        "address": {"postcode": "3011 ab", "house_number": 12, "addition": "b"},
    })
}

async fn submit(app: &TestApp, body: &Value) -> Value {
    let res = app.post("/v1/complaints", body, None).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// An officer account of the test municipality and a token for it. Tokens are signed here with
/// the wall clock (the app's token service signs with the app clock, which tests may fix in the
/// past, and `exp` is checked against the wall clock).
async fn officer_account(app: &TestApp) -> (String, String) {
    let email = format!("o{}@gemeente.test", uuid::Uuid::new_v4().simple());
    let res = app
        .post(
            "/v1/accounts",
            &json!({"email": email, "password": PASSWORD, "name": "Toezichthouder", "role": "officer",
                    "municipalities": [MUNICIPALITY]}),
            Some(&role_token("admin")),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let token = make_token("officer", &id, &[MUNICIPALITY], 600, "huurtoezicht-api", JWT_SECRET);
    (id, token)
}

async fn officer(app: &TestApp) -> String {
    officer_account(app).await.1
}

async fn act(app: &TestApp, token: &str, id: &str, verb: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/v1/complaints/{id}/{verb}"), &body, Some(token)).await
}

async fn transition(app: &TestApp, token: &str, id: &str, action: &str) -> reqwest::Response {
    act(app, token, id, "transitions", json!({"action": action, "reason": "beoordeeld"})).await
}

async fn track(app: &TestApp, code: &str) -> reqwest::Response {
    app.get(&format!("/v1/complaints/track/{}", code.replace(' ', "%20")), None).await
}

fn db_of(app: &TestApp) -> Db {
    Db::connect(&DatabaseUrl::parse(&app.database_url).unwrap(), 2).unwrap()
}

fn stored(app: &TestApp, id: &str) -> store::Complaint {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    store::find_unscoped(&mut c, id).unwrap().unwrap()
}

fn attachment_dir(app: &TestApp) -> std::path::PathBuf {
    std::path::PathBuf::from(&app.settings["HUURTOEZICHT_ATTACHMENT_DIR"])
}

/// A minimal JPEG with an APP1 Exif segment carrying a GPS position.
fn jpeg_with_gps() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let exif = b"Exif\0\0II*\0GPSLatitude=51.9225N;GPSLongitude=4.4792E";
    v.extend_from_slice(&[0xFF, 0xE1]);
    v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    v.extend_from_slice(exif);
    v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02, 0x10, 0x20, 0x30, 0xFF, 0xD9]);
    v
}

/// A one-page PDF with the author's name in its document information and XMP metadata.
fn pdf_with_author() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT (Schimmel in kamer 2) Tj ET".to_vec()));
    let page = doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content});
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1}),
    );
    let xmp = doc.add_object(Stream::new(
        dictionary! {"Type" => "Metadata", "Subtype" => "XML"},
        b"<dc:creator>Anna Kowalska</dc:creator>".to_vec(),
    ));
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id, "Metadata" => xmp});
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! {"Author" => Object::string_literal("Anna Kowalska")});
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

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
async fn a_wrong_code_is_404_and_repeated_failures_are_rate_limited() {
    let settings = HashMap::from([("HUURTOEZICHT_TRACK_FAILURES_PER_MINUTE".to_string(), "3".to_string())]);
    let app = spawn_app_with(settings, Clock::system()).await;
    let created = submit(&app, &report("intimidation")).await;
    let code = created["tracking_code"].as_str().unwrap();
    let wrong = "0000-0000-0000-0000-0000-0000-0000-0000";
    assert_problem(track(&app, wrong).await, 404, "/problems/not-found").await;
    assert_problem(track(&app, "not-a-code").await, 404, "/problems/not-found").await;
    let res =
        app.post(&format!("/v1/complaints/track/{wrong}/messages"), &json!({"text": "hallo"}), None).await;
    assert_problem(res, 404, "/problems/not-found").await;
    // The source is now blocked for this window, even with the right code.
    assert_problem(track(&app, wrong).await, 429, "/problems/too-many-requests").await;
    assert_problem(track(&app, code).await, 429, "/problems/too-many-requests").await;
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
async fn complaint_routes_admit_only_municipal_staff_and_hide_other_municipalities() {
    let app = spawn_app().await;
    let created = submit(&app, &report("intimidation")).await;
    let id = created["id"].as_str().unwrap();
    assert_role_matrix(&app, Method::GET, "/v1/complaints", &json!({}), &["officer", "manager"]).await;
    assert_role_matrix(
        &app,
        Method::GET,
        &format!("/v1/complaints/{id}"),
        &json!({}),
        &["officer", "manager"],
    )
    .await;
    assert_role_matrix(&app, Method::POST, "/v1/jobs/retention/run", &json!({}), &["admin"]).await;
    assert_role_matrix(&app, Method::GET, "/v1/complaints/hotspots", &json!({}), &["officer", "manager"])
        .await;
    for verb in [
        "transitions",
        "assign",
        "priority",
        "links",
        "merge",
        "messages",
        "referrals",
        "no-referral",
        "retention",
    ] {
        let path = format!("/v1/complaints/{id}/{verb}");
        assert_role_matrix(&app, Method::POST, &path, &json!({}), &["officer", "manager"]).await;
    }
    let elsewhere = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    assert_problem(
        app.get(&format!("/v1/complaints/{id}"), Some(&elsewhere)).await,
        404,
        "/problems/not-found",
    )
    .await;
    let list: Value = app.get("/v1/complaints", Some(&elsewhere)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    assert_problem(app.get("/v1/complaints", None).await, 401, "/problems/unauthorized").await;
}

#[tokio::test]
async fn state_changes_follow_the_workflow_and_illegal_ones_name_the_allowed_actions() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let id = submit(&app, &report("deposit_too_high")).await["id"].as_str().unwrap().to_string();
    let body =
        assert_problem(transition(&app, &token, &id, "take_action").await, 409, "/problems/conflict").await;
    assert_eq!(body["allowed_actions"], json!(["triage", "refer", "close_unfounded"]));
    for action in ["triage", "start_investigation", "take_action"] {
        let res = transition(&app, &token, &id, action).await;
        assert_eq!(res.status(), StatusCode::OK, "{action}");
    }
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    assert_eq!(c["status"], "action_taken");
    assert_eq!(c["allowed_actions"], json!([]));
    let actions: Vec<&str> =
        c["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "triage", "start_investigation", "take_action"]);
    assert_eq!(c["history"][1]["reason"], "beoordeeld");
    let res = act(&app, &token, &id, "transitions", json!({"action": "triage", "reason": ""})).await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn an_exploitation_signal_complaint_cannot_be_closed_without_a_referral_decision() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let mut r = report("tenancy_tied_to_employment");
    r["exploitation_signals"] = json!(["documents_withheld", "debts_to_employer"]);
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    assert_eq!(c["priority"], "urgent");
    // Signals keep the complaint urgent.
    let res = act(&app, &token, &id, "priority", json!({"priority": "low", "reason": "druk"})).await;
    assert_problem(res, 422, "/problems/validation").await;

    transition(&app, &token, &id, "triage").await;
    transition(&app, &token, &id, "start_investigation").await;
    let body =
        assert_problem(transition(&app, &token, &id, "close_no_action").await, 409, "/problems/conflict")
            .await;
    assert_eq!(body["allowed_actions"], json!(["add_referral", "record_no_referral"]));
    assert_problem(transition(&app, &token, &id, "refer").await, 409, "/problems/conflict").await;

    let res = act(
        &app,
        &token,
        &id,
        "referrals",
        json!({"partner": "labour_inspectorate", "referred_on": "2026-03-02",
        "shared_data": "adres, aantal bewoners, signalen", "legal_basis": "art. 4 Besluit Stb. 2023, 193"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = act(
        &app,
        &token,
        &id,
        "referrals",
        json!({"partner": "police", "referred_on": "2026-03-03",
        "shared_data": "x", "legal_basis": "y"}),
    )
    .await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = transition(&app, &token, &id, "refer").await;
    assert_eq!(res.status(), StatusCode::OK);
    let c: Value = res.json().await.unwrap();
    assert_eq!(c["status"], "referred");
    assert_eq!(c["referrals"][0]["partner"], "labour_inspectorate");
    // Scenario 60 shape: referred, not kept for a case → personal data due the same day.
    assert_eq!(c["retention"]["personal_data_due_on"], "2026-03-02");

    // The other route to a decision: a recorded reason not to refer.
    let id2 = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    transition(&app, &token, &id2, "triage").await;
    assert_problem(transition(&app, &token, &id2, "close_unfounded").await, 409, "/problems/conflict").await;
    let res =
        act(&app, &token, &id2, "no-referral", json!({"reason": "signalen al bekend bij de NLA"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(transition(&app, &token, &id2, "close_unfounded").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn messages_reach_the_reporter_but_internal_notes_never_do() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let created = submit(&app, &report("intimidation")).await;
    let (id, code) = (created["id"].as_str().unwrap(), created["tracking_code"].as_str().unwrap());
    act(&app, &token, id, "messages", json!({"kind": "internal_note", "text": "verhuurder is bekend"})).await;
    let res =
        act(&app, &token, id, "messages", json!({"kind": "information_request", "text": "Welke kamer?"}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: Value = track(&app, code).await.json().await.unwrap();
    assert_eq!(view["awaiting_information"], true);
    let msgs = view["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["text"], "Welke kamer?");
    assert_eq!(msgs[0]["from"], "municipality");
    assert!(msgs[0].get("author_account_id").is_none());
    assert!(!view.to_string().contains("verhuurder is bekend"));

    let res =
        app.post(&format!("/v1/complaints/track/{code}/messages"), &json!({"text": "Kamer 3"}), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["awaiting_information"], false);
    assert_eq!(view["messages"][1]["from"], "you");
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    let kinds: Vec<&str> =
        c["messages"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["internal_note", "information_request", "message"]);
}

#[tokio::test]
async fn the_tracking_code_keeps_working_after_a_merge() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let a = submit(&app, &report("intimidation")).await;
    let mut second = report("overcrowding");
    second["exploitation_signals"] = json!(["violence_or_threats"]);
    let b = submit(&app, &second).await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let res =
        act(&app, &token, b_id, "merge", json!({"into": a_id, "reason": "zelfde adres en verhuurder"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let primary: Value = res.json().await.unwrap();
    assert_eq!(primary["duplicates"], json!([b_id]));
    assert_eq!(primary["has_exploitation_signals"], true);
    assert_eq!(primary["priority"], "urgent");
    assert_problem(transition(&app, &token, b_id, "triage").await, 409, "/problems/conflict").await;

    transition(&app, &token, a_id, "triage").await;
    act(&app, &token, a_id, "messages", json!({"kind": "message", "text": "We gaan kijken."})).await;
    let view: Value = track(&app, b["tracking_code"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(view["status"], "triaged");
    assert_eq!(view["merged"], true);
    assert_eq!(view["category"], "overcrowding");
    assert_eq!(view["messages"][0]["text"], "We gaan kijken.");
    // The first reporter does not see anything of the second reporter's report.
    app.post(
        &format!("/v1/complaints/track/{}/messages", b["tracking_code"].as_str().unwrap()),
        &json!({"text": "Ik woon op kamer 2"}),
        None,
    )
    .await;
    let view_a: Value = track(&app, a["tracking_code"].as_str().unwrap()).await.json().await.unwrap();
    assert!(!view_a.to_string().contains("kamer 2"));
}

#[tokio::test]
async fn the_officer_list_puts_urgent_first_filters_and_pages_with_a_cursor() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()).await;
    let (me, token) = officer_account(&app).await;
    let mut ids = vec![];
    for i in 0..5 {
        let mut r = report(if i == 3 { "unsafe_housing" } else { "deposit_too_high" });
        r["address"]["postcode"] = json!(if i % 2 == 0 { "3011AB" } else { "1012 JS" });
        ids.push(submit(&app, &r).await["id"].as_str().unwrap().to_string());
        app.clock.advance(Duration::minutes(1));
    }
    let page: Value = app.get("/v1/complaints?limit=2", Some(&token)).await.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], json!(ids[3]));
    assert_eq!(page["items"][1]["id"], json!(ids[0]));
    let mut seen: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    let mut cursor = page["next_cursor"].as_str().unwrap().to_string();
    loop {
        let p: Value = app
            .get(&format!("/v1/complaints?limit=2&cursor={cursor}"), Some(&token))
            .await
            .json()
            .await
            .unwrap();
        seen.extend(p["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()));
        match p["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, [ids[3].clone(), ids[0].clone(), ids[1].clone(), ids[2].clone(), ids[4].clone()]);

    let p: Value = app.get("/v1/complaints?postcode=1012js", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 2);
    let p: Value =
        app.get("/v1/complaints?category=unsafe_housing", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    let p: Value = app.get("/v1/complaints?status=triaged", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));
    let p: Value =
        app.get("/v1/complaints?has_exploitation_signals=true", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));
    // Unsafe housing has a 3-day handling term in the shipped data file; the others 56 days.
    app.clock.advance(Duration::days(4));
    let p: Value = app.get("/v1/complaints?overdue=true", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    assert_eq!(p["items"][0]["overdue"], true);
    let p: Value =
        app.get("/v1/complaints?received_from=2026-01-06", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));

    // Assign and filter by officer; links and filter by landlord.
    let res = act(&app, &token, &ids[1], "assign", json!({"officer_id": me})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = act(&app, &token, &ids[1], "assign", json!({"officer_id": "nobody"})).await;
    assert_problem(res, 422, "/problems/validation").await;
    let p: Value = app
        .get(&format!("/v1/complaints?assigned_officer_id={me}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    act(&app, &token, &ids[2], "links", json!({"landlord_id": "ll-1", "property_id": "p-9"})).await;
    let p: Value = app.get("/v1/complaints?landlord_id=ll-1", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"][0]["id"], json!(ids[2]));
    assert_problem(app.get("/v1/complaints?cursor=zzz", Some(&token)).await, 422, "/problems/validation")
        .await;
    assert_problem(app.get("/v1/complaints?postcode=12", Some(&token)).await, 422, "/problems/validation")
        .await;
}

#[tokio::test]
async fn hotspots_count_complaints_per_address_and_landlord_over_twelve_months() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let old = submit(&app, &report("intimidation")).await;
    app.clock.advance(Duration::days(400));
    let mut ids = vec![];
    for _ in 0..3 {
        ids.push(submit(&app, &report("intimidation")).await["id"].as_str().unwrap().to_string());
    }
    let mut other = report("other");
    other["address"] = json!({"postcode": "1012JS", "house_number": 1});
    submit(&app, &other).await;
    for id in &ids[..2] {
        act(&app, &token, id, "links", json!({"landlord_id": "ll-7"})).await;
    }
    act(&app, &token, old["id"].as_str().unwrap(), "links", json!({"landlord_id": "ll-7"})).await;

    let h: Value = app.get("/v1/complaints/hotspots", Some(&token)).await.json().await.unwrap();
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "{h}");
    assert_eq!(h["items"][0]["postcode"], "3011AB");
    assert_eq!(h["items"][0]["house_number_addition"], "B");
    assert_eq!(h["items"][0]["complaints"], 3);
    let h: Value =
        app.get("/v1/complaints/hotspots?by=landlord&min_count=1", Some(&token)).await.json().await.unwrap();
    assert_eq!(h["items"][0]["landlord_id"], "ll-7");
    assert_eq!(h["items"][0]["complaints"], 2);
    let h: Value = app
        .get("/v1/complaints/hotspots?by=landlord&from=2024-01-01", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["items"][0]["complaints"], 3);
    assert_problem(
        app.get("/v1/complaints/hotspots?from=2026-01-01&to=2025-01-01", Some(&token)).await,
        422,
        "/problems/validation",
    )
    .await;
}

#[tokio::test]
async fn a_consenting_reporter_is_emailed_in_their_language_without_details() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let mut r = report("intimidation");
    r["contact"] = json!({"email": "melder@example.org", "consent_to_contact": true});
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    submit(&app, &report("intimidation")).await;
    transition(&app, &token, &id, "triage").await;
    act(&app, &token, &id, "messages", json!({"kind": "message", "text": "Geheime details"})).await;
    act(&app, &token, &id, "messages", json!({"kind": "internal_note", "text": "notitie"})).await;
    let mails = app.wait_for_mail(2, 10).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    let all = mails.join("\n");
    assert!(all.contains("melder@example.org"));
    assert!(!all.contains("Geheime details"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mails().len(), 2);
    let db = db_of(&app);
    use diesel::prelude::*;
    use huurtoezicht::db::schema::outbox;
    let mut conn = db.get().unwrap();
    let subjects: Vec<String> = outbox::table.select(outbox::subject).load(&mut *conn).unwrap();
    assert_eq!(subjects, vec!["Twoje zgłoszenie w punkcie zgłoszeń dot. wynajmu"; 2]);
    let bodies: Vec<String> =
        outbox::table.select(outbox::body).order(outbox::created_at).load(&mut *conn).unwrap();
    assert!(
        bodies.iter().any(|b| b.contains("Status Twojego zgłoszenia zmienił się: ocenione.")),
        "{bodies:?}"
    );
}

#[tokio::test]
async fn a_municipality_can_replace_the_category_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut data: Value = serde_json::from_str(include_str!("../../data/complaint-categories.json")).unwrap();
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
async fn the_retention_job_with_a_fixed_clock_deletes_exactly_what_the_rules_say() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2025, 2, 1, 10, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let admin = role_token("admin");
    let with_contact = |category: &str| {
        let mut r = report(category);
        r["contact"] = json!({"name": "Anna", "email": "anna@example.org", "phone": "0612345678", "consent_to_contact": true});
        r["attachments"] = json!([{"file_name": "a.jpg", "content_base64": b64(&jpeg_with_gps())}]);
        r
    };
    // A: unfounded. B: referred, kept for a case. C: referred, not kept (scenario 60). D: open.
    let a = submit(&app, &with_contact("intimidation")).await["id"].as_str().unwrap().to_string();
    let b = submit(&app, &with_contact("no_licence")).await["id"].as_str().unwrap().to_string();
    let c = submit(&app, &with_contact("other")).await["id"].as_str().unwrap().to_string();
    let d = submit(&app, &with_contact("overcrowding")).await["id"].as_str().unwrap().to_string();
    for id in [&a, &b, &c, &d] {
        act(&app, &token, id, "messages", json!({"kind": "internal_note", "text": "Anna belde"})).await;
    }
    let referral = json!({"partner": "housing_corporation", "referred_on": "2025-02-01", "shared_data": "naam en adres", "legal_basis": "MP-05"});
    app.clock.advance(Duration::days(2)); // 2025-02-03
    assert_eq!(transition(&app, &token, &a, "close_unfounded").await.status(), StatusCode::OK);
    for id in [&b, &c] {
        act(&app, &token, id, "referrals", referral.clone()).await;
    }
    let res =
        act(&app, &token, &b, "retention", json!({"case_building": true, "reason": "dossieropbouw"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    for id in [&b, &c] {
        assert_eq!(transition(&app, &token, id, "refer").await.status(), StatusCode::OK);
    }
    assert_eq!(stored(&app, &b).personal_data_due_on, Some(date("2029-02-01")));
    assert_eq!(stored(&app, &c).personal_data_due_on, Some(date("2025-02-03")));
    // Status mails to A, B and C (consent given).
    assert_eq!(app.wait_for_mail(3, 10).await.len(), 3);

    let run = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await;
    assert_eq!(run.status(), StatusCode::OK);
    let run: Value = run.json().await.unwrap();
    assert_eq!(run["erased"], 2);
    assert_eq!(run["applied_on"], "2025-02-03");

    for id in [&a, &c] {
        let row = stored(&app, id);
        assert!(row.personal_data_deleted_at.is_some());
        assert!(row.contact_name.is_none() && row.contact_email.is_none() && row.contact_phone.is_none());
        assert!(row.description.is_none());
        // Anonymous statistics stay.
        assert_eq!(row.postcode.as_deref(), Some("3011AB"));
        let v: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
        assert!(v["contact"].is_null() && v["description"].is_null());
        assert_eq!(v["attachments"], json!([]));
        assert!(v["messages"].as_array().unwrap().iter().all(|m| m["text"].is_null()));
        assert!(v["referrals"].as_array().unwrap().iter().all(|r| r["shared_data"].is_null()));
        assert!(!v["category"].is_null());
    }
    for id in [&b, &d] {
        let row = stored(&app, id);
        assert!(row.personal_data_deleted_at.is_none());
        assert_eq!(row.contact_email.as_deref(), Some("anna@example.org"));
        assert!(row.description.is_some());
    }
    // Two of the four attachment files are gone; the mails to A and C no longer hold the address
    // (only B's mail still does).
    assert_eq!(std::fs::read_dir(attachment_dir(&app)).unwrap().count(), 2);
    let db = db_of(&app);
    {
        use diesel::prelude::*;
        use huurtoezicht::db::schema::outbox;
        let mut conn = db.get().unwrap();
        let recipients: Vec<String> = outbox::table.select(outbox::recipient).load(&mut *conn).unwrap();
        assert_eq!(
            recipients.iter().filter(|r| r.as_str() == "anna@example.org").count(),
            1,
            "{recipients:?}"
        );
    }
    // Running again erases nothing new; four years after the report B goes too, D stays (open,
    // not kept for a case: no deletion rule applies).
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 0);
    app.clock.set(Utc.with_ymd_and_hms(2029, 1, 31, 12, 0, 0).unwrap());
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 0);
    app.clock.set(Utc.with_ymd_and_hms(2029, 2, 1, 12, 0, 0).unwrap());
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 1);
    assert!(stored(&app, &b).personal_data_deleted_at.is_some());
    assert!(stored(&app, &d).personal_data_deleted_at.is_none());
    // The reporter's code still shows the status after deletion, without texts.
}

#[tokio::test]
async fn the_server_log_holds_no_ip_user_agent_or_tracking_code_of_a_reporter() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let database_url = fresh_database_url(dir.path());
    // Another process may take the free port before the server binds it: then the server exits
    // and we try another port.
    let mut attempt = 0;
    let (mut child, port) = loop {
        attempt += 1;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huurtoezicht"))
            .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &database_url)
            .env("HUURTOEZICHT_JWT_SECRET", JWT_SECRET)
            .env("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail"))
            .env("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("attachments"))
            .env("HUURTOEZICHT_LOG_JSON", "true")
            .env("RUST_LOG", "debug")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let up = loop {
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            if std::fs::read_to_string(&log_path).unwrap_or_default().contains("Huurtoezicht listening") {
                break true;
            }
            assert!(std::time::Instant::now() < deadline, "server did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        if up {
            // Make sure the port answers from this server (and not from another process that
            // holds the same port on another address): its log must show our request id.
            let probe = uuid::Uuid::new_v4().simple().to_string();
            let _ = reqwest::Client::new()
                .get(format!("http://127.0.0.1:{port}/health"))
                .header("x-request-id", &probe)
                .send()
                .await;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if std::fs::read_to_string(&log_path).unwrap_or_default().contains(&probe) {
                break (child, port);
            }
            let _ = child.kill();
        }
        let _ = child.wait();
        assert!(attempt < 5, "server could not bind a port");
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let res = client
        .post(format!("{base}/v1/complaints"))
        .header("user-agent", "SecretAgent/7.7")
        .json(&report("intimidation"))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body} {}", std::fs::read_to_string(&log_path).unwrap());
    let code = body["tracking_code"].as_str().unwrap().to_string();
    let res = client
        .get(format!("{base}/v1/complaints/track/{code}"))
        .header("user-agent", "SecretAgent/7.7")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = client.get(format!("{base}/v1/complaints/track/ABCD-EFGH")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    child.kill().unwrap();
    child.wait().unwrap();

    let text = std::fs::read_to_string(&log_path).unwrap();
    let request_lines: Vec<&str> = text.lines().filter(|l| l.contains("\"route\"")).collect();
    assert!(request_lines.iter().any(|l| l.contains("/v1/complaints/track/{code}")), "{text}");
    for l in &request_lines {
        assert!(!l.contains("127.0.0.1"), "IP address in the log: {l}");
    }
    for secret in ["SecretAgent", code.as_str(), "ABCD-EFGH", "Właściciel"] {
        assert!(!text.contains(secret), "{secret} in the log");
    }
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
