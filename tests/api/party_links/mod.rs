//! Linking a later registration to a recorded landlord, merging two records of one party
//! (history and recidive follow), violations addressed to an intermediary, and properties naming
//! their intermediary.

mod intermediary;
mod link;
mod merge;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::helpers::*;
use huurtoezicht::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

fn officer() -> String {
    role_token("officer")
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// A party an officer recorded without an account (straight in the database: the party routes
/// are another part of the service).
fn record_party(app: &TestApp, role: PartyRole, name: &str) -> String {
    let url = huurtoezicht::config::DatabaseUrl::parse(&app.database_url).unwrap();
    let db = huurtoezicht::db::Db::connect(&url, 1).unwrap();
    let mut conn = db.get().unwrap();
    let now = Utc::now().naive_utc();
    let uuid = uuid::Uuid::new_v4();
    let id = uuid.to_string();
    let kvk = format!("{:08}", uuid.as_u128() % 100_000_000);
    let mut party = huurtoezicht::db::accounts::Landlord::self_registered(
        id.clone(),
        LandlordKind::LegalEntity,
        name.into(),
        Some(kvk),
        String::new(),
        now,
    );
    party.role = role;
    party.role_detail = match role {
        PartyRole::Landlord => None,
        PartyRole::Intermediary => Some(PartyRoleDetail::LettingAgent),
        PartyRole::Employer => Some(PartyRoleDetail::StaffingAgency),
    };
    party.source = PartySource::Inspection;
    party.municipality_code = Some(MUNICIPALITY.into());
    party.recorded_by = Some("officer".into());
    huurtoezicht::db::accounts::insert_landlord(&mut conn, &party).unwrap();
    id
}

fn violation_body(landlord: &str, n: u32, rule: &str, on: &str) -> Value {
    json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": n},
           "rule": rule, "established_on": on, "description": "Vastgesteld bij controle",
           "evidence": {"documents": ["rapport"]}})
}

async fn violation(app: &TestApp, landlord: &str, n: u32, rule: &str, on: &str) -> Value {
    ok(app.post("/v1/violations", &violation_body(landlord, n, rule, on), Some(&officer())).await).await
}

/// A fine for the violation, decided 15 days after the rapport (the clock moves along).
async fn decided_fine(app: &TestApp, v: &Value, step: &str) -> Value {
    let today = app.clock.today_nl().to_string();
    let s = ok(app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": step, "motivation": "Bewuste overtreding door een bedrijfsmatige partij",
                    "fine": {"rapport_date": today, "bedrijfsmatig": true}}),
            Some(&officer()),
        )
        .await)
    .await;
    let path = format!("/v1/sanctions/{}/actions", s["id"].as_str().unwrap());
    ok(app.post(&path, &json!({"action": "send_intent", "on": today}), Some(&officer())).await).await;
    app.clock.advance(Duration::days(15));
    let on = app.clock.today_nl().to_string();
    let s = ok(app
        .post(
            &path,
            &json!({"action": "decide", "decided_on": on, "notified_on": on, "amount_cents": 500_000}),
            Some(&officer()),
        )
        .await)
    .await;
    assert_eq!(s["state_name"], "decided");
    s
}

async fn warning(app: &TestApp, v: &Value) -> Value {
    let today = app.clock.today_nl().to_string();
    ok(app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": "warning", "warning": {"issued_on": today}}),
            Some(&officer()),
        )
        .await)
    .await
}

async fn history(app: &TestApp, party: &str) -> Value {
    ok(app.get(&format!("/v1/landlords/{party}/history"), Some(&role_token("manager"))).await).await
}

async fn merge(app: &TestApp, family: &str, from: &str, into: &str) -> reqwest::Response {
    app.post(
        &format!("/v1/{family}/{from}/merge"),
        &json!({"into": into, "reason": "Zelfde KvK-inschrijving, dubbel vastgelegd"}),
        Some(&officer()),
    )
    .await
}
