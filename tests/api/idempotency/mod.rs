//! `Idempotency-Key` on the create routes of authenticated callers (docs/idempotency.md), the
//! same checks for every route: a retry with the same key and body answers the original status
//! and body with `Idempotent-Replayed: true` and records and audits nothing new; another body
//! under the key is a 422 naming the header; another caller's key is its own; a malformed key is
//! refused; two simultaneous identical requests create one record. Then what only some routes
//! have: expiry and purge, and the upload that leaves no second file behind.

mod expiry;

use std::collections::HashMap;

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use huurtoezicht::clock::Clock;
use huurtoezicht::config::DatabaseUrl;
use huurtoezicht::db::schema::{
    application_documents, audit_log, complaints, idempotency_keys, licence_applications, objections,
    properties,
};
use huurtoezicht::db::Db;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::licensing::{at, setup, submitted};
use crate::objections::{lodge_body, refused_application};

pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
pub const PDF2: &[u8] = b"%PDF-1.7\n2 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[derive(Clone, Copy, Debug)]
pub enum Route {
    Properties,
    Applications,
    Documents,
    Objections,
    PartnerSignals,
}

/// A request body: JSON, or an uploaded file with its query.
#[derive(Clone)]
pub enum Req {
    Json(Value),
    File(&'static str, &'static [u8]),
}

/// One route ready to be called: `a` and `b` are two different requests of `first`, `other` a
/// request of `second` (another caller).
pub struct Case {
    pub app: TestApp,
    pub path: String,
    pub first: String,
    pub second: String,
    pub a: Req,
    pub b: Req,
    pub other: Req,
    pub route: Route,
}

fn signal(reference: &str) -> Value {
    json!({
        "partner": "police", "partner_reference": reference, "category": "overcrowding",
        "description": "Politie trof bij een controle twaalf arbeidsmigranten in één woning aan.",
        "address": {"postcode": "3011 AB", "house_number": 12},
    })
}

fn draft_body(property_id: &str, rent: u32) -> Value {
    json!({"property_id": property_id, "kind": "labour_migrant", "monthly_rent_cents": rent,
           "planned_occupancy": [{"room_label": "kamer 1", "persons": 1}]})
}

pub async fn case_with(route: Route, settings: HashMap<String, String>) -> Case {
    match route {
        Route::Properties => {
            let app = spawn_app_with(settings, Clock::fixed(at(2026, 3, 2))).await;
            let (_, first) = app.register_landlord("een@example.nl").await;
            let (_, second) = app.register_landlord("twee@example.nl").await;
            let a = Req::Json(property_body("3011 AB", 12));
            let b = Req::Json(property_body("3011 AB", 14));
            Case { app, path: "/v1/properties".into(), first, second, other: a.clone(), a, b, route }
        }
        Route::Applications => {
            let app = spawn_app_with(settings, Clock::fixed(at(2026, 3, 2))).await;
            let s = setup(&app).await;
            let (_, second) = app.register_landlord("twee@example.nl").await;
            let p = app.create_property(&second, &property_body("3011 AB", 14)).await;
            Case {
                path: "/v1/licence-applications".into(),
                a: Req::Json(draft_body(&s.property_id, 55_000)),
                b: Req::Json(draft_body(&s.property_id, 60_000)),
                other: Req::Json(draft_body(p["id"].as_str().unwrap(), 55_000)),
                first: s.landlord,
                second,
                app,
                route,
            }
        }
        Route::Documents => {
            let app = spawn_app_with(settings, Clock::fixed(at(2025, 3, 3))).await;
            let s = setup(&app).await;
            let a = submitted(&app, &s).await;
            let a_id = a["id"].as_str().unwrap();
            let file = Req::File("kind=floor_plan&file_name=plattegrond.pdf", PDF);
            Case {
                path: format!("/v1/licence-applications/{a_id}/documents"),
                b: Req::File("kind=floor_plan&file_name=plattegrond.pdf", PDF2),
                other: file.clone(),
                a: file,
                first: s.landlord,
                second: s.officer,
                app,
                route,
            }
        }
        Route::Objections => {
            let app = spawn_app_with(settings, Clock::fixed(at(2026, 3, 2))).await;
            let (s, app_id) = refused_application(&app).await;
            app.clock.set(at(2026, 4, 1));
            let body = lodge_body("licence_decision", &app_id, "2026-04-01");
            let mut b = body.clone();
            b["grounds_summary"] = json!("Een andere grond");
            Case {
                path: "/v1/objections".into(),
                first: s.officer,
                second: app.staff_token("officer", "officer2@gemeente.test", &[MUNICIPALITY]).await,
                other: Req::Json(body.clone()),
                a: Req::Json(body),
                b: Req::Json(b),
                app,
                route,
            }
        }
        Route::PartnerSignals => {
            let app = spawn_app_with(settings, Clock::fixed(at(2026, 3, 2))).await;
            let first = app.staff_token("officer", "officer1@gemeente.test", &[MUNICIPALITY]).await;
            let second = app.staff_token("officer", "officer2@gemeente.test", &[MUNICIPALITY]).await;
            Case {
                path: "/v1/complaints/partner-signals".into(),
                first,
                second,
                a: Req::Json(signal("PL-2026-00123")),
                b: Req::Json(signal("PL-2026-00124")),
                other: Req::Json(signal("PL-2026-00123")),
                app,
                route,
            }
        }
    }
}

