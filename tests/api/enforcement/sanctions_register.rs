//! The public sanctions register (`GET /v1/register/sanctions`): fed by the sanction steps,
//! published fines and takeovers only, in force from publication to its end, a party named only
//! when it is a legal entity.

use super::*;

const REGISTER: &str = "/v1/register/sanctions";

async fn violation_at(app: &TestApp, landlord: &str, n: u32, rule: &str) -> Value {
    let on = app.clock.today_nl().to_string();
    ok_json(
        app.post(
            "/v1/violations",
            &json!({"landlord_id": landlord, "address": {"postcode": "3011 AB", "house_number": n, "addition": "a"},
                    "rule": rule, "established_on": on, "description": "Vastgesteld bij controle",
                    "evidence": {"documents": ["rapport"]}}),
            Some(&officer()),
        )
        .await,
    )
    .await
}

/// A fine for the violation decided 15 days after its rapport (the clock moves along); its id.
async fn decided_fine(app: &TestApp, v: &Value, step: &str) -> String {
    let today = app.clock.today_nl().to_string();
    let s = ok_json(
        app.post(
            &format!("/v1/enforcement-cases/{}/sanctions", v["case_id"].as_str().unwrap()),
            &json!({"violation_id": v["id"], "step": step, "motivation": "Bewuste overtreding door een bedrijfsmatige verhuurder",
                    "fine": {"rapport_date": today, "bedrijfsmatig": true}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    let id = s["id"].as_str().unwrap().to_string();
    ok_json(act(app, &id, json!({"action": "send_intent", "on": today})).await).await;
    app.clock.advance(Duration::days(15));
    let on = app.clock.today_nl().to_string();
    let s = ok_json(
        act(
            app,
            &id,
            json!({"action": "decide", "decided_on": on, "notified_on": on, "amount_cents": 500_000}),
        )
        .await,
    )
    .await;
    assert_eq!(s["state_name"], "decided");
    id
}

/// Makes a decided fine final after its objection term and publishes it until `expires_on`;
/// returns the publication date.
async fn publish_fine(app: &TestApp, id: &str, expires_on: &str) -> String {
    app.clock.advance(Duration::days(45));
    let final_on = (app.clock.today_nl() - Duration::days(2)).to_string();
    ok_json(act(app, id, json!({"action": "become_final", "on": final_on})).await).await;
    let on = app.clock.today_nl().to_string();
    let s =
        ok_json(act(app, id, json!({"action": "publish", "on": on, "expires_on": expires_on})).await).await;
    assert_eq!(s["state_name"], "published");
    on
}

async fn register(app: &TestApp, query: &str) -> Vec<Value> {
    let body = ok_json(app.get(&format!("{REGISTER}?{query}"), None).await).await;
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_published_fine_of_a_legal_entity_shows_with_name_kvk_and_amount_until_its_end_date() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("register-bv@example.nl").await; // Verhuur BV, KvK 12345678
    let v = violation_at(&app, &landlord, 10, "GR-04").await;
    let fine = decided_fine(&app, &v, "administrative_fine").await; // decided 2025-01-21

    // Decided but not published: not on the register.
    assert_eq!(register(&app, "postcode=3011AB&house_number=10").await, Vec::<Value>::new());
    assert_eq!(register(&app, "kvk_number=12345678").await, Vec::<Value>::new());

    let published_on = publish_fine(&app, &fine, "2025-09-10").await;
    let expected = json!({
        "kind": "administrative_fine", "decided_on": "2025-01-21", "published_on": published_on,
        "until": "2025-09-10", "rule": "GR-04", "amount_cents": 500_000,
        "address": {"postcode": "3011 AB", "house_number": 10, "addition": "A"},
        "party": {"kind": "legal_entity", "name": "Verhuur BV", "kvk_number": "12345678"}
    });
    assert_eq!(register(&app, "postcode=3011 ab&house_number=10").await, vec![expected.clone()]);
    assert_eq!(register(&app, "kvk_number=12345678").await, vec![expected.clone()]);
    assert_eq!(register(&app, "postcode=3011AB&house_number=10&addition=a").await.len(), 1);
    assert_eq!(register(&app, "postcode=3011AB&house_number=10&addition=b").await.len(), 0);
    assert_eq!(register(&app, "postcode=3011AB&house_number=11").await.len(), 0);
    assert_eq!(register(&app, "kvk_number=87654321").await.len(), 0);

    // Shown through the day before its end date, gone from the end date on.
    app.clock.set(at("2025-09-09"));
    assert_eq!(register(&app, "kvk_number=12345678").await, vec![expected]);
    app.clock.set(at("2025-09-10"));
    assert_eq!(register(&app, "postcode=3011AB&house_number=10").await.len(), 0);
    assert_eq!(register(&app, "kvk_number=12345678").await.len(), 0);
}

#[tokio::test]
async fn a_natural_persons_name_is_never_shown() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let (account, _) = app.register_landlord("jan-register@example.nl").await; // Jan de Vries
    let landlord = account["landlord"]["id"].as_str().unwrap().to_string();
    let v = violation_at(&app, &landlord, 20, "GR-05").await;
    let fine = decided_fine(&app, &v, "administrative_fine").await;
    publish_fine(&app, &fine, "2026-01-01").await;

    let res = app.get(&format!("{REGISTER}?postcode=3011AB&house_number=20"), None).await;
    let text = res.text().await.unwrap();
    assert!(!text.contains("Jan de Vries"), "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["items"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["items"][0]["party"], json!({"kind": "natural_person"}));
    assert_eq!(body["items"][0]["amount_cents"], 500_000);
}

#[tokio::test]
async fn a_management_takeover_shows_while_it_runs_and_leaves_when_it_ends() {
    let app = spawn_app_at(at("2025-01-06")).await;
    let landlord = app.landlord_id("drie-keer-register@example.nl").await;
    let v1 = violation_at(&app, &landlord, 30, "GR-04").await;
    decided_fine(&app, &v1, "administrative_fine").await;
    app.clock.advance(Duration::days(1));
    let v2 = violation_at(&app, &landlord, 31, "GR-06").await;
    decided_fine(&app, &v2, "recidive_fine").await;
    app.clock.advance(Duration::days(1));
    let v3 = violation_at(&app, &landlord, 32, "GR-05").await;
    let today = app.clock.today_nl().to_string();
    let t = ok_json(
        app.post(
            &format!("/v1/enforcement-cases/{}/sanctions", v3["case_id"].as_str().unwrap()),
            &json!({"violation_id": v3["id"], "step": "management_takeover",
                    "motivation": "Derde overtreding binnen vier jaar na twee boetes",
                    "displacement": {"occupants_displaced": 0, "replacement_housing_arranged": false},
                    "takeover": {"decided_on": today, "starts_on": today, "beheerder": "Gemeente (B&W)"}}),
            Some(&officer()),
        )
        .await,
    )
    .await;
    let id = t["id"].as_str().unwrap();
    // Decided fines and the unpublished takeover: nothing on the register.
    assert_eq!(register(&app, "kvk_number=12345678").await.len(), 0);

    ok_json(act(&app, id, json!({"action": "publish", "on": today})).await).await;
    let items = register(&app, "postcode=3011AB&house_number=32").await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["kind"], "management_takeover");
    assert_eq!(items[0]["decided_on"], today.as_str());
    assert_eq!(items[0]["until"], Value::Null);
    assert_eq!(items[0]["amount_cents"], Value::Null);
    assert_eq!(register(&app, "kvk_number=12345678").await, items);

    app.clock.advance(Duration::days(30));
    assert_eq!(register(&app, "postcode=3011AB&house_number=32").await, items);
    let end = app.clock.today_nl().to_string();
    ok_json(act(&app, id, json!({"action": "end_takeover", "on": end})).await).await;
    assert_eq!(register(&app, "postcode=3011AB&house_number=32").await.len(), 0);
    assert_eq!(register(&app, "kvk_number=12345678").await.len(), 0);
}

#[tokio::test]
async fn the_register_wants_exactly_one_of_an_address_or_a_kvk_number() {
    let app = spawn_app().await;
    for (query, pointer) in [
        ("", "#/query/postcode"),
        ("postcode=3011AB&house_number=10&kvk_number=12345678", "#/query/kvk_number"),
        ("kvk_number=1234", "#/query/kvk_number"),
        ("postcode=3011AB", "#/query/house_number"),
        ("house_number=10", "#/query/postcode"),
        ("postcode=12&house_number=10", "#/query/postcode"),
        ("postcode=3011AB&house_number=100000", "#/query/house_number"),
        // Present but empty is refused, not ignored (found by the schema attack: an empty
        // kvk_number next to an address was answered 200).
        ("postcode=3011AB&house_number=10&kvk_number=", "#/query/kvk_number"),
        ("kvk_number=", "#/query/kvk_number"),
        ("postcode=&kvk_number=12345678", "#/query/kvk_number"),
        ("postcode=&house_number=10", "#/query/postcode"),
    ] {
        let res = app.get(&format!("{REGISTER}?{query}"), None).await;
        let p = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(p["errors"][0]["pointer"], pointer, "{query}: {p}");
    }
    let res = app.get(&format!("{REGISTER}?postcode=3011AB&house_number=10&name=x"), None).await;
    assert_eq!(res.status(), 422);
}
