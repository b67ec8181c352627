//! A real SMTP server for the outbox tests (Python's aiosmtpd, storing into a Maildir, optionally
//! slow), and a look at the outbox table.

use std::collections::HashMap;
use std::time::Duration;

use diesel::{Connection, ExpressionMethods, QueryDsl, RunQueryDsl};
use huurtoezicht::db::schema::outbox;

use crate::helpers::TestApp;

pub struct SmtpSink {
    child: std::process::Child,
    pub port: u16,
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

/// An SMTP server that stores every message it accepts, after waiting `delay_secs` in DATA (a
/// slow relay).
const SINK: &str = r#"
import asyncio, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

port, path, delay = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])

class SlowMailbox(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        if delay > 0:
            await asyncio.sleep(delay)
        return await super().handle_DATA(server, session, envelope)

Controller(SlowMailbox(path), hostname="127.0.0.1", port=port).start()
threading.Event().wait()
"#;

/// A port nobody listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the SMTP server on `port`, answering DATA after `delay_secs`.
pub async fn start_smtp_sink(port: u16, delay_secs: f64) -> SmtpSink {
    let python = tokio::task::spawn_blocking(python_with_aiosmtpd).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(python)
        .args(["-c", SINK, &port.to_string()])
        .arg(dir.path().join("maildir"))
        .arg(delay_secs.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 with aiosmtpd is needed for this test (pip install aiosmtpd)");
    let sink = SmtpSink { child, port, dir };
    for _ in 0..150 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return sink;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start on port {port}");
}

impl SmtpSink {
    pub fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let Ok(rd) = std::fs::read_dir(new) else { return vec![] };
        rd.filter_map(Result::ok).map(|e| std::fs::read_to_string(e.path()).unwrap()).collect()
    }

    /// The `Message-ID` of every message received, one entry per message (duplicates kept).
    pub fn message_ids(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|m| message_id(m).unwrap_or_else(|| panic!("no Message-ID in {m}")))
            .collect()
    }

    /// Waits up to `secs` until at least `n` messages arrived; returns how many did.
    pub async fn wait_for(&self, n: usize, secs: u64) -> usize {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.messages().len();
            if got >= n || std::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The `Message-ID` header of a raw message.
pub fn message_id(raw: &str) -> Option<String> {
    raw.lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| l["message-id:".len()..].trim().to_string())
}

/// Settings of an app whose relay is plain SMTP on 127.0.0.1:`port`.
pub fn smtp_settings(port: u16, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut s: HashMap<String, String> = [
        ("HUURTOEZICHT_SMTP_HOST", "127.0.0.1".to_string()),
        ("HUURTOEZICHT_SMTP_PORT", port.to_string()),
        ("HUURTOEZICHT_SMTP_SECURITY", "none".into()),
        ("HUURTOEZICHT_SMTP_TIMEOUT_SECONDS", "3".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    s.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    s
}

/// One outbox row as stored.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
}

/// Every outbox row, oldest first.
pub fn rows(app: &TestApp) -> Vec<Row> {
    let q = outbox::table.order((outbox::created_at.asc(), outbox::id.asc())).select((
        outbox::id,
        outbox::recipient,
        outbox::status,
        outbox::attempts,
    ));
    let raw: Vec<(String, String, String, i32)> = if let Some(p) = app.database_url.strip_prefix("sqlite://")
    {
        q.load(&mut diesel::SqliteConnection::establish(p).unwrap()).unwrap()
    } else {
        q.load(&mut diesel::PgConnection::establish(&app.database_url).unwrap()).unwrap()
    };
    raw.into_iter().map(|(id, recipient, status, attempts)| Row { id, recipient, status, attempts }).collect()
}

/// Waits up to `secs` until `ok` holds for the outbox rows; returns them (the caller asserts).
pub async fn wait_rows(app: &TestApp, secs: u64, ok: impl Fn(&[Row]) -> bool) -> Vec<Row> {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let r = rows(app);
        if ok(&r) || std::time::Instant::now() > deadline {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl TestApp {
    /// Registers a landlord without logging in (one outbox message, cheaper than a login).
    pub async fn register_only(&self, email: &str) {
        let res = self
            .post(
                "/v1/accounts/landlords",
                &serde_json::json!({"email": email, "password": crate::helpers::PASSWORD,
                    "name": "Jan de Vries", "kind": "natural_person"}),
                None,
            )
            .await;
        assert_eq!(res.status(), 201);
    }
}
