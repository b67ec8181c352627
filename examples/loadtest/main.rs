//! The benchmark that measures what users pay: the release binary runs as its own process on a
//! seeded database; the load generator oha drives it over loopback; the server's CPU time,
//! resident memory and bytes written come from `/proc`. In the same run, a bare actix-web route
//! (`examples/bare.rs`) and a raw SQLite commit loop (`examples/sqlite_commit.rs`) give the
//! references, and every target of issue 11 is printed as measured / reference / ratio / met.
//!
//! Run it through `scripts/loadtest` (builds what it needs, installs oha if absent). Settings:
//! `LOADTEST_SECONDS` (10) per scenario, `LOADTEST_CONNECTIONS` (32), `LOADTEST_LIST_CLIENTS`
//! (4), `LOADTEST_MIXED_SECONDS` (60), `LOADTEST_SMALL_ROWS` (10,000) and `LOADTEST_BIG_ROWS`
//! (1,000,000) complaints for the officer list, `LOADTEST_WARMUP_SECONDS` (1),
//! `LOADTEST_DIR` (work folder, default a temporary one: put it on the disk to measure),
//! `LOADTEST_SERVER_LOG` (file for the servers' logs; default none), `LOADTEST_APP` (the application
//! binary; default `huurtoezicht` beside the examples), `LOADTEST_STEPS` (only these
//! parts, comma-separated: `references`, `intake`, `intake normal`, `seeded`, `parties`). With `TEST_DATABASE_URL`
//! or `HUURTOEZICHT_DATABASE_URL` set to a PostgreSQL server (an account that may create
//! databases), the application runs on a fresh database there and the database's CPU is
//! reported apart from the API's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod oha;
mod procfs;
mod report;
mod seed;
#[path = "../common/seed_sql.rs"]
mod seed_sql;
mod server;
mod webhooks;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use report::{Measure, Report};
use seed::Database;

pub struct Settings {
    pub seconds: f64,
    pub warmup: f64,
    pub connections: usize,
    pub list_clients: usize,
    pub mixed_seconds: f64,
    pub small_rows: u64,
    pub big_rows: u64,
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("loadtest: {name}: not a number: {v:?}");
            std::process::exit(2)
        }),
        _ => default,
    }
}

fn token(role: &str, municipalities: &[&str], landlord_id: Option<&str>) -> String {
    let now = chrono::Utc::now().timestamp();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({"iss":"huurtoezicht","aud":"huurtoezicht-api","sub":uuid::Uuid::new_v4().to_string(),
                "iat":now,"exp":now+3600,"jti":uuid::Uuid::new_v4().to_string(),"role":role,
                "municipalities":municipalities,"landlord_id":landlord_id}),
        &jsonwebtoken::EncodingKey::from_secret(server::JWT_SECRET.as_bytes()),
    )
    .unwrap()
}

const INTAKE_BODY: &str = r#"{"category":"overcrowding","language":"pl","description":"Twelve people in four rooms; the landlord threatens to evict us if we complain.","address":{"postcode":"3011 AB","house_number":12}}"#;

/// PostgreSQL: the server's admin URL (from the environment) and its data directory.
struct Postgres {
    admin_url: String,
    data_dir: PathBuf,
}

impl Postgres {
    fn from_env() -> Option<Postgres> {
        let url = ["HUURTOEZICHT_DATABASE_URL", "TEST_DATABASE_URL"]
            .iter()
            .filter_map(|n| std::env::var(n).ok())
            .find(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))?;
        use diesel::{Connection, RunQueryDsl};
        #[derive(diesel::QueryableByName)]
        struct Setting {
            #[diesel(sql_type = diesel::sql_types::Text)]
            setting: String,
        }
        let mut c = diesel::PgConnection::establish(&url).expect("cannot connect to PostgreSQL");
        let dir: Vec<Setting> =
            diesel::sql_query("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
                .load(&mut c)
                .unwrap();
        let data_dir = dir.first().map(|s| PathBuf::from(&s.setting)).unwrap_or_default();
        Some(Postgres { admin_url: url, data_dir })
    }

