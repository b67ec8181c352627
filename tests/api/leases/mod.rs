//! Leases per property: recording by officers and landlords, the general-rule checks they
//! propose (GR-04, GR-05, GR-06 with its transition, AM-01, AM-02), the round trip of a proposal
//! into `POST /v1/violations`, and who may see and change what.

mod access;

use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, setup};

/// A written lease concluded `concluded`, information given in Dutch the same day, deposit of
/// twice the kale huur: compliant.
fn lease(concluded: &str) -> Value {
    json!({
        "recorded_from": "inspection", "concluded_on": concluded, "starts_on": concluded, "form": "written",
        "information_given_on": concluded, "information_languages": ["nl"],
        "rent_cents": 60000, "service_costs_cents": 5000, "deposit_cents": 120000, "occupants": 2
    })
}

fn with(mut body: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn record(app: &TestApp, property: &str, body: &Value, token: &str) -> Value {
    let res = app.post(&format!("/v1/properties/{property}/leases"), body, Some(token)).await;
    let status = res.status();
    let json: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{json}");
    json
}

/// The (rule, violation_from, violation_until) of every proposal.
fn proposals(lease: &Value) -> Vec<(String, String, Option<String>)> {
    lease["proposed_violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(p["source"].as_str().unwrap().contains("rules.md"), "{p}");
            assert!(!p["description"].as_str().unwrap().is_empty(), "{p}");
            (
                p["rule"].as_str().unwrap().to_string(),
                p["violation_from"].as_str().unwrap().to_string(),
                p["violation_until"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn one(rule: &str, from: &str, until: Option<&str>) -> Vec<(String, String, Option<String>)> {
    vec![(rule.to_string(), from.to_string(), until.map(str::to_string))]
}

#[tokio::test]
async fn a_lease_of_2022_without_information_is_proposed_as_gr_06_from_july_2024_and_confirmed_as_a_violation(
) {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let body = with(lease("2022-03-01"), json!({"information_given_on": null, "information_languages": []}));
    let l = record(&app, &s.property_id, &body, &s.officer).await;
    assert_eq!(l["recorded_from"], "inspection");
    assert_eq!(l["form"], "written");
    assert_eq!(l["rent_cents"], 60000);
    assert!(l["recorded_by"].is_string(), "staff see who recorded it: {l}");
    assert_eq!(proposals(&l), one("GR-06", "2024-07-01", None));
    let landlord_id = l["landlord_id"].as_str().unwrap().to_string();

    // The officer confirms the proposal with the existing route.
    let p = &l["proposed_violations"][0];
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord_id, "property_id": s.property_id,
                    "address": {"postcode": "3011 AB", "house_number": 12},
                    "rule": p["rule"], "established_on": p["violation_from"], "description": p["description"],
                    "evidence": {"documents": [format!("lease {}", l["id"].as_str().unwrap())]}}),
            Some(&s.officer),
        )
        .await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["rule"], "GR-06");
    assert_eq!(v["landlord_id"], landlord_id.as_str());

    // The information given late: the violation ran from 2024-07-01 until that day.
    let id = l["id"].as_str().unwrap();
    let res = app
        .patch(
            &format!("/v1/leases/{id}"),
            &json!({"information_given_on": "2024-09-01", "information_languages": ["nl"]}),
            Some(&s.officer),
        )
        .await;
    let status = res.status();
    let patched: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{patched}");
    assert_eq!(proposals(&patched), one("GR-06", "2024-07-01", Some("2024-09-01")));
    // Given in time instead: compliant.
    let patched: Value = app
        .patch(&format!("/v1/leases/{id}"), &json!({"information_given_on": "2024-06-15"}), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(proposals(&patched), vec![]);

    // The change is audited (manager reads the trail).
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    let audit = app.get("/v1/audit?entity_type=lease", Some(&manager)).await.text().await.unwrap();
    assert!(audit.contains(id) && audit.contains("update"), "{audit}");
}

#[tokio::test]
async fn each_general_rule_is_proposed_from_its_own_date() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let p = s.property_id.as_str();

    // Compliant.
    let l = record(&app, p, &lease("2024-09-01"), &s.officer).await;
    assert_eq!(proposals(&l), vec![]);
    // GR-05: oral lease after the Wgv; before it not applicable.
    let l = record(&app, p, &with(lease("2024-02-01"), json!({"form": "oral"})), &s.officer).await;
    assert_eq!(proposals(&l), one("GR-05", "2024-02-01", None));
    let l = record(&app, p, &with(lease("2023-05-01"), json!({"form": "oral"})), &s.officer).await;
    assert_eq!(proposals(&l), vec![]);
    // GR-04 (scenario 36): deposit €1,500 on a kale huur of €600.
    let l = record(&app, p, &with(lease("2024-09-01"), json!({"deposit_cents": 150000})), &s.officer).await;
    assert_eq!(proposals(&l), one("GR-04", "2024-09-01", None));
    // GR-04: deposit returned after the 14 days (lease ended 2025-01-31, last day 2025-02-14).
    let late = json!({"ends_on": "2025-01-31", "deposit_returned_on": "2025-02-20"});
    let l = record(&app, p, &with(lease("2024-02-01"), late), &s.officer).await;
    assert_eq!(proposals(&l), one("GR-04", "2025-02-15", Some("2025-02-20")));
    // AM-01 (scenario 38): labour migrant's tenancy inside the employment contract.
    let am = json!({"tied_to_employment": true, "occupants_are_labour_migrants": true});
    let l = record(&app, p, &with(lease("2023-08-01"), am.clone()), &s.officer).await;
    assert_eq!(proposals(&l), one("AM-01", "2023-08-01", None));
    let l = record(&app, p, &with(lease("2023-05-01"), am), &s.officer).await;
    assert_eq!(proposals(&l), vec![]);
    // AM-02 (scenario 39): Dutch-only information to a Polish worker; English is understood.
    let am2 = json!({"occupants_are_labour_migrants": true, "occupant_languages": ["PL", "en"]});
    let l = record(&app, p, &with(lease("2024-09-01"), am2.clone()), &s.officer).await;
    assert_eq!(proposals(&l), one("AM-02", "2024-09-01", None));
    assert_eq!(l["occupant_languages"], json!(["pl", "en"]));
    let l = record(
        &app,
        p,
        &with(lease("2024-09-01"), with(am2, json!({"information_languages": ["en"]}))),
        &s.officer,
    )
    .await;
    assert_eq!(proposals(&l), vec![]);

    // The list shows them all, by date concluded, in keyset pages.
    let page: Value =
        app.get(&format!("/v1/properties/{p}/leases?limit=5"), Some(&s.officer)).await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["concluded_on"], "2023-05-01");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get(&format!("/v1/properties/{p}/leases?limit=5&cursor={cursor}"), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 4);
    assert!(rest["next_cursor"].is_null());
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_no_tenant_data_is_accepted() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let path = format!("/v1/properties/{}/leases", s.property_id);
    let cases = [
        (with(lease("2024-09-01"), json!({"tenant_name": "J. Kowalski"})), "tenant_name"),
        (with(lease("2024-09-01"), json!({"concluded_on": "2026-01-01"})), "/concluded_on"),
        (with(lease("2024-09-01"), json!({"starts_on": "1-9-2024"})), "/starts_on"),
        (with(lease("2024-09-01"), json!({"ends_on": "2024-08-01"})), "/ends_on"),
        (with(lease("2024-09-01"), json!({"information_languages": ["polish"]})), "/information_languages/0"),
        (with(lease("2024-09-01"), json!({"deposit_cents": -1})), "deposit_cents"),
        (with(lease("2024-09-01"), json!({"form": "handshake"})), "form"),
        (with(lease("2024-09-01"), json!({"recorded_from": "landlord"})), "/recorded_from"),
        (with(lease("2024-09-01"), json!({"inspection_id": "nope"})), "/inspection_id"),
    ];
    for (body, field) in cases {
        let res = app.post(&path, &body, Some(&s.officer)).await;
        let problem = assert_problem(res, 422, "/problems/validation").await;
        assert!(problem.to_string().contains(field), "{field}: {problem}");
    }
    let res = app.post("/v1/properties/nope/leases", &lease("2024-09-01"), Some(&s.officer)).await;
    assert_eq!(res.status(), 404);
    let res = app.get("/v1/leases/nope", Some(&s.officer)).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_gr_06_transition_date_is_a_setting() {
    let extra = std::collections::HashMap::from([(
        "HUURTOEZICHT_GR06_EXISTING_LEASES_DUE".to_string(),
        "2024-08-01".to_string(),
    )]);
    let app = spawn_app_with(extra, huurtoezicht::clock::Clock::fixed(at(2025, 3, 3))).await;
    let s = setup(&app).await;
    let body = with(lease("2022-03-01"), json!({"information_given_on": "2024-07-15"}));
    let l = record(&app, &s.property_id, &body, &s.officer).await;
    assert_eq!(proposals(&l), vec![], "given before the configured day");
    let body = with(lease("2022-03-01"), json!({"information_given_on": null}));
    let l = record(&app, &s.property_id, &body, &s.officer).await;
    assert_eq!(proposals(&l), one("GR-06", "2024-08-01", None));
}
