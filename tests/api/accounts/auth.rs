use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn registered_landlord_gets_a_token_and_reads_own_account() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "Verhuur@Example.nl", "password": PASSWORD, "name": "Verhuur BV",
                    "kind": "legal_entity", "kvk_number": "12345678"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["role"], "landlord");
    assert_eq!(created["email"], "verhuur@example.nl");
    assert_eq!(created["landlord"]["kvk_number"], "12345678");
    assert!(created.get("password_hash").is_none());

    let res =
        app.post("/v1/auth/token", &json!({"email": "verhuur@example.nl", "password": PASSWORD}), None).await;
    assert_eq!(res.status(), 200);
    let tok: Value = res.json().await.unwrap();
    assert_eq!(tok["token_type"], "Bearer");
    assert_eq!(tok["expires_in"], 900);
    let token = tok["access_token"].as_str().unwrap();

    let me: Value = app.get("/v1/me", Some(token)).await.json().await.unwrap();
    assert_eq!(me["id"], created["id"]);
    assert_eq!(me["role"], "landlord");
    assert_eq!(me["landlord"]["name"], "Verhuur BV");
}

#[tokio::test]
async fn legal_entity_without_kvk_and_weak_password_are_refused_with_field_pointers() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "x@example.nl", "password": "password123", "name": "X BV", "kind": "legal_entity"}),
            None,
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        body["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, vec!["/password", "/kvk_number"]);

    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "x@example.nl", "password": PASSWORD, "name": "X BV", "kind": "legal_entity", "kvk_number": "1234"}),
            None,
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/kvk_number");
}

#[tokio::test]
async fn registering_the_same_email_twice_is_a_conflict() {
    let app = spawn_app().await;
    app.register_landlord("dubbel@example.nl").await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "DUBBEL@example.nl", "password": PASSWORD, "name": "Ander", "kind": "natural_person"}),
            None,
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    app.register_landlord("jan@example.nl").await;
    let a = app
        .post(
            "/v1/auth/token",
            &json!({"email": "jan@example.nl", "password": "verkeerd-wachtwoord-1"}),
            None,
        )
        .await;
    let a = assert_problem(a, 401, "/problems/unauthorized").await;
    let b = app
        .post(
            "/v1/auth/token",
            &json!({"email": "niemand@example.nl", "password": "verkeerd-wachtwoord-1"}),
            None,
        )
        .await;
    let b = assert_problem(b, 401, "/problems/unauthorized").await;
    assert_eq!(a["detail"], b["detail"]);
}

#[tokio::test]
async fn expired_forged_unsigned_and_foreign_tokens_are_rejected() {
    let app = spawn_app().await;
    let sub = uuid::Uuid::new_v4().to_string();
    let expired = make_token("manager", &sub, &[MUNICIPALITY], -120, "huurtoezicht-api", JWT_SECRET);
    let forged = make_token(
        "manager",
        &sub,
        &[MUNICIPALITY],
        600,
        "huurtoezicht-api",
        "another-secret-of-sufficient-length-123",
    );
    let wrong_aud = make_token("manager", &sub, &[MUNICIPALITY], 600, "some-other-api", JWT_SECRET);
    // alg none: header {"alg":"none"}, no signature.
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let now = chrono::Utc::now().timestamp();
    let none = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&json!({"iss":"huurtoezicht","aud":"huurtoezicht-api","sub":sub,"exp":now+600,"iat":now,"jti":"x","role":"admin","municipalities":[]}).to_string())
    );
    for (name, token) in [
        ("expired", expired),
        ("forged", forged),
        ("wrong audience", wrong_aud),
        ("alg none", none),
        ("garbage", "abc.def".into()),
    ] {
        let res = app.get("/v1/audit", Some(&token)).await;
        assert_eq!(res.status(), 401, "{name} token must be refused");
        assert!(res.headers().contains_key("www-authenticate"));
        assert_problem(res, 401, "/problems/unauthorized").await;
    }
}

#[tokio::test]
async fn role_matrix_of_the_foundation_routes() {
    let app = spawn_app().await;
    assert_role_matrix(&app, Method::GET, "/v1/audit", &json!({}), &["manager", "admin"]).await;
    assert_role_matrix(&app, Method::POST, "/v1/accounts", &json!({}), &["admin"]).await;
    assert_role_matrix(&app, Method::POST, "/v1/api-clients", &json!({}), &["admin"]).await;
}

