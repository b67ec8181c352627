//! `huurtoezicht demo` on a fresh database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is
//! set): it prints the accounts, a second run writes nothing, and a server on that database
//! answers the main lists with the demo's rows to the printed accounts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::Command;

use huurtoezicht::clock::Clock;
use huurtoezicht::config::Config;
use serde_json::{json, Value};

/// A fresh, empty database URL (as `tests/api/helpers.rs` makes one).
fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => format!("sqlite://{}", dir.join("demo.db").display()),
        Some(admin_url) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("htdemo_{}", uuid::Uuid::new_v4().simple());
            let mut conn = diesel::PgConnection::establish(&admin_url).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            format!("{base}/{name}")
        }
    }
}

fn run_demo(dir: &std::path::Path, database_url: &str) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"))
        .arg("demo")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("HUURTOEZICHT_MAIL_DIR", dir.join("mail"))
        .current_dir(dir)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

/// The password printed next to `email` on the demo's account list.
fn printed_password(stdout: &str, email: &str) -> String {
    let line = stdout.lines().find(|l| l.split_whitespace().nth(1) == Some(email)).unwrap_or_else(|| {
        panic!("{email} is not printed:\n{stdout}");
    });
    line.split_whitespace().nth(2).unwrap().to_string()
}

/// The number of rows on a list page: the answer's `items`, whatever else it holds.
fn items(page: &Value) -> usize {
    page["items"].as_array().map(Vec::len).unwrap_or_else(|| panic!("no items in {page}"))
}

/// A record's status (`status` on applications and licences alike).
fn status_of(v: &Value) -> &str {
    v["status"].as_str().unwrap_or_else(|| panic!("no status in {v}"))
}

struct Server {
    base: String,
    client: reqwest::Client,
}

