//! Parties the municipality records: landlords, intermediaries and employers without an
//! account, the KvK rule, search, the landlord's own record, and enforcement against a landlord
//! who never had an account.

mod records;
mod search;

use serde_json::{json, Value};

use crate::helpers::*;

fn officer() -> String {
    role_token("officer")
}

fn legal_entity(name: &str, kvk: &str) -> Value {
    json!({"kind": "legal_entity", "name": name, "kvk_number": kvk, "source": "kvk_register",
           "trade_names": ["Kamers aan de Maas"],
           "establishment": {"address": {"postcode": "3011 AB", "house_number": 10}, "city": "Rotterdam"},
           "notes": "Genoemd in drie meldingen over Carnisse"})
}

async fn created(app: &TestApp, family: &str, body: &Value) -> Value {
    let res = app.post(&format!("/v1/{family}"), body, Some(&officer())).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}
