//! Crash test: the real server binary under write load (concurrent clients filing complaints and
//! registering landlords), killed with SIGKILL several times and restarted on the same database.
//! Afterwards every record whose creation was acknowledged (a 2xx answer) must be there, with
//! its audit row. Runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set
//! (`scripts/with-postgres cargo test --test crash`).
//!
//! Bounds (environment): `CRASH_ROUNDS` kills (default 3), `CRASH_WRITERS` concurrent clients
//! (default 4), `CRASH_LOAD_MS` of load before each kill (default 1500).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "api/helpers.rs"]
mod helpers;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use helpers::{fresh_database_url, ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, MUNICIPALITY, PASSWORD};
use serde_json::{json, Value};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What the server acknowledged: complaint ids and landlord ids answered with a 2xx.
#[derive(Default)]
struct Acknowledged {
    complaints: Vec<String>,
    landlords: Vec<String>,
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts the binary on a free port and waits until `/health` answers.
    async fn start(database_url: &str, dir: &Path, round: u64) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = std::fs::File::create(dir.join(format!("server-{round}.log"))).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"))
            .arg("serve")
            .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("HUURTOEZICHT_DB_POOL_SIZE", "8")
            .env("HUURTOEZICHT_JWT_SECRET", JWT_SECRET)
            .env("HUURTOEZICHT_MAIL_DIR", dir.join("mail"))
            .env("HUURTOEZICHT_UPLOAD_DIR", dir.join("uploads"))
            .env("HUURTOEZICHT_ATTACHMENT_DIR", dir.join("attachments"))
            .env("HUURTOEZICHT_MUNICIPALITY_CODE", MUNICIPALITY)
            .env("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
            // The load comes from one address: lift the per-source limits of the public routes.
            .env("HUURTOEZICHT_RATE_LIMIT_INTAKE_PER_MINUTE", "1000000")
            .env("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST", "1000000")
            .env("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_PER_MINUTE", "1000000")
            .env("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_BURST", "1000000")
            .env("HUURTOEZICHT_RATE_LIMIT_TOKEN_PER_MINUTE", "1000000")
            .env("HUURTOEZICHT_RATE_LIMIT_TOKEN_BURST", "1000000")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the huurtoezicht binary starts");
        let mut server = Server { child, base: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("the server exited at start with {status}; see {}", dir.display());
            }
            let up = client.get(format!("{}/health", server.base)).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            assert!(Instant::now() < deadline, "the server did not answer /health within 60 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown handler runs.
    fn kill(self) {
        drop(self);
    }
}

/// A failing assertion must not leave a server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn complaint_body(n: u64) -> Value {
    json!({
        "address": {"postcode": "3011 AB", "house_number": 1 + n % 500}, "category": "intimidation",
        "language": "nl", "anonymity": "fully_anonymous", "attachments": [], "exploitation_signals": [],
        "description": format!("Melding {n}: de verhuurder dreigt de huurders."),
    })
}

/// One client: files complaints, and every third request registers a landlord, until `stop`.
/// Only 2xx answers count; a refused connection or a cut-off answer is not acknowledged.
async fn writer(base: String, id: u64, stop: Arc<AtomicBool>, acked: Arc<Mutex<Acknowledged>>) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let register = n % 3 == 0;
        let request = if register {
            let email = format!("verhuurder-{id}-{n}-{}@example.nl", uuid::Uuid::new_v4().simple());
            client.post(format!("{base}/v1/accounts/landlords")).json(
                &json!({"email": email, "password": PASSWORD, "name": "Jan de Vries", "kind": "natural_person"}),
            )
        } else {
            client.post(format!("{base}/v1/complaints")).json(&complaint_body(id * 100_000 + n))
        };
        let Ok(res) = request.send().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if !res.status().is_success() {
            assert!(
                res.status().is_server_error() || res.status().as_u16() == 429,
                "the load itself is valid; got {}: {}",
                res.status(),
                res.text().await.unwrap_or_default()
            );
            continue;
        }
        let Ok(body) = res.json::<Value>().await else { continue };
        let mut acked = acked.lock().unwrap();
        if register {
            acked.landlords.push(body["landlord"]["id"].as_str().unwrap().to_string());
        } else {
            acked.complaints.push(body["id"].as_str().unwrap().to_string());
        }
    }
}

