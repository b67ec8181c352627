//! In-memory failure limiter for the tracking-code routes. Counters live only in this process's
//! memory and are keyed by a salted hash of the connection's peer address (salt random per
//! process), never stored or logged; they expire after one window. With several instances each
//! keeps its own counters (the 160-bit code makes guessing hopeless anyway; this is defence in
//! depth against hammering).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub struct FailureLimiter {
    salt: [u8; 32],
    per_window: u32,
    window: Duration,
    counters: Mutex<HashMap<[u8; 32], (Instant, u32)>>,
}

impl FailureLimiter {
    pub fn new(per_window: u32, window: Duration) -> Self {
        use rand::RngCore;
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self { salt, per_window, window, counters: Mutex::new(HashMap::new()) }
    }

    fn key(&self, source: Option<IpAddr>) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(source.map(|ip| ip.to_string()).unwrap_or_default().as_bytes());
        h.finalize().into()
    }

    /// True when this source has used up its failures for the current window.
    pub fn is_blocked(&self, source: Option<IpAddr>) -> bool {
        let key = self.key(source);
        let map = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&key).is_some_and(|(start, n)| start.elapsed() < self.window && *n >= self.per_window)
    }

    pub fn record_failure(&self, source: Option<IpAddr>) {
        let key = self.key(source);
        let mut map = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (start, _)| start.elapsed() < window);
        }
        let e = map.entry(key).or_insert((Instant::now(), 0));
        if e.0.elapsed() >= self.window {
            *e = (Instant::now(), 0);
        }
        e.1 = e.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowed_failures_per_source() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        l.record_failure(a);
        assert!(!l.is_blocked(a));
        l.record_failure(a);
        assert!(l.is_blocked(a));
        assert!(!l.is_blocked(b));
    }
}