    fn settings(&self) -> String {
        use diesel::{Connection, RunQueryDsl};
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            s: String,
        }
        let Ok(mut c) = diesel::PgConnection::establish(&self.admin_url) else { return String::new() };
        let q = "SELECT version() || '; fsync=' || current_setting('fsync') || ', synchronous_commit=' \
                 || current_setting('synchronous_commit') AS s";
        diesel::sql_query(q)
            .load::<Row>(&mut c)
            .ok()
            .and_then(|r| r.into_iter().next())
            .map(|r| r.s)
            .unwrap_or_default()
    }

    fn fresh(&self) -> Database {
        use diesel::{Connection, RunQueryDsl};
        let name = format!("loadtest_{}", uuid::Uuid::new_v4().simple());
        let mut c = diesel::PgConnection::establish(&self.admin_url).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).unwrap();
        let (prefix, _) = self.admin_url.rsplit_once('/').unwrap();
        Database { url: format!("{prefix}/{name}"), postgres: true }
    }

    fn drop_database(&self, db: &Database) {
        use diesel::{Connection, RunQueryDsl};
        if let (Ok(mut c), Some((_, name))) =
            (diesel::PgConnection::establish(&self.admin_url), db.url.rsplit_once('/'))
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
        }
    }
}

/// The run: everything the report needs.
struct Run {
    rt: tokio::runtime::Runtime,
    bin_dir: PathBuf,
    work: PathBuf,
    s: Settings,
    pg: Option<Postgres>,
    ticks: f64,
    report: Report,
}

impl Run {
    fn fresh_database(&self, name: &str) -> Database {
        match &self.pg {
            Some(pg) => pg.fresh(),
            None => Database {
                url: format!("sqlite://{}", self.work.join(format!("{name}.db")).display()),
                postgres: false,
            },
        }
    }

    fn db_dir(&self) -> Option<&Path> {
        self.pg.as_ref().map(|p| p.data_dir.as_path())
    }

    fn release(&self, app: server::Process, db: &Database) {
        app.stop();
        if let Some(pg) = &self.pg {
            pg.drop_database(db);
        }
    }

    /// Runs oha for the measured time after a warm-up; with a pid, also the server's costs.
    fn measure(&mut self, name: &str, load: oha::Load<'_>, pid: Option<u32>) -> Result<Measure, String> {
        if self.s.warmup > 0.0 {
            oha::run(&oha::Load { seconds: self.s.warmup, ..load })?;
        }
        let before = pid.map(|p| procfs::Sample::take(p, self.db_dir()));
        let o = oha::run(&load)?;
        let cost = match (pid, before) {
            (Some(p), Some(b)) => {
                Some(procfs::per_request(b, procfs::Sample::take(p, self.db_dir()), o.ok, self.ticks))
            }
            _ => None,
        };
        if let Some(f) = &o.first_failure {
            eprintln!("loadtest: {name}: {} failed requests (first: {f})", o.failed);
        }
        let m = Measure::of(name, load.connections, &o, cost);
        eprintln!("loadtest: {}", m.line());
        self.report.scenarios.push(m.clone());
        Ok(m)
    }

    fn references(&mut self) -> Result<(), String> {
        let secs = self.s.seconds;
        eprintln!("loadtest: raw SQLite commits (one connection, WAL)…");
        self.report.raw_normal = server::sqlite_commits(&self.bin_dir, &self.work, "normal", secs, 1)?;
        self.report.raw_full = server::sqlite_commits(&self.bin_dir, &self.work, "full", secs, 1)?;
        // The same loop on as many connections as the intake load has clients: what that many
        // independent writers get from SQLite with a full sync each, without group commit.
        let c = self.s.connections;
        eprintln!("loadtest: raw SQLite commits, synchronous=FULL, {c} connections…");
        self.report.raw_full_concurrent = server::sqlite_commits(&self.bin_dir, &self.work, "full", secs, c)
            .unwrap_or_else(|e| {
                eprintln!("loadtest: raw FULL on {c} connections not measured: {e}");
                f64::NAN
            });
        let bare = server::start_bare(&self.rt, &self.bin_dir)?;
        let (base, c) = (bare.base.clone(), self.s.connections);
        let root = format!("{base}/");
        self.report.bare_root = self.measure("bare GET /", oha::Load::get(&root, c, secs), None)?.ok_per_sec;
        let health = format!("{base}/health");
        self.report.bare_health =
            self.measure("bare GET /health", oha::Load::get(&health, c, secs), None)?.ok_per_sec;
        bare.stop();
        Ok(())
    }

