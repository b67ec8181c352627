//! `allowed_actions` lists only the verbs the caller's role may use: the same record shows a
//! landlord and an officer different verbs, and a reader who may not act sees none.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{draft, ok, setup, verb};

async fn get_json(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_application_shows_the_landlord_and_the_officer_only_their_own_verbs() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let d = draft(&app, &s.landlord, &s.property_id).await;
    let id = d["id"].as_str().unwrap().to_string();
    let path = format!("/v1/licence-applications/{id}");
    assert_eq!(d["allowed_actions"], json!(["submit", "withdraw"]));
    assert_eq!(get_json(&app, &path, &s.officer).await["allowed_actions"], json!([]));

    let a = ok(verb(&app, &id, "submit", None, &s.landlord).await).await;
    assert_eq!(a["allowed_actions"], json!(["withdraw"]));
    let officer_view = get_json(&app, &path, &s.officer).await;
    assert_eq!(
        officer_view["allowed_actions"],
        json!(["request-information", "start-review", "extend-term"])
    );
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    assert_eq!(get_json(&app, &path, &manager).await["allowed_actions"], json!([]));

    // A refused step names only the caller's own verbs too.
    let again = verb(&app, &id, "submit", None, &s.landlord).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.json::<Value>().await.unwrap()["allowed_actions"], json!(["withdraw"]));
    let d2 = draft(&app, &s.landlord, &s.property_id).await;
    let id2 = d2["id"].as_str().unwrap().to_string();
    let premature = verb(&app, &id2, "start-review", None, &s.officer).await;
    assert_eq!(premature.status(), 409);
    assert_eq!(
        premature.json::<Value>().await.unwrap()["allowed_actions"],
        json!([]),
        "submit is the landlord's"
    );

    // What the officer sees is what the officer can do.
    let a = ok(verb(&app, &id, "start-review", None, &s.officer).await).await;
    assert_eq!(a["allowed_actions"], json!(["request-information", "extend-term", "decide"]));
    assert_eq!(get_json(&app, &path, &s.landlord).await["allowed_actions"], json!(["withdraw"]));
}

#[tokio::test]
async fn a_sanction_shows_its_actions_to_the_enforcement_officer_and_none_to_a_manager() {
    let app = spawn_app().await;
    let landlord = app.landlord_id("sanctie@example.nl").await;
    let officer = role_token("officer");
    let v: Value = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": 10},
                    "rule": "GR-04", "established_on": "2026-01-05",
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2024-17"]}}),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    let case = v["case_id"].as_str().expect("violation created");
    let res = app
        .post(
            &format!("/v1/enforcement-cases/{case}/sanctions"),
            &json!({"violation_id": v["id"], "step": "warning", "warning": {"issued_on": "2026-01-05"}}),
            Some(&officer),
        )
        .await;
    assert_eq!(res.status(), 201);
    let w: Value = res.json().await.unwrap();
    assert!(!w["allowed_actions"].as_array().unwrap().is_empty(), "{w}");
    let path = format!("/v1/sanctions/{}", w["id"].as_str().unwrap());
    assert_eq!(get_json(&app, &path, &officer).await["allowed_actions"], w["allowed_actions"]);
    assert_eq!(get_json(&app, &path, &role_token("manager")).await["allowed_actions"], json!([]));
    let c = get_json(&app, &format!("/v1/enforcement-cases/{case}"), &role_token("manager")).await;
    assert_eq!(c["sanctions"][0]["allowed_actions"], json!([]));
}
