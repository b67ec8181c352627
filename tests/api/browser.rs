//! The meldpunt pages and the API docs page in a real browser: the system Chromium driven by
//! `tests/browser/meldpunt.mjs` (Node, `playwright-core` and `axe-core` pinned in
//! `tests/browser/package-lock.json`, installed into `target/test-tools/browser/` on first use).
//! The script submits reports like a resident would; this test then checks through the API what
//! the municipality received. Without Chromium or Node the test is skipped, unless `CI` is set.
//! See docs/meldpunt-page-tests.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::Value;

use crate::complaints::officer;
use crate::helpers::{spawn_app, TestApp};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Chromium to drive: `$CHROMIUM`, else Debian's `/usr/bin/chromium`.
fn chromium_path() -> PathBuf {
    let configured = std::env::var("CHROMIUM").ok().filter(|s| !s.is_empty());
    PathBuf::from(configured.unwrap_or_else(|| "/usr/bin/chromium".into()))
}

fn chromium() -> Option<PathBuf> {
    Some(chromium_path()).filter(|p| p.is_file())
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    if chromium().is_none() {
        return Some(format!(
            "no Chromium at {} (set CHROMIUM to use another one)",
            chromium_path().display()
        ));
    }
    if !runs("node") || !runs("npm") {
        return Some("Node.js and npm are not on the PATH".into());
    }
    None
}

/// `target/test-tools/browser/` with `node_modules` installed by `npm ci` from the committed lock
/// file; reinstalled only when the lock file changed since the last successful install.
fn browser_tools() -> PathBuf {
    let source = root().join("tests/browser");
    let dir = root().join("target/test-tools/browser");
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let stamp = dir.join("installed-package-lock.json");
    let fresh = dir.join("node_modules").is_dir() && std::fs::read(&stamp).is_ok_and(|s| s == lock);
    if !fresh {
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(source.join(file), dir.join(file)).unwrap();
        }
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "could not install the browser test's npm packages into {}", dir.display());
        std::fs::write(&stamp, &lock).unwrap();
    }
    dir
}

/// Runs the browser script against `base_url` (blocking: the npm install, then Node).
fn run_browser_script(base_url: String, chromium: PathBuf) -> std::io::Result<std::process::Output> {
    let tools = browser_tools();
    let screenshots = root().join("target/screenshots");
    std::fs::create_dir_all(&screenshots)?;
    Command::new("node")
        .arg(root().join("tests/browser/meldpunt.mjs"))
        .current_dir(root())
        .env("BASE_URL", base_url)
        .env("SCREENSHOT_DIR", &screenshots)
        .env("BROWSER_TOOLS", &tools)
        .env("CHROMIUM", chromium)
        .output()
}

/// The script's summary (its last line), after checking that it succeeded.
fn summary_of(out: &std::process::Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the browser script failed ({}):\n{stderr}\n{stdout}", out.status);
    if !stderr.trim().is_empty() {
        println!("{stderr}");
    }
    let last = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("the script's last line is not JSON ({e}): {stdout}"))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}"))
}

/// The complaint whose description the browser typed, as an officer sees it.
async fn complaint_with_description(app: &TestApp, token: &str, description: &str) -> Value {
    let list: Value = app.get("/v1/complaints?limit=100", Some(token)).await.json().await.unwrap();
    let mut found = Vec::new();
    for item in list["items"].as_array().unwrap() {
        let c: Value =
            app.get(&format!("/v1/complaints/{}", text(item, "id")), Some(token)).await.json().await.unwrap();
        if c["description"] == description {
            found.push(c);
        }
    }
    assert_eq!(found.len(), 1, "exactly one complaint with the description {description:?}: {list}");
    found.remove(0)
}

/// What the browser submitted in one flow arrived as the resident meant it.
async fn check_report(app: &TestApp, token: &str, report: &Value, marker: &str) {
    let flow = text(report, "flow");
    let code = text(report, "tracking_code");
    let tracked = app.get(&format!("/v1/complaints/track/{}", code.replace(' ', "%20")), None).await;
    assert_eq!(
        tracked.status(),
        StatusCode::OK,
        "{flow}: the code on the page {code:?} is not a tracking code"
    );
    let tracked: Value = tracked.json().await.unwrap();
    assert_eq!(tracked["category"], report["category"], "{flow}");
    assert!(
        tracked["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["from"] == "you" && m["text"] == report["message"]),
        "{flow}: the reporter's message is not in {tracked}"
    );

    let c = complaint_with_description(app, token, text(report, "description")).await;
    assert_eq!(c["language"], "pl", "{flow}");
    assert_eq!(c["category"], report["category"], "{flow}");
    assert_eq!(c["channel"], "public", "{flow}");
    assert_eq!(c["anonymity"], "anonymous_to_landlord", "{flow}: the default anonymity");
    assert_eq!(c["exploitation_signals"], serde_json::json!([report["signal"]]), "{flow}");
    assert_eq!(
        c["address"]["house_number"],
        report["house_number"].as_str().unwrap().parse::<u32>().unwrap()
    );
    assert!(
        c["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["author"] == "reporter" && m["text"] == report["message"]),
        "{flow}: the reporter's message is not on the complaint: {}",
        c["messages"]
    );
    let attachments = c["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{flow}: one photo was attached: {attachments:?}");
    assert_eq!(attachments[0]["media_type"], "image/jpeg", "{flow}");
    let res = app.get(text(&attachments[0], "href"), Some(token)).await;
    assert_eq!(res.status(), StatusCode::OK, "{flow}");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]), "{flow}: still a JPEG");
    let content = String::from_utf8_lossy(&bytes);
    assert!(
        !content.contains("Exif") && !content.contains(marker),
        "{flow}: the EXIF block is still in the photo"
    );
}

#[tokio::test]
async fn a_resident_reports_in_polish_in_a_real_browser_and_the_docs_page_renders_offline() {
    if let Some(why) = missing_tools() {
        let ci = std::env::var("CI").is_ok_and(|s| !s.is_empty());
        assert!(
            !ci,
            "the browser test needs Chromium and Node.js in CI: {why}. Install the Debian packages \
             chromium and chromium-driver (and nodejs, npm)."
        );
        println!(
            "browser test skipped: {why} (install chromium and chromium-driver to run it; CI fails instead)"
        );
        return;
    }
    let chromium = chromium().unwrap();
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    let base_url = app.address.clone();
    // The script blocks; the server keeps serving on the test's runtime meanwhile.
    let out = tokio::task::spawn_blocking(move || run_browser_script(base_url, chromium)).await.unwrap();
    let summary = summary_of(&out.expect("node runs"));
    println!("browser script finished in {:.1} s: {summary}", started.elapsed().as_secs_f64());

    let token = officer(&app).await;
    let marker = text(&summary, "exif_marker").to_string();
    let reports = summary["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2, "the flow with and the flow without JavaScript: {summary}");
    for report in reports {
        check_report(&app, &token, report, &marker).await;
    }
    // A form sent twice (the result page reloaded) was filed once, under the code shown.
    for resent in summary["resent"].as_array().unwrap() {
        complaint_with_description(&app, &token, text(resent, "description")).await;
        let code = text(resent, "tracking_code").replace(' ', "%20");
        assert_eq!(app.get(&format!("/v1/complaints/track/{code}"), None).await.status(), StatusCode::OK);
    }
    for shot in summary["screenshots"].as_array().unwrap() {
        let path = Path::new(shot.as_str().unwrap());
        assert!(std::fs::metadata(path).is_ok_and(|m| m.len() > 0), "screenshot {} missing", path.display());
    }
}