    /// Complaint intake on a fresh database with the given durability setting.
    fn intake(&mut self, label: &str, synchronous: &str) -> Result<Measure, String> {
        let db = self.fresh_database(&format!("intake-{label}"));
        let app = server::start_app(
            &self.rt,
            &self.bin_dir,
            &self.work,
            &db.url,
            &[("HUURTOEZICHT_SQLITE_SYNCHRONOUS", synchronous)],
        )?;
        std::thread::sleep(Duration::from_secs(2));
        if self.report.rss_idle_mib.is_nan() {
            self.report.rss_idle_mib = procfs::status_mib(app.pid, "VmRSS");
            self.report.anon_idle_mib = procfs::status_mib(app.pid, "RssAnon");
        }
        let url = format!("{}/v1/complaints", app.base);
        let load = oha::Load {
            method: "POST",
            json_body: Some(INTAKE_BODY),
            ..oha::Load::get(&url, self.s.connections, self.s.seconds)
        };
        let m = self.measure(&format!("complaint intake ({label})"), load, Some(app.pid))?;
        self.release(app, &db);
        Ok(m)
    }

    /// Submits `seconds` worth of different drafts with `connections` keep-alive clients (oha
    /// cannot give each request its own record: a repeat would be a 409).
    fn submit(&mut self, app: &server::Process) -> Result<Measure, String> {
        let token = token("landlord", &[], Some(seed::LANDLORD));
        let drafts = seed::ADDRESSES / 4;
        let next = Arc::new(AtomicU64::new(0));
        let run = |seconds: f64| {
            let (base, token, next) = (app.base.clone(), token.clone(), next.clone());
            let connections = self.s.connections;
            self.rt.block_on(async move {
                let client = reqwest::Client::builder().pool_max_idle_per_host(connections).build().unwrap();
                let until = Instant::now() + Duration::from_secs_f64(seconds);
                let started = Instant::now();
                let tasks: Vec<_> = (0..connections)
                    .map(|_| {
                        let (client, base, token, next) =
                            (client.clone(), base.clone(), token.clone(), next.clone());
                        tokio::spawn(async move {
                            let (mut lat, mut failed) = (Vec::new(), 0u64);
                            while Instant::now() < until {
                                let k = next.fetch_add(1, Ordering::Relaxed);
                                if k >= drafts {
                                    break;
                                }
                                let t = Instant::now();
                                let url = format!("{base}/v1/licence-applications/app-{}/submit", k * 4);
                                match client.post(url).bearer_auth(&token).send().await {
                                    Ok(r) if r.status().is_success() => {
                                        let _ = r.bytes().await;
                                        lat.push(t.elapsed());
                                    }
                                    _ => failed += 1,
                                }
                            }
                            (lat, failed)
                        })
                    })
                    .collect();
                let mut all = Vec::new();
                let mut failed = 0;
                for t in tasks {
                    let (l, f) = t.await.unwrap_or_default();
                    all.extend(l);
                    failed += f;
                }
                all.sort();
                let pct = |p: f64| {
                    all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
                        .map(|d| d.as_secs_f64() * 1000.0)
                        .unwrap_or(f64::NAN)
                };
                let ok = all.len() as u64;
                oha::Outcome {
                    ok,
                    failed,
                    ok_per_sec: ok as f64 / started.elapsed().as_secs_f64(),
                    p50_ms: pct(0.5),
                    p99_ms: pct(0.99),
                    first_failure: None,
                }
            })
        };
        if self.s.warmup > 0.0 {
            run(self.s.warmup);
        }
        let before = procfs::Sample::take(app.pid, self.db_dir());
        let o = run(self.s.seconds);
        let cost =
            procfs::per_request(before, procfs::Sample::take(app.pid, self.db_dir()), o.ok, self.ticks);
        if o.failed > 0 {
            eprintln!("loadtest: licence submit: {} failed requests", o.failed);
        }
        let m = Measure::of("licence submit", self.s.connections, &o, Some(cost));
        eprintln!("loadtest: {}", m.line());
        self.report.scenarios.push(m.clone());
        Ok(m)
    }

