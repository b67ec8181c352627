//! Settings of webhooks: the server key the subscriptions' secrets are derived from, whether
//! insecure callbacks are allowed (development), the delivery timeout, the retry schedule, when a
//! subscription is paused and how many deliveries run at once.

use std::time::Duration;

use super::{err, parse_bool, parse_num, ConfigError, JwtKeys, Source};
use crate::domain::webhooks::RetrySchedule;

#[derive(Clone)]
pub struct WebhookSettings {
    /// The key every subscription's signing secret is derived from (`HUURTOEZICHT_WEBHOOK_KEY`,
    /// at least 32 bytes; required in production; in development derived from the JWT key).
    pub key: Vec<u8>,
    /// Whether the key was derived from the JWT key (development).
    pub key_derived: bool,
    /// `HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE` (default false): allow `http` callbacks and
    /// loopback, private and other non-public addresses. Development and tests only.
    pub allow_insecure: bool,
    /// Upper bound of one delivery attempt, connection to answer
    /// (`HUURTOEZICHT_WEBHOOK_TIMEOUT_MS`, default 10000, 100–60000).
    pub timeout: Duration,
    /// Longest wait for the name server when a callback's host is resolved, at creation and at
    /// delivery (`HUURTOEZICHT_WEBHOOK_DNS_TIMEOUT_MS`, default 2000, 10–30000).
    pub dns_timeout: Duration,
    /// How long claimed deliveries are reserved for their worker: the timeout plus 30 s.
    pub lease: Duration,
    /// Pause between passes of the worker when there was nothing to do
    /// (`HUURTOEZICHT_WEBHOOK_POLL_MS`, default 500).
    pub poll_interval: Duration,
    /// Retries: `HUURTOEZICHT_WEBHOOK_MAX_ATTEMPTS` (default 8, 1–30),
    /// `HUURTOEZICHT_WEBHOOK_BACKOFF_BASE_MS` (default 5000, 1–600000),
    /// `HUURTOEZICHT_WEBHOOK_BACKOFF_MAX_SECONDS` (default 3600, 1–86400).
    pub retry: RetrySchedule,
    /// Dead-lettered deliveries in a row after which a subscription is paused
    /// (`HUURTOEZICHT_WEBHOOK_PAUSE_AFTER_DEAD_LETTERS`, default 5, 1–1000).
    pub pause_after_dead_letters: u32,
    /// Deliveries claimed and attempted at once per instance (`HUURTOEZICHT_WEBHOOK_CONCURRENCY`,
    /// default 64, 1–512).
    pub concurrency: usize,
}

impl std::fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("key", &"***")
            .field("key_derived", &self.key_derived)
            .field("allow_insecure", &self.allow_insecure)
            .field("timeout", &self.timeout)
            .field("dns_timeout", &self.dns_timeout)
            .field("retry", &self.retry)
            .field("pause_after_dead_letters", &self.pause_after_dead_letters)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

fn ranged(
    src: &dyn Source,
    name: &'static str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    let v = parse_num(src, name, default)?;
    if !(min..=max).contains(&v) {
        return Err(err(name, format!("must be between {min} and {max}")));
    }
    Ok(v)
}

