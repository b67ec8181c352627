//! ETag and If-Match on sanctions.

use reqwest::StatusCode;
use serde_json::json;

use super::*;

fn etag_of(res: &reqwest::Response) -> String {
    res.headers().get("etag").expect("an ETag header").to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_sanction_action_applies_only_at_the_version_the_caller_read() {
    let app = spawn_app_at(at("2026-03-02")).await;
    let landlord = app.landlord_id("etag@example.nl").await;
    let v = violation(&app, &landlord, "GR-04", "2026-03-01").await;
    let case = v["case_id"].as_str().unwrap();
    let w = ok_json(
        app.post(
            &format!("/v1/enforcement-cases/{case}/sanctions"),
            &json!({"violation_id": v["id"], "step": "warning", "warning": {"issued_on": "2026-03-02"}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    let id = w["id"].as_str().unwrap();
    let res = app.get(&format!("/v1/sanctions/{id}"), Some(&officer())).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(etag_of(&res), "\"1\"");
    let action = |if_match: &str| {
        app.client
            .post(app.url(&format!("/v1/sanctions/{id}/actions")))
            .bearer_auth(officer())
            .header("If-Match", if_match.to_string())
            .json(&json!({"action": "withdraw", "on": "2026-03-02"}))
            .send()
    };
    let p = assert_problem(action("\"2\"").await.unwrap(), 412, "/problems/precondition-failed").await;
    assert!(p["detail"].as_str().unwrap().contains("sanction"), "{p}");
    let unchanged = ok_json(app.get(&format!("/v1/sanctions/{id}"), Some(&officer())).await).await;
    assert_eq!(unchanged["state_name"], w["state_name"], "a stale action changes nothing");

    let res = action("\"1\"").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the current version applies");
    assert_eq!(etag_of(&res), "\"2\"");
    let res = app.get(&format!("/v1/sanctions/{id}"), Some(&officer())).await;
    assert_eq!(etag_of(&res), "\"2\"");
}
