//! Passwords: a reset by a one-time link mailed through the outbox (asked for by email address or
//! started by the admin) and confirmed with a new password; an account changing its own password.

use std::collections::HashMap;

use chrono::{Duration, TimeZone, Utc};
use huurtoezicht::clock::Clock;
use serde_json::{json, Value};

use crate::helpers::*;

const NEW_PASSWORD: &str = "zonnebloem-kanaal-gieter-17";

/// The settings of a test: these tests make more reset calls from 127.0.0.1 than the default
/// per-source limit allows, so it is raised unless a test sets it.
fn settings(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut out =
        HashMap::from([("HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_BURST".to_string(), "1000".to_string())]);
    out.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

/// The reset tokens in the mails to `to` (quoted-printable undone), waiting until there are `n`.
async fn reset_tokens(app: &TestApp, to: &str, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let tokens: Vec<String> = app
            .mails()
            .into_iter()
            .map(|m| m.replace("=\r\n", "").replace("=3D", "="))
            .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(to)))
            .filter_map(|m| {
                let at = m.find("/password-reset?token=")? + "/password-reset?token=".len();
                Some(m[at..].chars().take_while(char::is_ascii_hexdigit).collect::<String>())
            })
            .collect();
        if tokens.len() >= n {
            return tokens;
        }
        assert!(std::time::Instant::now() < deadline, "expected {n} reset mails to {to}: {:#?}", app.mails());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post("/v1/auth/password-reset/confirm", &json!({"token": token, "new_password": password}), None)
        .await
}

async fn login(app: &TestApp, email: &str, password: &str) -> u16 {
    app.post("/v1/auth/token", &json!({"email": email, "password": password}), None).await.status().as_u16()
}

