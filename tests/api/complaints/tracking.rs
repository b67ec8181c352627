//! The reporter's side: the tracking code, messages, notifications, and what the log keeps.

use super::*;

#[tokio::test]
async fn a_wrong_code_is_404_and_repeated_failures_are_rate_limited() {
    let settings = HashMap::from([("HUURTOEZICHT_TRACK_FAILURES_PER_MINUTE".to_string(), "3".to_string())]);
    let app = spawn_app_with(settings, Clock::system()).await;
    let created = submit(&app, &report("intimidation")).await;
    let code = created["tracking_code"].as_str().unwrap();
    let wrong = "0000-0000-0000-0000-0000-0000-0000-0000";
    assert_problem(track(&app, wrong).await, 404, "/problems/not-found").await;
    assert_problem(track(&app, "not-a-code").await, 404, "/problems/not-found").await;
    let res =
        app.post(&format!("/v1/complaints/track/{wrong}/messages"), &json!({"text": "hallo"}), None).await;
    assert_problem(res, 404, "/problems/not-found").await;
    // The source is now blocked for this window, even with the right code.
    assert_problem(track(&app, wrong).await, 429, "/problems/too-many-requests").await;
    assert_problem(track(&app, code).await, 429, "/problems/too-many-requests").await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_tracking_throttle_counts_per_forwarded_client() {
    let settings = HashMap::from([
        ("HUURTOEZICHT_TRACK_FAILURES_PER_MINUTE".to_string(), "2".to_string()),
        ("HUURTOEZICHT_TRUSTED_PROXIES".to_string(), "127.0.0.1".to_string()),
    ]);
    let app = spawn_app_with(settings, Clock::system()).await;
    let created = submit(&app, &report("intimidation")).await;
    let code = created["tracking_code"].as_str().unwrap();
    let wrong = "0000-0000-0000-0000-0000-0000-0000-0000";
    let from = |client: &'static str, code: &str| {
        app.client
            .get(app.url(&format!("/v1/complaints/track/{code}")))
            .header("x-forwarded-for", client)
            .send()
    };
    for _ in 0..2 {
        assert_eq!(from("198.51.100.7", wrong).await.unwrap().status(), 404);
    }
    // The guesser behind the proxy is blocked; a resident behind the same proxy is not.
    let blocked = from("198.51.100.7", code).await.unwrap();
    assert_eq!(blocked.status(), 429);
    assert!(blocked.headers().contains_key("retry-after"));
    assert_eq!(from("198.51.100.8", code).await.unwrap().status(), 200);
}

