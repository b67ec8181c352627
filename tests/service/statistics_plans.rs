//! The meldpunt statistics and their counter upkeep search an index (SQLite plans, as in
//! `query_plans.rs`): a statistic is a range of the counters' primary key, never a scan of the
//! counters or of the complaints.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use diesel::connection::InstrumentationEvent;
use diesel::{Connection, RunQueryDsl, SqliteConnection};
use huurtoezicht::db::scope::Scope;
use huurtoezicht::db::statistics::meldpunt::{self as counters, Metric};
use huurtoezicht::db::DbConnection;

use crate::common::{fresh_db, TestDb, MUNICIPALITY};

#[derive(diesel::QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// The SELECT statements `run` sends, without their bind values.
fn selects(t: &TestDb, run: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    let mut conn = t.db.get().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            let sql = sql.split(" -- binds: ").next().unwrap_or_default().to_string();
            if sql.trim_start().starts_with("SELECT") {
                sink.lock().unwrap().push(sql);
            }
        }
    });
    run(&mut conn);
    let out = seen.lock().unwrap().clone();
    out
}

fn plan(raw: &mut SqliteConnection, sql: &str) -> String {
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<PlanRow>(raw)
        .unwrap()
        .into_iter()
        .map(|r| r.detail)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn statistics_read_ranges_of_the_counters_and_indexes() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        return;
    }
    let t = fresh_db();
    let mut raw = SqliteConnection::establish(t.url.trim_start_matches("sqlite://")).unwrap();
    let scope = Scope::municipality(MUNICIPALITY);
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let (from, to) = (d(2, 10), d(5, 5));
    let cases: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "counts (day and month rows)",
            "SEARCH complaint_stat_counts USING INDEX sqlite_autoindex_complaint_stat_counts_1 (municipality_code=? AND metric=? AND span=? AND day>? AND day<?)",
            selects(&t, |c| {
                counters::counts(c, &scope, Metric::Area, from, to).unwrap();
            }),
        ),
        (
            "handling",
            "SEARCH complaint_handling_counts USING INDEX sqlite_autoindex_complaint_handling_counts_1 (municipality_code=? AND span=? AND day>? AND day<?)",
            selects(&t, |c| {
                counters::handling(c, &scope, from, to).unwrap();
            }),
        ),
        (
            "referrals",
            "SEARCH complaint_referrals USING COVERING INDEX complaint_referrals_by_day (municipality_code=? AND referred_on>? AND referred_on<?)",
            selects(&t, |c| {
                counters::referrals(c, &scope, from, to).unwrap();
            }),
        ),
        (
            "a property's neighbourhood changes",
            "SEARCH complaints USING INDEX complaints_by_property_id (property_id=?)",
            selects(&t, |c| counters::neighbourhood_changed(c, "p-1", None, Some("BU1")).unwrap()),
        ),
    ];
    let mut failures = Vec::new();
    for (label, expected, sent) in cases {
        if sent.is_empty() {
            failures.push(format!("{label}: no statement captured"));
        }
        for sql in sent {
            let p = plan(&mut raw, &sql);
            if !p.contains(expected) || p.contains("SCAN complaint") {
                failures.push(format!("{label}: plan {p}\n  sql: {sql}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
