//! The deadlines an officer must keep around an application (issue #13, items 2 and 3): the
//! decision not to consider after a lapsed term to supply information (Awb 4:5 lid 4), the LBB
//! advice term (Wet Bibob art. 15, Bibob officer only), and the licensing dashboard.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, ok, setup, submitted, verb};

async fn get_ok(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

fn entries(dashboard: &Value) -> Vec<(String, String, String, bool)> {
    dashboard["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["application_id"].as_str().unwrap().to_string(),
                d["deadline_kind"].as_str().unwrap().to_string(),
                d["due_on"].as_str().unwrap().to_string(),
                d["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn overdue_ids(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_lapsed_term_to_supply_information_shows_when_not_considering_falls_due() {
    // Submitted Monday 2025-03-03: decision due 8 weeks later, 2025-04-28.
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap().to_string();
    let path = format!("/v1/licence-applications/{id}");
    // The hersteltermijn ends Saturday 2025-03-29: the decision term is suspended 26 days
    // (2025-04-28 + 26 = Saturday 2025-05-24 → Monday 2025-05-26, Atw).
    let a = ok(verb(
        &app,
        &id,
        "request-information",
        Some(json!({"what": "Huurcontract", "respond_by": "2025-03-29"})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(a["decision_due_on"], "2025-05-26");
    assert_eq!(a["not_considered_due_on"], Value::Null, "the term has not lapsed yet");

    app.clock.set(at(2025, 3, 29));
    assert_eq!(get_ok(&app, &path, &s.officer).await["not_considered_due_on"], Value::Null);

    // Lapsed unused: 4 weeks from 2025-03-30 end Saturday 2025-04-26 (Koningsdag), then Sunday
    // → Monday 2025-04-28 (Awb 4:5 lid 4, Atw art. 1).
    app.clock.set(at(2025, 3, 30));
    let officer_view = get_ok(&app, &path, &s.officer).await;
    assert_eq!(officer_view["not_considered_due_on"], "2025-04-28");
    assert_eq!(officer_view["not_considered_overdue"], false);
    assert_eq!(officer_view["overdue"], false);
    let landlord_view = get_ok(&app, &path, &s.landlord).await;
    assert_eq!(landlord_view["not_considered_due_on"], Value::Null, "shown to staff only");

    let d = get_ok(&app, "/v1/licensing/dashboard?days=30", &s.officer).await;
    assert_eq!(d["today"], "2025-03-30");
    assert_eq!(d["horizon_days"], 30);
    assert_eq!(entries(&d), vec![(id.clone(), "not_considered_decision".into(), "2025-04-28".into(), false)]);
    let d = get_ok(&app, "/v1/licensing/dashboard?days=60", &s.officer).await;
    assert_eq!(
        entries(&d),
        vec![
            (id.clone(), "not_considered_decision".into(), "2025-04-28".into(), false),
            (id.clone(), "decision".into(), "2025-05-26".into(), false),
        ]
    );

    // On the last day it is not overdue; the day after it is, in the list and the view.
    app.clock.set(at(2025, 4, 28));
    let list = get_ok(&app, "/v1/licence-applications?overdue=true", &s.officer).await;
    assert!(overdue_ids(&list).is_empty(), "{list}");
    app.clock.set(at(2025, 4, 29));
    let list = get_ok(&app, "/v1/licence-applications?overdue=true", &s.officer).await;
    assert_eq!(overdue_ids(&list), vec![id.clone()]);
    assert_eq!(list["items"][0]["not_considered_overdue"], true);
    assert_eq!(list["items"][0]["overdue"], true);
    let d = get_ok(&app, "/v1/licensing/dashboard", &s.officer).await;
    assert_eq!(d["horizon_days"], 14);
    assert_eq!(entries(&d), vec![(id.clone(), "not_considered_decision".into(), "2025-04-28".into(), true)]);
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    assert_eq!(entries(&get_ok(&app, "/v1/licensing/dashboard", &manager).await).len(), 1);

    // Deciding not to consider ends both deadlines.
    ok(verb(&app, &id, "not-considered", Some(json!({"motivation": "Niet aangevuld"})), &s.officer).await)
        .await;
    let list = get_ok(&app, "/v1/licence-applications?overdue=true", &s.officer).await;
    assert!(overdue_ids(&list).is_empty(), "{list}");
    let d = get_ok(&app, "/v1/licensing/dashboard?days=366", &s.officer).await;
    assert!(entries(&d).is_empty(), "{d}");
}

#[tokio::test]
async fn supplying_the_information_removes_the_not_considered_deadline() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap().to_string();
    ok(verb(
        &app,
        &id,
        "request-information",
        Some(json!({"what": "Huurcontract", "respond_by": "2025-03-10"})),
        &s.officer,
    )
    .await)
    .await;
    app.clock.set(at(2025, 3, 11));
    let d = get_ok(&app, "/v1/licensing/dashboard?days=30", &s.officer).await;
    assert_eq!(entries(&d), vec![(id.clone(), "not_considered_decision".into(), "2025-04-07".into(), false)]);
    // Supplied late but before the decision not to consider: the application runs again.
    ok(verb(&app, &id, "supply-information", Some(json!({})), &s.landlord).await).await;
    let v = get_ok(&app, &format!("/v1/licence-applications/{id}"), &s.officer).await;
    assert_eq!(v["not_considered_due_on"], Value::Null);
    let d = get_ok(&app, "/v1/licensing/dashboard?days=366", &s.officer).await;
    assert!(entries(&d).iter().all(|e| e.1 == "decision"), "{d}");
}

#[tokio::test]
async fn the_bibob_officer_sees_the_lbb_advice_due_day_and_lists_overdue_advice() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap().to_string();
    let bibob = format!("/v1/licence-applications/{id}/bibob");
    let put = |body: Value| {
        let (app, bibob, bo) = (&app, bibob.clone(), bo.clone());
        async move {
            let res = app.put(&bibob, &body, Some(&bo)).await;
            let status = res.status();
            let b: Value = res.json().await.unwrap();
            assert_eq!(status, 200, "{b}");
            b
        }
    };
    let b = put(json!({"action": "send_questionnaire"})).await;
    assert_eq!(b["lbb_advice_due_on"], Value::Null);
    assert_eq!(b["lbb_advice_overdue"], false);
    put(json!({"action": "receive_questionnaire"})).await;

    // Requested Monday 2025-03-17: due 8 weeks later, Monday 2025-05-12 (art. 15 lid 1).
    app.clock.set(at(2025, 3, 17));
    let b = put(json!({"action": "request_lbb_advice"})).await;
    assert_eq!(b["lbb_advice_due_on"], "2025-05-12");
    // The LBB extends by 4 weeks (art. 15 lid 3): Monday 2025-06-09 is Tweede Pinksterdag →
    // Tuesday 2025-06-10 (Atw).
    let b = put(json!({"lbb_extension_weeks": 4})).await;
    assert_eq!(b["lbb_advice_due_on"], "2025-06-10");
    assert_eq!(get_ok(&app, &bibob, &bo).await["lbb_advice_due_on"], "2025-06-10");

    let all = get_ok(&app, "/v1/bibob-checks", &bo).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all["items"][0]["application_id"], id.as_str());
    app.clock.set(at(2025, 6, 10));
    assert!(get_ok(&app, "/v1/bibob-checks?overdue=true", &bo).await["items"].as_array().unwrap().is_empty());
    app.clock.set(at(2025, 6, 11));
    let overdue = get_ok(&app, "/v1/bibob-checks?overdue=true", &bo).await;
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(overdue["items"][0]["lbb_advice_overdue"], true);
    assert_eq!(get_ok(&app, &bibob, &bo).await["lbb_advice_overdue"], true);

    // Nobody else sees LBB dates: not on the application, not on the dashboard, not the list.
    let officer_view = get_ok(&app, &format!("/v1/licence-applications/{id}"), &s.officer).await;
    let dashboard = get_ok(&app, "/v1/licensing/dashboard?days=366", &s.officer).await;
    for body in [&officer_view, &dashboard] {
        assert!(!body.to_string().contains("lbb"), "{body}");
    }
    assert_problem(app.get("/v1/bibob-checks", Some(&s.officer)).await, 403, "/problems/forbidden").await;
    assert_problem(app.get(&bibob, Some(&s.officer)).await, 403, "/problems/forbidden").await;

    // Advice received: no longer awaited.
    let b = put(json!({"action": "complete", "outcome": "no_danger"})).await;
    assert_eq!(b["lbb_advice_overdue"], false);
    assert!(get_ok(&app, "/v1/bibob-checks", &bo).await["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_dashboard_is_for_officers_and_managers_with_a_checked_horizon() {
    let app = spawn_app().await;
    assert_role_matrix(&app, Method::GET, "/v1/licensing/dashboard", &json!({}), &["officer", "manager"])
        .await;
    assert_role_matrix(&app, Method::GET, "/v1/bibob-checks", &json!({}), &["bibob_officer"]).await;
    let (_, landlord) = app.register_landlord("verhuurder@example.nl").await;
    assert_problem(app.get("/v1/licensing/dashboard", Some(&landlord)).await, 403, "/problems/forbidden")
        .await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    for bad in ["0", "367"] {
        let res = app.get(&format!("/v1/licensing/dashboard?days={bad}"), Some(&officer)).await;
        let p = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(p["errors"][0]["pointer"], "#/query/days", "{p}");
    }
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let res = app.get("/v1/bibob-checks?cursor=nonsense", Some(&bo)).await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn staff_of_another_municipality_see_none_of_these_deadlines() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    crate::authz::add_municipality(&app, "GM0363", "Amsterdam").await;
    let s = setup(&app).await;
    let bo = app.staff_token("bibob_officer", "bibob@gemeente.test", &[MUNICIPALITY]).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap().to_string();
    let bibob = format!("/v1/licence-applications/{id}/bibob");
    for body in [json!({"action": "send_questionnaire"}), json!({"action": "receive_questionnaire"})] {
        assert_eq!(app.put(&bibob, &body, Some(&bo)).await.status(), 200);
    }
    assert_eq!(app.put(&bibob, &json!({"action": "request_lbb_advice"}), Some(&bo)).await.status(), 200);
    app.clock.set(at(2025, 9, 1));

    let d = get_ok(&app, "/v1/licensing/dashboard", &s.officer).await;
    assert_eq!(entries(&d).len(), 1, "{d}");
    assert_eq!(
        get_ok(&app, "/v1/bibob-checks?overdue=true", &bo).await["items"].as_array().unwrap().len(),
        1
    );

    let other = app.staff_token("officer", "officer@amsterdam.test", &["GM0363"]).await;
    let other_bo = app.staff_token("bibob_officer", "bibob@amsterdam.test", &["GM0363"]).await;
    assert!(entries(&get_ok(&app, "/v1/licensing/dashboard", &other).await).is_empty());
    let list = get_ok(&app, "/v1/bibob-checks?overdue=true", &other_bo).await;
    assert!(list["items"].as_array().unwrap().is_empty(), "{list}");
}
