//! Inspections against a granted licence (licence-condition findings), planned inspections
//! performed later, the inspection list, and management-takeover grounds G2 (licence refused
//! while let) and G3 (licence revoked) through the API.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, ok, setup, submitted, verb, Setup};

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

fn address(n: u32) -> Value {
    json!({"postcode": "3011 AB", "house_number": n})
}

/// A licence for the setup's property with a limit of one person in each of its two rooms.
async fn granted_licence(app: &TestApp, s: &Setup) -> String {
    let a = submitted(app, s).await;
    let a = ok(verb(
        app,
        a["id"].as_str().unwrap(),
        "decide",
        Some(json!({"decision": "grant_with_conditions",
                    "conditions": [{"kind": "occupancy_limit", "text": "Ten hoogste 1 persoon per slaapkamer"}],
                    "motivation": "Voldoet aan de normen"})),
        &s.officer,
    )
    .await)
    .await;
    a["licence_id"].as_str().unwrap().to_string()
}

fn room(label: &str, basis: &str, occupants: u32) -> Value {
    json!({"label": label, "entry_basis": basis, "sleeping_room": true, "occupants": occupants})
}

#[tokio::test]
async fn a_planned_inspection_performed_later_finds_more_occupants_than_the_licence_allows() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let licence = granted_licence(&app, &s).await;
    let landlord =
        ok(app.get("/v1/me", Some(&s.landlord)).await).await["landlord"]["id"].as_str().unwrap().to_string();

    // Planned for 2025-06-10; no findings yet, nothing to evaluate.
    app.clock.set(at(2025, 6, 2));
    let planned = created(
        app.post(
            "/v1/inspections",
            &json!({"status": "planned", "planned_on": "2025-06-10", "property_id": s.property_id,
                    "address": address(12), "officers": ["T. Toezicht"]}),
            Some(&s.officer),
        )
        .await,
    )
    .await;
    let id = planned["id"].as_str().unwrap().to_string();
    assert_eq!(planned["status"], "planned");
    assert_eq!(planned["landlord_id"], landlord.as_str());
    let res = app.post(&format!("/v1/inspections/{id}/evaluate"), &json!({}), Some(&s.officer)).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // Performed: a finding for a room not entered is refused; the date may not be in the future.
    app.clock.set(at(2025, 6, 10));
    let mut outcome = json!({"performed_on": "2025-06-10", "interpreter_used": true, "interpreter_language": "ro",
        "findings": {"rooms": [room("kamer 1", "occupant_consent", 2), room("kamer 2", "not_entered", 1)]}});
    let res = app.post(&format!("/v1/inspections/{id}/perform"), &outcome, Some(&s.officer)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/findings/rooms/1");
    outcome["findings"]["rooms"][1] = room("kamer 2", "occupant_consent", 1);
    outcome["performed_on"] = json!("2025-06-11");
    let res = app.post(&format!("/v1/inspections/{id}/perform"), &outcome, Some(&s.officer)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/performed_on");
    outcome["performed_on"] = json!("2025-06-10");
    // Counts above their declared maxima are refused, each named (2^31 does not fit 32 bits).
    let mut too_many = outcome.clone();
    too_many["findings"]["rooms"][0]["occupants"] = json!(101);
    too_many["findings"]["facilities"] = json!({"toilets": 2_147_483_648_u64});
    too_many["findings"]["unregistered_occupants"] = json!(3_147_153_082_u64);
    let res = app.post(&format!("/v1/inspections/{id}/perform"), &too_many, Some(&s.officer)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    let mut pointers: Vec<&str> =
        p["errors"].as_array().unwrap().iter().filter_map(|e| e["pointer"].as_str()).collect();
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        ["/findings/facilities/toilets", "/findings/rooms/0/occupants", "/findings/unregistered_occupants"],
        "{p}"
    );
    let performed =
        ok(app.post(&format!("/v1/inspections/{id}/perform"), &outcome, Some(&s.officer)).await).await;
    assert_eq!(performed["status"], "performed");
    assert_eq!(performed["performed_on"], "2025-06-10");
    assert_eq!(performed["licence_id"], licence.as_str(), "the licence in force on the day is linked");
    assert_eq!(performed["interpreter_language"], "ro");
    let res = app.post(&format!("/v1/inspections/{id}/perform"), &outcome, Some(&s.officer)).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // Evaluation against the licence: 3 occupants where 2 are allowed, 2 in kamer 1 where 1 is.
    let e = ok(app.post(&format!("/v1/inspections/{id}/evaluate"), &json!({}), Some(&s.officer)).await).await;
    assert_eq!(e["licence_conditions_applied"], true);
    let find = |norm: &str| {
        e["proposed_violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["norm"] == norm)
            .cloned()
            .unwrap_or_else(|| panic!("{norm} in {e}"))
    };
    let total = find("licence_max_occupants");
    assert_eq!(
        (total["rule"].as_str(), total["required"].as_u64(), total["present"].as_u64()),
        (Some("licence_condition"), Some(2), Some(3))
    );
    let kamer = find("licence_max_occupants_room");
    assert_eq!(
        (kamer["room"].as_str(), kamer["required"].as_u64(), kamer["present"].as_u64()),
        (Some("kamer 1"), Some(1), Some(2))
    );
    assert!(kamer["source"].as_str().unwrap().contains("GM0599-2025-000001"), "{kamer}");

    // The officer confirms the licence-condition violation; it joins a case on the licence.
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(12), "rule": "licence_condition",
                    "established_on": "2025-06-10", "description": "Drie bewoners waar de vergunning er twee toestaat",
                    "inspection_id": id,
                    "numbers": {"norm": "licence_max_occupants", "required": 2, "present": 3, "unit": "persons"}}),
            Some(&s.officer),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/licence_condition");
    let v = created(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(12), "rule": "licence_condition",
                    "licence_condition": "Ten hoogste 1 persoon per slaapkamer",
                    "established_on": "2025-06-10", "description": "Drie bewoners waar de vergunning er twee toestaat",
                    "inspection_id": id,
                    "numbers": {"norm": "licence_max_occupants", "required": 2, "present": 3, "unit": "persons"}}),
            Some(&s.officer),
        )
        .await,
    )
    .await;
    assert_eq!(v["evidence"]["inspection_ids"], json!([id]));
    let case = ok(app
        .get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&s.officer))
        .await)
    .await;
    assert_eq!(case["licence_id"], licence.as_str());
    let next = ok(app
        .get(&format!("/v1/enforcement-cases/{}/next-step", v["case_id"].as_str().unwrap()), Some(&s.officer))
        .await)
    .await;
    assert_eq!(next["per_violation"][0]["rule"], "licence_condition");
    assert_eq!(next["step"], "warning", "{next}");
}

