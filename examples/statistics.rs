//! Timing every meldpunt statistic at a million complaints (issue #15): seeds a fresh database
//! with N complaints through the bulk SQL of `common/seed_sql.rs` (the load test's seed),
//! links half of them to 1,000 properties in 100 neighbourhoods, recomputes the counters as the
//! load test does, then runs each statistic's use case (`service::statistics::meldpunt::table`)
//! on a pooled connection, repeatedly, and prints p50/p99 per statistic and period; then the whole
//! answer of each statistics route (every table of the meldpunt, the licensing, the enforcement)
//! and the quarterly monitoring export. The HTTP edge (rendering, auth) is not included.
//!
//! ```sh
//! cargo run --release --example statistics                                  # SQLite, 1 M
//! scripts/with-postgres cargo run --release --example statistics            # PostgreSQL
//! cargo run --release --example statistics -- --rows 100000 --runs 20
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use huurtoezicht::config::DatabaseUrl;
use huurtoezicht::db::scope::Scope;
use huurtoezicht::db::Db;
use huurtoezicht::domain::code::Code;
use huurtoezicht::domain::statistics::{GroupBy, StatPeriod};
use huurtoezicht::service::statistics::meldpunt::{table, MeldpuntTable};
use huurtoezicht::service::statistics::monitoring::{export, MonitoringQuery};
use huurtoezicht::service::statistics::{enforcement, licensing, meldpunt, StatQuery};
use huurtoezicht::service::{Ctx, Tx};

// The load test's seed; the licensing part is not used here.
#[path = "common/seed_sql.rs"]
#[allow(dead_code)]
mod seed_sql;

const MUNICIPALITY: &str = "GM0599";

fn fresh_database(dir: &std::path::Path) -> (String, bool) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        None => (format!("sqlite://{}", dir.join("statistics.db").display()), false),
        Some(admin) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!("stats_{}", uuid::Uuid::new_v4().simple());
            let mut c = diesel::PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).unwrap();
            (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), true)
        }
    }
}

