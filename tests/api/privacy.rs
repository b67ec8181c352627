//! The privacy test: a reporter's personal data are gone from every place the server wrote them
//! once the retention job has erased the complaint — the server log, the SQLite database file
//! and its `-wal`/`-shm` files, the mail folder (`.eml` copies of the file transport), the
//! attachment and upload folders. The server runs as its own process (the release binary's
//! logging set-up, `RUST_LOG=debug`) with everything it writes under one temporary folder, and
//! that whole folder is searched byte by byte. On PostgreSQL the database files live on the
//! server and are not searched (dead tuples stay until VACUUM: docs/reliability.md); the live rows
//! of every table, the log and the folders still are.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::complaints::b64;
use crate::helpers::*;

/// The server binary on a free port; its output goes to `server.log` next to its files.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings(dir: &Path, database_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", database_url.to_string()),
        ("HUURTOEZICHT_DB_POOL_SIZE", "4".into()),
        ("HUURTOEZICHT_JWT_SECRET", JWT_SECRET.into()),
        ("HUURTOEZICHT_MAIL_DIR", dir.join("mail").display().to_string()),
        ("HUURTOEZICHT_UPLOAD_DIR", dir.join("uploads").display().to_string()),
        ("HUURTOEZICHT_ATTACHMENT_DIR", dir.join("attachments").display().to_string()),
        ("HUURTOEZICHT_OUTBOX_POLL_MS", "50".into()),
        ("HUURTOEZICHT_MUNICIPALITY_CODE", MUNICIPALITY.into()),
        ("HUURTOEZICHT_MUNICIPALITY_NAME", "Rotterdam".into()),
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.into()),
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
        ("RUST_LOG", "debug".into()),
    ]
}

/// Starts the binary; another process may take the free port first, then it tries again.
async fn start(dir: &Path, database_url: &str) -> Server {
    let log = dir.join("server.log");
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"))
            .envs(settings(dir, database_url))
            .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
            .current_dir(dir)
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut server = Server { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            let probe = uuid::Uuid::new_v4().simple().to_string();
            let answered = reqwest::Client::new()
                // Not /health: probes are logged at DEBUG only.
                .get(format!("{}/v1/complaint-categories", server.base))
                .header("x-request-id", &probe)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            tokio::time::sleep(Duration::from_millis(100)).await;
            // The port answers from this server only when its log shows our request id.
            if answered && std::fs::read_to_string(&log).unwrap_or_default().contains(&probe) {
                return server;
            }
        }
        drop(server);
    }
    panic!("the server did not start: {}", std::fs::read_to_string(&log).unwrap_or_default());
}

async fn call(
    method: reqwest::Method,
    url: String,
    body: &Value,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new().request(method, url).json(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let res = r.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

impl Server {
    async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Value {
        let (status, v) = call(reqwest::Method::POST, format!("{}{path}", self.base), &body, token).await;
        assert!(status.is_success(), "POST {path}: {status} {v}");
        v
    }

    async fn token(&self, email: &str, password: &str) -> String {
        let v = self.post("/v1/auth/token", json!({"email": email, "password": password}), None).await;
        v["access_token"].as_str().unwrap().to_string()
    }
}

/// A one-page PDF whose page shows `text` (an attachment is the reporter's own material).
fn pdf_showing(text: &str) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, format!("BT ({text}) Tj ET").into_bytes()));
    let page = doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content});
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1}),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Every file under `dir` (recursively) with the canaries it contains.
fn findings(dir: &Path, canaries: &[String]) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(Result::ok) {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            let found: Vec<String> = canaries
                .iter()
                .filter(|c| bytes.windows(c.len()).any(|w| w == c.as_bytes()))
                .cloned()
                .collect();
            out.push((path, found));
        }
    }
    out.sort();
    out
}

fn files_with(dir: &Path, canaries: &[String], name_part: &str) -> Vec<PathBuf> {
    findings(dir, canaries)
        .into_iter()
        .filter(|(p, found)| !found.is_empty() && p.to_string_lossy().contains(name_part))
        .map(|(p, _)| p)
        .collect()
}

