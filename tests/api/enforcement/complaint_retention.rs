//! Meldpunt retention rule (d) from the enforcement records: a complaint linked to an
//! enforcement case takes the date a sanction of that case became final.

use super::*;

async fn complaint(app: &TestApp) -> String {
    let body = json!({"category": "overcrowding", "language": "nl", "description": "Twaalf mensen in één woning",
                      "address": {"postcode": "3011 AB", "house_number": 10, "addition": "a"}});
    let c = ok_json(app.post("/v1/complaints", &body, None).await).await;
    c["id"].as_str().unwrap().to_string()
}

async fn complaint_act(app: &TestApp, id: &str, verb: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/v1/complaints/{id}/{verb}"), &body, Some(&officer())).await
}

async fn retention(app: &TestApp, id: &str) -> Value {
    ok_json(app.get(&format!("/v1/complaints/{id}"), Some(&officer())).await).await["retention"].clone()
}

#[tokio::test]
async fn a_linked_complaint_takes_the_date_its_case_became_final_and_its_deletion_date_moves() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("meldpunt-d@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2025-01-06").await;
    let case = v["case_id"].as_str().unwrap().to_string();
    let (linked, later, unlinked) = (complaint(&app).await, complaint(&app).await, complaint(&app).await);
    // A duplicate merged into the linked complaint follows it.
    let duplicate = complaint(&app).await;
    let merge = json!({"into": linked, "reason": "zelfde adres en melding"});
    ok_json(complaint_act(&app, &duplicate, "merge", merge).await).await;

    // Only a case of the municipality can be linked; nothing is written otherwise.
    let res = complaint_act(&app, &linked, "links", json!({"enforcement_case_id": "no-such-case"})).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/enforcement_case_id");
    ok_json(complaint_act(&app, &linked, "links", json!({"enforcement_case_id": case})).await).await;
    let r = retention(&app, &linked).await;
    assert!(r["enforcement_final_on"].is_null() && r["personal_data_due_on"].is_null(), "{r}");
    // The date of a linked complaint is not entered by hand.
    let hand = json!({"case_building": false, "enforcement_final_on": "2025-01-06", "reason": "besluit onherroepelijk"});
    let p = assert_problem(
        complaint_act(&app, &linked, "retention", hand.clone()).await,
        409,
        "/problems/conflict",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains(&case), "{p}");
    assert!(retention(&app, &linked).await["enforcement_final_on"].is_null());

    // The fine of the case becomes final on 20 May 2025.
    let fine = json!({"violation_id": v["id"], "step": "administrative_fine",
                      "motivation": "Bewuste en herhaalde overtreding bij een bedrijfsmatige verhuurder",
                      "fine": {"rapport_date": "2025-01-06", "bedrijfsmatig": true}});
    let s =
        ok_json(app.post(&format!("/v1/enforcement-cases/{case}/sanctions"), &fine, Some(&officer())).await)
            .await;
    let id = s["id"].as_str().unwrap().to_string();
    ok_json(act(&app, &id, json!({"action": "send_intent", "on": "2025-01-06"})).await).await;
    app.clock.set(at("2025-04-07"));
    let decide = json!({"action": "decide", "decided_on": "2025-04-07", "notified_on": "2025-04-07", "amount_cents": 500_000});
    ok_json(act(&app, &id, decide).await).await;
    assert!(retention(&app, &linked).await["enforcement_final_on"].is_null());
    app.clock.set(at("2025-05-22"));
    ok_json(act(&app, &id, json!({"action": "become_final", "on": "2025-05-20"})).await).await;

    // Rule (d): the personal data are due for deletion on that day; the change is audited.
    let c = ok_json(app.get(&format!("/v1/complaints/{linked}"), Some(&officer())).await).await;
    assert_eq!(c["retention"]["enforcement_final_on"], "2025-05-20", "{c}");
    assert_eq!(c["retention"]["personal_data_due_on"], "2025-05-20");
    let entry = c["history"].as_array().unwrap().iter().find(|h| h["action"] == "enforcement_final").unwrap();
    assert_eq!(entry["after"]["personal_data_due_on"], "2025-05-20", "{entry}");
    assert!(entry["reason"].as_str().unwrap().contains(&id));
    assert_eq!(retention(&app, &duplicate).await["personal_data_due_on"], "2025-05-20");
    // A complaint linked once the sanction is final takes the date at once.
    ok_json(complaint_act(&app, &later, "links", json!({"enforcement_case_id": case})).await).await;
    assert_eq!(retention(&app, &later).await["personal_data_due_on"], "2025-05-20");
    // The retention facts of a linked complaint may change without a date, or with the case's.
    let keep = json!({"case_building": true, "reason": "dossieropbouw"});
    let r = ok_json(complaint_act(&app, &linked, "retention", keep).await).await["retention"].clone();
    assert_eq!(r["enforcement_final_on"], "2025-05-20", "{r}");
    let same =
        json!({"case_building": true, "enforcement_final_on": "2025-05-20", "reason": "dossieropbouw"});
    ok_json(complaint_act(&app, &linked, "retention", same).await).await;
    // Unlinked, the case's date no longer applies.
    ok_json(complaint_act(&app, &later, "links", json!({})).await).await;
    let r = retention(&app, &later).await;
    assert!(r["enforcement_final_on"].is_null() && r["personal_data_due_on"].is_null(), "{r}");
    // A complaint without a linked case keeps the hand-entered date.
    let hand = json!({"case_building": false, "enforcement_final_on": "2025-05-01", "reason": "besluit onherroepelijk"});
    let r = ok_json(complaint_act(&app, &unlinked, "retention", hand).await).await["retention"].clone();
    assert_eq!(r["personal_data_due_on"], "2025-05-01", "{r}");

    // The retention job erases what is due: the linked complaint, its duplicate and the
    // hand-entered one.
    let run = ok_json(app.post("/v1/jobs/retention/run", &json!({}), Some(&role_token("admin"))).await).await;
    assert_eq!(run["erased"], 3, "{run}");
    let c = ok_json(app.get(&format!("/v1/complaints/{linked}"), Some(&officer())).await).await;
    assert!(c["description"].is_null() && !c["retention"]["personal_data_deleted_at"].is_null(), "{c}");
    let c = ok_json(app.get(&format!("/v1/complaints/{later}"), Some(&officer())).await).await;
    assert!(!c["description"].is_null());
}
