//! The admin's list of accounts (filters, pages, no secrets), and disabling taking effect at
//! once also on a second instance that shares the database.

use std::collections::HashMap;

use huurtoezicht::clock::Clock;
use serde_json::{json, Value};

use crate::helpers::*;

async fn list(app: &TestApp, query: &str, token: &str) -> Value {
    let res = app.get(&format!("/v1/accounts{query}"), Some(token)).await;
    assert_eq!(res.status(), 200, "GET /v1/accounts{query}");
    res.json().await.unwrap()
}

fn emails(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|i| i["email"].as_str().unwrap().to_string()).collect()
}

async fn id_of(app: &TestApp, token: &str) -> String {
    let body: Value = app.get("/v1/me", Some(token)).await.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_admin_lists_accounts_by_role_and_state_in_pages_without_password_hashes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let officer = app.staff_token("officer", "een@gemeente.test", &[MUNICIPALITY]).await;
    app.staff_token("officer", "twee@gemeente.test", &[MUNICIPALITY]).await;
    app.staff_token("manager", "chef@gemeente.test", &[MUNICIPALITY]).await;
    let (landlord, _) = app.register_landlord("verhuurder@example.nl").await;

    let all = list(&app, "", &admin).await;
    let mut got = emails(&all);
    got.sort();
    assert_eq!(
        got,
        [
            ADMIN_EMAIL,
            "chef@gemeente.test",
            "een@gemeente.test",
            "twee@gemeente.test",
            "verhuurder@example.nl"
        ]
    );
    assert!(all.get("next_cursor").is_none_or(Value::is_null), "{all}");
    let text = all.to_string();
    assert!(!text.contains("password") && !text.contains("$argon2"), "no secrets in the list: {text}");
    let item = all["items"].as_array().unwrap().iter().find(|i| i["email"] == "een@gemeente.test").unwrap();
    assert_eq!(item["role"], "officer");
    assert_eq!(item["municipalities"], json!([MUNICIPALITY]));
    assert_eq!(item["disabled"], false);
    assert!(item["created_at"].as_str().unwrap().ends_with('Z'), "{item}");
    let l = all["items"].as_array().unwrap().iter().find(|i| i["role"] == "landlord").unwrap();
    assert_eq!(l["landlord"]["id"], landlord["landlord"]["id"], "{l}");

    let officers = list(&app, "?role=officer", &admin).await;
    let mut got = emails(&officers);
    got.sort();
    assert_eq!(got, ["een@gemeente.test", "twee@gemeente.test"]);
    assert_eq!(emails(&list(&app, "?role=landlord", &admin).await), ["verhuurder@example.nl"]);

    let id = id_of(&app, &officer).await;
    let res =
        app.post(&format!("/v1/accounts/{id}/disable"), &json!({"reason": "vertrokken"}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(emails(&list(&app, "?disabled=true", &admin).await), ["een@gemeente.test"]);
    assert_eq!(list(&app, "?disabled=false", &admin).await["items"].as_array().unwrap().len(), 4);
    assert_eq!(emails(&list(&app, "?role=officer&disabled=false", &admin).await), ["twee@gemeente.test"]);

    // Pages of two: every account once, newest first, the last page without a cursor.
    let mut seen = Vec::new();
    let mut query = "?limit=2".to_string();
    for round in 0.. {
        assert!(round < 5, "paging does not end");
        let page = list(&app, &query, &admin).await;
        assert!(page["items"].as_array().unwrap().len() <= 2);
        seen.extend(
            page["items"].as_array().unwrap().iter().map(|i| i["created_at"].as_str().unwrap().to_string()),
        );
        seen.extend(emails(&page).into_iter().map(|e| format!("email:{e}")));
        match page["next_cursor"].as_str() {
            Some(c) => query = format!("?limit=2&cursor={c}"),
            None => break,
        }
    }
    let mut listed: Vec<&String> = seen.iter().filter(|s| s.starts_with("email:")).collect();
    assert_eq!(listed.len(), 5, "{seen:?}");
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), 5, "an account came twice: {seen:?}");
    let times: Vec<&String> = seen.iter().filter(|s| !s.starts_with("email:")).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");

    // Bad filters name the query parameter; other roles may not list.
    for (query, pointer) in [
        ("?role=api_client", "#/query/role"),
        ("?role=boss", "#/query/role"),
        ("?limit=0", "#/query/limit"),
        ("?cursor=nobody", "#/query/cursor"),
    ] {
        let p = assert_problem(
            app.get(&format!("/v1/accounts{query}"), Some(&admin)).await,
            422,
            "/problems/validation",
        )
        .await;
        assert_eq!(p["errors"][0]["pointer"], pointer, "{query}: {p}");
    }
    let twee = app.token_for("twee@gemeente.test", PASSWORD).await;
    assert_problem(app.get("/v1/accounts", Some(&twee)).await, 403, "/problems/forbidden").await;
    assert_problem(app.get("/v1/accounts", None).await, 401, "/problems/unauthorized").await;
}

