//! The officers' side: access, state changes, referral decisions, the list and hotspots.

use super::*;

#[tokio::test]
async fn complaint_routes_admit_only_municipal_staff_and_hide_other_municipalities() {
    let app = spawn_app().await;
    let created = submit(&app, &report("intimidation")).await;
    let id = created["id"].as_str().unwrap();
    assert_role_matrix(&app, Method::GET, "/v1/complaints", &json!({}), &["officer", "manager"]).await;
    assert_role_matrix(
        &app,
        Method::GET,
        &format!("/v1/complaints/{id}"),
        &json!({}),
        &["officer", "manager"],
    )
    .await;
    assert_role_matrix(&app, Method::POST, "/v1/jobs/retention/run", &json!({}), &["admin"]).await;
    assert_role_matrix(&app, Method::GET, "/v1/complaints/hotspots", &json!({}), &["officer", "manager"])
        .await;
    for verb in [
        "transitions",
        "assign",
        "priority",
        "links",
        "merge",
        "messages",
        "referrals",
        "no-referral",
        "retention",
    ] {
        let path = format!("/v1/complaints/{id}/{verb}");
        assert_role_matrix(&app, Method::POST, &path, &json!({}), &["officer", "manager"]).await;
    }
    let elsewhere = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    assert_problem(
        app.get(&format!("/v1/complaints/{id}"), Some(&elsewhere)).await,
        404,
        "/problems/not-found",
    )
    .await;
    let list: Value = app.get("/v1/complaints", Some(&elsewhere)).await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    assert_problem(app.get("/v1/complaints", None).await, 401, "/problems/unauthorized").await;
}

