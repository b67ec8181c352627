//! The notice of default and the dwangsom for a late decision (Awb 4:17–4:18). An application
//! received on Mon 3 March 2025 is due on Mon 28 April 2025 (8 weeks, Awb 4:13).

use serde_json::{json, Value};

use super::{at, ok, setup, submitted, verb, wait_for_mail_with, Setup};
use crate::helpers::*;

/// A submitted application (received 2025-03-03, due 2025-04-28) with a notice of default
/// received on Tue 6 May 2025: the dwangsom runs from Tue 20 May.
async fn with_notice(app: &TestApp, s: &Setup) -> String {
    let a = submitted(app, s).await;
    assert_eq!(a["decision_due_on"], "2025-04-28");
    let id = a["id"].as_str().unwrap().to_string();
    app.clock.set(at(2025, 5, 6));
    let a =
        ok(verb(app, &id, "notice-of-default", Some(json!({"received_on": "2025-05-06"})), &s.officer).await)
            .await;
    assert_eq!(a["late_decision"]["notice_received_on"], "2025-05-06");
    id
}

async fn show(app: &TestApp, id: &str, token: &str) -> Value {
    ok(app.get(&format!("/v1/licence-applications/{id}"), Some(token)).await).await
}

#[tokio::test]
async fn a_premature_or_future_notice_is_refused_and_a_second_one_conflicts() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let id = a["id"].as_str().unwrap();

    // On the due date itself the term has not lapsed yet.
    app.clock.set(at(2025, 4, 28));
    let res =
        verb(&app, id, "notice-of-default", Some(json!({"received_on": "2025-04-28"})), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/received_on");
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("2025-04-28"), "{p}");
    // Not in the future.
    let res =
        verb(&app, id, "notice-of-default", Some(json!({"received_on": "2025-04-29"})), &s.officer).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/received_on");
    // The landlord cannot record one.
    let res =
        verb(&app, id, "notice-of-default", Some(json!({"received_on": "2025-04-29"})), &s.landlord).await;
    assert_eq!(res.status(), 403);
    assert_eq!(show(&app, id, &s.officer).await["late_decision"], Value::Null);

    // After the due date: recorded; the dwangsom starts two weeks later.
    app.clock.set(at(2025, 5, 6));
    let a =
        ok(verb(&app, id, "notice-of-default", Some(json!({"received_on": "2025-05-06"})), &s.officer).await)
            .await;
    let p = &a["late_decision"]["penalty"];
    assert_eq!(p["first_day_on"], "2025-05-20");
    assert_eq!(p["days"], 0);
    assert_eq!(p["amount_cents"], 0);
    assert_eq!(p["running"], true);
    assert_eq!(p["maximum_days"], 42);
    assert_eq!(p["maximum_cents"], 126_000);
    // The latest fix-by date: the 42nd day (30 June) + two weeks = Mon 14 July.
    assert_eq!(p["fix_by"], "2025-07-14");

    let res =
        verb(&app, id, "notice-of-default", Some(json!({"received_on": "2025-05-06"})), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn the_penalty_runs_until_the_decision_and_is_fixed_with_a_letter() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let id = with_notice(&app, &s).await;

    // 10 June, undecided: 21 days (20 May–9 June), 14 × €20 + 7 × €30 = €490; the landlord sees it.
    app.clock.set(at(2025, 6, 10));
    let a = show(&app, &id, &s.landlord).await;
    let p = &a["late_decision"]["penalty"];
    assert_eq!((p["days"].as_i64(), p["amount_cents"].as_i64()), (Some(21), Some(49_000)));
    assert_eq!(p["day_rate_cents"], 3_000);
    assert_eq!(p["last_day_on"], "2025-06-09");
    assert_eq!(p["running"], true);
    // While it runs it cannot be fixed.
    let fix = json!({"decided_on": "2025-06-10", "amount_cents": 49_000});
    let res = verb(&app, &id, "fix-late-decision-penalty", Some(fix.clone()), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // Decided on 10 June: the decision day does not count; it stops at 21 days.
    ok(verb(&app, &id, "start-review", None, &s.officer).await).await;
    ok(verb(&app, &id, "decide", Some(json!({"decision": "grant"})), &s.officer).await).await;
    app.clock.set(at(2025, 6, 20));
    let a = show(&app, &id, &s.officer).await;
    let p = &a["late_decision"]["penalty"];
    assert_eq!((p["days"].as_i64(), p["amount_cents"].as_i64()), (Some(21), Some(49_000)));
    assert_eq!(p["running"], false);
    // Two weeks after the last day (Mon 9 June) = Mon 23 June.
    assert_eq!(p["fix_by"], "2025-06-23");

    // Another amount needs a motivation; the day of the beschikking is not in the future.
    let res = verb(
        &app,
        &id,
        "fix-late-decision-penalty",
        Some(json!({"decided_on": "2025-06-20", "amount_cents": 46_000})),
        &s.officer,
    )
    .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/amount_cents");
    let res = verb(
        &app,
        &id,
        "fix-late-decision-penalty",
        Some(json!({"decided_on": "2025-06-21", "amount_cents": 49_000})),
        &s.officer,
    )
    .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/decided_on");

    let fix = json!({"decided_on": "2025-06-20", "amount_cents": 49_000});
    let a = ok(verb(&app, &id, "fix-late-decision-penalty", Some(fix.clone()), &s.officer).await).await;
    let d = &a["late_decision"]["penalty_decision"];
    assert_eq!(d["decided_on"], "2025-06-20");
    assert_eq!(d["amount_cents"], 49_000);
    // Objection term: from Sat 21 June, six weeks: last day Fri 1 August.
    assert_eq!(d["objection_period_ends_on"], "2025-08-01");
    let m = wait_for_mail_with(&app, "ingebrekestelling").await;
    assert!(m.contains("490.00") && m.contains("2025-08-01") && m.contains("21 dagen"), "{m}");

    let res = verb(&app, &id, "fix-late-decision-penalty", Some(fix), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn the_penalty_stops_at_the_maximum_of_42_days() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let id = with_notice(&app, &s).await;

    app.clock.set(at(2025, 8, 1));
    let a = show(&app, &id, &s.officer).await;
    assert_eq!(a["overdue"], true);
    let p = &a["late_decision"]["penalty"];
    assert_eq!((p["days"].as_i64(), p["amount_cents"].as_i64()), (Some(42), Some(126_000)));
    assert_eq!(p["maximum_reached"], true);
    assert_eq!(p["running"], false);
    assert_eq!(p["day_rate_cents"], 4_000);
    assert_eq!(p["last_day_on"], "2025-06-30");
    assert_eq!(p["fix_by"], "2025-07-14");
    // The list shows the same.
    let list: Value = ok(app.get("/v1/licence-applications?overdue=true", Some(&s.officer)).await).await;
    assert_eq!(list["items"][0]["late_decision"]["penalty"]["amount_cents"], 126_000);

    let a = ok(verb(
        &app,
        &id,
        "fix-late-decision-penalty",
        Some(json!({"decided_on": "2025-08-01", "amount_cents": 126_000})),
        &s.officer,
    )
    .await)
    .await;
    assert_eq!(a["late_decision"]["penalty_decision"]["amount_cents"], 126_000);
}

#[tokio::test]
async fn an_exception_is_recorded_with_its_ground_and_no_penalty_is_shown() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let id = with_notice(&app, &s).await;

    let res = verb(
        &app,
        &id,
        "no-late-decision-penalty",
        Some(json!({"ground": "no_reason", "motivation": "x"})),
        &s.officer,
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = verb(
        &app,
        &id,
        "no-late-decision-penalty",
        Some(json!({"ground": "notice_unreasonably_late", "motivation": "  "})),
        &s.officer,
    )
    .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/motivation");

    let body = json!({"ground": "clearly_inadmissible_or_unfounded",
                      "motivation": "Het adres ligt buiten het aangewezen gebied"});
    let a = ok(verb(&app, &id, "no-late-decision-penalty", Some(body.clone()), &s.officer).await).await;
    let l = &a["late_decision"];
    assert_eq!(l["penalty"], Value::Null);
    assert_eq!(l["no_penalty"]["ground"], "clearly_inadmissible_or_unfounded");

    // The landlord sees the ground; nothing can be fixed or recorded again.
    app.clock.set(at(2025, 8, 1));
    let a = show(&app, &id, &s.landlord).await;
    assert_eq!(a["late_decision"]["no_penalty"]["motivation"], "Het adres ligt buiten het aangewezen gebied");
    assert_eq!(a["late_decision"]["penalty"], Value::Null);
    let res = verb(
        &app,
        &id,
        "fix-late-decision-penalty",
        Some(json!({"decided_on": "2025-08-01", "amount_cents": 126_000})),
        &s.officer,
    )
    .await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res = verb(&app, &id, "no-late-decision-penalty", Some(body), &s.officer).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // The choice is in the audit trail.
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    let audit = app.get("/v1/audit?limit=200", Some(&manager)).await.text().await.unwrap();
    assert!(audit.contains("record_no_late_decision_penalty"), "{audit}");
}

#[tokio::test]
async fn other_landlords_and_other_municipalities_do_not_reach_the_notice() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let id = with_notice(&app, &s).await;
    let (_, other) = app.register_landlord("ander@example.nl").await;
    let res = app.get(&format!("/v1/licence-applications/{id}"), Some(&other)).await;
    assert_eq!(res.status(), 404);
    crate::authz::add_municipality(&app, "GM0363", "Amsterdam").await;
    let elsewhere = app.staff_token("officer", "elders@gemeente.test", &["GM0363"]).await;
    let res = verb(
        &app,
        &id,
        "no-late-decision-penalty",
        Some(json!({"ground": "not_interested_party", "motivation": "Geen belanghebbende"})),
        &elsewhere,
    )
    .await;
    assert_problem(res, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn a_withdrawal_after_the_notice_stops_the_penalty() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let id = with_notice(&app, &s).await;

    // Withdrawn on Tue 3 June: 14 days (20 May–2 June) at €20; fix by Mon 16 June.
    app.clock.set(at(2025, 6, 3));
    let a = ok(verb(&app, &id, "withdraw", None, &s.landlord).await).await;
    assert_eq!(a["status"], "withdrawn");
    app.clock.set(at(2025, 7, 1));
    let a = show(&app, &id, &s.officer).await;
    let p = &a["late_decision"]["penalty"];
    assert_eq!((p["days"].as_i64(), p["amount_cents"].as_i64()), (Some(14), Some(28_000)));
    assert_eq!(p["running"], false);
    assert_eq!(p["fix_by"], "2025-06-16");
    let fix = json!({"decided_on": "2025-06-10", "amount_cents": 28_000});
    let a = ok(verb(&app, &id, "fix-late-decision-penalty", Some(fix), &s.officer).await).await;
    assert_eq!(a["late_decision"]["penalty_decision"]["amount_cents"], 28_000);
}
