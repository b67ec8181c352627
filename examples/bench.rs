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
//! `HUURTOEZICHT_*` variables in the environment reach the application's configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use huurtoezicht::clock::Clock;
use huurtoezicht::config::Config;
use serde_json::{json, Value};

#[path = "common/seed_sql.rs"]
mod seed_sql;

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
    token_for(role, municipalities, None)
}

fn token_for(role: &str, municipalities: &[&str], landlord_id: Option<&str>) -> String {
    let now = chrono::Utc::now().timestamp();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"iss":"huurtoezicht","aud":"huurtoezicht-api","sub":uuid::Uuid::new_v4().to_string(),
                "iat":now,"exp":now+3600,"jti":"bench","role":role,"municipalities":municipalities,
                "landlord_id":landlord_id}),
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
        Scenario {
            name: "complaint-intake",
            about: "POST /v1/complaints (anonymous, no attachments) on top of N existing complaints",
            default_rows: 0,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_complaints(ctx, rows);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        c.post(format!("{base}/v1/complaints")).json(&json!({
                            "category": seed_sql::CATEGORIES[(i % 16) as usize], "language": "pl",
                            "description": "Twelve people in four rooms; the landlord threatens to evict us if we complain.",
                            "address": {"postcode": format!("{} AB", 3000 + i % 1000), "house_number": 1 + i % 300},
                        }))
                    }) as Request
                })
            },
        },
        Scenario {
            name: "complaint-list",
            about: "GET /v1/complaints?limit=50 (officer, first page) with N complaints",
            default_rows: 1_000_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_complaints(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, _| c.get(format!("{base}/v1/complaints?limit=50")).bearer_auth(&t)) as Request
                })
            },
        },
        Scenario {
            name: "complaint-list-postcode",
            about: "GET /v1/complaints?postcode=…&limit=50 (varying postcode) with N complaints",
            default_rows: 1_000_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_complaints(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        c.get(format!("{base}/v1/complaints?postcode={}AB&limit=50", 3000 + i % 1000)).bearer_auth(&t)
                    }) as Request
                })
            },
        },
        Scenario {
            name: "complaint-list-category",
            about: "GET /v1/complaints?category=…&limit=50 (varying category) with N complaints",
            default_rows: 1_000_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_complaints(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        c.get(format!("{base}/v1/complaints?category={}&limit=50", seed_sql::CATEGORIES[(i % 16) as usize])).bearer_auth(&t)
                    }) as Request
                })
            },
        },
        Scenario {
            name: "enforcement-next-step",
            about: "GET /v1/enforcement-cases/{id}/next-step for a landlord with N violations across N/10 addresses",
            default_rows: 10_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    let landlord = seed_enforcement(ctx, rows);
                    let _ = landlord;
                    let t = token("officer", &["GM0599"]);
                    let cases = (rows / 10).max(1);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        c.get(format!("{base}/v1/enforcement-cases/case-{:06}/next-step", i % cases)).bearer_auth(&t)
                    }) as Request
                })
            },
        },
        Scenario {
            name: "enforcement-history",
            about: "GET /v1/landlords/{id}/history for a landlord with N violations across N/10 addresses",
            default_rows: 10_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    let landlord = seed_enforcement(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, _| {
                        c.get(format!("{base}/v1/landlords/{landlord}/history")).bearer_auth(&t)
                    }) as Request
                })
            },
        },
        Scenario {
            name: "application-list",
            about: "GET /v1/licence-applications?limit=50 (officer, first page) with N applications and 1M audit rows",
            default_rows: 100_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_licensing(ctx, rows);
                    seed_audit(ctx, 1_000_000);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, _| c.get(format!("{base}/v1/licence-applications?limit=50")).bearer_auth(&t)) as Request
                })
            },
        },
        Scenario {
            name: "application-list-overdue",
            about: "GET /v1/licence-applications?overdue=true&limit=50 (officer) with N applications",
            default_rows: 100_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_licensing(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    Box::new(move |c: &reqwest::Client, base: &str, _| c.get(format!("{base}/v1/licence-applications?overdue=true&limit=50")).bearer_auth(&t)) as Request
                })
            },
        },
        Scenario {
            name: "application-submit",
            about: "POST /v1/licence-applications/{id}/submit (landlord; each request a different draft) with N applications and 1M audit rows",
            default_rows: 100_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_licensing(ctx, rows);
                    seed_audit(ctx, 1_000_000);
                    let t = token_for("landlord", &[], Some("bench-ll"));
                    let drafts = rows / 4;
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        // Drafts are the applications with i % 4 == 0; a repeat is a 409 (counted as an error).
                        let n = (i % drafts) * 4;
                        c.post(format!("{base}/v1/licence-applications/app-{n}/submit")).bearer_auth(&t)
                    }) as Request
                })
            },
        },
        Scenario {
            name: "application-decide",
            about: "POST /v1/licence-applications/{id}/decide grant (officer; each request a different submitted application) with N applications",
            default_rows: 100_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_licensing(ctx, rows);
                    let t = token("officer", &["GM0599"]);
                    let submitted = rows / 4;
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        let n = (i % submitted) * 4 + 1;
                        c.post(format!("{base}/v1/licence-applications/app-{n}/decide"))
                            .bearer_auth(&t)
                            .json(&json!({"decision": "grant"}))
                    }) as Request
                })
            },
        },
        Scenario {
            name: "register-lookup",
            about: "GET /v1/register/licences?postcode=…&house_number=… (public) with N applications (N/4 licences)",
            default_rows: 100_000,
            prepare: |ctx, rows| {
                Box::pin(async move {
                    seed_licensing(ctx, rows);
                    Box::new(move |c: &reqwest::Client, base: &str, i: u64| {
                        let n = (i * 4 + 3) % rows;
                        c.get(format!("{base}/v1/register/licences?postcode={}AB&house_number={}", 3000 + n % 1000, 1 + n / 1000))
                    }) as Request
                })
            },
        },
    ]
}

