//! The officer list reads a narrow row (no description, contact details or signals text): every
//! field it shows must still be the complaint's own, as the complaint itself shows it.

use super::*;

#[tokio::test]
async fn every_list_item_shows_what_the_complaint_itself_shows_and_nothing_confidential() {
    let app = spawn_app().await;
    let (me, token) = officer_account(&app).await;
    // Five complaints with the list's fields filled differently: signals and a merge, an
    // assignment, links, an open information request, contact details and a location.
    let mut with_contact = report("deposit_too_high");
    with_contact["contact"] =
        json!({"name": "Anna Kowalska", "email": "anna@example.pl", "consent_to_contact": true});
    with_contact["location_description"] = json!("achterhuis, tweede verdieping");
    with_contact["address"] = json!({"postcode": "1012 JS", "house_number": 3});
    let mut with_signals = report("overcrowding");
    with_signals["exploitation_signals"] = json!(["violence_or_threats"]);
    let mut ids = vec![];
    for body in
        [report("intimidation"), with_signals, with_contact, report("unsafe_housing"), report("intimidation")]
    {
        ids.push(submit(&app, &body).await["id"].as_str().unwrap().to_string());
    }
    let merge = json!({"into": ids[0], "reason": "zelfde adres en verhuurder"});
    assert_eq!(act(&app, &token, &ids[1], "merge", merge).await.status(), StatusCode::OK);
    assert_eq!(
        act(&app, &token, &ids[2], "assign", json!({"officer_id": me})).await.status(),
        StatusCode::OK
    );
    let links = json!({"landlord_id": "ll-7", "property_id": "p-9"});
    assert_eq!(act(&app, &token, &ids[3], "links", links).await.status(), StatusCode::OK);
    let ask = json!({"kind": "information_request", "text": "Welke kamer?"});
    assert_eq!(act(&app, &token, &ids[4], "messages", ask).await.status(), StatusCode::OK);

    let list: Value = app.get("/v1/complaints?limit=50", Some(&token)).await.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{list}");
    let text = list.to_string();
    for secret in
        ["Anna", "anna@example.pl", "achterhuis", "Właściciel", "violence_or_threats", "Welke kamer"]
    {
        assert!(!text.contains(secret), "the list shows {secret}: {text}");
    }
    for item in items {
        let id = item["id"].as_str().unwrap();
        let full: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
        let fields = item.as_object().unwrap();
        assert!(fields.len() >= 15, "{item}");
        for (key, value) in fields {
            assert_eq!(value, &full[key], "{key} of {id}: list {item} vs complaint {full}");
        }
    }
    // The fields that differ between the five are there, on the right complaint.
    let by_id = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(by_id(&ids[0])["has_exploitation_signals"], true);
    assert_eq!(by_id(&ids[1])["merged_into"], json!(ids[0]));
    assert_eq!(by_id(&ids[2])["assigned_officer_id"], json!(me));
    assert_eq!(
        by_id(&ids[2])["address"],
        json!({"postcode": "1012 JS", "house_number": 3, "addition": null})
    );
    assert_eq!(
        (by_id(&ids[3])["landlord_id"].clone(), by_id(&ids[3])["property_id"].clone()),
        (json!("ll-7"), json!("p-9"))
    );
    assert_eq!(by_id(&ids[4])["awaiting_information"], true);
}
