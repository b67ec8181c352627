//! Webhook delivery throughput (issue 16): the release binary delivers a backlog of events to a
//! local receiver that checks each signature, as a portal would.
//!
//! Set-up goes through the API as a portal's would: the bootstrap admin creates an API client
//! with `webhooks:manage`, the client subscribes `http://127.0.0.1:{port}/hook` (allowed with
//! `HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE=true`, development only). Then `LOADTEST_WEBHOOK_EVENTS`
//! complaint status changes, each of its own complaint, are written into the event table in one
//! statement (what the unit of work writes, minus the changes themselves), and the clock runs
//! from that commit until the receiver has every event (*received*) and until the server has
//! recorded every delivery as delivered (*recorded*: the delivery log is complete).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{procfs, seed_sql, server, Run};

const MUNICIPALITY: &str = "GM0599";

/// What the webhook scenario measured.
#[derive(Clone, Debug)]
pub struct Throughput {
    pub events: u64,
    pub concurrency: String,
    /// Events per second until the receiver had them all.
    pub received_per_sec: f64,
    /// Events per second until every delivery was recorded as delivered.
    pub recorded_per_sec: f64,
    /// Deliveries whose signature did not verify, and copies of a delivery already received.
    pub bad_signatures: u64,
    pub duplicates: u64,
    /// Server CPU per delivered event.
    pub api_cpu_ms: f64,
}

/// What the receiver saw.
#[derive(Default)]
struct Seen {
    ids: Mutex<HashSet<String>>,
    received: AtomicU64,
    duplicates: AtomicU64,
    bad_signatures: AtomicU64,
    key: Mutex<Vec<u8>>,
}

type HmacSha256 = Hmac<Sha256>;

impl Seen {
    fn verify(&self, req: &HttpRequest, body: &[u8]) -> bool {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        let (id, ts, sig) = (header("webhook-id"), header("webhook-timestamp"), header("webhook-signature"));
        let key = self.key.lock().map(|k| k.clone()).unwrap_or_default();
        let Ok(mut mac) = HmacSha256::new_from_slice(&key) else { return false };
        mac.update(format!("{id}.{ts}.").as_bytes());
        mac.update(body);
        let expected =
            format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
        !id.is_empty() && sig.split(' ').any(|s| s == expected)
    }
}

async fn hook(seen: web::Data<Seen>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if !seen.verify(&req, &body) {
        seen.bad_signatures.fetch_add(1, Ordering::Relaxed);
        return HttpResponse::Unauthorized().finish();
    }
    let id = req.headers().get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let fresh = seen.ids.lock().map(|mut ids| ids.insert(id)).unwrap_or(false);
    if fresh {
        seen.received.fetch_add(1, Ordering::Relaxed);
    } else {
        seen.duplicates.fetch_add(1, Ordering::Relaxed);
    }
    HttpResponse::NoContent().finish()
}

/// The receiver: an actix-web server on its own thread; stopped when dropped.
struct Receiver {
    url: String,
    seen: web::Data<Seen>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    fn start() -> Result<Receiver, String> {
        let seen = web::Data::new(Seen::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let data = seen.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new().app_data(data.clone()).route("/hook", web::post().to(hook))
                })
                .workers(1)
                .bind(("127.0.0.1", 0));
                let server = match server {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = tx.send(Err(format!("receiver: {e}")));
                        return;
                    }
                };
                let port = server.addrs().first().map(|a| a.port()).unwrap_or(0);
                let running = server.run();
                let _ = tx.send(Ok((port, running.handle())));
                let _ = running.await;
            });
        });
        let (port, handle) =
            rx.recv_timeout(Duration::from_secs(10)).map_err(|e| format!("receiver: {e}"))??;
        Ok(Receiver { url: format!("http://127.0.0.1:{port}/hook"), seen, handle })
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
    }
}

