//! The start-up banner, read from the running binary: the full docs URL from the bound address,
//! the database, mail and upload folders as absolute paths, and the command that creates the first
//! admin while there is none.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The server, started in `dir` with relative default folders; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary in `dir` and returns the log lines up to and including the "ready" line.
fn start(dir: &Path, extra: &[(&str, &str)]) -> (Server, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("HUURTOEZICHT_BIND", "127.0.0.1:0")
        .env("DATABASE_URL", "sqlite://banner.db")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    // A guard against a hang, not a measurement: start-up takes well under a second.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(120)) {
        let ready = line.contains("Huurtoezicht is ready");
        lines.push(line);
        if ready {
            return (server, lines);
        }
    }
    panic!("the server did not say it was ready; it said:\n{}", lines.join("\n"));
}

fn port_of(lines: &[String]) -> u16 {
    let ready = lines.iter().find(|l| l.contains("Huurtoezicht is ready")).unwrap();
    let after = ready.split("http://127.0.0.1:").nth(1).expect("a full docs URL");
    after.split('/').next().unwrap().parse().unwrap()
}

#[test]
fn the_banner_gives_full_urls_absolute_folders_and_the_command_to_create_an_admin() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let (_server, lines) = start(&dir, &[]);
    let log = lines.join("\n");
    let port = port_of(&lines);
    assert!(log.contains(&format!("API docs at http://127.0.0.1:{port}/docs/ ")), "{log}");
    assert!(log.contains(&format!("OpenAPI document at http://127.0.0.1:{port}/openapi.json")), "{log}");
    assert!(
        log.contains(&format!("meldpunt page for residents at http://127.0.0.1:{port}/meldpunt")),
        "{log}"
    );
    let d = dir.display();
    assert!(log.contains(&format!("Database: sqlite://{d}/banner.db")), "{log}");
    assert!(log.contains(&format!("Mail: written as .eml files to {d}/mail-outbox")), "{log}");
    assert!(
        log.contains(&format!("Uploaded documents: {d}/uploads ; complaint attachments: {d}/attachments")),
        "{log}"
    );
    assert!(log.contains("No admin account exists yet"), "{log}");
    assert!(log.contains("huurtoezicht admin create --email you@gemeente.nl"), "{log}");
    assert!(log.contains("cargo run -- admin create --email you@gemeente.nl"), "{log}");
    assert!(
        log.contains("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL and HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD"),
        "{log}"
    );
    assert!(!log.contains("API docs at /docs"), "the old relative hint is gone: {log}");
}

#[test]
fn with_an_admin_the_banner_does_not_ask_for_one_and_names_the_smtp_relay() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let (_server, lines) = start(
        &dir,
        &[
            ("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", "root@gemeente.test"),
            ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", "beheerder-wachtwoord-zeer-geheim-42"),
            ("HUURTOEZICHT_SMTP_HOST", "smtp.gemeente.test"),
            ("HUURTOEZICHT_SMTP_PORT", "2525"),
            ("HUURTOEZICHT_SMTP_SECURITY", "none"),
        ],
    );
    let log = lines.join("\n");
    assert!(log.contains("Mail: sent through the SMTP relay smtp.gemeente.test:2525"), "{log}");
    assert!(!log.contains("No admin account exists yet"), "{log}");
}