#[tokio::test]
async fn messages_reach_the_reporter_but_internal_notes_never_do() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let created = submit(&app, &report("intimidation")).await;
    let (id, code) = (created["id"].as_str().unwrap(), created["tracking_code"].as_str().unwrap());
    act(&app, &token, id, "messages", json!({"kind": "internal_note", "text": "verhuurder is bekend"})).await;
    let res =
        act(&app, &token, id, "messages", json!({"kind": "information_request", "text": "Welke kamer?"}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    let view: Value = track(&app, code).await.json().await.unwrap();
    assert_eq!(view["awaiting_information"], true);
    let msgs = view["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["text"], "Welke kamer?");
    assert_eq!(msgs[0]["from"], "municipality");
    assert!(msgs[0].get("author_account_id").is_none());
    assert!(!view.to_string().contains("verhuurder is bekend"));

    let res =
        app.post(&format!("/v1/complaints/track/{code}/messages"), &json!({"text": "Kamer 3"}), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["awaiting_information"], false);
    assert_eq!(view["messages"][1]["from"], "you");
    let c: Value = app.get(&format!("/v1/complaints/{id}"), Some(&token)).await.json().await.unwrap();
    let kinds: Vec<&str> =
        c["messages"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["internal_note", "information_request", "message"]);
}

#[tokio::test]
async fn the_tracking_code_keeps_working_after_a_merge() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let a = submit(&app, &report("intimidation")).await;
    let mut second = report("overcrowding");
    second["exploitation_signals"] = json!(["violence_or_threats"]);
    let b = submit(&app, &second).await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let res =
        act(&app, &token, b_id, "merge", json!({"into": a_id, "reason": "zelfde adres en verhuurder"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let primary: Value = res.json().await.unwrap();
    assert_eq!(primary["duplicates"], json!([b_id]));
    assert_eq!(primary["has_exploitation_signals"], true);
    assert_eq!(primary["priority"], "urgent");
    assert_problem(transition(&app, &token, b_id, "triage").await, 409, "/problems/conflict").await;

    transition(&app, &token, a_id, "triage").await;
    act(&app, &token, a_id, "messages", json!({"kind": "message", "text": "We gaan kijken."})).await;
    let view: Value = track(&app, b["tracking_code"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(view["status"], "triaged");
    assert_eq!(view["merged"], true);
    assert_eq!(view["category"], "overcrowding");
    assert_eq!(view["messages"][0]["text"], "We gaan kijken.");
    // The first reporter does not see anything of the second reporter's report.
    app.post(
        &format!("/v1/complaints/track/{}/messages", b["tracking_code"].as_str().unwrap()),
        &json!({"text": "Ik woon op kamer 2"}),
        None,
    )
    .await;
    let view_a: Value = track(&app, a["tracking_code"].as_str().unwrap()).await.json().await.unwrap();
    assert!(!view_a.to_string().contains("kamer 2"));
}

#[tokio::test]
async fn a_consenting_reporter_is_emailed_in_their_language_without_details() {
    let app = spawn_app().await;
    let token = officer(&app).await;
    let mut r = report("intimidation");
    r["contact"] = json!({"email": "melder@example.org", "consent_to_contact": true});
    let id = submit(&app, &r).await["id"].as_str().unwrap().to_string();
    submit(&app, &report("intimidation")).await;
    transition(&app, &token, &id, "triage").await;
    act(&app, &token, &id, "messages", json!({"kind": "message", "text": "Geheime details"})).await;
    act(&app, &token, &id, "messages", json!({"kind": "internal_note", "text": "notitie"})).await;
    let mails = app.wait_for_mail(2, 10).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    let all = mails.join("\n");
    assert!(all.contains("melder@example.org"));
    assert!(!all.contains("Geheime details"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mails().len(), 2);
    let db = db_of(&app);
    use diesel::prelude::*;
    use huurtoezicht::db::schema::outbox;
    let mut conn = db.get().unwrap();
    let subjects: Vec<String> = outbox::table.select(outbox::subject).load(&mut *conn).unwrap();
    assert_eq!(subjects, vec!["Twoje zgłoszenie w punkcie zgłoszeń dot. wynajmu"; 2]);
    let bodies: Vec<String> =
        outbox::table.select(outbox::body).order(outbox::created_at).load(&mut *conn).unwrap();
    assert!(
        bodies.iter().any(|b| b.contains("Status Twojego zgłoszenia zmienił się: ocenione.")),
        "{bodies:?}"
    );
}

#[tokio::test]
async fn the_server_log_holds_no_ip_user_agent_or_tracking_code_of_a_reporter() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let database_url = fresh_database_url(dir.path());
    // Another process may take the free port before the server binds it: then the server exits
    // and we try another port.
    let mut attempt = 0;
    let (mut child, port) = loop {
        attempt += 1;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huurtoezicht"))
            .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &database_url)
            .env("HUURTOEZICHT_JWT_SECRET", JWT_SECRET)
            .env("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail"))
            .env("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("attachments"))
            .env("HUURTOEZICHT_LOG_JSON", "true")
            .env("RUST_LOG", "debug")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let up = loop {
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            if std::fs::read_to_string(&log_path).unwrap_or_default().contains("Huurtoezicht listening") {
                break true;
            }
            assert!(std::time::Instant::now() < deadline, "server did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        if up {
            // Make sure the port answers from this server (and not from another process that
            // holds the same port on another address): its log must show our request id.
            let probe = uuid::Uuid::new_v4().simple().to_string();
            let _ = reqwest::Client::new()
                // Not /health: probes are logged at DEBUG only.
                .get(format!("http://127.0.0.1:{port}/v1/complaint-categories"))
                .header("x-request-id", &probe)
                .send()
                .await;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if std::fs::read_to_string(&log_path).unwrap_or_default().contains(&probe) {
                break (child, port);
            }
            let _ = child.kill();
        }
        let _ = child.wait();
        assert!(attempt < 5, "server could not bind a port");
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let res = client
        .post(format!("{base}/v1/complaints"))
        .header("user-agent", "SecretAgent/7.7")
        .json(&report("intimidation"))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body} {}", std::fs::read_to_string(&log_path).unwrap());
    let code = body["tracking_code"].as_str().unwrap().to_string();
    let res = client
        .get(format!("{base}/v1/complaints/track/{code}"))
        .header("user-agent", "SecretAgent/7.7")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = client.get(format!("{base}/v1/complaints/track/ABCD-EFGH")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    child.kill().unwrap();
    child.wait().unwrap();

    let text = std::fs::read_to_string(&log_path).unwrap();
    let request_lines: Vec<&str> = text.lines().filter(|l| l.contains("\"route\"")).collect();
    assert!(request_lines.iter().any(|l| l.contains("/v1/complaints/track/{code}")), "{text}");
    for l in &request_lines {
        assert!(!l.contains("127.0.0.1"), "IP address in the log: {l}");
    }
    for secret in ["SecretAgent", code.as_str(), "ABCD-EFGH", "Właściciel"] {
        assert!(!text.contains(secret), "{secret} in the log");
    }
}
