//! Webhooks: subscriptions, signed deliveries to a real HTTP receiver started by the test, order
//! per subject, retries, dead letters, pausing, redelivery, the SSRF refusal, access, and two
//! instances on one PostgreSQL database.

mod delivery;
mod subscriptions;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use huurtoezicht::clock::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// A small HTTP server recording every request; answers `status` after `delay_ms`.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub status: Arc<AtomicU16>,
    pub delay_ms: Arc<AtomicU64>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(200));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (g, s, d) = (got.clone(), status.clone(), delay_ms.clone());
        let server = HttpServer::new(move || {
            let (g, s, d) = (g.clone(), s.clone(), d.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (g, s, d) = (g.clone(), s.clone(), d.clone());
                async move {
                    let wait = d.load(Ordering::SeqCst);
                    if wait > 0 {
                        tokio::time::sleep(Duration::from_millis(wait)).await;
                    }
                    let headers = req
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                        .collect();
                    g.lock().unwrap().push(Received { headers, body: String::from_utf8_lossy(&body).into() });
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap(),
                    )
                    .finish()
                }
            }))
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hooks"), got, status, delay_ms }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits up to `secs` until `ok` holds for what was received.
    pub async fn wait_until(&self, secs: u64, ok: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.received();
            if ok(&got) {
                return got;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the receiver did not get what was expected: {got:#?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The settings of a test that delivers to the local receiver (http on 127.0.0.1).
pub fn delivering(extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut s: HashMap<String, String> = [
        ("HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE", "true"),
        ("HUURTOEZICHT_WEBHOOK_POLL_MS", "20"),
        ("HUURTOEZICHT_WEBHOOK_KEY", "a-webhook-key-for-the-tests-0123456789"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    s.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    s
}

pub async fn app_with(settings: HashMap<String, String>) -> TestApp {
    spawn_app_with(settings, Clock::system()).await
}

/// Creates a subscription with `token`; returns (subscription id, secret).
pub async fn subscribe(app: &TestApp, token: &str, url: &str, types: &[&str]) -> (String, String) {
    let res = app
        .post("/v1/webhook-subscriptions", &json!({"callback_url": url, "event_types": types}), Some(token))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    (body["subscription"]["id"].as_str().unwrap().to_string(), body["secret"].as_str().unwrap().to_string())
}

/// Files a complaint with distinctive personal data; returns its id.
pub async fn complaint_with_personal_data(app: &TestApp) -> String {
    let res = app
        .post(
            "/v1/complaints",
            &json!({
                "category": "intimidation", "language": "nl",
                "description": "Verhuurder Gerrit Zeldzaamhuis dreigt ons eruit te zetten",
                "address": {"postcode": "3011 AB", "house_number": 12},
                "contact": {"name": "Marieke Onvindbaar", "email": "marieke.onvindbaar@voorbeeld.nl",
                            "phone": "0612345678", "consent_to_contact": true},
            }),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

pub const PERSONAL_DATA: [&str; 5] =
    ["Zeldzaamhuis", "Onvindbaar", "marieke.onvindbaar", "0612345678", "dreigt ons eruit"];

/// An officer token of the test municipality.
pub async fn officer(app: &TestApp) -> String {
    app.staff_token("officer", &format!("o{}@gemeente.test", uuid::Uuid::new_v4().simple()), &[MUNICIPALITY])
        .await
}