/// The application's API, on one keep-alive client (also for the polls while delivering).
struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        path: &str,
        token: Option<&str>,
    ) -> Result<Value, String> {
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        let res = req.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = res.status();
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!("{path} answered {status}: {answer}"));
        }
        Ok(answer)
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Result<Value, String> {
        self.send(self.client.post(format!("{}{path}", self.base)).json(&body), path, token).await
    }

    async fn get(&self, path: &str, token: &str) -> Result<Value, String> {
        self.send(self.client.get(format!("{}{path}", self.base)), path, Some(token)).await
    }

    /// The subscription, set up as a portal would; its id, the client's token and the signing key.
    async fn subscribe(&self, callback: &str) -> Result<(String, String, Vec<u8>), String> {
        let login = json!({"email": server::ADMIN_EMAIL, "password": server::ADMIN_PASSWORD});
        let admin = self.post("/v1/auth/token", None, login).await?;
        let admin = admin["access_token"].as_str().ok_or("no admin token")?.to_string();
        let client = json!({"name": "Loadtest portal", "scopes": ["webhooks:manage"], "municipalities": [MUNICIPALITY]});
        let created = self.post("/v1/api-clients", Some(&admin), client).await?;
        let (Some(id), Some(secret)) = (created["client_id"].as_str(), created["client_secret"].as_str())
        else {
            return Err(format!("unexpected API client answer: {created}"));
        };
        let grant = json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret});
        let token = self.post("/v1/auth/token", None, grant).await?;
        let token = token["access_token"].as_str().ok_or("no client token")?.to_string();
        let wanted = json!({"callback_url": callback, "event_types": ["complaint.status_changed"], "description": "loadtest"});
        let sub = self.post("/v1/webhook-subscriptions", Some(&token), wanted).await?;
        let sub_id = sub["subscription"]["id"].as_str().ok_or("no subscription id")?.to_string();
        let secret =
            sub["secret"].as_str().and_then(|s| s.strip_prefix("whsec_")).ok_or("no whsec_ secret")?;
        let key =
            base64::engine::general_purpose::STANDARD.decode(secret).map_err(|e| format!("secret: {e}"))?;
        Ok((sub_id, token, key))
    }

    /// Whether the subscription has no pending delivery left.
    async fn none_pending(&self, token: &str, sub: &str) -> Result<bool, String> {
        let page = self
            .get(&format!("/v1/webhook-subscriptions/{sub}/deliveries?state=pending&limit=1"), token)
            .await?;
        Ok(page["items"].as_array().is_some_and(|i| i.is_empty()))
    }
}

/// The scenario.
pub fn measure(run: &mut Run) -> Result<Throughput, String> {
    let events: u64 = crate::env_num("LOADTEST_WEBHOOK_EVENTS", 20_000);
    let concurrency =
        std::env::var("HUURTOEZICHT_WEBHOOK_CONCURRENCY").unwrap_or_else(|_| "64 (default)".into());
    let receiver = Receiver::start()?;
    let db = run.fresh_database("webhooks");
    let app = server::start_app(
        &run.rt,
        &run.bin_dir,
        &run.work,
        &db.url,
        &[("HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE", "true"), ("HUURTOEZICHT_MUNICIPALITY_CODE", MUNICIPALITY)],
    )?;
    let api = Api { client: reqwest::Client::new(), base: app.base.clone() };
    let (sub, token, key) = run.rt.block_on(api.subscribe(&receiver.url))?;
    if let Ok(mut k) = receiver.seen.key.lock() {
        *k = key;
    }
    // After the subscription was created: it receives only later events.
    std::thread::sleep(Duration::from_millis(1100));
    let occurred = chrono::Utc::now().naive_utc().format("%Y-%m-%d %H:%M:%S%.6f");
    let sql = format!(
        "INSERT INTO events (event_type, occurred_at, municipality_code, subject_kind, subject_id, data) \
         {} SELECT 'complaint.status_changed', '{occurred}', '{MUNICIPALITY}', 'complaint', \
         'load-c-' || i, '{{\"id\":\"load-c-' || i || '\",\"status\":\"triaged\",\"previous_status\":\"received\"}}' FROM s",
        seed_sql::series(0, events)
    );
    let before = procfs::Sample::take(app.pid, run.db_dir());
    let started = Instant::now();
    db.exec(&sql)?;
    eprintln!("loadtest: webhooks: {events} events written; delivering…");
    let deadline = started + Duration::from_secs(600);
    let mut received_at = None;
    loop {
        let got = receiver.seen.received.load(Ordering::Relaxed);
        if received_at.is_none() && got >= events {
            received_at = Some(started.elapsed());
        }
        if received_at.is_some() && run.rt.block_on(api.none_pending(&token, &sub))? {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("webhooks: {got} of {events} events received after 600 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let recorded_at = started.elapsed();
    let cost = procfs::per_request(before, procfs::Sample::take(app.pid, run.db_dir()), events, run.ticks);
    let received = received_at.unwrap_or(recorded_at);
    let t = Throughput {
        events,
        concurrency,
        received_per_sec: events as f64 / received.as_secs_f64(),
        recorded_per_sec: events as f64 / recorded_at.as_secs_f64(),
        bad_signatures: receiver.seen.bad_signatures.load(Ordering::Relaxed),
        duplicates: receiver.seen.duplicates.load(Ordering::Relaxed),
        api_cpu_ms: cost.api_cpu_ms,
    };
    eprintln!(
        "loadtest: webhooks: {:.0} events/s received, {:.0}/s recorded ({} bad signatures, {} duplicates)",
        t.received_per_sec, t.recorded_per_sec, t.bad_signatures, t.duplicates
    );
    run.release(app, &db);
    drop(receiver);
    Ok(t)
}