#[tokio::test]
async fn every_protected_operation_in_the_spec_answers_401_without_a_token() {
    let app = spawn_app().await;
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // No security, or an empty requirement `{}` among them (the token is optional, as on
            // the public meldpunt intake): not a protected operation.
            let optional = op["security"]
                .as_array()
                .is_some_and(|a| a.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())));
            if op.get("security").is_none() || optional {
                continue;
            }
            // Fill path parameters with a syntactically valid id.
            let concrete = path
                .split('/')
                .map(|s| if s.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app.send(m, &concrete, &json!({}), None).await;
            assert_eq!(res.status(), 401, "{method} {path} must require a token");
            checked += 1;
        }
    }
    assert!(checked >= 4, "the spec should list protected operations");
}

#[tokio::test]
async fn admin_creates_officer_with_municipalities_and_officer_token_carries_them() {
    let app = spawn_app().await;
    let token = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let me: Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["role"], "officer");
    assert_eq!(me["municipalities"], json!([MUNICIPALITY]));

    let admin = app.admin_token().await;
    let res = app
        .post("/v1/accounts", &json!({"email": "x@gemeente.test", "password": PASSWORD, "name": "X", "role": "officer", "municipalities": []}), Some(&admin))
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/municipalities");
    let res = app
        .post("/v1/accounts", &json!({"email": "y@gemeente.test", "password": PASSWORD, "name": "Y", "role": "officer", "municipalities": ["GM9999"]}), Some(&admin))
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/municipalities/0");
}

#[tokio::test]
async fn every_kind_of_account_reads_its_own_me() {
    let app = spawn_app().await;
    let (_, landlord) = app.register_landlord("me@example.nl").await;
    let mut tokens = vec![("landlord", landlord), ("admin", app.admin_token().await)];
    for role in ["officer", "bibob_officer", "manager"] {
        tokens.push((role, app.staff_token(role, &format!("{role}@gemeente.test"), &[MUNICIPALITY]).await));
    }
    tokens.push(("api_client", app.client_token(&["register:read"]).await));
    for (role, token) in tokens {
        let me: Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["role"], role);
    }
}

#[tokio::test]
async fn api_client_uses_client_credentials_and_sees_its_scopes() {
    let app = spawn_app().await;
    let token = app.client_token(&["complaints:write"]).await;
    let me: Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["role"], "api_client");
    assert_eq!(me["scopes"], json!(["complaints:write"]));
    assert_eq!(me["municipalities"], json!([MUNICIPALITY]));

    let res = app
        .post(
            "/v1/auth/token",
            &json!({"grant_type": "client_credentials", "client_id": "htc_nope", "client_secret": "x"}),
            None,
        )
        .await;
    assert_problem(res, 401, "/problems/unauthorized").await;
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_even_with_the_right_one_after() {
    let app = spawn_app().await;
    app.register_landlord("brute@example.nl").await;
    for _ in 0..10 {
        let res = app
            .post(
                "/v1/auth/token",
                &json!({"email": "brute@example.nl", "password": "fout-wachtwoord-123"}),
                None,
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res =
        app.post("/v1/auth/token", &json!({"email": "brute@example.nl", "password": PASSWORD}), None).await;
    assert_problem(res, 429, "/problems/too-many-requests").await;
    // Other accounts are unaffected.
    app.register_landlord("other@example.nl").await;
}

#[tokio::test]
async fn rs256_key_files_sign_and_verify_tokens_and_hs256_tokens_are_then_refused() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let settings: std::collections::HashMap<String, String> = [
        ("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE", format!("{fixtures}/test-only-rs256-private.pem")),
        ("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE", format!("{fixtures}/test-only-rs256-public.pem")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::system()).await;
    let (_, token) = app.register_landlord("rsa@example.nl").await;
    let header = token.split('.').next().unwrap();
    use base64::Engine;
    let header: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap())
            .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(app.get("/v1/me", Some(&token)).await.status(), 200);
    // An HS256 token signed with the (public) key material or any secret is refused.
    let hs = make_token("admin", "x", &[MUNICIPALITY], 600, "huurtoezicht-api", JWT_SECRET);
    assert_problem(app.get("/v1/audit", Some(&hs)).await, 401, "/problems/unauthorized").await;
}
