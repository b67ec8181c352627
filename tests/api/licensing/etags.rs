//! ETag and If-Match on licence applications.

use reqwest::StatusCode;
use serde_json::json;

use super::*;

fn etag_of(res: &reqwest::Response) -> String {
    res.headers().get("etag").expect("an ETag header").to_str().unwrap().to_string()
}

#[tokio::test]
async fn an_application_change_applies_only_at_the_version_the_caller_read() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let d = draft(&app, &s.landlord, &s.property_id).await;
    let id = d["id"].as_str().unwrap();
    let path = format!("/v1/licence-applications/{id}");
    let tag = etag_of(&app.get(&path, Some(&s.landlord)).await);

    let patch = |if_match: &str, rent: i64| {
        app.client
            .patch(app.url(&path))
            .bearer_auth(&s.landlord)
            .header("If-Match", if_match.to_string())
            .json(&json!({"monthly_rent_cents": rent}))
            .send()
    };
    let res = patch(&tag, 60000).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let new_tag = etag_of(&res);
    assert_ne!(new_tag, tag, "the change moves the version on");
    assert_eq!(etag_of(&app.get(&path, Some(&s.landlord)).await), new_tag);

    // The old tag is stale now: 412, and the rent stays as it is.
    let p = assert_problem(patch(&tag, 70000).await.unwrap(), 412, "/problems/precondition-failed").await;
    assert!(p["detail"].as_str().unwrap().contains("application"), "{p}");
    let now = ok(app.get(&path, Some(&s.landlord)).await).await;
    assert_eq!(now["monthly_rent_cents"], 60000);

    // A verb with the current tag applies and answers with the next one.
    let res = app
        .client
        .post(app.url(&format!("{path}/submit")))
        .bearer_auth(&s.landlord)
        .header("If-Match", &new_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(etag_of(&res), new_tag);
}

#[tokio::test]
async fn an_if_match_that_names_no_tag_is_a_422_naming_the_header_and_changes_nothing() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let d = draft(&app, &s.landlord, &s.property_id).await;
    let path = format!("/v1/licence-applications/{}", d["id"].as_str().unwrap());
    for value in ["", " , "] {
        let res = app
            .client
            .post(app.url(&format!("{path}/withdraw")))
            .bearer_auth(&s.landlord)
            .header("If-Match", value)
            .send()
            .await
            .unwrap();
        let p = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(p["errors"][0]["pointer"], "#/header/If-Match", "{p}");
    }
    let now = ok(app.get(&path, Some(&s.landlord)).await).await;
    assert_eq!(now["status"], "draft", "nothing was withdrawn");
}
