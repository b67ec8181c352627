//! One name per concept: an address reads the same in every response, whatever spelling was
//! sent, and a housing corporation is `housing_corporation` on the landlord and on its cases.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn an_address_sent_in_any_spelling_reads_as_one_object_with_the_spaced_postcode_everywhere() {
    let app = spawn_app().await;
    let (_, landlord) = app.register_landlord("adres@example.nl").await;
    let mut body = property_body("3011ab", 10);
    body["address"]["addition"] = json!("a");
    let p = app.create_property(&landlord, &body).await;
    let expected = json!({"postcode": "3011 AB", "house_number": 10, "addition": "A"});
    assert_eq!(p["address"], expected);

    let officer = role_token("officer");
    let landlord_id = p["landlord_id"].as_str().unwrap();
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord_id, "address": {"postcode": "3011ab", "house_number": 10, "addition": "a"},
                    "rule": "GR-04", "established_on": "2026-01-05", "description": "Waarborgsom te hoog",
                    "evidence": {"documents": ["huurcontract-1"]}}),
            Some(&officer),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["address"], expected);
    let case: Value = app
        .get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["address"], expected, "{case}");
    assert_eq!(case["housing_corporation"], false);

    let complaint = json!({"category": "intimidation", "language": "nl", "description": "De verhuurder bedreigt ons.",
                           "address": {"postcode": "3011ab", "house_number": 10, "addition": "a"}});
    for _ in 0..2 {
        assert_eq!(app.post("/v1/complaints", &complaint, None).await.status(), 201);
    }
    let list: Value = app.get("/v1/complaints", Some(&officer)).await.json().await.unwrap();
    assert_eq!(list["items"][0]["address"], expected, "{list}");
    let hotspots: Value = app.get("/v1/complaints/hotspots", Some(&officer)).await.json().await.unwrap();
    assert_eq!(hotspots["items"][0]["address"], expected, "{hotspots}");
}

#[tokio::test]
async fn a_violation_of_a_housing_corporation_opens_a_case_that_says_so() {
    let app = spawn_app().await;
    let landlord = app.landlord_id("corporatie@example.nl").await;
    let officer = role_token("officer");
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 11},
                    "rule": "GR-04", "established_on": "2026-01-05", "description": "Waarborgsom te hoog",
                    "evidence": {"documents": ["huurcontract-2"]}, "housing_corporation": true}),
            Some(&officer),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    let case: Value = app
        .get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["housing_corporation"], true, "{case}");
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 12},
                    "rule": "GR-04", "established_on": "2026-01-05", "description": "Waarborgsom te hoog",
                    "evidence": {"documents": ["huurcontract-3"]}, "landlord_kind": "woningcorporatie"}),
            Some(&officer),
        )
        .await;
    assert_problem(res, 422, "/problems/validation").await;
}
