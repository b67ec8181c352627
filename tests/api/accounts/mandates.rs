//! Portals acting for a landlord under the landlord's mandate: grant, token, work, revoke.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::at;

/// An API client with the given scopes; returns (client_id, client_secret).
async fn portal(app: &TestApp, name: &str, scopes: &[&str]) -> (String, String) {
    let admin = app.admin_token().await;
    let res = app
        .post(
            "/v1/api-clients",
            &json!({"name": name, "scopes": scopes, "municipality_code": MUNICIPALITY}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status(), 201);
    let c: Value = res.json().await.unwrap();
    (c["client_id"].as_str().unwrap().to_string(), c["client_secret"].as_str().unwrap().to_string())
}

async fn token_for_landlord(app: &TestApp, client: &(String, String), landlord: &str) -> reqwest::Response {
    app.post(
        "/v1/auth/token",
        &json!({"grant_type": "client_credentials", "client_id": client.0, "client_secret": client.1, "landlord_id": landlord}),
        None,
    )
    .await
}

#[tokio::test]
async fn a_portal_with_a_mandate_files_an_application_for_the_landlord_until_the_mandate_is_revoked() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let (me, landlord_token) = app.register_landlord("mandaat@example.nl").await;
    let landlord = me["landlord"]["id"].as_str().unwrap().to_string();
    let client = portal(&app, "Verhuurportaal", &["applications:write"]).await;
    let reader = portal(&app, "Registerlezer", &["register:read"]).await;

    // Without a mandate the portal gets no token for the landlord.
    let p =
        assert_problem(token_for_landlord(&app, &client, &landlord).await, 403, "/problems/forbidden").await;
    assert!(p["detail"].as_str().unwrap().contains("mandate"), "{p}");

    // The landlord grants it; a portal without applications:write cannot be mandated.
    let res = app.post("/v1/me/mandates", &json!({"client_id": reader.0}), Some(&landlord_token)).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = app.post("/v1/me/mandates", &json!({"client_id": "nobody"}), Some(&landlord_token)).await;
    assert_problem(res, 422, "/problems/validation").await;
    let list: Value = app
        .post("/v1/me/mandates", &json!({"client_id": client.0}), Some(&landlord_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["client_name"], "Verhuurportaal");
    assert_eq!(list["items"][0]["active"], true);
    let p =
        assert_problem(token_for_landlord(&app, &reader, &landlord).await, 403, "/problems/forbidden").await;
    assert!(p["detail"].as_str().unwrap().contains("applications:write"), "{p}");

    // The portal acts as the landlord: a property and an application, submitted.
    let res = token_for_landlord(&app, &client, &landlord).await;
    assert_eq!(res.status(), 200);
    let portal_token = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let property = app.create_property(&portal_token, &property_body("3011 AB", 12)).await;
    let res = app
        .post(
            "/v1/licence-applications",
            &json!({"property_id": property["id"], "kind": "general", "monthly_rent_cents": 55000,
                    "planned_occupancy": [{"room_label": "kamer 1", "persons": 1}]}),
            Some(&portal_token),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let a: Value = res.json().await.unwrap();
    let id = a["id"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/v1/licence-applications/{id}/submit")))
        .bearer_auth(&portal_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // It is the landlord's application; the landlord sees it.
    let mine: Value =
        app.get(&format!("/v1/licence-applications/{id}"), Some(&landlord_token)).await.json().await.unwrap();
    assert_eq!(mine["status"], "submitted");
    assert_eq!(mine["landlord_id"], landlord.as_str());
    // The audit trail names the portal as the actor.
    let admin = app.admin_token().await;
    let audit: Value = app
        .get(&format!("/v1/audit?entity_type=licence_application&entity_id={id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(audit["items"].as_array().unwrap().iter().all(|r| r["actor_kind"] == "api_client"), "{audit}");

    // The mandate covers applications, not the landlord's sanctions or mandates.
    let res = app.get("/v1/me/sanctions", Some(&portal_token)).await;
    assert_problem(res, 403, "/problems/forbidden").await;
    let res = app.post("/v1/me/mandates", &json!({"client_id": client.0}), Some(&portal_token)).await;
    assert_problem(res, 403, "/problems/forbidden").await;

    // Revoked: no new token.
    let list: Value = app
        .post(&format!("/v1/me/mandates/{}/revoke", client.0), &json!({}), Some(&landlord_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["active"], false);
    assert_problem(token_for_landlord(&app, &client, &landlord).await, 403, "/problems/forbidden").await;
    // The token it already holds stops working at once.
    let res = app.get(&format!("/v1/licence-applications/{id}"), Some(&portal_token)).await;
    let p = assert_problem(res, 403, "/problems/forbidden").await;
    assert!(p["detail"].as_str().unwrap().contains("revoked"), "{p}");
    let res =
        app.post(&format!("/v1/me/mandates/{}/revoke", client.0), &json!({}), Some(&landlord_token)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    // Granted again, the same token works again.
    app.post("/v1/me/mandates", &json!({"client_id": client.0}), Some(&landlord_token)).await;
    let res = app.get(&format!("/v1/licence-applications/{id}"), Some(&portal_token)).await;
    assert_eq!(res.status(), 200);
    // Only landlords have mandates.
    let res = app.get("/v1/me/mandates", Some(&role_token("officer"))).await;
    assert_problem(res, 403, "/problems/forbidden").await;
}