fn dialect(ctx: &Ctx) -> seed_sql::Dialect {
    seed_sql::Dialect { postgres: ctx.postgres }
}

/// A row-number series `s(i)` from 1 to n, valid on SQLite and PostgreSQL.
fn series(n: u64) -> String {
    seed_sql::series(1, n + 1)
}

/// One landlord, N properties (one per application, unique addresses), N applications (i % 4:
/// draft, submitted, in review, granted) with one room of occupancy each, and a licence per
/// granted application.
fn seed_licensing(ctx: &Ctx, rows: u64) {
    let landlord = seed_sql::Landlord {
        id: "bench-ll",
        name: "Bench Verhuur BV",
        email: "bench@example.nl",
        postcode_expr: "(3000 + i % 1000) || 'AB'",
        house_expr: "1 + i / 1000",
    };
    exec_sql(ctx, &seed_sql::licensing(dialect(ctx), &seed_sql::series(0, rows), &landlord));
}

/// N complaints over 1,000 postcodes, 16 categories, 4 priorities and 4 statuses.
fn seed_complaints(ctx: &Ctx, rows: u64) {
    if rows == 0 {
        return;
    }
    exec_sql(ctx, &seed_sql::complaints(dialect(ctx), &series(rows)));
    let counters = huurtoezicht::db::statistics::meldpunt::rebuild_sql(ctx.postgres);
    exec_sql(ctx, &format!("BEGIN; {counters} COMMIT;"));
}