/// 1,000 properties `sp-{k}` in 100 neighbourhoods, and every second complaint linked to one.
fn link_properties(postgres: bool) -> String {
    let d = seed_sql::Dialect { postgres };
    let ts = d.ts("2025-06-01 10:00:00");
    let s = seed_sql::series(0, 1000);
    format!(
        "{s} INSERT INTO properties (id, municipality_code, landlord_id, postcode, house_number, house_number_addition, neighbourhood_code, kind, usable_floor_area_dm2, toilets, showers, kitchens, cooking_points, washbasins, washing_machines, building_permit_missing, created_at, updated_at)
            SELECT 'sp-' || i, '{MUNICIPALITY}', NULL, (3000 + i) || 'AB', 1, '', 'BU0599' || (1000 + i % 100), 'rooms_let_separately', 6000, 1, 1, 1, 4, 1, 1, FALSE, {ts}, {ts} FROM s;
         UPDATE complaints SET property_id = 'sp-' || (CAST(substr(id, 3) AS INTEGER) % 1000)
            WHERE CAST(substr(id, 3) AS INTEGER) % 2 = 0;"
    )
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<u64>().ok())
    };
    let rows = opt("--rows").unwrap_or(1_000_000);
    let runs = opt("--runs").unwrap_or(30) as usize;

    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = fresh_database(dir.path());
    let db = Db::connect(&DatabaseUrl::parse(&url).unwrap(), 2).unwrap();
    db.migrate().unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let mut conn = db.get().unwrap();
    huurtoezicht::db::accounts::ensure_municipality(&mut conn, MUNICIPALITY, "Rotterdam", now).unwrap();

    let t = Instant::now();
    let d = seed_sql::Dialect { postgres };
    conn.batch_execute(&seed_sql::complaints(d, &seed_sql::series(1, rows + 1))).unwrap();
    conn.batch_execute(&link_properties(postgres)).unwrap();
    let seeded = t.elapsed();
    let t = Instant::now();
    let counters = huurtoezicht::db::statistics::meldpunt::rebuild_sql(postgres);
    conn.batch_execute(&format!("BEGIN; {counters} COMMIT;")).unwrap();
    let rebuilt = t.elapsed();
    conn.batch_execute("ANALYZE;").unwrap();
    eprintln!(
        "seeded {rows} complaints in {:.1} s, counters rebuilt in {:.1} s",
        seeded.as_secs_f64(),
        rebuilt.as_secs_f64()
    );

    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let periods = [
        ("year 2026 by quarter", day(2026, 1, 1), day(2026, 12, 31), GroupBy::Quarter),
        ("year 2026 by month", day(2026, 1, 1), day(2026, 12, 31), GroupBy::Month),
        ("15 Nov 2025 – 14 Nov 2026 by quarter", day(2025, 11, 15), day(2026, 11, 14), GroupBy::Quarter),
        ("all years by year", day(2020, 1, 1), day(2026, 12, 31), GroupBy::Year),
        ("all years by month", day(2020, 1, 1), day(2026, 12, 31), GroupBy::Month),
    ];
    let backend = if postgres { "PostgreSQL" } else { "SQLite" };
    println!("| statistic | period | backend | rows out | p50 ms | p99 ms |");
    println!("|---|---|---|---:|---:|---:|");
    for (label, from, to, group_by) in periods {
        let query = StatQuery { period: StatPeriod::new(from, to).unwrap(), group_by };
        for &which in MeldpuntTable::ALL {
            let mut ctx = Ctx::system(now, now.date());
            ctx.scope = Scope::municipality(MUNICIPALITY);
            let mut times = Vec::with_capacity(runs);
            let mut out = 0;
            for _ in 0..runs + 2 {
                let t = Instant::now();
                let mut tx = Tx::new(&mut conn, ctx.clone());
                out = table(&mut tx, query, which).unwrap().rows.len();
                times.push(t.elapsed());
            }
            // The first two runs warm the page cache and the statement cache.
            let mut times = times.split_off(2);
            times.sort();
            println!(
                "| {} | {label} | {backend} | {out} | {:.1} | {:.1} |",
                which.code(),
                pct(&times, 0.5),
                pct(&times, 0.99)
            );
        }
    }

    // Whole answers: what one request to each route computes.
    type Whole = fn(&mut Tx<'_>, StatQuery) -> usize;
    let answers: [(&str, Whole); 3] = [
        ("GET /v1/statistics/meldpunt", |tx, q| meldpunt::tables(tx, q).unwrap().len()),
        ("GET /v1/statistics/licensing", |tx, q| licensing::tables(tx, q).unwrap().len()),
        ("GET /v1/statistics/enforcement", |tx, q| enforcement::tables(tx, q).unwrap().len()),
    ];
    let mut ctx = Ctx::system(now, now.date());
    ctx.scope = Scope::municipality(MUNICIPALITY);
    let mut time = |run: &mut dyn FnMut(&mut Tx<'_>) -> usize| {
        let mut times = Vec::with_capacity(runs);
        let mut out = 0;
        for _ in 0..runs + 2 {
            let t = Instant::now();
            let mut tx = Tx::new(&mut conn, ctx.clone());
            out = run(&mut tx);
            times.push(t.elapsed());
        }
        let mut times = times.split_off(2);
        times.sort();
        (out, pct(&times, 0.5), pct(&times, 0.99))
    };
    println!();
    println!("| whole answer | period | backend | tables / rows out | p50 ms | p99 ms |");
    println!("|---|---|---|---:|---:|---:|");
    for (label, from, to, group_by) in [periods[0], periods[4]] {
        let query = StatQuery { period: StatPeriod::new(from, to).unwrap(), group_by };
        for (route, run) in answers {
            let (out, p50, p99) = time(&mut |tx| run(tx, query));
            println!("| {route} | {label} | {backend} | {out} | {p50:.1} | {p99:.1} |");
        }
    }
    let (out, p50, p99) =
        time(&mut |tx| export(tx, MonitoringQuery { year: 2026, quarter: 3 }).unwrap().rows.len());
    println!("| GET /v1/statistics/monitoring | 2026 Q3 | {backend} | {out} | {p50:.1} | {p99:.1} |");
}
