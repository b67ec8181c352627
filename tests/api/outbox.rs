//! Outgoing mail goes through the transactional outbox and is delivered exactly once.

use std::collections::HashMap;
use std::time::Duration;

use huurtoezicht::clock::Clock;

use crate::helpers::*;

#[tokio::test]
async fn without_smtp_mail_lands_once_as_eml_file() {
    let app = spawn_app().await;
    app.register_landlord("eml@example.nl").await;
    let mails = app.wait_for_mail(1, 10).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: eml@example.nl"), "{}", mails[0]);
    assert!(mails[0].contains("Subject: "));
    // Several more worker passes must not send it again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.mails().len(), 1);
}

#[tokio::test]
async fn a_failed_registration_sends_no_mail() {
    let app = spawn_app().await;
    app.register_landlord("een@example.nl").await;
    // Duplicate: the transaction rolls back, and with it the outbox row.
    let res = app
        .post(
            "/v1/accounts/landlords",
            &serde_json::json!({"email": "een@example.nl", "password": PASSWORD, "name": "Twee", "kind": "natural_person"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 409);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.wait_for_mail(1, 5).await.len(), 1);
}

struct SmtpSink {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Python interpreter that has aiosmtpd: the system one if it has it, else a venv under
/// target/ where aiosmtpd is installed from PyPI on first use (so `cargo test` needs no set-up).
fn python_with_aiosmtpd() -> std::path::PathBuf {
    static PY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PY.get_or_init(|| {
        let has = |py: &std::path::Path| {
            std::process::Command::new(py)
                .args(["-c", "import aiosmtpd"])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let system = std::path::PathBuf::from("python3");
        if has(&system) {
            return system;
        }
        let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-tools/smtp-venv");
        let py = venv.join("bin/python");
        if !has(&py) {
            let ok = std::process::Command::new("python3")
                .arg("-m")
                .arg("venv")
                .arg(&venv)
                .status()
                .is_ok_and(|s| s.success())
                && std::process::Command::new(&py)
                    .args(["-m", "pip", "install", "--quiet", "aiosmtpd"])
                    .status()
                    .is_ok_and(|s| s.success());
            assert!(ok, "could not install aiosmtpd from PyPI into {}", venv.display());
        }
        py
    })
    .clone()
}

/// Starts a real SMTP server (Python's aiosmtpd, storing into a Maildir).
async fn start_smtp_sink() -> SmtpSink {
    let python = tokio::task::spawn_blocking(python_with_aiosmtpd).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.path().join("maildir"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 with aiosmtpd is needed for this test (pip install aiosmtpd)");
    let sink = SmtpSink { child, port, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return sink;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start (is it installed? pip install aiosmtpd)");
}

impl SmtpSink {
    fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let Ok(rd) = std::fs::read_dir(new) else { return vec![] };
        rd.filter_map(Result::ok).map(|e| std::fs::read_to_string(e.path()).unwrap()).collect()
    }
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_each_message_once_over_smtp() {
    let sink = start_smtp_sink().await;
    let smtp: HashMap<String, String> = [
        ("HUURTOEZICHT_SMTP_HOST", "127.0.0.1".to_string()),
        ("HUURTOEZICHT_SMTP_PORT", sink.port.to_string()),
        ("HUURTOEZICHT_SMTP_SECURITY", "none".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let a = spawn_app_with(smtp.clone(), Clock::system()).await;
    let mut second = smtp.clone();
    second.insert("DATABASE_URL".into(), a.database_url.clone());
    let b = spawn_app_with(second, Clock::system()).await;

    for i in 0..6 {
        let app = if i % 2 == 0 { &a } else { &b };
        app.register_landlord(&format!("smtp{i}@example.nl")).await;
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while sink.messages().len() < 6 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let msgs = sink.messages();
    assert_eq!(msgs.len(), 6, "each message exactly once");
    for i in 0..6 {
        let to = format!("smtp{i}@example.nl");
        assert_eq!(msgs.iter().filter(|m| m.contains(&to)).count(), 1, "{to} delivered once");
    }
    assert!(a.mails().is_empty() && b.mails().is_empty(), "no .eml fallback when SMTP is configured");
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_retried_and_the_failure_recorded() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp: HashMap<String, String> = [
        ("HUURTOEZICHT_SMTP_HOST", "127.0.0.1".to_string()),
        ("HUURTOEZICHT_SMTP_PORT", port.to_string()),
        ("HUURTOEZICHT_SMTP_SECURITY", "none".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let app = spawn_app_with(smtp, Clock::system()).await;
    app.register_landlord("retry@example.nl").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    use diesel::{Connection, QueryDsl, RunQueryDsl};
    use huurtoezicht::db::schema::outbox;
    let rows: Vec<(String, i32, Option<String>)> = if let Some(p) = app.database_url.strip_prefix("sqlite://")
    {
        let mut c = diesel::SqliteConnection::establish(p).unwrap();
        outbox::table.select((outbox::status, outbox::attempts, outbox::last_error)).load(&mut c).unwrap()
    } else {
        let mut c = diesel::PgConnection::establish(&app.database_url).unwrap();
        outbox::table.select((outbox::status, outbox::attempts, outbox::last_error)).load(&mut c).unwrap()
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "pending", "still to be retried");
    assert_eq!(rows[0].1, 1, "one attempt so far: the next waits for the backoff");
    assert!(rows[0].2.is_some());
}
