//! `GET /v1/events`: who may read the feed, catching up after a gap, filters and bad input, and
//! what an event may hold.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

async fn report(app: &TestApp, description: &str, name: &str, email: &str) -> String {
    let body = json!({
        "category": "intimidation",
        "language": "nl",
        "description": description,
        "address": {"postcode": "3011 AB", "house_number": 12},
        "anonymity": "anonymous_to_landlord",
        "contact": {"name": name, "email": email, "consent_to_contact": true},
    });
    let res = app.post("/v1/complaints", &body, None).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn transition(app: &TestApp, token: &str, id: &str, action: &str) {
    let res = app
        .post(
            &format!("/v1/complaints/{id}/transitions"),
            &json!({"action": action, "reason": "Beoordeeld door Pieter Bakker"}),
            Some(token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{action}: {}", res.text().await.unwrap());
}

/// A page of the feed once it holds at least `n` events (on PostgreSQL an event is served once
/// every transaction of the cluster that started writing before it has ended; the cluster is
/// shared with the tests running alongside).
async fn feed_min(app: &TestApp, query: &str, token: &str, n: usize) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let res = app.get(&format!("/v1/events{query}"), Some(token)).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
        let page: Value = res.json().await.unwrap();
        if page["items"].as_array().unwrap().len() >= n || std::time::Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn types(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn staff_and_clients_with_events_read_see_the_feed_others_do_not() {
    let app = spawn_app().await;
    assert_problem(app.get("/v1/events", None).await, 401, "/problems/unauthorized").await;
    for role in ["landlord", "civil_affairs"] {
        let res = app.get("/v1/events", Some(&role_token(role))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role}");
    }
    for role in ["officer", "bibob_officer", "manager", "admin"] {
        let res = app.get("/v1/events", Some(&role_token(role))).await;
        assert_eq!(res.status(), StatusCode::OK, "{role}");
    }
    let without = app.client_token(&["complaints:write"]).await;
    let res = app.get("/v1/events", Some(&without)).await;
    let problem = assert_problem(res, 403, "/problems/forbidden").await;
    assert!(problem["detail"].as_str().unwrap().contains("events:read"), "{problem}");
    let with = app.client_token(&["events:read"]).await;
    assert_eq!(app.get("/v1/events", Some(&with)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_portal_that_was_away_catches_up_from_its_last_event_in_order() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let portal = app.client_token(&["events:read"]).await;
    let first =
        report(&app, "De verhuurder dreigt ons eruit te zetten.", "Anna Kowalska", "anna@example.pl").await;
    let page = feed_min(&app, "", &portal, 1).await;
    assert_eq!(types(&page), ["complaint.received"]);
    let e = &page["items"][0];
    assert_eq!(e["specversion"], "1.0");
    assert_eq!(e["subject"], format!("/v1/complaints/{first}"));
    assert_eq!(e["municipality"], MUNICIPALITY);
    assert_eq!(e["datacontenttype"], "application/json");
    assert_eq!(e["data"], json!({"id": first, "status": "received"}));
    let cursor = page["next_after"].as_str().unwrap().to_string();
    assert_eq!(cursor, e["id"].as_str().unwrap());

    // The portal is away while officers work and another report comes in.
    transition(&app, &officer, &first, "triage").await;
    transition(&app, &officer, &first, "start_investigation").await;
    let second = report(&app, "Schimmel en geen verwarming.", "Ion Popescu", "ion@example.ro").await;
    let caught_up = feed_min(&app, &format!("?after={cursor}&limit=2"), &portal, 2).await;
    assert_eq!(types(&caught_up), ["complaint.status_changed", "complaint.status_changed"]);
    assert_eq!(
        caught_up["items"][1]["data"],
        json!({"id": first, "status": "investigating", "previous_status": "triaged"})
    );
    let next = caught_up["next_after"].as_str().unwrap();
    let rest = feed_min(&app, &format!("?after={next}"), &portal, 1).await;
    assert_eq!(types(&rest), ["complaint.received"]);
    assert_eq!(rest["items"][0]["subject"], format!("/v1/complaints/{second}"));
    let end = rest["next_after"].as_str().unwrap();
    let empty = feed_min(&app, &format!("?after={end}"), &portal, 0).await;
    assert!(empty["items"].as_array().unwrap().is_empty());
    assert_eq!(empty["next_after"], end, "an empty page keeps the cursor");
    let ids: Vec<i64> = feed_min(&app, "", &portal, 4).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");

    // Only what was asked for.
    let received = feed_min(&app, "?types=complaint.received", &portal, 2).await;
    assert_eq!(types(&received), ["complaint.received", "complaint.received"]);

    // Nothing personal anywhere in the feed.
    let text = feed_min(&app, "", &officer, 4).await.to_string();
    for personal in [
        "Anna",
        "Kowalska",
        "anna@example.pl",
        "Popescu",
        "ion@example.ro",
        "dreigt",
        "Schimmel",
        "Pieter",
        "3011",
    ] {
        assert!(!text.contains(personal), "the feed holds {personal}: {text}");
    }
}

#[tokio::test]
async fn bad_cursors_types_and_limits_are_refused_by_name() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    for (query, field) in [
        ("?after=abc", "#/query/after"),
        ("?after=-1", "#/query/after"),
        ("?types=licence.eaten", "#/query/types"),
        ("?limit=0", "#/query/limit"),
        ("?limit=501", "#/query/limit"),
    ] {
        let res = app.get(&format!("/v1/events{query}"), Some(&officer)).await;
        let problem = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(problem["errors"][0]["pointer"], field, "{query}: {problem}");
    }
    let res = app.get("/v1/events?colour=red", Some(&officer)).await;
    assert_problem(res, 422, "/problems/validation").await;
}
