//! Areas are m² in every request and response (decimals), although they are kept in whole dm².

use serde_json::{json, Value};

use crate::helpers::*;

fn inspection(landlord: &str, area: Value, usable: Value) -> Value {
    json!({"status": "performed", "performed_on": "2026-01-05", "landlord_id": landlord,
           "address": {"postcode": "3011 AB", "house_number": 10}, "officers": ["T. Toezicht"],
           "findings": {"rooms": [{"label": "kamer 1", "entry_basis": "occupant_consent", "sleeping_room": true,
                                   "occupants": 1, "area_m2": area}],
                        "usable_floor_area_m2": usable}})
}

#[tokio::test]
async fn inspection_findings_take_and_return_areas_in_square_metres() {
    let app = spawn_app().await;
    let landlord = app.landlord_id("m2@example.nl").await;
    let officer = role_token("officer");
    let res =
        app.post("/v1/inspections", &inspection(&landlord, json!(8.25), json!(20.5)), Some(&officer)).await;
    assert_eq!(res.status(), 201);
    let i: Value = res.json().await.unwrap();
    assert_eq!(i["findings"]["rooms"][0]["area_m2"], 8.25);
    assert_eq!(i["findings"]["usable_floor_area_m2"], 20.5);
    assert!(!i.to_string().contains("dm2"), "{i}");

    let res =
        app.post("/v1/inspections", &inspection(&landlord, json!(-3), json!(1e9)), Some(&officer)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, ["/findings/rooms/0/area_m2", "/findings/usable_floor_area_m2"], "{p}");
}

#[tokio::test]
async fn violation_numbers_give_areas_in_square_metres_and_refuse_square_decimetres() {
    let app = spawn_app().await;
    let landlord = app.landlord_id("m2-overtreding@example.nl").await;
    let body = |numbers: Value| {
        json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 10},
               "rule": "overcrowding", "established_on": "2026-01-05", "description": "3 bewoners op 20,5 m²",
               "evidence": {"documents": ["rapport-1"]}, "numbers": numbers})
    };
    let res = app
        .post(
            "/v1/violations",
            &body(json!({"norm": "floor_area_per_person", "required": 3600, "present": 2050, "unit": "square_decimetres"})),
            Some(&role_token("officer")),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/numbers/unit");
    let res = app
        .post(
            "/v1/violations",
            &body(json!({"norm": "persons_per_bedroom", "required": 1.5, "present": 2, "unit": "persons"})),
            Some(&role_token("officer")),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/numbers/required");

    let res = app
        .post(
            "/v1/violations",
            &body(json!({"norm": "floor_area_per_person", "required": 36, "present": 20.5, "unit": "square_metres"})),
            Some(&role_token("officer")),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(
        v["numbers"],
        json!({"norm": "floor_area_per_person", "room": null, "required": 36.0, "present": 20.5, "unit": "square_metres"})
    );
}
