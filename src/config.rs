//! Typed settings from environment variables. A missing or malformed setting stops start-up with
//! one clear message (see [`ConfigError`]), never a panic.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::domain::ids::MunicipalityCode;
use crate::domain::ruleset::{RuleSet, RuleSetHistory};

pub mod access;
pub mod complaints;
pub mod events;
pub mod general_rules;
pub mod outbox;
pub mod referrals;
pub mod resources;
pub mod server;
pub mod storage;
pub mod unread;
pub mod webhooks;

/// Where the database lives. The backend is chosen from the URL scheme here, explicitly, so that
/// a typo never silently becomes a SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative or absolute path of the database file).
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://huurtoezicht.db".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_string()));
        }
        Err("must start with sqlite:// or postgres:// (or postgresql://)".into())
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// A form safe for logs: no password.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
                _ => url.clone(),
            },
        }
    }
}

/// How access tokens are signed.
#[derive(Clone)]
pub enum JwtKeys {
    /// HS256 with a shared secret (at least 32 bytes).
    Hs256 { secret: Vec<u8>, generated: bool },
    /// RS256 with a PEM key pair read from files.
    Rs256 { private_pem: Vec<u8>, public_pem: Vec<u8> },
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtKeys::Hs256 { generated, .. } => write!(f, "Hs256 {{ secret: ***, generated: {generated} }}"),
            JwtKeys::Rs256 { .. } => write!(f, "Rs256 {{ keys: *** }}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `none` (plain, for a local relay), `starttls` or `tls`.
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    None,
    StartTls,
    Tls,
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// SMTP relay; `None` means mail is written as `.eml` files to `dir`.
    pub smtp: Option<SmtpSettings>,
    pub dir: PathBuf,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    pub pool_size: u32,
    pub jwt: JwtKeys,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub token_lifetime: Duration,
    pub mail: MailSettings,
    pub municipality_code: MunicipalityCode,
    pub municipality_name: String,
    pub bootstrap_admin: Option<(String, String)>,
    pub json_logs: bool,
    /// Largest accepted JSON request body in bytes.
    pub max_json_bytes: usize,
    /// Enforcement policy (`HUURTOEZICHT_ENFORCEMENT_POLICY_FILE`, defaults shipped).
    pub enforcement_policy: std::sync::Arc<crate::domain::enforcement_policy::EnforcementPolicy>,
    /// The municipality's rule set, all versions (`HUURTOEZICHT_RULES_FILE`, or the shipped
    /// defaults).
    pub rules: std::sync::Arc<RuleSetHistory>,
    /// Folder for uploaded application documents (outside the database).
    pub upload_dir: PathBuf,
    /// Largest accepted document upload in bytes.
    pub max_upload_bytes: usize,
    /// The meldpunt: categories, attachments, rate limits, retention job.
    pub complaints: complaints::ComplaintSettings,
    /// The outbox worker: send timeout, lease, retry horizon and backoff.
    pub outbox: outbox::OutboxSettings,
    /// Dates from which GR-05, GR-06 (older leases) and AM-01 apply to a lease.
    pub general_rule_dates: crate::domain::general_rules::GeneralRuleDates,
    /// How long a public register answer may be served from memory
    /// (`HUURTOEZICHT_REGISTER_CACHE_SECONDS`, default 10; 0 turns the cache off). Changes made
    /// through this instance clear it at once; other instances catch up within this time.
    pub register_cache_ttl: Duration,
    /// Login lockout, rate limits, trusted proxies, token state cache.
    pub access: access::AccessSettings,
    /// Database fast-fail, graceful shutdown, intake idempotency window.
    pub server: server::ServerSettings,
    /// SQLite durability (`synchronous`), page cache, memory map, group-commit batch size.
    pub storage: storage::StorageSettings,
    /// HTTP workers, the password-hashing pool, the size of the register cache.
    pub resources: resources::ResourceSettings,
    /// Weeks without a partner's feedback after which a referral is overdue.
    pub referrals: referrals::ReferralSettings,
    /// How long domain events are kept for the feed.
    pub events: events::EventSettings,
    /// Webhooks: the key of the signing secrets, insecure callbacks, timeout, retries, pausing.
    pub webhooks: webhooks::WebhookSettings,
}

/// Reads and checks a rule-set file: JSON, either `{"versions": [ … ]}` or a single rule set
/// object. Missing fields take the documented defaults of [`RuleSet`]; unknown fields are refused.
pub fn load_rules_file(path: &std::path::Path) -> Result<RuleSetHistory, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_rules(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses a rule-set document (see [`load_rules_file`]) strictly and validates every version;
/// every error names the JSON path (`at versions[1].fees.per_bed_cents: …`).
pub fn parse_rules(text: &str) -> Result<RuleSetHistory, String> {
    use crate::domain::config_json::from_json;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let wrapped = value.get("versions").is_some();
    let history = if wrapped {
        from_json::<RuleSetHistory>(text)?
    } else {
        RuleSetHistory { versions: vec![from_json::<RuleSet>(text)?] }
    };
    if history.versions.is_empty() {
        return Err("at versions: the rule set has no versions".into());
    }
    for (i, v) in history.versions.iter().enumerate() {
        let at = if wrapped { format!("versions[{i}].") } else { String::new() };
        v.validate().map_err(|e| format!("at {at}{}: {e}", e.field()))?;
        if history.versions[..i].iter().any(|w| w.valid_from == v.valid_from) {
            return Err(format!("at {at}valid_from: another version also starts on {}", v.valid_from));
        }
    }
    Ok(history)
}

/// Reads the configuration file named by the variable `name` and parses it; any error names the
/// variable and the file, in one line.
pub(crate) fn load_file<T>(
    name: &'static str,
    path: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| err(name, format!("cannot read {path}: {e}")))?;
    parse(&text).map_err(|e| err(name, format!("{path}: {e}")))
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {name}: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub reason: String,
}

pub(crate) fn err(name: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError { name, reason: reason.into() }
}

/// A source of settings: the process environment in production, a map in tests.
pub trait Source {
    fn get(&self, name: &str) -> Option<String>;
}

pub struct Env;

impl Source for Env {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

impl Source for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        HashMap::get(self, name).cloned().filter(|v| !v.trim().is_empty())
    }
}

