//! Deliveries to a real receiver: signatures, order per subject, no personal data, retries,
//! timeouts, dead letters, pausing with mail, resume, redelivery, two instances.

use std::sync::atomic::Ordering;

use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;

use super::*;

/// Verifies a delivery as a portal would: HMAC-SHA256 with the secret shown at creation over
/// `{webhook-id}.{webhook-timestamp}.{body}`.
fn verify(secret: &str, r: &Received, body: &str) -> bool {
    let key =
        base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.headers["webhook-id"], r.headers["webhook-timestamp"], body).as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    r.headers["webhook-signature"].split(' ').any(|s| s == format!("v1,{expected}"))
}

#[tokio::test]
async fn deliveries_are_signed_in_order_per_subject_and_hold_no_personal_data() {
    let receiver = Receiver::start().await;
    let app = app_with(delivering(&[])).await;
    let client = app.client_token(&["webhooks:manage"]).await;
    let (_, secret) =
        subscribe(&app, &client, &receiver.url, &["complaint.received", "complaint.status_changed"]).await;
    let officer = officer(&app).await;
    let ids = [complaint_with_personal_data(&app).await, complaint_with_personal_data(&app).await];
    for action in ["triage", "start_investigation", "take_action"] {
        for id in &ids {
            let res = app
                .post(
                    &format!("/v1/complaints/{id}/transitions"),
                    &json!({"action": action, "reason": "beoordeeld"}),
                    Some(&officer),
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{action}");
        }
    }
    let got = receiver.wait_until(20, |g| g.len() >= 8).await;
    for r in &got {
        assert_eq!(r.headers["content-type"], "application/cloudevents+json");
        assert!(verify(&secret, r, &r.body), "the signature verifies with the secret shown at creation");
        assert!(!verify(&secret, r, &r.body.replace("complaint", "c0mplaint")), "a tampered body fails");
        for personal in PERSONAL_DATA {
            assert!(!r.body.contains(personal), "a delivery holds {personal:?}: {}", r.body);
        }
        let e = r.json();
        assert_eq!(
            (e["specversion"].as_str(), e["municipality"].as_str()),
            (Some("1.0"), Some(MUNICIPALITY))
        );
    }
    for id in &ids {
        let states: Vec<Value> = got
            .iter()
            .map(Received::json)
            .filter(|e| e["subject"] == format!("/v1/complaints/{id}"))
            .map(|e| e["type"].clone())
            .collect();
        assert_eq!(states.len(), 4, "{states:?}");
        assert_eq!(states[0], "complaint.received", "in order per subject");
        let event_ids: Vec<i64> = got
            .iter()
            .map(Received::json)
            .filter(|e| e["subject"] == format!("/v1/complaints/{id}"))
            .map(|e| e["id"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            event_ids.windows(2).all(|w| w[0] < w[1]),
            "arrived in the order of the changes: {event_ids:?}"
        );
    }
}

#[tokio::test]
async fn failing_deliveries_are_retried_dead_lettered_the_subscription_paused_and_resumed_and_replayed() {
    let receiver = Receiver::start().await;
    receiver.status.store(500, Ordering::SeqCst);
    let app = app_with(delivering(&[
        ("HUURTOEZICHT_WEBHOOK_MAX_ATTEMPTS", "3"),
        ("HUURTOEZICHT_WEBHOOK_BACKOFF_BASE_MS", "20"),
        ("HUURTOEZICHT_WEBHOOK_PAUSE_AFTER_DEAD_LETTERS", "1"),
    ]))
    .await;
    let manager_email = format!("m{}@gemeente.test", uuid::Uuid::new_v4().simple());
    let manager = app.staff_token("manager", &manager_email, &[MUNICIPALITY]).await;
    let client = app.client_token(&["webhooks:manage"]).await;
    let (sub, _) = subscribe(&app, &client, &receiver.url, &["complaint.received"]).await;
    complaint_with_personal_data(&app).await;
    // Three attempts, all answered 500: then the dead letter, and the subscription is paused.
    receiver.wait_until(20, |g| g.len() >= 3).await;
    let paused = loop {
        let s: Value =
            app.get(&format!("/v1/webhook-subscriptions/{sub}"), Some(&client)).await.json().await.unwrap();
        if s["state"] == "paused" {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(paused["consecutive_dead_letters"], 1);
    let mail = app.wait_for_mail_containing("has been paused", 10).await;
    assert!(mail.contains(&manager_email), "the managers are told");
    let board = dashboard(&app, &manager).await;
    assert_eq!(board["paused_webhook_subscriptions"], 1, "managers see the count: {board}");
    let log: Value = app
        .get(&format!("/v1/webhook-subscriptions/{sub}/deliveries"), Some(&client))
        .await
        .json()
        .await
        .unwrap();
    let d = &log["items"][0];
    assert_eq!(d["state"], "dead_letter");
    assert_eq!(d["attempts"], 3);
    let codes: Vec<Value> =
        d["attempt_log"].as_array().unwrap().iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, [json!(500), json!(500), json!(500)]);
    assert!(d["attempt_log"][0]["error"].as_str().unwrap().contains("500"));
    // A new event waits while the subscription is paused.
    complaint_with_personal_data(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 3, "nothing is attempted while paused");
    // The receiver is mended; the owner resumes: the waiting delivery arrives.
    receiver.status.store(204, Ordering::SeqCst);
    let res = app.post(&format!("/v1/webhook-subscriptions/{sub}/resume"), &json!({}), Some(&client)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "active");
    assert_eq!(dashboard(&app, &manager).await["paused_webhook_subscriptions"], 0);
    receiver.wait_until(10, |g| g.len() >= 4).await;
    // The dead letter is replayed on request.
    let dead = d["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("/v1/webhook-subscriptions/{sub}/deliveries/{dead}/redeliver"),
            &json!({}),
            Some(&client),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let got = receiver.wait_until(10, |g| g.len() >= 5).await;
    assert_eq!(got[4].headers["webhook-id"], dead, "the replay carries the delivery's id");
    // The worker records the outcome after the receiver has answered: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let delivered = loop {
        let page: Value = app
            .get(&format!("/v1/webhook-subscriptions/{sub}/deliveries?state=delivered"), Some(&manager))
            .await
            .json()
            .await
            .unwrap();
        let n = page["items"].as_array().unwrap().len();
        if n >= 2 || std::time::Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(delivered, 2);
    // Pausing, resuming and redelivering are audited.
    let res = app.post(&format!("/v1/webhook-subscriptions/{sub}/resume"), &json!({}), Some(&client)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "an active subscription cannot be resumed");
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_is_retried() {
    let receiver = Receiver::start().await;
    receiver.delay_ms.store(1500, Ordering::SeqCst);
    let app = app_with(delivering(&[
        ("HUURTOEZICHT_WEBHOOK_TIMEOUT_MS", "200"),
        ("HUURTOEZICHT_WEBHOOK_BACKOFF_BASE_MS", "20"),
    ]))
    .await;
    let client = app.client_token(&["webhooks:manage"]).await;
    let (sub, _) = subscribe(&app, &client, &receiver.url, &["complaint.received"]).await;
    complaint_with_personal_data(&app).await;
    receiver.wait_until(20, |g| !g.is_empty()).await;
    receiver.delay_ms.store(0, Ordering::SeqCst);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let log: Value = app
            .get(&format!("/v1/webhook-subscriptions/{sub}/deliveries"), Some(&client))
            .await
            .json()
            .await
            .unwrap();
        let d = &log["items"][0];
        if d["state"] == "delivered" {
            let attempts = d["attempt_log"].as_array().unwrap();
            assert!(attempts.len() >= 2);
            assert!(attempts[0]["status_code"].is_null());
            assert!(
                attempts[0]["error"].as_str().unwrap().contains("no answer within 200 ms"),
                "{attempts:?}"
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never delivered: {log:#}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_deliver_every_event_exactly_once() {
    if !is_postgres() {
        eprintln!("skipped: two instances on one database need PostgreSQL (TEST_DATABASE_URL)");
        return;
    }
    let receiver = Receiver::start().await;
    let first = app_with(delivering(&[])).await;
    let second = app_with(delivering(&[("DATABASE_URL", first.database_url.as_str())])).await;
    let client = first.client_token(&["webhooks:manage"]).await;
    subscribe(&first, &client, &receiver.url, &["complaint.received"]).await;
    let n = 40;
    for i in 0..n {
        let app = if i % 2 == 0 { &first } else { &second };
        complaint_with_personal_data(app).await;
    }
    receiver.wait_until(30, |g| g.len() >= n).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let got = receiver.received();
    let mut events: Vec<String> = got.iter().map(|r| r.json()["id"].as_str().unwrap().to_string()).collect();
    events.sort();
    events.dedup();
    assert_eq!(events.len(), n, "every event delivered");
    assert_eq!(got.len(), n, "and each exactly once");
}

/// The licensing dashboard as `token` sees it.
async fn dashboard(app: &TestApp, token: &str) -> Value {
    app.get("/v1/licensing/dashboard", Some(token)).await.json::<Value>().await.unwrap()
}
