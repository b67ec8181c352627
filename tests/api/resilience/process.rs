//! The real binary as a child process: started on a free port with JSON logs captured, stopped
//! with a signal. For what only a process shows: signal handling and what reaches the log.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::{fresh_database_url, JWT_SECRET, MUNICIPALITY};

pub struct Server {
    child: Child,
    pub port: u16,
    lines: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

/// How long a test waits for the process to start or stop (generous: the machine may be busy).
const PATIENCE: Duration = Duration::from_secs(60);

impl Server {
    /// Starts `huurtoezicht serve` on 127.0.0.1:0 with JSON logs and a fresh database; `rust_log`
    /// sets `RUST_LOG` (`None`: unset, the default filter). Returns once it listens.
    pub fn start(extra: &[(&str, &str)], rust_log: Option<&str>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"));
        cmd.arg("serve")
            .env("HUURTOEZICHT_BIND", "127.0.0.1:0")
            .env("DATABASE_URL", fresh_database_url(dir.path()))
            .env("HUURTOEZICHT_DB_POOL_SIZE", "4")
            .env("HUURTOEZICHT_JWT_SECRET", JWT_SECRET)
            .env("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail"))
            .env("HUURTOEZICHT_UPLOAD_DIR", dir.path().join("uploads"))
            .env("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("attachments"))
            .env("HUURTOEZICHT_MUNICIPALITY_CODE", MUNICIPALITY)
            .env("HUURTOEZICHT_LOG_JSON", "true")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(filter) = rust_log {
            cmd.env("RUST_LOG", filter);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("the huurtoezicht binary starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let started = Instant::now();
        let port = loop {
            let found = lines.lock().unwrap().iter().find_map(|l| {
                let v: Value = serde_json::from_str(l).ok()?;
                v["fields"]["port"].as_u64()
            });
            if let Some(port) = found {
                break u16::try_from(port).unwrap();
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the server exited with {status} before listening: {:#?}", lines.lock().unwrap());
            }
            assert!(started.elapsed() < PATIENCE, "the server did not start: {:#?}", lines.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        };
        Server { child, port, lines, _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends SIGTERM, as a service manager or container runtime does.
    pub fn terminate(&self) {
        self.signal("-TERM");
    }

    /// Sends a signal by its `kill` option (`-TERM`, `-INT`).
    pub fn signal(&self, which: &str) {
        let status = Command::new("kill").args([which, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill {which} failed");
    }

    /// Waits for the process to exit (panics after [`PATIENCE`]).
    pub fn wait(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader threads take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(started.elapsed() < PATIENCE, "the server did not stop: {:#?}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the process wrote so far, one entry per line.
    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// The log lines at ERROR level.
    pub fn errors(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|l| serde_json::from_str::<Value>(l).map(|v| v["level"] == "ERROR").unwrap_or(true))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
