//! An objection against a fine: the fine's procedure records it too; a late one is flagged for
//! the Awb 6:11 decision. Fine made known Tuesday 21 January 2025 (the fine tables cover 2025):
//! the objection term ends Tuesday 4 March; the decision is due 6 weeks from 5 March: Tuesday
//! 15 April 2025.

use serde_json::{json, Value};

use super::{at, ok_json};
use crate::helpers::*;

async fn decided_fine(app: &TestApp, landlord: &str) -> String {
    let officer = role_token("officer");
    let v = ok_json(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 10},
                    "rule": "GR-04", "established_on": "2025-01-06",
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2025-17"]}}),
            Some(&officer),
        )
        .await,
        201,
    )
    .await;
    let case = v["case_id"].as_str().unwrap();
    let fine = json!({"violation_id": v["id"], "step": "administrative_fine", "motivation": "Bewuste en herhaalde overtreding bij een bedrijfsmatige verhuurder",
                      "fine": {"rapport_date": "2025-01-06", "bedrijfsmatig": true}});
    let s = ok_json(
        app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer)).await,
        201,
    )
    .await;
    let id = s["id"].as_str().unwrap().to_string();
    let act = |body: Value| {
        let (path, officer) = (format!("/v1/sanctions/{id}/actions"), officer.clone());
        async move { app.post(&path, &body, Some(&officer)).await }
    };
    ok_json(act(json!({"action": "send_intent", "on": "2025-01-06"})).await, 200).await;
    app.clock.set(at(2025, 1, 21));
    let body = json!({"action": "decide", "decided_on": "2025-01-21", "notified_on": "2025-01-21", "amount_cents": 500_000});
    let s = ok_json(act(body).await, 200).await;
    assert_eq!(s["state_name"], "decided");
    id
}

#[tokio::test]
async fn an_objection_against_a_fine_moves_the_fine_and_a_late_one_awaits_the_excuse_decision() {
    let app = spawn_app_at(at(2025, 1, 6)).await;
    let landlord = app.landlord_id("boete@example.nl").await;
    let fine = decided_fine(&app, &landlord).await;
    let officer = role_token("officer");
    let body = |received_on: &str| {
        json!({"besluit": {"kind": "fine", "id": fine}, "received_on": received_on,
               "lodged_by": {"kind": "addressee", "description": "de verhuurder"}})
    };

    app.clock.set(at(2025, 2, 3));
    let o = ok_json(app.post("/v1/objections", &body("2025-02-03"), Some(&officer)).await, 201).await;
    assert_eq!(o["objection_term_ends_on"], "2025-03-04");
    assert_eq!(o["decision_due_on"], "2025-04-15");
    assert_eq!(o["on_time"], true);
    let s = ok_json(app.get(&format!("/v1/sanctions/{fine}"), Some(&officer)).await, 200).await;
    assert_eq!(s["state_name"], "objection_lodged");

    // Received Thursday 6 March: late; the term counts from 7 March: Thursday 17 April.
    app.clock.set(at(2025, 3, 6));
    let late = ok_json(app.post("/v1/objections", &body("2025-03-06"), Some(&officer)).await, 201).await;
    assert_eq!(late["on_time"], false);
    assert_eq!(late["decision_due_on"], "2025-04-17");
    let allowed = late["allowed_actions"].as_array().unwrap();
    assert!(
        allowed.contains(&json!("record_excuse_decision")) && !allowed.contains(&json!("decide")),
        "{late}"
    );
    // Both are on the enforcement dashboard (soonest first), none on the licensing one.
    let enf = ok_json(app.get("/v1/enforcement/dashboard?days=60", Some(&officer)).await, 200).await;
    let due: Vec<(&str, &str)> = enf["objection_deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["besluit_kind"].as_str().unwrap(), d["decision_due_on"].as_str().unwrap()))
        .collect();
    assert_eq!(due, [("fine", "2025-04-15"), ("fine", "2025-04-17")], "{enf}");
    let lic = ok_json(app.get("/v1/licensing/dashboard?days=60", Some(&officer)).await, 200).await;
    assert_eq!(lic["objection_deadlines"], json!([]), "{lic}");
    app.wait_for_mail_containing("verschoonbaar", 5).await;

    let id = late["id"].as_str().unwrap();
    let path = format!("/v1/objections/{id}/actions");
    let o = ok_json(
        app.post(
            &path,
            &json!({"action": "record_excuse_decision", "on": "2025-03-06", "excusable": false}),
            Some(&officer),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(o["excusable"], false);
    let decide = |outcome: &str| json!({"action": "decide", "decided_on": "2025-03-06", "notified_on": "2025-03-06", "outcome": outcome});
    let p = assert_problem(
        app.post(&path, &decide("unfounded"), Some(&officer)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/outcome");
    let o = ok_json(app.post(&path, &decide("inadmissible"), Some(&officer)).await, 200).await;
    assert_eq!(o["outcome"], "inadmissible");

    // The landlord sees both, with their due dates.
    let mine = ok_json(app.get("/v1/me/objections", Some(&landlord_token(&landlord))).await, 200).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    assert_eq!(mine["items"][0]["besluit"]["kind"], "fine");
}
