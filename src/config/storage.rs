//! Settings of the embedded SQLite database: how durable a commit is, and how much memory the
//! reading connections hold. PostgreSQL keeps its own durability (`synchronous_commit`, on by
//! default); none of these apply to it.

use super::{err, parse_num, ConfigError, Source};

/// When a SQLite commit is acknowledged (`HUURTOEZICHT_SQLITE_SYNCHRONOUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// `synchronous=FULL` (the default): every commit is on the disk (the write-ahead log is
    /// fsynced) before any request in it is answered. Survives a process crash, a kernel crash
    /// and a power cut.
    Full,
    /// `synchronous=NORMAL`: the log is fsynced only at checkpoints. Survives a process crash;
    /// a kernel crash or power cut can lose the commits of the last moments (never corrupts).
    Normal,
}

impl SqliteSync {
    pub fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Full => "FULL",
            SqliteSync::Normal => "NORMAL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StorageSettings {
    pub synchronous: SqliteSync,
    /// Page cache of each SQLite connection in KiB (`HUURTOEZICHT_SQLITE_CACHE_KIB`, default
    /// 2048). Pages are also shared through the operating system's cache via `mmap`.
    pub cache_kib: u32,
    /// Bytes of the database file each connection may map (`HUURTOEZICHT_SQLITE_MMAP_MIB`,
    /// default 256; 0 turns memory-mapped reads off). Mapped pages are the OS page cache, shared
    /// by all connections, not counted once per connection.
    pub mmap_bytes: u64,
    /// Most write requests committed together in one transaction by the SQLite writer
    /// (`HUURTOEZICHT_SQLITE_MAX_BATCH`, default 64).
    pub max_batch: usize,
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            synchronous: SqliteSync::Full,
            cache_kib: 2048,
            mmap_bytes: 256 << 20,
            max_batch: 64,
        }
    }
}

impl StorageSettings {
    pub fn from_source(src: &dyn Source) -> Result<Self, ConfigError> {
        let d = StorageSettings::default();
        let synchronous =
            match src.get("HUURTOEZICHT_SQLITE_SYNCHRONOUS").map(|v| v.trim().to_ascii_lowercase()) {
                None => d.synchronous,
                Some(v) if v == "full" => SqliteSync::Full,
                Some(v) if v == "normal" => SqliteSync::Normal,
                Some(_) => return Err(err("HUURTOEZICHT_SQLITE_SYNCHRONOUS", "must be `full` or `normal`")),
            };
        let cache_kib = parse_num(src, "HUURTOEZICHT_SQLITE_CACHE_KIB", d.cache_kib)?;
        if !(64..=1_048_576).contains(&cache_kib) {
            return Err(err("HUURTOEZICHT_SQLITE_CACHE_KIB", "must be between 64 and 1048576"));
        }
        let mmap_mib = parse_num(src, "HUURTOEZICHT_SQLITE_MMAP_MIB", d.mmap_bytes >> 20)?;
        if mmap_mib > 65_536 {
            return Err(err("HUURTOEZICHT_SQLITE_MMAP_MIB", "must be at most 65536"));
        }
        let max_batch = parse_num(src, "HUURTOEZICHT_SQLITE_MAX_BATCH", d.max_batch)?;
        if !(1..=1024).contains(&max_batch) {
            return Err(err("HUURTOEZICHT_SQLITE_MAX_BATCH", "must be between 1 and 1024"));
        }
        Ok(StorageSettings { synchronous, cache_kib, mmap_bytes: mmap_mib << 20, max_batch })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn durable_by_default() {
        let s = StorageSettings::from_source(&src(&[])).unwrap();
        assert_eq!(s.synchronous, SqliteSync::Full);
        assert_eq!((s.cache_kib, s.mmap_bytes, s.max_batch), (2048, 256 << 20, 64));
    }

    #[test]
    fn normal_durability_is_a_choice() {
        let s = StorageSettings::from_source(&src(&[("HUURTOEZICHT_SQLITE_SYNCHRONOUS", "Normal")])).unwrap();
        assert_eq!(s.synchronous.pragma(), "NORMAL");
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("HUURTOEZICHT_SQLITE_SYNCHRONOUS", "off"),
            ("HUURTOEZICHT_SQLITE_CACHE_KIB", "1"),
            ("HUURTOEZICHT_SQLITE_MMAP_MIB", "lots"),
            ("HUURTOEZICHT_SQLITE_MAX_BATCH", "0"),
        ] {
            let e = StorageSettings::from_source(&src(&[(name, value)])).unwrap_err();
            assert!(e.to_string().contains(name), "{e}");
        }
    }
}