impl WebhookSettings {
    pub fn from_source(src: &dyn Source, production: bool, jwt: &JwtKeys) -> Result<Self, ConfigError> {
        const KEY: &str = "HUURTOEZICHT_WEBHOOK_KEY";
        let (key, key_derived) = match src.get(KEY) {
            Some(k) if k.len() < 32 => return Err(err(KEY, "must be at least 32 bytes long")),
            Some(k) => (k.into_bytes(), false),
            None if production => {
                return Err(err(KEY, "required in production; refusing to derive one from the JWT key"))
            }
            None => {
                let base: &[u8] = match jwt {
                    JwtKeys::Hs256 { secret, .. } => secret,
                    JwtKeys::Rs256 { private_pem, .. } => private_pem,
                };
                let derived =
                    crate::domain::webhooks::signing::derive_secret(base, "development-webhook-key", 0);
                (derived.to_vec(), true)
            }
        };
        let timeout =
            Duration::from_millis(ranged(src, "HUURTOEZICHT_WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000)?);
        Ok(WebhookSettings {
            key,
            key_derived,
            allow_insecure: parse_bool(src, "HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE", false)?,
            timeout,
            dns_timeout: Duration::from_millis(ranged(
                src,
                "HUURTOEZICHT_WEBHOOK_DNS_TIMEOUT_MS",
                2000,
                10,
                30_000,
            )?),
            lease: timeout + Duration::from_secs(30),
            poll_interval: Duration::from_millis(
                parse_num(src, "HUURTOEZICHT_WEBHOOK_POLL_MS", 500u64)?.max(10),
            ),
            retry: RetrySchedule {
                max_attempts: u32::try_from(ranged(src, "HUURTOEZICHT_WEBHOOK_MAX_ATTEMPTS", 8, 1, 30)?)
                    .unwrap_or(8),
                base: Duration::from_millis(ranged(
                    src,
                    "HUURTOEZICHT_WEBHOOK_BACKOFF_BASE_MS",
                    5000,
                    1,
                    600_000,
                )?),
                cap: Duration::from_secs(ranged(
                    src,
                    "HUURTOEZICHT_WEBHOOK_BACKOFF_MAX_SECONDS",
                    3600,
                    1,
                    86_400,
                )?),
            },
            pause_after_dead_letters: u32::try_from(ranged(
                src,
                "HUURTOEZICHT_WEBHOOK_PAUSE_AFTER_DEAD_LETTERS",
                5,
                1,
                1000,
            )?)
            .unwrap_or(5),
            concurrency: usize::try_from(ranged(src, "HUURTOEZICHT_WEBHOOK_CONCURRENCY", 64, 1, 512)?)
                .unwrap_or(64),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)], production: bool) -> Result<WebhookSettings, ConfigError> {
        let src: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let jwt =
            JwtKeys::Hs256 { secret: b"a-jwt-secret-that-is-long-enough-000000".to_vec(), generated: false };
        WebhookSettings::from_source(&src, production, &jwt)
    }

    #[test]
    fn the_key_is_required_in_production_and_derived_in_development() {
        assert_eq!(settings(&[], true).unwrap_err().name, "HUURTOEZICHT_WEBHOOK_KEY");
        let dev = settings(&[], false).unwrap();
        assert!(dev.key_derived && dev.key.len() == 32 && !dev.allow_insecure);
        assert_eq!(dev.key, settings(&[], false).unwrap().key, "the same JWT key, the same webhook key");
        let set = settings(&[("HUURTOEZICHT_WEBHOOK_KEY", "k".repeat(32).as_str())], true).unwrap();
        assert!(!set.key_derived);
        assert_eq!(
            settings(&[("HUURTOEZICHT_WEBHOOK_KEY", "short")], false).unwrap_err().name,
            "HUURTOEZICHT_WEBHOOK_KEY"
        );
        assert!(!format!("{dev:?}").contains(&format!("{:?}", dev.key)));
    }

    #[test]
    fn bad_numbers_name_their_variable() {
        for name in [
            "HUURTOEZICHT_WEBHOOK_TIMEOUT_MS",
            "HUURTOEZICHT_WEBHOOK_DNS_TIMEOUT_MS",
            "HUURTOEZICHT_WEBHOOK_MAX_ATTEMPTS",
            "HUURTOEZICHT_WEBHOOK_PAUSE_AFTER_DEAD_LETTERS",
            "HUURTOEZICHT_WEBHOOK_CONCURRENCY",
        ] {
            assert_eq!(settings(&[(name, "0")], false).unwrap_err().name, name);
        }
        assert_eq!(
            settings(&[("HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE", "maybe")], false).unwrap_err().name,
            "HUURTOEZICHT_WEBHOOKS_ALLOW_INSECURE"
        );
    }
}
