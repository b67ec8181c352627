//! Staff search: name and trade-name prefixes, KvK number, a property's address, pages.

use super::*;

fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

async fn search(app: &TestApp, family: &str, q: &str) -> Value {
    let url = format!("/v1/{family}?q={}", urlencoding(q));
    ok_json(app.get(&url, Some(&officer())).await).await
}

fn urlencoding(q: &str) -> String {
    q.replace(' ', "%20")
}

#[tokio::test]
async fn parties_are_found_by_name_prefix_trade_name_and_kvk_number_in_their_family() {
    let app = spawn_app().await;
    let maas = created(&app, "landlords", &legal_entity("Maas Verhuur BV", "12345678")).await;
    let cafe = created(
        &app,
        "landlords",
        &json!({"kind": "natural_person", "name": "Özil Çelik", "source": "inspection", "trade_names": ["Café Kamerverhuur"]}),
    )
    .await;
    let mut agent = legal_entity("Maas Bemiddeling", "23456789");
    agent["role_detail"] = json!("letting_agent");
    let bem = created(&app, "intermediaries", &agent).await;

    assert_eq!(ids(&search(&app, "landlords", "maa").await), vec![maas["id"].as_str().unwrap()]);
    assert_eq!(ids(&search(&app, "landlords", "MAAS verh").await), vec![maas["id"].as_str().unwrap()]);
    assert!(ids(&search(&app, "landlords", "maas bemid").await).is_empty());
    assert_eq!(ids(&search(&app, "landlords", "ozil").await), vec![cafe["id"].as_str().unwrap()]);
    assert_eq!(ids(&search(&app, "landlords", "cafe kamer").await), vec![cafe["id"].as_str().unwrap()]);
    assert_eq!(ids(&search(&app, "landlords", "12345678").await), vec![maas["id"].as_str().unwrap()]);
    assert_eq!(ids(&search(&app, "intermediaries", "maas").await), vec![bem["id"].as_str().unwrap()]);
    assert!(ids(&search(&app, "employers", "maas").await).is_empty());

    // A new name is found at once, the old one no longer.
    let id = maas["id"].as_str().unwrap();
    ok_json(
        app.patch(&format!("/v1/landlords/{id}"), &json!({"name": "Rijn Wonen BV"}), Some(&officer())).await,
    )
    .await;
    assert!(ids(&search(&app, "landlords", "maas verh").await).is_empty());
    assert_eq!(ids(&search(&app, "landlords", "rijn").await), vec![id]);

    let res = app.get("/v1/landlords?q=%20--%20", Some(&officer())).await;
    let p = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(p["errors"][0]["pointer"], "#/query/q");
}

#[tokio::test]
async fn a_landlord_is_found_by_the_address_of_a_property_it_lets() {
    let app = spawn_app().await;
    let (account, token) = app.register_landlord("adres@example.nl").await;
    let landlord = account["landlord"]["id"].as_str().unwrap().to_string();
    app.create_property(&token, &property_body("3083 AB", 7)).await;
    created(&app, "landlords", &legal_entity("Elders BV", "12345678")).await;

    assert_eq!(ids(&search(&app, "landlords", "3083 ab").await), vec![landlord.clone()]);
    assert_eq!(ids(&search(&app, "landlords", "3083AB 7").await), vec![landlord.clone()]);
    assert!(ids(&search(&app, "landlords", "3083 AB 8").await).is_empty());
    assert!(ids(&search(&app, "intermediaries", "3083 AB").await).is_empty());

    // A property that names its intermediary finds the intermediary by its address too.
    let agent = created(
        &app,
        "intermediaries",
        &json!({"kind": "legal_entity", "name": "Snel Kamers BV", "kvk_number": "23456789",
                "source": "inspection", "role_detail": "letting_agent"}),
    )
    .await;
    let agent = agent["id"].as_str().unwrap().to_string();
    let mut body = property_body("3084 AC", 3);
    body["intermediary_id"] = json!(agent);
    app.create_property(&token, &body).await;
    assert_eq!(ids(&search(&app, "intermediaries", "3084 AC 3").await), vec![agent]);
    assert_eq!(ids(&search(&app, "landlords", "3084 AC 3").await), vec![landlord]);
    assert!(ids(&search(&app, "employers", "3084 AC").await).is_empty());
}

#[tokio::test]
async fn the_list_and_the_search_come_in_keyset_pages() {
    let app = spawn_app().await;
    let mut all = Vec::new();
    for n in 0..5 {
        let p = created(
            &app,
            "employers",
            &json!({"kind": "natural_person", "name": format!("Jansen {n}"), "source": "partner", "role_detail": "employer"}),
        )
        .await;
        all.push(p["id"].as_str().unwrap().to_string());
    }
    all.sort();
    for base in ["/v1/employers?limit=2", "/v1/employers?q=jans&limit=2"] {
        let mut seen = Vec::new();
        let mut url = base.to_string();
        loop {
            let page = ok_json(app.get(&url, Some(&officer())).await).await;
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(c) => url = format!("{base}&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, all, "{base}");
    }
    let res = app.get("/v1/employers?limit=0", Some(&officer())).await;
    assert_problem(res, 422, "/problems/validation").await;
}
