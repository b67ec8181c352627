//! Enforcement: inspections (consent rule), violations, cases, the ladder, the fine and
//! penalty-order procedures with a controllable clock, closing without enforcement, views and
//! the role matrix.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

fn officer() -> String {
    role_token("officer")
}

fn address() -> Value {
    json!({"postcode": "3011 AB", "house_number": 10, "house_number_addition": "a"})
}

async fn violation(app: &TestApp, landlord: &str, rule: &str, established_on: &str) -> Value {
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": address(), "rule": rule, "established_on": established_on,
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2024-17"]}}),
            Some(&officer()),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn act(app: &TestApp, sanction: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/v1/sanctions/{sanction}/actions"), &body, Some(&officer())).await
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

fn deadline(s: &Value, kind: &str) -> Option<String> {
    s["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .map(|d| d["due_on"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_full_fine_procedure_runs_from_rapport_to_publication_on_the_statutory_dates() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("boete@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2025-01-06").await;
    let case = v["case_id"].as_str().unwrap();

    // Scenario 41: the first violation → warning, with the consequence text.
    let next =
        ok_json(app.get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&officer())).await).await;
    assert_eq!(next["step"], "warning");

    // Another step than proposed needs a motivation.
    let fine = json!({"violation_id": v["id"], "step": "administrative_fine",
                      "fine": {"rapport_date": "2025-01-06", "bedrijfsmatig": true}});
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer())).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/motivation");

    let mut fine = fine;
    fine["motivation"] = json!("Bewuste en herhaalde overtreding bij een bedrijfsmatige verhuurder");
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer())).await;
    assert_eq!(res.status(), 201);
    let s: Value = res.json().await.unwrap();
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["state_name"], "rapport");
    // Scenario 47: rapport Mon 2025-01-06 → decision due 2025-04-07 (13 weeks, no Atw roll).
    assert_eq!(deadline(&s, "fine_decision_13_weeks").as_deref(), Some("2025-04-07"));

    // Scenario 48: above €340 no decision without the zienswijze step.
    let res = act(&app, &id, json!({"action": "decide", "decided_on": "2025-01-06", "notified_on": "2025-01-06", "amount_cents": 500_000})).await;
    assert_problem(res, 422, "/problems/validation").await;
    // A date in the future is refused.
    let res = act(&app, &id, json!({"action": "send_intent", "on": "2025-01-07"})).await;
    assert_problem(res, 422, "/problems/validation").await;

    let s = ok_json(act(&app, &id, json!({"action": "send_intent", "on": "2025-01-06"})).await).await;
    assert_eq!(deadline(&s, "zienswijze_term").as_deref(), Some("2025-01-20"));
    // Deciding while the zienswijze term runs is refused.
    let res = act(&app, &id, json!({"action": "decide", "decided_on": "2025-01-06", "notified_on": "2025-01-06", "amount_cents": 500_000})).await;
    assert_problem(res, 422, "/problems/validation").await;

    // After the zienswijze term the 13-week decision limit is the running deadline.
    app.clock.advance(Duration::days(26)); // 2025-02-01
    let d = ok_json(app.get("/v1/enforcement/dashboard?days=90", Some(&officer())).await).await;
    assert_eq!(d["upcoming_deadlines"][0]["deadline_kind"], "fine_decision_13_weeks", "{d}");
    assert_eq!(d["upcoming_deadlines"][0]["due_on"], "2025-04-07");
    assert_eq!(d["overdue"].as_array().unwrap().len(), 0);
    app.clock.advance(Duration::days(65)); // 2025-04-07
                                           // Scenario 43: €30,000 for a first violation of 2025 exceeds the cap of €25,750.
    let res = act(&app, &id, json!({"action": "decide", "decided_on": "2025-04-07", "notified_on": "2025-04-07", "amount_cents": 3_000_000})).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert!(body["errors"][0]["reason"].as_str().unwrap().contains("25750.00"), "{body}");

    // Scenario 51: notified Mon 2025-04-07 → payment due 2025-05-19.
    let s = ok_json(act(&app, &id, json!({"action": "decide", "decided_on": "2025-04-07", "notified_on": "2025-04-07", "amount_cents": 500_000})).await).await;
    assert_eq!(s["state_name"], "decided");
    assert_eq!(s["amount_cents"], 500_000);
    assert_eq!(deadline(&s, "payment").as_deref(), Some("2025-05-19"));
    assert!(s["allowed_actions"].as_array().unwrap().contains(&json!("lodge_objection")));

    // The landlord sees the fine and its deadlines; the notices went through the outbox.
    let mine = ok_json(app.get("/v1/me/sanctions", Some(&landlord_token(&landlord))).await).await;
    assert_eq!(mine["items"][0]["id"], id.as_str());
    assert_eq!(mine["items"][0]["deadlines"][0]["kind"], "payment");
    let other = ok_json(app.get("/v1/me/sanctions", Some(&landlord_token("someone-else"))).await).await;
    assert_eq!(other["items"].as_array().unwrap().len(), 0);
    let mails = app.wait_for_mail(3, 10).await; // welcome + intent + decision
    assert!(mails.iter().any(|m| m.contains("Voornemen bestuurlijke boete")), "{mails:?}");
    assert!(mails.iter().any(|m| m.contains("Besluit bestuurlijke boete")));

    // Final only after the objection term (ends 2025-05-19); then published.
    let res = act(&app, &id, json!({"action": "become_final", "on": "2025-04-08"})).await;
    assert_problem(res, 422, "/problems/validation").await;
    app.clock.advance(Duration::days(45)); // 2025-05-22
    let res = act(&app, &id, json!({"action": "become_final", "on": "2025-05-19"})).await;
    assert_problem(res, 422, "/problems/validation").await;
    let s = ok_json(act(&app, &id, json!({"action": "become_final", "on": "2025-05-20"})).await).await;
    assert_eq!(s["state_name"], "final");
    // Every publication ends: without a policy term the date is required (rules.md §4.7).
    let res = act(&app, &id, json!({"action": "publish", "on": "2025-05-22"})).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/expires_on");
    let s = ok_json(
        act(&app, &id, json!({"action": "publish", "on": "2025-05-22", "expires_on": "2026-05-22"})).await,
    )
    .await;
    assert_eq!(s["state_name"], "published");
    assert_eq!(deadline(&s, "publication_expires").as_deref(), Some("2026-05-22"));
    let res = act(&app, &id, json!({"action": "publish", "on": "2025-05-22"})).await;
    let body = assert_problem(res, 409, "/problems/conflict").await;
    assert!(body["allowed_actions"].is_array());

    // Scenario 49: no second fine for the same violation (Awb 5:43).
    let mut again = fine.clone();
    again["fine"]["rapport_date"] = json!("2025-05-22");
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &again, Some(&officer())).await;
    let body = assert_problem(res, 409, "/problems/conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("5:43"));

    // History: the fine, recidive window, prior enforcement; the dashboard lists the landlord.
    let h =
        ok_json(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&role_token("manager"))).await)
            .await;
    assert_eq!(h["landlord_id"], landlord.as_str());
    assert_eq!(h["violations_total"], 1);
    assert_eq!(h["fines"].as_array().unwrap().len(), 1);
    assert_eq!(h["fines"][0]["amount_cents"], 500_000);
    assert_eq!(h["fines"][0]["decision_date"], "2025-04-07");
    assert_eq!(h["recent_sanctions"][0]["state_name"], "published");
    assert_eq!(h["recent_sanctions"][0]["final_date"], "2025-05-20");
    assert_eq!(
        h["recent_sanctions"][0]["next_deadline"],
        json!({"kind": "publication_expires", "due_on": "2026-05-22"}),
        "{h}"
    );
    assert_eq!(h["recidive"]["recidive_now"], true);
    assert_eq!(h["recidive"]["window_ends_on"], "2029-04-07");
    assert_eq!(h["prior_enforcement"]["present"], true);
    let d = ok_json(app.get("/v1/enforcement/dashboard", Some(&officer())).await).await;
    assert_eq!(d["landlords_with_recidive"][0]["landlord_id"], landlord.as_str());

    // Scenario 45: a new violation on 2025-10-01 after that fine is recidive.
    app.clock.set(at("2025-10-01"));
    let v2 = violation(&app, &landlord, "GR-06", "2025-10-01").await;
    let next = ok_json(
        app.get(
            &format!("/v1/enforcement-cases/{}/next-step", v2["case_id"].as_str().unwrap()),
            Some(&officer()),
        )
        .await,
    )
    .await;
    let p = next["per_violation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["violation_id"] == v2["id"])
        .unwrap()
        .clone();
    assert_eq!(p["step"], "recidive_fine", "{next}");
    assert_eq!(p["recidive"]["is_recidive"], true);
}

