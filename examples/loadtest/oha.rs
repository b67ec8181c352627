//! Runs the load generator oha (<https://crates.io/crates/oha>) as its own process and reads its
//! JSON summary.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// One run of the load generator against one route.
pub struct Load<'a> {
    pub url: &'a str,
    pub connections: usize,
    pub seconds: f64,
    /// `--rand-regex-url`: the URL is a regular expression, a fresh match for every request.
    pub regex: bool,
    pub method: &'a str,
    pub json_body: Option<&'a str>,
    pub bearer: Option<&'a str>,
}

impl<'a> Load<'a> {
    pub fn get(url: &'a str, connections: usize, seconds: f64) -> Self {
        Load { url, connections, seconds, regex: false, method: "GET", json_body: None, bearer: None }
    }
}

/// What oha measured.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Answers with a 2xx status.
    pub ok: u64,
    /// Other answers and connection errors.
    pub failed: u64,
    /// Successful answers per second of the run.
    pub ok_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The first status or error that was not a success, for the log.
    pub first_failure: Option<String>,
}

/// The oha binary: `$OHA`, else `$HUURTOEZICHT_TOOLS_DIR/bin/oha` (default
/// `~/.cache/huurtoezicht-tools`), else `oha` on the `PATH`.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("OHA") {
        return PathBuf::from(p);
    }
    let tools = std::env::var_os("HUURTOEZICHT_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/huurtoezicht-tools")));
    match tools.map(|t| t.join("bin/oha")).filter(|p| p.exists()) {
        Some(p) => p,
        None => PathBuf::from("oha"),
    }
}

/// Starts oha; `wait` it with [`finish`]. Several may run at once (mixed load).
pub fn start(load: &Load<'_>) -> Result<std::process::Child, String> {
    let mut cmd = Command::new(binary());
    cmd.args(["--no-tui", "--output-format", "json", "-c"])
        .arg(load.connections.to_string())
        .arg("-z")
        .arg(format!("{}ms", (load.seconds * 1000.0).round() as u64))
        .args(["-m", load.method]);
    if load.regex {
        cmd.arg("--rand-regex-url");
    }
    if let Some(body) = load.json_body {
        cmd.args(["-T", "application/json", "-d", body]);
    }
    if let Some(token) = load.bearer {
        cmd.arg("-H").arg(format!("Authorization: Bearer {token}"));
    }
    cmd.arg(load.url).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    cmd.spawn().map_err(|e| format!("cannot start oha ({}): {e}", binary().display()))
}

pub fn finish(child: std::process::Child) -> Result<Outcome, String> {
    let out = child.wait_with_output().map_err(|e| format!("oha: {e}"))?;
    if !out.status.success() {
        return Err(format!("oha failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("oha output is not JSON: {e}"))?;
    Ok(parse(&v))
}

pub fn run(load: &Load<'_>) -> Result<Outcome, String> {
    finish(start(load)?)
}

fn parse(v: &Value) -> Outcome {
    let mut o = Outcome::default();
    if let Some(codes) = v["statusCodeDistribution"].as_object() {
        for (code, n) in codes {
            let n = n.as_u64().unwrap_or(0);
            if code.starts_with('2') {
                o.ok += n;
            } else {
                o.failed += n;
                o.first_failure.get_or_insert_with(|| format!("HTTP {code}"));
            }
        }
    }
    if let Some(errors) = v["errorDistribution"].as_object() {
        for (e, n) in errors {
            // Requests cut off by the end of the run are not failures of the server.
            if e.contains("deadline") {
                continue;
            }
            o.failed += n.as_u64().unwrap_or(0);
            o.first_failure.get_or_insert_with(|| e.clone());
        }
    }
    let total = v["summary"]["total"].as_f64().unwrap_or(0.0);
    o.ok_per_sec = if total > 0.0 { o.ok as f64 / total } else { 0.0 };
    o.p50_ms = v["metrics"]["latency_ms"]["p50"].as_f64().unwrap_or(f64::NAN);
    o.p99_ms = v["metrics"]["latency_ms"]["p99"].as_f64().unwrap_or(f64::NAN);
    o
}