pub async fn case(route: Route) -> Case {
    case_with(route, HashMap::new()).await
}

pub fn db_of(app: &TestApp) -> Db {
    Db::connect(&DatabaseUrl::parse(&app.database_url).unwrap(), 2).unwrap()
}

impl Case {
    pub async fn send(&self, token: &str, req: &Req, key: Option<&str>) -> reqwest::Response {
        let mut r = self.app.client.post(self.app.url(&self.path)).bearer_auth(token);
        r = match req {
            Req::Json(v) => r.json(v),
            Req::File(query, bytes) => {
                r = self.app.client.post(self.app.url(&format!("{}?{query}", self.path))).bearer_auth(token);
                r.header("content-type", "application/pdf").body(bytes.to_vec())
            }
        };
        if let Some(k) = key {
            r = r.header("idempotency-key", k);
        }
        r.send().await.unwrap()
    }

    /// Records of the route's table.
    pub fn records(&self) -> i64 {
        let db = db_of(&self.app);
        let mut c = db.get().unwrap();
        let c = &mut *c;
        match self.route {
            Route::Properties => properties::table.count().get_result(c).unwrap(),
            Route::Applications => licence_applications::table.count().get_result(c).unwrap(),
            Route::Documents => application_documents::table.count().get_result(c).unwrap(),
            Route::Objections => objections::table.count().get_result(c).unwrap(),
            Route::PartnerSignals => complaints::table.count().get_result(c).unwrap(),
        }
    }

    /// Audit rows about one record.
    pub fn audit_rows(&self, id: &str) -> i64 {
        let db = db_of(&self.app);
        let mut c = db.get().unwrap();
        audit_log::table.filter(audit_log::entity_id.eq(id)).count().get_result(&mut *c).unwrap()
    }

    pub fn key_rows(&self) -> i64 {
        let db = db_of(&self.app);
        let mut c = db.get().unwrap();
        idempotency_keys::table.count().get_result(&mut *c).unwrap()
    }
}

/// 201 with its body (and no replay header).
pub async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    assert!(res.headers().get("idempotent-replayed").is_none());
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

pub async fn refused_naming_the_header(res: reqwest::Response) -> Value {
    let body = assert_problem(res, 422, "/problems/validation").await;
    assert_eq!(body["errors"][0]["pointer"], "#/header/Idempotency-Key", "{body}");
    body
}

async fn a_retry_replays_the_original_answer_and_records_nothing_new(route: Route) {
    let c = case(route).await;
    let before = c.records();
    let key = uuid::Uuid::new_v4().to_string();
    let first = c.send(&c.first, &c.a, Some(&key)).await;
    let first_text = {
        assert_eq!(first.status(), 201);
        assert!(first.headers().get("idempotent-replayed").is_none());
        first.text().await.unwrap()
    };
    let first_json: Value = serde_json::from_str(&first_text).unwrap();
    let id = first_json["id"].as_str().unwrap().to_string();
    let audited = c.audit_rows(&id);
    assert!(audited >= 1, "{route:?}: the create is audited");

    // The answer was lost; the same request again, also in the draft's quoted form of the key.
    for sent in [key.clone(), format!("\"{key}\"")] {
        let again = c.send(&c.first, &c.a, Some(&sent)).await;
        assert_eq!(again.status(), 201, "{route:?}");
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.headers()["content-type"], "application/json");
        assert_eq!(again.text().await.unwrap(), first_text, "{route:?}: the original body");
    }
    assert_eq!(c.records(), before + 1, "{route:?}: one record");
    assert_eq!(c.audit_rows(&id), audited, "{route:?}: nothing new audited");
    assert_eq!(c.key_rows(), 1);

    // Without a key a retry creates a second record, as before.
    if matches!(route, Route::PartnerSignals | Route::Documents) {
        created(c.send(&c.first, &c.a, None).await).await;
        assert_eq!(c.records(), before + 2, "{route:?}");
    }
}

async fn another_request_under_the_key_is_refused_naming_the_header(route: Route) {
    let c = case(route).await;
    let before = c.records();
    let key = "portal-request:0001";
    created(c.send(&c.first, &c.a, Some(key)).await).await;
    let body = refused_naming_the_header(c.send(&c.first, &c.b, Some(key)).await).await;
    assert!(body["errors"][0]["reason"].as_str().unwrap().contains("different request"), "{body}");
    assert_eq!(c.records(), before + 1, "{route:?}");
    // The first request still replays.
    let again = c.send(&c.first, &c.a, Some(key)).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
}

