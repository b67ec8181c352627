//! The administrative fine procedure, the ladder's refusals and the fine tables.

use super::*;

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
    assert_eq!(h["fines"][0]["decided_on"], "2025-04-07");
    assert_eq!(h["recent_sanctions"][0]["state_name"], "published");
    assert_eq!(h["recent_sanctions"][0]["final_on"], "2025-05-20");
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