/// Every `entity_id` of `entity_type` in the audit trail, read page by page as the admin.
async fn audited(client: &reqwest::Client, base: &str, token: &str, entity_type: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/v1/audit?entity_type={entity_type}&limit=200");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let res = client.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 200, "the audit trail answers");
        let page: Value = res.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            ids.insert(item["entity_id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return ids,
        }
    }
}

async fn token(client: &reqwest::Client, base: &str, body: Value) -> String {
    let res = client.post(format!("{base}/v1/auth/token")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200, "login: {}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_repeated_sigkill_with_their_audit_rows() {
    let rounds = setting("CRASH_ROUNDS", 3);
    let writers = setting("CRASH_WRITERS", 4);
    let load = Duration::from_millis(setting("CRASH_LOAD_MS", 1500));
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path());
    let acked = Arc::new(Mutex::new(Acknowledged::default()));

    for round in 0..rounds {
        let server = Server::start(&database_url, dir.path(), round).await;
        let stop = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = (0..writers)
            .map(|w| tokio::spawn(writer(server.base.clone(), round * 100 + w, stop.clone(), acked.clone())))
            .collect();
        tokio::time::sleep(load).await;
        // Killed while the writers are still sending: some requests die mid-transaction.
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.await.unwrap();
        }
    }

    let server = Server::start(&database_url, dir.path(), rounds).await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let admin = token(&client, &base, json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).await;
    let res = client
        .post(format!("{base}/v1/accounts"))
        .bearer_auth(&admin)
        .json(&json!({"email": "toezicht@gemeente.test", "password": PASSWORD, "name": "Toezicht",
                      "role": "officer", "municipalities": [MUNICIPALITY]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let officer =
        token(&client, &base, json!({"email": "toezicht@gemeente.test", "password": PASSWORD})).await;

    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(
        !acked.complaints.is_empty() && !acked.landlords.is_empty(),
        "the load must have written something ({} complaints, {} landlords acknowledged)",
        acked.complaints.len(),
        acked.landlords.len()
    );
    let complaint_audit = audited(&client, &base, &admin, "complaint").await;
    let landlord_audit = audited(&client, &base, &admin, "landlord").await;
    let mut lost = Vec::new();
    for id in &acked.complaints {
        let res =
            client.get(format!("{base}/v1/complaints/{id}")).bearer_auth(&officer).send().await.unwrap();
        if res.status() != 200 {
            lost.push(format!("complaint {id}: GET answered {}", res.status()));
        }
        if !complaint_audit.contains(id) {
            lost.push(format!("complaint {id}: no audit row"));
        }
    }
    for id in &acked.landlords {
        let res = client
            .get(format!("{base}/v1/landlords/{id}/history"))
            .bearer_auth(&officer)
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            lost.push(format!("landlord {id}: history answered {}", res.status()));
        }
        if !landlord_audit.contains(id) {
            lost.push(format!("landlord {id}: no audit row"));
        }
    }
    // The officer's read is a real check: an id that was never written is not found.
    let unknown = uuid::Uuid::new_v4();
    let res =
        client.get(format!("{base}/v1/complaints/{unknown}")).bearer_auth(&officer).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = client
        .get(format!("{base}/v1/landlords/{unknown}/history"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let ready = client.get(format!("{base}/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200, "ready after {rounds} crashes");
    server.kill();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged records lost after {rounds} SIGKILLs:\n{}",
        lost.len(),
        acked.complaints.len() + acked.landlords.len(),
        lost.join("\n")
    );
    eprintln!(
        "crash test: {} complaints and {} landlords acknowledged over {rounds} SIGKILLs, none lost",
        acked.complaints.len(),
        acked.landlords.len()
    );
}
