//! Inspections, violations and cases: the consent rule, closing without enforcement, the role
//! matrix and municipal scope.

use super::*;

#[tokio::test]
async fn findings_for_a_room_without_consent_or_warrant_are_refused_and_evaluation_proposes_violations() {
    let app = spawn_app_at(at("2025-03-10")).await;
    let landlord = app.landlord_id("insp@example.nl").await;
    let room = |label: &str, basis: &str, occupants: u32| json!({"label": label, "entry_basis": basis, "sleeping_room": true, "occupants": occupants, "area_m2": 8.0});
    let mut body = json!({"status": "performed", "performed_on": "2025-03-10", "address": address(),
        "landlord_id": landlord, "officers": ["T. Toezicht"], "interpreter_used": true, "interpreter_language": "pl",
        "findings": {"rooms": [room("kamer 1", "occupant_consent", 1), room("kamer 2", "not_entered", 2)],
                     "usable_floor_area_m2": 20.0}});
    let res = app.post("/v1/inspections", &body, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/findings/rooms/1");

    body["findings"]["rooms"][1] = room("kamer 2", "warrant", 2);
    let res = app.post("/v1/inspections", &body, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/findings/rooms/1/warrant_reference");

    body["findings"]["rooms"][1]["warrant_reference"] = json!("MB-2025-031");
    body["findings"]["rooms"][0]["observations"] = json!(["fire_hazard", "damp_or_mould"]);
    body["findings"]["unregistered_occupants"] = json!(2);
    let i = ok_json(app.post("/v1/inspections", &body, Some(&officer())).await).await;
    assert_eq!(i["urgent"], true);
    assert_eq!(i["burgerzaken_signal"], true);
    let id = i["id"].as_str().unwrap();

    // 3 occupants on 20 m² with a 12 m² norm → overbewoning; 2 in one bedroom → persons per bedroom.
    let e = ok_json(app.post(&format!("/v1/inspections/{id}/evaluate"), &json!({}), Some(&officer())).await)
        .await;
    let norms: Vec<&str> =
        e["proposed_violations"].as_array().unwrap().iter().map(|p| p["norm"].as_str().unwrap()).collect();
    assert!(norms.contains(&"floor_area_per_person"), "{e}");
    assert!(norms.contains(&"persons_per_bedroom"), "{e}");
    assert_eq!(e["proposed_violations"][0]["rule"], "overcrowding");
    assert_eq!(e["urgent"], true);
    assert!(e["aggravations"].as_array().unwrap().contains(&json!("unsafe_housing")));

    // The officer confirms a violation from the inspection: unsafe → the warning step is skipped.
    let v = ok_json(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(), "rule": "overcrowding", "established_on": "2025-03-10",
                    "description": "3 bewoners op 20 m²", "inspection_id": id,
                    "numbers": {"norm": "floor_area_per_person", "required": 36.0, "present": 20.0, "unit": "square_metres"}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(v["aggravations"], json!(["unsafe_housing"]));
    assert_eq!(v["numbers"]["required"], 36.0);
    assert_eq!(v["numbers"]["unit"], "square_metres");
    let next = ok_json(
        app.get(
            &format!("/v1/enforcement-cases/{}/next-step", v["case_id"].as_str().unwrap()),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(next["step"], "administrative_coercion");

    // The notice to occupants exists in nl, en, pl, ro and uk.
    for lang in ["nl", "en", "pl", "ro", "uk"] {
        let n = ok_json(
            app.get(&format!("/v1/inspections/{id}/occupant-notice?language={lang}"), Some(&officer())).await,
        )
        .await;
        assert_eq!(n["language"], lang);
        assert!(n["body"].as_str().unwrap().contains("3011 AB 10-A"), "{n}");
    }
    let pl = ok_json(
        app.get(&format!("/v1/inspections/{id}/occupant-notice?language=pl"), Some(&officer())).await,
    )
    .await;
    assert!(pl["body"].as_str().unwrap().contains("zgod"));
    let res = app.get(&format!("/v1/inspections/{id}/occupant-notice?language=de"), Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn closing_a_violation_without_enforcement_needs_one_of_the_two_lawful_reasons_and_a_motivation() {
    let app = spawn_app_at(at("2025-02-10")).await;
    let landlord = app.landlord_id("sluiten@example.nl").await;
    let v = violation(&app, &landlord, "GR-05", "2025-02-10").await;
    let path = format!("/v1/violations/{}/close", v["id"].as_str().unwrap());
    // A tenant leaving is no reason (carrousel rule).
    let res = app.post(&path, &json!({"reason": "tenant_left", "on": "2025-02-10"}), Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res =
        app.post(&path, &json!({"reason": "disproportionate", "on": "2025-02-10"}), Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/motivation");
    let closed = ok_json(
        app.post(
            &path,
            &json!({"reason": "legalisation_in_prospect", "on": "2025-02-10",
                    "motivation": "Schriftelijk huurcontract is opgesteld en wordt deze week getekend"}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(closed["status"], "closed_without_enforcement");
    assert_eq!(closed["close_reason"], "legalisation_in_prospect");
    let case = ok_json(
        app.get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&officer())).await,
    )
    .await;
    assert_eq!(case["status"], "closed");
    let res = app.post(&path, &json!({"reason": "remedied", "on": "2025-02-10"}), Some(&officer())).await;
    assert_problem(res, 409, "/problems/conflict").await;
    // The landlord's history counts follow the close (counters kept in the same transaction).
    let v2 = violation(&app, &landlord, "GR-06", "2025-02-10").await;
    assert_ne!(v2["case_id"], v["case_id"], "a closed case is not reused");
    let h =
        ok_json(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&role_token("manager"))).await)
            .await;
    assert_eq!(h["violations_total"], 2, "{h}");
    assert_eq!(
        h["violations_by_status"],
        json!([{"key": "closed_without_enforcement", "count": 1}, {"key": "open", "count": 1}])
    );
    assert_eq!(h["violations_by_rule"], json!([{"key": "GR-05", "count": 1}, {"key": "GR-06", "count": 1}]));
    // Another municipality's officer sees none of it.
    let other = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let h = ok_json(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&other)).await).await;
    assert_eq!(h["violations_total"], 0, "{h}");
    // Audit trail records the close with the motivation as reason.
    let list =
        ok_json(app.get("/v1/enforcement-cases?status=closed", Some(&role_token("manager"))).await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let list =
        ok_json(app.get("/v1/enforcement-cases?stage=closed", Some(&role_token("manager"))).await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    // A stage outside the closed set is refused, not answered with an empty page.
    let res = app.get("/v1/enforcement-cases?stage=dwangsom", Some(&role_token("manager"))).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "#/query/stage", "{p}");
}

#[tokio::test]
async fn every_enforcement_route_admits_only_its_roles() {
    let app = spawn_app().await;
    let id = "00000000-0000-0000-0000-000000000000";
    let officer_only = ["officer"];
    let read = ["officer", "manager"];
    let cases: Vec<(Method, String, Value, &[&str])> = vec![
        (Method::POST, "/v1/inspections".into(), json!({}), &officer_only),
        (Method::GET, "/v1/inspections".into(), json!(null), &read),
        (Method::GET, format!("/v1/inspections/{id}"), json!(null), &read),
        (Method::POST, format!("/v1/inspections/{id}/perform"), json!({}), &officer_only),
        (Method::POST, format!("/v1/inspections/{id}/referrals"), json!({}), &officer_only),
        (Method::POST, format!("/v1/inspections/{id}/no-referral"), json!({}), &officer_only),
        (Method::POST, format!("/v1/inspections/{id}/evaluate"), json!({}), &officer_only),
        (Method::GET, format!("/v1/inspections/{id}/occupant-notice"), json!(null), &read),
        (Method::POST, "/v1/violations".into(), json!({}), &officer_only),
        (Method::GET, format!("/v1/violations/{id}"), json!(null), &read),
        (Method::POST, format!("/v1/violations/{id}/close"), json!({}), &officer_only),
        (Method::GET, "/v1/enforcement-cases".into(), json!(null), &read),
        (Method::GET, format!("/v1/enforcement-cases/{id}"), json!(null), &read),
        (Method::GET, format!("/v1/enforcement-cases/{id}/next-step"), json!(null), &read),
        (Method::POST, format!("/v1/enforcement-cases/{id}/sanctions"), json!({}), &officer_only),
        (Method::GET, format!("/v1/sanctions/{id}"), json!(null), &read),
        (Method::POST, format!("/v1/sanctions/{id}/actions"), json!({}), &officer_only),
        (Method::GET, format!("/v1/landlords/{id}/history"), json!(null), &read),
        (Method::GET, "/v1/enforcement/dashboard".into(), json!(null), &read),
        (Method::GET, "/v1/enforcement/policy".into(), json!(null), &read),
        (Method::GET, "/v1/me/sanctions".into(), json!(null), &["landlord"]),
    ];
    for (method, path, body, allowed) in cases {
        assert_role_matrix(&app, method.clone(), &path, &body, allowed).await;
        let res = app.send(method.clone(), &path, &body, None).await;
        assert_eq!(res.status(), 401, "{method} {path} without a token");
    }
}

#[tokio::test]
async fn another_municipalitys_officer_cannot_see_the_case() {
    let app = spawn_app_at(at("2025-02-10")).await;
    let landlord = app.landlord_id("scope@example.nl").await;
    let v = violation(&app, &landlord, "GR-05", "2025-02-10").await;
    let other = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let res =
        app.get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&other)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    let res = app.get(&format!("/v1/violations/{}", v["id"].as_str().unwrap()), Some(&other)).await;
    assert_problem(res, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn an_inspection_of_a_registered_property_takes_its_landlord_and_floor_area() {
    let app = spawn_app_at(at("2025-03-10")).await;
    let landlord = app.landlord_id("pand@example.nl").await;
    let property = app.create_property(&landlord_token(&landlord), &property_body("3011 AB", 10)).await;
    let pid = property["id"].as_str().unwrap();
    let rooms: Vec<Value> = (1..=3)
        .map(|i| json!({"label": format!("kamer {i}"), "entry_basis": "occupant_consent", "sleeping_room": true, "occupants": 2}))
        .collect();
    let body = json!({"status": "performed", "performed_on": "2025-03-10", "property_id": pid,
        "address": {"postcode": "3011AB", "house_number": 10}, "officers": ["T. Toezicht"],
        "findings": {"rooms": rooms}});
    let i = ok_json(app.post("/v1/inspections", &body, Some(&officer())).await).await;
    assert_eq!(i["landlord_id"], landlord.as_str());
    // 6 occupants on the registered 60 m² with a 12 m² norm: 72 m² required.
    let e = ok_json(
        app.post(
            &format!("/v1/inspections/{}/evaluate", i["id"].as_str().unwrap()),
            &json!({}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    let v = e["proposed_violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["norm"] == "floor_area_per_person")
        .unwrap()
        .clone();
    assert_eq!((v["required"].as_f64(), v["present"].as_f64()), (Some(72.0), Some(60.0)), "{e}");
    assert_eq!(v["unit"], "square_metres");
    assert_eq!(e["urgent"], false);
    // Another address than the property's is refused.
    let mut wrong = body.clone();
    wrong["address"]["house_number"] = json!(11);
    let res = app.post("/v1/inspections", &wrong, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/property_id");
}
