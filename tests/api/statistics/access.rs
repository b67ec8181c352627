//! Parameters, roles and scope of the statistics routes.

use reqwest::Method;
use serde_json::{json, Value};

use super::{csv_of, json_of, rows};
use crate::helpers::*;

const ROUTES: [&str; 4] = [
    "/v1/statistics/meldpunt",
    "/v1/statistics/licensing",
    "/v1/statistics/enforcement",
    "/v1/statistics/monitoring?year=2026&quarter=1",
];

fn manager_of(code: &str) -> String {
    make_token("manager", &uuid::Uuid::new_v4().to_string(), &[code], 600, "huurtoezicht-api", JWT_SECRET)
}

#[tokio::test]
async fn only_officers_and_managers_read_statistics() {
    let app = spawn_app().await;
    for path in ROUTES {
        assert_role_matrix(&app, Method::GET, path, &json!({}), &["officer", "manager"]).await;
        assert_problem(app.get(path, None).await, 401, "/problems/unauthorized").await;
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_the_parameter() {
    let app = spawn_app().await;
    let token = role_token("manager");
    let cases = [
        ("/v1/statistics/licensing?group_by=week", "#/query/group_by"),
        ("/v1/statistics/licensing?format=xlsx", "#/query/format"),
        ("/v1/statistics/licensing?from=2026-02-30", "#/query/from"),
        ("/v1/statistics/enforcement?from=2026-03-01&to=2026-02-28", "#/query/to"),
        ("/v1/statistics/meldpunt?from=2010-01-01&to=2020-01-01", "#/query/to"),
        ("/v1/statistics/monitoring?year=2026", "#/query/quarter"),
        ("/v1/statistics/monitoring?year=2026&quarter=5", "#/query/quarter"),
        ("/v1/statistics/monitoring?year=twenty&quarter=1", "#/query/year"),
        ("/v1/statistics/monitoring?year=2099&quarter=1", "#/query/quarter"),
    ];
    for (path, pointer) in cases {
        let p = assert_problem(app.get(path, Some(&token)).await, 422, "/problems/validation").await;
        assert_eq!(p["errors"][0]["pointer"], pointer, "{path}: {p}");
    }
    // Ten years less a day is allowed.
    json_of(&app, "/v1/statistics/licensing?from=2010-01-01&to=2019-12-31&group_by=year", &token).await;
}

#[tokio::test]
async fn a_manager_sees_only_the_numbers_of_their_own_municipalities() {
    let app = spawn_app().await;
    let officer = app.staff_token("officer", "toezicht@gemeente.test", &[MUNICIPALITY]).await;
    let today = app.clock.today_nl().to_string();
    let body = json!({"status": "performed", "performed_on": today, "address": {"postcode": "3011 AB", "house_number": 12},
        "officers": ["T. Toezicht"], "interpreter_used": false,
        "findings": {"rooms": [{"label": "kamer 1", "entry_basis": "not_entered"}]}});
    let res = app.post("/v1/inspections", &body, Some(&officer)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let own = json_of(&app, "/v1/statistics/enforcement", &manager_of(MUNICIPALITY)).await;
    assert_eq!(rows(&own, "inspections").len(), 1);
    assert_eq!(rows(&own, "inspections")[0][1], 1);

    let other = manager_of("GM0518");
    let theirs = json_of(&app, "/v1/statistics/enforcement", &other).await;
    assert_eq!(theirs["municipalities"], json!(["GM0518"]));
    assert!(rows(&theirs, "inspections").is_empty(), "{theirs}");
    let (_, text) = csv_of(&app, "/v1/statistics/enforcement", &other).await;
    assert!(!text.contains("\"inspections\""), "{text}");

    let (year, quarter) = (today[..4].to_string(), (today[5..7].parse::<u32>().unwrap() - 1) / 3 + 1);
    let path = format!("/v1/statistics/monitoring?year={year}&quarter={quarter}");
    let m: Value = json_of(&app, &path, &other).await;
    assert_eq!(m["rows"].as_array().unwrap().len(), 1);
    assert_eq!(m["rows"][0]["municipality_code"], "GM0518");
    assert_eq!(m["rows"][0]["inspections"], 0);
    let m: Value = json_of(&app, &path, &manager_of(MUNICIPALITY)).await;
    assert_eq!(m["rows"][0]["inspections"], 1);
}

/// Small counts of the meldpunt are `<5` in the CSV files and exact in JSON; five are shown.
#[tokio::test]
async fn small_meldpunt_counts_are_suppressed_in_csv_only() {
    let app = spawn_app().await;
    for _ in 0..2 {
        let body = json!({"category": "intimidation", "language": "nl", "description": "Dreiging",
            "address": {"postcode": "3011 AB", "house_number": 12}});
        assert_eq!(app.post("/v1/complaints", &body, None).await.status(), 201);
    }
    let token = manager_of(MUNICIPALITY);
    let today = app.clock.today_nl().to_string();
    let j = json_of(&app, "/v1/statistics/meldpunt", &token).await;
    assert_eq!(rows(&j, "reports_by_category")[0][2], 2);
    let (records, _) = csv_of(&app, "/v1/statistics/meldpunt", &token).await;
    let line = records.iter().find(|r| r[0] == "reports_by_category").unwrap();
    assert_eq!(line[7], "<5");
    let (year, quarter) = (today[..4].to_string(), (today[5..7].parse::<u32>().unwrap() - 1) / 3 + 1);
    let (records, _) =
        csv_of(&app, &format!("/v1/statistics/monitoring?year={year}&quarter={quarter}"), &token).await;
    let column = records[0].iter().position(|c| c == "reports_received").unwrap();
    assert_eq!(records[1][column], "<5");

    for _ in 0..3 {
        let body = json!({"category": "intimidation", "language": "nl", "description": "Dreiging",
            "address": {"postcode": "3011 AB", "house_number": 14}});
        assert_eq!(app.post("/v1/complaints", &body, None).await.status(), 201);
    }
    let (records, _) = csv_of(&app, "/v1/statistics/meldpunt", &token).await;
    let line = records.iter().find(|r| r[0] == "reports_by_category").unwrap();
    assert_eq!(line[7], "5", "five reports are not a small count");
}