async fn another_caller_with_the_same_key_gets_its_own_record(route: Route) {
    let c = case(route).await;
    let before = c.records();
    let key = "portal-request:0002";
    let mine = created(c.send(&c.first, &c.a, Some(key)).await).await;
    let theirs = created(c.send(&c.second, &c.other, Some(key)).await).await;
    assert_ne!(mine["id"], theirs["id"], "{route:?}");
    assert_eq!(c.records(), before + 2, "{route:?}");
    assert_eq!(c.key_rows(), 2);
}

async fn a_malformed_key_is_refused_naming_the_header(route: Route) {
    let c = case(route).await;
    let before = c.records();
    for bad in ["short", "has space in it", &"x".repeat(129), "semi;colon;key"] {
        refused_naming_the_header(c.send(&c.first, &c.a, Some(bad)).await).await;
    }
    assert_eq!(c.records(), before, "{route:?}");
    assert_eq!(c.key_rows(), 0);
}

async fn simultaneous_identical_requests_create_one_record(route: Route) {
    let c = case(route).await;
    let before = c.records();
    let key = uuid::Uuid::new_v4().to_string();
    let (x, y) = tokio::join!(c.send(&c.first, &c.a, Some(&key)), c.send(&c.first, &c.a, Some(&key)));
    let mut ids = Vec::new();
    for res in [x, y] {
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap();
        match status {
            201 => ids.push(body["id"].clone()),
            // Allowed while the other request still holds the key.
            409 => assert!(body["detail"].as_str().unwrap().contains("Idempotency-Key"), "{body}"),
            other => panic!("{route:?}: {other} {body}"),
        }
    }
    assert!(!ids.is_empty(), "{route:?}: one of them created the record");
    assert!(ids.iter().all(|id| *id == ids[0]), "{route:?}: {ids:?}");
    assert_eq!(c.records(), before + 1, "{route:?}");
}

macro_rules! every_route {
    ($($name:ident => $route:expr),+ $(,)?) => {
        $(mod $name {
            use super::*;

            #[tokio::test]
            async fn a_retry_replays_the_original_answer() {
                a_retry_replays_the_original_answer_and_records_nothing_new($route).await;
            }

            #[tokio::test]
            async fn another_body_under_the_key_is_422() {
                another_request_under_the_key_is_refused_naming_the_header($route).await;
            }

            #[tokio::test]
            async fn another_caller_has_its_own_keys() {
                another_caller_with_the_same_key_gets_its_own_record($route).await;
            }

            #[tokio::test]
            async fn a_malformed_key_is_4xx_naming_the_header() {
                a_malformed_key_is_refused_naming_the_header($route).await;
            }

            #[tokio::test]
            async fn simultaneous_requests_create_one_record() {
                simultaneous_identical_requests_create_one_record($route).await;
            }
        })+
    };
}

every_route!(
    on_properties => Route::Properties,
    on_applications => Route::Applications,
    on_documents => Route::Documents,
    on_objections => Route::Objections,
    on_partner_signals => Route::PartnerSignals,
);

/// Files under the upload folder.
fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { files_under(&e.path()) } else { 1 }).sum()
}

#[tokio::test]
async fn a_replayed_upload_leaves_no_second_file_on_disk() {
    let c = case(Route::Documents).await;
    let dir = std::path::PathBuf::from(&c.app.settings["HUURTOEZICHT_UPLOAD_DIR"]);
    let key = "upload-plattegrond-1";
    let doc = created(c.send(&c.first, &c.a, Some(key)).await).await;
    assert_eq!(files_under(&dir), 1);
    for _ in 0..2 {
        let again = c.send(&c.first, &c.a, Some(key)).await;
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.json::<Value>().await.unwrap()["id"], doc["id"]);
    }
    // Another file under the key is refused, and its copy is removed too.
    refused_naming_the_header(c.send(&c.first, &c.b, Some(key)).await).await;
    assert_eq!(files_under(&dir), 1, "no file besides the recorded one");
    // The recorded file is the one served.
    let res = c.app.get(&format!("{}/{}", c.path, doc["id"].as_str().unwrap()), Some(&c.first)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
}

#[tokio::test]
async fn a_key_is_bound_to_its_route() {
    let c = case(Route::Applications).await;
    let key = "portal-request:0003";
    created(c.send(&c.first, &c.a, Some(key)).await).await;
    // The same caller, the same key, another create route.
    let res = c
        .app
        .client
        .post(c.app.url("/v1/properties"))
        .bearer_auth(&c.first)
        .header("idempotency-key", key)
        .json(&property_body("3011 AB", 20))
        .send()
        .await
        .unwrap();
    refused_naming_the_header(res).await;
}
