//! Wet Bibob: only the Bibob officer sees the check; the LBB request suspends the decision term
//! and notifies the applicant without content; Bibob refusals and conditions need a zienswijze.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, ok, setup, submitted, verb, wait_for_mail_with};

const SECRET_FINDING: &str = "Zwart geld via vastgoed-BV Geheim";

async fn bibob(app: &TestApp, id: &str, token: &str, body: Value) -> Value {
    let res = app.put(&format!("/v1/licence-applications/{id}/bibob"), &body, Some(token)).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn only_the_bibob_officer_reads_and_writes_the_check() {
    let app = spawn_app().await;
    let path = "/v1/licence-applications/00000000-0000-0000-0000-000000000000/bibob";
    assert_role_matrix(&app, Method::GET, path, &json!({}), &["bibob_officer"]).await;
    assert_role_matrix(&app, Method::PUT, path, &json!({}), &["bibob_officer"]).await;
}

#[tokio::test]
async fn lbb_advice_suspends_the_term_and_tells_the_applicant_nothing_of_the_content() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();

    let b: Value =
        app.get(&format!("/v1/licence-applications/{id}/bibob"), Some(&bo)).await.json().await.unwrap();
    assert_eq!(b["status"], "not_started");
    bibob(&app, id, &bo, json!({"action": "send_questionnaire", "findings": SECRET_FINDING})).await;
    bibob(&app, id, &bo, json!({"action": "receive_questionnaire"})).await;
    let res = app
        .put(
            &format!("/v1/licence-applications/{id}/bibob"),
            &json!({"action": "send_questionnaire"}),
            Some(&bo),
        )
        .await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!(["start_own_investigation", "request_lbb_advice", "complete"]));

    // Scenario 16 and 20: LBB advice requested 2025-03-17 → applicant told (art. 32).
    app.clock.set(at(2025, 3, 17));
    let b = bibob(&app, id, &bo, json!({"action": "request_lbb_advice"})).await;
    assert_eq!(b["status"], "lbb_advice_requested");
    assert_eq!(b["lbb_requested_on"], "2025-03-17");
    let officer_view: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(officer_view["bibob_pending"], true);
    assert_eq!(officer_view["suspended"], true);
    let res = verb(&app, id, "decide", Some(json!({"decision": "grant"})), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;

    let lbb = wait_for_mail_with(&app, "Landelijk Bureau Bibob").await;
    assert!(lbb.contains("To: verhuurder@example.nl"));
    for m in app.mails() {
        let m = m.replace("=\r\n", "");
        assert!(!m.contains("Zwart geld") && !m.contains("questionnaire"), "{m}");
    }

    // Advice received 2025-05-05 (49 days) → due 2025-06-16.
    app.clock.set(at(2025, 5, 5));
    let b = bibob(&app, id, &bo, json!({"action": "complete", "outcome": "no_danger"})).await;
    assert_eq!(b["outcome"], "no_danger");
    assert_eq!(b["findings"], SECRET_FINDING);
    let a: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(a["decision_due_on"], "2025-06-16");
    assert_eq!(a["bibob_pending"], false);

    // Scenario 15: no danger and no other flags → grant.
    let a = ok(verb(&app, id, "decide", Some(json!({"decision": "grant"})), &s.officer).await).await;
    assert_eq!(a["status"], "granted");

    // Nothing of the content anywhere else: application, assessment, audit trail.
    for (path, token) in [
        (format!("/v1/licence-applications/{id}"), &s.officer),
        (format!("/v1/licence-applications/{id}/assessment"), &s.officer),
        (format!("/v1/licence-applications/{id}"), &s.landlord),
        ("/v1/audit?limit=200".to_string(), &manager),
    ] {
        let text = app.get(&path, Some(token)).await.text().await.unwrap();
        assert!(!text.contains("no_danger") && !text.contains("Zwart geld"), "{path}: {text}");
    }
}

#[tokio::test]
async fn a_bibob_refusal_needs_serious_danger_a_prior_zienswijze_and_proportionality() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    bibob(&app, id, &bo, json!({"action": "start_own_investigation"})).await;
    bibob(&app, id, &bo, json!({"action": "complete", "outcome": "serious_danger_a"})).await;

    // Scenario 13: no zienswijze yet, no proportionality motivation.
    let refuse = json!({"decision": "refuse", "refusal_grounds": ["bibob_serious_danger"], "motivation": "Ernstig gevaar"});
    let res = verb(&app, id, "decide", Some(refuse.clone()), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, vec!["/decision", "/proportionality_motivation"]);

    app.clock.set(at(2025, 3, 10));
    bibob(&app, id, &bo, json!({"zienswijze_invited_on": "2025-03-10"})).await;
    app.clock.set(at(2025, 3, 25));
    let mut refuse = refuse;
    refuse["proportionality_motivation"] = json!("Geen lichter middel volstaat");
    let a = ok(verb(&app, id, "decide", Some(refuse), &s.officer).await).await;
    assert_eq!(a["status"], "refused");
}

#[tokio::test]
async fn lesser_danger_allows_no_bibob_refusal_and_conditions_only_after_a_zienswijze() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    bibob(&app, id, &bo, json!({"action": "complete", "outcome": "lesser_danger"})).await;

    // Scenario 14.
    let res = verb(
        &app,
        id,
        "decide",
        Some(json!({"decision": "refuse", "refusal_grounds": ["bibob_serious_danger"], "motivation": "x", "proportionality_motivation": "y"})),
        &s.officer,
    )
    .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert!(p["errors"].as_array().unwrap().iter().any(|e| e["pointer"] == "/refusal_grounds"));
    let conditions = json!({"decision": "grant_with_conditions",
        "conditions": [{"kind": "bibob_danger_limitation", "text": "Jaarlijks accountantsverklaring overleggen"}]});
    let res = verb(&app, id, "decide", Some(conditions.clone()), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/decision");
    bibob(&app, id, &bo, json!({"zienswijze_invited_on": "2025-03-03"})).await;
    app.clock.set(at(2025, 3, 20));
    let a = ok(verb(&app, id, "decide", Some(conditions), &s.officer).await).await;
    assert_eq!(a["status"], "granted_with_conditions");
}

#[tokio::test]
async fn the_lbb_extension_is_capped_at_four_weeks() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();
    bibob(&app, id, &bo, json!({"action": "send_questionnaire"})).await;
    bibob(&app, id, &bo, json!({"action": "receive_questionnaire"})).await;
    app.clock.set(at(2025, 3, 17));
    bibob(&app, id, &bo, json!({"action": "request_lbb_advice"})).await;
    let a: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&s.officer)).await.json().await.unwrap();
    // At most 8 weeks of suspension: 2025-04-28 + 56 days = 2025-06-23.
    assert_eq!(a["decision_due_on"], "2025-06-23");
    let res = app
        .put(&format!("/v1/licence-applications/{id}/bibob"), &json!({"lbb_extension_weeks": 5}), Some(&bo))
        .await;
    assert_problem(res, 422, "/problems/validation").await;
    bibob(&app, id, &bo, json!({"lbb_extension_weeks": 4})).await;
    let a: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(a["decision_due_on"], "2025-07-21");
}
