//! Access taken away takes effect on the next request; `GET /v1/me` for a portal acting for a
//! landlord.

use serde_json::{json, Value};

use crate::authz::add_municipality;
use crate::helpers::*;

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/v1/me", Some(token)).await
}

async fn id_of(app: &TestApp, token: &str) -> String {
    let body: Value = me(app, token).await.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_disabled_account_loses_its_token_at_once_and_enabling_does_not_revive_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let officer = app.staff_token("officer", "weg@gemeente.test", &[MUNICIPALITY]).await;
    let id = id_of(&app, &officer).await;

    let res = app
        .post(&format!("/v1/accounts/{id}/disable"), &json!({"reason": "left the service"}), Some(&admin))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], true);
    let p = assert_problem(me(&app, &officer).await, 401, "/problems/unauthorized").await;
    assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");
    let res =
        app.post("/v1/auth/token", &json!({"email": "weg@gemeente.test", "password": PASSWORD}), None).await;
    assert_eq!(res.status(), 401);

    // Enabled again: the old token stays refused, a new sign-in works.
    let res = app.post(&format!("/v1/accounts/{id}/enable"), &json!({"reason": "back"}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    let p = assert_problem(me(&app, &officer).await, 401, "/problems/unauthorized").await;
    assert!(p["detail"].as_str().unwrap().contains("new token"), "{p}");
    let fresh = app.token_for("weg@gemeente.test", PASSWORD).await;
    assert_eq!(me(&app, &fresh).await.status(), 200);

    // The admin cannot lock themselves out; unknown accounts are 404; both changes audited.
    let admin_id = id_of(&app, &admin).await;
    let res =
        app.post(&format!("/v1/accounts/{admin_id}/disable"), &json!({"reason": "oops"}), Some(&admin)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res = app.post("/v1/accounts/nobody/disable", &json!({"reason": "x"}), Some(&admin)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    let trail: Value = app
        .get(&format!("/v1/audit?entity_type=account&entity_id={id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> =
        trail["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "set_disabled").count(), 2, "{trail}");
}

#[tokio::test]
async fn a_staff_account_that_loses_a_municipality_needs_a_new_token() {
    let app = spawn_app().await;
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let admin = app.admin_token().await;
    let officer = app.staff_token("officer", "twee@gemeente.test", &[MUNICIPALITY, "GM0363"]).await;
    let id = id_of(&app, &officer).await;

    let path = format!("/v1/accounts/{id}/municipalities");
    let res = app.put(&path, &json!({"municipalities": ["GM9999"], "reason": "x"}), Some(&admin)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/municipalities/0", "{p}");
    let res = app.put(&path, &json!({"municipalities": ["GM0363"], "reason": "moved"}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["municipalities"], json!(["GM0363"]));

    assert_problem(me(&app, &officer).await, 401, "/problems/unauthorized").await;
    let fresh = app.token_for("twee@gemeente.test", PASSWORD).await;
    let body: Value = me(&app, &fresh).await.json().await.unwrap();
    assert_eq!(body["municipalities"], json!(["GM0363"]));

    // Each municipality that lost or gained the account sees the change in its trail.
    let trail: Value = app
        .get(&format!("/v1/audit?entity_type=account&entity_id={id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let mut filed: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["action"] == "set_municipalities")
        .map(|i| i["municipality_code"].as_str().unwrap())
        .collect();
    filed.sort();
    assert_eq!(filed, ["GM0363", MUNICIPALITY], "{trail}");

    // A landlord account has no municipalities to change.
    let (landlord, _) = app.register_landlord("geen@example.nl").await;
    let res = app
        .put(
            &format!("/v1/accounts/{}/municipalities", landlord["id"].as_str().unwrap()),
            &json!({"municipalities": [MUNICIPALITY], "reason": "x"}),
            Some(&admin),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn me_answers_for_a_portal_acting_for_a_landlord_until_the_client_is_disabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (account, landlord_token) = app.register_landlord("portaal@example.nl").await;
    let landlord = account["landlord"]["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            "/v1/api-clients",
            &json!({"name": "Verhuurportaal", "scopes": ["applications:write", "complaints:write"], "municipality_code": MUNICIPALITY}),
            Some(&admin),
        )
        .await;
    let c: Value = res.json().await.unwrap();
    let res = app.post("/v1/me/mandates", &json!({"client_id": c["client_id"]}), Some(&landlord_token)).await;
    assert_eq!(res.status(), 200);
    let login = |landlord_id: Option<&str>| {
        let mut body = json!({"grant_type": "client_credentials", "client_id": c["client_id"],
                              "client_secret": c["client_secret"]});
        if let Some(l) = landlord_id {
            body["landlord_id"] = json!(l);
        }
        body
    };
    let token = |res: Value| res["access_token"].as_str().unwrap().to_string();
    let own = token(app.post("/v1/auth/token", &login(None), None).await.json().await.unwrap());
    let acting = token(app.post("/v1/auth/token", &login(Some(&landlord)), None).await.json().await.unwrap());

    let res = me(&app, &acting).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["role"], "landlord");
    assert_eq!(body["landlord"]["id"], landlord.as_str());
    assert_eq!(body["acting_client"]["client_id"], c["client_id"]);
    assert_eq!(body["acting_client"]["name"], "Verhuurportaal");

    let res = app
        .post(
            &format!("/v1/api-clients/{}/disable", c["id"].as_str().unwrap()),
            &json!({"reason": "leak"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "disabled");
    for t in [&own, &acting] {
        let p = assert_problem(me(&app, t).await, 401, "/problems/unauthorized").await;
        assert!(p["detail"].as_str().unwrap().contains("API client has been disabled"), "{p}");
    }
    assert_eq!(app.post("/v1/auth/token", &login(None), None).await.status(), 401);
    // Also on the complaint intake, which takes a token only optionally.
    let res = app
        .client
        .post(app.url("/v1/complaints"))
        .bearer_auth(&own)
        .header("idempotency-key", "na-uitschakelen-1")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "/problems/unauthorized").await;
    // The landlord's own account is untouched.
    assert_eq!(me(&app, &landlord_token).await.status(), 200);
}