#[tokio::test]
async fn officers_list_inspections_newest_first_with_filters_and_a_cursor() {
    let app = spawn_app_at(at(2025, 3, 10)).await;
    let officer = role_token("officer");
    let mut ids = Vec::new();
    for (n, observations) in [(10, json!([])), (12, json!(["fire_hazard"])), (14, json!([]))] {
        let mut r = room("kamer 1", "occupant_consent", 1);
        r["observations"] = observations;
        let i = created(
            app.post(
                "/v1/inspections",
                &json!({"status": "performed", "performed_on": "2025-03-10", "address": address(n),
                        "officers": ["T. Toezicht"], "findings": {"rooms": [r]}}),
                Some(&officer),
            )
            .await,
        )
        .await;
        ids.push(i["id"].as_str().unwrap().to_string());
        app.clock.advance(chrono::Duration::seconds(1));
    }
    created(
        app.post(
            "/v1/inspections",
            &json!({"status": "planned", "planned_on": "2025-04-01", "address": {"postcode": "1012 AB", "house_number": 1},
                    "officers": ["T. Toezicht"]}),
            Some(&officer),
        )
        .await,
    )
    .await;
    let list = |q: &str| {
        let app = &app;
        let q = q.to_string();
        async move { ok(app.get(&format!("/v1/inspections{q}"), Some(&role_token("manager"))).await).await }
    };
    let item_ids = |v: &Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let all = list("?status=performed").await;
    assert_eq!(item_ids(&all), vec![ids[2].clone(), ids[1].clone(), ids[0].clone()], "newest first");
    assert_eq!(item_ids(&list("?urgent=true").await), vec![ids[1].clone()]);
    assert_eq!(list("?postcode=3011ab").await["items"].as_array().unwrap().len(), 3);
    assert_eq!(list("?status=planned").await["items"][0]["address"]["postcode"], "1012 AB");

    // Two pages of two, then the end.
    let page1 = list("?limit=2").await;
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap().to_string();
    let page2 = list(&format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(item_ids(&page2), vec![ids[1].clone(), ids[0].clone()]);
    assert_eq!(page2["next_cursor"], Value::Null);

    let res = app.get("/v1/inspections?postcode=30AB", Some(&officer)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "#/query/postcode");
    let res = app.get("/v1/inspections?cursor=nonsense", Some(&officer)).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = app.get("/v1/inspections?limit=0", Some(&officer)).await;
    assert_problem(res, 422, "/problems/validation").await;
    // Another municipality's officer sees none of them.
    let other = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let res: Value = app.get("/v1/inspections", Some(&other)).await.json().await.unwrap();
    assert_eq!(res["items"], json!([]));
}

async fn takeover(app: &TestApp, officer: &str, case: &str, violation: &str) -> reqwest::Response {
    let today = app.clock.today_nl().to_string();
    app.post(
        &format!("/v1/enforcement-cases/{case}/sanctions"),
        &json!({"violation_id": violation, "step": "management_takeover",
                "motivation": "Beheerovername: de woning wordt zonder vergunning verhuurd",
                "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false},
                "takeover": {"decided_on": today, "starts_on": today, "beheerder": "Woonstichting Rijnmond"}}),
        Some(officer),
    )
    .await
}

async fn no_licence_violation(app: &TestApp, s: &Setup, landlord: &str, on: &str) -> Value {
    created(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(12), "property_id": s.property_id,
                    "rule": "no_licence", "established_on": on,
                    "description": "Kamers verhuurd zonder verhuurvergunning",
                    "evidence": {"documents": ["huurcontract-kamer-1"]}}),
            Some(&s.officer),
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn a_licence_refused_while_the_dwelling_is_let_is_a_takeover_ground() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let landlord =
        ok(app.get("/v1/me", Some(&s.landlord)).await).await["landlord"]["id"].as_str().unwrap().to_string();
    let a = submitted(&app, &s).await;
    let res = app
        .patch(
            &format!("/v1/properties/{}", s.property_id),
            &json!({"missing_building_permit": true}),
            Some(&s.officer),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.clock.set(at(2025, 4, 7));
    let refused = ok(verb(
        &app,
        a["id"].as_str().unwrap(),
        "decide",
        Some(json!({"decision": "refuse", "refusal_grounds": ["missing_building_permit"], "motivation": "Geen omgevingsvergunning voor de aanbouw"})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(refused["status"], "refused");

    // Still let after the refusal: G2.
    app.clock.set(at(2025, 5, 6));
    let v = no_licence_violation(&app, &s, &landlord, "2025-05-06").await;
    let case = v["case_id"].as_str().unwrap();
    let next = ok(app.get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&s.officer)).await).await;
    assert_eq!(next["per_violation"][0]["takeover_grounds"], json!(["licence_refused_while_let"]), "{next}");
    let t = created(takeover(&app, &s.officer, case, v["id"].as_str().unwrap()).await).await;
    assert_eq!(t["kind"], "management_takeover");
    assert_eq!(t["state"]["grounds"], json!(["licence_refused_while_let"]));
}

#[tokio::test]
async fn a_revoked_licence_is_a_takeover_ground_and_without_a_ground_the_takeover_is_refused() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let landlord =
        ok(app.get("/v1/me", Some(&s.landlord)).await).await["landlord"]["id"].as_str().unwrap().to_string();
    let licence = granted_licence(&app, &s).await;

    // Letting without a licence while the licence stands is no takeover ground.
    app.clock.set(at(2025, 4, 1));
    let v = no_licence_violation(&app, &s, &landlord, "2025-04-01").await;
    let case = v["case_id"].as_str().unwrap().to_string();
    let res = takeover(&app, &s.officer, &case, v["id"].as_str().unwrap()).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("G3"), "{p}");
    let closed = app
        .post(
            &format!("/v1/violations/{}/close", v["id"].as_str().unwrap()),
            &json!({"reason": "remedied", "on": "2025-04-01"}),
            Some(&s.officer),
        )
        .await;
    assert_eq!(closed.status(), 200);

    // Revoked; the dwelling is let again: the case links the revoked licence and G3 holds.
    let res = app
        .post(
            &format!("/v1/licences/{licence}/revoke"),
            &json!({"ground": "conditions_violated", "motivation": "Herhaald meer bewoners dan toegestaan",
                    "displacement": {"occupants_displaced": 2, "replacement_housing_arranged": false}}),
            Some(&s.officer),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.clock.set(at(2025, 5, 1));
    let v = no_licence_violation(&app, &s, &landlord, "2025-05-01").await;
    let case = v["case_id"].as_str().unwrap();
    let c = ok(app.get(&format!("/v1/enforcement-cases/{case}"), Some(&s.officer)).await).await;
    assert_eq!(c["licence_id"], licence.as_str());
    let next = ok(app.get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&s.officer)).await).await;
    assert_eq!(next["per_violation"][0]["takeover_grounds"], json!(["licence_revoked"]), "{next}");
    let t = created(takeover(&app, &s.officer, case, v["id"].as_str().unwrap()).await).await;
    assert_eq!(t["state"]["grounds"], json!(["licence_revoked"]));
    assert_eq!(t["state"]["beheerder"], "Woonstichting Rijnmond");
    let mail = app.wait_for_mail_containing("beheer", 10).await;
    assert!(mail.contains("To: verhuurder@example.nl"), "{mail}");
}

