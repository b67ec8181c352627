//! In-memory failure throttling (never persisted, never logged): after too many failures for one
//! key within a window, further attempts are refused with 429 until the window passes. Keys are
//! hashed with a random per-process salt, so not even the process memory holds the raw key
//! (an email address, a client id, a peer address). With several instances each keeps its own
//! counters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use sha2::{Digest, Sha256};

use crate::config::access::{AccessSettings, RateLimit};
use crate::error::AppError;

pub struct FailureThrottle {
    salt: [u8; 32],
    max_failures: u32,
    window: Duration,
    entries: Mutex<HashMap<[u8; 32], (u32, Instant)>>,
}

impl FailureThrottle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        use rand::RngCore;
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self { salt, max_failures, window, entries: Mutex::new(HashMap::new()) }
    }

    /// The salted hash of a key: the first half from the part before the first NUL (the group,
    /// e.g. the account of a login key), the second from the whole key, so that
    /// [`FailureThrottle::clear_group`] finds every key of a group without holding it in clear.
    fn key(&self, raw: &str) -> [u8; 32] {
        let raw = raw.trim().to_lowercase();
        let group = raw.split('\u{0}').next().unwrap_or_default();
        let mut out = [0u8; 32];
        out[..16].copy_from_slice(&self.group_hash(group));
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(raw.as_bytes());
        out[16..].copy_from_slice(&h.finalize()[..16]);
        out
    }

    fn group_hash(&self, group: &str) -> [u8; 16] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(b"group\0");
        h.update(group.trim().to_lowercase().as_bytes());
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.finalize()[..16]);
        out
    }

    /// Forgets the failures of every key of a group (the part of the key before the first NUL).
    pub fn clear_group(&self, group: &str) {
        let g = self.group_hash(group);
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).retain(|k, _| k[..16] != g);
    }

    /// True when `raw` has used up its failures in the current window.
    pub fn is_blocked(&self, raw: &str) -> bool {
        self.blocked_for(raw).is_some()
    }

    /// When `raw` has used up its failures: the whole seconds until the window ends (at least 1),
    /// for a `Retry-After` header.
    pub fn blocked_for(&self, raw: &str) -> Option<u64> {
        let now = Instant::now();
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (n, since) = map.get(&self.key(raw))?;
        let elapsed = now.duration_since(*since);
        (*n >= self.max_failures && elapsed < self.window)
            .then(|| (self.window - elapsed).as_secs_f64().ceil().max(1.0) as u64)
    }

    /// The refusal for a blocked key: 429 with `Retry-After`, or `Ok` when not blocked.
    pub fn check(&self, raw: &str) -> Result<(), AppError> {
        match self.blocked_for(raw) {
            Some(retry_after) => Err(AppError::TooManyRequests { retry_after }),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, raw: &str) {
        let now = Instant::now();
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Keep memory bounded: drop expired entries when the map grows.
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| now.duration_since(*since) < self.window);
        }
        let e = map.entry(self.key(raw)).or_insert((0, now));
        if now.duration_since(e.1) >= self.window {
            *e = (0, now);
        }
        e.0 = e.0.saturating_add(1);
    }

    pub fn clear(&self, raw: &str) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.key(raw));
    }
}

/// The throttle of `POST /v1/auth/token`, keyed by account email or client id AND the source
/// address: failures from one source never lock the account out for another source.
pub struct LoginThrottle(pub FailureThrottle);

impl LoginThrottle {
    /// The key of `account` (email or client id) tried from `source`.
    pub fn key(account: &str, source: Option<IpAddr>) -> String {
        format!(
            "{}\u{0}{}",
            account.trim().to_lowercase(),
            source.map(|ip| ip.to_string()).unwrap_or_default()
        )
    }

    /// Lifts the lockout of an account (email) for every source, after its password was set anew.
    pub fn clear_account(&self, account: &str) {
        self.0.clear_group(account);
    }
}

/// The public write routes limited per source address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// `POST /v1/complaints` without a token.
    Intake,
    /// `POST /v1/accounts/landlords`.
    Registration,
    /// `POST /v1/auth/token`.
    Token,
    /// `POST /v1/auth/password-reset` and `POST /v1/auth/password-reset/confirm`.
    PasswordReset,
}

type Limiter = governor::DefaultKeyedRateLimiter<IpAddr>;

/// Per-source rate limits (GCRA, the `governor` crate) of the public write routes, and the
/// source address of a request. In memory: with several instances each keeps its own counters.
pub struct RateLimits {
    intake: Option<Limiter>,
    registration: Option<Limiter>,
    token: Option<Limiter>,
    password_reset: Option<Limiter>,
    trusted_proxies: Vec<IpAddr>,
}

fn limiter(l: RateLimit) -> Option<Limiter> {
    let per_minute = NonZeroU32::new(l.per_minute)?;
    let burst = NonZeroU32::new(l.burst).unwrap_or(NonZeroU32::MIN);
    let period = Duration::from_secs(60) / per_minute.get();
    let quota = governor::Quota::with_period(period)
        .unwrap_or_else(|| governor::Quota::per_minute(per_minute))
        .allow_burst(burst);
    Some(governor::RateLimiter::dashmap(quota))
}

impl RateLimits {
    pub fn new(settings: &AccessSettings) -> Self {
        Self {
            intake: limiter(settings.intake),
            registration: limiter(settings.registration),
            token: limiter(settings.token),
            password_reset: limiter(settings.password_reset),
            trusted_proxies: settings.trusted_proxies.clone(),
        }
    }