impl Server {
    async fn start(dir: &std::path::Path, database_url: &str) -> Server {
        let settings: HashMap<String, String> = [
            ("HUURTOEZICHT_BIND", "127.0.0.1:0".to_string()),
            ("DATABASE_URL", database_url.to_string()),
            ("HUURTOEZICHT_JWT_SECRET", "demo-test-secret-that-is-long-enough-0123456789".into()),
            ("HUURTOEZICHT_MAIL_DIR", dir.join("mail").display().to_string()),
            ("HUURTOEZICHT_UPLOAD_DIR", dir.join("uploads").display().to_string()),
            ("HUURTOEZICHT_ATTACHMENT_DIR", dir.join("attachments").display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let config = Config::from_source(&settings).unwrap();
        let app = huurtoezicht::build(config, Clock::system()).await.unwrap();
        let base = format!("http://127.0.0.1:{}", app.port);
        tokio::spawn(app.server);
        Server { base, client: reqwest::Client::new() }
    }

    async fn token(&self, email: &str, password: &str) -> String {
        let res = self
            .client
            .post(format!("{}/v1/auth/token", self.base))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "log in as {email}");
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.unwrap()
    }
}

#[tokio::test]
async fn the_demo_fills_a_fresh_database_once_and_its_accounts_see_the_main_lists() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path());
    let (ok, first, err) = run_demo(dir.path(), &url);
    assert!(ok, "the demo runs: {err}");
    assert!(first.contains("Demo municipality Rotterdam (GM0599) written to"), "{first}");
    assert!(first.contains("Tracking code of the Dutch complaint"), "{first}");
    let (ok, second, err) = run_demo(dir.path(), &url);
    assert!(ok, "a second run does not fail: {err}");
    assert!(second.contains("The demo is already in this database"), "{second}");
    assert!(second.contains("nothing was written"), "{second}");

    let server = Server::start(dir.path(), &url).await;
    let officer = server
        .token("toezicht@gemeente.example", &printed_password(&first, "toezicht@gemeente.example"))
        .await;
    let properties = server.get("/v1/properties?limit=200", Some(&officer)).await;
    assert_eq!(items(&properties), 10, "the second run wrote no duplicates");
    let applications = server.get("/v1/licence-applications?limit=200", Some(&officer)).await;
    let mut states: Vec<&str> = applications["items"].as_array().unwrap().iter().map(status_of).collect();
    states.sort_unstable();
    assert_eq!(
        states,
        [
            "draft",
            "granted",
            "granted",
            "granted_with_conditions",
            "in_review",
            "incomplete",
            "not_considered",
            "refused",
            "submitted",
            "withdrawn"
        ],
        "an application in every state"
    );
    let licences = server.get("/v1/licences", Some(&officer)).await;
    assert_eq!(items(&licences), 3);
    assert!(licences["items"].as_array().unwrap().iter().any(|l| status_of(l) == "suspended"), "{licences}");
    let complaints = server.get("/v1/complaints?limit=200", Some(&officer)).await;
    let summaries = complaints["items"].as_array().unwrap();
    assert_eq!(summaries.iter().filter(|c| c["has_exploitation_signals"] == true).count(), 1, "{complaints}");
    let mut languages = Vec::new();
    for c in summaries {
        let full = server.get(&format!("/v1/complaints/{}", c["id"].as_str().unwrap()), Some(&officer)).await;
        languages
            .push(full["language"].as_str().unwrap_or_else(|| panic!("no language in {full}")).to_string());
    }
    languages.sort_unstable();
    assert_eq!(languages, ["bg", "en", "nl", "pl", "ro", "uk"]);
    let inspections = server.get("/v1/inspections", Some(&officer)).await;
    assert!(items(&inspections) >= 1);
    let employers = server.get("/v1/employers?q=flexwerk", Some(&officer)).await;
    assert_eq!(items(&employers), 1, "the staffing agency is recorded without an account: {employers}");
    assert_eq!(items(&server.get("/v1/intermediaries?q=snel", Some(&officer)).await), 1);
    // The lease found at the inspected address proposes GR-04, GR-06 and AM-01.
    let inspected = server.get("/v1/properties?limit=200", Some(&officer)).await;
    let mut proposed: Vec<String> = Vec::new();
    for p in inspected["items"].as_array().unwrap() {
        let leases =
            server.get(&format!("/v1/properties/{}/leases", p["id"].as_str().unwrap()), Some(&officer)).await;
        for l in leases["items"].as_array().unwrap() {
            for v in l["proposed_violations"].as_array().unwrap() {
                proposed.push(v["rule"].as_str().unwrap().to_string());
            }
        }
    }
    proposed.sort();
    assert_eq!(proposed, ["AM-01", "GR-04", "GR-06"], "the demo's lease");
    let cases = server.get("/v1/enforcement-cases", Some(&officer)).await;
    assert_eq!(items(&cases), 1, "{cases}");
    let register = server.get("/v1/register/licences?postcode=3011%20AB&house_number=10", None).await;
    assert_eq!(items(&register), 1, "{register}");

    let manager =
        server.token("manager@gemeente.example", &printed_password(&first, "manager@gemeente.example")).await;
    assert!(items(&server.get("/v1/audit", Some(&manager)).await) > 0);
    let landlord = "verhuur@maasstad-kamers.example";
    let company = server.token(landlord, &printed_password(&first, landlord)).await;
    assert_eq!(items(&server.get("/v1/properties?limit=200", Some(&company)).await), 8, "the company's own");
    let admin =
        server.token("beheer@gemeente.example", &printed_password(&first, "beheer@gemeente.example")).await;
    let letters = server.get("/v1/outbox?limit=200", Some(&admin)).await;
    assert!(items(&letters) >= 10, "the use cases queued their letters: {letters}");
    // The inspection found unregistered occupants: burgerzaken sees the signal in its queue, and
    // the statistics count the joint inspection.
    let burgerzaken = "burgerzaken@gemeente.example";
    let civil = server.token(burgerzaken, &printed_password(&first, burgerzaken)).await;
    let signals = server.get("/v1/registration-signals", Some(&civil)).await;
    assert_eq!(items(&signals), 1, "{signals}");
    assert_eq!(signals["items"][0]["persons"], 4, "{signals}");
    let stats = server.get("/v1/statistics/enforcement?group_by=year", Some(&manager)).await;
    let joint =
        stats["tables"].as_array().unwrap().iter().find(|t| t["name"] == "joint_inspections_by_partner");
    assert_eq!(joint.unwrap()["rows"][0]["partner"], "labour_inspectorate", "{stats}");
    for email in ["bibob@gemeente.example", "j.dekker@verhuurder.example"] {
        server.token(email, &printed_password(&first, email)).await;
    }

    // Every state change the demo made is in the event feed, of every kind of resource the demo
    // touches, with ids and states only: none of the demo's names, addresses, e-mail addresses or
    // complaint texts.
    let mut feed: Vec<Value> = Vec::new();
    let mut after = String::new();
    loop {
        let page = server.get(&format!("/v1/events?limit=500&after={after}"), Some(&manager)).await;
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        after = page["next_after"].as_str().unwrap().to_string();
        feed.extend(items);
    }
    let mut kinds: Vec<&str> =
        feed.iter().map(|e| e["type"].as_str().unwrap().split('.').next().unwrap()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["application", "complaint", "inspection", "licence", "sanction", "violation"]);
    let mut personal: Vec<String> = Vec::new();
    let mut collect = |v: &Value| {
        let mut stack = vec![v.clone()];
        while let Some(v) = stack.pop() {
            match v {
                Value::String(s) if s.len() >= 6 && (s.contains(' ') || s.contains('@')) => personal.push(s),
                Value::Array(a) => stack.extend(a),
                Value::Object(o) => stack.extend(o.into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    };
    for c in complaints["items"].as_array().unwrap() {
        collect(&server.get(&format!("/v1/complaints/{}", c["id"].as_str().unwrap()), Some(&officer)).await);
    }
    for family in ["landlords", "intermediaries", "employers"] {
        collect(&server.get(&format!("/v1/{family}?limit=200"), Some(&officer)).await);
    }
    assert!(personal.len() > 20, "the demo's personal data was collected: {personal:?}");
    let text = serde_json::to_string(&feed).unwrap();
    for p in &personal {
        assert!(!text.contains(p.as_str()), "the event feed holds {p:?}");
    }

    // The README's first steps, verbatim, against this server (CI also runs them in a fresh copy
    // with the server the README starts: scripts/first-steps).
    if which("curl") && which("python3") && which("bash") {
        let base = server.base.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("python3")
                .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/first-steps"))
                .args(["--against", &base])
                .output()
        })
        .await
        .unwrap()
        .unwrap();
        let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "the README's first steps fail:\n{said}");
        for step in [
            "\"floor_plan\"",
            "\"submitted\"",
            "\"in_review\"",
            "\"granted\"",
            "\"triaged\"",
            "== every README step worked",
        ] {
            assert!(said.contains(step), "{step} missing from:\n{said}");
        }
    } else {
        eprintln!("curl, bash or python3 is not installed: the README's first steps were not run");
    }
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}
