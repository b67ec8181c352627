//! Recording, reading and changing parties; the KvK rule; what non-staff see.

use super::*;

#[tokio::test]
async fn an_officer_records_each_family_and_reads_it_back_with_notes_and_source() {
    let app = spawn_app().await;
    let l = created(&app, "landlords", &legal_entity("Maas Verhuur BV", "12345678")).await;
    assert_eq!(l["role"], "landlord");
    assert!(l["role_detail"].is_null());
    assert_eq!(l["has_account"], false);
    assert_eq!(l["recorded_by_municipality"], MUNICIPALITY);
    assert_eq!(l["source"], "kvk_register");
    assert_eq!(l["notes"], "Genoemd in drie meldingen over Carnisse");
    assert_eq!(l["establishment"]["address"]["postcode"], "3011 AB");
    assert_eq!(l["trade_names"], json!(["Kamers aan de Maas"]));

    let mut agent = legal_entity("Snel Wonen Bemiddeling", "23456789");
    agent["role_detail"] = json!("letting_agent");
    let i = created(&app, "intermediaries", &agent).await;
    assert_eq!(i["role"], "intermediary");
    assert_eq!(i["role_detail"], "letting_agent");

    let mut agency = legal_entity("Flex Uitzend BV", "34567890");
    agency["role_detail"] = json!("staffing_agency");
    let e = created(&app, "employers", &agency).await;
    assert_eq!(e["role"], "employer");

    // The family is fixed by the path: an intermediary is not a landlord.
    let res = app.get(&format!("/v1/landlords/{}", i["id"].as_str().unwrap()), Some(&officer())).await;
    assert_problem(res, 404, "/problems/not-found").await;
    let got = ok_json(
        app.get(&format!("/v1/employers/{}", e["id"].as_str().unwrap()), Some(&role_token("manager"))).await,
    )
    .await;
    assert_eq!(got["name"], "Flex Uitzend BV");
    assert_eq!(got["notes"], "Genoemd in drie meldingen over Carnisse");
}

