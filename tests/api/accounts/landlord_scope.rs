//! Landlord-wide actions stay within the caller's municipalities: the housing-corporation record,
//! and where a landlord may record a property.

use serde_json::{json, Value};

use crate::authz::add_municipality;
use crate::helpers::*;

fn flag(on: bool) -> Value {
    json!({"housing_corporation": on, "reference": "AW-123", "reason": "register of the Aw"})
}

async fn audit_municipalities(app: &TestApp, admin: &str, landlord: &str) -> Vec<String> {
    let trail: Value = app
        .get(&format!("/v1/audit?entity_type=landlord&entity_id={landlord}"), Some(admin))
        .await
        .json()
        .await
        .unwrap();
    let mut out: Vec<String> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["action"] == "set_housing_corporation")
        .map(|i| i["municipality_code"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn only_a_manager_of_the_landlords_municipality_or_the_admin_sets_the_housing_corporation_flag() {
    let app = spawn_app().await;
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let admin = app.admin_token().await;
    let manager_a = app.staff_token("manager", "ma@gemeente.test", &[MUNICIPALITY]).await;
    let manager_b = app.staff_token("manager", "mb@gemeente.test", &["GM0363"]).await;
    let officer_b = app.staff_token("officer", "ob@gemeente.test", &["GM0363"]).await;

    // Landlord in A (its own property), landlord in B (recorded by B's officer), one in neither.
    let (a, a_token) = app.register_landlord("in-a@example.nl").await;
    let in_a = a["landlord"]["id"].as_str().unwrap().to_string();
    app.create_property(&a_token, &property_body("3011 AB", 1)).await;
    let in_b = app.landlord_id("in-b@example.nl").await;
    let mut body = property_body("1011 AB", 2);
    body["landlord_id"] = json!(in_b);
    body["municipality_code"] = json!("GM0363");
    app.create_property(&officer_b, &body).await;
    let (nowhere, _) = app.register_landlord("nowhere@example.nl").await;
    let nowhere = nowhere["landlord"]["id"].as_str().unwrap().to_string();

    let set = |id: &str| format!("/v1/landlords/{id}/housing-corporation");
    // Outside the manager's municipalities: 404, as for a landlord that does not exist.
    assert_problem(app.post(&set(&in_b), &flag(true), Some(&manager_a)).await, 404, "/problems/not-found")
        .await;
    assert_problem(app.post(&set(&in_a), &flag(true), Some(&manager_b)).await, 404, "/problems/not-found")
        .await;
    assert_problem(app.post(&set(&nowhere), &flag(true), Some(&manager_a)).await, 404, "/problems/not-found")
        .await;
    assert_problem(app.post(&set("nobody"), &flag(true), Some(&admin)).await, 404, "/problems/not-found")
        .await;
    let landlord: Value = app.get("/v1/me", Some(&a_token)).await.json().await.unwrap();
    assert_eq!(landlord["landlord"]["housing_corporation"], false, "a refused change leaves no trace");

    // Within: done, and audited under the municipality it concerns.
    let res = app.post(&set(&in_a), &flag(true), Some(&manager_a)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["housing_corporation"], true);
    assert_eq!(audit_municipalities(&app, &admin, &in_a).await, [MUNICIPALITY]);
    assert_eq!(app.post(&set(&in_b), &flag(true), Some(&manager_b)).await.status(), 200);
    assert_eq!(audit_municipalities(&app, &admin, &in_b).await, ["GM0363"]);
    // The admin may act on any landlord; one known nowhere is audited under the installation.
    assert_eq!(app.post(&set(&nowhere), &flag(false), Some(&admin)).await.status(), 200);
    assert_eq!(audit_municipalities(&app, &admin, &nowhere).await, [MUNICIPALITY]);

    // A violation established in A makes the landlord known there too.
    let officer_a = app.staff_token("officer", "oa@gemeente.test", &[MUNICIPALITY]).await;
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": in_b, "address": {"postcode": "3011 AB", "house_number": 7},
                    "rule": "GR-04", "established_on": "2025-03-03",
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-1"]}}),
            Some(&officer_a),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(app.post(&set(&in_b), &flag(false), Some(&manager_a)).await.status(), 200);
    assert_eq!(audit_municipalities(&app, &admin, &in_b).await, ["GM0363", "GM0363", MUNICIPALITY]);
}

#[tokio::test]
async fn a_landlord_cannot_record_a_property_in_a_municipality_the_installation_does_not_serve() {
    let app = spawn_app().await;
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let (_, token) = app.register_landlord("elders@example.nl").await;
    for code in ["GM0363", "GM9999"] {
        let mut body = property_body("1011 AB", 3);
        body["municipality_code"] = json!(code);
        let p = assert_problem(
            app.post("/v1/properties", &body, Some(&token)).await,
            422,
            "/problems/validation",
        )
        .await;
        assert_eq!(p["errors"][0]["pointer"], "/municipality_code", "{p}");
    }
    let mut body = property_body("3011 AB", 3);
    body["municipality_code"] = json!(MUNICIPALITY);
    app.create_property(&token, &body).await;
}
