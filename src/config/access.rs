//! Settings of access control: the login lockout, per-source rate limits on the public write
//! routes, the proxies whose `X-Forwarded-For` is believed, and how long the per-request token
//! check may rely on what it read.

use std::net::IpAddr;
use std::time::Duration;

use super::{err, parse_num, ConfigError, Source};

/// A rate limit per source address: `per_minute` requests a minute on average, with bursts of up
/// to `burst`. `per_minute == 0` turns the limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

#[derive(Debug, Clone)]
pub struct AccessSettings {
    /// Wrong passwords (or client secrets) allowed per account and source address before that
    /// source is refused for the account (`HUURTOEZICHT_LOGIN_MAX_FAILURES`, default 10).
    pub login_max_failures: u32,
    /// How long those failures count (`HUURTOEZICHT_LOGIN_LOCKOUT_SECONDS`, default 900).
    pub login_lockout: Duration,
    /// `POST /v1/complaints` without a token (`HUURTOEZICHT_RATE_LIMIT_INTAKE_PER_MINUTE`,
    /// default 20; `…_INTAKE_BURST`, default 10).
    pub intake: RateLimit,
    /// `POST /v1/accounts/landlords` (`HUURTOEZICHT_RATE_LIMIT_REGISTRATION_PER_MINUTE`, default
    /// 5; `…_REGISTRATION_BURST`, default 5).
    pub registration: RateLimit,
    /// `POST /v1/auth/token` (`HUURTOEZICHT_RATE_LIMIT_TOKEN_PER_MINUTE`, default 60;
    /// `…_TOKEN_BURST`, default 20).
    pub token: RateLimit,
    /// Reverse proxies in front of the service (`HUURTOEZICHT_TRUSTED_PROXIES`, comma-separated
    /// IP addresses, default none). Only when the peer is one of them is `X-Forwarded-For` read.
    pub trusted_proxies: Vec<IpAddr>,
    /// How long the state of an account or API client (disabled, security version) is reused by
    /// the per-request token check (`HUURTOEZICHT_TOKEN_STATE_CACHE_MS`, default 1000, at most
    /// 60000; 0 reads it on every request).
    pub token_state_ttl: Duration,
    /// `POST /v1/auth/password-reset` and `…/confirm`
    /// (`HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_PER_MINUTE`, default 5; `…_PASSWORD_RESET_BURST`,
    /// default 5).
    pub password_reset: RateLimit,
    /// How long a password reset link works (`HUURTOEZICHT_PASSWORD_RESET_MINUTES`, default 60,
    /// 5–1440).
    pub password_reset_ttl: Duration,
    /// Where people open the service: the base of the reset link in mails
    /// (`HUURTOEZICHT_PUBLIC_URL`, default `http://127.0.0.1:8080`; `http://` or `https://`,
    /// without a trailing slash).
    pub public_url: String,
}

fn limit(
    src: &dyn Source,
    per_minute: &'static str,
    burst: &'static str,
    d: RateLimit,
) -> Result<RateLimit, ConfigError> {
    let per_minute_v = parse_num(src, per_minute, d.per_minute)?;
    let burst_v = parse_num(src, burst, d.burst)?;
    if per_minute_v > 0 && burst_v == 0 {
        return Err(err(burst, "must be at least 1 when the limit is on"));
    }
    Ok(RateLimit { per_minute: per_minute_v, burst: burst_v })
}

