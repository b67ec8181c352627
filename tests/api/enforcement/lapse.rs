//! Awb 5:45: the power to fine lapses 5 years after the violation, the term suspended while an
//! objection or appeal against a fine for it ran.

use super::*;

const MOTIVATION: &str = "Bewuste en herhaalde overtreding bij een bedrijfsmatige verhuurder";

fn start_fine(violation: &Value, rapport_date: &str) -> Value {
    json!({"violation_id": violation["id"], "step": "administrative_fine", "motivation": MOTIVATION,
           "fine": {"rapport_date": rapport_date, "bedrijfsmatig": true}})
}

fn sanctions_of(violation: &Value) -> String {
    format!("/v1/enforcement-cases/{}/sanctions", violation["case_id"].as_str().unwrap())
}

#[tokio::test]
async fn a_fine_annulled_after_an_objection_may_be_imposed_again_after_five_years_only_for_the_suspension() {
    let app = spawn_app_at(at("2023-07-03")).await;
    let landlord = app.landlord_id("vervaltermijn@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2023-07-03").await;
    // The control: a violation of the same day without any objection.
    let control = violation(&app, &landlord, "GR-06", "2023-07-03").await;

    // The first fine: decided, objected to on 1 Aug 2023, annulled on 1 Mar 2024.
    let s = ok_json(app.post(&sanctions_of(&v), &start_fine(&v, "2023-07-03"), Some(&officer())).await).await;
    let first = s["id"].as_str().unwrap().to_string();
    ok_json(act(&app, &first, json!({"action": "send_intent", "on": "2023-07-03"})).await).await;
    app.clock.set(at("2023-07-18"));
    let decide = json!({"action": "decide", "decided_on": "2023-07-18", "notified_on": "2023-07-18", "amount_cents": 500_000});
    let s = ok_json(act(&app, &first, decide).await).await;
    // No objection yet: the plain five years.
    assert_eq!(s["terms"]["assessment"]["power_lapses_on"], "2028-07-03", "{s}");
    assert_eq!(s["terms"]["assessment"]["lapse_suspension_days"], 0);
    app.clock.set(at("2023-08-01"));
    ok_json(act(&app, &first, json!({"action": "lodge_objection", "on": "2023-08-01"})).await).await;
    app.clock.set(at("2024-03-01"));
    let s = ok_json(act(&app, &first, json!({"action": "annul", "on": "2024-03-01"})).await).await;
    assert_eq!(s["state_name"], "annulled");
    assert_eq!(s["state"]["objection_lodged_on"], "2023-08-01");

    // Two months after the plain five years (3 Jul 2028).
    app.clock.set(at("2028-09-01"));
    let res = app.post(&sanctions_of(&control), &start_fine(&control, "2028-09-01"), Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/violation_id", "{p}");
    let reason = p["errors"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("lapsed on 2028-07-03") && reason.contains("plus 0 days"), "{reason}");

    // The annulled fine's objection ran 213 days (1 Aug 2023 – 1 Mar 2024, across the year end
    // and 29 Feb 2024): the power to fine that violation lapses on 3 Jul 2028 + 213 days.
    let s = ok_json(app.post(&sanctions_of(&v), &start_fine(&v, "2028-09-01"), Some(&officer())).await).await;
    let second = s["id"].as_str().unwrap().to_string();
    ok_json(act(&app, &second, json!({"action": "send_intent", "on": "2028-09-01"})).await).await;
    // Deciding on the extended lapse day is too late.
    app.clock.set(at("2029-02-01"));
    let late = json!({"action": "decide", "decided_on": "2029-02-01", "notified_on": "2029-02-01", "amount_cents": 500_000});
    let p = assert_problem(act(&app, &second, late).await, 422, "/problems/validation").await;
    let reason = p["errors"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("lapsed on 2029-02-01") && reason.contains("plus 213 days"), "{reason}");
    // Deciding after the zienswijze term, before that day, is allowed; the assessment says why.
    let ok = json!({"action": "decide", "decided_on": "2028-09-16", "notified_on": "2028-09-16", "amount_cents": 500_000});
    let s = ok_json(act(&app, &second, ok).await).await;
    assert_eq!(s["state_name"], "decided");
    let a = &s["terms"]["assessment"];
    assert_eq!(a["power_lapses_on"], "2029-02-01", "{a}");
    assert_eq!(a["lapse_suspension_days"], 213);
    assert_eq!(a["lapse_suspensions"], json!([{"from": "2023-08-01", "until": "2024-03-01"}]));
}
