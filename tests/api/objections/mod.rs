//! Objections (bezwaar): recording one against a refused application and against a fine, the
//! lifecycle with its decision term (Awb 7:10), bad input, another municipality, the landlord's
//! view and the letters. Dates derived by hand: a refusal made known Monday 16 March 2026 has
//! its objection term end on Koningsdag (Monday 27 April), so on Tuesday 28 April (Atw); the
//! decision is due 6 weeks from 29 April: Tuesday 9 June 2026.

mod fine;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use crate::authz::add_municipality;
use crate::helpers::*;
use crate::licensing::{setup, submitted, verb, Setup};

pub fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

pub async fn ok_json(res: reqwest::Response, status: u16) -> Value {
    let s = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(s, status, "{body}");
    body
}

/// A licence application refused on Monday 16 March 2026.
pub(crate) async fn refused_application(app: &TestApp) -> (Setup, String) {
    let s = setup(app).await;
    let a = submitted(app, &s).await;
    let id = a["id"].as_str().unwrap().to_string();
    let res = app
        .patch(
            &format!("/v1/properties/{}", s.property_id),
            &json!({"missing_building_permit": true}),
            Some(&s.officer),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.clock.set(at(2026, 3, 16));
    let refuse = json!({"decision": "refuse", "refusal_grounds": ["missing_building_permit"], "motivation": "Geen omgevingsvergunning"});
    let res = verb(app, &id, "decide", Some(refuse), &s.officer).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    (s, id)
}

pub(crate) fn lodge_body(kind: &str, id: &str, received_on: &str) -> Value {
    json!({"besluit": {"kind": kind, "id": id}, "received_on": received_on,
           "lodged_by": {"kind": "addressee", "description": "de verhuurder"},
           "grounds_summary": "De aanbouw heeft wel een vergunning"})
}

fn pointer(p: &Value) -> &str {
    p["errors"][0]["pointer"].as_str().unwrap()
}

#[tokio::test]
async fn an_objection_against_a_refusal_runs_its_lifecycle_on_the_statutory_dates() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let (s, app_id) = refused_application(&app).await;
    app.clock.set(at(2026, 4, 1));

    let o = ok_json(
        app.post("/v1/objections", &lodge_body("licence_decision", &app_id, "2026-04-01"), Some(&s.officer))
            .await,
        201,
    )
    .await;
    let id = o["id"].as_str().unwrap().to_string();
    assert_eq!(o["state"], "received");
    assert_eq!(o["on_time"], true);
    assert_eq!(o["objection_term_ends_on"], "2026-04-28");
    assert_eq!(o["decision_due_on"], "2026-06-09");
    assert_eq!(o["besluit"]["notified_on"], "2026-03-16");
    assert_eq!(o["besluit"]["final_on"], Value::Null);
    assert!(o["allowed_actions"].as_array().unwrap().contains(&json!("plan_hearing")));
    app.wait_for_mail_containing("uiterlijk op 2026-06-09", 5).await;
    // Its deadline is on the licensing dashboard once within the horizon, not on enforcement's.
    let near = ok_json(app.get("/v1/licensing/dashboard?days=30", Some(&s.officer)).await, 200).await;
    assert_eq!(near["objection_deadlines"], json!([]), "{near}");
    let far = ok_json(app.get("/v1/licensing/dashboard?days=90", Some(&s.officer)).await, 200).await;
    assert_eq!(
        far["objection_deadlines"],
        json!([{"objection_id": id, "besluit_kind": "licence_decision", "besluit_id": app_id,
                "landlord_id": o["landlord_id"], "decision_due_on": "2026-06-09", "overdue": false}]),
        "{far}"
    );
    let enf = ok_json(app.get("/v1/enforcement/dashboard?days=90", Some(&s.officer)).await, 200).await;
    assert_eq!(enf["objection_deadlines"], json!([]), "{enf}");

    let step = |body: Value| {
        let (app, id, token) = (&app, id.clone(), s.officer.clone());
        async move { app.post(&format!("/v1/objections/{id}/actions"), &body, Some(&token)).await }
    };
    ok_json(step(json!({"action": "plan_hearing", "on": "2026-05-04"})).await, 200).await;
    let p = assert_problem(
        step(json!({"action": "decide", "decided_on": "2026-04-01", "notified_on": "2026-04-01", "outcome": "unfounded"})).await,
        409,
        "/problems/conflict",
    )
    .await;
    assert!(p["allowed_actions"].as_array().unwrap().contains(&json!("record_hearing")), "{p}");

    app.clock.set(at(2026, 5, 4));
    let p = assert_problem(
        step(json!({"action": "record_hearing", "on": "2026-05-05"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/on");
    ok_json(step(json!({"action": "record_hearing", "on": "2026-05-04"})).await, 200).await;
    let p = assert_problem(
        step(json!({"action": "postpone", "on": "2026-05-04", "weeks": 7, "reason": "advies"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/weeks");
    let o = ok_json(step(json!({"action": "postpone", "on": "2026-05-04", "weeks": 6, "reason": "Advies bouwtoezicht nodig"})).await, 200).await;
    assert_eq!(o["decision_due_on"], "2026-07-21");
    assert_eq!(o["initial_due_on"], "2026-06-09");
    app.wait_for_mail_containing("Advies bouwtoezicht nodig", 5).await;
    let p = assert_problem(
        step(json!({"action": "postpone", "on": "2026-05-04", "weeks": 1, "reason": "nog meer"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/action");

    // Overdue once the postponed term passed.
    app.clock.set(at(2026, 7, 22));
    let l = ok_json(app.get("/v1/objections?overdue=true", Some(&s.officer)).await, 200).await;
    assert_eq!(l["items"][0]["id"], id.as_str());
    assert_eq!(l["items"][0]["overdue"], true);

    let decide = json!({"action": "decide", "decided_on": "2026-07-22", "notified_on": "2026-07-22", "outcome": "well_founded"});
    let p = assert_problem(step(decide.clone()).await, 422, "/problems/validation").await;
    assert_eq!(pointer(&p), "/new_decision");
    let mut decide = decide;
    decide["new_decision"] = json!({"reference": "Vergunning verleend na heroverweging", "id": app_id});
    let o = ok_json(step(decide).await, 200).await;
    assert_eq!(o["state"], "decided");
    assert_eq!(o["overdue"], false);
    // Made known Wednesday 22 July: the appeal term ends Wednesday 2 September 2026.
    assert_eq!(o["appeal_term_ends_on"], "2026-09-02");
    assert_eq!(o["allowed_actions"], json!(["record_new_decision", "lodge_appeal"]));
    app.wait_for_mail_containing("Beslissing op bezwaar", 5).await;
    assert_problem(step(json!({"action": "withdraw", "on": "2026-07-22"})).await, 409, "/problems/conflict")
        .await;

    // No appeal: final the day after the appeal term.
    app.clock.set(at(2026, 9, 2));
    let o = ok_json(app.get(&format!("/v1/objections/{id}"), Some(&s.officer)).await, 200).await;
    assert_eq!(o["besluit"]["final_on"], Value::Null);
    app.clock.set(at(2026, 9, 3));
    let o = ok_json(app.get(&format!("/v1/objections/{id}"), Some(&s.officer)).await, 200).await;
    assert_eq!(o["besluit"]["final_on"], "2026-09-03");
    // A manager reads it but takes no steps.
    let o = ok_json(app.get(&format!("/v1/objections/{id}"), Some(&role_token("manager"))).await, 200).await;
    assert_eq!(o["allowed_actions"], json!([]));

    // Every step is in the audit trail, newest first.
    let admin = app.admin_token().await;
    let audit =
        ok_json(app.get(&format!("/v1/audit?entity_type=objection&entity_id={id}"), Some(&admin)).await, 200)
            .await;
    let actions: Vec<&str> =
        audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["decide", "postpone", "record_hearing", "plan_hearing", "lodge"], "{audit}");
    // …and each is an event for portals, with states and ids only.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let events = loop {
        let page = ok_json(app.get("/v1/events?types=objection.lodged,objection.hearing_planned,objection.hearing_recorded,objection.postponed,objection.decided", Some(&s.officer)).await, 200).await;
        if page["items"].as_array().unwrap().len() >= 5 || std::time::Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let types: Vec<&str> =
        events["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "objection.lodged",
            "objection.hearing_planned",
            "objection.hearing_recorded",
            "objection.postponed",
            "objection.decided"
        ]
    );
    let decided = &events["items"][4];
    assert_eq!(decided["subject"], format!("/v1/objections/{id}"));
    assert_eq!(
        decided["data"],
        json!({"id": id, "state": "decided", "previous_state": "heard"}),
        "{decided}"
    );

    // The new decision can be corrected afterwards.
    let o = ok_json(
        step(json!({"action": "record_new_decision", "reference": "Vergunning verleend, besluit 2026/88"}))
            .await,
        200,
    )
    .await;
    assert_eq!(o["new_decision"], json!({"reference": "Vergunning verleend, besluit 2026/88", "id": null}));
    let p = assert_problem(
        step(json!({"action": "record_new_decision", "reference": " "})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/reference");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let (s, app_id) = refused_application(&app).await;
    app.clock.set(at(2026, 4, 1));

    let cases = [
        (lodge_body("licence_decision", &app_id, "2026-04-02"), "/received_on"),
        (lodge_body("licence_decision", &app_id, "2026-03-15"), "/received_on"),
        (lodge_body("licence_decision", "no-such-application", "2026-04-01"), "/besluit/id"),
        (lodge_body("not_considered", &app_id, "2026-04-01"), "/besluit/id"),
        (lodge_body("fine", &app_id, "2026-04-01"), "/besluit/id"),
    ];
    for (body, expected) in cases {
        let p = assert_problem(
            app.post("/v1/objections", &body, Some(&s.officer)).await,
            422,
            "/problems/validation",
        )
        .await;
        assert_eq!(pointer(&p), expected, "{body}: {p}");
    }
    // An officer of another municipality cannot reach the besluit.
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let other = app.staff_token("officer", "o@amsterdam.test", &["GM0363"]).await;
    let p = assert_problem(
        app.post("/v1/objections", &lodge_body("licence_decision", &app_id, "2026-04-01"), Some(&other))
            .await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/besluit/id");
    let l = ok_json(app.get("/v1/objections", Some(&s.officer)).await, 200).await;
    assert_eq!(l["items"], json!([]));

    // Lists: unknown filters are 422 on the parameter.
    let p = assert_problem(
        app.get("/v1/objections?state=open", Some(&s.officer)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "#/query/state");
    let p = assert_problem(
        app.get("/v1/objections?due_before=morgen", Some(&s.officer)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "#/query/due_before");
}

#[tokio::test]
async fn lists_filter_and_page_and_the_landlord_sees_only_their_own() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let (s, app_id) = refused_application(&app).await;
    app.clock.set(at(2026, 4, 1));
    let a = ok_json(
        app.post("/v1/objections", &lodge_body("licence_decision", &app_id, "2026-04-01"), Some(&s.officer))
            .await,
        201,
    )
    .await;
    let mut b = lodge_body("licence_decision", &app_id, "2026-04-01");
    b["advisory_committee"] = json!(true);
    b["lodged_by"] = json!({"kind": "third_party", "description": "buurman met belang"});
    let b = ok_json(app.post("/v1/objections", &b, Some(&s.officer)).await, 201).await;
    // Twelve weeks from Wednesday 29 April: Tuesday 21 July 2026.
    assert_eq!(b["decision_due_on"], "2026-07-21");

    let page1 = ok_json(app.get("/v1/objections?limit=1", Some(&s.officer)).await, 200).await;
    assert_eq!(page1["items"][0]["id"], a["id"]);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 =
        ok_json(app.get(&format!("/v1/objections?limit=1&cursor={cursor}"), Some(&s.officer)).await, 200)
            .await;
    assert_eq!(page2["items"][0]["id"], b["id"]);
    assert_eq!(page2["next_cursor"], Value::Null);

    let due = ok_json(app.get("/v1/objections?due_before=2026-06-10", Some(&s.officer)).await, 200).await;
    assert_eq!(due["items"].as_array().unwrap().len(), 1);
    let due = ok_json(app.get("/v1/objections?due_before=2026-06-09", Some(&s.officer)).await, 200).await;
    assert_eq!(due["items"].as_array().unwrap().len(), 0);
    let by_kind = ok_json(app.get("/v1/objections?besluit_kind=fine", Some(&s.officer)).await, 200).await;
    assert_eq!(by_kind["items"].as_array().unwrap().len(), 0);
    let received = ok_json(
        app.get("/v1/objections?state=received&besluit_kind=licence_decision", Some(&s.officer)).await,
        200,
    )
    .await;
    assert_eq!(received["items"].as_array().unwrap().len(), 2);

    let mine = ok_json(app.get("/v1/me/objections", Some(&s.landlord)).await, 200).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    assert_eq!(mine["items"][0]["decision_due_on"], "2026-06-09");
    assert!(mine["items"][0].get("grounds_summary").is_none());
    assert!(mine["items"][0].get("lodged_by").is_none());
    let (_, stranger) = app.register_landlord("ander@example.nl").await;
    let theirs = ok_json(app.get("/v1/me/objections", Some(&stranger)).await, 200).await;
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn after_an_appeal_the_besluit_is_final_on_the_day_of_the_judgment() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let (s, app_id) = refused_application(&app).await;
    app.clock.set(at(2026, 4, 1));
    let o = ok_json(
        app.post("/v1/objections", &lodge_body("licence_decision", &app_id, "2026-04-01"), Some(&s.officer))
            .await,
        201,
    )
    .await;
    let path = format!("/v1/objections/{}/actions", o["id"].as_str().unwrap());
    let post = |body: Value| {
        let (app, path, token) = (&app, path.clone(), s.officer.clone());
        async move { app.post(&path, &body, Some(&token)).await }
    };
    app.clock.set(at(2026, 5, 4));
    // Consent moves the due date beyond the one postponement.
    let o = ok_json(
        post(
            json!({"action": "extend_with_consent", "consent_on": "2026-05-04", "new_due_on": "2026-08-31"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(o["decision_due_on"], "2026-08-31");
    assert!(!o["allowed_actions"].as_array().unwrap().contains(&json!("postpone")), "{o}");
    ok_json(post(json!({"action": "decide", "decided_on": "2026-05-04", "notified_on": "2026-05-04", "outcome": "unfounded"})).await, 200).await;
    app.clock.set(at(2026, 6, 1));
    let o = ok_json(
        post(json!({"action": "lodge_appeal", "lodged_on": "2026-06-01", "court": "Rechtbank Rotterdam"}))
            .await,
        200,
    )
    .await;
    assert_eq!(o["appeal"]["on_time"], true);
    assert_eq!(o["allowed_actions"], json!(["record_appeal_outcome"]));
    app.clock.set(at(2026, 11, 2));
    let o = ok_json(
        post(json!({"action": "record_appeal_outcome", "judgment_on": "2026-10-30", "outcome": "unfounded"}))
            .await,
        200,
    )
    .await;
    assert_eq!(o["besluit"]["final_on"], "2026-10-30");
    let mine = ok_json(app.get("/v1/me/objections", Some(&s.landlord)).await, 200).await;
    assert_eq!(mine["items"][0]["besluit"]["final_on"], "2026-10-30");
    // The application shows it on its decision, read alone and in the list.
    let a =
        ok_json(app.get(&format!("/v1/licence-applications/{app_id}"), Some(&s.landlord)).await, 200).await;
    assert_eq!(a["decision"]["final_on"], "2026-10-30", "{a}");
    let l = ok_json(app.get("/v1/licence-applications", Some(&s.officer)).await, 200).await;
    let listed = l["items"].as_array().unwrap().iter().find(|i| i["id"] == app_id.as_str()).unwrap();
    assert_eq!(listed["decision"]["final_on"], "2026-10-30", "{listed}");
}

#[tokio::test]
async fn a_decision_without_objection_is_final_the_day_after_its_objection_term() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let (s, app_id) = refused_application(&app).await;
    let path = format!("/v1/licence-applications/{app_id}");
    // Made known on 2026-03-16: the objection term ends on Tuesday 2026-04-28 (Koningsdag, Monday
    // 27 April, moved it a day, Atw art. 1); open until then.
    app.clock.set(at(2026, 4, 28));
    let a = ok_json(app.get(&path, Some(&s.officer)).await, 200).await;
    assert_eq!(a["decision"]["objection_period_ends_on"], "2026-04-28");
    assert_eq!(a["decision"]["final_on"], Value::Null, "{a}");
    app.clock.set(at(2026, 4, 29));
    let a = ok_json(app.get(&path, Some(&s.officer)).await, 200).await;
    assert_eq!(a["decision"]["final_on"], "2026-04-29", "{a}");
}

#[tokio::test]
async fn an_objection_against_a_licence_suspension_counts_from_the_day_of_the_suspension() {
    let app = spawn_app_at(at(2026, 3, 2)).await;
    let s = setup(&app).await;
    let a = submitted(&app, &s).await;
    let a = ok_json(
        verb(&app, a["id"].as_str().unwrap(), "decide", Some(json!({"decision": "grant"})), &s.officer).await,
        200,
    )
    .await;
    let licence = a["licence_id"].as_str().unwrap().to_string();
    app.clock.set(at(2026, 3, 16));
    let suspend = json!({"ground": "conditions_violated", "motivation": "Bij controle 9 bewoners aangetroffen",
                         "displacement": {"occupants_displaced": 4, "replacement_housing_arranged": true}});
    ok_json(app.post(&format!("/v1/licences/{licence}/suspend"), &suspend, Some(&s.officer)).await, 200)
        .await;
    app.clock.set(at(2026, 4, 1));
    // Not revoked: not a besluit of that kind.
    let p = assert_problem(
        app.post(
            "/v1/objections",
            &lodge_body("licence_revocation", &licence, "2026-04-01"),
            Some(&s.officer),
        )
        .await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(pointer(&p), "/besluit/id");
    let o = ok_json(
        app.post(
            "/v1/objections",
            &lodge_body("licence_suspension", &licence, "2026-04-01"),
            Some(&s.officer),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(o["besluit"]["notified_on"], "2026-03-16");
    assert_eq!(o["objection_term_ends_on"], "2026-04-28");
    assert_eq!(o["decision_due_on"], "2026-06-09");
}
