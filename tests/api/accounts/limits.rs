//! Login lockout per account and source; per-source rate limits on the public write routes.
//! The tests call from 127.0.0.1, declared a trusted proxy, and name the source in
//! `X-Forwarded-For`.

use std::collections::HashMap;

use huurtoezicht::clock::Clock;
use reqwest::Response;
use serde_json::{json, Value};

use crate::helpers::*;

async fn spawn_behind_proxy(extra: &[(&str, &str)]) -> TestApp {
    let mut settings: HashMap<String, String> =
        extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    settings.insert("HUURTOEZICHT_TRUSTED_PROXIES".into(), "127.0.0.1,10.0.0.9".into());
    spawn_app_with(settings, Clock::system()).await
}

async fn post_from(app: &TestApp, source: &str, path: &str, body: &Value) -> Response {
    app.client
        .post(app.url(path))
        // A client-supplied hop before the proxies is ignored: the last untrusted one counts.
        .header("x-forwarded-for", format!("198.18.0.1, {source}, 10.0.0.9"))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn assert_429_with_retry_after(res: Response) {
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .expect("a 429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "Retry-After {retry}");
    assert_problem(res, 429, "/problems/too-many-requests").await;
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_admin_out_from_another_source() {
    let app = spawn_behind_proxy(&[("HUURTOEZICHT_LOGIN_MAX_FAILURES", "3")]).await;
    let wrong = json!({"email": ADMIN_EMAIL, "password": "not-the-password-at-all"});
    let right = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    for _ in 0..3 {
        assert_eq!(post_from(&app, "203.0.113.7", "/v1/auth/token", &wrong).await.status(), 401);
    }
    // The stranger's source is locked out for this account, even with the right password…
    assert_429_with_retry_after(post_from(&app, "203.0.113.7", "/v1/auth/token", &right).await).await;
    // …the admin, elsewhere, is not.
    let res = post_from(&app, "198.51.100.2", "/v1/auth/token", &right).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn public_write_routes_are_limited_per_source_with_retry_after() {
    let app = spawn_behind_proxy(&[
        ("HUURTOEZICHT_RATE_LIMIT_INTAKE_PER_MINUTE", "2"),
        ("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST", "2"),
        ("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_PER_MINUTE", "1"),
        ("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_BURST", "1"),
        ("HUURTOEZICHT_RATE_LIMIT_TOKEN_PER_MINUTE", "2"),
        ("HUURTOEZICHT_RATE_LIMIT_TOKEN_BURST", "2"),
    ])
    .await;
    let register = |email: &str| json!({"email": email, "password": PASSWORD, "name": "Jan de Vries", "kind": "natural_person"});
    let res = post_from(&app, "203.0.113.7", "/v1/accounts/landlords", &register("een@example.nl")).await;
    assert_eq!(res.status(), 201);
    let res = post_from(&app, "203.0.113.7", "/v1/accounts/landlords", &register("twee@example.nl")).await;
    assert_429_with_retry_after(res).await;
    let res = post_from(&app, "198.51.100.2", "/v1/accounts/landlords", &register("drie@example.nl")).await;
    assert_eq!(res.status(), 201, "another source has its own allowance");

    // The intake counts requests, valid or not, before reading the body.
    for _ in 0..2 {
        assert_eq!(post_from(&app, "203.0.113.7", "/v1/complaints", &json!({})).await.status(), 422);
    }
    assert_429_with_retry_after(post_from(&app, "203.0.113.7", "/v1/complaints", &json!({})).await).await;
    assert_eq!(post_from(&app, "198.51.100.2", "/v1/complaints", &json!({})).await.status(), 422);

    for _ in 0..2 {
        assert_eq!(post_from(&app, "203.0.113.7", "/v1/auth/token", &json!({})).await.status(), 422);
    }
    assert_429_with_retry_after(post_from(&app, "203.0.113.7", "/v1/auth/token", &json!({})).await).await;
}