#[tokio::test]
async fn state_changes_follow_the_workflow_and_illegal_ones_name_the_allowed_actions() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let id = submit(&app, &report("deposit_too_high")).await["id"].as_str().unwrap().to_string();
    let body =
        assert_problem(transition(&app, &token, &id, "take_action").await, 409, "/problems/conflict").await;
    assert_eq!(body["allowed_actions"], json!(["triage", "refer", "close_unfounded"]));
    for action in ["triage", "start_investigation", "take_action"] {
        let res = transition(&app, &token, &id, action).await;
        assert_eq!(res.status(), StatusCode::OK, "{action}");
    }
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    assert_eq!(c["status"], "action_taken");
    assert_eq!(c["allowed_actions"], json!([]));
    let actions: Vec<&str> =
        c["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "triage", "start_investigation", "take_action"]);
    assert_eq!(c["history"][1]["reason"], "beoordeeld");
    let res = act(&app, &token, &id, "transitions", json!({"action": "triage", "reason": ""})).await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn an_exploitation_signal_complaint_cannot_be_closed_without_a_referral_decision() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let mut r = report("tenancy_tied_to_employment");
    r["exploitation_signals"] = json!(["documents_withheld", "debts_to_employer"]);
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    assert_eq!(c["priority"], "urgent");
    // Signals keep the complaint urgent.
    let res = act(&app, &token, &id, "priority", json!({"priority": "low", "reason": "druk"})).await;
    assert_problem(res, 422, "/problems/validation").await;

    transition(&app, &token, &id, "triage").await;
    transition(&app, &token, &id, "start_investigation").await;
    let body =
        assert_problem(transition(&app, &token, &id, "close_no_action").await, 409, "/problems/conflict")
            .await;
    assert_eq!(body["allowed_actions"], json!(["add_referral", "record_no_referral"]));
    assert_problem(transition(&app, &token, &id, "refer").await, 409, "/problems/conflict").await;

    let res = act(
        &app,
        &token,
        &id,
        "referrals",
        json!({"partner": "labour_inspectorate", "referred_on": "2026-03-02",
        "shared_data": "adres, aantal bewoners, signalen", "legal_basis": "art. 4 Besluit Stb. 2023, 193"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = act(
        &app,
        &token,
        &id,
        "referrals",
        json!({"partner": "police", "referred_on": "2026-03-03",
        "shared_data": "x", "legal_basis": "y"}),
    )
    .await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = transition(&app, &token, &id, "refer").await;
    assert_eq!(res.status(), StatusCode::OK);
    let c: Value = res.json().await.unwrap();
    assert_eq!(c["status"], "referred");
    assert_eq!(c["referrals"][0]["partner"], "labour_inspectorate");
    // Scenario 60 shape: referred, not kept for a case → personal data due the same day.
    assert_eq!(c["retention"]["personal_data_due_on"], "2026-03-02");

    // The other route to a decision: a recorded reason not to refer.
    let id2 = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    transition(&app, &token, &id2, "triage").await;
    assert_problem(transition(&app, &token, &id2, "close_unfounded").await, 409, "/problems/conflict").await;
    let res =
        act(&app, &token, &id2, "no-referral", json!({"reason": "signalen al bekend bij de NLA"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(transition(&app, &token, &id2, "close_unfounded").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_officer_list_puts_urgent_first_filters_and_pages_with_a_cursor() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()).await;
    let (me, token) = officer_account(&app).await;
    let mut ids = vec![];
    for i in 0..5 {
        let mut r = report(if i == 3 { "unsafe_housing" } else { "deposit_too_high" });
        r["address"]["postcode"] = json!(if i % 2 == 0 { "3011AB" } else { "1012 JS" });
        ids.push(submit(&app, &r).await["id"].as_str().unwrap().to_string());
        app.clock.advance(Duration::minutes(1));
    }
    let page: Value = app.get("/v1/complaints?limit=2", Some(&token)).await.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], json!(ids[3]));
    assert_eq!(page["items"][1]["id"], json!(ids[0]));
    let mut seen: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    let mut cursor = page["next_cursor"].as_str().unwrap().to_string();
    loop {
        let p: Value = app
            .get(&format!("/v1/complaints?limit=2&cursor={cursor}"), Some(&token))
            .await
            .json()
            .await
            .unwrap();
        seen.extend(p["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()));
        match p["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, [ids[3].clone(), ids[0].clone(), ids[1].clone(), ids[2].clone(), ids[4].clone()]);

    let p: Value = app.get("/v1/complaints?postcode=1012js", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 2);
    let p: Value =
        app.get("/v1/complaints?category=unsafe_housing", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    let p: Value = app.get("/v1/complaints?status=triaged", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));
    let p: Value =
        app.get("/v1/complaints?has_exploitation_signals=true", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));
    // Unsafe housing has a 3-day handling term in the shipped data file; the others 56 days.
    app.clock.advance(Duration::days(4));
    let p: Value = app.get("/v1/complaints?overdue=true", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    assert_eq!(p["items"][0]["overdue"], true);
    let p: Value =
        app.get("/v1/complaints?received_from=2026-01-06", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"], json!([]));

    // Assign and filter by officer; links and filter by landlord.
    let res = act(&app, &token, &ids[1], "assign", json!({"officer_id": me})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = act(&app, &token, &ids[1], "assign", json!({"officer_id": "nobody"})).await;
    assert_problem(res, 422, "/problems/validation").await;
    let p: Value = app
        .get(&format!("/v1/complaints?assigned_officer_id={me}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    act(&app, &token, &ids[2], "links", json!({"landlord_id": "ll-1", "property_id": "p-9"})).await;
    let p: Value = app.get("/v1/complaints?landlord_id=ll-1", Some(&token)).await.json().await.unwrap();
    assert_eq!(p["items"][0]["id"], json!(ids[2]));
    assert_problem(app.get("/v1/complaints?cursor=zzz", Some(&token)).await, 422, "/problems/validation")
        .await;
    assert_problem(app.get("/v1/complaints?postcode=12", Some(&token)).await, 422, "/problems/validation")
        .await;
}

#[tokio::test]
async fn hotspots_count_complaints_per_address_and_landlord_over_twelve_months() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let old = submit(&app, &report("intimidation")).await;
    app.clock.advance(Duration::days(400));
    let mut ids = vec![];
    for _ in 0..3 {
        ids.push(submit(&app, &report("intimidation")).await["id"].as_str().unwrap().to_string());
    }
    let mut other = report("other");
    other["address"] = json!({"postcode": "1012JS", "house_number": 1});
    submit(&app, &other).await;
    for id in &ids[..2] {
        act(&app, &token, id, "links", json!({"landlord_id": "ll-7"})).await;
    }
    act(&app, &token, old["id"].as_str().unwrap(), "links", json!({"landlord_id": "ll-7"})).await;

    let h: Value = app.get("/v1/complaints/hotspots", Some(&token)).await.json().await.unwrap();
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "{h}");
    assert_eq!(h["items"][0]["address"], json!({"postcode": "3011 AB", "house_number": 12, "addition": "B"}));
    assert_eq!(h["items"][0]["complaints"], 3);
    let h: Value =
        app.get("/v1/complaints/hotspots?by=landlord&min_count=1", Some(&token)).await.json().await.unwrap();
    assert_eq!(h["items"][0]["landlord_id"], "ll-7");
    assert_eq!(h["items"][0]["complaints"], 2);
    let h: Value = app
        .get("/v1/complaints/hotspots?by=landlord&from=2024-01-01", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["items"][0]["complaints"], 3);
    assert_problem(
        app.get("/v1/complaints/hotspots?from=2026-01-01&to=2025-01-01", Some(&token)).await,
        422,
        "/problems/validation",
    )
    .await;
}
