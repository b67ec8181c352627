//! Registration signals for burgerzaken: made by an inspection that finds unregistered
//! occupants, worked by the `civil_affairs` role (`open → address_investigation → concluded`),
//! readable by officers and managers, invisible to other roles and other municipalities.

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::authz::add_municipality;
use crate::helpers::*;

async fn body(res: reqwest::Response, status: StatusCode) -> Value {
    let got = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

fn performed(house_number: u32, performed_on: &str, unregistered: u32) -> Value {
    json!({"status": "performed", "performed_on": performed_on,
           "address": {"postcode": "3011 AB", "house_number": house_number, "addition": "b"},
           "officers": ["T. Toezicht"],
           "findings": {"rooms": [{"label": "kamer 1", "entry_basis": "occupant_consent",
                                   "sleeping_room": true, "occupants": 3}],
                        "unregistered_occupants": unregistered}})
}

/// Records a performed inspection; returns it.
async fn inspection(app: &TestApp, officer: &str, body: &Value) -> Value {
    self::body(app.post("/v1/inspections", body, Some(officer)).await, StatusCode::CREATED).await
}

async fn queue(app: &TestApp, token: &str, query: &str) -> Value {
    body(app.get(&format!("/v1/registration-signals{query}"), Some(token)).await, StatusCode::OK).await
}

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

#[tokio::test]
async fn an_inspection_with_unregistered_occupants_makes_one_signal_without_names() {
    let app = spawn_app_at(start()).await;
    let officer = role_token("officer");
    let civil = role_token("civil_affairs");

    let i = inspection(&app, &officer, &performed(12, "2026-03-09", 3)).await;
    assert_eq!(i["burgerzaken_signal"], true);
    let signal_id =
        i["registration_signal_id"].as_str().expect("the inspection links its signal").to_string();
    // An inspection without unregistered occupants makes none.
    let none = inspection(&app, &officer, &performed(14, "2026-03-09", 0)).await;
    assert_eq!(none["burgerzaken_signal"], false);
    assert!(none.get("registration_signal_id").is_none(), "{none}");

    let s =
        body(app.get(&format!("/v1/registration-signals/{signal_id}"), Some(&civil)).await, StatusCode::OK)
            .await;
    assert_eq!(s["inspection_id"], i["id"]);
    assert_eq!(s["persons"], 3);
    assert_eq!(s["found_on"], "2026-03-09");
    assert_eq!(s["status"], "open");
    assert!(s["outcome"].is_null());
    assert_eq!(s["address"], json!({"postcode": "3011 AB", "house_number": 12, "addition": "B"}));
    assert_eq!(s["allowed_actions"], json!(["start-investigation", "conclude"]));
    let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
    assert!(!keys.iter().any(|k| k.contains("name") || k.contains("officer")), "no names: {keys:?}");

    // Read through the inspection: the same link.
    let read = body(
        app.get(&format!("/v1/inspections/{}", i["id"].as_str().unwrap()), Some(&officer)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["registration_signal_id"], json!(signal_id));

    // Never a sanction: no violation, no enforcement case came of it.
    let cases = body(app.get("/v1/enforcement-cases", Some(&officer)).await, StatusCode::OK).await;
    assert!(cases["items"].as_array().unwrap().is_empty(), "{cases}");

    let q = queue(&app, &civil, "").await;
    assert_eq!(q["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn performing_a_planned_inspection_makes_the_signal_in_the_same_step() {
    let app = spawn_app_at(start()).await;
    let officer = role_token("officer");
    let planned = inspection(
        &app,
        &officer,
        &json!({"status": "planned", "planned_on": "2026-03-10", "address": {"postcode": "3011 AB", "house_number": 20},
                "officers": ["T. Toezicht"]}),
    )
    .await;
    assert!(planned.get("registration_signal_id").is_none());
    let id = planned["id"].as_str().unwrap();
    let outcome = json!({"performed_on": "2026-03-10", "findings": {"unregistered_occupants": 2}});
    let done = body(
        app.post(&format!("/v1/inspections/{id}/perform"), &outcome, Some(&officer)).await,
        StatusCode::OK,
    )
    .await;
    let signal = done["registration_signal_id"].as_str().unwrap();
    let s =
        body(app.get(&format!("/v1/registration-signals/{signal}"), Some(&officer)).await, StatusCode::OK)
            .await;
    assert_eq!((s["persons"].as_i64(), s["found_on"].as_str()), (Some(2), Some("2026-03-10")));
    assert_eq!(s["inspection_id"], json!(id));
    // An officer reads, but has no steps to take.
    assert_eq!(s["allowed_actions"], json!([]));
}

#[tokio::test]
async fn burgerzaken_works_the_queue_oldest_first_through_its_lifecycle() {
    let app = spawn_app_at(start()).await;
    let officer = role_token("officer");
    // Burgerzaken is a staff account made by the admin, with its municipality, and logs in.
    let civil = app.staff_token("civil_affairs", "burgerzaken@gemeente.test", &[MUNICIPALITY]).await;
    let me = body(app.get("/v1/me", Some(&civil)).await, StatusCode::OK).await;
    assert_eq!(me["role"], "civil_affairs");

    let late = inspection(&app, &officer, &performed(30, "2026-03-08", 2)).await;
    let early = inspection(&app, &officer, &performed(32, "2026-03-02", 1)).await;
    let middle = inspection(&app, &officer, &performed(34, "2026-03-05", 4)).await;
    let sid = |i: &Value| i["registration_signal_id"].as_str().unwrap().to_string();
    let (late, early, middle) = (sid(&late), sid(&early), sid(&middle));

    // Oldest first, paged.
    let page1 = queue(&app, &civil, "?limit=2").await;
    let ids: Vec<&str> =
        page1["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [early.as_str(), middle.as_str()]);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = queue(&app, &civil, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(page2["items"][0]["id"], json!(late));
    assert!(page2["next_cursor"].is_null());

    let step = |id: &str, verb: &str, b: Value| {
        let (app, civil, path) = (&app, civil.clone(), format!("/v1/registration-signals/{id}/{verb}"));
        async move { app.post(&path, &b, Some(&civil)).await }
    };

    // open → address_investigation → concluded (moved).
    let s =
        body(step(&early, "start-investigation", json!({"started_on": "2026-03-03"})).await, StatusCode::OK)
            .await;
    assert_eq!(s["status"], "address_investigation");
    assert_eq!(s["investigation_started_on"], "2026-03-03");
    assert_eq!(s["allowed_actions"], json!(["conclude"]));
    // Starting again: 409 naming the state.
    let p = assert_problem(
        step(&early, "start-investigation", json!({"started_on": "2026-03-04"})).await,
        409,
        "/problems/conflict",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("address_investigation"), "{p}");
    assert_eq!(p["allowed_actions"], json!(["conclude"]));
    // Not before the investigation started, not in the future.
    let p = assert_problem(
        step(&early, "conclude", json!({"outcome": "moved", "concluded_on": "2026-03-02"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/concluded_on");
    let p = assert_problem(
        step(&early, "conclude", json!({"outcome": "moved", "concluded_on": "2026-03-11"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/concluded_on");
    let s = body(
        step(&early, "conclude", json!({"outcome": "moved", "concluded_on": "2026-03-09"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((s["status"].as_str(), s["outcome"].as_str()), (Some("concluded"), Some("moved")));
    assert_eq!(s["concluded_on"], "2026-03-09");
    assert_eq!(s["allowed_actions"], json!([]));
    let p = assert_problem(
        step(&early, "conclude", json!({"outcome": "registered", "concluded_on": "2026-03-09"})).await,
        409,
        "/problems/conflict",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("concluded"), "{p}");

    // Directly from open: registered or not_found only; a start before found_on is refused.
    let p = assert_problem(
        step(&middle, "conclude", json!({"outcome": "deregistered", "concluded_on": "2026-03-06"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/outcome");
    let p = assert_problem(
        step(&middle, "start-investigation", json!({"started_on": "2026-03-04"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/started_on");
    let p = assert_problem(
        step(&middle, "start-investigation", json!({"started_on": "5 maart"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/started_on");
    let p = assert_problem(
        step(&middle, "conclude", json!({"outcome": "gone", "concluded_on": "2026-03-06"})).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/outcome");
    let s = body(
        step(&middle, "conclude", json!({"outcome": "not_found", "concluded_on": "2026-03-06"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["status"], "concluded");
    assert!(s["investigation_started_on"].is_null());

    // The queue by status.
    let open = queue(&app, &civil, "?status=open").await;
    let ids: Vec<&str> =
        open["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [late.as_str()]);
    assert_eq!(queue(&app, &civil, "?status=concluded").await["items"].as_array().unwrap().len(), 2);
    let res = app.get("/v1/registration-signals?status=closed", Some(&civil)).await;
    assert!(res.status().is_client_error());
    let res = app.get("/v1/registration-signals?cursor=nonsense", Some(&civil)).await;
    assert_problem(res, 422, "/problems/validation").await;

    // Every step is in the audit trail.
    let audit = body(
        app.get(
            &format!("/v1/audit?entity_type=registration_signal&entity_id={early}"),
            Some(&role_token("manager")),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> =
        audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["create", "start-investigation", "conclude"] {
        assert!(actions.contains(&a), "{a} missing in {actions:?}");
    }
}

#[tokio::test]
async fn only_burgerzaken_works_signals_and_it_sees_nothing_else() {
    let app = spawn_app_at(start()).await;
    let officer = role_token("officer");
    let civil = role_token("civil_affairs");
    let i = inspection(&app, &officer, &performed(40, "2026-03-09", 1)).await;
    let id = i["registration_signal_id"].as_str().unwrap();
    let start_body = json!({"started_on": "2026-03-09"});
    let path = format!("/v1/registration-signals/{id}/start-investigation");

    // Officers and managers read but cannot step; landlords, portals, Bibob and admin see nothing.
    for role in ["officer", "manager"] {
        let res = app.post(&path, &start_body, Some(&role_token(role))).await;
        assert_problem(res, 403, "/problems/forbidden").await;
        let res = app.get(&format!("/v1/registration-signals/{id}"), Some(&role_token(role))).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let landlord = landlord_token(&uuid::Uuid::new_v4().to_string());
    for token in [landlord, role_token("api_client"), role_token("bibob_officer"), role_token("admin")] {
        assert_problem(app.get("/v1/registration-signals", Some(&token)).await, 403, "/problems/forbidden")
            .await;
        assert_problem(app.post(&path, &start_body, Some(&token)).await, 403, "/problems/forbidden").await;
    }
    // Burgerzaken sees no complaints, inspections, licences, Bibob or enforcement.
    for route in [
        "/v1/complaints",
        "/v1/inspections",
        "/v1/licences",
        "/v1/licence-applications",
        "/v1/bibob-checks",
        "/v1/enforcement-cases",
        "/v1/properties",
    ] {
        assert_problem(app.get(route, Some(&civil)).await, 403, "/problems/forbidden").await;
    }
    let res = app.get(&format!("/v1/inspections/{}", i["id"].as_str().unwrap()), Some(&civil)).await;
    assert_problem(res, 403, "/problems/forbidden").await;

    // Burgerzaken of another municipality: not found, and an empty queue.
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let other = make_token(
        "civil_affairs",
        &uuid::Uuid::new_v4().to_string(),
        &["GM0363"],
        600,
        "huurtoezicht-api",
        JWT_SECRET,
    );
    assert_problem(
        app.get(&format!("/v1/registration-signals/{id}"), Some(&other)).await,
        404,
        "/problems/not-found",
    )
    .await;
    assert_problem(app.post(&path, &start_body, Some(&other)).await, 404, "/problems/not-found").await;
    assert!(queue(&app, &other, "").await["items"].as_array().unwrap().is_empty());

    // The signal's own burgerzaken can.
    let s = body(app.post(&path, &start_body, Some(&civil)).await, StatusCode::OK).await;
    assert_eq!(s["status"], "address_investigation");
}

#[tokio::test]
async fn a_civil_affairs_account_needs_a_municipality() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let res = app
        .post(
            "/v1/accounts",
            &json!({"email": "bz@gemeente.test", "password": PASSWORD, "name": "Burgerzaken",
                    "role": "civil_affairs", "municipalities": []}),
            Some(&admin),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/municipalities");
}
