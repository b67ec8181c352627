//! Bulk state changes: many complaints in one request, each in its own transaction with its own
//! result and audit row.

use std::collections::HashMap;

use diesel::prelude::*;
use huurtoezicht::db::schema::{audit_log, events};
use huurtoezicht::domain::complaints::ComplaintStatus;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::etags::{received, trail};
use super::*;

const ROUTE: &str = "/v1/complaints/bulk-transitions";

/// `n` more complaints like `template` (status `received`, no exploitation signals), written
/// straight into the database: the public intake is rate-limited per source.
fn copies(app: &TestApp, template: &str, n: usize) -> Vec<String> {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    let base = store::find_unscoped(&mut c, template).unwrap().unwrap();
    (0..n)
        .map(|_| {
            let mut row = base.clone();
            row.id = uuid::Uuid::new_v4().to_string();
            row.tracking_hash = uuid::Uuid::new_v4().simple().to_string();
            row.signals = String::new();
            row.has_signals = false;
            store::insert(&mut c, &row).unwrap();
            row.id
        })
        .collect()
}

fn close(ids: &[String]) -> Value {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    json!({"action": "close_unfounded", "reason": "dubbele melding na campagne", "items": items})
}

fn count_audits(app: &TestApp, action: &str) -> i64 {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    audit_log::table
        .filter(audit_log::entity_type.eq("complaint"))
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut c)
        .unwrap()
}

fn count_events(app: &TestApp) -> i64 {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    events::table.filter(events::subject_kind.eq("complaint")).count().get_result(&mut c).unwrap()
}

#[tokio::test]
async fn fifteen_hundred_complaints_are_closed_in_one_request_each_with_its_audit_row() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    let template = received(&app).await;
    let ids = copies(&app, &template, 1500);
    let events_before = count_events(&app);
    // Writing 1,500 rows takes longer than the server keeps an idle connection open: a fresh
    // client, so that the request does not go out on a pooled connection the server is closing.
    let res = reqwest::Client::new()
        .post(app.url(ROUTE))
        .bearer_auth(&officer)
        .json(&close(&ids))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["changed"], 1500, "{}", body["results"][0]);
    assert_eq!(body["failed"], 0);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 1500);
    for (r, id) in results.iter().zip(&ids) {
        assert_eq!(r["id"], id.as_str(), "results keep the order of the items");
        assert_eq!(r["outcome"], "changed");
        assert_eq!(r["status"], "closed_unfounded");
        assert_eq!(r["etag"], "\"2\"");
    }
    assert_eq!(count_audits(&app, "close_unfounded"), 1500, "one audit row per changed complaint");
    assert_eq!(count_events(&app) - events_before, 1500, "one event per status change");
    assert_eq!(stored(&app, &ids[700]).status, ComplaintStatus::ClosedUnfounded);
}

#[tokio::test]
async fn each_item_has_its_own_result_and_a_failing_item_changes_nothing_else() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    let first = received(&app).await;
    let ids = copies(&app, &first, 3);
    // ids[0]: already triaged (start_investigation allowed); ids[1]: received (not allowed);
    // ids[2]: triaged, but the caller read an older version; unknown; another municipality.
    for id in [&ids[0], &ids[2]] {
        assert_eq!(transition(&app, &officer, id, "triage").await.status(), StatusCode::OK);
    }
    let elsewhere = copies(&app, &first, 1).remove(0);
    {
        use huurtoezicht::db::schema::complaints;
        let db = db_of(&app);
        let mut c = db.get().unwrap();
        let now = chrono::Utc::now().naive_utc();
        huurtoezicht::db::accounts::ensure_municipality(&mut c, "GM0363", "Amsterdam", now).unwrap();
        diesel::update(complaints::table.find(&elsewhere))
            .set(complaints::municipality_code.eq("GM0363"))
            .execute(&mut c)
            .unwrap();
    }
    let trail_before = trail(&app, &ids[1]);
    let body = json!({"action": "start_investigation", "reason": "onderzoek", "items": [
        {"id": ids[0], "version": 2},
        {"id": ids[1]},
        {"id": ids[2], "version": 1},
        {"id": "no-such-complaint"},
        {"id": elsewhere},
    ]});
    let res = app.post(ROUTE, &body, Some(&officer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["changed"].as_u64(), body["failed"].as_u64()), (Some(1), Some(4)), "{body}");
    let r = body["results"].as_array().unwrap();
    assert_eq!(r[0]["outcome"], "changed");
    assert_eq!(r[0]["status"], "investigating");
    assert_eq!(r[0]["etag"], "\"3\"");
    assert_eq!(r[1]["outcome"], "failed");
    assert_eq!(r[1]["problem"]["type"], "/problems/conflict");
    assert_eq!(r[1]["problem"]["allowed_actions"].as_array().map(|a| a.is_empty()), Some(false));
    assert_eq!(r[2]["problem"]["type"], "/problems/precondition-failed");
    assert_eq!(r[3]["problem"]["type"], "/problems/not-found");
    assert_eq!(r[4]["problem"]["type"], "/problems/not-found", "another municipality's complaint");
    assert!(r[1].get("status").is_none() && r[1].get("etag").is_none());
    assert_eq!(stored(&app, &ids[1]).status, ComplaintStatus::Received);
    assert_eq!(stored(&app, &ids[2]).status, ComplaintStatus::Triaged);
    assert_eq!(stored(&app, &elsewhere).status, ComplaintStatus::Received);
    assert_eq!(trail(&app, &ids[1]), trail_before, "a failed item leaves no audit row or event");
}

#[tokio::test]
async fn too_many_blank_or_repeated_items_are_refused_before_anything_changes() {
    let settings = HashMap::from([("HUURTOEZICHT_COMPLAINT_BULK_MAX_ITEMS".to_string(), "3".to_string())]);
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::system()).await;
    let officer = officer(&app).await;
    let first = received(&app).await;
    let ids = copies(&app, &first, 4);
    let p = assert_problem(app.post(ROUTE, &close(&ids), Some(&officer)).await, 422, "/problems/validation")
        .await;
    assert_eq!(p["errors"][0]["pointer"], "/items");
    assert!(p["errors"][0]["reason"].as_str().unwrap().contains("at most 3"), "{p}");
    let twice = close(&[ids[0].clone(), ids[1].clone(), ids[0].clone()]);
    let p = assert_problem(app.post(ROUTE, &twice, Some(&officer)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/items/2/id");
    let p =
        assert_problem(app.post(ROUTE, &close(&[]), Some(&officer)).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/items");
    assert_eq!(count_audits(&app, "close_unfounded"), 0);
    assert!(ids.iter().all(|id| stored(&app, id).version == 1));
}

#[tokio::test]
async fn only_complaint_staff_may_change_complaints_in_bulk() {
    let app = spawn_app().await;
    let template = received(&app).await;
    let id = copies(&app, &template, 1).remove(0);
    let audited = trail(&app, &id).0;
    let body = close(std::slice::from_ref(&id));
    assert_problem(app.post(ROUTE, &body, None).await, 401, "/problems/unauthorized").await;
    let (_, landlord) = app.register_landlord("verhuurder@example.nl").await;
    assert_problem(app.post(ROUTE, &body, Some(&landlord)).await, 403, "/problems/forbidden").await;
    assert_eq!(stored(&app, &id).status, ComplaintStatus::Received);
    assert_eq!(trail(&app, &id).0, audited, "nothing was audited");
}
