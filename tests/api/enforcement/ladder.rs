//! The ladder's far end through the API: management takeover on ground G1 (two fines and a
//! further violation within 4 years), and lifting a penalty order after a year without
//! forfeiture (Awb 5:34 lid 2).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::helpers::*;

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn violation(app: &TestApp, landlord: &str, n: u32, rule: &str, on: &str) -> Value {
    ok(app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": n},
                    "rule": rule, "established_on": on, "description": "Vastgesteld bij controle",
                    "evidence": {"documents": ["rapport"]}}),
            Some(&role_token("officer")),
        )
        .await)
    .await
}

/// A fine for the violation, decided 15 days after the rapport (the clock moves along).
async fn decided_fine(app: &TestApp, v: &Value, step: &str) {
    let officer = role_token("officer");
    let today = app.clock.today_nl().to_string();
    let s = ok(app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": step, "motivation": "Bewuste overtreding door een bedrijfsmatige verhuurder",
                    "fine": {"rapport_date": today, "bedrijfsmatig": true}}),
            Some(&officer),
        )
        .await)
    .await;
    let path = format!("/v1/sanctions/{}/actions", s["id"].as_str().unwrap());
    ok(app.post(&path, &json!({"action": "send_intent", "on": today}), Some(&officer)).await).await;
    app.clock.advance(Duration::days(15));
    let on = app.clock.today_nl().to_string();
    let s = ok(app
        .post(
            &path,
            &json!({"action": "decide", "decided_on": on, "notified_on": on, "amount_cents": 500_000}),
            Some(&officer),
        )
        .await)
    .await;
    assert_eq!(s["state_name"], "decided");
}

async fn next_step(app: &TestApp, v: &Value) -> Value {
    let next = ok(app
        .get(
            &format!("/v1/enforcement-cases/{}/next-step", v["case_id"].as_str().unwrap()),
            Some(&role_token("officer")),
        )
        .await)
    .await;
    next["per_violation"].as_array().unwrap().iter().find(|p| p["violation_id"] == v["id"]).unwrap().clone()
}

#[tokio::test]
async fn two_fines_and_a_further_violation_within_four_years_allow_management_takeover() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("drie-keer@example.nl").await;
    let v1 = violation(&app, &landlord, 10, "GR-04", "2025-01-06").await;
    decided_fine(&app, &v1, "administrative_fine").await; // decided 2025-01-21

    app.clock.advance(Duration::days(1));
    let v2 = violation(&app, &landlord, 11, "GR-06", "2025-01-22").await;
    let p = next_step(&app, &v2).await;
    assert_eq!(p["step"], "recidive_fine", "{p}");
    assert_eq!(p["takeover_grounds"], json!([]), "one fine is no ground yet");
    decided_fine(&app, &v2, "recidive_fine").await; // decided 2025-02-06

    // A violation on the day of the second decision does not follow it; the next day's does.
    let same_day = violation(&app, &landlord, 12, "GR-05", "2025-02-06").await;
    assert_eq!(next_step(&app, &same_day).await["takeover_grounds"], json!([]));
    app.clock.advance(Duration::days(1));
    let v3 = violation(&app, &landlord, 13, "GR-05", "2025-02-07").await;
    let p = next_step(&app, &v3).await;
    assert_eq!(p["takeover_grounds"], json!(["two_fines_and_further_violation"]), "{p}");
    let today = app.clock.today_nl().to_string();
    let t = ok(app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v3["case_id"].as_str().unwrap()),
            &json!({"violation_id": v3["id"], "step": "management_takeover",
                    "motivation": "Derde overtreding binnen vier jaar na twee boetes",
                    "displacement": {"occupants_displaced": 3, "replacement_housing_arranged": true},
                    "takeover": {"decided_on": today, "starts_on": today, "beheerder": "Gemeente (B&W)"}}),
            Some(&role_token("officer")),
        )
        .await)
    .await;
    assert_eq!(t["state"]["grounds"], json!(["two_fines_and_further_violation"]));
    assert_eq!(t["displacement"], json!({"occupants_displaced": 3, "replacement_housing_arranged": true}));
    // The history shows both fines in the window and the recidive status.
    let h =
        ok(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&role_token("manager"))).await).await;
    assert_eq!(h["fines_in_window"], 2);
    assert_eq!(h["recidive"]["recidive_now"], true);
    assert_eq!(h["addresses_with_cases"], 4);
}

#[tokio::test]
async fn a_penalty_order_is_lifted_on_request_only_after_a_year_without_forfeiture() {
    let app = spawn_app_at(at("2025-05-06")).await;
    let landlord = app.landlord_id("opheffen@example.nl").await;
    let v = violation(&app, &landlord, 10, "GR-04", "2025-05-01").await;
    let officer = role_token("officer");
    let s = ok(app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": "penalty_order",
                    "motivation": "Herhaling voorkomen na eerdere overtreding van de waarborgsomregel",
                    "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false},
                    "penalty_order": {"issued_on": "2025-05-06", "remedial_measures": ["Geen waarborgsom boven 2x kale huur"],
                        "purpose": "prevent_repetition", "sum_kind": {"kind": "per_violation"},
                        "amount_cents": 100_000, "maximum_cents": 1_000_000}}),
            Some(&officer),
        )
        .await)
    .await;
    let path = format!("/v1/sanctions/{}/actions", s["id"].as_str().unwrap());
    let lift = |on: &str| json!({"action": "lift", "on": on, "ground": "one_year_without_forfeiture"});
    app.clock.set(at("2026-05-05"));
    let p = assert_problem(
        app.post(&path, &lift("2026-05-05"), Some(&officer)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("2026-05-06"), "{p}");
    app.clock.set(at("2026-05-06"));
    let s = ok(app.post(&path, &lift("2026-05-06"), Some(&officer)).await).await;
    assert_eq!(s["state_name"], "lifted");
    assert_eq!(s["allowed_actions"], json!([]));
    let res = app
        .post(
            &path,
            &json!({"action": "record_follow_up", "inspected_on": "2026-05-06", "compliant": false}),
            Some(&officer),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
}