/// One landlord with N violations spread over N/10 cases (addresses), a warning per case and a
/// final fine on every tenth case. Returns the landlord id.
fn seed_enforcement(ctx: &Ctx, rows: u64) -> String {
    let landlord = "bench-landlord".to_string();
    let cases = (rows / 10).max(1);
    let ts = if ctx.postgres { "TIMESTAMP '2025-06-01 10:00:00'" } else { "'2025-06-01 10:00:00'" };
    // Dates are DATE columns on PostgreSQL, text on SQLite.
    let date = |d: &str| if ctx.postgres { format!("DATE '{d}'") } else { format!("'{d}'") };
    let warning = r#"{"state":"issued","issued_on":"2025-01-10","remedy_deadline":"2025-02-21"}"#;
    let fine = r#"{"state":"final","decision":{"decided_on":"2024-05-01","notified_on":"2024-05-01","amount":500000,"payment_due":"2024-06-12","objection_ends":"2024-06-12","decided_late":false},"final_on":"2024-06-20"}"#;
    let case = "'case-' || substr('000000' || i, -6, 6)";
    let case_pg = "'case-' || lpad(i::text, 6, '0')";
    let case = if ctx.postgres { case_pg } else { case };
    let s1 =
        format!("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {})", cases - 1);
    let s2 = format!(
        "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {})",
        rows.max(1) - 1
    );
    exec_sql(
        ctx,
        &format!(
            "INSERT INTO landlords (id, kind, name, kvk_number, contact_email, created_at) VALUES ('{landlord}', 'legal_entity', 'Groot Verhuur BV', '12345678', 'groot@example.nl', {ts});
             {s1} INSERT INTO enforcement_cases SELECT {case}, 'GM0599', '{landlord}', '3011AB|' || (i + 1) || '|', '3011AB', i + 1, NULL, NULL, NULL, 'private', 'open', 'warning', {opened}, NULL, NULL, {ts}, {ts} FROM s;
             {s2} INSERT INTO violations SELECT 'v-' || i, 'GM0599', {vcase}, '{landlord}', '3011AB|' || ((i / 10) + 1) || '|', 'GR-0' || (i % 10), NULL, {vdate}, 'x', '{{\"numbers\":null,\"postcode\":\"3011AB\",\"house_number\":' || ((i / 10) + 1) || ',\"house_number_addition\":null}}', '{{}}', NULL, '[]', 'open', NULL, NULL, NULL, NULL, {ts}, {ts} FROM s;
             {s1} INSERT INTO sanctions (id, municipality_code, case_id, violation_id, landlord_id, kind, rule, violation_date, state_name, state, terms, proposed_step, effective_on, annulled, created_at, updated_at)
                SELECT 'w-' || i, 'GM0599', {case}, 'v-' || (i * 10), '{landlord}', 'warning', 'GR-00', {warned}, 'issued', '{warning}', '{{}}', 'warning', {warned}, FALSE, {ts}, {ts} FROM s;
             {s1} INSERT INTO sanctions (id, municipality_code, case_id, violation_id, landlord_id, kind, rule, violation_date, state_name, state, terms, proposed_step, effective_on, decision_date, final_date, annulled, created_at, updated_at)
                SELECT 'f-' || i, 'GM0599', {case}, 'v-' || (i * 10 + 1), '{landlord}', 'administrative_fine', 'GR-01', {fined_for}, 'final', '{fine}', '{{}}', 'administrative_fine', {rapport}, {decided}, {final_on}, FALSE, {ts}, {ts} FROM s WHERE i % 10 = 0;",
            opened = date("2025-01-01"),
            warned = date("2025-01-10"),
            fined_for = date("2024-03-01"),
            rapport = date("2024-03-15"),
            decided = date("2024-05-01"),
            final_on = date("2024-06-20"),
            vdate = if ctx.postgres { "CAST('2025-0' || (1 + i % 5) || '-1' || (i % 9) AS DATE)" } else { "'2025-0' || (1 + i % 5) || '-1' || (i % 9)" },
            vcase = if ctx.postgres { "'case-' || lpad((i / 10)::text, 6, '0')" } else { "'case-' || substr('000000' || (i / 10), -6, 6)" },
        ),
    );
    landlord
}

/// N audit rows spread over 100,000 entities, all in GM0599.
fn seed_audit(ctx: &Ctx, rows: u64) {
    let ts = dialect(ctx).ts_minus_minutes("i");
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
    next: Arc<std::sync::atomic::AtomicU64>,
) -> Stats {
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let next = next.clone();
        let client = client.clone();
        let base = base.to_string();
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < until {
                // One sequence for all clients, so that requests that need a fresh record each
                // (submit, decide) never collide.
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
    // Other settings pass through from the environment, e.g.
    // `HUURTOEZICHT_REGISTER_CACHE_SECONDS=0` to measure the register without its cache.
    let mut settings: HashMap<String, String> =
        std::env::vars().filter(|(k, _)| k.starts_with("HUURTOEZICHT_")).collect();
    settings.extend(
        [
            ("HUURTOEZICHT_BIND", "127.0.0.1:0".to_string()),
            ("DATABASE_URL", database_url.clone()),
            ("HUURTOEZICHT_JWT_SECRET", SECRET.into()),
            ("HUURTOEZICHT_MAIL_DIR", dir.path().join("mail").display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v)),
    );
    settings.entry("HUURTOEZICHT_DB_POOL_SIZE".into()).or_insert_with(|| "16".into());
    // Every simulated client comes from 127.0.0.1: the per-source limits of the public routes
    // would measure the limiter, not the service. Off unless the environment sets them.
    for limited in ["INTAKE", "REGISTRATION", "TOKEN"] {
        settings.entry(format!("HUURTOEZICHT_RATE_LIMIT_{limited}_PER_MINUTE")).or_insert_with(|| "0".into());
    }
    let config = Config::from_source(&settings).unwrap();
    let app = huurtoezicht::build(config, Clock::system()).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port);
    tokio::spawn(app.server);
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let ctx = Ctx { base: base.clone(), client: client.clone(), database_url, postgres };

    let t = Instant::now();
    let request = Arc::new((scenario.prepare)(&ctx, rows).await);
    // Fresh statistics, as autovacuum would have them in production.
    exec_sql(&ctx, "ANALYZE;");
    let seeded = t.elapsed();
    // Warm-up: fill the connection pools and caches.
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    drive(&base, &client, request.clone(), concurrency, 1, next.clone()).await;
    let s = drive(&base, &client, request, concurrency, seconds, next).await;
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