/// Two instances on one database: the second reads the account's standing on every request
/// (`HUURTOEZICHT_TOKEN_STATE_CACHE_MS=0`), so a disable made through the first refuses the
/// token there on its next request; enabling lets a new sign-in in on either.
#[tokio::test]
async fn disabling_refuses_live_tokens_at_once_also_on_a_second_instance() {
    let first = spawn_app().await;
    let second = spawn_app_with(
        HashMap::from([
            ("DATABASE_URL".to_string(), first.database_url.clone()),
            ("HUURTOEZICHT_TOKEN_STATE_CACHE_MS".to_string(), "0".to_string()),
        ]),
        Clock::system(),
    )
    .await;
    let admin = first.admin_token().await;
    let officer = first.staff_token("officer", "dienst@gemeente.test", &[MUNICIPALITY]).await;
    let id = id_of(&first, &officer).await;
    assert_eq!(second.get("/v1/me", Some(&officer)).await.status(), 200);

    let res = first
        .post(&format!("/v1/accounts/{id}/disable"), &json!({"reason": "uit dienst"}), Some(&admin))
        .await;
    assert_eq!(res.status(), 200);
    for app in [&first, &second] {
        let p = assert_problem(app.get("/v1/me", Some(&officer)).await, 401, "/problems/unauthorized").await;
        assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");
        let login = json!({"email": "dienst@gemeente.test", "password": PASSWORD});
        assert_eq!(app.post("/v1/auth/token", &login, None).await.status(), 401);
    }

    let res =
        first.post(&format!("/v1/accounts/{id}/enable"), &json!({"reason": "terug"}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    assert_problem(second.get("/v1/me", Some(&officer)).await, 401, "/problems/unauthorized").await;
    let fresh = second.token_for("dienst@gemeente.test", PASSWORD).await;
    assert_eq!(second.get("/v1/me", Some(&fresh)).await.status(), 200);
    assert_eq!(first.get("/v1/me", Some(&fresh)).await.status(), 200);
}

/// Disabling another admin is allowed (the caller stays an active admin); disabling oneself is
/// not, so an installation always keeps one.
#[tokio::test]
async fn an_admin_may_disable_another_admin_but_never_the_last_one_standing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other = app.staff_token("admin", "tweede-beheerder@gemeente.test", &[]).await;
    let other_id = id_of(&app, &other).await;
    let admin_id = id_of(&app, &admin).await;
    let res = app
        .post(&format!("/v1/accounts/{other_id}/disable"), &json!({"reason": "dubbel"}), Some(&admin))
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(app.get("/v1/me", Some(&other)).await, 401, "/problems/unauthorized").await;
    let res =
        app.post(&format!("/v1/accounts/{admin_id}/disable"), &json!({"reason": "oeps"}), Some(&admin)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(emails(&list(&app, "?role=admin&disabled=false", &admin).await), [ADMIN_EMAIL]);
}
