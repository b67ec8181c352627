//! Signals from partners (`POST /v1/complaints/partner-signals`): entered by staff through the
//! intake rules of a report, with channel `partner`, the partner and its reference, and without a
//! reporter or tracking code.

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const ROUTE: &str = "/v1/complaints/partner-signals";

fn signal(partner: &str, category: &str) -> Value {
    json!({
        "partner": partner,
        "partner_reference": "  PL-2026-00123 ",
        "category": category,
        "description": "Politie trof bij een controle twaalf arbeidsmigranten in één woning aan.",
        "address": {"postcode": "3011 ab", "house_number": 12},
    })
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn a_partner_signal_goes_through_the_intake_rules_of_a_report_without_a_tracking_code() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()).await;
    let officer = role_token("officer");

    // The category's term and priority, as for a resident's report: overcrowding, 14 days.
    let c = created(app.post(ROUTE, &signal("police", "overcrowding"), Some(&officer)).await).await;
    assert_eq!(c["channel"], "partner");
    assert_eq!(c["partner"], "police");
    assert_eq!(c["partner_reference"], "PL-2026-00123");
    assert_eq!(c["category"], "overcrowding");
    assert_eq!(c["priority"], "normal");
    assert_eq!(c["status"], "received");
    assert_eq!(c["handling_due_on"], "2026-03-16");
    assert_eq!(c["language"], "nl");
    assert_eq!(c["address"]["postcode"], "3011 AB");
    assert!(c["contact"].is_null(), "{c}");
    assert_eq!(c["feedback_channel"], "none");
    assert!(c.get("tracking_code").is_none(), "no tracking code is created or returned: {c}");

    // An urgent category, and exploitation signals, make it urgent — the same rules.
    let urgent = created(app.post(ROUTE, &signal("utility", "unsafe_housing"), Some(&officer)).await).await;
    assert_eq!(urgent["priority"], "urgent");
    assert_eq!(urgent["handling_due_on"], "2026-03-05");
    let mut body = signal("labour_inspectorate", "intimidation");
    body["exploitation_signals"] = json!(["documents_withheld", "debts_to_employer"]);
    body["language"] = json!("pl");
    let exploited = created(app.post(ROUTE, &body, Some(&officer)).await).await;
    assert_eq!(exploited["priority"], "urgent");
    assert_eq!(exploited["has_exploitation_signals"], true);
    assert_eq!(exploited["exploitation_signals"], json!(["documents_withheld", "debts_to_employer"]));
    assert_eq!(exploited["language"], "pl");
    assert_eq!(exploited["history"][0]["action"], "create");

    // Read back like any complaint, by a manager too.
    let id = c["id"].as_str().unwrap();
    let res = app.get(&format!("/v1/complaints/{id}"), Some(&role_token("manager"))).await;
    let read: Value = res.json().await.unwrap();
    assert_eq!((read["channel"].as_str(), read["partner"].as_str()), (Some("partner"), Some("police")));

    // The stored tracking hash is unique and no code reaches it.
    let res = app.get("/v1/complaints/track/untracked", None).await;
    assert!(res.status().is_client_error());
}

