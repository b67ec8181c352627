//! Settings of the server's behaviour under failure: how long a request waits for a database
//! connection, how a shutdown drains, and how long the public intake and the create routes of
//! authenticated callers remember an Idempotency-Key.

use std::time::Duration;

use super::{err, parse_num, ConfigError, Source};

#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Longest wait for a pooled database connection before a request answers 503
    /// (`HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS`, default 2000).
    pub db_acquire_timeout: Duration,
    /// After SIGTERM or Ctrl-C: how long `/ready` answers 503 while requests are still served
    /// normally (`HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS`, default 5; 0 stops at once).
    pub shutdown_drain: Duration,
    /// After the drain: how long in-flight requests may take before their connections are closed
    /// (`HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS`, default 20).
    pub shutdown_timeout: Duration,
    /// How long the public intake remembers an Idempotency-Key
    /// (`HUURTOEZICHT_IDEMPOTENCY_RETENTION_HOURS`, default 24).
    pub idempotency_retention: Duration,
    /// How long an authenticated caller's Idempotency-Key of a create route is remembered
    /// (`HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS`, default 24; docs/idempotency.md).
    pub idempotency_key_ttl: Duration,
}

impl ServerSettings {
    /// [`ServerSettings::idempotency_retention`] as a date-time span (at most 720 hours, so it
    /// always fits).
    pub fn idempotency_window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.idempotency_retention).unwrap_or_else(|_| chrono::Duration::hours(24))
    }

    /// [`ServerSettings::idempotency_key_ttl`] as a date-time span (at most 720 hours).
    pub fn idempotency_key_window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.idempotency_key_ttl).unwrap_or_else(|_| chrono::Duration::hours(24))
    }

    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let acquire_ms = parse_num(src, "HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", 2000u64)?;
        if !(50..=60_000).contains(&acquire_ms) {
            return Err(err("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", "must be between 50 and 60000"));
        }
        let drain = parse_num(src, "HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", 5u64)?;
        if drain > 600 {
            return Err(err("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "must be at most 600"));
        }
        let timeout = parse_num(src, "HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS", 20u64)?;
        if timeout > 600 {
            return Err(err("HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS", "must be at most 600"));
        }
        let hours = parse_num(src, "HUURTOEZICHT_IDEMPOTENCY_RETENTION_HOURS", 24u64)?;
        if !(1..=720).contains(&hours) {
            return Err(err("HUURTOEZICHT_IDEMPOTENCY_RETENTION_HOURS", "must be between 1 and 720"));
        }
        let key_hours = parse_num(src, "HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS", 24u64)?;
        if !(1..=720).contains(&key_hours) {
            return Err(err("HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS", "must be between 1 and 720"));
        }
        Ok(Self {
            db_acquire_timeout: Duration::from_millis(acquire_ms),
            shutdown_drain: Duration::from_secs(drain),
            shutdown_timeout: Duration::from_secs(timeout),
            idempotency_retention: Duration::from_secs(hours * 3600),
            idempotency_key_ttl: Duration::from_secs(key_hours * 3600),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn defaults_are_sane() {
        let s = ServerSettings::from_source(&src(&[])).unwrap();
        assert_eq!(s.db_acquire_timeout, Duration::from_secs(2));
        assert_eq!(s.shutdown_drain, Duration::from_secs(5));
        assert_eq!(s.shutdown_timeout, Duration::from_secs(20));
        assert_eq!(s.idempotency_retention, Duration::from_secs(24 * 3600));
        assert_eq!(s.idempotency_key_ttl, Duration::from_secs(24 * 3600));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", "0"),
            ("HUURTOEZICHT_DB_ACQUIRE_TIMEOUT_MS", "soon"),
            ("HUURTOEZICHT_SHUTDOWN_DRAIN_SECONDS", "601"),
            ("HUURTOEZICHT_SHUTDOWN_TIMEOUT_SECONDS", "-1"),
            ("HUURTOEZICHT_IDEMPOTENCY_RETENTION_HOURS", "0"),
            ("HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS", "0"),
            ("HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS", "721"),
        ] {
            let e = ServerSettings::from_source(&src(&[(name, value)])).unwrap_err();
            assert_eq!(e.name, name);
        }
    }
}
