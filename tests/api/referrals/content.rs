//! What a referral carries, on complaints and on inspections, and what is refused; the partners
//! present at a joint inspection.

use super::*;

#[tokio::test]
async fn a_complaint_referral_carries_its_structured_content_and_defaults_to_the_complaints_address() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let today = app.clock.today_nl();
    let employer = party(&app, "employers", "Flex Uitzend BV", "34567890").await;
    let owner = party(&app, "landlords", "Maas Verhuur BV", "12345678").await;
    let (complaint, photo) = complaint_with_photo(&app).await;

    let mut body = referral(today);
    body["employer_id"] = json!(employer);
    body["owner_id"] = json!(owner);
    body["labour_migrants"] = json!(12);
    body["enforcement_done"] = json!(["inspection", "warning"]);
    body["other_reports"] =
        json!([{"partner": "police", "status": "made"}, {"partner": "uwv", "status": "planned"}]);
    body["attachment_ids"] = json!([photo]);
    let c =
        status(app.post(&format!("/v1/complaints/{complaint}/referrals"), &body, Some(&officer)).await, 200)
            .await;
    let r = &c["referrals"][0];
    assert_eq!(r["source"], "complaint");
    assert_eq!(r["source_id"], complaint.as_str());
    assert_eq!(r["employer_id"], employer.as_str());
    assert_eq!(r["owner_id"], owner.as_str());
    assert_eq!(r["labour_migrants"], 12);
    assert_eq!(r["enforcement_done"], json!(["inspection", "warning"]));
    assert_eq!(r["other_reports"][1], json!({"partner": "uwv", "status": "planned"}));
    assert_eq!(r["attachment_ids"], json!([photo]));
    // No location given: the complaint's address.
    assert_eq!(r["location"], json!({"postcode": "3011 AB", "house_number": 12, "addition": "B"}));
    assert_eq!(r["legal_basis"], "Convenant gegevensdeling");
    assert!(r["feedback"].is_null());

    // The same referral, read on its own (managers too).
    let id = r["id"].as_str().unwrap();
    let got = status(app.get(&format!("/v1/referrals/{id}"), Some(&role_token("manager"))).await, 200).await;
    assert_eq!(&got, r);

    // An old client without the new fields still refers; the content is empty.
    let c = status(
        app.post(&format!("/v1/complaints/{complaint}/referrals"), &referral(today), Some(&officer)).await,
        200,
    )
    .await;
    let plain = &c["referrals"][1];
    assert_eq!(plain["enforcement_done"], json!([]));
    assert!(plain["employer_id"].is_null() && plain["labour_migrants"].is_null());
}

#[tokio::test]
async fn a_referral_names_known_parties_of_the_right_family_and_only_the_complaints_own_attachments() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let today = app.clock.today_nl();
    let employer = party(&app, "employers", "Flex Uitzend BV", "34567890").await;
    let owner = party(&app, "landlords", "Maas Verhuur BV", "12345678").await;
    let (complaint, _) = complaint_with_photo(&app).await;
    let (_, other_photo) = complaint_with_photo(&app).await;
    let url = format!("/v1/complaints/{complaint}/referrals");
    let with = |field: &str, value: Value| {
        let mut b = referral(today);
        b[field] = value;
        b
    };

    let cases = [
        (with("employer_id", json!("no-such-party")), "/employer_id"),
        (with("employer_id", json!(owner)), "/employer_id"),
        (with("owner_id", json!(employer)), "/owner_id"),
        (with("attachment_ids", json!([other_photo])), "/attachment_ids/0"),
        (with("enforcement_done", json!(["fine", "fine"])), "/enforcement_done/1"),
        (
            with(
                "other_reports",
                json!([{"partner": "police", "status": "made"},
                                       {"partner": "police", "status": "planned"}]),
            ),
            "/other_reports/1/partner",
        ),
        (with("location", json!({"postcode": "0000 XX", "house_number": 1})), "/location/postcode"),
        (with("referred_on", json!((today + chrono::Duration::days(1)).to_string())), "/referred_on"),
    ];
    for (body, pointer) in cases {
        assert_eq!(pointers(app.post(&url, &body, Some(&officer)).await).await, [pointer], "{body}");
    }
    for bad in [with("labour_migrants", json!(-1)), with("enforcement_done", json!(["arrest"]))] {
        assert_eq!(app.post(&url, &bad, Some(&officer)).await.status(), 422, "{bad}");
    }

    // Nothing was recorded by the refused requests.
    let c = status(app.get(&format!("/v1/complaints/{complaint}"), Some(&officer)).await, 200).await;
    assert_eq!(c["referrals"], json!([]));

    // A referral naming a record that is later merged names the surviving record; naming the
    // merged record now is a 409 naming the survivor.
    let duplicate = party(&app, "employers", "Flex Uitzend B.V.", "45678901").await;
    let c = status(app.post(&url, &with("employer_id", json!(duplicate)), Some(&officer)).await, 200).await;
    let referral_id = c["referrals"][0]["id"].as_str().unwrap().to_string();
    let merge = json!({"into": employer, "reason": "Zelfde onderneming, dubbel vastgelegd"});
    status(app.post(&format!("/v1/employers/{duplicate}/merge"), &merge, Some(&officer)).await, 200).await;
    let r = status(app.get(&format!("/v1/referrals/{referral_id}"), Some(&officer)).await, 200).await;
    assert_eq!(r["employer_id"], employer.as_str());
    let res = app.post(&url, &with("employer_id", json!(duplicate)), Some(&officer)).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert!(p["detail"].as_str().unwrap().contains(&employer), "{p}");
}

