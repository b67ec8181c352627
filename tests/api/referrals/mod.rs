//! Two-way referrals of complaints and inspections: structured content, the partner's feedback,
//! overdue feedback (list and dashboard), scope; and the partners present at an inspection.

mod content;
mod feedback;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::complaints::{b64, jpeg_with_gps, report, submit};
use crate::helpers::*;

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

async fn status(res: reqwest::Response, expected: u16) -> Value {
    let got = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(got, expected, "{body}");
    body
}

/// The JSON pointers of a 422 answer.
async fn pointers(res: reqwest::Response) -> Vec<String> {
    let p = assert_problem(res, 422, "/problems/validation").await;
    p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_string()).collect()
}

/// A party record of `family` (landlords, employers, …) recorded by an officer; its id.
async fn party(app: &TestApp, family: &str, name: &str, kvk: &str) -> String {
    let mut body = json!({"kind": "legal_entity", "name": name, "kvk_number": kvk, "source": "kvk_register"});
    if family == "employers" {
        body["role_detail"] = json!("staffing_agency");
    }
    let p = status(app.post(&format!("/v1/{family}"), &body, Some(&role_token("officer"))).await, 201).await;
    p["id"].as_str().unwrap().to_string()
}

/// A complaint with one photo; its id and the photo's attachment id.
async fn complaint_with_photo(app: &TestApp) -> (String, String) {
    let mut r = report("intimidation");
    r["attachments"] = json!([{"file_name": "IMG_0001.JPG", "media_type": "image/jpeg", "content_base64": b64(&jpeg_with_gps())}]);
    let id = submit(app, &r).await["id"].as_str().unwrap().to_string();
    let c = status(app.get(&format!("/v1/complaints/{id}"), Some(&role_token("officer"))).await, 200).await;
    let attachment = c["attachments"][0]["id"].as_str().unwrap().to_string();
    (id, attachment)
}

fn referral(on: NaiveDate) -> Value {
    json!({"partner": "labour_inspectorate", "referred_on": on.to_string(),
           "shared_data": "Adres, aantal bewoners, signalen", "legal_basis": "Convenant gegevensdeling"})
}

/// A performed inspection with exploitation signals at 3011 AB 20; its id.
async fn performed_inspection(app: &TestApp, on: NaiveDate) -> String {
    let body = json!({"status": "performed", "performed_on": on.to_string(),
        "address": {"postcode": "3011 AB", "house_number": 20}, "officers": ["T. Toezicht"],
        "findings": {"rooms": [{"label": "kamer 1", "entry_basis": "occupant_consent", "sleeping_room": true,
                                "occupants": 1}],
                     "exploitation_signals": ["documents_withheld"]}});
    let i = status(app.post("/v1/inspections", &body, Some(&role_token("officer"))).await, 201).await;
    i["id"].as_str().unwrap().to_string()
}
