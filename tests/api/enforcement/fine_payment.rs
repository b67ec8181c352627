//! Payment of an administrative fine: partial payments, the outstanding amount and the payment
//! deadline, over-payment and payment of an annulled fine.

use super::*;

/// A fine of €300 for a new violation, decided on 2025-01-06 (below €340: no zienswijze needed).
async fn decided_fine(app: &TestApp, landlord: &str, rule: &str) -> String {
    let v = violation(app, landlord, rule, "2025-01-06").await;
    let case = v["case_id"].as_str().unwrap();
    let fine = json!({"violation_id": v["id"], "step": "administrative_fine",
        "motivation": "Bewuste overtreding bij een bedrijfsmatige verhuurder",
        "fine": {"rapport_date": "2025-01-06", "bedrijfsmatig": true}});
    let res = app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer())).await;
    let s = ok_json(res).await;
    let id = s["id"].as_str().unwrap().to_string();
    let body = json!({"action": "decide", "decided_on": "2025-01-06", "notified_on": "2025-01-06",
        "amount_cents": 30_000});
    let s = ok_json(act(app, &id, body).await).await;
    assert_eq!(s["state_name"], "decided");
    id
}

fn pay(on: &str, cents: i64) -> Value {
    json!({"action": "record_payment", "on": on, "amount_cents": cents})
}

fn allows_payment(s: &Value) -> bool {
    s["allowed_actions"].as_array().unwrap().contains(&json!("record_payment"))
}

#[tokio::test]
async fn a_decided_fine_is_paid_in_parts_until_nothing_is_outstanding() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("betaler@example.nl").await;
    let id = decided_fine(&app, &landlord, "GR-04").await;
    let s = ok_json(app.get(&format!("/v1/sanctions/{id}"), Some(&officer())).await).await;
    assert!(allows_payment(&s), "{s}");
    assert_eq!(s["state"]["decision"]["paid_cents"], 0);
    assert_eq!(s["state"]["decision"]["outstanding_cents"], 30_000);
    app.clock.advance(Duration::days(10)); // 2025-01-16

    // The amount is required; a payment before the decision or in the future is refused.
    let res = act(&app, &id, json!({"action": "record_payment", "on": "2025-01-10"})).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/amount_cents");
    let p = assert_problem(act(&app, &id, pay("2025-01-05", 100)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/on");
    let p = assert_problem(act(&app, &id, pay("2025-01-17", 100)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/on");

    let s = ok_json(act(&app, &id, pay("2025-01-10", 10_000)).await).await;
    assert_eq!(s["state_name"], "decided");
    assert_eq!(s["state"]["decision"]["paid_cents"], 10_000);
    assert_eq!(s["state"]["decision"]["outstanding_cents"], 20_000);
    assert_eq!(deadline(&s, "payment").as_deref(), Some("2025-02-17"), "{s}");
    assert!(allows_payment(&s));

    // More than the €200 still to be paid.
    let p =
        assert_problem(act(&app, &id, pay("2025-01-15", 20_001)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/amount_cents");
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("200.00"), "{p}");

    let s = ok_json(act(&app, &id, pay("2025-01-15", 20_000)).await).await;
    let decision = &s["state"]["decision"];
    assert_eq!(decision["paid_cents"], 30_000);
    assert_eq!(decision["outstanding_cents"], 0);
    assert_eq!(
        decision["payments"],
        json!([{"paid_on": "2025-01-10", "amount": 10_000}, {"paid_on": "2025-01-15", "amount": 20_000}])
    );
    // Paid in full: no payment deadline, no further payment; the objection term still runs.
    assert_eq!(deadline(&s, "payment"), None);
    assert!(deadline(&s, "objection_term").is_some());
    assert!(!allows_payment(&s));
    let body = assert_problem(act(&app, &id, pay("2025-01-16", 1)).await, 409, "/problems/conflict").await;
    assert!(body["allowed_actions"].as_array().unwrap().contains(&json!("lodge_objection")), "{body}");
}

#[tokio::test]
async fn an_annulled_or_undecided_fine_cannot_be_paid() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("geannuleerd@example.nl").await;
    let id = decided_fine(&app, &landlord, "GR-04").await;
    let s = ok_json(act(&app, &id, pay("2025-01-06", 5_000)).await).await;
    assert_eq!(s["state"]["decision"]["paid_cents"], 5_000);
    let s = ok_json(act(&app, &id, json!({"action": "annul", "on": "2025-01-06"})).await).await;
    assert_eq!(s["state_name"], "annulled");
    assert!(!allows_payment(&s));
    let body = assert_problem(act(&app, &id, pay("2025-01-06", 100)).await, 409, "/problems/conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("annulled"), "{body}");
    // Without an amount it is the same conflict, not a validation error.
    let res = act(&app, &id, json!({"action": "record_payment", "on": "2025-01-06"})).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // A fine at the rapport stage has nothing to pay yet.
    let v = violation(&app, &landlord, "GR-05", "2025-01-06").await;
    let case = v["case_id"].as_str().unwrap();
    let fine = json!({"violation_id": v["id"], "step": "administrative_fine",
        "motivation": "Bewuste overtreding bij een bedrijfsmatige verhuurder",
        "fine": {"rapport_date": "2025-01-06", "bedrijfsmatig": true}});
    let s =
        ok_json(app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer())).await)
            .await;
    let rapport = s["id"].as_str().unwrap();
    assert_problem(act(&app, rapport, pay("2025-01-06", 100)).await, 409, "/problems/conflict").await;
}
