//! Meldpunt: anonymous intake, tracking code, attachments, idempotent portal submissions, officer
//! triage, referrals, merge, hotspots, notifications and the retention job. Shared helpers here;
//! the tests by concern in the submodules.

mod bulk;
mod casework;
mod etags;
mod idempotent_intake;
mod intake;
mod listing;
mod page;
mod retention;
mod tracking;

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

pub(super) fn report(category: &str) -> Value {
    json!({
        "category": category,
        "language": "pl",
        "description": "Właściciel grozi, że nas wyrzuci.",
        "address": {"postcode": "3011 ab", "house_number": 12, "addition": "b"},
    })
}

pub(super) async fn submit(app: &TestApp, body: &Value) -> Value {
    let res = app.post("/v1/complaints", body, None).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// An officer account of the test municipality and a token for it. Tokens are signed here with
/// the wall clock (the app's token service signs with the app clock, which tests may fix in the
/// past, and `exp` is checked against the wall clock).
pub(super) async fn officer_account(app: &TestApp) -> (String, String) {
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

pub(super) async fn officer(app: &TestApp) -> String {
    officer_account(app).await.1
}

pub(super) async fn act(app: &TestApp, token: &str, id: &str, verb: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/v1/complaints/{id}/{verb}"), &body, Some(token)).await
}

pub(super) async fn transition(app: &TestApp, token: &str, id: &str, action: &str) -> reqwest::Response {
    act(app, token, id, "transitions", json!({"action": action, "reason": "beoordeeld"})).await
}

pub(super) async fn track(app: &TestApp, code: &str) -> reqwest::Response {
    app.get(&format!("/v1/complaints/track/{}", code.replace(' ', "%20")), None).await
}

pub(super) fn db_of(app: &TestApp) -> Db {
    Db::connect(&DatabaseUrl::parse(&app.database_url).unwrap(), 2).unwrap()
}

pub(super) fn stored(app: &TestApp, id: &str) -> store::Complaint {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    store::find_unscoped(&mut c, id).unwrap().unwrap()
}

pub(super) fn attachment_dir(app: &TestApp) -> std::path::PathBuf {
    std::path::PathBuf::from(&app.settings["HUURTOEZICHT_ATTACHMENT_DIR"])
}

/// A minimal JPEG with an APP1 Exif segment carrying a GPS position.
pub(super) fn jpeg_with_gps() -> Vec<u8> {
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
pub(super) fn pdf_with_author() -> Vec<u8> {
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

pub(super) fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}
