//! Every error class answers with problem+json and the right status.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/accounts/landlords"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "/problems/bad-request").await;
}

#[tokio::test]
async fn wrong_types_and_unknown_enum_values_are_422_with_pointer() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "a@b.nl", "password": PASSWORD, "name": 42, "kind": "natural_person"}),
            None,
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/name");
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "a@b.nl", "password": PASSWORD, "name": "A", "kind": "alien"}),
            None,
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/kind");
    let res = app
        .post("/v1/accounts/landlords", &json!({"email": "a@b.nl", "password": PASSWORD, "name": "A"}), None)
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/kind");
    assert_eq!(body["errors"][0]["reason"], "is required");
}

#[tokio::test]
async fn validator_rules_are_422_naming_the_field() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "a@b.nl", "password": PASSWORD, "name": "", "kind": "natural_person"}),
            None,
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/name");
}

#[tokio::test]
async fn unknown_route_is_404_and_wrong_method_is_405() {
    let app = spawn_app().await;
    assert_problem(app.get("/v1/nothing-here", None).await, 404, "/problems/not-found").await;
    let res = app.send(Method::DELETE, "/v1/auth/token", &json!({}), None).await;
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "/problems/method-not-allowed").await;
    // A path with a parameter: the Allow header names what the spec lists for its template.
    let res = app.send(Method::from_bytes(b"TRACE").unwrap(), "/v1/properties/p-1", &json!({}), None).await;
    assert_eq!(res.headers()["allow"], "GET, PATCH");
    assert_problem(res, 405, "/problems/method-not-allowed").await;
    // A literal path that a template also matches (`/v1/complaints/{id}`): the methods of the
    // literal path only.
    let res = app.send(Method::OPTIONS, "/v1/complaints/partner-signals", &json!({}), None).await;
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "/problems/method-not-allowed").await;
}

/// The router matches path parameters with regex-lite (actix-web without `unicode`): a parameter
/// is still any text without a slash, non-ASCII included. A matched route without a token
/// answers 401; a path no route has would answer 404.
#[tokio::test]
async fn a_path_parameter_with_non_ascii_characters_reaches_its_route() {
    let app = spawn_app().await;
    for path in [
        "/v1/leases/%C3%A9t%C3%A9",
        "/v1/leases/\u{e9}t\u{e9}",
        "/v1/properties/\u{2603}",
        "/v1/leases/a%2Fb",
    ] {
        assert_problem(app.get(path, None).await, 401, "/problems/unauthorized").await;
    }
    assert_problem(app.get("/v1/leases/a/b", None).await, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn the_served_spec_documents_400_413_and_415_on_every_json_body() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["requestBody"]["content"].get("application/json").is_none() {
                continue;
            }
            for status in ["400", "413", "415"] {
                assert!(op["responses"].get(status).is_some(), "{method} {path} does not document {status}");
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} operations with a JSON body");
    // And the server really answers 415 for a body without a JSON content type.
    let res = app.client.post(app.url("/v1/auth/token")).body("email=x").send().await.unwrap();
    assert_problem(res, 415, "/problems/unsupported-media-type").await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = spawn_app().await;
    let big = "x".repeat(300 * 1024);
    let res = app.post("/v1/accounts/landlords", &json!({"name": big}), None).await;
    assert_problem(res, 413, "/problems/payload-too-large").await;
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/auth/token"))
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "/problems/unsupported-media-type").await;
}

#[tokio::test]
async fn missing_token_is_401_and_wrong_role_is_403() {
    let app = spawn_app().await;
    assert_problem(app.get("/v1/audit", None).await, 401, "/problems/unauthorized").await;
    let (_, landlord) = app.register_landlord("l@example.nl").await;
    assert_problem(app.get("/v1/audit", Some(&landlord)).await, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn bad_query_parameters_are_422() {
    let app = spawn_app().await;
    let token = role_token("admin");
    let res = app.get("/v1/audit?limit=abc", Some(&token)).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = app.get("/v1/audit?limit=0", Some(&token)).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "#/query/limit");
}

#[tokio::test]
async fn problems_carry_the_request_id() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/v1/nothing")).header("x-request-id", "req-42").send().await.unwrap();
    let body = assert_problem(res, 404, "/problems/not-found").await;
    assert_eq!(body["request_id"], "req-42");
}

#[tokio::test]
async fn a_nul_character_anywhere_in_the_request_is_a_4xx_on_every_backend() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // In a JSON string (PostgreSQL text cannot hold it): 422 naming the field.
    let res = app
        .post(
            "/v1/accounts",
            &json!({"email": "a@gemeente.test", "password": "lantaarn-fiets-kompas-82", "name": "Jan\u{0}",
                    "role": "officer", "municipalities": ["GM0599"]}),
            Some(&admin),
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/name");
    // In the query string: 422 naming the parameter; in the path: no such resource.
    let res = app.get("/v1/audit?entity_type=landlord%00", Some(&admin)).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "#/query/entity_type");
    let res = app.get("/v1/complaints/abc%00def", Some(&admin)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    // A text that only spells a backslash and "u0000" is ordinary text.
    let res = app
        .post(
            "/v1/accounts",
            &json!({"email": "b@gemeente.test", "password": "lantaarn-fiets-kompas-82", "name": "Jan \\u0000",
                    "role": "officer", "municipalities": ["GM0599"]}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 201);
}