impl AccessSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let login_max_failures = parse_num(src, "HUURTOEZICHT_LOGIN_MAX_FAILURES", 10u32)?;
        if login_max_failures == 0 {
            return Err(err("HUURTOEZICHT_LOGIN_MAX_FAILURES", "must be at least 1"));
        }
        let lockout = parse_num(src, "HUURTOEZICHT_LOGIN_LOCKOUT_SECONDS", 900u64)?;
        if lockout == 0 {
            return Err(err("HUURTOEZICHT_LOGIN_LOCKOUT_SECONDS", "must be at least 1"));
        }
        let trusted_proxies = match src.get("HUURTOEZICHT_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<IpAddr>().map_err(|_| {
                        err("HUURTOEZICHT_TRUSTED_PROXIES", format!("{s:?} is not an IP address"))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let ttl_ms = parse_num(src, "HUURTOEZICHT_TOKEN_STATE_CACHE_MS", 1000u64)?;
        if ttl_ms > 60_000 {
            return Err(err("HUURTOEZICHT_TOKEN_STATE_CACHE_MS", "must be at most 60000"));
        }
        let reset_minutes = parse_num(src, "HUURTOEZICHT_PASSWORD_RESET_MINUTES", 60u64)?;
        if !(5..=1440).contains(&reset_minutes) {
            return Err(err("HUURTOEZICHT_PASSWORD_RESET_MINUTES", "must be between 5 and 1440"));
        }
        let public_url = public_url(src.get("HUURTOEZICHT_PUBLIC_URL"))?;
        Ok(Self {
            login_max_failures,
            login_lockout: Duration::from_secs(lockout),
            intake: limit(
                src,
                "HUURTOEZICHT_RATE_LIMIT_INTAKE_PER_MINUTE",
                "HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST",
                RateLimit { per_minute: 20, burst: 10 },
            )?,
            registration: limit(
                src,
                "HUURTOEZICHT_RATE_LIMIT_REGISTRATION_PER_MINUTE",
                "HUURTOEZICHT_RATE_LIMIT_REGISTRATION_BURST",
                RateLimit { per_minute: 5, burst: 5 },
            )?,
            token: limit(
                src,
                "HUURTOEZICHT_RATE_LIMIT_TOKEN_PER_MINUTE",
                "HUURTOEZICHT_RATE_LIMIT_TOKEN_BURST",
                RateLimit { per_minute: 60, burst: 20 },
            )?,
            password_reset: limit(
                src,
                "HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_PER_MINUTE",
                "HUURTOEZICHT_RATE_LIMIT_PASSWORD_RESET_BURST",
                RateLimit { per_minute: 5, burst: 5 },
            )?,
            trusted_proxies,
            token_state_ttl: Duration::from_millis(ttl_ms),
            password_reset_ttl: Duration::from_secs(reset_minutes * 60),
            public_url,
        })
    }
}

/// The public base URL: `http(s)://host[:port][/path]`, trailing slashes dropped.
fn public_url(raw: Option<String>) -> Result<String, ConfigError> {
    const NAME: &str = "HUURTOEZICHT_PUBLIC_URL";
    let Some(raw) = raw else { return Ok("http://127.0.0.1:8080".into()) };
    let url = raw.trim().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        None => Err(err(NAME, "must start with http:// or https://")),
        Some(h) if h.is_empty() || h.starts_with('/') => Err(err(NAME, "must name a host")),
        Some(_) if url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err(err(NAME, "must be a plain base URL (no spaces, query or fragment)"))
        }
        Some(_) => Ok(url.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn defaults_are_sane() {
        let a = AccessSettings::from_source(&src(&[])).unwrap();
        assert_eq!(a.login_max_failures, 10);
        assert_eq!(a.intake, RateLimit { per_minute: 20, burst: 10 });
        assert_eq!(a.registration, RateLimit { per_minute: 5, burst: 5 });
        assert!(a.trusted_proxies.is_empty());
        assert_eq!(a.password_reset, RateLimit { per_minute: 5, burst: 5 });
        assert_eq!(a.password_reset_ttl, Duration::from_secs(3600));
        assert_eq!(a.public_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn the_reset_settings_are_checked() {
        let a = AccessSettings::from_source(&src(&[(
            "HUURTOEZICHT_PUBLIC_URL",
            " https://toezicht.example.nl/ ",
        )]))
        .unwrap();
        assert_eq!(a.public_url, "https://toezicht.example.nl");
        for bad in ["toezicht.example.nl", "https://", "https://x.nl/?a=b", "ftp://x.nl"] {
            let e = AccessSettings::from_source(&src(&[("HUURTOEZICHT_PUBLIC_URL", bad)])).unwrap_err();
            assert!(e.to_string().contains("HUURTOEZICHT_PUBLIC_URL"), "{bad}: {e}");
        }
        for bad in ["0", "4", "1441", "soon"] {
            let e = AccessSettings::from_source(&src(&[("HUURTOEZICHT_PASSWORD_RESET_MINUTES", bad)]))
                .unwrap_err();
            assert!(e.to_string().contains("HUURTOEZICHT_PASSWORD_RESET_MINUTES"), "{bad}: {e}");
        }
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = AccessSettings::from_source(&src(&[("HUURTOEZICHT_TRUSTED_PROXIES", "10.0.0.1, proxy")]))
            .unwrap_err();
        assert!(e.to_string().contains("HUURTOEZICHT_TRUSTED_PROXIES"), "{e}");
        let e =
            AccessSettings::from_source(&src(&[("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST", "0")])).unwrap_err();
        assert!(e.to_string().contains("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST"), "{e}");
        let ok =
            AccessSettings::from_source(&src(&[("HUURTOEZICHT_TRUSTED_PROXIES", "10.0.0.1,::1")])).unwrap();
        assert_eq!(ok.trusted_proxies.len(), 2);
    }
}
