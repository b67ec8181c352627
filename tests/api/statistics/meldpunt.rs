//! The meldpunt's statistics through the API, on a small data set whose answers are counted by
//! hand: reports by category, postcode area, channel (a partner's signal included), status and
//! exploitation signal; handling within the term; referrals by partner.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

use super::{csv_of, json_of, rows};
use crate::helpers::*;

async fn report(app: &TestApp, category: &str, postcode: &str, number: i64, signals: &[&str]) -> String {
    let body = json!({"category": category, "language": "nl", "description": "Te veel mensen in huis",
        "address": {"postcode": postcode, "house_number": number}, "exploitation_signals": signals});
    let res = app.post("/v1/complaints", &body, None).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn every_meldpunt_statistic_answers_the_hand_counted_figures() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()).await;
    let officer = role_token("officer");
    let manager = role_token("manager");

    // Three residents' reports and a signal from the police.
    let first = report(&app, "intimidation", "3011 AB", 12, &[]).await;
    let exploited = report(&app, "intimidation", "3011 AB", 14, &["documents_withheld"]).await;
    let unfounded = report(&app, "overcrowding", "3012 CD", 5, &[]).await;
    let signal = json!({"partner": "police", "partner_reference": "PL-1", "category": "overcrowding",
        "description": "Controle", "address": {"postcode": "3011 AB", "house_number": 12}});
    assert_eq!(app.post("/v1/complaints/partner-signals", &signal, Some(&officer)).await.status(), 201);

    // One is triaged, one closed as unfounded the same day (handled within its term, 0 days),
    // one referred to the labour inspectorate.
    let triage = json!({"action": "triage", "reason": "beoordeeld"});
    let res = app.post(&format!("/v1/complaints/{first}/transitions"), &triage, Some(&officer)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let close = json!({"action": "close_unfounded", "reason": "geen overbewoning aangetroffen"});
    let res = app.post(&format!("/v1/complaints/{unfounded}/transitions"), &close, Some(&officer)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let referral = json!({"partner": "labour_inspectorate", "referred_on": "2026-03-02",
        "shared_data": "Adres en signaal", "legal_basis": "Convenant gegevensdeling"});
    let res = app.post(&format!("/v1/complaints/{exploited}/referrals"), &referral, Some(&officer)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let path = "/v1/statistics/meldpunt?from=2026-01-01&to=2026-12-31&group_by=year";
    let j = json_of(&app, path, &manager).await;
    assert_eq!(
        rows(&j, "reports_by_category"),
        [
            vec![json!("2026"), json!("intimidation"), json!(2)],
            vec![json!("2026"), json!("overcrowding"), json!(2)]
        ]
    );
    assert_eq!(
        rows(&j, "reports_by_area"),
        [vec![json!("2026"), json!("3011"), json!(3)], vec![json!("2026"), json!("3012"), json!(1)]]
    );
    assert_eq!(
        rows(&j, "reports_by_channel"),
        [vec![json!("2026"), json!("partner"), json!(1)], vec![json!("2026"), json!("public"), json!(3)]]
    );
    let mut statuses: Vec<(String, i64)> = rows(&j, "reports_by_status")
        .into_iter()
        .map(|r| (r[1].as_str().unwrap().to_string(), r[2].as_i64().unwrap()))
        .collect();
    statuses.sort();
    // A referral does not change a report's status.
    let expected = [("closed_unfounded", 1), ("received", 2), ("triaged", 1)];
    assert_eq!(statuses, expected.map(|(s, n)| (s.to_string(), n)));
    assert_eq!(
        rows(&j, "exploitation_signals"),
        [vec![json!("2026"), json!("documents_withheld"), json!(1)]]
    );
    assert_eq!(
        rows(&j, "referrals_by_partner"),
        [vec![json!("2026"), json!("labour_inspectorate"), json!(1)]]
    );
    assert_eq!(rows(&j, "reports_by_neighbourhood"), Vec::<Vec<Value>>::new(), "no property is linked");

    // Handling: one report handled, on its day of receipt, within its term.
    let handling = rows(&j, "handling");
    assert_eq!(handling.len(), 2, "a row for overcrowding and one for all: {handling:?}");
    for row in &handling {
        assert!(row[1] == "all" || row[1] == "overcrowding", "{row:?}");
        let measures: Vec<f64> = row[2..].iter().map(f).collect();
        assert_eq!(measures, [1.0, 1.0, 1.0, 0.0, 0.0], "handled, within term, share, median, p90");
    }

    // The CSV says the same, with every count below 5 suppressed.
    let (records, _) = csv_of(&app, path, &manager).await;
    let area = records.iter().find(|r| r[0] == "reports_by_area" && r[3] == "3011").unwrap();
    assert_eq!(area[7], "<5");
    let share = records.iter().find(|r| r[0] == "handling" && r[6] == "share_within_term").unwrap();
    assert_eq!(share[7], "", "a share over fewer than 5 reports is left empty");
}
