//! Who may record, see and change leases: the landlord for their own properties only (and only
//! the leases they recorded), staff of the property's municipality, nobody else.

use serde_json::{json, Value};

use super::{lease, proposals, record, with};
use crate::authz::add_municipality;
use crate::helpers::*;
use crate::licensing::{at, setup};

#[tokio::test]
async fn a_landlord_records_leases_of_their_own_properties_only() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let s = setup(&app).await;
    let path = format!("/v1/properties/{}/leases", s.property_id);
    let own = with(lease("2024-09-01"), json!({"recorded_from": null, "form": "oral"}));
    let l = record(&app, &s.property_id, &own, &s.landlord).await;
    assert_eq!(l["recorded_from"], "landlord");
    assert!(l.get("recorded_by").is_none(), "a landlord does not see account ids: {l}");
    // The landlord sees the check as well.
    assert_eq!(proposals(&l)[0].0, "GR-05");

    // What only the municipality records.
    for (extra, field) in [
        (json!({"recorded_from": "inspection"}), "/recorded_from"),
        (json!({"landlord_id": "x"}), "/landlord_id"),
        (json!({"complaint_id": "x"}), "/complaint_id"),
    ] {
        let body = with(own.clone(), extra);
        let problem =
            assert_problem(app.post(&path, &body, Some(&s.landlord)).await, 422, "/problems/validation")
                .await;
        assert!(problem.to_string().contains(field), "{problem}");
    }

    // Another landlord: the property does not exist for them.
    let (_, other) = app.register_landlord("ander@example.nl").await;
    assert_eq!(app.post(&path, &own, Some(&other)).await.status(), 404);
    assert_eq!(app.get(&path, Some(&other)).await.status(), 404);
    let id = l["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/v1/leases/{id}"), Some(&other)).await.status(), 404);
    assert_eq!(
        app.patch(&format!("/v1/leases/{id}"), &json!({"form": "written"}), Some(&other)).await.status(),
        404
    );

    // The landlord changes their own lease, not one the municipality recorded.
    let res = app.patch(&format!("/v1/leases/{id}"), &json!({"form": "written"}), Some(&s.landlord)).await;
    assert_eq!(res.status(), 200);
    let officers =
        record(&app, &s.property_id, &with(lease("2024-09-01"), json!({"form": "oral"})), &s.officer).await;
    let oid = officers["id"].as_str().unwrap();
    let res = app.patch(&format!("/v1/leases/{oid}"), &json!({"form": "written"}), Some(&s.landlord)).await;
    assert_problem(res, 403, "/problems/forbidden").await;
    let list: Value = app.get(&path, Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let shown: Value = app.get(&format!("/v1/leases/{oid}"), Some(&s.landlord)).await.json().await.unwrap();
    assert_eq!(shown["form"], "oral");
}

#[tokio::test]
async fn staff_of_another_municipality_get_404_and_never_the_lease() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    add_municipality(&app, "GM0363", "Amsterdam").await;
    let s = setup(&app).await;
    let l = record(&app, &s.property_id, &lease("2024-09-01"), &s.officer).await;
    let id = l["id"].as_str().unwrap();
    let officer_b = app.staff_token("officer", "o@amsterdam.test", &["GM0363"]).await;
    let manager_b = app.staff_token("manager", "m@amsterdam.test", &["GM0363"]).await;
    for token in [&officer_b, &manager_b] {
        for path in [format!("/v1/leases/{id}"), format!("/v1/properties/{}/leases", s.property_id)] {
            let res = app.get(&path, Some(token)).await;
            assert_eq!(res.status(), 404, "GET {path}");
        }
        let res = app.patch(&format!("/v1/leases/{id}"), &json!({"form": "oral"}), Some(token)).await;
        assert_eq!(res.status(), 404);
        let res = app
            .post(&format!("/v1/properties/{}/leases", s.property_id), &lease("2024-09-01"), Some(token))
            .await;
        assert_eq!(res.status(), 404);
    }
    let shown: Value = app.get(&format!("/v1/leases/{id}"), Some(&s.officer)).await.json().await.unwrap();
    assert_eq!(shown["form"], "written");
    // A manager of the municipality records and reads too.
    let manager = app.staff_token("manager", "manager@gemeente.test", &[MUNICIPALITY]).await;
    record(&app, &s.property_id, &lease("2024-10-01"), &manager).await;
}