    /// The client's address: the peer, or — when the peer is a trusted proxy — the last address
    /// in `X-Forwarded-For` that is not a trusted proxy.
    pub fn source(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if !self.trusted_proxies.contains(&peer) {
            return Some(peer);
        }
        let hops: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut nearest = peer;
        for hop in hops.into_iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.trusted_proxies.contains(&ip) => nearest = ip,
                Ok(ip) => return Some(ip),
                Err(_) => break,
            }
        }
        Some(nearest)
    }

    fn take(&self, which: Limited, source: Option<IpAddr>) -> Result<(), AppError> {
        let limiter = match which {
            Limited::Intake => &self.intake,
            Limited::Registration => &self.registration,
            Limited::Token => &self.token,
            Limited::PasswordReset => &self.password_reset,
        };
        let (Some(limiter), Some(ip)) = (limiter, source) else { return Ok(()) };
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&ip).map_err(|not_until| {
            use governor::clock::Clock;
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            AppError::TooManyRequests { retry_after: wait.as_secs_f64().ceil().max(1.0) as u64 }
        })
    }

    /// Takes one request of the source's allowance for `which`, or refuses with 429 and
    /// `Retry-After`. A route that takes optional tokens passes only requests without one.
    pub fn check(req: &HttpRequest, which: Limited) -> Result<(), AppError> {
        let limits = req
            .app_data::<actix_web::web::Data<RateLimits>>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("rate limits not configured")))?;
        limits.take(which, limits.source(req))
    }

    /// The client's address as the limits see it (trusted proxies resolved), for other
    /// per-source counters such as the tracking-code throttle.
    pub fn source_of(req: &HttpRequest) -> Option<IpAddr> {
        match req.app_data::<actix_web::web::Data<RateLimits>>() {
            Some(limits) => limits.source(req),
            None => req.peer_addr().map(|a| a.ip()),
        }
    }

    /// [`RateLimits::check`] for requests without an `Authorization` header only (portals with
    /// their own credentials are not limited per address).
    pub fn check_anonymous(req: &HttpRequest, which: Limited) -> Result<(), AppError> {
        if req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
            return Ok(());
        }
        Self::check(req, which)
    }
}

/// The throttle of the tracking-code routes, keyed by the source address (the peer, or behind a
/// trusted proxy the forwarded client; held only as a salted hash in memory).
pub struct TrackCodeThrottle(pub FailureThrottle);

impl TrackCodeThrottle {
    pub fn peer_key(peer: Option<std::net::IpAddr>) -> String {
        peer.map(|ip| ip.to_string()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_and_clears_on_success() {
        let t = FailureThrottle::new(3, Duration::from_secs(60));
        for _ in 0..2 {
            t.record_failure("A@example.nl");
        }
        assert!(!t.is_blocked("a@example.nl"));
        t.record_failure("a@example.nl");
        assert!(t.is_blocked("a@example.nl "));
        assert!(!t.is_blocked("b@example.nl"));
        t.clear("a@example.nl");
        assert!(!t.is_blocked("a@example.nl"));
    }

    #[test]
    fn a_rate_limit_refuses_after_the_burst_with_a_wait() {
        let settings = AccessSettings::from_source(&HashMap::<String, String>::from([
            ("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_PER_MINUTE".into(), "2".into()),
            ("HUURTOEZICHT_RATE_LIMIT_REGISTRATION_BURST".into(), "2".into()),
        ]))
        .unwrap();
        let limits = RateLimits::new(&settings);
        let (a, b) = (Some("10.0.0.1".parse().unwrap()), Some("10.0.0.2".parse().unwrap()));
        assert!(limits.take(Limited::Registration, a).is_ok());
        assert!(limits.take(Limited::Registration, a).is_ok());
        match limits.take(Limited::Registration, a) {
            Err(AppError::TooManyRequests { retry_after }) => assert!((1..=30).contains(&retry_after)),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limits.take(Limited::Registration, b).is_ok(), "another source has its own allowance");
    }

    #[test]
    fn clearing_an_account_lifts_its_lockout_from_every_source_only() {
        let t = LoginThrottle(FailureThrottle::new(1, Duration::from_secs(60)));
        let (a, b) = (Some("10.0.0.1".parse().unwrap()), Some("10.0.0.2".parse().unwrap()));
        for key in [
            LoginThrottle::key("x@example.nl", a),
            LoginThrottle::key("x@example.nl", b),
            LoginThrottle::key("y@example.nl", a),
        ] {
            t.0.record_failure(&key);
        }
        t.clear_account("X@example.nl ");
        assert!(!t.0.is_blocked(&LoginThrottle::key("x@example.nl", a)));
        assert!(!t.0.is_blocked(&LoginThrottle::key("x@example.nl", b)));
        assert!(t.0.is_blocked(&LoginThrottle::key("y@example.nl", a)), "another account stays locked");
    }

    #[test]
    fn the_login_key_holds_account_and_source() {
        let a = LoginThrottle::key("Admin@x.nl", Some("10.0.0.1".parse().unwrap()));
        assert_eq!(a, LoginThrottle::key("admin@x.nl ", Some("10.0.0.1".parse().unwrap())));
        assert_ne!(a, LoginThrottle::key("admin@x.nl", Some("10.0.0.2".parse().unwrap())));
    }

    #[test]
    fn the_window_expires() {
        let t = FailureThrottle::new(1, Duration::from_millis(20));
        t.record_failure("x");
        assert!(t.is_blocked("x"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(!t.is_blocked("x"));
    }
}
