//! The reference for the disk: how many single-row transactions per second SQLite commits on
//! this machine, WAL mode, `synchronous=NORMAL` or `=FULL`. Each thread has its own connection
//! and runs `INSERT` (one row, autocommit: one transaction each) in a loop; the default is one
//! thread on one connection, the cleanest measure of what one commit costs.
//!
//! ```sh
//! cargo run --release --example sqlite_commit -- --synchronous full --seconds 5 --threads 1 --dir /var/tmp
//! ```
//! Prints one line: `sqlite_commit synchronous=full threads=1 commits=N seconds=S commits_per_sec=X`.
//! The database file is created in `--dir` (default: the system temp folder; put it on the disk
//! the application uses) and removed afterwards.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

diesel::table! {
    commit_probe (id) {
        id -> Integer,
        body -> Text,
    }
}

#[derive(Insertable)]
#[diesel(table_name = commit_probe)]
struct Row<'a> {
    body: &'a str,
}

struct Options {
    synchronous: String,
    seconds: f64,
    threads: usize,
    dir: PathBuf,
}

fn options() -> Result<Options, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let synchronous = value("--synchronous").unwrap_or_else(|| "normal".into()).to_ascii_lowercase();
    if !["normal", "full", "off", "extra"].contains(&synchronous.as_str()) {
        return Err(format!("--synchronous: expected normal or full, got {synchronous}"));
    }
    let seconds = match value("--seconds") {
        None => 5.0,
        Some(s) => s.parse::<f64>().map_err(|_| format!("--seconds: not a number: {s}"))?,
    };
    let threads = match value("--threads") {
        None => 1,
        Some(s) => {
            s.parse::<usize>().ok().filter(|n| *n > 0).ok_or(format!("--threads: not a count: {s}"))?
        }
    };
    let dir = value("--dir").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    Ok(Options { synchronous, seconds, threads, dir })
}

fn connect(path: &str, synchronous: &str) -> Result<SqliteConnection, String> {
    let mut c = SqliteConnection::establish(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    c.batch_execute(&format!(
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};"
    ))
    .map_err(|e| format!("pragmas: {e}"))?;
    Ok(c)
}

fn run() -> Result<(), String> {
    let o = options()?;
    let file = o.dir.join(format!("sqlite-commit-{}.db", std::process::id()));
    let path = file.display().to_string();
    let mut setup = connect(&path, &o.synchronous)?;
    setup
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS commit_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
        )
        .map_err(|e| format!("create table: {e}"))?;
    let body = "a single-row commit of about one hundred bytes, the size of a small audit or outbox row....";
    let commits = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..o.threads)
        .map(|_| {
            let (path, sync, commits, stop) =
                (path.clone(), o.synchronous.clone(), commits.clone(), stop.clone());
            std::thread::spawn(move || -> Result<(), String> {
                let mut c = connect(&path, &sync)?;
                while !stop.load(Ordering::Relaxed) {
                    match diesel::insert_into(commit_probe::table).values(Row { body }).execute(&mut c) {
                        Ok(_) => {
                            commits.fetch_add(1, Ordering::Relaxed);
                        }
                        // Many connections at once: SQLite's busy handler is not fair, and a
                        // connection may wait past its timeout. That is a lost turn, not a
                        // failure of the measurement: try again.
                        Err(e) if e.to_string().contains("database is locked") => {}
                        Err(e) => return Err(format!("insert: {e}")),
                    }
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(o.seconds));
    stop.store(true, Ordering::Relaxed);
    let mut failure = None;
    for w in workers {
        match w.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failure = Some(e),
            Err(_) => failure = Some("a worker thread panicked".into()),
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    drop(setup);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let n = commits.load(Ordering::Relaxed);
    println!(
        "sqlite_commit synchronous={} threads={} commits={n} seconds={elapsed:.2} commits_per_sec={:.0}",
        o.synchronous,
        o.threads,
        n as f64 / elapsed
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sqlite_commit: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
