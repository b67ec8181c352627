//! Merging two records of one party: everything moves, history and recidive follow, and the
//! merged record takes no new links.

use super::*;

async fn next_step(app: &TestApp, v: &Value) -> Value {
    let next = ok(app
        .get(&format!("/v1/enforcement-cases/{}/next-step", v["case_id"].as_str().unwrap()), Some(&officer()))
        .await)
    .await;
    next["per_violation"].as_array().unwrap().iter().find(|p| p["violation_id"] == v["id"]).unwrap().clone()
}

fn moved(m: &Value, column: &str) -> u64 {
    m["moved"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["column"] == column)
        .map_or(0, |r| r["rows"].as_u64().unwrap())
}

#[tokio::test]
async fn after_a_merge_two_fines_on_the_old_record_make_a_new_violation_on_the_survivor_recidive() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let old = record_party(&app, PartyRole::Landlord, "Verhuur Oud BV");
    let survivor = app.landlord_id("survivor@example.nl").await;

    let v1 = violation(&app, &old, 10, "GR-04", "2025-01-06").await;
    decided_fine(&app, &v1, "administrative_fine").await; // decided 2025-01-21
    app.clock.advance(Duration::days(1));
    let v2 = violation(&app, &old, 11, "GR-06", "2025-01-22").await;
    decided_fine(&app, &v2, "recidive_fine").await; // decided 2025-02-06
    app.clock.advance(Duration::days(1));

    // Other families and the record itself are refused.
    let agent = record_party(&app, PartyRole::Intermediary, "Bemiddeling BV");
    let p = assert_problem(merge(&app, "landlords", &old, &agent).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/into");
    let p = assert_problem(merge(&app, "landlords", &old, &old).await, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/into");
    assert_problem(merge(&app, "intermediaries", &old, &survivor).await, 404, "/problems/not-found").await;
    // Landlords do not merge records.
    let res = app
        .post(
            &format!("/v1/landlords/{old}/merge"),
            &json!({"into": survivor, "reason": "dubbel"}),
            Some(&landlord_token(&survivor)),
        )
        .await;
    assert_problem(res, 403, "/problems/forbidden").await;

    let m = ok(merge(&app, "landlords", &old, &survivor).await).await;
    assert_eq!(m["id"], old.as_str());
    assert_eq!(m["merged_into"], survivor.as_str());
    assert_eq!(moved(&m, "violations.landlord_id"), 2, "{m}");
    assert_eq!(moved(&m, "sanctions.landlord_id"), 2, "{m}");
    assert_eq!(moved(&m, "enforcement_cases.landlord_id"), 2, "{m}");

    // History follows: both fines and both violations are now the survivor's (counters summed).
    let h = history(&app, &survivor).await;
    assert_eq!(h["violations_total"], 2, "{h}");
    assert_eq!(h["fines_in_window"], 2, "{h}");
    assert_eq!(h["recidive"]["recidive_now"], true);

    // Recidive follows: a further violation on the survivor counts both earlier fines.
    let v3 = violation(&app, &survivor, 13, "GR-05", "2025-02-07").await;
    let p = next_step(&app, &v3).await;
    assert_eq!(p["recidive"]["is_recidive"], true, "{p}");
    assert_eq!(p["step"], "management_takeover", "{p}");
    assert_eq!(p["takeover_grounds"], json!(["two_fines_and_further_violation"]), "{p}");
    assert_eq!(history(&app, &survivor).await["violations_total"], 3);

    // The merged id takes no new violations and cannot be merged again.
    let res =
        app.post("/v1/violations", &violation_body(&old, 14, "GR-04", "2025-02-07"), Some(&officer())).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&survivor), "{p}");
    let p = assert_problem(merge(&app, "landlords", &old, &survivor).await, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&survivor), "{p}");
}

#[tokio::test]
async fn records_with_open_cases_at_one_address_are_not_merged_until_one_is_settled() {
    let app = spawn_app_at(at("2025-03-03")).await;
    let a = record_party(&app, PartyRole::Landlord, "Huisjesmelker A");
    let b = record_party(&app, PartyRole::Landlord, "Huisjesmelker A (dubbel)");
    let va = violation(&app, &a, 20, "GR-04", "2025-03-03").await;
    violation(&app, &b, 20, "GR-05", "2025-03-03").await;
    let p = assert_problem(merge(&app, "landlords", &a, &b).await, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("open enforcement case"), "{p}");
    // Nothing moved: the refused merge left both records as they were.
    assert_eq!(history(&app, &a).await["violations_total"], 1);

    // Once the first case is closed, the merge goes through and the closed case moves along.
    ok(app
        .post(
            &format!("/v1/violations/{}/close", va["id"].as_str().unwrap()),
            &json!({"reason": "remedied", "on": "2025-03-03"}),
            Some(&officer()),
        )
        .await)
    .await;
    let m = ok(merge(&app, "landlords", &a, &b).await).await;
    assert_eq!(moved(&m, "enforcement_cases.landlord_id"), 1, "{m}");
    let h = history(&app, &b).await;
    assert_eq!(h["violations_total"], 2, "{h}");
    assert_eq!(h["addresses_with_cases"], 1, "{h}");

    // Employers merge within their own family too.
    let e1 = record_party(&app, PartyRole::Employer, "Uitzendbureau Flex");
    let e2 = record_party(&app, PartyRole::Employer, "Flex Uitzend BV");
    let m = ok(merge(&app, "employers", &e1, &e2).await).await;
    assert_eq!(m["merged_into"], e2.as_str());
}
