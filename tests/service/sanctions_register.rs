//! The public sanctions register's look-ups: each is one statement the connection's cache keeps
//! (another address or number runs it again from the cache), and on SQLite each searches by
//! index, never scanning the publications or the parties.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::prelude::*;
use huurtoezicht::db::{self, DbConnection};

use crate::common::fresh_db;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

#[derive(Default)]
struct Seen {
    started: usize,
    cached: Vec<String>,
}

fn watch(conn: &mut DbConnection) -> Arc<Mutex<Seen>> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let log = seen.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        let mut s = log.lock().unwrap();
        match event {
            InstrumentationEvent::StartQuery { .. } => s.started += 1,
            InstrumentationEvent::CacheQuery { sql, .. } => s.cached.push(sql.to_string()),
            _ => {}
        }
    });
    seen
}

fn take(seen: &Arc<Mutex<Seen>>) -> (usize, Vec<String>) {
    let mut s = seen.lock().unwrap();
    (std::mem::take(&mut s.started), std::mem::take(&mut s.cached))
}

#[tokio::test]
async fn each_sanctions_register_lookup_is_one_cached_statement() {
    let t = fresh_db();
    let mut conn = t.db.get().unwrap();
    let seen = watch(&mut conn);
    assert!(db::sanction_register::at_address(&mut conn, "3011AB", 10, today()).unwrap().is_empty());
    let (started, cached) = take(&seen);
    assert_eq!((started, cached.len()), (1, 1), "{cached:?}");
    assert!(db::sanction_register::at_address(&mut conn, "9999ZZ", 1, today()).unwrap().is_empty());
    assert_eq!(take(&seen), (1, vec![]));

    assert!(db::sanction_register::of_kvk_number(&mut conn, "12345678", today()).unwrap().is_empty());
    let (started, cached) = take(&seen);
    assert_eq!((started, cached.len()), (1, 1), "{cached:?}");
    assert!(db::sanction_register::of_kvk_number(&mut conn, "87654321", today()).unwrap().is_empty());
    assert_eq!(take(&seen), (1, vec![]));
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[tokio::test]
async fn the_sanctions_register_lookups_search_indexes_on_sqlite() {
    let t = fresh_db();
    if !t.url.starts_with("sqlite:") {
        return;
    }
    let mut conn = t.db.get().unwrap();
    let sql = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = sql.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::CacheQuery { sql, .. } = event {
            log.lock().unwrap().push(sql.to_string());
        }
    });
    db::sanction_register::at_address(&mut conn, "3011AB", 10, today()).unwrap();
    db::sanction_register::of_kvk_number(&mut conn, "12345678", today()).unwrap();
    let statements = sql.lock().unwrap().clone();
    assert_eq!(statements.len(), 2, "{statements:?}");
    let DbConnection::Sqlite(sqlite) = &mut *conn else { unreachable!("a SQLite URL") };
    for s in statements {
        let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {s}"))
            .load::<PlanLine>(sqlite)
            .unwrap()
            .into_iter()
            .map(|l| l.detail)
            .collect();
        assert!(plan.iter().any(|l| l.starts_with("SEARCH")), "{s}: {plan:?}");
        assert!(!plan.iter().any(|l| l.starts_with("SCAN")), "{s}: {plan:?}");
    }
}
