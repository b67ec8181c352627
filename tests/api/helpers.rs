//! `spawn_app()` and one helper per endpoint.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use huurtoezicht::clock::Clock;
use huurtoezicht::config::Config;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-0123456789";
pub const ADMIN_EMAIL: &str = "admin@gemeente.test";
pub const ADMIN_PASSWORD: &str = "beheerder-wachtwoord-zeer-geheim-42";
pub const PASSWORD: &str = "lantaarn-fiets-kompas-82";
pub const MUNICIPALITY: &str = "GM0599";

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub database_url: String,
    pub mail_dir: PathBuf,
    pub clock: Clock,
    pub settings: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

/// A fresh, empty database URL: a temp SQLite file, or a new database on the PostgreSQL server
/// named by `TEST_DATABASE_URL`.
pub fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => format!("sqlite://{}", dir.join("test.db").display()),
        Some(admin_url) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("ht_{}", uuid::Uuid::new_v4().simple());
            let mut conn =
                diesel::PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL must be reachable");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            format!("{base}/{name}")
        }
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(HashMap::new(), Clock::system()).await
}

pub async fn spawn_app_at(now: DateTime<Utc>) -> TestApp {
    spawn_app_with(HashMap::new(), Clock::fixed(now)).await
}

/// Starts the application with extra settings (environment-variable names) on a free port.
pub async fn spawn_app_with(extra: HashMap<String, String>, clock: Clock) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = extra.get("DATABASE_URL").cloned().unwrap_or_else(|| fresh_database_url(dir.path()));
    let mail_dir = dir.path().join("mail");
    let mut settings: HashMap<String, String> = [
        ("HUURTOEZICHT_BIND", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.clone()),
        ("HUURTOEZICHT_DB_POOL_SIZE", "4".into()),
        ("HUURTOEZICHT_JWT_SECRET", JWT_SECRET.into()),
        ("HUURTOEZICHT_MAIL_DIR", mail_dir.display().to_string()),
        ("HUURTOEZICHT_UPLOAD_DIR", dir.path().join("uploads").display().to_string()),
        ("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("attachments").display().to_string()),
        ("HUURTOEZICHT_OUTBOX_POLL_MS", "50".into()),
        ("HUURTOEZICHT_MUNICIPALITY_CODE", MUNICIPALITY.into()),
        ("HUURTOEZICHT_MUNICIPALITY_NAME", "Rotterdam".into()),
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
        // Every test calls from 127.0.0.1: per-source rate limits generous unless a test sets them.
        ("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST", "100000".into()),
        ("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_BURST", "100000".into()),
        ("HUURTOEZICHT_RATE_LIMIT_TOKEN_BURST", "100000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    settings.extend(extra);
    let config = Config::from_source(&settings).expect("test configuration is valid");
    let app = huurtoezicht::build(config, clock.clone()).await.expect("application starts");
    let port = app.port;
    tokio::spawn(app.server);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        database_url,
        mail_dir,
        clock,
        settings,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut r = self.client.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(reqwest::Method::POST, path, body, token).await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> Response {
        let mut r = self.client.request(method, self.url(path)).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let res = self.post("/v1/auth/token", &json!({"email": email, "password": password}), None).await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email} failed");
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token_for(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Registers a natural-person landlord; returns (account json, token).
    pub async fn register_landlord(&self, email: &str) -> (Value, String) {
        let res = self
            .post(
                "/v1/accounts/landlords",
                &json!({"email": email, "password": PASSWORD, "name": "Jan de Vries", "kind": "natural_person"}),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        let token = self.token_for(email, PASSWORD).await;
        (body, token)
    }

    /// Creates a staff account with the admin token; returns its token.
    pub async fn staff_token(&self, role: &str, email: &str, municipalities: &[&str]) -> String {
        let admin = self.admin_token().await;
        let res = self
            .post(
                "/v1/accounts",
                &json!({"email": email, "password": PASSWORD, "name": format!("{role} test"), "role": role,
                        "municipalities": municipalities}),
                Some(&admin),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
        self.token_for(email, PASSWORD).await
    }

    /// Creates an API client and returns its token.
    pub async fn client_token(&self, scopes: &[&str]) -> String {
        let admin = self.admin_token().await;
        let res = self
            .post(
                "/v1/api-clients",
                &json!({"name": "Portaal", "scopes": scopes, "municipality_code": MUNICIPALITY}),
                Some(&admin),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let c: Value = res.json().await.unwrap();
        let res = self
            .post(
                "/v1/auth/token",
                &json!({"grant_type": "client_credentials", "client_id": c["client_id"], "client_secret": c["client_secret"]}),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    /// `.eml` files written by the outbox worker when SMTP is off, waiting up to `secs`.
    pub async fn wait_for_mail(&self, count: usize, secs: u64) -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let mails = self.mails();
            if mails.len() >= count || std::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Waits up to `secs` for a mail whose (quoted-printable-unwrapped) text contains `needle`.
    pub async fn wait_for_mail_containing(&self, needle: &str, secs: u64) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            if let Some(m) =
                self.mails().into_iter().map(|m| m.replace("=\r\n", "")).find(|m| m.contains(needle))
            {
                return m;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no mail containing {needle:?}: {:#?}",
                self.mails()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub fn mails(&self) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(&self.mail_dir) else { return vec![] };
        let mut out: Vec<String> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        out.sort();
        out
    }
}

/// Asserts a problem+json response with the given status and type; returns the body.
pub async fn assert_problem(res: Response, status: u16, kind: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status");
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["type"], kind, "{body}");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}

/// Signs a token with the test secret, for role-matrix and forged-token tests.
pub fn make_token(
    role: &str,
    sub: &str,
    municipalities: &[&str],
    exp_in_secs: i64,
    aud: &str,
    secret: &str,
) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({
        "iss": "huurtoezicht", "aud": aud, "sub": sub, "iat": now, "exp": now + exp_in_secs,
        "jti": uuid::Uuid::new_v4().to_string(), "role": role, "municipalities": municipalities,
        "scopes": ["applications:write", "complaints:write", "register:read"],
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// A valid token for `role` in the test municipality (the subject need not exist).
pub fn role_token(role: &str) -> String {
    make_token(role, &uuid::Uuid::new_v4().to_string(), &[MUNICIPALITY], 600, "huurtoezicht-api", JWT_SECRET)
}

pub const ALL_ROLES: [&str; 6] = ["landlord", "officer", "bibob_officer", "manager", "admin", "api_client"];

/// Calls `method path` with a token of every role: roles outside `allowed` must get 403, roles
/// inside must get past the guard (anything but 401/403).
pub async fn assert_role_matrix(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: &Value,
    allowed: &[&str],
) {
    for role in ALL_ROLES {
        let res = app.send(method.clone(), path, body, Some(&role_token(role))).await;
        let status = res.status().as_u16();
        if allowed.contains(&role) {
            assert!(
                status != 401 && status != 403,
                "{role} should pass the guard of {method} {path}, got {status}"
            );
        } else {
            assert_eq!(status, 403, "{role} must be refused by {method} {path}");
        }
    }
}

/// A property body: 60 m², two bedrooms of 9 m² and 7 m², a living room, one toilet, one
/// shower, one kitchen, one washing machine.
pub fn property_body(postcode: &str, house_number: u32) -> Value {
    json!({
        "address": {"postcode": postcode, "house_number": house_number}, "kind": "rooms_let_separately",
        "bag_id": "0599010000123456", "usable_floor_area_m2": 60.0,
        "rooms": [
            {"label": "kamer 1", "area_m2": 9.0, "sleeping_room": true},
            {"label": "kamer 2", "area_m2": 7.0, "sleeping_room": true},
            {"label": "woonkamer", "area_m2": 20.0, "sleeping_room": false}
        ],
        "facilities": {"toilets": 1, "showers": 1, "kitchens": 1, "cooking_points": 4, "washing_machines": 1}
    })
}

impl TestApp {
    /// Records a property with `token`; returns its JSON.
    pub async fn create_property(&self, token: &str, body: &Value) -> Value {
        let res = self.post("/v1/properties", body, Some(token)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
        res.json().await.unwrap()
    }

    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(reqwest::Method::PATCH, path, body, token).await
    }

    pub async fn put(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        self.send(reqwest::Method::PUT, path, body, token).await
    }
}

/// A token for a landlord account (real-time expiry, so it also works with a fixed app clock).
pub fn landlord_token(landlord_id: &str) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({
        "iss": "huurtoezicht", "aud": "huurtoezicht-api", "sub": uuid::Uuid::new_v4().to_string(),
        "iat": now, "exp": now + 600, "jti": uuid::Uuid::new_v4().to_string(), "role": "landlord",
        "municipalities": [], "landlord_id": landlord_id,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap()
}

impl TestApp {
    /// Registers a landlord (no token needed) and returns its landlord id.
    pub async fn landlord_id(&self, email: &str) -> String {
        let res = self
            .post(
                "/v1/accounts/landlords",
                &json!({"email": email, "password": PASSWORD, "name": "Verhuur BV", "kind": "legal_entity",
                        "kvk_number": "12345678"}),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.unwrap()["landlord"]["id"].as_str().unwrap().to_string()
    }
}