#[tokio::test]
async fn the_penalty_order_procedure_forfeits_per_the_order_and_needs_a_collection_decision_before_a_reminder(
) {
    let app = spawn_app_at(at("2025-05-06")).await;
    let landlord = app.landlord_id("lod@example.nl").await;
    let v = violation(&app, &landlord, "overcrowding", "2025-05-01").await;
    let case = v["case_id"].as_str().unwrap();
    let mut body = json!({"violation_id": v["id"], "step": "penalty_order",
        "motivation": "Overbewoning moet direct eindigen; een waarschuwing volstaat niet",
        "penalty_order": {"issued_on": "2025-05-06", "remedial_measures": ["Terugbrengen tot 4 bewoners"],
            "purpose": "end_ongoing_violation", "sum_kind": {"kind": "once"}, "amount_cents": 500_000}});
    // Scenario 53: an LOD against an ongoing violation needs a begunstigingstermijn.
    body["displacement"] = json!({"occupants_displaced": 2, "replacement_housing_arranged": true});
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &body, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/penalty_order/begunstigingstermijn_days");
    body["penalty_order"]["begunstigingstermijn_days"] = json!(28);
    // A displacing step records the occupants displaced and replacement housing.
    let mut no_displacement = body.clone();
    no_displacement.as_object_mut().unwrap().remove("displacement");
    let res = app
        .post(&format!("/v1/enforcement-cases/{case}/sanctions"), &no_displacement, Some(&officer()))
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/displacement");

    let s =
        ok_json(app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &body, Some(&officer())).await)
            .await;
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["state_name"], "in_force");
    // A second penalty order for the same violation while the first runs is refused.
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &body, Some(&officer())).await;
    assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(s["displacement"]["occupants_displaced"], 2);
    assert_eq!(deadline(&s, "begunstigingstermijn").as_deref(), Some("2025-06-03"));

    // Scenario 52: inspection on 2025-06-05 finds non-compliance since 2025-06-04.
    app.clock.set(at("2025-06-05"));
    let s = ok_json(
        act(
            &app,
            &id,
            json!({"action": "record_follow_up", "inspected_on": "2025-06-05", "compliant": false,
                             "non_compliant_since": "2025-06-04"}),
        )
        .await,
    )
    .await;
    assert_eq!(s["state_name"], "forfeited");
    let f = &s["state"]["forfeitures"][0];
    assert_eq!(f["forfeited_on"], "2025-06-04");
    assert_eq!(f["amount"], 500_000);
    assert_eq!(f["payable_by"], "2025-07-16");
    assert_eq!(f["collection_lapses_on"], "2026-06-04");
    // The lump sum was its maximum: the order is spent, so the ladder may propose a next step
    // for the violation (a new order, a fine) while the sum is collected.
    let next =
        ok_json(app.get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&officer())).await).await;
    assert_eq!(next["per_violation"][0]["running"], json!([]), "{next}");
    assert!(next["per_violation"][0]["step"].is_string(), "{next}");
    // No reminder before the invorderingsbeschikking (Awb 5:37).
    let res = act(&app, &id, json!({"action": "send_reminder", "on": "2025-06-05"})).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["allowed_actions"].as_array().unwrap().contains(&json!("decide_collection")));
    let s = ok_json(act(&app, &id, json!({"action": "decide_collection", "on": "2025-06-05"})).await).await;
    assert_eq!(s["state_name"], "collection_decided");
    // A reminder only after the payment term.
    app.clock.set(at("2025-07-20"));
    let res = act(&app, &id, json!({"action": "send_reminder", "on": "2025-07-16"})).await;
    assert_problem(res, 422, "/problems/validation").await;
    let s = ok_json(act(&app, &id, json!({"action": "send_reminder", "on": "2025-07-17"})).await).await;
    assert_eq!(s["state_name"], "reminder_sent");
    let mails = app.wait_for_mail(4, 10).await; // welcome + order + forfeiture + collection
    assert!(mails.iter().any(|m| m.contains("Last onder dwangsom")));
    assert!(mails.iter().any(|m| m.contains("Verbeurde dwangsom")));
    assert!(mails.iter().any(|m| m.contains("Invorderingsbeschikking")));

    // Carrousel (scenario 58): the case and the order belong to landlord + address; a new
    // violation at the address joins the same case.
    let v2 = violation(&app, &landlord, "GR-04", "2025-07-20").await;
    assert_eq!(v2["case_id"], case);
    let c = ok_json(app.get(&format!("/v1/enforcement-cases/{case}"), Some(&officer())).await).await;
    assert_eq!(c["status"], "open");
    assert_eq!(c["stage"], "penalty_order");
    assert_eq!(c["violations"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_per_day_penalty_order_keeps_forfeiting_after_a_collection_decision_and_each_sum_needs_its_own() {
    let app = spawn_app_at(at("2025-05-06")).await;
    let landlord = app.landlord_id("perdag@example.nl").await;
    let v = violation(&app, &landlord, "overcrowding", "2025-05-01").await;
    let case = v["case_id"].as_str().unwrap();
    let body = json!({"violation_id": v["id"], "step": "penalty_order",
        "motivation": "Overbewoning moet eindigen; dwangsom per dag tot het maximum",
        "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false},
        "penalty_order": {"issued_on": "2025-05-06", "remedial_measures": ["Terugbrengen tot 4 bewoners"],
            "purpose": "end_ongoing_violation", "begunstigingstermijn_days": 28,
            "sum_kind": {"kind": "per_time_unit", "unit": "day"}, "amount_cents": 50_000, "maximum_cents": 500_000}});
    let s =
        ok_json(app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &body, Some(&officer())).await)
            .await;
    let id = s["id"].as_str().unwrap().to_string();

    // Non-compliant since the first day after the term (2025-06-04): three days forfeited.
    app.clock.set(at("2025-06-06"));
    let follow_up = |on: &str| json!({"action": "record_follow_up", "inspected_on": on, "compliant": false, "non_compliant_since": "2025-06-04"});
    let s = ok_json(act(&app, &id, follow_up("2025-06-06")).await).await;
    assert_eq!(s["state_name"], "forfeited");
    assert_eq!(s["state"]["forfeitures"].as_array().unwrap().len(), 3);
    let s = ok_json(act(&app, &id, json!({"action": "decide_collection", "on": "2025-06-06"})).await).await;
    assert_eq!(s["state_name"], "collection_decided");
    assert!(s["allowed_actions"].as_array().unwrap().contains(&json!("record_follow_up")), "{s}");

    // The order still binds: four more days by 2025-06-10, which need their own decision.
    app.clock.set(at("2025-06-10"));
    let s = ok_json(act(&app, &id, follow_up("2025-06-10")).await).await;
    assert_eq!(s["state_name"], "forfeited", "{s}");
    let f = s["state"]["forfeitures"].as_array().unwrap();
    assert_eq!(f.len(), 7);
    assert_eq!(f[6]["forfeited_on"], "2025-06-10");
    assert!(f[0]["collection_decided_on"].is_string() && f[6]["collection_decided_on"].is_null());
    // Follow-ups are recorded in date order.
    let res = act(&app, &id, follow_up("2025-06-08")).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/inspected_on");
    ok_json(act(&app, &id, json!({"action": "decide_collection", "on": "2025-06-10"})).await).await;

    // A reminder on 2025-07-18 reaches the sums whose 6-week term has passed (06-04 and 06-05).
    app.clock.set(at("2025-07-18"));
    let s = ok_json(act(&app, &id, json!({"action": "send_reminder", "on": "2025-07-18"})).await).await;
    let reminded =
        s["state"]["forfeitures"].as_array().unwrap().iter().filter(|f| f["reminder_on"].is_string()).count();
    assert_eq!(reminded, 2, "{s}");
    assert_eq!(s["state_name"], "collection_decided");
    assert_eq!(deadline(&s, "forfeiture_payment").as_deref(), Some("2025-07-18"));

    // Payment settles every sum; below the maximum the order binds on; compliance is recorded.
    let s = ok_json(act(&app, &id, json!({"action": "record_payment", "on": "2025-07-18"})).await).await;
    assert_eq!(s["state_name"], "in_force");
    let s = ok_json(
        act(
            &app,
            &id,
            json!({"action": "record_follow_up", "inspected_on": "2025-07-18", "compliant": true}),
        )
        .await,
    )
    .await;
    assert_eq!(s["state"]["complied_on"], "2025-07-18");
    assert_eq!(s["deadlines"], json!([]));
    app.wait_for_mail_containing("Aanmaning", 10).await;
    let mails: Vec<String> = app.mails().into_iter().map(|m| m.replace("=\r\n", "")).collect();
    assert!(mails.iter().any(|m| m.contains("Verbeurde dwangsom")), "{mails:?}");
    let decisions = mails.iter().filter(|m| m.contains("Invorderingsbeschikking")).count();
    assert_eq!(decisions, 2, "one collection decision per batch of sums");
}

#[tokio::test]
async fn findings_for_a_room_without_consent_or_warrant_are_refused_and_evaluation_proposes_violations() {
    let app = spawn_app_at(at("2025-03-10")).await;
    let landlord = app.landlord_id("insp@example.nl").await;
    let room = |label: &str, basis: &str, occupants: u32| json!({"label": label, "entry_basis": basis, "sleeping_room": true, "occupants": occupants, "area_dm2": 800});
    let mut body = json!({"status": "performed", "performed_on": "2025-03-10", "address": address(),
        "landlord_id": landlord, "officers": ["T. Toezicht"], "interpreter_used": true, "interpreter_language": "pl",
        "findings": {"rooms": [room("kamer 1", "occupant_consent", 1), room("kamer 2", "not_entered", 2)],
                     "usable_floor_area_dm2": 2000}});
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
                    "numbers": {"norm": "floor_area_per_person", "required": 3600, "present": 2000, "unit": "square_decimetres"}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(v["aggravations"], json!(["unsafe_housing"]));
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
}

#[tokio::test]
async fn an_unlawful_step_is_refused_with_the_reason_and_a_missing_fine_table_names_the_date() {
    let app = spawn_app_at(at("2026-03-02")).await;
    let landlord = app.landlord_id("onrechtmatig@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2026-03-01").await;
    let case = v["case_id"].as_str().unwrap();
    let url = format!("/v1/enforcement-cases/{case}/sanctions");
    let motivation = "Motivering van de gekozen stap door de toezichthouder";
    let res = app
        .post(
            &url,
            &json!({"violation_id": v["id"], "step": "management_takeover", "motivation": motivation,
            "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false},
            "takeover": {"decided_on": "2026-03-02", "starts_on": "2026-03-02", "beheerder": "B&W"}}),
            Some(&officer()),
        )
        .await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("beheerovername"), "{p}");
    let res = app
        .post(
            &url,
            &json!({"violation_id": v["id"], "step": "recidive_fine", "motivation": motivation,
            "fine": {"rapport_date": "2026-03-02", "bedrijfsmatig": false}}),
            Some(&officer()),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
    // No fine table is shipped for 2026 (amounts UNCONFIRMED): a clear 422 naming the date.
    let res = app
        .post(
            &url,
            &json!({"violation_id": v["id"], "step": "administrative_fine", "motivation": motivation,
            "fine": {"rapport_date": "2026-03-02", "bedrijfsmatig": false}}),
            Some(&officer()),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("2026-03-01"), "{p}");
    // A warning (least intrusive) is always lawful; its remedy term shows on the dashboard.
    let w = ok_json(
        app.post(
            &url,
            &json!({"violation_id": v["id"], "step": "warning", "warning": {"issued_on": "2026-03-02"}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(deadline(&w, "remedy_term").as_deref(), Some("2026-04-13"));
    let h =
        ok_json(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&role_token("manager"))).await)
            .await;
    assert_eq!(h["recent_sanctions"][0]["kind"], "warning");
    assert_eq!(
        h["recent_sanctions"][0]["next_deadline"],
        json!({"kind": "remedy_term", "due_on": "2026-04-13"})
    );
    let d = ok_json(app.get("/v1/enforcement/dashboard?days=60", Some(&role_token("manager"))).await).await;
    assert_eq!(d["open_cases_by_stage"][0]["key"], "warning");
    assert_eq!(d["upcoming_deadlines"][0]["deadline_kind"], "remedy_term");
    let next =
        ok_json(app.get(&format!("/v1/enforcement-cases/{case}/next-step"), Some(&officer())).await).await;
    assert_eq!(next["step"], "await_remedy_term");
    // After the remedy term without a follow-up the warning is overdue.
    app.clock.set(at("2026-04-20"));
    let d = ok_json(app.get("/v1/enforcement/dashboard", Some(&role_token("manager"))).await).await;
    assert_eq!(d["overdue"][0]["deadline_kind"], "remedy_term", "{d}");
    assert_eq!(d["overdue"][0]["due_on"], "2026-04-13");
}

#[tokio::test]
async fn a_municipal_fine_table_in_the_policy_file_allows_fines_for_its_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.json");
    std::fs::write(
        &path,
        r#"{"fines": {"general_rule_tables": [{"valid_from": "2026-01-01", "valid_until": null,
            "first_offence_cap": 2700000, "recidive_cap": 10800000, "source": "test"}]}}"#,
    )
    .unwrap();
    let mut extra = std::collections::HashMap::new();
    extra.insert("HUURTOEZICHT_ENFORCEMENT_POLICY_FILE".to_string(), path.display().to_string());
    let app = spawn_app_with(extra, huurtoezicht::clock::Clock::fixed(at("2026-03-02"))).await;
    let landlord = app.landlord_id("beleid@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2026-03-01").await;
    let res = app
        .post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": "administrative_fine", "motivation": "Motivering van de gekozen stap door de toezichthouder",
                    "fine": {"rapport_date": "2026-03-02", "bedrijfsmatig": false}}),
            Some(&officer()),
        )
        .await;
    assert_eq!(res.status(), 201);
    let policy = ok_json(app.get("/v1/enforcement/policy", Some(&officer())).await).await;
    assert_eq!(policy["fines"]["general_rule_tables"][0]["first_offence_cap"], 2_700_000);
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
    assert_eq!((v["required"].as_u64(), v["present"].as_u64()), (Some(7200), Some(6000)), "{e}");
    assert_eq!(e["urgent"], false);
    // Another address than the property's is refused.
    let mut wrong = body.clone();
    wrong["address"]["house_number"] = json!(11);
    let res = app.post("/v1/inspections", &wrong, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/property_id");
}