#[tokio::test]
async fn a_reset_asked_for_by_email_sets_a_new_password_once_and_ends_old_tokens() {
    let app = spawn_app_with(settings(&[("HUURTOEZICHT_LOGIN_MAX_FAILURES", "2")]), Clock::system()).await;
    let email = "vergeten@example.nl";
    let (account, old_token) = app.register_landlord(email).await;
    let id = account["id"].as_str().unwrap().to_string();
    // Locked out by wrong passwords from this address.
    for _ in 0..2 {
        assert_eq!(login(&app, email, "verkeerd-wachtwoord-123").await, 401);
    }
    assert_eq!(login(&app, email, PASSWORD).await, 429);

    // The same answer whether or not an account has the address; mail only for the real one.
    let mut answers = Vec::new();
    for address in [email, "niemand@example.nl"] {
        let res = app.post("/v1/auth/password-reset", &json!({"email": address}), None).await;
        assert_eq!(res.status(), 202);
        answers.push(res.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    let p = assert_problem(
        app.post("/v1/auth/password-reset", &json!({"email": "geen-adres"}), None).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/email");
    let admin = app.admin_token().await;
    let outbox: Value = app.get("/v1/outbox", Some(&admin)).await.json().await.unwrap();
    let recipients: Vec<&str> =
        outbox["items"].as_array().unwrap().iter().map(|m| m["recipient"].as_str().unwrap()).collect();
    assert!(!recipients.iter().any(|r| r.starts_with('n')), "no mail to an unknown address: {recipients:?}");

    let token = reset_tokens(&app, email, 1).await.remove(0);
    assert_eq!(token.len(), 64, "256 random bits in hex");
    let mail = app.wait_for_mail_containing(&token, 5).await;
    assert!(mail.contains("Jan de Vries") && !mail.contains(PASSWORD), "{mail}");

    // A weak password is refused without using up the link.
    let p = assert_problem(confirm(&app, &token, "wachtwoord").await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/new_password");
    assert_eq!(confirm(&app, &token, NEW_PASSWORD).await.status(), 204);

    // Old token and password refused, the lockout lifted, the new password works.
    let p = assert_problem(app.get("/v1/me", Some(&old_token)).await, 401, "/problems/unauthorized").await;
    assert!(p["detail"].as_str().unwrap().contains("new token"), "{p}");
    assert_eq!(login(&app, email, NEW_PASSWORD).await, 200);
    assert_eq!(login(&app, email, PASSWORD).await, 401);

    // The link works once.
    let p = assert_problem(
        confirm(&app, &token, "nog-een-ander-wachtwoord-99").await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/token");
    assert_eq!(login(&app, email, NEW_PASSWORD).await, 200);

    // Audited, without the token.
    let trail: Value = app
        .get(&format!("/v1/audit?entity_type=account&entity_id={id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> =
        trail["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"start_password_reset") && actions.contains(&"reset_password"), "{trail}");
    assert!(!trail.to_string().contains(&token), "the token is not in the audit trail");
}

#[tokio::test]
async fn a_reset_link_expires_and_a_newer_link_replaces_an_older_one() {
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let app = spawn_app_with(settings(&[]), clock).await;
    let email = "traag@example.nl";
    app.register_landlord(email).await;
    let body = json!({"email": email});
    let ask = || app.post("/v1/auth/password-reset", &body, None);

    assert_eq!(ask().await.status(), 202);
    let first = reset_tokens(&app, email, 1).await.remove(0);
    assert_eq!(ask().await.status(), 202);
    let second = reset_tokens(&app, email, 2).await.into_iter().find(|t| *t != first).unwrap();
    let p = assert_problem(confirm(&app, &first, NEW_PASSWORD).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/token", "the older link no longer works");

    // Past the default 60 minutes the newer one has expired too.
    app.clock.advance(Duration::minutes(61));
    let p = assert_problem(confirm(&app, &second, NEW_PASSWORD).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/token");
    assert_eq!(login(&app, email, PASSWORD).await, 200, "the old password still works");

    // A fresh link within its time works.
    assert_eq!(ask().await.status(), 202);
    let third = reset_tokens(&app, email, 3).await.into_iter().find(|t| *t != first && *t != second).unwrap();
    app.clock.advance(Duration::minutes(59));
    assert_eq!(confirm(&app, &third, NEW_PASSWORD).await.status(), 204);
    assert_eq!(login(&app, email, NEW_PASSWORD).await, 200);
    let p =
        assert_problem(confirm(&app, "not-a-token", NEW_PASSWORD).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/token");
}

#[tokio::test]
async fn the_admin_sends_a_reset_link_to_an_enabled_account() {
    let app = spawn_app_with(settings(&[]), Clock::system()).await;
    let admin = app.admin_token().await;
    let officer = app.staff_token("officer", "kwijt@gemeente.test", &[MUNICIPALITY]).await;
    let me: Value = app.get("/v1/me", Some(&officer)).await.json().await.unwrap();
    let id = me["id"].as_str().unwrap();

    let res = app.post(&format!("/v1/accounts/{id}/password-reset"), &json!({}), Some(&admin)).await;
    assert_eq!(res.status(), 202);
    assert_eq!(
        app.get("/v1/me", Some(&officer)).await.status(),
        200,
        "nothing changes until the link is used"
    );
    let token = reset_tokens(&app, "kwijt@gemeente.test", 1).await.remove(0);
    assert_eq!(confirm(&app, &token, NEW_PASSWORD).await.status(), 204);
    assert_problem(app.get("/v1/me", Some(&officer)).await, 401, "/problems/unauthorized").await;
    assert_eq!(login(&app, "kwijt@gemeente.test", NEW_PASSWORD).await, 200);

    let res = app.post("/v1/accounts/nobody/password-reset", &json!({}), Some(&admin)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    app.post(&format!("/v1/accounts/{id}/disable"), &json!({"reason": "weg"}), Some(&admin)).await;
    let res = app.post(&format!("/v1/accounts/{id}/password-reset"), &json!({}), Some(&admin)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    // A disabled account gets no link when it asks either (and the answer is the same).
    let res = app.post("/v1/auth/password-reset", &json!({"email": "kwijt@gemeente.test"}), None).await;
    assert_eq!(res.status(), 202);
    let outbox: Value = app.get("/v1/outbox", Some(&admin)).await.json().await.unwrap();
    let to_officer =
        outbox["items"].as_array().unwrap().iter().filter(|m| m["recipient"] == "k***@gemeente.test").count();
    assert_eq!(to_officer, 1, "only the admin's link went out: {outbox}");
    let officer_token = app.staff_token("officer", "ander@gemeente.test", &[MUNICIPALITY]).await;
    let res = app.post(&format!("/v1/accounts/{id}/password-reset"), &json!({}), Some(&officer_token)).await;
    assert_problem(res, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn the_public_reset_routes_are_limited_per_source() {
    let app = spawn_app_with(
        settings(&[
            ("HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_PER_MINUTE", "1"),
            ("HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_BURST", "2"),
        ]),
        Clock::system(),
    )
    .await;
    for _ in 0..2 {
        let res = app.post("/v1/auth/password-reset", &json!({"email": "x@example.nl"}), None).await;
        assert_eq!(res.status(), 202);
    }
    let res = confirm(&app, "abc", NEW_PASSWORD).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "/problems/too-many-requests").await;
}

#[tokio::test]
async fn an_account_changes_its_own_password_and_gets_a_fresh_token() {
    let app = spawn_app_with(settings(&[("HUURTOEZICHT_LOGIN_MAX_FAILURES", "2")]), Clock::system()).await;
    let email = "zelf@gemeente.test";
    let old = app.staff_token("officer", email, &[MUNICIPALITY]).await;
    let change = |token: String, current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        let app = &app;
        async move { app.post("/v1/me/password", &body, Some(&token)).await }
    };

    let p = assert_problem(change(old.clone(), PASSWORD, "kort").await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/new_password");
    let p = assert_problem(change(old.clone(), PASSWORD, PASSWORD).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/new_password");
    let res = change(old.clone(), PASSWORD, NEW_PASSWORD).await;
    assert_eq!(res.status(), 200);
    let fresh = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();

    assert_problem(app.get("/v1/me", Some(&old)).await, 401, "/problems/unauthorized").await;
    let me: Value = app.get("/v1/me", Some(&fresh)).await.json().await.unwrap();
    assert_eq!(me["email"], email);
    assert_eq!(me["municipalities"], json!([MUNICIPALITY]));
    assert_eq!(login(&app, email, PASSWORD).await, 401);
    assert_eq!(login(&app, email, NEW_PASSWORD).await, 200);

    // A wrong current password is 422 and counts towards the lockout: then 429 even when right.
    for _ in 0..2 {
        let p = assert_problem(
            change(fresh.clone(), "helemaal-niet-goed-1", PASSWORD).await,
            422,
            "/problems/validation",
        )
        .await;
        assert_eq!(p["errors"][0]["pointer"], "/current_password");
    }
    assert_problem(
        change(fresh.clone(), NEW_PASSWORD, "weer-een-nieuw-wachtwoord-55").await,
        429,
        "/problems/too-many-requests",
    )
    .await;
    assert_eq!(login(&app, email, NEW_PASSWORD).await, 429, "the same lockout as the login");
}

#[tokio::test]
async fn api_clients_and_portals_acting_for_a_landlord_may_not_change_a_password() {
    let app = spawn_app().await;
    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let client = app.client_token(&["complaints:write"]).await;
    assert_problem(app.post("/v1/me/password", &body, Some(&client)).await, 403, "/problems/forbidden").await;

    let admin = app.admin_token().await;
    let (account, landlord_token) = app.register_landlord("mandaat@example.nl").await;
    let landlord = account["landlord"]["id"].as_str().unwrap().to_string();
    let c: Value = app
        .post(
            "/v1/api-clients",
            &json!({"name": "Verhuurportaal", "scopes": ["applications:write"], "municipality_code": MUNICIPALITY}),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app.post("/v1/me/mandates", &json!({"client_id": c["client_id"]}), Some(&landlord_token)).await;
    assert_eq!(res.status(), 200);
    let acting: Value = app
        .post(
            "/v1/auth/token",
            &json!({"grant_type": "client_credentials", "client_id": c["client_id"],
                    "client_secret": c["client_secret"], "landlord_id": landlord}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let acting = acting["access_token"].as_str().unwrap();
    let p =
        assert_problem(app.post("/v1/me/password", &body, Some(acting)).await, 403, "/problems/forbidden")
            .await;
    assert!(p["detail"].as_str().unwrap().contains("landlord must sign in"), "{p}");
    assert_eq!(
        login(&app, "mandaat@example.nl", PASSWORD).await,
        200,
        "the landlord's password is unchanged"
    );
}