#[tokio::test]
async fn the_officer_list_shows_the_channel_and_filters_by_it() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let public = app
        .post(
            "/v1/complaints",
            &json!({"category": "intimidation", "language": "nl", "description": "Dreiging",
                    "address": {"postcode": "3011 AB", "house_number": 14}}),
            None,
        )
        .await;
    assert_eq!(public.status(), StatusCode::CREATED);
    let public: Value = public.json().await.unwrap();
    let a = created(app.post(ROUTE, &signal("uwv", "overcrowding"), Some(&officer)).await).await;
    let b = created(app.post(ROUTE, &signal("snf", "no_licence"), Some(&officer)).await).await;

    let list = |q: &'static str| {
        let app = &app;
        let officer = officer.clone();
        async move {
            let res = app.get(&format!("/v1/complaints{q}"), Some(&officer)).await;
            assert_eq!(res.status(), StatusCode::OK);
            let body: Value = res.json().await.unwrap();
            body["items"].as_array().unwrap().clone()
        }
    };
    let partners = list("?channel=partner").await;
    let ids: Vec<&str> = partners.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a["id"].as_str().unwrap()) && ids.contains(&b["id"].as_str().unwrap()));
    assert!(partners.iter().all(|i| i["channel"] == "partner" && i["partner_reference"] == "PL-2026-00123"));
    let snf = partners.iter().find(|i| i["id"] == b["id"]).unwrap();
    assert_eq!(snf["partner"], "snf");

    let publics = list("?channel=public").await;
    assert_eq!(publics.len(), 1);
    assert_eq!(publics[0]["id"], public["id"]);
    assert_eq!(publics[0]["channel"], "public");
    assert!(publics[0]["partner"].is_null());
    assert!(list("?channel=portal").await.is_empty());
    assert_eq!(list("").await.len(), 3);

    let res = app.get("/v1/complaints?channel=fax", Some(&officer)).await;
    assert!(res.status().is_client_error());
}

#[tokio::test]
async fn bad_partner_signals_answer_422_naming_the_field() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let cases: Vec<(Value, &str)> = vec![
        (
            {
                let mut b = signal("police", "overcrowding");
                b["partner_reference"] = json!("   ");
                b
            },
            "/partner_reference",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["partner_reference"] = json!("x".repeat(101));
                b
            },
            "/partner_reference",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["category"] = json!("weather");
                b
            },
            "/category",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["language"] = json!("fr");
                b
            },
            "/language",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["address"]["postcode"] = json!("0000 AA");
                b
            },
            "/address/postcode",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b.as_object_mut().unwrap().remove("address");
                b
            },
            "/address",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["description"] = json!("  ");
                b
            },
            "/description",
        ),
        (
            {
                let mut b = signal("the_press", "overcrowding");
                b["partner"] = json!("the_press");
                b
            },
            "/partner",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b["contact"] = json!({"email": "a@b.nl"});
                b
            },
            "/contact",
        ),
        (
            {
                let mut b = signal("police", "overcrowding");
                b.as_object_mut().unwrap().remove("partner_reference");
                b
            },
            "/partner_reference",
        ),
    ];
    for (body, pointer) in cases {
        let res = app.post(ROUTE, &body, Some(&officer)).await;
        let p = assert_problem(res, 422, "/problems/validation").await;
        let pointers: Vec<&str> =
            p["errors"].as_array().unwrap().iter().filter_map(|e| e["pointer"].as_str()).collect();
        assert!(pointers.contains(&pointer), "expected {pointer} in {p}");
    }
    let res = app.get("/v1/complaints?channel=partner", Some(&officer)).await;
    let body: Value = res.json().await.unwrap();
    assert!(body["items"].as_array().unwrap().is_empty(), "nothing was filed: {body}");
}

#[tokio::test]
async fn landlords_portals_and_burgerzaken_cannot_enter_partner_signals() {
    let app = spawn_app().await;
    let body = signal("police", "overcrowding");
    for token in [
        landlord_token(&uuid::Uuid::new_v4().to_string()),
        role_token("api_client"),
        role_token("civil_affairs"),
        role_token("bibob_officer"),
        role_token("admin"),
    ] {
        let res = app.post(ROUTE, &body, Some(&token)).await;
        assert_problem(res, 403, "/problems/forbidden").await;
    }
    let res = app.post(ROUTE, &body, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A portal's own route stays the portal channel: a partner code there is an unknown field.
    let portal = app.client_token(&["complaints:write"]).await;
    let mut report = body.clone();
    report["language"] = json!("nl");
    let res = app
        .client
        .post(app.url("/v1/complaints"))
        .bearer_auth(&portal)
        .header("Idempotency-Key", "k-1")
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
