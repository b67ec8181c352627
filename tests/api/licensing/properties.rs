use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn landlord_records_a_property_with_rooms_and_facilities_and_reads_it_back() {
    let app = spawn_app().await;
    let (account, token) = app.register_landlord("eigenaar@example.nl").await;
    let p = app.create_property(&token, &property_body("3011ab", 12)).await;
    assert_eq!(p["address"], json!({"postcode": "3011 AB", "house_number": 12, "addition": null}));
    assert_eq!(p["landlord_id"], account["landlord"]["id"]);
    assert_eq!(p["municipality_code"], MUNICIPALITY);
    assert_eq!(p["usable_floor_area_m2"], 60.0);
    assert_eq!(p["rooms"].as_array().unwrap().len(), 3);
    assert_eq!(p["rooms"][1]["area_m2"], 7.0);
    assert_eq!(p["facilities"]["washing_machines"], 1);

    let id = p["id"].as_str().unwrap();
    let got: Value = app.get(&format!("/v1/properties/{id}"), Some(&token)).await.json().await.unwrap();
    assert_eq!(got, p);

    let res = app
        .patch(
            &format!("/v1/properties/{id}"),
            &json!({"usable_floor_area_m2": 55.5, "rooms": [{"label": "kamer 1", "area_m2": 12.25, "sleeping_room": true}]}),
            Some(&token),
        )
        .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["usable_floor_area_m2"], 55.5);
    assert_eq!(changed["rooms"], json!([{"label": "kamer 1", "area_m2": 12.25, "sleeping_room": true}]));
    assert_eq!(changed["address"]["house_number"], 12);
}

#[tokio::test]
async fn invalid_address_bag_id_area_and_duplicate_room_labels_are_422_with_pointers() {
    let app = spawn_app().await;
    let (_, token) = app.register_landlord("fout@example.nl").await;
    let mut body = property_body("0123 AB", 1);
    body["bag_id"] = json!("123");
    body["usable_floor_area_m2"] = json!(-1);
    body["rooms"][1]["label"] = json!("Kamer 1");
    let res = app.post("/v1/properties", &body, Some(&token)).await;
    let problem = assert_problem(res, 422, "/problems/validation").await;
    let mut pointers: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    pointers.sort();
    assert_eq!(pointers, vec!["/address/postcode", "/bag_id", "/rooms/1/label", "/usable_floor_area_m2"]);
}