pub(crate) fn parse_num<T: std::str::FromStr>(
    src: &dyn Source,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match src.get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| err(name, format!("not a valid number: {v:?}"))),
    }
}

pub(crate) fn parse_bool(src: &dyn Source, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match src.get(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(v) => Err(err(name, format!("expected true or false, got {v:?}"))),
    }
}

/// A DNS host name (labels of letters, digits and `-`) or an IP address.
fn is_host_name(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
        || (host.len() <= 253
            && host.trim_end_matches('.').split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }))
}

/// Reads the enforcement policy file, if set; otherwise the shipped defaults.
fn load_enforcement_policy(
    src: &dyn Source,
) -> Result<crate::domain::enforcement_policy::EnforcementPolicy, ConfigError> {
    use crate::domain::enforcement_policy::EnforcementPolicy;
    const NAME: &str = "HUURTOEZICHT_ENFORCEMENT_POLICY_FILE";
    match src.get(NAME) {
        None => Ok(EnforcementPolicy::default()),
        Some(path) => {
            load_file(NAME, &path, |raw| EnforcementPolicy::from_json(raw).map_err(|e| e.to_string()))
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_source(&Env)
    }

    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let bind = src
            .get("HUURTOEZICHT_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .map_err(|_| err("HUURTOEZICHT_BIND", "expected HOST:PORT such as 127.0.0.1:8080"))?;
        let database_url =
            DatabaseUrl::parse(&src.get("DATABASE_URL").unwrap_or_else(|| "sqlite://huurtoezicht.db".into()))
                .map_err(|r| err("DATABASE_URL", r))?;
        // SQLite: reading connections only (one more connection writes); a few suffice on a
        // small machine and each holds its own page cache. PostgreSQL: all connections.
        let default_pool = if database_url.is_sqlite() { 4u32 } else { 16 };
        let pool_size = parse_num(src, "HUURTOEZICHT_DB_POOL_SIZE", default_pool)?;
        if pool_size == 0 {
            return Err(err("HUURTOEZICHT_DB_POOL_SIZE", "must be at least 1"));
        }

        let production = parse_bool(src, "HUURTOEZICHT_PRODUCTION", false)?;
        let jwt =
            match (
                src.get("HUURTOEZICHT_JWT_SECRET"),
                src.get("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE"),
                src.get("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE"),
            ) {
                (_, Some(private), Some(public)) => JwtKeys::Rs256 {
                    private_pem: std::fs::read(&private).map_err(|e| {
                        err("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE", format!("cannot read {private}: {e}"))
                    })?,
                    public_pem: std::fs::read(&public).map_err(|e| {
                        err("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE", format!("cannot read {public}: {e}"))
                    })?,
                },
                (_, Some(_), None) | (_, None, Some(_)) => return Err(err(
                    "HUURTOEZICHT_JWT_PRIVATE_KEY_FILE",
                    "RS256 needs both HUURTOEZICHT_JWT_PRIVATE_KEY_FILE and HUURTOEZICHT_JWT_PUBLIC_KEY_FILE",
                )),
                (Some(secret), None, None) => {
                    if secret.len() < 32 {
                        return Err(err("HUURTOEZICHT_JWT_SECRET", "must be at least 32 bytes long"));
                    }
                    JwtKeys::Hs256 { secret: secret.into_bytes(), generated: false }
                }
                (None, None, None) => {
                    if production {
                        return Err(err(
                            "HUURTOEZICHT_JWT_SECRET",
                            "required in production (or RS256 key files); refusing to generate one",
                        ));
                    }
                    use rand::RngCore;
                    let mut secret = vec![0u8; 48];
                    rand::rngs::OsRng.fill_bytes(&mut secret);
                    JwtKeys::Hs256 { secret, generated: true }
                }
            };
        if let JwtKeys::Rs256 { private_pem, public_pem } = &jwt {
            jsonwebtoken::EncodingKey::from_rsa_pem(private_pem)
                .map_err(|e| err("HUURTOEZICHT_JWT_PRIVATE_KEY_FILE", format!("not an RSA PEM key: {e}")))?;
            jsonwebtoken::DecodingKey::from_rsa_pem(public_pem)
                .map_err(|e| err("HUURTOEZICHT_JWT_PUBLIC_KEY_FILE", format!("not an RSA PEM key: {e}")))?;
        }
        let webhooks = webhooks::WebhookSettings::from_source(src, production, &jwt)?;
        let token_lifetime =
            Duration::from_secs(parse_num(src, "HUURTOEZICHT_TOKEN_LIFETIME_SECONDS", 900u64)?);
        if token_lifetime.as_secs() == 0 || token_lifetime.as_secs() > 86_400 {
            return Err(err("HUURTOEZICHT_TOKEN_LIFETIME_SECONDS", "must be between 1 and 86400"));
        }

        let smtp = match src.get("HUURTOEZICHT_SMTP_HOST") {
            None => None,
            Some(host) if !is_host_name(&host) => {
                return Err(err(
                    "HUURTOEZICHT_SMTP_HOST",
                    format!("{host:?} is not a host name or IP address (no scheme, no port: see HUURTOEZICHT_SMTP_PORT)"),
                ))
            }
            Some(host) => Some(SmtpSettings {
                host,
                port: parse_num(src, "HUURTOEZICHT_SMTP_PORT", 587u16)?,
                security: match src
                    .get("HUURTOEZICHT_SMTP_SECURITY")
                    .unwrap_or_else(|| "starttls".into())
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "none" => SmtpSecurity::None,
                    "starttls" => SmtpSecurity::StartTls,
                    "tls" => SmtpSecurity::Tls,
                    other => {
                        return Err(err(
                            "HUURTOEZICHT_SMTP_SECURITY",
                            format!("expected none, starttls or tls, got {other:?}"),
                        ))
                    }
                },
                username: src.get("HUURTOEZICHT_SMTP_USERNAME"),
                password: src.get("HUURTOEZICHT_SMTP_PASSWORD"),
            }),
        };
        let mail = MailSettings {
            smtp,
            dir: PathBuf::from(src.get("HUURTOEZICHT_MAIL_DIR").unwrap_or_else(|| "mail-outbox".into())),
            from: src
                .get("HUURTOEZICHT_MAIL_FROM")
                .unwrap_or_else(|| "Huurtoezicht <no-reply@huurtoezicht.invalid>".into()),
        };
        if mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(err("HUURTOEZICHT_MAIL_FROM", "not a valid mailbox, e.g. Name <address@example.nl>"));
        }

        let municipality_code = MunicipalityCode::parse(
            &src.get("HUURTOEZICHT_MUNICIPALITY_CODE").unwrap_or_else(|| "GM0599".into()),
        )
        .map_err(|e| err("HUURTOEZICHT_MUNICIPALITY_CODE", e.to_string()))?;
        let municipality_name =
            src.get("HUURTOEZICHT_MUNICIPALITY_NAME").unwrap_or_else(|| "Rotterdam".into());

        let bootstrap_admin = match (
            src.get("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL"),
            src.get("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD"),
        ) {
            (Some(e), Some(p)) => {
                let email = crate::domain::ids::Email::parse(&e)
                    .map_err(|x| err("HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL", x.to_string()))?;
                crate::domain::passwords::check_password_strength(&p, &[email.as_str()])
                    .map_err(|r| err("HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD", r))?;
                Some((e, p))
            }
            (None, None) => None,
            _ => {
                return Err(err(
                    "HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL",
                    "set both HUURTOEZICHT_BOOTSTRAP_ADMIN_EMAIL and HUURTOEZICHT_BOOTSTRAP_ADMIN_PASSWORD, or neither",
                ))
            }
        };

        Ok(Config {
            bind,
            database_url,
            pool_size,
            jwt,
            jwt_issuer: src.get("HUURTOEZICHT_JWT_ISSUER").unwrap_or_else(|| "huurtoezicht".into()),
            jwt_audience: src.get("HUURTOEZICHT_JWT_AUDIENCE").unwrap_or_else(|| "huurtoezicht-api".into()),
            token_lifetime,
            mail,
            municipality_code,
            municipality_name,
            bootstrap_admin,
            json_logs: parse_bool(src, "HUURTOEZICHT_LOG_JSON", false)?,
            max_json_bytes: parse_num(src, "HUURTOEZICHT_MAX_JSON_BYTES", 256 * 1024usize)?,
            enforcement_policy: std::sync::Arc::new(load_enforcement_policy(src)?),
            rules: std::sync::Arc::new(match src.get("HUURTOEZICHT_RULES_FILE") {
                None => RuleSetHistory::shipped_default(),
                Some(path) => load_file("HUURTOEZICHT_RULES_FILE", &path, parse_rules)?,
            }),
            upload_dir: PathBuf::from(src.get("HUURTOEZICHT_UPLOAD_DIR").unwrap_or_else(|| "uploads".into())),
            max_upload_bytes: {
                let n = parse_num(src, "HUURTOEZICHT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024usize)?;
                if n == 0 {
                    return Err(err("HUURTOEZICHT_MAX_UPLOAD_BYTES", "must be at least 1"));
                }
                n
            },
            complaints: complaints::ComplaintSettings::from_source(src)?,
            outbox: outbox::OutboxSettings::from_source(src)?,
            general_rule_dates: general_rules::from_source(src)?,
            register_cache_ttl: Duration::from_secs(parse_num(
                src,
                "HUURTOEZICHT_REGISTER_CACHE_SECONDS",
                10u64,
            )?),
            access: access::AccessSettings::from_source(src)?,
            server: server::ServerSettings::from_source(src)?,
            storage: storage::StorageSettings::from_source(src)?,
            resources: resources::ResourceSettings::from_source(src)?,
            referrals: referrals::ReferralSettings::from_source(src)?,
            events: events::EventSettings::from_source(src)?,
            webhooks,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;

    /// Settings as the test gives them (a `Source` without the process environment).
    pub(crate) fn src(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_are_sane_and_secret_is_generated() {
        let c = Config::from_source(&src(&[])).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("huurtoezicht.db".into()));
        assert!(matches!(c.jwt, JwtKeys::Hs256 { generated: true, .. }));
        assert_eq!(c.municipality_code.as_str(), "GM0599");
    }

    #[test]
    fn the_meldpunt_contact_details_are_checked_and_optional() {
        let c = Config::from_source(&src(&[])).unwrap();
        assert_eq!(c.complaints.desk, complaints::DeskContact::default());
        let c = Config::from_source(&src(&[
            ("HUURTOEZICHT_MELDPUNT_PHONE", "+31 10 267 16 25"),
            ("HUURTOEZICHT_MELDPUNT_EMAIL", "Meldpunt@Gemeente.example"),
            ("HUURTOEZICHT_MELDPUNT_WEBSITE", "https://www.gemeente.example/meldpunt"),
        ]))
        .unwrap();
        assert_eq!(c.complaints.desk.phone.as_deref(), Some("+31 10 267 16 25"));
        assert!(c.complaints.desk.email.is_some());
        for (name, value) in [
            ("HUURTOEZICHT_MELDPUNT_PHONE", "bel ons"),
            ("HUURTOEZICHT_MELDPUNT_EMAIL", "meldpunt"),
            ("HUURTOEZICHT_MELDPUNT_WEBSITE", "http://www.gemeente.example"),
            ("HUURTOEZICHT_MELDPUNT_WEBSITE", "https://x\" onclick=\"y"),
        ] {
            let e = Config::from_source(&src(&[(name, value)])).unwrap_err();
            assert_eq!(e.name, name, "{value}");
        }
    }

    #[test]
    fn malformed_settings_name_the_variable() {
        let e = Config::from_source(&src(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(e.name, "DATABASE_URL");
        let e = Config::from_source(&src(&[("HUURTOEZICHT_JWT_SECRET", "short")])).unwrap_err();
        assert_eq!(e.name, "HUURTOEZICHT_JWT_SECRET");
        let e = Config::from_source(&src(&[("HUURTOEZICHT_MUNICIPALITY_CODE", "0599")])).unwrap_err();
        assert_eq!(e.name, "HUURTOEZICHT_MUNICIPALITY_CODE");
        let e = Config::from_source(&src(&[("HUURTOEZICHT_PRODUCTION", "true")])).unwrap_err();
        assert_eq!(e.name, "HUURTOEZICHT_JWT_SECRET");
        for host in ["smtp://mail.example.nl", "mail.example.nl:587", "mail example", "-mail.nl"] {
            let e = Config::from_source(&src(&[("HUURTOEZICHT_SMTP_HOST", host)])).unwrap_err();
            assert_eq!(e.name, "HUURTOEZICHT_SMTP_HOST", "{host}");
        }
        for host in ["mail.example.nl", "localhost", "127.0.0.1", "::1", "smtp-relay.gemeente.nl."] {
            assert!(Config::from_source(&src(&[("HUURTOEZICHT_SMTP_HOST", host)])).is_ok(), "{host}");
        }
    }

    #[test]
    fn rules_default_to_the_shipped_set_and_a_bad_file_names_the_variable() {
        let c = Config::from_source(&src(&[])).unwrap();
        assert_eq!(c.rules.versions, vec![RuleSet::default()]);
        let dir = std::env::temp_dir().join(format!("ht-rules-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"versions": [{"valid_from": "2025-01-01", "objection_weeks": 4}]}"#)
            .unwrap();
        let e = Config::from_source(&src(&[("HUURTOEZICHT_RULES_FILE", bad.to_str().unwrap())])).unwrap_err();
        assert_eq!(e.name, "HUURTOEZICHT_RULES_FILE");
        let good = dir.join("good.json");
        std::fs::write(&good, r#"{"valid_from": "2025-01-01", "toilet_ratio": 4}"#).unwrap();
        let c = Config::from_source(&src(&[("HUURTOEZICHT_RULES_FILE", good.to_str().unwrap())])).unwrap();
        assert_eq!(c.rules.versions[0].toilet_ratio.get(), 4);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rule_sets_with_duplicate_dates_or_no_versions_are_refused() {
        assert!(parse_rules(r#"{"versions": []}"#).is_err());
        assert!(parse_rules(r#"{"versions": [{"valid_from": "2025-01-01"}, {"valid_from": "2025-01-01"}]}"#)
            .is_err());
        assert!(parse_rules("not json").is_err());
        let h = parse_rules(r#"{"versions": [{"valid_from": "2025-01-01"}, {"valid_from": "2026-01-01"}]}"#)
            .unwrap();
        assert_eq!(h.versions.len(), 2);
    }

    #[test]
    fn postgres_url_is_redacted() {
        let u = DatabaseUrl::parse("postgres://user:secret@db:5432/x").unwrap();
        assert_eq!(u.redacted(), "postgres://***@db:5432/x");
    }
}
