//! Staff of one municipality against the records of another: 404 (or 403), never the data.
//! Every kind of record is made in the test municipality (GM0599), and read and changed by staff
//! of a second municipality of the same installation (GM0363).

use reqwest::Method;
use serde_json::{json, Value};

use super::add_municipality;
use crate::helpers::*;
use crate::licensing::{at, ok, setup, submitted};

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

#[tokio::test]
async fn staff_of_another_municipality_get_404_and_never_the_data() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    add_municipality(&app, "GM0363", "Amsterdam").await;

    // Records of GM0599: property, application, licence, complaint, inspection, violation, case,
    // sanction, audit rows.
    let s = setup(&app).await;
    let landlord: Value = app.get("/v1/me", Some(&s.landlord)).await.json().await.unwrap();
    let landlord_id = landlord["landlord"]["id"].as_str().unwrap().to_string();
    let application = submitted(&app, &s).await;
    let application_id = application["id"].as_str().unwrap().to_string();
    let decided = ok(app
        .post(
            &format!("/v1/licence-applications/{application_id}/decide"),
            &json!({"decision": "grant"}),
            Some(&s.officer),
        )
        .await)
    .await;
    let licence_id = decided["licence_id"].as_str().unwrap().to_string();
    let complaint = created(
        app.post(
            "/v1/complaints",
            &json!({"category": "intimidation", "language": "nl", "description": "Bedreiging door verhuurder",
                    "address": {"postcode": "3011 AB", "house_number": 12}}),
            None,
        )
        .await,
    )
    .await;
    let complaint_id = complaint["id"].as_str().unwrap().to_string();
    let inspection = created(
        app.post(
            "/v1/inspections",
            &json!({"status": "planned", "planned_on": "2025-06-10", "property_id": s.property_id,
                    "address": {"postcode": "3011 AB", "house_number": 12}, "officers": ["T. Toezicht"]}),
            Some(&s.officer),
        )
        .await,
    )
    .await;
    let inspection_id = inspection["id"].as_str().unwrap().to_string();
    let violation = created(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord_id, "address": {"postcode": "3011 AB", "house_number": 12},
                    "rule": "GR-04", "established_on": "2025-03-03",
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2025-1"]}}),
            Some(&s.officer),
        )
        .await,
    )
    .await;
    let violation_id = violation["id"].as_str().unwrap().to_string();
    let case_id = violation["case_id"].as_str().unwrap().to_string();
    let sanction = created(
        app.post(
            &format!("/v1/enforcement-cases/{case_id}/sanctions"),
            &json!({"violation_id": violation_id, "step": "warning", "warning": {"issued_on": "2025-03-03"}}),
            Some(&s.officer),
        )
        .await,
    )
    .await;
    let sanction_id = sanction["id"].as_str().unwrap().to_string();

    // Staff of GM0363 (real accounts).
    let officer_b = app.staff_token("officer", "o@amsterdam.test", &["GM0363"]).await;
    let manager_b = app.staff_token("manager", "m@amsterdam.test", &["GM0363"]).await;
    let bibob_b = app.staff_token("bibob_officer", "b@amsterdam.test", &["GM0363"]).await;

    let reads = [
        format!("/v1/properties/{}", s.property_id),
        format!("/v1/licence-applications/{application_id}"),
        format!("/v1/licence-applications/{application_id}/assessment"),
        format!("/v1/licence-applications/{application_id}/documents"),
        format!("/v1/licences/{licence_id}"),
        format!("/v1/complaints/{complaint_id}"),
        format!("/v1/inspections/{inspection_id}"),
        format!("/v1/inspections/{inspection_id}/occupant-notice"),
        format!("/v1/violations/{violation_id}"),
        format!("/v1/enforcement-cases/{case_id}"),
        format!("/v1/enforcement-cases/{case_id}/next-step"),
        format!("/v1/sanctions/{sanction_id}"),
    ];
    let secrets = [
        s.property_id.as_str(),
        application_id.as_str(),
        licence_id.as_str(),
        complaint_id.as_str(),
        inspection_id.as_str(),
        violation_id.as_str(),
        case_id.as_str(),
        sanction_id.as_str(),
    ];
    for token in [&officer_b, &manager_b, &bibob_b] {
        for path in &reads {
            let res = app.get(path, Some(token)).await;
            let status = res.status().as_u16();
            assert!(status == 404 || status == 403, "GET {path} by staff of GM0363: {status}");
        }
        let res = app.get(&format!("/v1/licence-applications/{application_id}/bibob"), Some(&bibob_b)).await;
        assert_eq!(res.status(), 404, "Bibob file of another municipality");
    }

    // Changes: refused the same way, and nothing changed.
    let displacement = json!({"occupants_displaced": 0, "replacement_housing_arranged": false});
    let writes: [(Method, String, Value, &String); 7] = [
        (
            Method::PATCH,
            format!("/v1/properties/{}", s.property_id),
            json!({"address": {"postcode": "3011 AB", "house_number": 99}}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/licence-applications/{application_id}/start-review"),
            json!({}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/licences/{licence_id}/suspend"),
            json!({"ground": "conditions_violated", "motivation": "x", "displacement": displacement}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/complaints/{complaint_id}/priority"),
            json!({"priority": "low", "reason": "druk"}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/violations/{violation_id}/close"),
            json!({"reason": "legalisation_in_prospect", "on": "2025-03-03", "motivation": "Contract wordt getekend"}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/sanctions/{sanction_id}/actions"),
            json!({"action": "verify_remedied", "on": "2025-03-03"}),
            &officer_b,
        ),
        (
            Method::POST,
            format!("/v1/landlords/{landlord_id}/housing-corporation"),
            json!({"housing_corporation": true, "reference": "AW-1", "reason": "x"}),
            &manager_b,
        ),
    ];
    for (method, path, body, token) in &writes {
        let res = app.send(method.clone(), path, body, Some(token)).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert!(status == 404 || status == 403, "{method} {path} by staff of GM0363: {status} {text}");
    }
    let p: Value =
        app.get(&format!("/v1/properties/{}", s.property_id), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(p["address"]["house_number"], 12);

    // Lists and the audit trail show none of GM0599's records.
    let lists = [
        "/v1/properties",
        "/v1/licence-applications",
        "/v1/licences",
        "/v1/complaints",
        "/v1/inspections",
        "/v1/enforcement-cases",
        "/v1/enforcement/dashboard",
        "/v1/complaints/hotspots",
        "/v1/audit",
    ];
    for path in lists {
        for token in [&officer_b, &manager_b, &bibob_b] {
            let res = app.get(path, Some(token)).await;
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            assert!(status == 200 || status == 403, "GET {path}: {status} {text}");
            for secret in secrets {
                assert!(!text.contains(secret), "GET {path} by staff of GM0363 shows {secret}: {text}");
            }
        }
    }
    // The landlord's history shows nothing of GM0599 to GM0363.
    let res = app.get(&format!("/v1/landlords/{landlord_id}/history"), Some(&manager_b)).await;
    let text = res.text().await.unwrap();
    for secret in secrets {
        assert!(!text.contains(secret), "history shows {secret}: {text}");
    }
}
