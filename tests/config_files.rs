//! The configuration files (rule set, enforcement policy, complaint categories): the examples in
//! `examples/` load through the server's own loader and start the binary; an unknown field, at
//! the top or nested, or a wrong shape stops start-up with exit code 2 and one line naming the
//! variable, the file's JSON path and the reason. Bad environment values exit 2 as well.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use huurtoezicht::config::Config;

const RULES: &str = "HUURTOEZICHT_RULES_FILE";
const POLICY: &str = "HUURTOEZICHT_ENFORCEMENT_POLICY_FILE";
const CATEGORIES: &str = "HUURTOEZICHT_COMPLAINT_CATEGORIES_FILE";

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_huurtoezicht"));
    c.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    c
}

/// Runs the binary with `vars`, expects a configuration error, and returns its one line.
fn refused(vars: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("never.db").display()))
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("huurtoezicht: configuration error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.path().join("never.db").exists(), "nothing is created before the configuration is whole");
    err
}

/// Writes `text` as a file and starts the binary with `var` naming it; returns the error line.
fn refused_file(var: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.json");
    std::fs::write(&path, text).unwrap();
    let err = refused(&[(var, path.to_str().unwrap())]);
    assert!(err.contains(&format!("{var}: {}: ", path.display())), "names the variable and the file: {err}");
    err
}

/// A copy of an example with one change made to its JSON.
fn edited(name: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example(name)).unwrap()).unwrap();
    change(&mut v);
    v.to_string()
}

#[test]
fn the_examples_load_through_the_servers_loader() {
    let src: HashMap<String, String> = [
        (RULES, example("rules.json")),
        (POLICY, example("enforcement-policy.json")),
        (CATEGORIES, example("complaint-categories.json")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.display().to_string()))
    .collect();
    let config = Config::from_source(&src).unwrap();
    let versions = &config.rules.versions;
    assert_eq!(versions.len(), 2);
    let ranges = &versions[0].enabled_licences[0].area.postcode_ranges;
    assert_eq!((ranges[0].from.as_str(), ranges[0].to.as_str()), ("3081AA", "3089ZZ"));
    assert_eq!(versions[1].fees.application_cents, 19_470);
    assert_eq!(config.enforcement_policy.fines.niet_bedrijfsmatig_cap_percent, 50);
    assert_eq!(config.enforcement_policy.fine_procedure.publication_months, Some(12));
    assert!(config.complaints.catalogue.category("intimidation").is_some());
}

