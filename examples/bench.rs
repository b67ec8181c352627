//! Load benchmarks: start the application in-process on a fresh database, seed it with many rows
//! through SQL, then drive one route with N concurrent keep-alive clients for a fixed time and
//! report throughput and p50/p99 latency. Results go to BENCHMARKS.md by hand.
//!
//! ```sh
//! cargo run --release --example bench -- list                       # scenarios
//! cargo run --release --example bench -- audit-list                 # SQLite
//! scripts/with-postgres cargo run --release --example bench -- audit-list   # PostgreSQL
//! ```
//! Options: `--concurrency N` (32), `--seconds S` (10), `--rows N` (scenario default).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use huurtoezicht::clock::Clock;
use huurtoezicht::config::Config;
use serde_json::{json, Value};

const SECRET: &str = "bench-secret-that-is-long-enough-0123456789";

struct Ctx {
    base: String,
    client: reqwest::Client,
    database_url: String,
    postgres: bool,
}

type Request = Box<dyn Fn(&reqwest::Client, &str, u64) -> reqwest::RequestBuilder + Send + Sync>;

struct Scenario {
    name: &'static str,
    about: &'static str,
    default_rows: u64,
    /// Seeds `rows` rows (SQL through the database URL) and returns a request factory.
    prepare: fn(&Ctx, u64) -> futures_util::future::BoxFuture<'_, Request>,
}

fn token(role: &str, municipalities: &[&str]) -> String {
    let now = chrono::Utc::now().timestamp();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"iss":"huurtoezicht","aud":"huurtoezicht-api","sub":uuid::Uuid::new_v4().to_string(),
                "iat":now,"exp":now+3600,"jti":"bench","role":role,"municipalities":municipalities}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

/// Runs SQL on the benchmark database (seeding).
fn exec_sql(ctx: &Ctx, sql: &str) {
    use diesel::Connection;
    if let Some(path) = ctx.database_url.strip_prefix("sqlite://") {
        let mut c = diesel::SqliteConnection::establish(path).unwrap();
        c.batch_execute(sql).unwrap();
    } else {
        let mut c = diesel::PgConnection::establish(&ctx.database_url).unwrap();
        c.batch_execute(sql).unwrap();
    }
}

/// A row-number series `s(i)` from 1 to n, valid on SQLite and PostgreSQL.
fn series(n: u64) -> String {
    format!("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})")
}

/// A timestamp expression `minutes` before 2026-11-01 for row i.
fn ts_minus_minutes(ctx: &Ctx, minutes_expr: &str) -> String {
    if ctx.postgres {
        format!("(TIMESTAMP '2026-11-01 00:00:00' - ({minutes_expr}) * INTERVAL '1 minute')")
    } else {
        format!("datetime('2026-11-01 00:00:00', '-' || ({minutes_expr}) || ' minutes')")
    }
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "health",
            about: "GET /health: the HTTP stack without database work",
            default_rows: 0,
            prepare: |_, _| Box::pin(async { Box::new(|c: &reqwest::Client, base: &str, _| c.get(format!("{base}/health"))) as Request }),
        },
        Scenario {
            name: "audit-list",
            about: "GET /v1/audit?limit=50 (manager, first page) with N audit rows",
            default_rows: 1_000_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_audit(ctx, rows);
                    let t = token("manager", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, _| c.get(format!("{base}/v1/audit?limit=50")).bearer_auth(&t)) as Request
                })
            },
        },
        Scenario {
            name: "audit-entity",
            about: "GET /v1/audit?entity_type=licence_application&entity_id=… (one entity's history) with N audit rows",
            default_rows: 1_000_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_audit(ctx, rows);
                    let t = token("manager", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        c.get(format!("{base}/v1/audit?entity_type=licence_application&entity_id=app-{}", (i * 7919) % 100_000))
                            .bearer_auth(&t)
                    }) as Request
                })
            },
        },
    ]
}

