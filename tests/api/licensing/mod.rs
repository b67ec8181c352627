//! The licence workflow end to end: drafts, verbs, deadlines, decisions, licences, mails.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use crate::helpers::*;

mod applications;
mod bibob;
mod deadlines;
mod documents;
mod etags;
mod late_decision;
mod licences;
mod properties;
mod register;

/// 10:00 UTC on a calendar day (11:00/12:00 in Amsterdam: same date).
pub fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

pub struct Setup {
    pub landlord: String,
    pub officer: String,
    pub property_id: String,
}

/// A landlord with a property (60 m², bedrooms of 9 and 7 m²) and an officer.
pub async fn setup(app: &TestApp) -> Setup {
    let (_, landlord) = app.register_landlord("verhuurder@example.nl").await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let p = app.create_property(&landlord, &property_body("3011 AB", 12)).await;
    Setup { landlord, officer, property_id: p["id"].as_str().unwrap().to_string() }
}

pub async fn draft(app: &TestApp, token: &str, property_id: &str) -> Value {
    let res = app
        .post(
            "/v1/licence-applications",
            &json!({"property_id": property_id, "kind": "labour_migrant", "monthly_rent_cents": 55000,
                    "planned_occupancy": [{"room_label": "kamer 1", "persons": 1}, {"room_label": "kamer 2", "persons": 1}]}),
            Some(token),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

pub async fn verb(
    app: &TestApp,
    id: &str,
    verb: &str,
    body: Option<Value>,
    token: &str,
) -> reqwest::Response {
    let path = format!("/v1/licence-applications/{id}/{verb}");
    match body {
        Some(b) => app.post(&path, &b, Some(token)).await,
        None => app.client.post(app.url(&path)).bearer_auth(token).send().await.unwrap(),
    }
}

pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// A submitted application (clock at its submission day).
pub async fn submitted(app: &TestApp, s: &Setup) -> Value {
    let d = draft(app, &s.landlord, &s.property_id).await;
    ok(verb(app, d["id"].as_str().unwrap(), "submit", None, &s.landlord).await).await
}

pub async fn wait_for_mail_with(app: &TestApp, needle: &str) -> String {
    app.wait_for_mail_containing(needle, 5).await
}
