//! API clients managed by the admin: create with several scopes and municipalities, list and read
//! without secrets, change, rotate the secret, disable, enable, revoke; every action audited, and
//! a client's own writes audited as that client.

use reqwest::Method;
use serde_json::{json, Value};

use crate::authz::add_municipality;
use crate::helpers::*;

const OTHER: &str = "GM0363";

async fn create(app: &TestApp, body: Value) -> Value {
    let res = app.post("/v1/api-clients", &body, Some(&app.admin_token().await)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn portal(app: &TestApp, scopes: &[&str]) -> Value {
    create(app, json!({"name": "Huurdersportaal", "scopes": scopes, "municipalities": [MUNICIPALITY]})).await
}

async fn token_request(app: &TestApp, client_id: &Value, secret: &Value) -> reqwest::Response {
    let body = json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret});
    app.post("/v1/auth/token", &body, None).await
}

async fn token(app: &TestApp, c: &Value) -> String {
    let res = token_request(app, &c["client_id"], &c["client_secret"]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
}

/// The claims of a token issued by the app (signed with the test secret).
fn claims(token: &str) -> Value {
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.set_audience(&["huurtoezicht-api"]);
    jsonwebtoken::decode::<Value>(token, &jsonwebtoken::DecodingKey::from_secret(JWT_SECRET.as_bytes()), &v)
        .unwrap()
        .claims
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/v1/me", Some(token)).await
}

fn path(c: &Value, verb: &str) -> String {
    let id = c["id"].as_str().unwrap();
    if verb.is_empty() {
        format!("/v1/api-clients/{id}")
    } else {
        format!("/v1/api-clients/{id}/{verb}")
    }
}

async fn step(app: &TestApp, c: &Value, verb: &str) -> reqwest::Response {
    app.post(&path(c, verb), &json!({"reason": "ticket 4711"}), Some(&app.admin_token().await)).await
}

#[tokio::test]
async fn a_client_with_several_scopes_and_municipalities_gets_them_all_in_its_token() {
    let app = spawn_app().await;
    add_municipality(&app, OTHER, "Amsterdam").await;
    let c = create(
        &app,
        json!({"name": " Meldportaal ", "scopes": ["events:read", "complaints:write", "events:read"],
               "municipalities": [MUNICIPALITY, OTHER], "contact_email": "integraties@portaal.example"}),
    )
    .await;
    assert_eq!(c["name"], "Meldportaal");
    assert_eq!(c["state"], "active");
    assert_eq!(c["scopes"], json!(["complaints:write", "events:read"]));
    assert_eq!(c["municipalities"], json!([OTHER, MUNICIPALITY]));
    assert_eq!(c["municipality_code"], OTHER);
    assert_eq!(c["contact_email"], "integraties@portaal.example");
    assert_eq!(c["client_secret"].as_str().unwrap().len(), 64);

    let t = token(&app, &c).await;
    let claims = claims(&t);
    assert_eq!(claims["role"], "api_client");
    assert_eq!(claims["municipalities"], json!([OTHER, MUNICIPALITY]));
    assert_eq!(claims["scopes"], json!(["complaints:write", "events:read"]));
    let me: Value = me(&app, &t).await.json().await.unwrap();
    assert_eq!(me["municipalities"], json!([OTHER, MUNICIPALITY]));

    // The older single-municipality form still creates a client.
    let old =
        create(&app, json!({"name": "Oud", "scopes": ["register:read"], "municipality_code": MUNICIPALITY}))
            .await;
    assert_eq!(old["municipalities"], json!([MUNICIPALITY]));
}

#[tokio::test]
async fn list_and_get_never_show_a_secret_or_its_hash() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let a = portal(&app, &["events:read"]).await;
    let b = portal(&app, &["complaints:write"]).await;
    assert_eq!(step(&app, &b, "disable").await.status(), 200);

    let res = app.get("/v1/api-clients", Some(&admin)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    for secret in [&a["client_secret"], &b["client_secret"]] {
        assert!(!text.contains(secret.as_str().unwrap()));
    }
    assert!(!text.contains("secret") && !text.contains("argon2"), "{text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<&Value> = list["items"].as_array().unwrap().iter().map(|i| &i["id"]).collect();
    assert_eq!(ids, vec![&b["id"], &a["id"]], "newest first");

    let active: Value = app.get("/v1/api-clients?state=active", Some(&admin)).await.json().await.unwrap();
    assert_eq!(active["items"].as_array().unwrap().len(), 1);
    assert_eq!(active["items"][0]["id"], a["id"]);
    let disabled: Value = app.get("/v1/api-clients?state=disabled", Some(&admin)).await.json().await.unwrap();
    assert_eq!(disabled["items"][0]["id"], b["id"]);
    let page: Value = app.get("/v1/api-clients?limit=1", Some(&admin)).await.json().await.unwrap();
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: Value = app
        .get(&format!("/v1/api-clients?limit=1&cursor={cursor}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["items"][0]["id"], a["id"]);
    assert!(next["next_cursor"].is_null());
    let p = assert_problem(
        app.get("/v1/api-clients?state=gone", Some(&admin)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "#/query/state");

    let res = app.get(&path(&a, ""), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains("secret") && !text.contains(a["client_secret"].as_str().unwrap()), "{text}");
    let one: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(one["client_id"], a["client_id"]);
    assert_eq!(one["state"], "active");
    let unknown = format!("/v1/api-clients/{}", uuid::Uuid::new_v4());
    assert_problem(app.get(&unknown, Some(&admin)).await, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn rotating_the_secret_stops_the_old_secret_and_old_tokens_at_once() {
    let app = spawn_app().await;
    let c = portal(&app, &["complaints:write"]).await;
    let old_token = token(&app, &c).await;
    assert_eq!(me(&app, &old_token).await.status(), 200);

    let res = step(&app, &c, "rotate-secret").await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, c["client_secret"].as_str().unwrap());
    assert_eq!(rotated["client_id"], c["client_id"]);

    assert_problem(me(&app, &old_token).await, 401, "/problems/unauthorized").await;
    let res = token_request(&app, &c["client_id"], &c["client_secret"]).await;
    assert_problem(res, 401, "/problems/unauthorized").await;
    let res = token_request(&app, &c["client_id"], &rotated["client_secret"]).await;
    assert_eq!(res.status(), 200);
    let new_token = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    assert_eq!(me(&app, &new_token).await.status(), 200);
}

#[tokio::test]
async fn a_revoked_client_is_shut_out_for_good() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = portal(&app, &["complaints:write"]).await;
    let t = token(&app, &c).await;

    let res = step(&app, &c, "revoke").await;
    assert_eq!(res.status(), 200);
    let revoked: Value = res.json().await.unwrap();
    assert_eq!(revoked["state"], "revoked");
    assert!(revoked["revoked_at"].is_string());

    assert_problem(me(&app, &t).await, 401, "/problems/unauthorized").await;
    let res = token_request(&app, &c["client_id"], &c["client_secret"]).await;
    assert_problem(res, 401, "/problems/unauthorized").await;
    for verb in ["enable", "disable", "rotate-secret", "revoke"] {
        let p = assert_problem(step(&app, &c, verb).await, 409, "/problems/conflict").await;
        assert!(p["detail"].as_str().unwrap().contains("revoked"), "{verb}: {p}");
    }
    let res = app.patch(&path(&c, ""), &json!({"name": "Terug"}), Some(&admin)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    // Still on record, in its own state.
    let list: Value = app.get("/v1/api-clients?state=revoked", Some(&admin)).await.json().await.unwrap();
    assert_eq!(list["items"][0]["id"], c["id"]);
    let list: Value = app.get("/v1/api-clients?state=disabled", Some(&admin)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn disabling_is_reversible_but_old_tokens_stay_refused() {
    let app = spawn_app().await;
    let c = portal(&app, &["complaints:write"]).await;
    let t = token(&app, &c).await;
    let res = step(&app, &c, "disable").await;
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "disabled");
    assert_problem(me(&app, &t).await, 401, "/problems/unauthorized").await;
    assert_eq!(token_request(&app, &c["client_id"], &c["client_secret"]).await.status(), 401);
    let res = step(&app, &c, "enable").await;
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "active");
    assert_problem(me(&app, &t).await, 401, "/problems/unauthorized").await;
    let fresh = token(&app, &c).await;
    assert_eq!(me(&app, &fresh).await.status(), 200);
}

#[tokio::test]
async fn changing_scopes_or_municipalities_stops_old_tokens_and_a_name_change_does_not() {
    let app = spawn_app().await;
    add_municipality(&app, OTHER, "Amsterdam").await;
    let admin = app.admin_token().await;
    let c = portal(&app, &["complaints:write"]).await;
    let t = token(&app, &c).await;

    let res = app
        .patch(
            &path(&c, ""),
            &json!({"name": "Nieuwe naam", "contact_email": "ops@portaal.example"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["name"], "Nieuwe naam");
    assert_eq!(body["contact_email"], "ops@portaal.example");
    assert_eq!(me(&app, &t).await.status(), 200, "a name change keeps the tokens");

    let res = app.patch(&path(&c, ""), &json!({"scopes": ["events:read"]}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["scopes"], json!(["events:read"]));
    assert_problem(me(&app, &t).await, 401, "/problems/unauthorized").await;
    let t2 = token(&app, &c).await;
    assert_eq!(claims(&t2)["scopes"], json!(["events:read"]));

    let res = app
        .patch(&path(&c, ""), &json!({"municipalities": [OTHER], "contact_email": null}), Some(&admin))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["municipalities"], json!([OTHER]));
    assert_eq!(body["municipality_code"], OTHER);
    assert!(body["contact_email"].is_null());
    assert_problem(me(&app, &t2).await, 401, "/problems/unauthorized").await;
    assert_eq!(claims(&token(&app, &c).await)["municipalities"], json!([OTHER]));
}

#[tokio::test]
async fn only_the_admin_manages_clients() {
    let app = spawn_app().await;
    let c = portal(&app, &["complaints:write"]).await;
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    let client = token(&app, &c).await;
    let reason = json!({"reason": "x"});
    for t in [&manager, &client] {
        assert_problem(app.get("/v1/api-clients", Some(t)).await, 403, "/problems/forbidden").await;
        assert_problem(app.get(&path(&c, ""), Some(t)).await, 403, "/problems/forbidden").await;
        let res = app.patch(&path(&c, ""), &json!({"name": "x"}), Some(t)).await;
        assert_problem(res, 403, "/problems/forbidden").await;
        for verb in ["rotate-secret", "revoke", "disable", "enable"] {
            assert_problem(app.post(&path(&c, verb), &reason, Some(t)).await, 403, "/problems/forbidden")
                .await;
        }
    }
    assert_problem(app.get("/v1/api-clients", None).await, 401, "/problems/unauthorized").await;
    // Nothing changed: the client still works.
    assert_eq!(me(&app, &client).await.status(), 200);
}

#[tokio::test]
async fn bad_input_answers_422_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (
            json!({"name": "P", "scopes": ["events:read", "root"], "municipalities": [MUNICIPALITY]}),
            "/scopes/1",
        ),
        (json!({"name": "P", "scopes": [], "municipalities": [MUNICIPALITY]}), "/scopes"),
        (json!({"name": "P", "scopes": ["events:read"], "municipalities": ["GM9999"]}), "/municipalities/0"),
        (
            json!({"name": "P", "scopes": ["events:read"], "municipalities": ["Rotterdam"]}),
            "/municipalities/0",
        ),
        (json!({"name": "P", "scopes": ["events:read"], "municipalities": []}), "/municipalities"),
        (
            json!({"name": "P", "scopes": ["events:read"], "municipality_code": "GM9999"}),
            "/municipality_code/0",
        ),
        (json!({"name": "  ", "scopes": ["events:read"], "municipalities": [MUNICIPALITY]}), "/name"),
        (
            json!({"name": "P", "scopes": ["events:read"], "municipalities": [MUNICIPALITY], "contact_email": "geen"}),
            "/contact_email",
        ),
    ];
    for (body, pointer) in cases {
        let res = app.post("/v1/api-clients", &body, Some(&admin)).await;
        let p = assert_problem(res, 422, "/problems/validation").await;
        let pointers: Vec<&str> =
            p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert!(pointers.contains(&pointer), "{body}: {p}");
    }
    let none: Value = app.get("/v1/api-clients", Some(&admin)).await.json().await.unwrap();
    assert_eq!(none["items"], json!([]), "no half-written client");

    let c = portal(&app, &["events:read"]).await;
    for (body, pointer) in [
        (json!({"scopes": []}), "/scopes"),
        (json!({"scopes": ["events:write"]}), "/scopes/0"),
        (json!({"municipalities": ["GM9999"]}), "/municipalities/0"),
        (json!({"contact_email": "geen"}), "/contact_email"),
    ] {
        let p =
            assert_problem(app.patch(&path(&c, ""), &body, Some(&admin)).await, 422, "/problems/validation")
                .await;
        assert_eq!(p["errors"][0]["pointer"], pointer, "{body}: {p}");
    }
    let p = assert_problem(
        app.post(&path(&c, "revoke"), &json!({"reason": " "}), Some(&admin)).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/reason");
    let same: Value = app.get(&path(&c, ""), Some(&admin)).await.json().await.unwrap();
    assert_eq!(same["scopes"], json!(["events:read"]));
    assert_eq!(same["state"], "active");
}

#[tokio::test]
async fn every_admin_action_on_a_client_is_audited_without_secrets() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = portal(&app, &["events:read"]).await;
    app.patch(&path(&c, ""), &json!({"scopes": ["events:read", "webhooks:manage"]}), Some(&admin)).await;
    let rotated: Value = step(&app, &c, "rotate-secret").await.json().await.unwrap();
    step(&app, &c, "disable").await;
    step(&app, &c, "enable").await;
    step(&app, &c, "revoke").await;

    let url = format!("/v1/audit?entity_type=api_client&entity_id={}", c["id"].as_str().unwrap());
    let res = app.get(&url, Some(&admin)).await;
    let text = res.text().await.unwrap();
    for secret in [&c["client_secret"], &rotated["client_secret"]] {
        assert!(!text.contains(secret.as_str().unwrap()), "a secret in the audit trail");
    }
    assert!(!text.contains("argon2"));
    let trail: Value = serde_json::from_str(&text).unwrap();
    let actions: Vec<&str> =
        trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["revoke", "set_disabled", "set_disabled", "rotate_secret", "update", "create"]);
    for entry in trail["items"].as_array().unwrap() {
        assert_eq!(entry["actor_kind"], "account");
        assert_eq!(entry["municipality_code"], MUNICIPALITY);
    }
    assert_eq!(trail["items"][4]["after"]["scopes"], json!(["events:read", "webhooks:manage"]));
    assert_eq!(trail["items"][0]["reason"], "ticket 4711");
}

#[tokio::test]
async fn a_portal_s_writes_are_audited_as_that_client() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    // The public intake with a complaints:write token.
    let c = portal(&app, &["complaints:write", "applications:write"]).await;
    let t = token(&app, &c).await;
    let res = app
        .client
        .post(app.url("/v1/complaints"))
        .bearer_auth(&t)
        .header("idempotency-key", "audit-als-portaal-1")
        .json(&crate::complaints::report("no_licence"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let complaint: Value = res.json().await.unwrap();
    let url = format!("/v1/audit?entity_id={}", complaint["id"].as_str().unwrap());
    let trail: Value = app.get(&url, Some(&admin)).await.json().await.unwrap();
    let items = trail["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for e in items {
        assert_eq!(e["actor_kind"], "api_client", "{e}");
        assert_eq!(e["actor_id"], c["id"], "{e}");
    }

    // A portal acting under a landlord's mandate.
    let (account, landlord_token) = app.register_landlord("mandaat-audit@example.nl").await;
    let landlord = account["landlord"]["id"].as_str().unwrap();
    let res = app.post("/v1/me/mandates", &json!({"client_id": c["client_id"]}), Some(&landlord_token)).await;
    assert_eq!(res.status(), 200);
    let body = json!({"grant_type": "client_credentials", "client_id": c["client_id"],
                      "client_secret": c["client_secret"], "landlord_id": landlord});
    let res = app.post("/v1/auth/token", &body, None).await;
    assert_eq!(res.status(), 200);
    let acting = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let property = app.create_property(&acting, &property_body("3011 AB", 7)).await;
    let url = format!("/v1/audit?entity_id={}", property["id"].as_str().unwrap());
    let trail: Value = app.get(&url, Some(&admin)).await.json().await.unwrap();
    let items = trail["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for e in items {
        assert_eq!(e["actor_kind"], "api_client", "{e}");
        assert_eq!(e["actor_id"], c["id"], "{e}");
    }

    // Revoking the client stops the acting token too.
    step(&app, &c, "revoke").await;
    assert_problem(me(&app, &acting).await, 401, "/problems/unauthorized").await;
}

#[tokio::test]
async fn the_intake_refuses_a_client_without_the_complaints_scope() {
    let app = spawn_app().await;
    let c = portal(&app, &["events:read"]).await;
    let t = token(&app, &c).await;
    let res = app
        .client
        .post(app.url("/v1/complaints"))
        .bearer_auth(&t)
        .header("idempotency-key", "zonder-scope-1")
        .json(&crate::complaints::report("no_licence"))
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 403, "/problems/forbidden").await;
    assert!(p["detail"].as_str().unwrap().contains("complaints:write"), "{p}");
    // The role guard of a route that admits no API client refuses it whatever its scopes.
    assert_role_matrix(&app, Method::GET, "/v1/api-clients", &json!({}), &["admin"]).await;
}
