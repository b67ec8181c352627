//! The retention job: what the deletion rules erase, and when.

use super::*;

#[tokio::test]
async fn the_retention_job_with_a_fixed_clock_deletes_exactly_what_the_rules_say() {
    let app = spawn_app_at(Utc.with_ymd_and_hms(2025, 2, 1, 10, 0, 0).unwrap()).await;
    let token = officer(&app).await;
    let admin = role_token("admin");
    let with_contact = |category: &str| {
        let mut r = report(category);
        r["contact"] = json!({"name": "Anna", "email": "anna@example.org", "phone": "0612345678", "consent_to_contact": true});
        r["attachments"] = json!([{"file_name": "a.jpg", "content_base64": b64(&jpeg_with_gps())}]);
        r
    };
    // A: unfounded. B: referred, kept for a case. C: referred, not kept (scenario 60). D: open.
    let a = submit(&app, &with_contact("intimidation")).await["id"].as_str().unwrap().to_string();
    let b = submit(&app, &with_contact("no_licence")).await["id"].as_str().unwrap().to_string();
    let c = submit(&app, &with_contact("other")).await["id"].as_str().unwrap().to_string();
    let d = submit(&app, &with_contact("overcrowding")).await["id"].as_str().unwrap().to_string();
    for id in [&a, &b, &c, &d] {
        act(&app, &token, id, "messages", json!({"kind": "internal_note", "text": "Anna belde"})).await;
    }
    let referral = json!({"partner": "housing_corporation", "referred_on": "2025-02-01", "shared_data": "naam en adres", "legal_basis": "MP-05"});
    app.clock.advance(Duration::days(2)); // 2025-02-03
    assert_eq!(transition(&app, &token, &a, "close_unfounded").await.status(), StatusCode::OK);
    for id in [&b, &c] {
        act(&app, &token, id, "referrals", referral.clone()).await;
    }
    let res =
        act(&app, &token, &b, "retention", json!({"case_building": true, "reason": "dossieropbouw"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    for id in [&b, &c] {
        assert_eq!(transition(&app, &token, id, "refer").await.status(), StatusCode::OK);
    }
    assert_eq!(stored(&app, &b).personal_data_due_on, Some(date("2029-02-01")));
    assert_eq!(stored(&app, &c).personal_data_due_on, Some(date("2025-02-03")));
    // Status mails to A, B and C (consent given).
    assert_eq!(app.wait_for_mail(3, 10).await.len(), 3);

    let run = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await;
    assert_eq!(run.status(), StatusCode::OK);
    let run: Value = run.json().await.unwrap();
    assert_eq!(run["erased"], 2);
    assert_eq!(run["applied_on"], "2025-02-03");

    for id in [&a, &c] {
        let row = stored(&app, id);
        assert!(row.personal_data_deleted_at.is_some());
        assert!(row.contact_name.is_none() && row.contact_email.is_none() && row.contact_phone.is_none());
        assert!(row.description.is_none());
        // Anonymous statistics stay.
        assert_eq!(row.postcode.as_deref(), Some("3011AB"));
        let v: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
        assert!(v["contact"].is_null() && v["description"].is_null());
        assert_eq!(v["attachments"], json!([]));
        assert!(v["messages"].as_array().unwrap().iter().all(|m| m["text"].is_null()));
        assert!(v["referrals"].as_array().unwrap().iter().all(|r| r["shared_data"].is_null()));
        assert!(!v["category"].is_null());
    }
    for id in [&b, &d] {
        let row = stored(&app, id);
        assert!(row.personal_data_deleted_at.is_none());
        assert_eq!(row.contact_email.as_deref(), Some("anna@example.org"));
        assert!(row.description.is_some());
    }
    // Two of the four attachment files are gone; the mails to A and C are gone from the outbox
    // and from the mail folder (only B's mail is left, in both).
    assert_eq!(std::fs::read_dir(attachment_dir(&app)).unwrap().count(), 2);
    let db = db_of(&app);
    {
        use diesel::prelude::*;
        use huurtoezicht::db::schema::outbox;
        let mut conn = db.get().unwrap();
        let recipients: Vec<String> = outbox::table.select(outbox::recipient).load(&mut *conn).unwrap();
        assert_eq!(recipients, vec!["anna@example.org".to_string()]);
    }
    let mails = app.mails();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert!(mails[0].contains("anna@example.org"));
    // Running again erases nothing new; four years after the report B goes too, D stays (open,
    // not kept for a case: no deletion rule applies).
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 0);
    app.clock.set(Utc.with_ymd_and_hms(2029, 1, 31, 12, 0, 0).unwrap());
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 0);
    app.clock.set(Utc.with_ymd_and_hms(2029, 2, 1, 12, 0, 0).unwrap());
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 1);
    assert!(stored(&app, &b).personal_data_deleted_at.is_some());
    assert!(stored(&app, &d).personal_data_deleted_at.is_none());
    // The reporter's code still shows the status after deletion, without texts.
}

