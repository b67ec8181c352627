//! The processes under test: the release binary of the application and the bare actix-web
//! reference, each started with its own settings and stopped at the end.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const JWT_SECRET: &str = "loadtest-secret-that-is-long-enough-0123456789";
pub const ADMIN_EMAIL: &str = "beheer@loadtest.example.nl";
pub const ADMIN_PASSWORD: &str = "Kraanvogel-Molenwiek-Fietsbel-2026";

/// A started server process.
pub struct Process {
    child: Child,
    pub pid: u32,
    pub base: String,
}

impl Process {
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // A failed run must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Where the server's log goes: `LOADTEST_SERVER_LOG` (appended), else nowhere, so that log
/// lines are not counted as bytes written to the disk.
fn log_target() -> Stdio {
    std::env::var_os("LOADTEST_SERVER_LOG")
        .and_then(|p| std::fs::OpenOptions::new().create(true).append(true).open(p).ok())
        .map(Stdio::from)
        .unwrap_or_else(Stdio::null)
}

/// Waits until `GET {base}{path}` answers 200.
pub fn wait_ready(
    rt: &tokio::runtime::Runtime,
    base: &str,
    path: &str,
    child: &mut Child,
) -> Result<(), String> {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(180);
    while Instant::now() < until {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "the server exited at start-up ({status}); set LOADTEST_SERVER_LOG=FILE to see why"
            ));
        }
        let ok = rt.block_on(async {
            client.get(format!("{base}{path}")).send().await.map(|r| r.status().is_success()).unwrap_or(false)
        });
        if ok {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{base}{path} did not answer 200 within 180 s"))
}

/// Starts `target/release/huurtoezicht` on `database_url` with relaxed per-source limits (all
/// load comes from one address) and a bootstrap admin for the logins. `extra` adds or, with an
/// empty value, removes settings.
pub fn start_app(
    rt: &tokio::runtime::Runtime,
    bin_dir: &Path,
    work: &Path,
    database_url: &str,
    extra: &[(&str, &str)],
) -> Result<Process, String> {
    let port = free_port()?;
    // `LOADTEST_APP`: the application binary (scripts/loadtest sets it to the build of
    // `LOADTEST_PROFILE`); the references stay the release examples of `bin_dir`.
    let bin = std::env::var_os("LOADTEST_APP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| bin_dir.join("huurtoezicht"));
    let mut cmd = Command::new(&bin);
    cmd.env("DATABASE_URL", database_url)
        .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
        .env("HUURTOEZICHT_JWT_SECRET", JWT_SECRET)
        .env("HUURTOEZICHT_TOKEN_LIFETIME_SECONDS", "3600")
        .env("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    for (name, dir) in [
        ("HUURTOEZICHT_MAIL_DIR", "mail"),
        ("HUURTOEZICHT_UPLOAD_DIR", "uploads"),
        ("HUURTOEZICHT_ATTACHMENT_DIR", "attachments"),
    ] {
        cmd.env(name, work.join(dir));
    }
    for limited in ["INTAKE", "REGISTRATION", "TOKEN"] {
        let name = format!("HUURTOEZICHT_RATE_LIMIT_{limited}_PER_MINUTE");
        if std::env::var_os(&name).is_none() {
            cmd.env(name, "0");
        }
    }
    for (name, value) in extra {
        if value.is_empty() {
            cmd.env_remove(name);
        } else {
            cmd.env(name, value);
        }
    }
    let mut child =
        cmd.stdin(Stdio::null()).stdout(log_target()).stderr(log_target()).spawn().map_err(|e| {
            format!("cannot start {}: {e} (build it with cargo build --release)", bin.display())
        })?;
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(rt, &base, "/ready", &mut child)?;
    Ok(Process { pid: child.id(), child, base })
}

/// Starts the bare actix-web reference (`examples/bare.rs`).
pub fn start_bare(rt: &tokio::runtime::Runtime, bin_dir: &Path) -> Result<Process, String> {
    let port = free_port()?;
    let bin: PathBuf = bin_dir.join("examples/bare");
    let mut child = Command::new(&bin)
        .arg(format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_target())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(rt, &base, "/health", &mut child)?;
    Ok(Process { pid: child.id(), child, base })
}

/// Runs `examples/sqlite_commit.rs` on `threads` connections and returns its commits per second.
pub fn sqlite_commits(
    bin_dir: &Path,
    dir: &Path,
    synchronous: &str,
    seconds: f64,
    threads: usize,
) -> Result<f64, String> {
    let out = Command::new(bin_dir.join("examples/sqlite_commit"))
        .args([
            "--synchronous",
            synchronous,
            "--seconds",
            &seconds.to_string(),
            "--threads",
            &threads.to_string(),
        ])
        .arg("--dir")
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run sqlite_commit: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("commits_per_sec="))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("sqlite_commit failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
}
