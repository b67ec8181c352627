//! The resident's optional Idempotency-Key: a retry returns the same complaint and tracking code
//! and files nothing new; another body under the key is a conflict; a malformed key is refused.

use diesel::{QueryDsl, RunQueryDsl};
use huurtoezicht::db::intake_keys::IntakeKey;
use huurtoezicht::db::schema::{complaint_intake_keys, complaints};

use super::*;

async fn submit(app: &TestApp, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut req = app.client.post(app.url("/v1/complaints")).json(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.send().await.unwrap()
}

fn complaint_count(app: &TestApp) -> i64 {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    complaints::table.count().get_result(&mut *c).unwrap()
}

fn key_rows(app: &TestApp) -> Vec<IntakeKey> {
    let db = db_of(app);
    let mut c = db.get().unwrap();
    complaint_intake_keys::table.load(&mut *c).unwrap()
}

#[tokio::test]
async fn a_retry_with_the_same_key_returns_the_same_code_and_files_one_complaint() {
    let app = spawn_app().await;
    let key = uuid::Uuid::new_v4().to_string();
    let first = submit(&app, Some(&key), &report("intimidation")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["replayed"], false);
    let code = first["tracking_code"].as_str().unwrap().to_string();

    // The answer was lost; the same request again (the draft's quoted form of the key too).
    for sent in [key.clone(), format!("\"{key}\"")] {
        let again = submit(&app, Some(&sent), &report("intimidation")).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(again.headers()["cache-control"], "no-store");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["id"], first["id"]);
        assert_eq!(again["tracking_code"], code.as_str());
        assert_eq!(again["received_at"], first["received_at"]);
        assert_eq!(again["replayed"], true);
    }
    assert_eq!(complaint_count(&app), 1);
    assert_eq!(track(&app, &code).await.status(), StatusCode::OK);

    // Neither the key nor the code is stored in clear.
    let rows = key_rows(&app);
    assert_eq!(rows.len(), 1);
    let dump = format!("{rows:?}");
    for secret in [key.as_str(), code.as_str(), &hex_of(&key), &hex_of(&code)] {
        assert!(!dump.contains(secret), "{secret} stored in clear");
    }
    assert_eq!(rows[0].complaint_id, first["id"].as_str().unwrap());
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_conflict_and_files_nothing() {
    let app = spawn_app().await;
    let key = "report-2026-11-26:0001";
    assert_eq!(submit(&app, Some(key), &report("intimidation")).await.status(), StatusCode::CREATED);
    let other = submit(&app, Some(key), &report("deposit_too_high")).await;
    let body = assert_problem(other, 409, "/problems/conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("Idempotency-Key"), "{body}");
    assert_eq!(complaint_count(&app), 1);
}

#[tokio::test]
async fn a_malformed_key_is_refused_naming_the_header() {
    let app = spawn_app().await;
    for bad in ["short", "has spaces in the key", &"k".repeat(129), "semi;colon;key"] {
        let res = submit(&app, Some(bad), &report("intimidation")).await;
        let body = assert_problem(res, 422, "/problems/validation").await;
        assert_eq!(body["errors"][0]["pointer"], "#/header/Idempotency-Key", "{bad}: {body}");
    }
    assert_eq!(complaint_count(&app), 0);
}

#[tokio::test]
async fn without_a_key_every_submission_files_a_complaint() {
    let app = spawn_app().await;
    let a: Value = submit(&app, None, &report("intimidation")).await.json().await.unwrap();
    let b: Value = submit(&app, None, &report("intimidation")).await.json().await.unwrap();
    assert_ne!(a["id"], b["id"]);
    assert_ne!(a["tracking_code"], b["tracking_code"]);
    assert_eq!(complaint_count(&app), 2);
    assert!(key_rows(&app).is_empty());
}

#[tokio::test]
async fn simultaneous_requests_with_one_key_file_one_complaint() {
    let app = spawn_app().await;
    let key = uuid::Uuid::new_v4().to_string();
    let answers = futures_util::future::join_all(
        (0..6).map(|_| async { submit(&app, Some(&key), &report("intimidation")).await }),
    )
    .await;
    let mut bodies = Vec::new();
    for res in answers {
        assert!([StatusCode::CREATED, StatusCode::OK].contains(&res.status()), "{}", res.status());
        bodies.push(res.json::<Value>().await.unwrap());
    }
    assert_eq!(bodies.iter().filter(|b| b["replayed"] == false).count(), 1, "{bodies:#?}");
    assert!(bodies
        .iter()
        .all(|b| b["id"] == bodies[0]["id"] && b["tracking_code"] == bodies[0]["tracking_code"]));
    assert_eq!(complaint_count(&app), 1);
}

#[tokio::test]
async fn a_key_is_forgotten_after_the_retention_window() {
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let extra = HashMap::from([("HUURTOEZICHT_IDEMPOTENCY_RETENTION_HOURS".to_string(), "1".to_string())]);
    let app = spawn_app_with(extra, clock.clone()).await;
    let key = "retry-after-an-hour";
    let first: Value = submit(&app, Some(key), &report("intimidation")).await.json().await.unwrap();
    clock.advance(Duration::minutes(59));
    assert_eq!(submit(&app, Some(key), &report("intimidation")).await.status(), StatusCode::OK);
    clock.advance(Duration::minutes(2));
    let later = submit(&app, Some(key), &report("intimidation")).await;
    assert_eq!(later.status(), StatusCode::CREATED);
    let later: Value = later.json().await.unwrap();
    assert_ne!(later["id"], first["id"]);
    assert_eq!(complaint_count(&app), 2);
    assert_eq!(key_rows(&app).len(), 1, "the expired key was removed");
}
