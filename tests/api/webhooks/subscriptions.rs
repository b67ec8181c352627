//! Subscriptions: the callback URL policy (no SSRF), who may manage which subscription, and the
//! secret shown once.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

/// Asks for a subscription that must be refused; returns the 422 validation problem.
async fn refused(app: &TestApp, token: &str, url: &str, types: Value) -> Value {
    let res = app
        .post("/v1/webhook-subscriptions", &json!({"callback_url": url, "event_types": types}), Some(token))
        .await;
    assert_problem(res, 422, "/problems/validation").await
}

#[tokio::test]
async fn callbacks_to_http_or_non_public_addresses_are_refused_with_422() {
    let app = spawn_app().await;
    let client = app.client_token(&["webhooks:manage"]).await;
    for (url, reason) in [
        ("http://portal.example.nl/hooks", "https"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://169.254.169.254/latest", "link-local"),
        ("https://[::1]/hooks", "loopback"),
        ("https://[::ffff:127.0.0.1]/hooks", "loopback"),
        ("https://localhost:8443/hooks", "loopback"),
    ] {
        let body = refused(&app, &client, url, json!(["licence.granted"])).await;
        assert_eq!(body["errors"][0]["pointer"], "/callback_url", "{url}");
        assert!(body["errors"][0]["reason"].as_str().unwrap().contains(reason), "{url}: {body}");
    }
    refused(&app, &client, "https://portal.example.nl/", json!([])).await;
    let body = refused(&app, &client, "https://portal.example.nl/", json!(["licence.exploded"])).await;
    assert_eq!(body["errors"][0]["pointer"], "/event_types/0");
    // A request refused for another reason asks no name server: a host that cannot be resolved
    // (`.invalid` never is, RFC 6761) is named only once the rest of the request is valid.
    let unresolvable = "https://portal.huurtoezicht.invalid/hooks";
    let body = refused(&app, &client, unresolvable, json!(["licence.exploded"])).await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["errors"][0]["pointer"], "/event_types/0");
    let body = refused(&app, &client, unresolvable, json!(["licence.granted"])).await;
    assert_eq!(body["errors"][0]["pointer"], "/callback_url", "{body}");
    assert!(body["errors"][0]["reason"].as_str().unwrap().contains("resolved"), "{body}");
    let list: Value = app.get("/v1/webhook-subscriptions", Some(&client)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]), "nothing was written");
}

#[tokio::test]
async fn only_the_owner_and_the_managers_see_a_subscription() {
    let receiver = Receiver::start().await;
    let app = app_with(delivering(&[])).await;
    let owner = app.client_token(&["webhooks:manage"]).await;
    let other = app.client_token(&["webhooks:manage"]).await;
    let (id, secret) = subscribe(&app, &owner, &receiver.url, &["licence.granted"]).await;
    assert!(secret.starts_with("whsec_"));
    let path = format!("/v1/webhook-subscriptions/{id}");
    let mine: Value = app.get(&path, Some(&owner)).await.json().await.unwrap();
    assert_eq!(mine["event_types"], json!(["licence.granted"]));
    assert!(mine.get("secret").is_none(), "the secret is shown only once");
    // Another client: as if it did not exist.
    assert_eq!(app.get(&path, Some(&other)).await.status(), StatusCode::NOT_FOUND);
    let res = app.send(reqwest::Method::DELETE, &path, &json!({}), Some(&other)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let list: Value = app.get("/v1/webhook-subscriptions", Some(&other)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    // A client without the scope, and officers: 403.
    let unscoped = app.client_token(&["events:read"]).await;
    assert_eq!(app.get("/v1/webhook-subscriptions", Some(&unscoped)).await.status(), StatusCode::FORBIDDEN);
    let officer = officer(&app).await;
    assert_eq!(app.get(&path, Some(&officer)).await.status(), StatusCode::FORBIDDEN);
    // A manager of the municipality reads it but may not create one; then deletes it.
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    assert_eq!(app.get(&path, Some(&manager)).await.status(), StatusCode::OK);
    let res = app
        .post(
            "/v1/webhook-subscriptions",
            &json!({"callback_url": receiver.url, "event_types": ["licence.granted"]}),
            Some(&manager),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app.send(reqwest::Method::DELETE, &path, &json!({}), Some(&manager)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path, Some(&owner)).await.status(), StatusCode::NOT_FOUND);
}
