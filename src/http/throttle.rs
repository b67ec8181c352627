//! In-memory failure throttling (never persisted, never logged): after too many failures for one
//! key within a window, further attempts are refused with 429 until the window passes. Keys are
//! hashed with a random per-process salt, so not even the process memory holds the raw key
//! (an email address, a client id, a peer address). With several instances each keeps its own
//! counters.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

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

    fn key(&self, raw: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(raw.trim().to_lowercase().as_bytes());
        h.finalize().into()
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
    pub fn check(&self, raw: &str) -> Result<(), crate::error::AppError> {
        match self.blocked_for(raw) {
            Some(retry_after) => Err(crate::error::AppError::TooManyRequests { retry_after }),
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

/// The throttle of `POST /v1/auth/token`, keyed by account email or client id.
pub struct LoginThrottle(pub FailureThrottle);

/// The throttle of the tracking-code routes, keyed by the peer address (held only as a salted
/// hash in memory).
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
    fn the_window_expires() {
        let t = FailureThrottle::new(1, Duration::from_millis(20));
        t.record_failure("x");
        assert!(t.is_blocked("x"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(!t.is_blocked("x"));
    }
}