    /// Register, submit, officer list at two sizes and the mixed load, on one seeded database.
    /// The register's answer cache is off unless the environment sets it: oha picks addresses at
    /// random, and a repeat within the cache's lifetime would measure the cache, not the lookup.
    fn seeded(&mut self) -> Result<(), String> {
        let db = self.fresh_database("seeded");
        let cache = std::env::var("HUURTOEZICHT_REGISTER_CACHE_SECONDS").unwrap_or_else(|_| "0".into());
        let app = server::start_app(
            &self.rt,
            &self.bin_dir,
            &self.work,
            &db.url,
            &[("HUURTOEZICHT_SQLITE_SYNCHRONOUS", ""), ("HUURTOEZICHT_REGISTER_CACHE_SECONDS", &cache)],
        )?;
        self.report.register_cache = cache;
        let t = Instant::now();
        seed::licensing(&db)?;
        seed::complaints(&db, 0, self.s.small_rows)?;
        db.analyze()?;
        eprintln!(
            "loadtest: seeded {} addresses and {} complaints in {:.1} s",
            seed::ADDRESSES,
            self.s.small_rows,
            t.elapsed().as_secs_f64()
        );
        let (c, secs) = (self.s.connections, self.s.seconds);
        let health = format!("{}/health", app.base);
        self.report.health =
            self.measure("GET /health", oha::Load::get(&health, c, secs), Some(app.pid))?.ok_per_sec;
        let register = format!("{}{}", app.base, seed::REGISTER_URL_REGEX);
        let load = oha::Load { regex: true, ..oha::Load::get(&register, c, secs) };
        self.report.register =
            self.measure("register lookup (100k addresses)", load, Some(app.pid))?.ok_per_sec;
        seed::sanctions(&db)?;
        db.analyze()?;
        let sanctions = format!("{}{}", app.base, seed::SANCTIONS_URL_REGEX);
        let load = oha::Load { regex: true, ..oha::Load::get(&sanctions, c, secs) };
        self.report.sanctions_register = self
            .measure("sanctions register lookup (100k addresses, 10k fines)", load, Some(app.pid))?
            .ok_per_sec;
        self.report.submit = Some(self.submit(&app)?);

        let officer = token("officer", &["GM0599"], None);
        let list = format!("{}/v1/complaints?limit=50", app.base);
        let list_clients = self.s.list_clients;
        let list_load = |u| oha::Load { bearer: Some(&officer), ..oha::Load::get(u, list_clients, secs) };
        let name = format!("officer list, {} complaints", self.s.small_rows);
        self.report.list_small = Some(self.measure(&name, list_load(&list), Some(app.pid))?);

        self.mixed(&app, &officer)?;

        let t = Instant::now();
        seed::complaints(&db, self.s.small_rows, self.s.big_rows)?;
        db.analyze()?;
        eprintln!(
            "loadtest: seeded up to {} complaints in {:.1} s",
            self.s.big_rows,
            t.elapsed().as_secs_f64()
        );
        let name = format!("officer list, {} complaints", self.s.big_rows);
        self.report.list_big = Some(self.measure(&name, list_load(&list), Some(app.pid))?);
        self.release(app, &db);
        Ok(())
    }

    /// The staff search over 100,000 recorded parties: `LOADTEST_LIST_CLIENTS` officers (4) with
    /// varied prefixes, KvK numbers and two-word queries, for `LOADTEST_SECONDS`.
    fn parties(&mut self) -> Result<(), String> {
        let db = self.fresh_database("parties");
        let app = server::start_app(&self.rt, &self.bin_dir, &self.work, &db.url, &[])?;
        let t = Instant::now();
        seed::parties(&db)?;
        db.analyze()?;
        eprintln!("loadtest: seeded {} parties in {:.1} s", seed::PARTIES, t.elapsed().as_secs_f64());
        let officer = token("officer", &["GM0599"], None);
        let url = format!("{}{}", app.base, seed::PARTY_SEARCH_URL_REGEX);
        let load = oha::Load {
            regex: true,
            bearer: Some(&officer),
            ..oha::Load::get(&url, self.s.list_clients, self.s.seconds)
        };
        let name = format!("party search, {} parties", seed::PARTIES);
        self.report.party_search = Some(self.measure(&name, load, Some(app.pid))?);
        self.release(app, &db);
        Ok(())
    }

