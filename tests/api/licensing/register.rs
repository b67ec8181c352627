//! The public register read in one query: several properties, licences and holders at one
//! address, neighbours that must not show, and the neighbourhood recorded for an address.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, ok, submitted, verb, Setup};

/// Grants a licence on the application of `s` (decided on the app clock's day).
async fn grant(app: &TestApp, s: &Setup) -> Value {
    let a = submitted(app, s).await;
    let id = a["id"].as_str().unwrap();
    ok(verb(app, id, "decide", Some(json!({"decision": "grant"})), &s.officer).await).await
}

fn at_address(postcode: &str, number: u32, addition: Option<&str>) -> Value {
    let mut body = property_body(postcode, number);
    if let Some(a) = addition {
        body["address"]["addition"] = json!(a);
    }
    body
}

async fn setup_for(app: &TestApp, landlord: &str, officer: &str, body: &Value) -> Setup {
    let p = app.create_property(landlord, body).await;
    Setup {
        landlord: landlord.to_string(),
        officer: officer.to_string(),
        property_id: p["id"].as_str().unwrap().to_string(),
    }
}

#[tokio::test]
async fn the_register_lists_every_licence_at_an_address_newest_first_with_only_legal_entity_holders() {
    let app = spawn_app_at(at(2025, 3, 3)).await;
    let officer = app.staff_token("officer", "officer@gemeente.test", &[MUNICIPALITY]).await;
    let (_, person) = app.register_landlord("persoon@example.nl").await;
    let res = app
        .post(
            "/v1/accounts/landlords",
            &json!({"email": "bv@example.nl", "password": PASSWORD, "name": "Kamers Zuid BV",
                    "kind": "legal_entity", "kvk_number": "11223344"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    let company = app.token_for("bv@example.nl", PASSWORD).await;

    // The company's licence at 12-B first; a month later the person's at 12-A.
    let b = setup_for(&app, &company, &officer, &at_address("3011 AB", 12, Some("B"))).await;
    grant(&app, &b).await;
    app.clock.set(at(2025, 4, 7));
    let a = setup_for(&app, &person, &officer, &at_address("3011 AB", 12, Some("A"))).await;
    grant(&app, &a).await;
    // Neighbours: the same postcode with another number, the same number in another postcode.
    for body in [at_address("3011 AB", 14, None), at_address("3012 AB", 12, None)] {
        let s = setup_for(&app, &company, &officer, &body).await;
        grant(&app, &s).await;
    }

    let reg: Value =
        app.get("/v1/register/licences?postcode=3011ab&house_number=12", None).await.json().await.unwrap();
    let items = reg["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{reg}");
    let additions: Vec<&Value> = items.iter().map(|i| &i["address"]["addition"]).collect();
    assert_eq!(additions, [&json!("A"), &json!("B")], "{reg}");
    assert!(
        items.iter().all(|i| i["address"]["postcode"] == "3011 AB" && i["address"]["house_number"] == 12),
        "{reg}"
    );
    assert!(items.iter().all(|i| i["status"] == "active" && i["max_occupants"] == 2), "{reg}");
    assert_eq!(items[0]["valid_from"], "2025-04-07");
    assert_eq!(items[1]["valid_from"], "2025-03-03");
    // The natural person is never named; the legal entity is, with its KvK number.
    assert_eq!(items[0]["holder"], Value::Null);
    assert_eq!(items[1]["holder"], json!({"name": "Kamers Zuid BV", "kvk_number": "11223344"}));
    assert!(!reg.to_string().contains("persoon@example.nl") && !reg.to_string().contains("Jan de Vries"));

    // An address without an addition reads the same way; an unknown one answers an empty list.
    let reg: Value =
        app.get("/v1/register/licences?postcode=3011AB&house_number=14", None).await.json().await.unwrap();
    assert_eq!(reg["items"].as_array().unwrap().len(), 1, "{reg}");
    assert_eq!(
        reg["items"][0]["address"],
        json!({"postcode": "3011 AB", "house_number": 14, "addition": null})
    );
    let reg: Value =
        app.get("/v1/register/licences?postcode=3011AB&house_number=13", None).await.json().await.unwrap();
    assert_eq!(reg["items"], json!([]));
}

#[tokio::test]
async fn licence_required_uses_the_neighbourhood_recorded_at_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(
        &file,
        r#"{"valid_from": "2024-01-01", "enabled_licences": [{"kind": "general", "area": {"neighbourhood_codes": ["BU05990101"]}}]}"#,
    )
    .unwrap();
    let settings =
        [("HUURTOEZICHT_RULES_FILE".to_string(), file.display().to_string())].into_iter().collect();
    let app = spawn_app_with(settings, huurtoezicht::clock::Clock::fixed(at(2025, 3, 3))).await;
    let (_, landlord) = app.register_landlord("verhuurder@example.nl").await;
    // Two properties at the address: one without a neighbourhood, one inside the area.
    app.create_property(&landlord, &at_address("3011 AB", 12, Some("A"))).await;
    let mut body = at_address("3011 AB", 12, Some("B"));
    body["neighbourhood_code"] = json!("BU05990101");
    app.create_property(&landlord, &body).await;
    let mut body = at_address("3011 AB", 14, None);
    body["neighbourhood_code"] = json!("BU05990999");
    app.create_property(&landlord, &body).await;

    let ask = |number: u32| {
        let app = &app;
        async move {
            let path = format!("/v1/register/licence-required?postcode=3011AB&house_number={number}");
            let res = app.get(&path, None).await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let req = ask(12).await;
    assert_eq!(req["licence_required"], true, "{req}");
    assert_eq!(req["required_kinds"], json!(["general"]));
    let req = ask(14).await;
    assert_eq!(req["licence_required"], false, "{req}");
    assert_eq!(req["exemption"], "not_in_designated_area");
    let req = ask(16).await;
    assert_eq!(req["licence_required"], false, "{req}");
}

#[tokio::test]
async fn a_house_number_outside_1_to_99999_is_refused_in_the_register_queries() {
    let app = spawn_app().await;
    for n in ["0", "100000", "3147153082"] {
        for route in ["/v1/register/licences", "/v1/register/licence-required"] {
            let res = app.get(&format!("{route}?postcode=3011AB&house_number={n}"), None).await;
            let p = assert_problem(res, 422, "/problems/validation").await;
            assert_eq!(p["errors"][0]["pointer"], "#/query/house_number", "{route} {n}: {p}");
        }
    }
    let res = app.get("/v1/register/licences?postcode=3011AB&house_number=99999", None).await;
    assert_eq!(res.status(), 200);
}
