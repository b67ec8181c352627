use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn state_changes_write_audit_rows_readable_by_admin() {
    let app = spawn_app().await;
    let (account, _) = app.register_landlord("audit@example.nl").await;
    let landlord_id = account["landlord"]["id"].as_str().unwrap();
    let admin = app.admin_token().await;
    let page: Value = app
        .get(&format!("/v1/audit?entity_type=landlord&entity_id={landlord_id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["action"], "register");
    assert_eq!(items[0]["actor_kind"], "account");
    assert_eq!(items[0]["actor_id"], account["id"]);
    assert!(items[0]["request_id"].is_string());
    // No personal data in the audit trail.
    assert!(!items[0].to_string().contains("audit@example.nl"));
}

#[tokio::test]
async fn managers_see_only_their_municipalities() {
    let app = spawn_app().await;
    app.register_landlord("global@example.nl").await; // global action: no municipality
    app.staff_token("officer", "o@gemeente.test", &[MUNICIPALITY]).await; // audited in GM0599
    let manager = app.staff_token("manager", "m@gemeente.test", &[MUNICIPALITY]).await;
    let page: Value = app.get("/v1/audit", Some(&manager)).await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["municipality_code"] == MUNICIPALITY), "{page}");
    let other = make_token("manager", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let page: Value = app.get("/v1/audit", Some(&other)).await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn audit_pages_with_a_cursor() {
    let app = spawn_app().await;
    for i in 0..3 {
        app.register_landlord(&format!("p{i}@example.nl")).await;
    }
    let admin = app.admin_token().await;
    let first: Value =
        app.get("/v1/audit?entity_type=landlord&limit=2", Some(&admin)).await.json().await.unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(&format!("/v1/audit?entity_type=landlord&limit=2&cursor={cursor}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    assert!(first["items"][1]["id"].as_i64().unwrap() > second["items"][0]["id"].as_i64().unwrap());
}

#[tokio::test]
async fn audit_rows_cannot_be_written_through_the_api_or_changed_in_the_database() {
    let app = spawn_app().await;
    app.register_landlord("a@example.nl").await;
    let admin = app.admin_token().await;
    for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let res = app.send(m.clone(), "/v1/audit", &json!({"action": "forged"}), Some(&admin)).await;
        assert_eq!(res.status(), 405, "{m} /v1/audit");
    }
    // Even direct SQL is refused by the database triggers.
    use diesel::{Connection, RunQueryDsl};
    let url = &app.database_url;
    let (upd, del) = if let Some(path) = url.strip_prefix("sqlite://") {
        let mut c = diesel::SqliteConnection::establish(path).unwrap();
        (
            diesel::sql_query("UPDATE audit_log SET action = 'forged'").execute(&mut c),
            diesel::sql_query("DELETE FROM audit_log").execute(&mut c),
        )
    } else {
        let mut c = diesel::PgConnection::establish(url).unwrap();
        (
            diesel::sql_query("UPDATE audit_log SET action = 'forged'").execute(&mut c),
            diesel::sql_query("DELETE FROM audit_log").execute(&mut c),
        )
    };
    assert!(upd.is_err() && del.is_err(), "audit_log must be append-only");
    let page: Value = app.get("/v1/audit?entity_type=landlord", Some(&admin)).await.json().await.unwrap();
    assert_eq!(page["items"][0]["action"], "register");
}