/// N audit rows spread over 100,000 entities, all in GM0599.
fn seed_audit(ctx: &Ctx, rows: u64) {
    let ts = ts_minus_minutes(ctx, "i");
    exec_sql(
        ctx,
        &format!(
            "{} INSERT INTO audit_log (occurred_at, municipality_code, actor_kind, actor_id, entity_type, entity_id, action, before_state, after_state, reason, request_id)
             SELECT {ts}, 'GM0599', 'account', 'acc-' || (i % 50), 'licence_application', 'app-' || (i % 100000), 'submit', '{{\"state\":\"draft\"}}', '{{\"state\":\"submitted\"}}', NULL, NULL FROM s;",
            series(rows)
        ),
    );
}

struct Stats {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

async fn drive(
    base: &str,
    client: &reqwest::Client,
    request: Arc<Request>,
    concurrency: usize,
    seconds: u64,
) -> Stats {
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let client = client.clone();
        let base = base.to_string();
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut i = w as u64 * 1_000_003;
            while Instant::now() < until {
                i += 1;
                let t = Instant::now();
                match request(&client, &base, i).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    Ok(r) => {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!("status {}: {}", r.status(), r.text().await.unwrap_or_default());
                        }
                    }
                    Err(e) => {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!("error: {e}");
                        }
                    }
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Stats {
        requests: all.len(),
        errors,
        elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        max: all.last().copied().unwrap_or_default(),
    }
}

fn fresh_database(dir: &std::path::Path) -> (String, bool) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => (format!("sqlite://{}", dir.join("bench.db").display()), false),
        Some(admin) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut c = diesel::PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).unwrap();
            (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), true)
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<u64>().ok())
    };
    let all = scenarios();
    let Some(name) = args.first().filter(|a| !a.starts_with("--") && *a != "list") else {
        println!("scenarios:");
        for s in &all {
            println!("  {:<22} {} (default rows {})", s.name, s.about, s.default_rows);
        }
        return;
    };
    let Some(scenario) = all.iter().find(|s| s.name == name) else {
        eprintln!("unknown scenario {name}; run with `list`");
        std::process::exit(2);
    };
    let concurrency = opt("--concurrency").unwrap_or(32) as usize;
    let seconds = opt("--seconds").unwrap_or(10);
    let rows = opt("--rows").unwrap_or(scenario.default_rows);

    let dir = tempfile::tempdir().unwrap();
    let (database_url, postgres) = fresh_database(dir.path());
    let settings: HashMap<String, String> = [
        ("HUURTOEZICHT_BIND", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.clone()),
        ("HUURTOEZICHT_JWT_SECRET", SECRET.into()),
        ("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail").display().to_string()),
        ("HUURTOEZICHT_DB_POOL_SIZE", "16".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let config = Config::from_source(&settings).unwrap();
    let app = huurtoezicht::build(config, Clock::system()).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port);
    tokio::spawn(app.server);
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let ctx = Ctx { base: base.clone(), client: client.clone(), database_url, postgres };

    let t = Instant::now();
    let request = Arc::new((scenario.prepare)(&ctx, rows).await);
    let seeded = t.elapsed();
    // Warm-up: fill the connection pools and caches.
    drive(&base, &client, request.clone(), concurrency, 1).await;
    let s = drive(&base, &client, request, concurrency, seconds).await;
    let backend = if postgres { "PostgreSQL" } else { "SQLite" };
    println!(
        "| {} | {} | {} rows | {} clients | {:.0} req/s | p50 {:.2} ms | p99 {:.2} ms | max {:.1} ms | {} errors | seeded in {:.1} s |",
        scenario.name,
        backend,
        rows,
        concurrency,
        s.requests as f64 / s.elapsed.as_secs_f64(),
        s.p50.as_secs_f64() * 1000.0,
        s.p99.as_secs_f64() * 1000.0,
        s.max.as_secs_f64() * 1000.0,
        s.errors,
        seeded.as_secs_f64(),
    );
    let _ = (&ctx.base, &ctx.client, json!(null) as Value);
}
