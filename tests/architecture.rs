//! The house rules of `docs/ARCHITECTURE.md`, checked on the source text so that a reviewer (or
//! CI) can rerun them: `cargo test --test architecture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn relative(p: &Path) -> String {
    p.strip_prefix(src()).unwrap().display().to_string().replace('\\', "/")
}

/// Lines of code, comments aside, that mention `needle` as a path segment (`needle::`).
fn mentions(text: &str, needle: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
        .any(|l| l.contains(&format!("{needle}::")) || l.contains(&format!("use {needle}")))
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let long: Vec<String> = rust_files(&src())
        .into_iter()
        .filter(|p| !p.ends_with("db/schema.rs"))
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", relative(&p)))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn the_domain_does_no_io_and_knows_no_framework() {
    for p in rust_files(&src().join("domain")) {
        let text = std::fs::read_to_string(&p).unwrap();
        for framework in ["actix_web", "actix_http", "diesel", "utoipa"] {
            assert!(!mentions(&text, framework), "{} uses {framework}", relative(&p));
        }
    }
}

#[test]
fn the_service_layer_knows_no_http_and_no_openapi() {
    for p in rust_files(&src().join("service")) {
        let text = std::fs::read_to_string(&p).unwrap();
        for framework in ["actix_web", "actix_http", "utoipa", "crate::http"] {
            assert!(!mentions(&text, framework), "{} uses {framework}", relative(&p));
        }
    }
}

#[test]
fn audit_rows_and_mail_are_written_by_the_unit_of_work_only() {
    for p in rust_files(&src()) {
        let rel = relative(&p);
        if rel == "service/tx.rs" || rel == "db/audit.rs" || rel == "db/outbox.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for call in ["audit::record(", "outbox::enqueue("] {
            assert!(!text.contains(call), "{rel} calls {call}…) directly; use Tx::audit / Tx::mail");
        }
    }
}

#[test]
fn the_checks_see_the_code() {
    // A check that reads no files cannot fail.
    let files = rust_files(&src());
    assert!(files.len() > 20);
    assert!(files.iter().any(|p| p.ends_with("service/tx.rs")));
    let tx = std::fs::read_to_string(src().join("service/tx.rs")).unwrap();
    assert!(tx.contains("audit::record("), "the unit of work is where audit rows are written");
}

/// Everything the server writes with its default configuration (the SQLite file and its WAL,
/// mail copies, uploaded documents, complaint attachments) is ignored by git, so residents'
/// files and personal data can never be committed by accident.
#[test]
fn every_path_the_server_writes_by_default_is_ignored_by_git() {
    use huurtoezicht::config::{Config, DatabaseUrl};
    let defaults = Config::from_source(&std::collections::HashMap::<String, String>::new())
        .unwrap_or_else(|e| panic!("the defaults do not load: {}", e.reason));
    let DatabaseUrl::Sqlite(db) = &defaults.database_url else {
        panic!("the default database is not SQLite");
    };
    let mut written =
        vec![db.display().to_string(), format!("{}-wal", db.display()), format!("{}-shm", db.display())];
    for dir in [&defaults.mail.dir, &defaults.upload_dir, &defaults.complaints.attachment_dir] {
        written.push(dir.join("ab").join("a-file").display().to_string());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in written {
        assert!(Path::new(&path).is_relative(), "{path}: defaults are relative to the working folder");
        let out = std::process::Command::new("git")
            .args(["check-ignore", "--no-index", "--quiet", &path])
            .current_dir(root)
            .status()
            .expect("git runs");
        assert!(out.success(), "{path} is written by default but not ignored by .gitignore");
    }
}

/// The features each crate is built with, as `cargo tree` shows them (`edges`: `cargo tree -e`).
fn features(edges: &[&str]) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["tree", "--offline", "--locked", "--prefix", "none", "--format", "{p}|{f}"])
        .args(edges)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    let mut found = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if let Some((package, features)) = line.trim_end_matches(" (*)").split_once('|') {
            found.entry(package.to_string()).or_default().insert(features.to_string());
        }
    }
    found
}

/// `cargo run` and `cargo test` build every crate they share with the same features, so that
/// running one after the other compiles only this crate again. A dev-dependency that turns on a
/// feature of a shared crate made the second command compile diesel, actix and twenty more crates
/// again (minutes on two cores, for a newcomer and in CI).
#[test]
fn the_tests_and_the_server_build_shared_crates_with_the_same_features() {
    let server = features(&["-e", "no-dev"]);
    let tests = features(&[]);
    assert!(server.len() > 100, "the tree was read: {} crates", server.len());
    let differ: Vec<String> = server
        .iter()
        .filter_map(|(package, built)| {
            let tested = tests.get(package)?;
            (tested != built).then(|| format!("{package}: cargo run {built:?}, cargo test {tested:?}"))
        })
        .collect();
    assert!(
        differ.is_empty(),
        "give the normal dependency the features the tests need (Cargo.toml):\n{}",
        differ.join("\n")
    );
}
