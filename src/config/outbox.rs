//! Settings of the outbox worker: how often it looks for mail, how long one send may take, how
//! long a claim (lease) lasts, and for how long failed sends are retried.

use std::time::Duration;

use super::{err, parse_num, ConfigError, Source};

/// The variable that capped retries by count before retries ran over a time horizon. Setting it
/// now stops start-up, so that nobody believes it still limits anything.
const REMOVED_MAX_ATTEMPTS: &str = "HUURTOEZICHT_OUTBOX_MAX_ATTEMPTS";

#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// Pause between passes of the worker (`HUURTOEZICHT_OUTBOX_POLL_MS`, default 1000).
    pub poll_interval: Duration,
    /// Upper bound of one whole send, connection to final reply
    /// (`HUURTOEZICHT_SMTP_TIMEOUT_SECONDS`, default 20, 1–300).
    pub send_timeout: Duration,
    /// How long a claimed message is reserved for the worker that claimed it
    /// (`HUURTOEZICHT_OUTBOX_LEASE_SECONDS`, default twice the send timeout plus 10 s; at least
    /// the send timeout plus 5 s). A crashed worker's message is sent by another after this.
    pub lease: Duration,
    /// For how long after it was queued (or requeued) a message is retried before it is marked
    /// `failed` (`HUURTOEZICHT_OUTBOX_RETRY_HOURS`, default 24, 1–720).
    pub retry_horizon: Duration,
    /// Longest wait between two attempts (`HUURTOEZICHT_OUTBOX_MAX_BACKOFF_SECONDS`, default 300,
    /// 5–86400). Waits start at 5 s and double up to this.
    pub max_backoff: Duration,
}

impl OutboxSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        if src.get(REMOVED_MAX_ATTEMPTS).is_some() {
            return Err(err(
                REMOVED_MAX_ATTEMPTS,
                "is no longer used: failed mail is retried for HUURTOEZICHT_OUTBOX_RETRY_HOURS \
                 (default 24) with waits up to HUURTOEZICHT_OUTBOX_MAX_BACKOFF_SECONDS; remove it",
            ));
        }
        let poll_ms = parse_num(src, "HUURTOEZICHT_OUTBOX_POLL_MS", 1000u64)?.max(10);
        let timeout = parse_num(src, "HUURTOEZICHT_SMTP_TIMEOUT_SECONDS", 20u64)?;
        if !(1..=300).contains(&timeout) {
            return Err(err("HUURTOEZICHT_SMTP_TIMEOUT_SECONDS", "must be between 1 and 300"));
        }
        let lease = parse_num(src, "HUURTOEZICHT_OUTBOX_LEASE_SECONDS", 2 * timeout + 10)?;
        if lease < timeout + 5 || lease > 3600 {
            return Err(err(
                "HUURTOEZICHT_OUTBOX_LEASE_SECONDS",
                format!("must be between {} (HUURTOEZICHT_SMTP_TIMEOUT_SECONDS + 5) and 3600", timeout + 5),
            ));
        }
        let hours = parse_num(src, "HUURTOEZICHT_OUTBOX_RETRY_HOURS", 24u64)?;
        if !(1..=720).contains(&hours) {
            return Err(err("HUURTOEZICHT_OUTBOX_RETRY_HOURS", "must be between 1 and 720"));
        }
        let max_backoff = parse_num(src, "HUURTOEZICHT_OUTBOX_MAX_BACKOFF_SECONDS", 300u64)?;
        if !(5..=86_400).contains(&max_backoff) {
            return Err(err("HUURTOEZICHT_OUTBOX_MAX_BACKOFF_SECONDS", "must be between 5 and 86400"));
        }
        Ok(Self {
            poll_interval: Duration::from_millis(poll_ms),
            send_timeout: Duration::from_secs(timeout),
            lease: Duration::from_secs(lease),
            retry_horizon: Duration::from_secs(hours * 3600),
            max_backoff: Duration::from_secs(max_backoff),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<OutboxSettings, ConfigError> {
        let src: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        OutboxSettings::from_source(&src)
    }

    #[test]
    fn defaults_retry_for_a_day_and_the_lease_outlasts_a_send() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.send_timeout, Duration::from_secs(20));
        assert_eq!(s.lease, Duration::from_secs(50));
        assert_eq!(s.retry_horizon, Duration::from_secs(24 * 3600));
        assert_eq!(s.max_backoff, Duration::from_secs(300));
        let s = settings(&[("HUURTOEZICHT_SMTP_TIMEOUT_SECONDS", "3")]).unwrap();
        assert_eq!(s.lease, Duration::from_secs(16), "the default lease follows the timeout");
    }

    #[test]
    fn bad_values_and_the_removed_attempt_cap_name_their_variable() {
        for (name, value) in [
            ("HUURTOEZICHT_OUTBOX_MAX_ATTEMPTS", "8"),
            ("HUURTOEZICHT_SMTP_TIMEOUT_SECONDS", "0"),
            ("HUURTOEZICHT_OUTBOX_LEASE_SECONDS", "24"),
            ("HUURTOEZICHT_OUTBOX_RETRY_HOURS", "0"),
            ("HUURTOEZICHT_OUTBOX_MAX_BACKOFF_SECONDS", "1"),
            ("HUURTOEZICHT_OUTBOX_POLL_MS", "soon"),
        ] {
            assert_eq!(settings(&[(name, value)]).unwrap_err().name, name);
        }
        assert!(settings(&[("HUURTOEZICHT_OUTBOX_LEASE_SECONDS", "25")]).is_ok());
    }
}