#[tokio::test]
async fn a_mail_still_pending_when_the_reporter_is_erased_is_never_sent() {
    // The first instance's outbox worker sleeps for an hour after its first (empty) pass.
    let slow = HashMap::from([("HUURTOEZICHT_OUTBOX_POLL_MS".to_string(), "3600000".to_string())]);
    let app = spawn_app_with(slow, Clock::fixed(Utc.with_ymd_and_hms(2025, 2, 1, 10, 0, 0).unwrap())).await;
    let token = officer(&app).await;
    let mut r = report("intimidation");
    r["contact"] = json!({"email": "wacht@example.org", "consent_to_contact": true});
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    assert_eq!(transition(&app, &token, &id, "close_unfounded").await.status(), StatusCode::OK);
    let db = db_of(&app);
    let pending = || {
        use diesel::prelude::*;
        use huurtoezicht::db::schema::outbox;
        let mut conn = db.get().unwrap();
        outbox::table
            .filter(outbox::recipient.eq("wacht@example.org"))
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap()
    };
    assert_eq!(pending(), 1, "the status mail waits in the outbox");

    let run: Value = app
        .post("/v1/jobs/retention/run", &json!({}), Some(&role_token("admin")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(run["erased"], 1);
    assert_eq!(pending(), 0);
    // A second instance on the same database, whose worker polls at once, sends nothing.
    let other = spawn_app_with(
        HashMap::from([("DATABASE_URL".to_string(), app.database_url.clone())]),
        app.clock.clone(),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(other.mails().is_empty() && app.mails().is_empty());
}

#[tokio::test]
async fn a_mail_copy_written_by_another_instance_is_removed_by_that_instances_next_run() {
    // Two instances on one database, each with its own mail folder; only the second one sends.
    let slow = HashMap::from([("HUURTOEZICHT_OUTBOX_POLL_MS".to_string(), "3600000".to_string())]);
    let app = spawn_app_with(slow, Clock::fixed(Utc.with_ymd_and_hms(2025, 2, 1, 10, 0, 0).unwrap())).await;
    let sender = spawn_app_with(
        HashMap::from([("DATABASE_URL".to_string(), app.database_url.clone())]),
        app.clock.clone(),
    )
    .await;
    let token = officer(&app).await;
    let mut r = report("intimidation");
    r["contact"] = json!({"email": "elders@example.org", "consent_to_contact": true});
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    assert_eq!(transition(&app, &token, &id, "close_unfounded").await.status(), StatusCode::OK);
    assert_eq!(sender.wait_for_mail(1, 10).await.len(), 1);

    let admin = role_token("admin");
    let run: Value = app.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 1);
    assert_eq!(sender.mails().len(), 1, "the first instance cannot reach the other's folder");
    let run: Value =
        sender.post("/v1/jobs/retention/run", &json!({}), Some(&admin)).await.json().await.unwrap();
    assert_eq!(run["erased"], 0);
    assert!(sender.mails().is_empty(), "{:#?}", sender.mails());
}
