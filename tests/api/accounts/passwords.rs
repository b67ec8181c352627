//! Password checks run on a small dedicated pool (`HUURTOEZICHT_PASSWORD_HASH_THREADS`) with a
//! bounded queue (`HUURTOEZICHT_PASSWORD_HASH_QUEUE`).

use std::collections::HashMap;

use futures_util::future::join_all;
use huurtoezicht::clock::Clock;
use serde_json::json;

use crate::helpers::*;

fn settings(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Many logins at once through one hashing thread: every right password gets a token that works,
/// every wrong one and every unknown account a 401, none a 5xx.
#[tokio::test]
async fn concurrent_logins_through_one_hashing_thread_are_all_answered_correctly() {
    let app = spawn_app_with(
        settings(&[
            ("HUURTOEZICHT_PASSWORD_HASH_THREADS", "1"),
            ("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "64"),
            ("HUURTOEZICHT_LOGIN_MAX_FAILURES", "1000"),
        ]),
        Clock::system(),
    )
    .await;
    app.register_landlord("pool@example.nl").await;
    let n: usize = std::env::var("PASSWORD_POOL_TEST_LOGINS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let attempts = (0..n).map(|i| {
        let (email, password, ok) = match i % 4 {
            0 => (ADMIN_EMAIL, ADMIN_PASSWORD, true),
            1 => ("pool@example.nl", PASSWORD, true),
            2 => ("pool@example.nl", "lantaarn-fiets-kompas-83", false),
            _ => ("niemand@example.nl", PASSWORD, false),
        };
        let app = &app;
        async move {
            let res = app.post("/v1/auth/token", &json!({"email": email, "password": password}), None).await;
            (email, ok, res)
        }
    });
    for (email, ok, res) in join_all(attempts).await {
        if ok {
            assert_eq!(res.status(), 200, "login of {email}");
            let token =
                res.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
            let me: serde_json::Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
            assert_eq!(me["email"], email);
        } else {
            assert_problem(res, 401, "/problems/unauthorized").await;
        }
    }
}

/// With one thread and room for one waiting check, a burst of logins overflows the queue: those
/// answer 503 with `Retry-After` at once instead of piling up, the others succeed.
#[tokio::test]
async fn a_full_hashing_queue_answers_503_with_retry_after() {
    let app = spawn_app_with(
        settings(&[("HUURTOEZICHT_PASSWORD_HASH_THREADS", "1"), ("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "1")]),
        Clock::system(),
    )
    .await;
    let mut refused = 0;
    // A burst nearly always overflows at once; a few rounds make it certain on a slow machine.
    let login = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    for _ in 0..5 {
        let burst = (0..16).map(|_| app.post("/v1/auth/token", &login, None));
        for res in join_all(burst).await {
            match res.status().as_u16() {
                200 => {}
                503 => {
                    refused += 1;
                    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                    assert!(retry.is_some_and(|r| r.parse::<u64>().is_ok_and(|s| s >= 1)));
                    assert_problem(res, 503, "/problems/unavailable").await;
                }
                other => panic!("unexpected status {other}"),
            }
        }
        if refused > 0 {
            break;
        }
    }
    assert!(refused > 0, "no login was refused with a queue of one");
    // The pool is not stuck afterwards.
    app.admin_token().await;
}
