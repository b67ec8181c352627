//! What a process has paid, read from `/proc`: CPU time (user + system, all threads), resident
//! memory and bytes sent towards the disk.

use std::path::Path;

/// Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`; 100 on Linux if unknown).
pub fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// The fields of `/proc/<pid>/stat` after the command name (field 3 onwards).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let raw = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &raw[raw.rfind(')')? + 1..];
    Some(after.split_whitespace().map(str::to_string).collect())
}

/// utime + stime of the process in clock ticks (fields 14 and 15).
pub fn cpu_ticks(pid: u32) -> u64 {
    stat_fields(pid)
        .map(|f| {
            let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            n(11) + n(12)
        })
        .unwrap_or(0)
}

/// The parent pid (field 4).
fn ppid(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// A `kB` line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in MiB.
pub fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(&format!("{field}:")))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// `write_bytes` of `/proc/<pid>/io`: bytes this process caused to be sent to the storage layer.
pub fn write_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("write_bytes:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The processes of a PostgreSQL cluster: the postmaster (first line of `postmaster.pid` in the
/// data directory) and its children (backends, WAL writer, checkpointer…).
pub fn postgres_pids(data_directory: &Path) -> Vec<u32> {
    let Some(master) = std::fs::read_to_string(data_directory.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
    else {
        return Vec::new();
    };
    let mut pids = vec![master];
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) {
                if ppid(pid) == Some(master) {
                    pids.push(pid);
                }
            }
        }
    }
    pids
}

/// A snapshot of what a server process (and its database processes, on PostgreSQL) has used.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    pub api_ticks: u64,
    pub db_ticks: u64,
    pub write_bytes: u64,
    pub db_write_bytes: u64,
}

impl Sample {
    pub fn take(pid: u32, db_dir: Option<&Path>) -> Sample {
        let db = db_dir.map(postgres_pids).unwrap_or_default();
        Sample {
            api_ticks: cpu_ticks(pid),
            db_ticks: db.iter().map(|p| cpu_ticks(*p)).sum(),
            write_bytes: write_bytes(pid),
            db_write_bytes: db.iter().map(|p| write_bytes(*p)).sum(),
        }
    }
}

/// The cost of one request between two samples: API CPU ms, database CPU ms, bytes written.
#[derive(Clone, Copy, Debug, Default)]
pub struct PerRequest {
    pub api_cpu_ms: f64,
    pub db_cpu_ms: f64,
    pub write_bytes: f64,
    pub db_write_bytes: f64,
}

pub fn per_request(before: Sample, after: Sample, requests: u64, ticks_per_sec: f64) -> PerRequest {
    let n = requests.max(1) as f64;
    let ms = |t: u64| t as f64 * 1000.0 / ticks_per_sec / n;
    PerRequest {
        api_cpu_ms: ms(after.api_ticks.saturating_sub(before.api_ticks)),
        db_cpu_ms: ms(after.db_ticks.saturating_sub(before.db_ticks)),
        write_bytes: after.write_bytes.saturating_sub(before.write_bytes) as f64 / n,
        db_write_bytes: after.db_write_bytes.saturating_sub(before.db_write_bytes) as f64 / n,
    }
}
