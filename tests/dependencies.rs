//! What `deny.toml` asks of every crate this service is built from, checked on `cargo metadata`:
//! `cargo test --test dependencies`.
//!
//! - `[licenses] allow`: every crate's licence expression must be satisfiable with the listed
//!   licences (read with the `spdx` crate, in its lax mode: `MIT/Apache-2.0` is `MIT OR
//!   Apache-2.0`);
//! - `[bans] deny`: none of the listed crates is in the tree; `wildcards = "deny"`: no dependency
//!   on a registry crate is declared as `*`;
//! - `[sources]`: every crate comes from an allowed registry (or is this one, by path).
//!
//! These are the checks `cargo deny check licenses bans sources` makes (advisories need the
//! advisory database from GitHub, which CI cannot reach). They run here, in the suite, because
//! installing cargo-deny compiled for 5–9 minutes of every CI run. Whoever has cargo-deny can
//! still run it against the same `deny.toml`.
//!
//! The tree is the one built for this machine (`--filter-platform`): crates that only other
//! platforms use are not downloaded by a build, and are not in what ships.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct DenyToml {
    licenses: Licenses,
    bans: Bans,
    sources: Sources,
}

#[derive(Deserialize)]
struct Licenses {
    allow: Vec<String>,
}

#[derive(Deserialize)]
struct Bans {
    wildcards: String,
    deny: Vec<Banned>,
}

#[derive(Deserialize)]
struct Banned {
    name: String,
}

#[derive(Deserialize)]
struct Sources {
    #[serde(rename = "unknown-registry")]
    unknown_registry: String,
    #[serde(rename = "unknown-git")]
    unknown_git: String,
    #[serde(rename = "allow-registry")]
    allow_registry: Vec<String>,
}

fn deny_toml() -> DenyToml {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/deny.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).expect("deny.toml has the expected shape")
}

fn cargo() -> std::process::Command {
    let mut command = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// The packages of the resolved tree for this machine, as `cargo metadata` describes them; read
/// once for all the tests of this file.
fn packages() -> &'static [Value] {
    static PACKAGES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    PACKAGES.get_or_init(read_packages)
}

fn read_packages() -> Vec<Value> {
    let host = String::from_utf8(cargo().args(["-vV"]).output().unwrap().stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("cargo -vV names the host");
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--locked", "--offline", "--filter-platform"])
        .arg(host)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap().clone();
    assert!(packages.len() > 100, "the tree was read: {} crates", packages.len());
    packages
}

fn name_of(package: &Value) -> String {
    format!("{} {}", package["name"].as_str().unwrap(), package["version"].as_str().unwrap())
}

/// Whether `expression` (a crate's `license` field) can be met with the `allowed` licences.
fn licence_allowed(allowed: &[spdx::Licensee], expression: &str) -> Result<bool, String> {
    let parsed = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX).map_err(|e| e.to_string())?;
    Ok(parsed.evaluate(|requirement| allowed.iter().any(|licensee| licensee.satisfies(requirement))))
}

fn allowed_licences() -> Vec<spdx::Licensee> {
    deny_toml()
        .licenses
        .allow
        .iter()
        .map(|l| spdx::Licensee::parse(l).unwrap_or_else(|e| panic!("deny.toml allows {l:?}: {e}")))
        .collect()
}

#[test]
fn the_licence_check_refuses_what_deny_toml_does_not_allow() {
    let allowed = allowed_licences();
    assert_eq!(licence_allowed(&allowed, "MIT/Apache-2.0"), Ok(true));
    assert_eq!(licence_allowed(&allowed, "(MIT OR Apache-2.0) AND Unicode-3.0"), Ok(true));
    assert_eq!(licence_allowed(&allowed, "GPL-3.0-only"), Ok(false));
    assert_eq!(licence_allowed(&allowed, "MIT AND GPL-3.0-only"), Ok(false));
    assert_eq!(licence_allowed(&allowed, "MIT OR LGPL-2.1-or-later"), Ok(true));
    assert!(licence_allowed(&allowed, "not a licence (").is_err());
}

#[test]
fn every_crate_has_a_licence_deny_toml_allows() {
    let allowed = allowed_licences();
    let refused: Vec<String> = packages()
        .iter()
        .filter_map(|package| {
            let Some(expression) = package["license"].as_str() else {
                return Some(format!("{}: no `license` field; read its licence file", name_of(package)));
            };
            match licence_allowed(&allowed, expression) {
                Ok(true) => None,
                Ok(false) => Some(format!("{}: {expression}", name_of(package))),
                Err(e) => Some(format!("{}: {expression:?} does not parse: {e}", name_of(package))),
            }
        })
        .collect();
    assert!(
        refused.is_empty(),
        "licences deny.toml does not allow; read them, then add them to [licenses] allow or drop the crate:\n{}",
        refused.join("\n")
    );
}

#[test]
fn no_banned_crate_and_no_wildcard_version() {
    let deny = deny_toml();
    assert_eq!(deny.bans.wildcards, "deny");
    let packages = packages();
    let banned: Vec<String> = packages
        .iter()
        .filter(|p| deny.bans.deny.iter().any(|b| p["name"] == b.name.as_str()))
        .map(name_of)
        .collect();
    assert!(banned.is_empty(), "crates deny.toml bans are in the tree: {banned:?}");
    // A path dependency (allow-wildcard-paths) has no version to pin.
    let wildcards: Vec<String> = packages
        .iter()
        .flat_map(|p| {
            p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["req"] == "*" && d["path"].is_null())
                .map(move |d| format!("{} on {}", name_of(p), d["name"]))
        })
        .collect();
    assert!(wildcards.is_empty(), "dependencies declared as `*`: {wildcards:?}");
}

#[test]
fn every_crate_comes_from_an_allowed_registry() {
    let deny = deny_toml();
    assert_eq!((deny.sources.unknown_registry.as_str(), deny.sources.unknown_git.as_str()), ("deny", "deny"));
    let allowed: Vec<String> = deny.sources.allow_registry.iter().map(|r| format!("registry+{r}")).collect();
    let packages = packages();
    let elsewhere: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let source = p["source"].as_str()?; // none: this crate, by path
            (!allowed.iter().any(|a| a == source)).then(|| format!("{}: {source}", name_of(p)))
        })
        .collect();
    assert!(elsewhere.is_empty(), "crates from a source deny.toml does not allow: {elsewhere:?}");
    assert!(packages.iter().any(|p| p["source"].is_string()), "registry crates were seen");
}