#[tokio::test]
async fn an_inspection_referral_has_the_same_content_and_the_partners_present_make_it_joint() {
    let app = spawn_app().await;
    let officer = role_token("officer");
    let today = app.clock.today_nl();
    let id = performed_inspection(&app, today).await;
    let employer = party(&app, "employers", "Flex Uitzend BV", "34567890").await;

    let mut body = referral(today);
    body["employer_id"] = json!(employer);
    body["labour_migrants"] = json!(6);
    body["enforcement_done"] = json!(["joint_inspection"]);
    body["location"] = json!({"postcode": "3011ab", "house_number": 22, "addition": "a"});
    let i =
        status(app.post(&format!("/v1/inspections/{id}/referrals"), &body, Some(&officer)).await, 200).await;
    let r = &i["referrals"][0];
    assert_eq!(r["source"], "inspection");
    assert_eq!(r["source_id"], id.as_str());
    assert_eq!(r["employer_id"], employer.as_str());
    assert_eq!(r["labour_migrants"], 6);
    assert_eq!(r["location"], json!({"postcode": "3011 AB", "house_number": 22, "addition": "A"}));
    let listed = status(app.get("/v1/referrals?source=inspection", Some(&officer)).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(&listed["items"][0], r);
    let listed = status(app.get("/v1/referrals?source=complaint", Some(&officer)).await, 200).await;
    assert_eq!(listed["items"], json!([]));
    // An inspection has no attachments of its own (none of a complaint that led to it here).
    let mut bad = referral(today);
    bad["attachment_ids"] = json!(["a-photo"]);
    let res = app.post(&format!("/v1/inspections/{id}/referrals"), &bad, Some(&officer)).await;
    assert_eq!(pointers(res).await, ["/attachment_ids/0"]);

    // The partners present: replaced as a whole, shown in code order, audited.
    let url = format!("/v1/inspections/{id}/partners");
    assert_eq!(
        status(app.get(&format!("/v1/inspections/{id}"), Some(&officer)).await, 200).await["partners"],
        json!([])
    );
    let i = status(
        app.put(&url, &json!({"partners": ["police", "labour_inspectorate"]}), Some(&officer)).await,
        200,
    )
    .await;
    assert_eq!(i["partners"], json!(["labour_inspectorate", "police"]));
    let res = app.put(&url, &json!({"partners": ["police", "police"]}), Some(&officer)).await;
    assert_eq!(pointers(res).await, ["/partners/1"]);
    assert_eq!(app.put(&url, &json!({"partners": ["fire_brigade"]}), Some(&officer)).await.status(), 422);
    let got =
        status(app.get(&format!("/v1/inspections/{id}"), Some(&role_token("manager"))).await, 200).await;
    assert_eq!(got["partners"], json!(["labour_inspectorate", "police"]));
    let i = status(app.put(&url, &json!({"partners": ["uwv"]}), Some(&officer)).await, 200).await;
    assert_eq!(i["partners"], json!(["uwv"]));
    let audit = status(
        app.get(&format!("/v1/audit?entity_type=inspection&entity_id={id}"), Some(&role_token("manager")))
            .await,
        200,
    )
    .await;
    let actions: Vec<&str> =
        audit["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "set_partners").count(), 2, "{audit}");
    // Another municipality's officer cannot set them.
    let stranger = make_token("officer", "o-363", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    assert_eq!(app.put(&url, &json!({"partners": []}), Some(&stranger)).await.status(), 404);
}