/// The server on a free port with the three examples; stopped when dropped.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_with_the_examples() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = bin()
        .env("HUURTOEZICHT_BIND", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("h.db").display()))
        .env("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail"))
        .env("HUURTOEZICHT_UPLOAD_DIR", dir.path().join("uploads"))
        .env("HUURTOEZICHT_ATTACHMENT_DIR", dir.path().join("attachments"))
        .env(RULES, example("rules.json"))
        .env(POLICY, example("enforcement-policy.json"))
        .env(CATEGORIES, example("complaint-categories.json"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server { child, base: format!("http://127.0.0.1:{port}"), _dir: dir };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("the server exited at start with {status}");
        }
        if reqwest::get(format!("{}/health", server.base)).await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        assert!(Instant::now() < deadline, "the server did not answer /health within 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_server_starts_with_all_three_examples_and_serves_them() {
    let server = start_with_the_examples().await;
    let rules: serde_json::Value = reqwest::get(format!("{}/v1/rules?date=2026-08-01", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rules["versions"], serde_json::json!(["2024-01-01", "2026-07-01"]));
    assert_eq!(rules["rule_set"]["fees"]["application_cents"], 19_470);
    let range = &rules["rule_set"]["enabled_licences"][0]["area"]["postcode_ranges"][2];
    assert_eq!(range["from"], "3021 AA", "postcodes are written as the API writes them");
    let categories = reqwest::get(format!("{}/v1/complaint-categories", server.base)).await.unwrap();
    assert_eq!(categories.status(), 200);
}

#[test]
fn the_rule_set_refuses_unknown_fields_at_every_level() {
    let e = refused_file(RULES, &edited("rules.json", |v| v["version"] = serde_json::json!([])));
    assert!(e.contains("at version: unknown field `version`"), "{e}");
    let e =
        refused_file(RULES, &edited("rules.json", |v| v["versions"][1]["fees"]["per_room_cents"] = 5.into()));
    assert!(e.contains("at versions[1].fees.per_room_cents: unknown field `per_room_cents`"), "{e}");
    let e = refused_file(
        RULES,
        &edited("rules.json", |v| {
            v["versions"][0]["enabled_licences"][0]["area"]["postcode_ranges"][1]["house_number_form"] =
                3.into()
        }),
    );
    assert!(e.contains(
        "at versions[0].enabled_licences[0].area.postcode_ranges[1].house_number_form: unknown field"
    ));
}

#[test]
fn the_two_examples_of_the_issue_are_refused() {
    // Designated areas written without their `area` wrapper: before, every address was outside.
    let e = refused_file(
        RULES,
        r#"{"versions": [{"valid_from": "2024-01-01", "enabled_licences": [
            {"kind": "general", "postcode_ranges": [{"from": "3081 AA", "to": "3089 ZZ"}]}]}]}"#,
    );
    assert!(
        e.contains("at versions[0].enabled_licences[0].postcode_ranges: unknown field `postcode_ranges`"),
        "{e}"
    );
    assert!(e.contains("expected `kind` or `area`"), "{e}");
    let e = refused_file(RULES, r#"{"valid_from": "2024-01-01", "decision_term_wekes": 12}"#);
    assert!(e.contains("at decision_term_wekes: unknown field `decision_term_wekes`"), "{e}");
}

#[test]
fn the_rule_set_refuses_wrong_shapes_and_values_naming_the_path() {
    // An area as an array would otherwise be an empty area.
    let e = refused_file(
        RULES,
        &edited("rules.json", |v| v["versions"][1]["enabled_licences"][0]["area"] = serde_json::json!([])),
    );
    assert!(e.contains("at versions[1].enabled_licences[0].area: invalid type: an array"), "{e}");
    let e = refused_file(RULES, &edited("rules.json", |v| v["versions"][0]["toilet_ratio"] = 0.into()));
    assert!(e.contains("at versions[0].toilet_ratio: invalid value"), "{e}");
    let e =
        refused_file(RULES, &edited("rules.json", |v| v["versions"][0]["bibob_policy"] = "sometimes".into()));
    assert!(e.contains("at versions[0].bibob_policy: unknown variant `sometimes`"), "{e}");
    let e = refused_file(
        RULES,
        &edited("rules.json", |v| {
            v["versions"][0]["enabled_licences"][0]["area"]["postcode_ranges"][0]["to"] = "3089 SS".into()
        }),
    );
    assert!(e.contains(
        "at versions[0].enabled_licences[0].area.postcode_ranges[0].to: \"3089 SS\" must be a Dutch postcode"
    ));
    let e = refused_file(RULES, &edited("rules.json", |v| v["versions"][1]["objection_weeks"] = 4.into()));
    assert!(e.contains("at versions[1].objection_weeks: objection term below the statutory 6 weeks"), "{e}");
    let e =
        refused_file(RULES, &edited("rules.json", |v| v["versions"][1]["valid_from"] = "2024-01-01".into()));
    assert!(e.contains("at versions[1].valid_from: another version also starts on 2024-01-01"), "{e}");
    let e = refused_file(RULES, "{\"versions\": [");
    assert!(e.contains("not valid JSON"), "{e}");
}

