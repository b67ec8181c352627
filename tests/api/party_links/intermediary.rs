//! Violations addressed to an intermediary (the general rules bind verhuurbemiddelaars too,
//! rules.md §1), and properties naming their intermediary.

use super::*;

fn addressed(landlord: &str, agent: &str, n: u32, rule: &str, on: &str) -> Value {
    let mut body = violation_body(landlord, n, rule, on);
    body["addressed_to"] = json!("intermediary");
    body["intermediary_id"] = json!(agent);
    body
}

#[tokio::test]
async fn a_violation_warning_and_fine_against_an_intermediary_follow_the_intermediary() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = record_party(&app, PartyRole::Landlord, "Eigenaar Pand BV");
    let agent = record_party(&app, PartyRole::Intermediary, "Kamerbemiddeling Rotterdam BV");

    // GR-08: the bemiddelaar charged the tenant bemiddelingskosten.
    let v = ok(app
        .post("/v1/violations", &addressed(&landlord, &agent, 10, "GR-08", "2025-01-06"), Some(&officer()))
        .await)
    .await;
    assert_eq!(v["addressed_to"], "intermediary");
    assert_eq!(v["intermediary_id"], agent.as_str());
    assert_eq!(v["landlord_id"], landlord.as_str());
    assert_eq!(v["addressee_id"], agent.as_str());
    let case = ok(app
        .get(&format!("/v1/enforcement-cases/{}", v["case_id"].as_str().unwrap()), Some(&officer()))
        .await)
    .await;
    assert_eq!(case["landlord_id"], agent.as_str(), "the case is the intermediary's: {case}");
    let read = ok(app
        .get(&format!("/v1/violations/{}", v["id"].as_str().unwrap()), Some(&role_token("manager")))
        .await)
    .await;
    assert_eq!(read["addressed_to"], "intermediary");
    assert_eq!(read["landlord_id"], landlord.as_str());

    let w = warning(&app, &v).await;
    assert_eq!(w["kind"], "warning");
    let v2 = ok(app
        .post("/v1/violations", &addressed(&landlord, &agent, 11, "GR-04", "2025-01-06"), Some(&officer()))
        .await)
    .await;
    decided_fine(&app, &v2, "administrative_fine").await;

    // The intermediary's history holds both violations and the fine; the landlord's none.
    let h = history(&app, &agent).await;
    assert_eq!(h["violations_total"], 2, "{h}");
    assert_eq!(h["fines_in_window"], 1, "{h}");
    assert_eq!(history(&app, &landlord).await["violations_total"], 0);

    // Only the general rules bind an intermediary; the request must name a live intermediary.
    let res = app
        .post("/v1/violations", &addressed(&landlord, &agent, 12, "AM-01", "2025-01-21"), Some(&officer()))
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/rule");
    let res = app
        .post("/v1/violations", &addressed(&landlord, &landlord, 12, "GR-05", "2025-01-21"), Some(&officer()))
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/intermediary_id");
    let mut no_agent = addressed(&landlord, &agent, 12, "GR-05", "2025-01-21");
    no_agent.as_object_mut().unwrap().remove("intermediary_id");
    let p = assert_problem(
        app.post("/v1/violations", &no_agent, Some(&officer())).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/intermediary_id");
    let mut to_landlord = addressed(&landlord, &agent, 12, "GR-05", "2025-01-21");
    to_landlord["addressed_to"] = json!("landlord");
    let p = assert_problem(
        app.post("/v1/violations", &to_landlord, Some(&officer())).await,
        422,
        "/problems/validation",
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "/intermediary_id");
    let res = app
        .post("/v1/violations", &violation_body(&agent, 12, "GR-05", "2025-01-21"), Some(&officer()))
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/landlord_id");

    // A merged intermediary is refused, naming the record it was merged into; its history moved.
    let duplicate = record_party(&app, PartyRole::Intermediary, "Kamerbemiddeling R'dam");
    assert_problem(merge(&app, "landlords", &duplicate, &agent).await, 404, "/problems/not-found").await;
    ok(merge(&app, "intermediaries", &agent, &duplicate).await).await;
    let res = app
        .post("/v1/violations", &addressed(&landlord, &agent, 12, "GR-05", "2025-01-21"), Some(&officer()))
        .await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&duplicate), "{p}");
    assert_eq!(history(&app, &duplicate).await["fines_in_window"], 1);
}

#[tokio::test]
async fn a_property_names_its_intermediary_and_only_a_live_intermediary() {
    let app = spawn_app().await;
    let landlord = record_party(&app, PartyRole::Landlord, "Eigenaar BV");
    let agent = record_party(&app, PartyRole::Intermediary, "Beheer BV");
    let mut body = property_body("3011 AB", 20);
    body["landlord_id"] = json!(landlord);
    body["intermediary_id"] = json!(agent);
    let p = ok(app.post("/v1/properties", &body, Some(&officer())).await).await;
    assert_eq!(p["intermediary_id"], agent.as_str());
    let path = format!("/v1/properties/{}", p["id"].as_str().unwrap());
    assert_eq!(ok(app.get(&path, Some(&officer())).await).await["intermediary_id"], agent.as_str());

    // A landlord's record or an unknown id is no intermediary.
    for wrong in [landlord.clone(), uuid::Uuid::new_v4().to_string()] {
        let res = app.patch(&path, &json!({"intermediary_id": wrong}), Some(&officer())).await;
        let e = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(e["errors"][0]["pointer"], "/intermediary_id");
    }
    // `""` removes it.
    let cleared = ok(app.patch(&path, &json!({"intermediary_id": ""}), Some(&officer())).await).await;
    assert!(cleared["intermediary_id"].is_null(), "{cleared}");

    // After a merge the property names the surviving record.
    let other = record_party(&app, PartyRole::Intermediary, "Beheer B.V.");
    ok(app.patch(&path, &json!({"intermediary_id": agent}), Some(&officer())).await).await;
    let m = ok(merge(&app, "intermediaries", &agent, &other).await).await;
    assert_eq!(m["moved"], json!([{"column": "properties.intermediary_id", "rows": 1}]));
    assert_eq!(ok(app.get(&path, Some(&officer())).await).await["intermediary_id"], other.as_str());
}
