//! The penalty order procedure: forfeitures, collection decisions, reminders.

use super::*;

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
