//! ETag and If-Match on complaints: the version moves on with every change, a stale If-Match
//! answers 412 and changes nothing (no audit row, no event), `*` matches, a malformed header is
//! refused naming it, and of two writers with the same ETag exactly one wins.

use diesel::prelude::*;
use huurtoezicht::db::schema::{audit_log, events};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

/// A new complaint (status `received`, version 1) filed through the public intake; its id.
pub(super) async fn received(app: &TestApp) -> String {
    let known = complaint_ids(app);
    submit(app, &report("other")).await;
    let mut new: Vec<String> = complaint_ids(app).into_iter().filter(|id| !known.contains(id)).collect();
    assert_eq!(new.len(), 1);
    new.remove(0)
}

pub(super) fn complaint_ids(app: &TestApp) -> Vec<String> {
    use huurtoezicht::db::schema::complaints;
    let db = db_of(app);
    let mut c = db.get().unwrap();
    complaints::table.select(complaints::id).load(&mut c).unwrap()
}

/// Audit rows and events recorded about `id`.
pub(super) fn trail(app: &TestApp, id: &str) -> (i64, i64) {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    let audits = audit_log::table.filter(audit_log::entity_id.eq(id)).count().get_result(&mut c).unwrap();
    let evs = events::table.filter(events::subject_id.eq(id)).count().get_result(&mut c).unwrap();
    (audits, evs)
}

fn etag_of(res: &reqwest::Response) -> String {
    res.headers().get("etag").expect("an ETag header").to_str().unwrap().to_string()
}

async fn conditional(
    app: &TestApp,
    token: &str,
    id: &str,
    verb: &str,
    body: Value,
    if_match: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/complaints/{id}/{verb}")))
        .bearer_auth(token)
        .header("If-Match", if_match)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn triage() -> Value {
    json!({"action": "triage", "reason": "beoordeeld"})
}

#[tokio::test]
async fn the_etag_moves_on_with_each_change_and_a_current_if_match_applies() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    let id = received(&app).await;
    let res = app.get(&format!("/v1/complaints/{id}"), Some(&officer)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(etag_of(&res), "\"1\"");

    let res = conditional(&app, &officer, &id, "transitions", triage(), "\"1\"").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(etag_of(&res), "\"2\"", "a change answers with the new ETag");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "triaged");

    // Without If-Match a change applies as before, and still moves the version on.
    let res = act(&app, &officer, &id, "priority", json!({"priority": "urgent", "reason": "spoed"})).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let res = app.get(&format!("/v1/complaints/{id}"), Some(&officer)).await;
    assert_eq!(etag_of(&res), "\"3\"");
    assert_eq!(stored(&app, &id).version, 3);

    // Several tags: one of them current is enough; `*` matches any version.
    let res = conditional(&app, &officer, &id, "assign", json!({"officer_id": null}), "\"1\", \"3\"").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(etag_of(&res), "\"4\"");
    let res = conditional(&app, &officer, &id, "assign", json!({"officer_id": null}), "*").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(etag_of(&res), "\"5\"");
}

#[tokio::test]
async fn a_stale_if_match_answers_412_and_changes_nothing() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    let id = received(&app).await;
    assert_eq!(transition(&app, &officer, &id, "triage").await.status(), StatusCode::OK);
    let before = stored(&app, &id);
    let trail_before = trail(&app, &id);
    assert!(trail_before.1 >= 1, "the triage recorded an event");

    for stale in ["\"1\"", "W/\"2\"", "\"abc\""] {
        let res = conditional(
            &app,
            &officer,
            &id,
            "transitions",
            json!({"action": "start_investigation", "reason": "onderzoek"}),
            stale,
        )
        .await;
        let p = assert_problem(res, 412, "/problems/precondition-failed").await;
        assert!(p["detail"].as_str().unwrap().contains("read it again"), "{p}");
    }
    let after = stored(&app, &id);
    assert_eq!(after.status, before.status);
    assert_eq!(after.version, before.version);
    assert_eq!(trail(&app, &id), trail_before, "no audit row and no event for a refused change");

    // The duplicate of a merge is the record the route changes: its If-Match is checked.
    let other = received(&app).await;
    let res =
        conditional(&app, &officer, &id, "merge", json!({"into": other, "reason": "dubbel"}), "\"1\"").await;
    assert_problem(res, 412, "/problems/precondition-failed").await;
    assert!(stored(&app, &id).merged_into.is_none());
}

#[tokio::test]
async fn a_malformed_if_match_is_refused_naming_the_header() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    let id = received(&app).await;
    for bad in ["1", "\"1", "\"1\" \"2\"", "*, \"1\""] {
        let res = conditional(&app, &officer, &id, "transitions", triage(), bad).await;
        let p = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(p["errors"][0]["pointer"], "#/header/If-Match", "{bad}: {p}");
    }
    assert_eq!(stored(&app, &id).version, 1);
}

#[tokio::test]
async fn of_two_writers_with_the_same_etag_exactly_one_wins() {
    let app = spawn_app().await;
    let officer = officer(&app).await;
    for _ in 0..3 {
        let id = received(&app).await;
        let tag = etag_of(&app.get(&format!("/v1/complaints/{id}"), Some(&officer)).await);
        let audited = trail(&app, &id).0;
        let (a, b) = tokio::join!(
            conditional(&app, &officer, &id, "transitions", triage(), &tag),
            conditional(
                &app,
                &officer,
                &id,
                "priority",
                json!({"priority": "urgent", "reason": "spoed"}),
                &tag
            ),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "exactly one writer wins");
        assert_eq!(stored(&app, &id).version, 2, "one change was applied");
        assert_eq!(trail(&app, &id).0, audited + 1, "only the winning change is audited");
    }
}