#[test]
fn the_enforcement_policy_refuses_unknown_fields_and_wrong_shapes() {
    let e = refused_file(POLICY, &edited("enforcement-policy.json", |v| v["fine"] = serde_json::json!({})));
    assert!(e.contains("at fine: unknown field `fine`"), "{e}");
    let e = refused_file(
        POLICY,
        &edited("enforcement-policy.json", |v| {
            v["fines"]["general_rule_tables"][1]["first_ofence_cap"] = 1.into()
        }),
    );
    assert!(e.contains("at fines.general_rule_tables[1].first_ofence_cap: unknown field"), "{e}");
    let e = refused_file(
        POLICY,
        &edited("enforcement-policy.json", |v| v["ladder"]["takeover"]["window"] = 4.into()),
    );
    assert!(e.contains("at ladder.takeover.window: unknown field"), "{e}");
    let e =
        refused_file(POLICY, &edited("enforcement-policy.json", |v| v["warning"] = serde_json::json!([42])));
    assert!(e.contains("at warning: invalid type: an array"), "{e}");
    let e = refused_file(POLICY, &edited("enforcement-policy.json", |v| v["dashboard_days"] = "14".into()));
    assert!(e.contains("at dashboard_days: invalid type: string"), "{e}");
}

#[test]
fn the_complaint_categories_refuse_unknown_fields_and_wrong_shapes() {
    let e = refused_file(
        CATEGORIES,
        &edited("complaint-categories.json", |v| v["category"] = serde_json::json!([])),
    );
    assert!(e.contains("at category: unknown field `category`"), "{e}");
    let e = refused_file(
        CATEGORIES,
        &edited("complaint-categories.json", |v| v["categories"][2]["texts"]["en"]["titel"] = "x".into()),
    );
    assert!(e.contains("at categories[2].texts.en.titel: unknown field `titel`"), "{e}");
    let e = refused_file(
        CATEGORIES,
        &edited("complaint-categories.json", |v| v["notifications"]["pl"]["sujbect"] = "x".into()),
    );
    assert!(e.contains("at notifications.pl.sujbect: unknown field"), "{e}");
    let e = refused_file(
        CATEGORIES,
        &edited("complaint-categories.json", |v| {
            v["categories"][0] = serde_json::json!(["x", null, 5, false, {}])
        }),
    );
    assert!(e.contains("at categories[0]: invalid type: an array"), "{e}");
    let e = refused_file(
        CATEGORIES,
        &edited("complaint-categories.json", |v| v["languages"] = serde_json::json!(["nl", "en", "de"])),
    );
    assert!(
        e.contains("at languages: must list exactly the supported languages nl, en, pl, ro, bg, uk"),
        "{e}"
    );
}

#[test]
fn a_missing_file_names_its_variable() {
    for var in [RULES, POLICY, CATEGORIES] {
        let e = refused(&[(var, "/nonexistent/file.json")]);
        assert!(e.contains(&format!("{var}: cannot read /nonexistent/file.json")), "{e}");
    }
}