#[tokio::test]
async fn intermediaries_need_a_detail_of_their_own_family_and_landlords_none() {
    let app = spawn_app().await;
    let body = legal_entity("Zonder Soort", "45678901");
    let res = app.post("/v1/intermediaries", &body, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/role_detail");
    let mut wrong = body.clone();
    wrong["role_detail"] = json!("staffing_agency");
    let res = app.post("/v1/intermediaries", &wrong, Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
    let res = app.post("/v1/landlords", &wrong, Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
    // An officer does not record a self-registration.
    let mut own = body;
    own["source"] = json!("self_registration");
    let res = app.post("/v1/landlords", &own, Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/source");
}

#[tokio::test]
async fn a_second_record_with_the_same_kvk_number_is_a_conflict_naming_the_first() {
    let app = spawn_app().await;
    let first = created(&app, "landlords", &legal_entity("Maas Verhuur BV", "12345678")).await;
    let res =
        app.post("/v1/landlords", &legal_entity("Maas Verhuur B.V.", "12345678"), Some(&officer())).await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["existing_id"], first["id"]);
    assert!(p["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()));
    // Another family may hold the same entity (a landlord that also mediates).
    let mut agent = legal_entity("Maas Verhuur BV", "12345678");
    agent["role_detail"] = json!("property_manager");
    created(&app, "intermediaries", &agent).await;
    // Changing another record to that number is refused the same way.
    let other = created(&app, "landlords", &legal_entity("Ander BV", "87654321")).await;
    let res = app
        .patch(
            &format!("/v1/landlords/{}", other["id"].as_str().unwrap()),
            &json!({"kvk_number": "12345678"}),
            Some(&officer()),
        )
        .await;
    let p = assert_problem(res, 409, "/problems/conflict").await;
    assert_eq!(p["existing_id"], first["id"]);
    // A self-registration with the number never fails on it.
    app.landlord_id("zelf@example.nl").await;
}

#[tokio::test]
async fn a_natural_person_needs_no_kvk_number_and_a_legal_entity_does() {
    let app = spawn_app().await;
    let p = created(
        &app,
        "landlords",
        &json!({"kind": "natural_person", "name": "Piet Pietersen", "source": "complaint",
                "contact": {"phone": "+31 6 1234 5678"}}),
    )
    .await;
    assert!(p["kvk_number"].is_null());
    assert_eq!(p["contact"]["phone"], "+31 6 1234 5678");
    assert!(p["contact"]["email"].is_null());
    let res = app
        .post(
            "/v1/landlords",
            &json!({"kind": "legal_entity", "name": "Geen Nummer BV", "source": "other"}),
            Some(&officer()),
        )
        .await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/kvk_number");
    let res = app
        .post(
            "/v1/landlords",
            &json!({"kind": "natural_person", "name": "X", "source": "other", "kvk_number": "12"}),
            Some(&officer()),
        )
        .await;
    assert_problem(res, 422, "/problems/validation").await;
}

#[tokio::test]
async fn a_landlord_sees_its_own_record_without_notes_and_changes_only_its_contact() {
    let app = spawn_app().await;
    let (account, token) = app.register_landlord("eigen@example.nl").await;
    let id = account["landlord"]["id"].as_str().unwrap().to_string();
    // Staff add notes to the self-registered record.
    let staff = ok_json(
        app.patch(
            &format!("/v1/landlords/{id}"),
            &json!({"notes": "Verhuurt ook in Schiedam", "source": "self_registration"}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(staff["notes"], "Verhuurt ook in Schiedam");
    assert_eq!(staff["has_account"], true);

    let own = ok_json(app.get(&format!("/v1/landlords/{id}"), Some(&token)).await).await;
    assert_eq!(own["name"], "Jan de Vries");
    for hidden in ["notes", "source", "recorded_by"] {
        assert!(own.get(hidden).is_none(), "{hidden} shown to the landlord: {own}");
    }
    let changed = ok_json(
        app.patch(
            &format!("/v1/landlords/{id}"),
            &json!({"contact": {"email": "nieuw@example.nl", "phone": "010 123 4567"}}),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(changed["contact"]["email"], "nieuw@example.nl");
    assert!(changed.get("notes").is_none());
    let res =
        app.patch(&format!("/v1/landlords/{id}"), &json!({"name": "Iemand Anders"}), Some(&token)).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/name");

    // Someone else's record is not there for a landlord; an API client and the public get nothing.
    let other = created(&app, "landlords", &legal_entity("Maas Verhuur BV", "12345678")).await;
    let other_id = other["id"].as_str().unwrap();
    assert_problem(
        app.get(&format!("/v1/landlords/{other_id}"), Some(&token)).await,
        404,
        "/problems/not-found",
    )
    .await;
    let client = app.client_token(&["applications:write"]).await;
    assert_problem(
        app.get(&format!("/v1/landlords/{other_id}"), Some(&client)).await,
        403,
        "/problems/forbidden",
    )
    .await;
    assert_problem(app.get("/v1/landlords?q=maas", Some(&client)).await, 403, "/problems/forbidden").await;
    assert_problem(app.get(&format!("/v1/landlords/{other_id}"), None).await, 401, "/problems/unauthorized")
        .await;
    let res = app.get("/v1/landlords", Some(&token)).await;
    assert_problem(res, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn staff_edit_their_own_records_but_not_another_municipalitys() {
    let app = spawn_app().await;
    let l = created(&app, "landlords", &legal_entity("Maas Verhuur BV", "12345678")).await;
    let id = l["id"].as_str().unwrap();
    let changed = ok_json(
        app.patch(
            &format!("/v1/landlords/{id}"),
            &json!({"trade_names": ["Maaskamers"], "notes": null, "establishment": null}),
            Some(&role_token("manager")),
        )
        .await,
    )
    .await;
    assert_eq!(changed["trade_names"], json!(["Maaskamers"]));
    assert!(changed.get("notes").is_none() && changed["establishment"].is_null());
    assert_eq!(changed["kvk_number"], "12345678");
    let elsewhere = make_token(
        "officer",
        &uuid::Uuid::new_v4().to_string(),
        &["GM0606"],
        600,
        "huurtoezicht-api",
        JWT_SECRET,
    );
    let got = ok_json(app.get(&format!("/v1/landlords/{id}"), Some(&elsewhere)).await).await;
    assert_eq!(got["name"], "Maas Verhuur BV");
    let res = app.patch(&format!("/v1/landlords/{id}"), &json!({"name": "Anders"}), Some(&elsewhere)).await;
    assert_problem(res, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn a_landlord_who_never_had_an_account_gets_a_violation_and_a_warning() {
    let app = spawn_app().await;
    let l = created(&app, "landlords", &legal_entity("Nooit Geregistreerd BV", "12345678")).await;
    let landlord = l["id"].as_str().unwrap();
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3083 AB", "house_number": 7},
                    "rule": "GR-04", "established_on": chrono::Utc::now().date_naive().to_string(),
                    "description": "Waarborgsom van drie maanden kale huur gevraagd",
                    "evidence": {"documents": ["huurcontract-2026-3"]}}),
            Some(&officer()),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    let case = v["case_id"].as_str().unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let w = ok_json(
        app.post(
            &format!("/v1/enforcement-cases/{case}/sanctions"),
            &json!({"violation_id": v["id"], "step": "warning", "warning": {"issued_on": today}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    assert_eq!(w["kind"], "warning");
    let h =
        ok_json(app.get(&format!("/v1/landlords/{landlord}/history"), Some(&role_token("manager"))).await)
            .await;
    assert_eq!(h["recent_sanctions"][0]["kind"], "warning");
    // No e-mail address is known: nothing was queued for the landlord.
    assert!(app.mails().iter().all(|m| !m.contains("Nooit Geregistreerd")));

    // An intermediary's id is not a landlord for a violation.
    let mut agent = legal_entity("Bemiddelaar BV", "23456789");
    agent["role_detail"] = json!("letting_agent");
    let i = created(&app, "intermediaries", &agent).await;
    let res = app
        .post(
            "/v1/violations",
            &json!({"landlord_id": i["id"], "address": {"postcode": "3083 AB", "house_number": 7},
                    "rule": "GR-04", "established_on": today, "description": "x",
                    "evidence": {"documents": ["d"]}}),
            Some(&officer()),
        )
        .await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "/landlord_id");
}

#[tokio::test]
async fn contact_and_establishment_are_objects_and_the_city_is_bounded_on_every_route() {
    let app = spawn_app().await;
    let base = json!({"kind": "natural_person", "name": "Piet Pietersen", "source": "complaint"});
    let mut as_array = base.clone();
    as_array["contact"] = json!([null, null]);
    let res = app.post("/v1/landlords", &as_array, Some(&officer())).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/contact", "{body}");

    let p = created(&app, "landlords", &base).await;
    let long_city = json!({"establishment": {"address": {"postcode": "3011 AB", "house_number": 10},
                                             "city": "R".repeat(101)}});
    let path = format!("/v1/landlords/{}", p["id"].as_str().unwrap());
    let res = app.patch(&path, &long_city, Some(&officer())).await;
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "/establishment/city", "{body}");
    let res =
        app.patch(&path, &json!({"establishment": [{"postcode": "3011 AB"}, "R"]}), Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
}