/// Waits until every outbox message has been sent (the `.eml` copies are all written).
async fn wait_until_all_mail_sent(database_url: &str) {
    use diesel::prelude::*;
    use huurtoezicht::db::schema::outbox;
    let db =
        huurtoezicht::db::Db::connect(&huurtoezicht::config::DatabaseUrl::parse(database_url).unwrap(), 1)
            .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (all, unsent) = {
            let mut c = db.get().unwrap();
            let all: i64 = outbox::table.count().get_result(&mut *c).unwrap();
            let unsent: i64 =
                outbox::table.filter(outbox::sent_at.is_null()).count().get_result(&mut *c).unwrap();
            (all, unsent)
        };
        if all > 0 && unsent == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{unsent} of {all} mails still unsent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// PostgreSQL: the live rows of every table that contain a canary (`table: canary`). Dead tuples
/// and the server's files are out of reach here.
fn postgres_rows_with(database_url: &str, canaries: &[String]) -> Vec<String> {
    use diesel::sql_types::{BigInt, Text};
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut c = diesel::PgConnection::establish(database_url).unwrap();
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .load(&mut c)
    .unwrap();
    let mut out = Vec::new();
    for t in &tables {
        for canary in canaries {
            let q = format!("SELECT count(*) AS n FROM \"{}\" AS r WHERE strpos(r::text, $1) > 0", t.name);
            let hits: Vec<Count> = diesel::sql_query(q).bind::<Text, _>(canary).load(&mut c).unwrap();
            if hits.first().is_some_and(|h| h.n > 0) {
                out.push(format!("{}: {canary}", t.name));
            }
        }
    }
    assert!(tables.iter().any(|t| t.name == "complaints"), "no tables searched");
    out
}

#[tokio::test]
async fn after_retention_no_file_the_server_wrote_holds_the_reporters_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path());
    let server = start(dir.path(), &database_url).await;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let email = format!("privacy-canary-{tag}@example.nl");
    let name = format!("Kanarie{}", &tag[..12]);
    let phone = format!("+31 6 {}", &tag[..8].bytes().map(|b| char::from(b'0' + b % 10)).collect::<String>());
    // Long enough for an overflow page, which the erasure frees: freed pages must be zeroed.
    let description = format!("Schimmel en dreiging {} canary-description-{tag}", "vocht ".repeat(800));
    let location = format!("achterhuis canary-location-{tag}");
    let message = format!("Aanvulling canary-message-{tag}");
    let shared = format!("gedeeld canary-shared-{tag}");
    let attachment = format!("canary-attachment-{tag}");
    let mistyped = format!("privacy-canary-{tag}.example.nl");
    let canaries: Vec<String> = vec![
        email.clone(),
        name.clone(),
        phone.clone(),
        format!("canary-description-{tag}"),
        location.clone(),
        message.clone(),
        shared.clone(),
        attachment.clone(),
        mistyped.clone(),
    ];

    // A refused submission (a mistyped address) leaves nothing either, not even in the log.
    let (status, _) = call(
        reqwest::Method::POST,
        format!("{}/v1/complaints", server.base),
        &json!({"category": "intimidation", "language": "nl", "description": description,
                "contact": {"name": name, "email": mistyped, "consent_to_contact": true}}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The reporter files a complaint with contact details, free text and a document.
    let filed = server
        .post(
            "/v1/complaints",
            json!({
                "category": "intimidation", "language": "nl", "description": description,
                "address": {"postcode": "3011 AB", "house_number": 12},
                "location_description": location,
                "contact": {"name": name, "email": email, "phone": phone, "consent_to_contact": true},
                "attachments": [{"file_name": "brief.pdf", "content_base64": b64(&pdf_showing(&attachment))}],
            }),
            None,
        )
        .await;
    let id = filed["id"].as_str().unwrap().to_string();
    let code = filed["tracking_code"].as_str().unwrap().replace(' ', "%20");

    // An officer handles it; the reporter adds a message with the code; it is referred.
    let admin = server.token(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let officer_email = format!("o{tag}@gemeente.test");
    server
        .post(
            "/v1/accounts",
            json!({"email": officer_email, "password": PASSWORD, "name": "Toezichthouder", "role": "officer",
                   "municipalities": [MUNICIPALITY]}),
            Some(&admin),
        )
        .await;
    let officer = server.token(&officer_email, PASSWORD).await;
    let step = |action: &str| json!({"action": action, "reason": "beoordeeld"});
    server.post(&format!("/v1/complaints/{id}/transitions"), step("triage"), Some(&officer)).await;
    server
        .post(
            &format!("/v1/complaints/{id}/messages"),
            json!({"kind": "message", "text": format!("Beste {name}, wij gaan kijken.")}),
            Some(&officer),
        )
        .await;
    server.post(&format!("/v1/complaints/track/{code}/messages"), json!({"text": message}), None).await;
    server
        .post(
            &format!("/v1/complaints/{id}/referrals"),
            json!({"partner": "housing_corporation", "referred_on": chrono::Utc::now().date_naive(),
                   "shared_data": shared, "legal_basis": "MP-05"}),
            Some(&officer),
        )
        .await;
    // Referred and not kept for a case: the data are due for deletion today (MP-08).
    let referred =
        server.post(&format!("/v1/complaints/{id}/transitions"), step("refer"), Some(&officer)).await;
    assert!(referred["retention"]["personal_data_due_on"].is_string(), "{referred}");
    wait_until_all_mail_sent(&database_url).await;

    // Before the run the data are there, so the search below can find them.
    assert!(!files_with(dir.path(), &canaries, "mail").is_empty(), "no mail to the reporter was written");
    assert!(!files_with(dir.path(), &canaries, "attachments").is_empty(), "the attachment is missing");
    if is_postgres() {
        assert!(!postgres_rows_with(&database_url, &canaries).is_empty(), "the database holds no canary");
    } else {
        assert!(!files_with(dir.path(), &canaries, "test.db").is_empty(), "the database holds no canary");
    }

    let run = server.post("/v1/jobs/retention/run", json!({}), Some(&admin)).await;
    assert_eq!(run["erased"], 1, "{run}");
    // A few outbox polls: nothing of the reporter's is sent after the erasure.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let searched_while_running = findings(dir.path(), &canaries);
    drop(server);
    let searched_after_stop = findings(dir.path(), &canaries);

    let names: Vec<String> = searched_while_running
        .iter()
        .map(|(p, _)| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert!(names.contains(&"server.log".to_string()), "{names:?}");
    if is_postgres() {
        eprintln!("PostgreSQL: the database files are on the server and not searched here");
        let rows = postgres_rows_with(&database_url, &canaries);
        assert!(rows.is_empty(), "live rows still hold personal data: {rows:#?}");
    } else {
        assert!(names.iter().any(|n| n.ends_with("test.db-wal")), "the WAL was not searched: {names:?}");
    }
    for (when, searched) in
        [("while running", searched_while_running), ("after stopping", searched_after_stop)]
    {
        let leaks: Vec<_> = searched.into_iter().filter(|(_, found)| !found.is_empty()).collect();
        assert!(leaks.is_empty(), "personal data left {when} after the retention run: {leaks:#?}");
    }
}
