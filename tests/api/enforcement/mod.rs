//! Enforcement: inspections (consent rule), violations, cases, the ladder, the fine and
//! penalty-order procedures with a controllable clock, closing without enforcement, views and
//! the role matrix.

mod cases;
mod complaint_retention;
mod etags;
mod fine;
mod fine_payment;
mod ladder;
mod lapse;
mod penalty_order;
mod sanctions_register;

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

fn officer() -> String {
    role_token("officer")
}

fn address() -> Value {
    json!({"postcode": "3011 AB", "house_number": 10, "addition": "a"})
}

async fn violation(app: &TestApp, landlord: &str, rule: &str, established_on: &str) -> Value {
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(), "rule": rule, "established_on": established_on,
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2024-17"]}}),
            Some(&officer()),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn act(app: &TestApp, sanction: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/v1/sanctions/{sanction}/actions"), &body, Some(&officer())).await
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

fn deadline(s: &Value, kind: &str) -> Option<String> {
    s["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .map(|d| d["due_on"].as_str().unwrap().to_string())
}
