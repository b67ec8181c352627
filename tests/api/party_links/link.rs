//! A landlord the municipality recorded without an account: enforcement runs against the record,
//! and a later self-registration linked to it sees that record's history.

use super::*;

#[tokio::test]
async fn a_later_registration_linked_to_a_recorded_landlord_sees_the_warning_and_fine_on_that_record() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let recorded = record_party(&app, PartyRole::Landlord, "Kamerverhuur Carnisse BV");

    // Enforcement against a landlord who never had an account: violation, warning, fine.
    let v1 = violation(&app, &recorded, 10, "GR-04", "2025-01-06").await;
    assert_eq!(v1["landlord_id"], recorded.as_str());
    assert_eq!(v1["addressed_to"], "landlord");
    warning(&app, &v1).await;
    let v2 = violation(&app, &recorded, 11, "GR-06", "2025-01-06").await;
    let fine = decided_fine(&app, &v2, "administrative_fine").await;
    let mut property = property_body("3011 AB", 10);
    property["landlord_id"] = json!(recorded);
    let property = ok(app.post("/v1/properties", &property, Some(&officer())).await).await;

    // The landlord registers later: a record of its own, with nothing on it.
    let (account, old_token) = app.register_landlord("carnisse@example.nl").await;
    let own_record = account["landlord"]["id"].as_str().unwrap().to_string();
    let mine = ok(app.get("/v1/me/sanctions", Some(&old_token)).await).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 0);

    // Not a landlord account: refused naming the field.
    let me = ok(app.get("/v1/me", Some(&app.admin_token().await)).await).await;
    let res = app
        .post(
            &format!("/v1/landlords/{recorded}/account-link"),
            &json!({"account_id": me["id"], "reason": "Eigenaar meldde zich aan de balie"}),
            Some(&officer()),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/account_id");

    // The officer links the account: its own record merges into the recorded one.
    let link =
        json!({"account_id": account["id"], "reason": "Eigenaar legitimeerde zich met KvK-uittreksel"});
    let path = format!("/v1/landlords/{recorded}/account-link");
    let linked = ok(app.post(&path, &link, Some(&role_token("manager"))).await).await;
    assert_eq!(linked["landlord_id"], recorded.as_str());
    assert_eq!(linked["previous_landlord_id"], own_record.as_str());
    assert_eq!(linked["merged_from"], own_record.as_str());
    assert_eq!(linked["changed"], true);
    let again = ok(app.post(&path, &link, Some(&officer())).await).await;
    assert_eq!(again["changed"], false);

    // The old token named the old record: it must be renewed. The new one sees the history.
    let res = app.get("/v1/me/sanctions", Some(&old_token)).await;
    assert_eq!(res.status(), 401);
    let token = app.token_for("carnisse@example.nl", PASSWORD).await;
    let me = ok(app.get("/v1/me", Some(&token)).await).await;
    assert_eq!(me["landlord"]["id"], recorded.as_str());
    let mine = ok(app.get("/v1/me/sanctions", Some(&token)).await).await;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{mine}");
    assert!(items.iter().any(|s| s["id"] == fine["id"]), "{mine}");
    let properties = ok(app.get("/v1/properties", Some(&token)).await).await;
    assert_eq!(properties["items"][0]["id"], property["id"], "{properties}");

    // The merged self-registration is no target for new links or violations.
    let res = app.post(&format!("/v1/landlords/{own_record}/account-link"), &link, Some(&officer())).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&recorded), "{p}");
    let res = app
        .post("/v1/violations", &violation_body(&own_record, 12, "GR-04", "2025-01-21"), Some(&officer()))
        .await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&recorded), "{p}");

    // An intermediary's record is not served by the landlord routes.
    let agent = record_party(&app, PartyRole::Intermediary, "Bemiddeling Zuid BV");
    let res = app.post(&format!("/v1/landlords/{agent}/account-link"), &link, Some(&officer())).await;
    assert_problem(res, 404, "/problems/not-found").await;

    // Both records' audit trails name the link and the merge with the reason.
    let audit =
        ok(app.get(&format!("/v1/audit?entity_id={own_record}"), Some(&app.admin_token().await)).await).await;
    let actions: Vec<&str> =
        audit["items"].as_array().unwrap().iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(actions.contains(&"merge"), "{audit}");
}
