//! Licences: suspension, revocation, expiry by date, the public register.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, ok, submitted, verb, wait_for_mail_with, Setup};

async fn granted_licence(app: &TestApp, s: &Setup) -> Value {
    let a = submitted(app, s).await;
    let a =
        ok(verb(app, a["id"].as_str().unwrap(), "decide", Some(json!({"decision": "grant"})), &s.officer)
            .await)
        .await;
    app.get(&format!("/v1/licences/{}", a["licence_id"].as_str().unwrap()), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap()
}

async fn legal_entity_setup(app: &TestApp) -> Setup {
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "bv@example.nl", "password": PASSWORD, "name": "Huisvesting Noord BV",
                    "kind": "legal_entity", "kvk_number": "87654321"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    let landlord = app.token_for("bv@example.nl", PASSWORD).await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let p = app.create_property(&landlord, &property_body("3011 AB", 12)).await;
    Setup { landlord, officer, property_id: p["id"].as_str().unwrap().to_string() }
}

#[tokio::test]
async fn an_officer_suspends_then_revokes_a_licence_and_the_holder_is_told() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = legal_entity_setup(&app).await;
    let l = granted_licence(&app, &s).await;
    let path = format!("/v1/licences/{}", l["id"].as_str().unwrap());
    // The register answers (and keeps the answer in memory for a few seconds) …
    let reg: Value =
        app.get("/v1/register/licences?postcode=3011 AB&house_number=12", None).await.json().await.unwrap();
    assert_eq!(reg["items"][0]["status"], "active");
    let displacement = json!({"occupants_displaced": 4, "replacement_housing_arranged": true});
    let body = json!({"ground": "conditions_violated", "motivation": "Bij controle 9 bewoners aangetroffen",
                      "displacement": displacement});
    // A blank motivation and a missing displacement record are both named.
    let res = app
        .post(
            &format!("{path}/suspend"),
            &json!({"ground": "conditions_violated", "motivation": " "}),
            Some(&s.officer),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    let pointers: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, ["/motivation", "/displacement"]);
    let res = app.post(&format!("{path}/suspend"), &body, Some(&s.officer)).await;
    let l: Value = ok(res).await;
    assert_eq!(l["status"], "suspended");
    assert_eq!(l["status_ground"], "conditions_violated");
    assert_eq!(l["displacement"], displacement);
    let res = app.post(&format!("{path}/suspend"), &body, Some(&s.officer)).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!(["reinstate", "revoke"]));
    // The suspension is lifted once the conditions are met again; then suspended anew.
    let reinstate = json!({"motivation": "Bij hercontrole 4 bewoners, conform de vergunning"});
    let l: Value = ok(app.post(&format!("{path}/reinstate"), &reinstate, Some(&s.officer)).await).await;
    assert_eq!(l["status"], "active");
    assert_eq!(l["displacement"], Value::Null);
    let m = wait_for_mail_with(&app, "schorsing verhuurvergunning opgeheven").await;
    assert!(m.contains("hercontrole"), "{m}");
    let res = app.post(&format!("{path}/reinstate"), &reinstate, Some(&s.officer)).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["allowed_actions"], json!(["suspend", "revoke"]));
    ok(app.post(&format!("{path}/suspend"), &body, Some(&s.officer)).await).await;
    let l: Value = ok(app.post(&format!("{path}/revoke"), &body, Some(&s.officer)).await).await;
    assert_eq!(l["status"], "revoked");
    let res = app.post(&format!("{path}/revoke"), &body, Some(&s.officer)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    let m = wait_for_mail_with(&app, "is ingetrokken").await;
    assert!(m.contains("To: bv@example.nl") && m.contains("9 bewoners"), "{m}");

    // … and a change through this instance shows at once. It names a legal entity holder.
    let reg: Value =
        app.get("/v1/register/licences?postcode=3011 AB&house_number=12", None).await.json().await.unwrap();
    assert_eq!(reg["items"][0]["status"], "revoked");
    assert_eq!(reg["items"][0]["holder"], json!({"name": "Huisvesting Noord BV", "kvk_number": "87654321"}));

    // The holder reads its licence; another landlord cannot.
    let mine: Value = app.get(&path, Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(mine["status"], "revoked");
    let (_, other) = app.register_landlord("ander@example.nl").await;
    assert_problem(app.get(&path, Some(&other)).await, 404, "/problems/not-found").await;
    let list: Value = app.get("/v1/licences", Some(&other)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    let list: Value = app
        .get(&format!("/v1/licences?property_id={}", s.property_id), Some(&s.officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_licence_expires_by_date_when_the_rule_set_limits_validity() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(&file, r#"{"valid_from": "2024-01-01", "licence_validity_years": 5}"#).unwrap();
    let settings =
        [("HUURTOEZICHT_RULES_FILE".to_string(), file.display().to_string())].into_iter().collect();
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::fixed(at(2025, 3, 3))).await;
    let s = legal_entity_setup(&app).await;
    let l = granted_licence(&app, &s).await;
    assert_eq!(l["valid_until"], "2030-03-03");
    assert_eq!(l["status"], "active");
    app.clock.set(at(2030, 3, 3));
    let path = format!("/v1/licences/{}", l["id"].as_str().unwrap());
    let l: Value = app.get(&path, Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(l["status"], "expired");
    let res = app
        .post(
            &format!("{path}/revoke"),
            &json!({"ground": "other", "motivation": "x",
                    "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false}}),
            Some(&s.officer),
        )
        .await;
    assert_problem(res, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn the_register_is_public_and_validates_the_address() {
    let app = spawn_app().await;
    let res = app.get("/v1/register/licences?postcode=1234AB&house_number=1", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["items"], json!([]));
    let res = app.get("/v1/register/licences?postcode=12&house_number=1", None).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = app.get("/v1/register/licences?postcode=1234AB", None).await;
    assert_problem(res, 422, "/problems/validation").await;
    let req: Value = app
        .get("/v1/register/licence-required?postcode=1234AB&house_number=1&labour_migrants=true", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(req["required_kinds"], json!(["general", "labour_migrant"]));
}

#[tokio::test]
async fn role_matrix_of_the_licence_routes() {
    let app = spawn_app().await;
    let id = "/v1/licences/00000000-0000-0000-0000-000000000000";
    let readers = ["landlord", "officer", "bibob_officer", "manager"];
    assert_role_matrix(&app, Method::GET, "/v1/licences", &json!({}), &readers).await;
    assert_role_matrix(&app, Method::GET, id, &json!({}), &readers).await;
    assert_role_matrix(&app, Method::POST, &format!("{id}/suspend"), &json!({}), &["officer"]).await;
    assert_role_matrix(&app, Method::POST, &format!("{id}/revoke"), &json!({}), &["officer"]).await;
    assert_role_matrix(&app, Method::POST, &format!("{id}/reinstate"), &json!({}), &["officer"]).await;
}