#[tokio::test]
async fn exploitation_signals_make_an_inspection_urgent_until_a_referral_decision_is_recorded() {
    let app = spawn_app_at(at(2025, 3, 10)).await;
    let officer = role_token("officer");
    let landlord = app.landlord_id("uitbuiting@example.nl").await;
    let body = json!({"status": "performed", "performed_on": "2025-03-10", "address": address(20), "landlord_id": landlord,
        "officers": ["T. Toezicht"], "interpreter_used": true, "interpreter_language": "pl",
        "findings": {"rooms": [room("kamer 1", "occupant_consent", 1)],
                     "exploitation_signals": ["documents_withheld", "debts_to_employer"]}});
    let i = created(app.post("/v1/inspections", &body, Some(&officer)).await).await;
    let id = i["id"].as_str().unwrap().to_string();
    assert_eq!(i["urgent"], true, "signals alone make it urgent");
    assert_eq!(i["referral_decision_required"], true);
    assert_eq!(i["referrals"], json!([]));
    let d = ok(app.get("/v1/enforcement/dashboard", Some(&officer)).await).await;
    assert_eq!(d["inspections_awaiting_referral"], 1);
    let pending = ok(app.get("/v1/inspections?referral_pending=true", Some(&officer)).await).await;
    assert_eq!(pending["items"][0]["id"], id.as_str());
    assert!(pending["items"][0].get("referrals").is_none(), "lists leave referrals out");

    // A referral needs a date that has passed, what was shared and the legal basis.
    let url = format!("/v1/inspections/{id}/referrals");
    let referral = json!({"partner": "labour_inspectorate", "referred_on": "2025-03-11",
        "shared_data": "Adres, aantal bewoners, signalen (paspoorten ingehouden, schulden bij werkgever)",
        "legal_basis": "Convenant gegevensdeling arbeidsuitbuiting"});
    let p =
        assert_problem(app.post(&url, &referral, Some(&officer)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/referred_on");
    let mut referral = referral;
    referral["referred_on"] = json!("2025-03-10");
    let i = ok(app.post(&url, &referral, Some(&officer)).await).await;
    assert_eq!(i["referral_decision_required"], false);
    assert_eq!(i["referrals"][0]["partner"], "labour_inspectorate");
    assert_eq!(i["referrals"][0]["legal_basis"], "Convenant gegevensdeling arbeidsuitbuiting");
    let d = ok(app.get("/v1/enforcement/dashboard", Some(&officer)).await).await;
    assert_eq!(d["inspections_awaiting_referral"], 0);
    let got = ok(app.get(&format!("/v1/inspections/{id}"), Some(&role_token("manager"))).await).await;
    assert_eq!(got["referrals"].as_array().unwrap().len(), 1);

    // The violation recorded from it carries the exploitation aggravation, not unsafe housing.
    let v = created(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(20), "rule": "GR-04", "established_on": "2025-03-10",
                    "description": "Waarborgsom ingehouden op het loon", "inspection_id": id}),
            Some(&officer),
        )
        .await,
    )
    .await;
    assert_eq!(v["aggravations"], json!(["labour_exploitation"]));

    // Without signals there is no decision not to refer; a blank reason is refused.
    let plain = created(
        app.post(
            "/v1/inspections",
            &json!({"status": "performed", "performed_on": "2025-03-10", "address": address(22),
                    "officers": ["T. Toezicht"], "findings": {"rooms": [room("kamer 1", "occupant_consent", 1)]}}),
            Some(&officer),
        )
        .await,
    )
    .await;
    assert_eq!(plain["urgent"], false);
    assert_eq!(plain["referral_decision_required"], false);
    let url = format!("/v1/inspections/{}/no-referral", plain["id"].as_str().unwrap());
    let res = app.post(&url, &json!({"reason": "Geen aanwijzingen voor uitbuiting"}), Some(&officer)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res = app
        .post(&format!("/v1/inspections/{id}/no-referral"), &json!({"reason": "  "}), Some(&officer))
        .await;
    assert_problem(res, 422, "/problems/validation").await;
}
