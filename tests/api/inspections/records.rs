//! What an inspection records besides its findings: the parties found (each a party record of
//! the role named), refused or failed entry attempts, and the complaints that led to it.

use serde_json::{json, Value};

use crate::complaints::{report, submit, track};
use crate::helpers::*;

async fn status(res: reqwest::Response, expected: u16) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, expected, "{body}");
    body
}

async fn pointer(res: reqwest::Response) -> String {
    let p = assert_problem(res, 422, "/problems/validation").await;
    p["errors"][0]["pointer"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_inspection_records_the_parties_found_failed_entry_and_the_complaints_behind_it() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let landlord = app.landlord_id("gevonden@example.nl").await;
    let filed = submit(&app, &report("intimidation")).await;
    let complaint = filed["id"].as_str().unwrap().to_string();
    let tracking_code = filed["tracking_code"].as_str().unwrap().to_string();
    let today = app.clock.today_nl();
    let base = json!({"status": "planned", "planned_on": today.to_string(),
                      "address": {"postcode": "3011 AB", "house_number": 40}, "officers": ["T. Toezicht"]});

    // At creation: a complaint of another kind of id, or a party in the wrong role, is refused.
    let mut body = base.clone();
    body["complaint_ids"] = json!(["no-such-complaint"]);
    assert_eq!(pointer(app.post("/v1/inspections", &body, Some(&officer)).await).await, "/complaint_ids/0");
    let mut body = base.clone();
    body["parties"] = json!([{"party_id": landlord, "role": "intermediary"}]);
    assert_eq!(
        pointer(app.post("/v1/inspections", &body, Some(&officer)).await).await,
        "/parties/0/party_id"
    );

    let mut body = base.clone();
    body["parties"] = json!([{"party_id": landlord, "role": "landlord"}]);
    body["complaint_ids"] = json!([complaint]);
    let i = status(app.post("/v1/inspections", &body, Some(&officer)).await, 201).await;
    let id = i["id"].as_str().unwrap();
    assert_eq!(i["parties"], json!([{"party_id": landlord, "role": "landlord"}]));
    assert_eq!(i["complaint_ids"], json!([complaint]));
    assert_eq!(i["entry_attempts"], json!([]));

    // A refused entry attempt is listed on the inspection.
    let url = format!("/v1/inspections/{id}/entry-attempts");
    let i = status(
        app.post(
            &url,
            &json!({"attempted_on": today.to_string(), "reason": "refused_by_occupant"}),
            Some(&officer),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(i["entry_attempts"].as_array().unwrap().len(), 1);
    assert_eq!(i["entry_attempts"][0]["reason"], "refused_by_occupant");
    assert_eq!(i["entry_attempts"][0]["attempted_on"], today.to_string());
    let future = (today + chrono::Duration::days(1)).to_string();
    let res =
        app.post(&url, &json!({"attempted_on": future, "reason": "no_one_present"}), Some(&officer)).await;
    assert_eq!(pointer(res).await, "/attempted_on");
    let res = app
        .post(&url, &json!({"attempted_on": today.to_string(), "reason": "no_access_other"}), Some(&officer))
        .await;
    assert_eq!(pointer(res).await, "/note");
    let res = app
        .post(&url, &json!({"attempted_on": today.to_string(), "reason": "kicked_in"}), Some(&officer))
        .await;
    assert_eq!(res.status(), 422);

    // Parties are replaced as a whole; unknown, doubled or wrong-role parties are refused.
    let url = format!("/v1/inspections/{id}/parties");
    let res = app
        .put(&url, &json!({"parties": [{"party_id": "nobody", "role": "landlord"}]}), Some(&officer))
        .await;
    assert_eq!(pointer(res).await, "/parties/0/party_id");
    let twice = json!({"parties": [{"party_id": landlord, "role": "landlord"}, {"party_id": landlord, "role": "landlord"}]});
    assert_eq!(pointer(app.put(&url, &twice, Some(&officer)).await).await, "/parties/1/party_id");
    let res = app
        .put(&url, &json!({"parties": [{"party_id": landlord, "role": "employer"}]}), Some(&officer))
        .await;
    assert_eq!(pointer(res).await, "/parties/0/party_id");
    let i = status(app.put(&url, &json!({"parties": []}), Some(&officer)).await, 200).await;
    assert_eq!(i["parties"], json!([]));

    // Complaints are added (a link already there is kept once); an unknown one is refused.
    let second = submit(&app, &report("deposit_too_high")).await["id"].as_str().unwrap().to_string();
    let url = format!("/v1/inspections/{id}/complaints");
    let res = app.post(&url, &json!({"complaint_ids": [second, "no-such-complaint"]}), Some(&officer)).await;
    assert_eq!(pointer(res).await, "/complaint_ids/1");
    let i = status(app.post(&url, &json!({"complaint_ids": [complaint, second]}), Some(&officer)).await, 200)
        .await;
    assert_eq!(i["complaint_ids"], json!([complaint, second]));

    // Staff see the inspection on the complaint; the reporter's tracking view shows nothing new.
    let c = status(app.get(&format!("/v1/complaints/{complaint}"), Some(&officer)).await, 200).await;
    assert_eq!(c["inspection_ids"], json!([id]));
    let tracked = track(&app, &tracking_code).await.text().await.unwrap();
    assert!(
        tracked.contains("\"status\"") && !tracked.contains(id) && !tracked.contains("inspection"),
        "{tracked}"
    );

    // The single read shows everything; the list does not carry it.
    let i = status(app.get(&format!("/v1/inspections/{id}"), Some(&role_token("manager"))).await, 200).await;
    assert_eq!(i["entry_attempts"].as_array().unwrap().len(), 1);
    assert_eq!(i["complaint_ids"], json!([complaint, second]));
    let list = status(app.get("/v1/inspections", Some(&officer)).await, 200).await;
    assert!(list["items"][0].get("entry_attempts").is_none(), "{list}");
}

#[tokio::test]
async fn an_officer_of_another_municipality_cannot_touch_the_inspection() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let complaint = submit(&app, &report("intimidation")).await["id"].as_str().unwrap().to_string();
    let i = status(
        app.post(
            "/v1/inspections",
            &json!({"status": "planned", "planned_on": app.clock.today_nl().to_string(),
                    "address": {"postcode": "3011 AB", "house_number": 41}, "officers": ["T. Toezicht"]}),
            Some(&officer),
        )
        .await,
        201,
    )
    .await;
    // An officer of another municipality does not see the inspection at all.
    let elsewhere = make_token("officer", "x", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    let url = format!("/v1/inspections/{}/complaints", i["id"].as_str().unwrap());
    let res = app.post(&url, &json!({"complaint_ids": [complaint]}), Some(&elsewhere)).await;
    assert_problem(res, 404, "/problems/not-found").await;
}