    /// Logins, register lookups, intake and the officer list at once, then the resident memory.
    fn mixed(&mut self, app: &server::Process, officer: &str) -> Result<(), String> {
        let secs = self.s.mixed_seconds;
        let login_body =
            serde_json::json!({"email": server::ADMIN_EMAIL, "password": server::ADMIN_PASSWORD}).to_string();
        let (token_url, register, intake, list) = (
            format!("{}/v1/auth/token", app.base),
            format!("{}{}", app.base, seed::REGISTER_URL_REGEX),
            format!("{}/v1/complaints", app.base),
            format!("{}/v1/complaints?limit=50", app.base),
        );
        let loads = [
            (
                "logins",
                oha::Load {
                    method: "POST",
                    json_body: Some(&login_body),
                    ..oha::Load::get(&token_url, 2, secs)
                },
            ),
            ("register lookups", oha::Load { regex: true, ..oha::Load::get(&register, 8, secs) }),
            (
                "complaint intake",
                oha::Load {
                    method: "POST",
                    json_body: Some(INTAKE_BODY),
                    ..oha::Load::get(&intake, 4, secs)
                },
            ),
            ("officer list", oha::Load { bearer: Some(officer), ..oha::Load::get(&list, 2, secs) }),
        ];
        eprintln!("loadtest: mixed load for {secs} s…");
        let children = loads.iter().map(|(_, l)| oha::start(l)).collect::<Result<Vec<_>, _>>()?;
        let mut parts = Vec::new();
        for ((name, _), child) in loads.iter().zip(children) {
            let o = oha::finish(child)?;
            if let Some(f) = &o.first_failure {
                eprintln!("loadtest: mixed {name}: {} failed (first: {f})", o.failed);
            }
            parts.push(format!("{name} {:.0}/s", o.ok_per_sec));
        }
        self.report.mixed = parts.join(", ");
        std::thread::sleep(Duration::from_secs(1));
        self.report.rss_after_mib = procfs::status_mib(app.pid, "VmRSS");
        self.report.rss_peak_mib = procfs::status_mib(app.pid, "VmHWM");
        self.report.anon_after_mib = procfs::status_mib(app.pid, "RssAnon");
        Ok(())
    }
}

/// One part of the run; a failing part is reported and the others still run.
type Step = fn(&mut Run) -> Result<(), String>;

fn main() {
    let s = Settings {
        seconds: env_num("LOADTEST_SECONDS", 10.0),
        warmup: env_num("LOADTEST_WARMUP_SECONDS", 1.0),
        connections: env_num("LOADTEST_CONNECTIONS", 32),
        list_clients: env_num("LOADTEST_LIST_CLIENTS", 4),
        mixed_seconds: env_num("LOADTEST_MIXED_SECONDS", 60.0),
        small_rows: env_num("LOADTEST_SMALL_ROWS", 10_000),
        big_rows: env_num("LOADTEST_BIG_ROWS", 1_000_000),
    };
    let bin_dir = std::env::var_os("LOADTEST_BIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release"));
    let temp = tempfile::tempdir_in(
        std::env::var_os("LOADTEST_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir),
    )
    .unwrap();
    let pg = Postgres::from_env();
    let mut run = Run {
        rt: tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap(),
        bin_dir,
        work: temp.path().to_path_buf(),
        ticks: procfs::clock_ticks(),
        report: Report::new(&s, pg.as_ref().map(|p| p.settings())),
        pg,
        s,
    };
    let steps: [(&str, Step); 6] = [
        ("references", Run::references),
        ("intake", |r| {
            r.report.intake_default = Some(r.intake("default durability", "")?);
            Ok(())
        }),
        ("intake normal", |r| {
            if r.pg.is_none() {
                r.report.intake_normal = Some(r.intake("synchronous=normal", "normal")?);
            }
            Ok(())
        }),
        ("seeded", Run::seeded),
        ("parties", Run::parties),
        ("webhooks", |r| {
            r.report.webhooks = Some(webhooks::measure(r)?);
            Ok(())
        }),
    ];
    // `LOADTEST_STEPS=seeded` (comma-separated names) runs only those parts, e.g. to profile one.
    let only = std::env::var("LOADTEST_STEPS").unwrap_or_default();
    let wanted = |name: &str| only.trim().is_empty() || only.split(',').any(|n| n.trim() == name);
    let mut failed = false;
    for (name, step) in steps.into_iter().filter(|(name, _)| wanted(name)) {
        if let Err(e) = step(&mut run) {
            eprintln!("loadtest: {name}: {e}");
            failed = true;
        }
    }
    println!("{}", run.report.markdown());
    if failed {
        std::process::exit(1);
    }
}
