//! Settings that bound the server's threads and memory: HTTP workers, the password-hashing
//! pool and the size of the public register's answer cache.

use super::{err, parse_num, ConfigError, Source};

#[derive(Debug, Clone)]
pub struct ResourceSettings {
    /// HTTP worker threads, each with its own event loop (`HUURTOEZICHT_HTTP_WORKERS`, default
    /// the number of CPU cores, as actix-web does).
    pub http_workers: usize,
    /// Threads that hash and check passwords, each keeping one 19 MiB argon2 working buffer
    /// (`HUURTOEZICHT_PASSWORD_HASH_THREADS`, default 1: some 40 logins a second, more than a
    /// municipality's staff and landlords need, for 19 MiB).
    pub password_hash_threads: usize,
    /// Password checks that may wait for a hashing thread; beyond that a login or registration
    /// answers 503 with `Retry-After` (`HUURTOEZICHT_PASSWORD_HASH_QUEUE`, default 64).
    pub password_hash_queue: usize,
    /// A hashing thread without work for this long gives its working memory back
    /// (`HUURTOEZICHT_PASSWORD_HASH_IDLE_SECONDS`, default 1: a burst of logins reuses the
    /// buffer, a single login or the bootstrap admin's hash does not keep 19 MiB for long).
    pub password_hash_idle: std::time::Duration,
    /// Most memory the public register's answer cache may take, in bytes
    /// (`HUURTOEZICHT_REGISTER_CACHE_MAX_MB`, default 4; 0 turns the cache off).
    pub register_cache_max_bytes: u64,
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

impl ResourceSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let http_workers = parse_num(src, "HUURTOEZICHT_HTTP_WORKERS", cores())?;
        if !(1..=256).contains(&http_workers) {
            return Err(err("HUURTOEZICHT_HTTP_WORKERS", "must be between 1 and 256"));
        }
        let password_hash_threads = parse_num(src, "HUURTOEZICHT_PASSWORD_HASH_THREADS", 1usize)?;
        if !(1..=64).contains(&password_hash_threads) {
            return Err(err("HUURTOEZICHT_PASSWORD_HASH_THREADS", "must be between 1 and 64"));
        }
        let password_hash_queue = parse_num(src, "HUURTOEZICHT_PASSWORD_HASH_QUEUE", 64usize)?;
        if !(1..=10_000).contains(&password_hash_queue) {
            return Err(err("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "must be between 1 and 10000"));
        }
        let idle = parse_num(src, "HUURTOEZICHT_PASSWORD_HASH_IDLE_SECONDS", 1u64)?;
        if !(1..=86_400).contains(&idle) {
            return Err(err("HUURTOEZICHT_PASSWORD_HASH_IDLE_SECONDS", "must be between 1 and 86400"));
        }
        let cache_mb = parse_num(src, "HUURTOEZICHT_REGISTER_CACHE_MAX_MB", 4u64)?;
        if cache_mb > 4096 {
            return Err(err("HUURTOEZICHT_REGISTER_CACHE_MAX_MB", "must be at most 4096"));
        }
        Ok(Self {
            http_workers,
            password_hash_threads,
            password_hash_queue,
            password_hash_idle: std::time::Duration::from_secs(idle),
            register_cache_max_bytes: cache_mb * 1024 * 1024,
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
        let s = ResourceSettings::from_source(&src(&[])).unwrap();
        assert_eq!(s.http_workers, cores());
        assert_eq!(s.password_hash_threads, 1);
        assert_eq!(s.password_hash_queue, 64);
        assert_eq!(s.password_hash_idle, std::time::Duration::from_secs(1));
        assert_eq!(s.register_cache_max_bytes, 4 * 1024 * 1024);
        let s = ResourceSettings::from_source(&src(&[
            ("HUURTOEZICHT_HTTP_WORKERS", "1"),
            ("HUURTOEZICHT_PASSWORD_HASH_THREADS", "3"),
            ("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "5"),
        ]))
        .unwrap();
        assert_eq!((s.http_workers, s.password_hash_threads, s.password_hash_queue), (1, 3, 5));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("HUURTOEZICHT_HTTP_WORKERS", "0"),
            ("HUURTOEZICHT_HTTP_WORKERS", "many"),
            ("HUURTOEZICHT_PASSWORD_HASH_THREADS", "0"),
            ("HUURTOEZICHT_PASSWORD_HASH_THREADS", "65"),
            ("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "0"),
            ("HUURTOEZICHT_PASSWORD_HASH_QUEUE", "-3"),
            ("HUURTOEZICHT_PASSWORD_HASH_IDLE_SECONDS", "0"),
            ("HUURTOEZICHT_REGISTER_CACHE_MAX_MB", "4097"),
        ] {
            let e = ResourceSettings::from_source(&src(&[(name, value)])).unwrap_err();
            assert_eq!(e.name, name);
        }
    }
}