#[tokio::test]
async fn a_landlord_cannot_see_or_change_another_landlords_property() {
    let app = spawn_app().await;
    let (_, a) = app.register_landlord("a@example.nl").await;
    let (_, b) = app.register_landlord("b@example.nl").await;
    let p = app.create_property(&a, &property_body("3011 AB", 1)).await;
    let path = format!("/v1/properties/{}", p["id"].as_str().unwrap());
    assert_problem(app.get(&path, Some(&b)).await, 404, "/problems/not-found").await;
    assert_problem(
        app.patch(&path, &json!({"usable_floor_area_m2": 50.0}), Some(&b)).await,
        404,
        "/problems/not-found",
    )
    .await;
    let list: Value = app.get("/v1/properties", Some(&b)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn officers_see_all_properties_of_their_municipality_page_by_page_but_not_other_municipalities() {
    let app = spawn_app().await;
    let (_, a) = app.register_landlord("a@example.nl").await;
    let (_, b) = app.register_landlord("b@example.nl").await;
    for n in 1..=3 {
        app.create_property(&a, &property_body("3011 AB", n)).await;
    }
    app.create_property(&b, &property_body("3012 CD", 1)).await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let mut seen = 0;
    let mut path = "/v1/properties?limit=2".to_string();
    loop {
        let page: Value = app.get(&path, Some(&officer)).await.json().await.unwrap();
        seen += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/properties?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, 4);
    let filtered: Value =
        app.get("/v1/properties?postcode=3012cd&house_number=1", Some(&officer)).await.json().await.unwrap();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);

    let elsewhere = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let list: Value = app.get("/v1/properties", Some(&elsewhere)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn only_an_officer_records_a_missing_building_permit() {
    let app = spawn_app().await;
    let (_, token) = app.register_landlord("a@example.nl").await;
    let p = app.create_property(&token, &property_body("3011 AB", 1)).await;
    let path = format!("/v1/properties/{}", p["id"].as_str().unwrap());
    let res = app.patch(&path, &json!({"missing_building_permit": true}), Some(&token)).await;
    assert_problem(res, 422, "/problems/validation").await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let res = app.patch(&path, &json!({"missing_building_permit": true}), Some(&officer)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["missing_building_permit"], true);
}

#[tokio::test]
async fn role_matrix_of_the_property_routes() {
    let app = spawn_app().await;
    let id = "/v1/properties/00000000-0000-0000-0000-000000000000";
    assert_role_matrix(&app, Method::POST, "/v1/properties", &json!({}), &["landlord", "officer"]).await;
    assert_role_matrix(
        &app,
        Method::GET,
        "/v1/properties",
        &json!({}),
        &["landlord", "officer", "bibob_officer", "manager"],
    )
    .await;
    assert_role_matrix(
        &app,
        Method::GET,
        id,
        &json!({}),
        &["landlord", "officer", "bibob_officer", "manager"],
    )
    .await;
    assert_role_matrix(&app, Method::PATCH, id, &json!({}), &["landlord", "officer"]).await;
}

#[tokio::test]
async fn the_rule_set_in_force_is_public_with_documented_defaults() {
    let app = spawn_app().await;
    let res = app.get("/v1/rules?date=2025-03-03", None).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["date"], "2025-03-03");
    assert_eq!(body["rule_set"]["decision_term_weeks"], 8);
    assert_eq!(body["rule_set"]["min_floor_area_per_person_dm2"], 1200);
    assert_eq!(body["rule_set"]["toilet_ratio"], 8);
    assert_eq!(body["versions"], json!(["2023-07-01"]));
    // Before the Wgv entered into force there is no rule set.
    assert_problem(app.get("/v1/rules?date=2023-06-30", None).await, 404, "/problems/not-found").await;
    assert_problem(app.get("/v1/rules?date=gisteren", None).await, 422, "/problems/validation").await;
}

#[tokio::test]
async fn a_rules_file_replaces_the_defaults_from_its_valid_from() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(
        &file,
        r#"{"versions": [{"valid_from": "2024-01-01"}, {"valid_from": "2026-01-01", "toilet_ratio": 4, "features": {"roemer_norm": true}}]}"#,
    )
    .unwrap();
    let settings =
        [("HUURTOEZICHT_RULES_FILE".to_string(), file.display().to_string())].into_iter().collect();
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::system()).await;
    let old: Value = app.get("/v1/rules?date=2025-12-31", None).await.json().await.unwrap();
    assert_eq!(old["rule_set"]["toilet_ratio"], 8);
    let new: Value = app.get("/v1/rules?date=2026-01-01", None).await.json().await.unwrap();
    assert_eq!(new["rule_set"]["toilet_ratio"], 4);
    assert_eq!(new["rule_set"]["features"]["roemer_norm"], true);
}

#[tokio::test]
async fn a_landlord_registers_an_address_once_and_another_landlord_may_register_it_too() {
    let app = spawn_app().await;
    let (_, a) = app.register_landlord("een@example.nl").await;
    let (_, b) = app.register_landlord("twee@example.nl").await;
    let first = app.create_property(&a, &property_body("3011 AB", 7)).await;
    // The same address again (postcode written otherwise): 409 naming the existing record.
    let res = app.post("/v1/properties", &property_body("3011ab", 7), Some(&a)).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()), "{p}");
    // Another addition is another dwelling; another landlord (e.g. after a sale) has its own record.
    let mut other = property_body("3011 AB", 7);
    other["address"]["addition"] = json!("a");
    let second = app.create_property(&a, &other).await;
    assert_eq!(second["address"]["addition"], "A");
    app.create_property(&b, &property_body("3011 AB", 7)).await;
    // Moving a record onto an address the landlord already has is refused too.
    let res = app
        .patch(
            &format!("/v1/properties/{}", second["id"].as_str().unwrap()),
            &json!({"address": {"postcode": "3011 AB", "house_number": 7}}),
            Some(&a),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
}
