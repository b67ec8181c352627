//! The failed state made visible: `/ready` counts, the administrator's list and requeue.

use huurtoezicht::clock::Clock;
use serde_json::{json, Value};

use super::sink::{free_port, message_id, smtp_settings, start_smtp_sink, wait_rows};
use crate::helpers::*;

#[tokio::test]
async fn a_message_that_failed_is_listed_counted_in_ready_and_delivered_after_a_requeue() {
    let clock = Clock::fixed(chrono::Utc::now());
    let port = free_port();
    let app =
        spawn_app_with(smtp_settings(port, &[("HUURTOEZICHT_OUTBOX_RETRY_HOURS", "1")]), clock.clone()).await;
    app.register_only("mislukt@example.nl").await;
    wait_rows(&app, 15, |r| r.len() == 1 && r[0].attempts >= 1).await;
    // The next attempt after two hours would fall beyond the one-hour horizon: failed.
    clock.advance(chrono::Duration::hours(2));
    let r = wait_rows(&app, 15, |r| r[0].status == "failed").await;
    assert_eq!((r[0].status.as_str(), r[0].attempts), ("failed", 2), "{r:?}");
    let id = r[0].id.clone();

    let ready = app.get("/ready", None).await;
    assert_eq!(ready.status(), 200, "failed mail does not make the service unready");
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(ready["outbox"], json!({"pending": 0, "failed": 1, "oldest_pending_seconds": 0}));

    let admin = app.admin_token().await;
    let res = app.get("/v1/outbox?status=failed", Some(&admin)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains("mislukt@example.nl"), "the address is masked everywhere: {text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    let item = &list["items"][0];
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["recipient"], "m***@example.nl");
    assert_eq!((item["status"].as_str(), item["attempts"].as_i64()), (Some("failed"), Some(2)));
    assert!(item["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{item}");
    assert!(item.get("body").is_none(), "no body in the list");
    let pending: Value = app.get("/v1/outbox?status=pending", Some(&admin)).await.json().await.unwrap();
    assert_eq!(pending["items"], json!([]));
    let res = app.get("/v1/outbox?status=lost", Some(&admin)).await;
    let problem = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(problem["errors"][0]["pointer"], "#/query/status", "{problem}");

    // The relay is back; the administrator requeues.
    let sink = start_smtp_sink(port, 0.0).await;
    let res = app.post(&format!("/v1/outbox/{id}/requeue"), &json!({}), Some(&admin)).await;
    assert_eq!(res.status(), 200);
    let requeued: Value = res.json().await.unwrap();
    assert_eq!((requeued["status"].as_str(), requeued["attempts"].as_i64()), (Some("pending"), Some(2)));
    assert!(requeued["requeued_at"].is_string());
    assert_eq!(sink.wait_for(1, 20).await, 1, "delivered after the requeue");
    let r = wait_rows(&app, 10, |r| r[0].status == "sent").await;
    assert_eq!(r[0].status, "sent");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let msgs = sink.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(message_id(&msgs[0]), Some(format!("<{id}@huurtoezicht.invalid>")));
    let ready: Value = app.get("/ready", None).await.json().await.unwrap();
    assert_eq!(ready["outbox"]["failed"], 0);

    // Only a failed message can be requeued; an unknown one is not there.
    let res = app.post(&format!("/v1/outbox/{id}/requeue"), &json!({}), Some(&admin)).await;
    assert_problem(res, 409, "/problems/conflict").await;
    let res =
        app.post("/v1/outbox/00000000-0000-0000-0000-000000000000/requeue", &json!({}), Some(&admin)).await;
    assert_problem(res, 404, "/problems/not-found").await;

    // The requeue is in the audit trail, with who did it.
    let audit: Value = app
        .get(&format!("/v1/audit?entity_type=outbox_message&entity_id={id}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let entries = audit["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["action"], "requeue");
    assert_eq!(entries[0]["actor_kind"], "account");
    assert_eq!(entries[0]["before"]["status"], "failed");
}

#[tokio::test]
async fn the_outbox_list_pages_newest_first_and_refuses_a_bad_cursor() {
    let app = spawn_app().await;
    for i in 0..3 {
        app.register_only(&format!("pagina{i}@example.nl")).await;
    }
    app.wait_for_mail(3, 10).await;
    let admin = app.admin_token().await;
    let first: Value = app.get("/v1/outbox?limit=2", Some(&admin)).await.json().await.unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2, "{first}");
    let cursor = first["next_cursor"].as_str().expect("a next page").to_string();
    let second: Value =
        app.get(&format!("/v1/outbox?limit=2&cursor={cursor}"), Some(&admin)).await.json().await.unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1, "{second}");
    assert!(second["next_cursor"].is_null());
    let recipients: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(recipients, ["p***@example.nl"; 3]);
    let ids: std::collections::HashSet<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "no message on two pages");
    let sent: Value = app.get("/v1/outbox?status=sent", Some(&admin)).await.json().await.unwrap();
    assert_eq!(sent["items"].as_array().unwrap().len(), 3);
    let res = app.get("/v1/outbox?cursor=nonsense", Some(&admin)).await;
    let problem = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(problem["errors"][0]["pointer"], "#/query/cursor");
}

#[tokio::test]
async fn only_the_admin_may_list_and_requeue_outgoing_mail() {
    let app = spawn_app().await;
    let requeue = "/v1/outbox/00000000-0000-0000-0000-000000000000/requeue";
    assert_problem(app.get("/v1/outbox", None).await, 401, "/problems/unauthorized").await;
    assert_problem(app.post(requeue, &json!({}), None).await, 401, "/problems/unauthorized").await;
    assert_role_matrix(&app, reqwest::Method::GET, "/v1/outbox", &json!({}), &["admin"]).await;
    assert_role_matrix(&app, reqwest::Method::POST, requeue, &json!({}), &["admin"]).await;
}
