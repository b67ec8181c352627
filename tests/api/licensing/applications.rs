//! Licence applications end to end: drafts, verbs, deadlines, decisions, mails.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
#[tokio::test]
async fn the_whole_workflow_from_submission_to_licence_with_statutory_dates_and_mails() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let d = draft(&app, &s.landlord, &s.property_id).await;
    assert_eq!(d["status"], "draft");
    assert_eq!(d["allowed_actions"], json!(["submit", "withdraw"]));
    let id = d["id"].as_str().unwrap().to_string();

    // Scenario 18: received Mon 2025-03-03 → due 2025-04-28.
    let a = ok(verb(&app, &id, "submit", None, &s.landlord).await).await;
    assert_eq!(a["status"], "submitted");
    assert_eq!(a["submitted_on"], "2025-03-03");
    assert_eq!(a["decision_due_on"], "2025-04-28");
    assert!(a.get("bibob_pending").is_none(), "landlords do not see the Bibob flag");
    let m = wait_for_mail_with(&app, "Aanvraag verhuurvergunning ontvangen").await;
    assert!(m.contains("2025-04-28") && m.contains("To: verhuurder@example.nl"), "{m}");

    // Scenario 19: invitation to supplement on 2025-03-10 (14 days), supplemented 2025-03-20.
    app.clock.set(at(2025, 3, 10));
    let a = ok(verb(
        &app,
        &id,
        "request-information",
        Some(json!({"what": "Plattegrond met maatvoering", "respond_by": "2025-03-24"})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(a["status"], "incomplete");
    assert_eq!(a["suspended"], true);
    assert_eq!(a["information_request"]["respond_by"], "2025-03-24");
    let m = wait_for_mail_with(&app, "Plattegrond met maatvoering").await;
    assert!(m.contains("2025-03-24"), "{m}");

    app.clock.set(at(2025, 3, 20));
    let a = ok(verb(&app, &id, "supply-information", Some(json!({"note": "bijgevoegd"})), &s.landlord).await)
        .await;
    assert_eq!(a["status"], "submitted");
    assert_eq!(a["suspended"], false);
    assert_eq!(a["decision_due_on"], "2025-05-08");

    // Awb 4:14: one extension, announced before the due date: 4 weeks → 2025-06-05.
    app.clock.set(at(2025, 4, 1));
    let a = ok(verb(
        &app,
        &id,
        "extend-term",
        Some(json!({"weeks": 4, "reason": "Advies brandweer nodig"})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(a["decision_due_on"], "2025-06-05");
    assert_eq!(
        a["extension"],
        json!({"notified_on": "2025-04-01", "weeks": 4, "reason": "Advies brandweer nodig"})
    );
    let m = wait_for_mail_with(&app, "Advies brandweer nodig").await;
    assert!(m.contains("2025-06-05"), "{m}");
    let res =
        verb(&app, &id, "extend-term", Some(json!({"weeks": 1, "reason": "nog eens"})), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // Decide: grant with conditions on 2025-04-15 → objection period ends 2025-05-27.
    app.clock.set(at(2025, 4, 15));
    let a = ok(verb(&app, &id, "start-review", None, &s.officer).await).await;
    assert_eq!(a["status"], "in_review");
    let a = ok(verb(
        &app,
        &id,
        "decide",
        Some(json!({"decision": "grant_with_conditions",
                    "conditions": [{"kind": "occupancy_limit", "text": "Ten hoogste 1 persoon per slaapkamer"}],
                    "motivation": "Voldoet aan de normen"})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(a["status"], "granted_with_conditions");
    assert_eq!(a["decision"]["outcome"], "granted_with_conditions");
    assert_eq!(a["decision"]["decided_on"], "2025-04-15");
    assert_eq!(a["decision"]["objection_period_ends_on"], "2025-05-27");
    assert_eq!(a["allowed_actions"], json!([]));
    let licence_id = a["licence_id"].as_str().unwrap().to_string();

    let l: Value =
        app.get(&format!("/v1/licences/{licence_id}"), Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(l["number"], "GM0599-2025-000001");
    assert_eq!(l["status"], "active");
    assert_eq!(l["kind"], "labour_migrant");
    assert_eq!(l["valid_from"], "2025-04-15");
    assert_eq!(l["valid_until"], Value::Null);
    assert_eq!(l["max_occupants"], 2);
    assert_eq!(
        l["room_limits"],
        json!([{"room_label": "kamer 1", "max_occupants": 1}, {"room_label": "kamer 2", "max_occupants": 1}])
    );
    assert_eq!(l["conditions"][0]["kind"], "occupancy_limit");
    assert_eq!(l["transferable"], false);

    let m = wait_for_mail_with(&app, "GM0599-2025-000001").await;
    assert!(m.contains("2025-05-27") && m.contains("Ten hoogste 1 persoon per slaapkamer"), "{m}");

    // The public register shows the licence at the address, without the natural person's name.
    let res = app.get("/v1/register/licences?postcode=3011ab&house_number=12", None).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains("Jan de Vries"), "{text}");
    let reg: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(reg["items"][0]["number"], "GM0599-2025-000001");
    assert_eq!(reg["items"][0]["status"], "active");
    assert_eq!(reg["items"][0]["max_occupants"], 2);
    assert_eq!(reg["items"][0]["holder"], Value::Null);
}

#[tokio::test]
async fn an_incomplete_application_submitted_on_saturday_rolls_the_due_date_to_monday() {
    // Scenario 22: Sat 2025-03-01 → raw end Sat 2025-04-26 (Koningsdag) → Mon 2025-04-28.
    let app = spawn_app_at(at(2025, 3, 1)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    assert_eq!(a["decision_due_on"], "2025-04-28");
}

#[tokio::test]
async fn refusing_needs_an_established_ground_and_a_motivation_and_mails_the_objection_period() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();

    let res = verb(&app, id, "decide", Some(json!({"decision": "refuse"})), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, vec!["/refusal_grounds", "/motivation"]);

    // A ground the screening did not establish is refused (scenario 9: flag, not automatic).
    let refuse = json!({"decision": "refuse", "refusal_grounds": ["missing_building_permit"], "motivation": "Geen omgevingsvergunning voor de aanbouw"});
    let res = verb(&app, id, "decide", Some(refuse.clone()), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/refusal_grounds/0");

    let res = app
        .patch(
            &format!("/v1/properties/{}", s.property_id),
            &json!({"missing_building_permit": true}),
            Some(&s.officer),
        )
        .await;
    assert_eq!(res.status(), 200);
    let assessment: Value = app
        .get(&format!("/v1/licence-applications/{id}/assessment"), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(assessment["screening"]["missing_building_permit"], true);

    app.clock.set(at(2025, 4, 7));
    let a = ok(verb(&app, id, "decide", Some(refuse), &s.officer).await).await;
    assert_eq!(a["status"], "refused");
    assert_eq!(a["decision"]["refusal_grounds"], json!(["missing_building_permit"]));
    assert_eq!(a["licence_id"], Value::Null);
    // Awb 6:7/6:8: notified Mon 2025-04-07 → objection until 2025-05-19.
    assert_eq!(a["decision"]["objection_period_ends_on"], "2025-05-19");
    let m = wait_for_mail_with(&app, "Geen omgevingsvergunning voor de aanbouw").await;
    assert!(m.contains("2025-05-19") && m.contains("vergunning die nodig is"), "{m}");
}

#[tokio::test]
async fn a_landlord_withdraws_and_nothing_more_can_happen() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    let a = ok(verb(&app, id, "withdraw", None, &s.landlord).await).await;
    assert_eq!(a["status"], "withdrawn");
    assert_eq!(a["decision_due_on"], Value::Null);
    let res = verb(&app, id, "decide", Some(json!({"decision": "grant"})), &s.officer).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!([]));
}

#[tokio::test]
async fn not_considered_only_after_the_term_to_supply_information_lapsed() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    ok(verb(
        &app,
        id,
        "request-information",
        Some(json!({"what": "Huurcontract", "respond_by": "2025-03-17"})),
        &s.officer,
    )
    .await)
    .await;
    let body = json!({"motivation": "Huurcontract niet ontvangen"});
    app.clock.set(at(2025, 3, 17));
    let res = verb(&app, id, "not-considered", Some(body.clone()), &s.officer).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("2025-03-17"));

    app.clock.set(at(2025, 3, 18));
    let a = ok(verb(&app, id, "not-considered", Some(body), &s.officer).await).await;
    assert_eq!(a["status"], "not_considered");
    assert_eq!(a["decision"]["outcome"], "not_considered");
    assert_eq!(a["decision"]["objection_period_ends_on"], "2025-04-29");
    let m = wait_for_mail_with(&app, "Huurcontract niet ontvangen").await;
    assert!(m.contains("2025-04-29"), "{m}");
}

#[tokio::test]
async fn illegal_transitions_are_409_naming_the_allowed_actions() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let d = draft(&app, &s.landlord, &s.property_id).await;
    let id = d["id"].as_str().unwrap();
    let res = verb(&app, id, "decide", Some(json!({"decision": "grant"})), &s.officer).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!([]), "submit and withdraw are the landlord's, not the officer's");
    let res = verb(
        &app,
        id,
        "request-information",
        Some(json!({"what": "x", "respond_by": "2025-04-01"})),
        &s.officer,
    )
    .await;
    assert_problem(res, 409, "/problems/conflict").await;

    ok(verb(&app, id, "submit", None, &s.landlord).await).await;
    let res = verb(&app, id, "submit", None, &s.landlord).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!(["withdraw"]), "the landlord's own verbs only");
    let res = verb(&app, id, "supply-information", Some(json!({})), &s.landlord).await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res = app
        .patch(
            &format!("/v1/licence-applications/{id}"),
            &json!({"monthly_rent_cents": 1}),
            Some(&s.landlord),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res = verb(&app, id, "not-considered", Some(json!({"motivation": "x"})), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn a_landlord_cannot_see_or_act_on_another_landlords_application() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    let (_, other) = app.register_landlord("ander@example.nl").await;
    for path in
        [format!("/v1/licence-applications/{id}"), format!("/v1/licence-applications/{id}/assessment")]
    {
        assert_problem(app.get(&path, Some(&other)).await, 404, "/problems/not-found").await;
    }
    assert_problem(verb(&app, id, "withdraw", None, &other).await, 404, "/problems/not-found").await;
    let list: Value = app.get("/v1/licence-applications", Some(&other)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    // Nor use another landlord's property for an application.
    let res = app
        .post(
            "/v1/licence-applications",
            &json!({"property_id": s.property_id, "kind": "general"}),
            Some(&other),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/property_id");
    // The owner sees it, with the due date.
    let list: Value = app.get("/v1/licence-applications", Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(list["items"][0]["decision_due_on"], "2025-04-28");
}

#[tokio::test]
async fn officers_filter_on_due_date_and_overdue() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let first = submitted(&app, &s).await;
    app.clock.set(at(2025, 3, 17));
    let second = submitted(&app, &s).await;
    assert_eq!(second["decision_due_on"], "2025-05-12");

    let list: Value = app
        .get("/v1/licence-applications?due_before=2025-05-01", Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![first["id"].as_str().unwrap()]);

    app.clock.set(at(2025, 4, 29));
    let list: Value =
        app.get("/v1/licence-applications?overdue=true", Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["overdue"], true);
    assert_eq!(list["items"][0]["bibob_pending"], false);

    // Both overdue later: most overdue first, paged with a due-date cursor.
    app.clock.set(at(2025, 6, 1));
    let page: Value = app
        .get("/v1/licence-applications?overdue=true&limit=1", Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], first["id"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    assert!(cursor.starts_with("2025-04-28|"), "{cursor}");
    let page: Value = app
        .get(&format!("/v1/licence-applications?overdue=true&limit=1&cursor={cursor}"), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], second["id"]);
    assert!(page["next_cursor"].is_null());
    app.clock.set(at(2025, 4, 29));

    let list: Value = app
        .get("/v1/licence-applications?status=submitted&limit=1", Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list["next_cursor"].is_string());
    let res = app.get("/v1/licence-applications?status=bogus", Some(&s.officer)).await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn the_assessment_computes_the_norms_and_hides_screening_from_landlords() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    // Scenario 27: 55 m² for 5 persons is 11 m² per person: overcrowded.
    let res = app
        .patch(
            &format!("/v1/properties/{}", s.property_id),
            &json!({"usable_floor_area_m2": 55.0}),
            Some(&s.landlord),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            "/v1/licence-applications",
            &json!({"property_id": s.property_id, "kind": "labour_migrant",
                    "planned_occupancy": [{"room_label": "kamer 1", "persons": 3}, {"room_label": "kamer 2", "persons": 2}]}),
            Some(&s.landlord),
        )
        .await;
    let a: Value = res.json().await.unwrap();
    let path = format!("/v1/licence-applications/{}/assessment", a["id"].as_str().unwrap());
    let mine: Value = app.get(&path, Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(mine["occupants"], 5);
    assert_eq!(mine["floor_area_per_person_m2"], 11.0);
    assert_eq!(mine["max_occupants_by_floor_area"], 4);
    assert_eq!(mine["all_passed"], false);
    let floor =
        mine["results"].as_array().unwrap().iter().find(|r| r["code"] == "floor_area_per_person").unwrap();
    assert_eq!(floor["passed"], false);
    assert_eq!((floor["required"].as_f64(), floor["unit"].as_str()), (Some(60.0), Some("square_metres")));
    assert!(floor["source"].as_str().unwrap().contains("Bouwbesluit"));
    assert!(mine.get("screening").is_none());
    // Rent was not given; a natural person needs no KvK number.
    assert_eq!(
        mine["required_documents"],
        json!([{"code": "applicant_name_and_residence", "present": true}, {"code": "kvk_number", "present": true},
               {"code": "dwelling_address", "present": true}, {"code": "rent", "present": false}])
    );
    assert_eq!(mine["fee_cents"], 0);

    let theirs: Value = app.get(&path, Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(theirs["screening"]["bibob_pending"], false);
    assert!(theirs["screening"].get("bibob_serious_danger").is_none());
}

#[tokio::test]
async fn submitting_outside_the_designated_area_is_refused_with_the_reason() {
    // Scenario 1: the general licence applies only to postcodes 1000AA–1099ZZ.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(
        &file,
        r#"{"valid_from": "2024-01-01", "enabled_licences": [{"kind": "general", "area": {"postcode_ranges": [{"from": "1000AA", "to": "1099ZZ"}]}}]}"#,
    )
    .unwrap();
    let settings =
        [("HUURTOEZICHT_RULES_FILE".to_string(), file.display().to_string())].into_iter().collect();
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::fixed(at(2025, 3, 3))).await;
    let s = setup(&app).await;
    let res = app
        .post(
            "/v1/licence-applications",
            &json!({"property_id": s.property_id, "kind": "general"}),
            Some(&s.landlord),
        )
        .await;
    let a: Value = res.json().await.unwrap();
    let res = verb(&app, a["id"].as_str().unwrap(), "submit", None, &s.landlord).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/kind");

    let req: Value = app
        .get("/v1/register/licence-required?postcode=3011AB&house_number=12", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(req["licence_required"], false);
    assert_eq!(req["exemption"], "not_in_designated_area");
    let req: Value = app
        .get("/v1/register/licence-required?postcode=1011AB&house_number=1", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(req["licence_required"], true);
    assert_eq!(req["required_kinds"], json!(["general"]));
}

#[tokio::test]
async fn role_matrix_of_the_application_routes() {
    let app = spawn_app().await;
    let id = "/v1/licence-applications/00000000-0000-0000-0000-000000000000";
    let readers = ["landlord", "officer", "bibob_officer", "manager"];
    assert_role_matrix(&app, Method::POST, "/v1/licence-applications", &json!({}), &["landlord"]).await;
    assert_role_matrix(&app, Method::GET, "/v1/licence-applications", &json!({}), &readers).await;
    assert_role_matrix(&app, Method::GET, id, &json!({}), &readers).await;
    assert_role_matrix(&app, Method::PATCH, id, &json!({}), &["landlord"]).await;
    assert_role_matrix(&app, Method::GET, &format!("{id}/assessment"), &json!({}), &readers).await;
    for v in ["submit", "supply-information", "withdraw"] {
        assert_role_matrix(&app, Method::POST, &format!("{id}/{v}"), &json!({}), &["landlord"]).await;
    }
    for v in ["request-information", "extend-term", "start-review", "not-considered", "decide"] {
        assert_role_matrix(&app, Method::POST, &format!("{id}/{v}"), &json!({}), &["officer"]).await;
    }
}

#[tokio::test]
async fn two_simultaneous_decisions_make_one_licence_and_one_conflict() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    let body = json!({"decision": "grant"});
    let (r1, r2) = tokio::join!(
        verb(&app, id, "decide", Some(body.clone()), &s.officer),
        verb(&app, id, "decide", Some(body.clone()), &s.officer)
    );
    let mut statuses = vec![r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
    let list: Value = app
        .get(&format!("/v1/licences?property_id={}", s.property_id), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_extension_after_the_due_date_or_beyond_the_rule_set_is_refused() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    let res = verb(&app, id, "extend-term", Some(json!({"weeks": 9, "reason": "te lang"})), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/weeks");
    let res = verb(
        &app,
        id,
        "request-information",
        Some(json!({"what": "x", "respond_by": "2025-03-03"})),
        &s.officer,
    )
    .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/respond_by");
    // Awb 4:14 lid 3: the extension must be announced before the term (due 2025-04-28) expired.
    app.clock.set(at(2025, 4, 29));
    let res = verb(&app, id, "extend-term", Some(json!({"weeks": 2, "reason": "te laat"})), &s.officer).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("2025-04-28"), "{p}");
    let a: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(a["overdue"], true);
}

#[tokio::test]
async fn a_housing_corporation_needs_no_licence_and_its_cases_go_to_the_autoriteit() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let me: Value = app.get("/v1/me", Some(&s.landlord)).await.json().await.unwrap();
    let landlord = me["landlord"]["id"].as_str().unwrap().to_string();
    assert_eq!(me["landlord"]["housing_corporation"], false);
    let path = format!("/v1/landlords/{landlord}/housing-corporation");
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;

    // Only managers and the admin record it; a reference is required.
    assert_role_matrix(&app, Method::POST, &path, &json!({}), &["manager", "admin"]).await;
    let res = app
        .post(&path, &json!({"housing_corporation": true, "reason": "Toegelaten instelling"}), Some(&manager))
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/reference");
    let body = json!({"housing_corporation": true, "reference": "Aw-register L1234", "reason": "Toegelaten instelling volgens het register"});
    let l = ok(app.post(&path, &body, Some(&manager)).await).await;
    assert_eq!(l["housing_corporation"], true);
    let res = app.post("/v1/landlords/nobody/housing-corporation", &body, Some(&manager)).await;
    assert_problem(res, 404, "/problems/not-found").await;

    // No licence is required of it: submitting is refused with the reason.
    let d = draft(&app, &s.landlord, &s.property_id).await;
    let res = verb(&app, d["id"].as_str().unwrap(), "submit", None, &s.landlord).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("housing corporation"), "{p}");

    // Its violations open woningcorporatie cases, which the ladder refers to the Autoriteit.
    let v: Value = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 12},
                    "rule": "GR-04", "established_on": "2025-03-03", "description": "Te hoge waarborgsom",
                    "evidence": {"documents": ["huurcontract"]}}),
            Some(&s.officer),
        )
        .await
        .json()
        .await
        .unwrap();
    let case = v["case_id"].as_str().unwrap();
    let c: Value =
        app.get(&format!("/v1/enforcement-cases/{case}"), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(c["housing_corporation"], true);
    let next: Value = app
        .get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["step"], "refer_to_autoriteit_woningcorporaties", "{next}");

    // Cleared again: the application can be submitted.
    let l = ok(app
        .post(
            &path,
            &json!({"housing_corporation": false, "reason": "Geen toegelaten instelling meer"}),
            Some(&manager),
        )
        .await)
    .await;
    assert_eq!(l["housing_corporation"], false);
    ok(verb(&app, d["id"].as_str().unwrap(), "submit", None, &s.landlord).await).await;
}
