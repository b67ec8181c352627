//! Webhooks: the rules of a subscription and of delivering to it, with no I/O.
//!
//! - [`addresses`]: which network addresses a callback may reach (no server-side request forgery).
//! - [`CallbackUrl`]: the shape of a callback URL (`https`, a host, no credentials).
//! - [`RetrySchedule`]: exponential backoff with full jitter, then the dead letter.
//! - [`signing`]: the subscription's secret and the Standard Webhooks signature.

pub mod addresses;
pub mod signing;

use std::time::Duration;

/// Whether a subscription receives deliveries now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionState {
    Active,
    /// Kept failing: its deliveries wait until the owner resumes it.
    Paused,
}
crate::closed_set!(SubscriptionState { Active => "active", Paused => "paused" });

/// Where one delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed; replayed only by a redelivery.
    DeadLetter,
}
crate::closed_set!(DeliveryState { Pending => "pending", Delivered => "delivered", DeadLetter => "dead_letter" });

/// A callback URL whose shape is acceptable; whether its host resolves to an allowed address is
/// checked separately (at creation and at every delivery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrl {
    url: url::Url,
}

impl CallbackUrl {
    /// At most this many characters.
    pub const MAX_LEN: usize = 2000;

    /// Parses `raw`: an absolute `https` URL (also `http` when `allow_insecure`) with a host,
    /// without user name, password or fragment; a literal IP address must be allowed by
    /// [`addresses::refusal`] unless `allow_insecure`. The error is the reason.
    pub fn parse(raw: &str, allow_insecure: bool) -> Result<Self, String> {
        if raw.len() > Self::MAX_LEN {
            return Err(format!("must be at most {} characters", Self::MAX_LEN));
        }
        let url = url::Url::parse(raw.trim()).map_err(|e| format!("is not an absolute URL ({e})"))?;
        match url.scheme() {
            "https" => {}
            "http" if allow_insecure => {}
            "http" => return Err("must use https".into()),
            other => return Err(format!("must use https, not {other}")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("must not contain a user name or password".into());
        }
        if url.fragment().is_some() {
            return Err("must not contain a fragment (#…)".into());
        }
        let Some(host) = url.host() else { return Err("must name a host".into()) };
        if !allow_insecure {
            let ip = match host {
                url::Host::Ipv4(ip) => Some(std::net::IpAddr::V4(ip)),
                url::Host::Ipv6(ip) => Some(std::net::IpAddr::V6(ip)),
                url::Host::Domain(_) => None,
            };
            if let Some(why) = ip.and_then(addresses::refusal) {
                return Err(format!("points to {}", why.reason()));
            }
        }
        Ok(CallbackUrl { url })
    }

    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The host to resolve (a name, or a literal address without brackets).
    pub fn host(&self) -> String {
        match self.url.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(h) => h.to_string(),
            None => String::new(),
        }
    }

    pub fn port(&self) -> u16 {
        self.url.port_or_known_default().unwrap_or(443)
    }
}

/// When a failed delivery is tried again: exponential backoff with full jitter
/// (`wait = random(0, min(cap, base · 2^(n−1)))` after the n-th failed attempt), and after
/// `max_attempts` attempts the dead letter. Numbers from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetrySchedule {
    pub base: Duration,
    pub cap: Duration,
    pub max_attempts: u32,
}

impl RetrySchedule {
    /// The ceiling of the wait after the `failures`-th failed attempt (1 or more).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(40);
        self.base.saturating_mul(1u32 << exp.min(31)).min(self.cap)
    }

    /// The wait before the next attempt after the `failures`-th failed attempt, `None` when that
    /// was the last one (dead letter). `random` in [0, 1) picks the point in the jitter window.
    pub fn next_wait(&self, failures: u32, random: f64) -> Option<Duration> {
        if failures >= self.max_attempts {
            return None;
        }
        Some(self.ceiling(failures).mul_f64(random.clamp(0.0, 1.0)))
    }
}

/// Whether a subscription is paused: after `threshold` dead-lettered deliveries in a row (a
/// delivered one resets the count).
pub fn should_pause(consecutive_dead_letters: i32, threshold: u32) -> bool {
    i64::from(consecutive_dead_letters) >= i64::from(threshold)
}

/// Whether an HTTP status code is a successful delivery.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn callback_urls_must_be_https_unless_insecure_is_allowed() {
        assert!(CallbackUrl::parse("https://portal.example.nl/hooks", false).is_ok());
        assert_eq!(
            CallbackUrl::parse("http://portal.example.nl/hooks", false).unwrap_err(),
            "must use https"
        );
        assert!(CallbackUrl::parse("http://portal.example.nl/hooks", true).is_ok());
        assert!(CallbackUrl::parse("ftp://portal.example.nl/", true).unwrap_err().contains("ftp"));
        assert!(CallbackUrl::parse("/hooks", false).unwrap_err().contains("absolute"));
        assert!(CallbackUrl::parse("https://u:p@portal.example.nl/", false)
            .unwrap_err()
            .contains("password"));
        assert!(CallbackUrl::parse("https://portal.example.nl/#x", false).unwrap_err().contains("fragment"));
    }

    #[test]
    fn literal_addresses_are_judged_unless_insecure_is_allowed() {
        for u in [
            "https://127.0.0.1/",
            "https://10.0.0.8:8443/x",
            "https://169.254.169.254/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
        ] {
            assert!(CallbackUrl::parse(u, false).unwrap_err().starts_with("points to"), "{u}");
            assert!(CallbackUrl::parse(u, true).is_ok(), "{u}");
        }
        let u = CallbackUrl::parse("https://[2a00:1450::1]:8443/x", false).unwrap();
        assert_eq!((u.host().as_str(), u.port()), ("2a00:1450::1", 8443));
        assert_eq!(CallbackUrl::parse("https://portal.example.nl/x", false).unwrap().port(), 443);
    }

    #[test]
    fn backoff_grows_exponentially_is_capped_and_jitters_below_the_ceiling() {
        let s = RetrySchedule { base: Duration::from_secs(5), cap: Duration::from_secs(60), max_attempts: 6 };
        let ceilings: Vec<u64> = (1..=6).map(|n| s.ceiling(n).as_secs()).collect();
        assert_eq!(ceilings, [5, 10, 20, 40, 60, 60]);
        assert_eq!(s.next_wait(3, 0.5), Some(Duration::from_secs(10)));
        assert_eq!(s.next_wait(3, 0.0), Some(Duration::ZERO));
        assert!(s.next_wait(3, 0.999).unwrap() < Duration::from_secs(20));
        assert_eq!(s.next_wait(6, 0.5), None, "the sixth failure is the last: dead letter");
        assert_eq!(s.ceiling(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn a_subscription_pauses_after_the_threshold_of_dead_letters_in_a_row() {
        assert!(!should_pause(2, 3));
        assert!(should_pause(3, 3));
        assert!(is_success(204) && !is_success(301) && !is_success(500));
    }
}