#[test]
fn bad_environment_values_exit_2_naming_the_variable() {
    let admin = [("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", "admin@gemeente.test")];
    let e = refused(&[admin[0], ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", "kort")]);
    assert!(e.contains("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters long"), "{e}");
    let e = refused(&[admin[0], ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", "aaaaaaaaaaaaaaaa")]);
    assert!(e.contains("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD: is too easy to guess"), "{e}");
    let e = refused(&[
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", "admin"),
        ("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", "beheerder-wachtwoord-zeer-geheim-42"),
    ]);
    assert!(e.contains("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL: must be an email address"), "{e}");
    let e = refused(&[("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", "beheerder-wachtwoord-zeer-geheim-42")]);
    assert!(e.contains("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL: set both"), "{e}");
    let not_a_key = example("rules.json");
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/test-only-rs256-public.pem");
    let e = refused(&[
        ("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE", not_a_key.to_str().unwrap()),
        ("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE", public.to_str().unwrap()),
    ]);
    assert!(e.contains("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE: not an RSA PEM key"), "{e}");
    for (name, value) in [
        ("HUURTOEZICHT_BIND", "localhost"),
        ("HUURTOEZICHT_JWT_SECRET", "short"),
        ("HUURTOEZICHT_TOKEN_LIFETIME_SECONDS", "0"),
        ("HUURTOEZICHT_SMTP_HOST", "smtp://mail.example.nl:587"),
        ("HUURTOEZICHT_SMTP_SECURITY", "ssl"),
        ("HUURTOEZICHT_MAIL_FROM", "not a mailbox"),
        ("HUURTOEZICHT_MUNICIPALITY_CODE", "0599"),
        ("HUURTOEZICHT_LOG_JSON", "maybe"),
        ("HUURTOEZICHT_MAX_UPLOAD_BYTES", "0"),
        ("HUURTOEZICHT_ATTACHMENT_MAX_COUNT", "21"),
        ("HUURTOEZICHT_OUTBOX_RETRY_HOURS", "0"),
        ("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", "soon"),
        ("HUURTOEZICHT_SQLITE_SYNCHRONOUS", "off"),
        ("HUURTOEZICHT_HTTP_WORKERS", "0"),
    ] {
        let mut vars = vec![(name, value)];
        if name.starts_with("HUURTOEZICHT_SMTP_") && name != "HUURTOEZICHT_SMTP_HOST" {
            vars.push(("HUURTOEZICHT_SMTP_HOST", "smtp.example.nl"));
        }
        let e = refused(&vars);
        assert!(e.contains(&format!("configuration error: {name}: ")), "{e}");
    }
}

#[test]
fn a_misspelt_variable_is_named_at_start_up_with_the_one_meant() {
    let out = bin()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("HUURTOEZICHT_RULE_FILE", example("rules.json"))
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        log.contains("HUURTOEZICHT_RULE_FILE is set but is not read by this configuration; did you mean HUURTOEZICHT_RULES_FILE?"),
        "{log}"
    );
    assert_eq!(out.status.code(), Some(1), "an unreachable database is not a configuration error: {log}");
}

/// The JSON paths of every object in `v` (`""` for the document itself).
fn object_paths(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            out.push(path.to_string());
            for (k, sub) in map {
                object_paths(sub, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, sub) in items.iter().enumerate() {
                object_paths(sub, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The object at a path of [`object_paths`].
fn object_at<'a>(
    v: &'a mut serde_json::Value,
    path: &str,
) -> &'a mut serde_json::Map<String, serde_json::Value> {
    let mut node = v;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        node = &mut node[key];
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            node = &mut node[index.trim_end_matches(']').parse::<usize>().unwrap()];
        }
    }
    node.as_object_mut().unwrap()
}

#[test]
fn every_object_of_every_example_refuses_a_key_it_does_not_know() {
    use huurtoezicht::domain::complaints::Catalogue;
    use huurtoezicht::domain::enforcement_policy::EnforcementPolicy;
    type Loader = fn(&str) -> Result<(), String>;
    let loaders: [(&str, Loader); 3] = [
        ("rules.json", |t| huurtoezicht::config::parse_rules(t).map(drop)),
        ("enforcement-policy.json", |t| EnforcementPolicy::from_json(t).map(drop).map_err(|e| e.to_string())),
        ("complaint-categories.json", |t| Catalogue::parse(t).map(drop)),
    ];
    for (name, load) in loaders {
        let original: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(example(name)).unwrap()).unwrap();
        load(&original.to_string()).unwrap();
        let mut paths = Vec::new();
        object_paths(&original, "", &mut paths);
        assert!(paths.len() > 5, "{name}: {paths:?}");
        for path in paths {
            let mut changed = original.clone();
            object_at(&mut changed, &path).insert("zz_unknown".into(), serde_json::json!(1));
            let e = load(&changed.to_string())
                .expect_err(&format!("{name}: a key added at {path:?} was accepted"));
            let at = if path.is_empty() { "zz_unknown".to_string() } else { format!("{path}.zz_unknown") };
            assert!(e.contains(&format!("at {at}: ")), "{name}: {e}");
        }
    }
}
