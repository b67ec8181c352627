//! Hot read paths run statements that the connection's prepared-statement cache keeps: the
//! public register is one statement, and the child rows of a page (rooms, messages, …) are read
//! with one statement text whatever the number of parents. A statement diesel cannot cache
//! (`IN (?, ?, …)` of varying length on SQLite) is never reported as cached, so these tests fail
//! for it.

use std::sync::{Arc, Mutex};

use diesel::connection::{Connection, InstrumentationEvent};
use diesel::prelude::*;
use huurtoezicht::db::in_list::in_texts;
use huurtoezicht::db::schema::properties;
use huurtoezicht::db::{self, DbConnection};
use huurtoezicht::service;
use huurtoezicht::service::licensing::decide;

use crate::common::{fresh_db, officer};
use crate::licensing::{grant, submitted};

/// Statements run and statements newly put into the cache since the last [`Seen::take`].
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
async fn the_register_lookup_is_one_cached_statement() {
    let t = fresh_db();
    let id = submitted(&t.db).await.application.id;
    service::write(&t.db, officer(), move |tx| decide::decide(tx, grant(id))).await.unwrap();

    let mut conn = t.db.get().unwrap();
    let seen = watch(&mut conn);
    let found = db::register::licences_at_address(&mut conn, "3011AB", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].postcode.as_str(), found[0].house_number), ("3011AB", 10));
    assert_eq!(found[0].holder_name.as_deref(), Some("J. Verhuurder"));
    let (started, cached) = take(&seen);
    assert_eq!(started, 1, "one statement for the whole answer");
    assert_eq!(cached.len(), 1, "the statement is kept in the cache: {cached:?}");
    // Another address (with nothing there) runs the same statement from the cache.
    assert!(db::register::licences_at_address(&mut conn, "9999ZZ", 1).unwrap().is_empty());
    assert_eq!(take(&seen), (1, vec![]));
}

#[tokio::test]
async fn child_rows_of_a_page_are_read_with_one_statement_text_for_any_number_of_parents() {
    let t = fresh_db();
    let property_id = submitted(&t.db).await.application.property_id;
    let mut conn = t.db.get().unwrap();
    let seen = watch(&mut conn);
    let one = db::properties::rooms_of(&mut conn, std::slice::from_ref(&property_id)).unwrap();
    assert_eq!(one.len(), 2);
    let (started, cached) = take(&seen);
    assert_eq!((started, cached.len()), (1, 1), "{cached:?}");
    // Three parents (one unknown, one repeated): the same statement, the same rows.
    let ids = [property_id.clone(), "no-such-property".to_string(), property_id.clone()];
    let three = db::properties::rooms_of(&mut conn, &ids).unwrap();
    assert_eq!(
        three.iter().map(|r| &r.id).collect::<Vec<_>>(),
        one.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    assert_eq!(take(&seen), (1, vec![]));
}

#[tokio::test]
async fn a_value_list_matches_exactly_its_values_whatever_they_contain() {
    let t = fresh_db();
    submitted(&t.db).await;
    let mut conn = t.db.get().unwrap();
    let count = |conn: &mut DbConnection, values: &[&str]| -> i64 {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        properties::table.filter(in_texts(properties::postcode, &values)).count().get_result(conn).unwrap()
    };
    assert_eq!(count(&mut conn, &["3011AB"]), 1);
    assert_eq!(count(&mut conn, &["x\"y", "3011AB", "a'b", "[]", "3011AB"]), 1);
    assert_eq!(count(&mut conn, &["3011ab", "3011AB "]), 0, "exact matches only");
    assert_eq!(count(&mut conn, &[]), 0);
}

#[tokio::test]
async fn a_later_page_of_overdue_complaints_is_a_cached_statement() {
    use huurtoezicht::db::complaints::{list, ListCursor, ListFilter};
    use huurtoezicht::db::scope::Scope;
    let t = fresh_db();
    let mut conn = t.db.get().unwrap();
    let seen = watch(&mut conn);
    let scope = Scope::municipality(crate::common::MUNICIPALITY);
    let page_after = |rank: i32, id: &str| ListFilter {
        overdue_before: Some(crate::common::today()),
        after: Some(ListCursor { rank, received_at: crate::common::now(), id: id.into() }),
        limit: 26,
        ..ListFilter::default()
    };
    assert!(list(&mut conn, &scope, &page_after(0, "a")).unwrap().is_empty());
    let (started, cached) = take(&seen);
    assert_eq!((started, cached.len()), (1, 1), "{cached:?}");
    assert!(list(&mut conn, &scope, &page_after(1, "b")).unwrap().is_empty());
    assert_eq!(take(&seen), (1, vec![]));
}

/// Runs `f` on a new connection (nothing cached yet) and returns the statements it ran that
/// diesel did not put into the cache.
fn uncached_statements(url: &str, f: impl FnOnce(&mut huurtoezicht::service::Tx<'_>)) -> Vec<String> {
    let db = db::Db::connect(&huurtoezicht::config::DatabaseUrl::parse(url).unwrap(), 1).unwrap();
    let mut conn = db.get().unwrap();
    let ran = Arc::new(Mutex::new((Vec::<String>::new(), Vec::<String>::new())));
    let log = ran.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        let mut l = log.lock().unwrap();
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                let text = query.to_string();
                l.0.push(text.split(" -- binds:").next().unwrap_or_default().to_string());
            }
            InstrumentationEvent::CacheQuery { sql, .. } => l.1.push(sql.to_string()),
            _ => {}
        }
    });
    f(&mut huurtoezicht::service::Tx::new(&mut conn, officer()));
    let (started, cached) = ran.lock().unwrap().clone();
    assert!(!started.is_empty());
    started.into_iter().filter(|s| !cached.contains(s)).collect()
}

#[tokio::test]
async fn every_statement_of_the_staff_lists_and_the_register_is_cached() {
    use huurtoezicht::db::complaints::{ListCursor, ListFilter};
    use huurtoezicht::db::licensing::{ApplicationFilter, LicenceFilter};
    use huurtoezicht::db::properties::{PropertyFilter, Viewer};
    use huurtoezicht::service::complaints::queries;
    use huurtoezicht::service::licensing::{applications, licences, properties, register};
    let t = fresh_db();
    let id = submitted(&t.db).await.application.id;
    service::write(&t.db, officer(), move |tx| decide::decide(tx, grant(id))).await.unwrap();
    let staff = Viewer::Staff(huurtoezicht::db::scope::Scope::municipality(crate::common::MUNICIPALITY));
    let landlord = Viewer::Landlord("landlord-1".into());
    let uncached = uncached_statements(&t.url, |tx| {
        for viewer in [&staff, &landlord] {
            let p =
                properties::list(tx, viewer, &PropertyFilter { limit: 26, ..Default::default() }).unwrap();
            assert_eq!((p.len(), p[0].rooms.len()), (1, 2));
            let l = licences::list(tx, viewer, &LicenceFilter { limit: 26, ..Default::default() }).unwrap();
            assert_eq!((l.len(), l[0].room_limits.len()), (1, 2));
            let a = applications::list(tx, viewer, &ApplicationFilter { limit: 26, ..Default::default() })
                .unwrap();
            assert_eq!((a.len(), a[0].occupancy.len(), a[0].licence_id.is_some()), (1, 2, true));
        }
        assert_eq!(register::at_address(tx, "3011AB", 10).unwrap().len(), 1);
        let later = ListFilter {
            after: Some(ListCursor { rank: 0, received_at: crate::common::now(), id: "a".into() }),
            limit: 26,
            ..ListFilter::default()
        };
        assert!(queries::list(tx, later).unwrap().is_empty());
    });
    assert_eq!(uncached, Vec::<String>::new(), "statements prepared anew on every call");
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[tokio::test]
async fn the_register_and_child_row_statements_search_indexes_on_sqlite() {
    let t = fresh_db();
    if !t.url.starts_with("sqlite:") {
        return;
    }
    let id = submitted(&t.db).await.application.id;
    service::write(&t.db, officer(), move |tx| decide::decide(tx, grant(id))).await.unwrap();
    let db = db::Db::connect(&huurtoezicht::config::DatabaseUrl::parse(&t.url).unwrap(), 1).unwrap();
    let mut conn = db.get().unwrap();
    let sql = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = sql.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::CacheQuery { sql, .. } = event {
            log.lock().unwrap().push(sql.to_string());
        }
    });
    let ids = vec!["a".to_string(), "b".to_string()];
    db::register::licences_at_address(&mut conn, "3011AB", 10).unwrap();
    db::register::neighbourhood_at(&mut conn, "3011AB", 10).unwrap();
    db::properties::rooms_of(&mut conn, &ids).unwrap();
    db::licensing::room_limits_of(&mut conn, &ids).unwrap();
    db::licensing::occupancy_of(&mut conn, &ids).unwrap();
    db::licensing::licences_of_applications(&mut conn, &ids).unwrap();
    db::complaints::messages_of(&mut conn, &ids).unwrap();
    db::complaints::attachments_of(&mut conn, &ids).unwrap();
    let statements = sql.lock().unwrap().clone();
    assert_eq!(statements.len(), 8, "{statements:?}");
    let DbConnection::Sqlite(sqlite) = &mut *conn else { unreachable!("a SQLite URL") };
    for s in statements {
        let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {s}"))
            .load::<PlanLine>(sqlite)
            .unwrap()
            .into_iter()
            .map(|l| l.detail)
            .collect();
        assert!(plan.iter().any(|l| l.starts_with("SEARCH")), "{s}: {plan:?}");
        assert!(!plan.iter().any(|l| l.starts_with("SCAN") && !l.contains("json_each")), "{s}: {plan:?}");
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// With SQLite's STAT4 statistics, a statement binding an indexed column in its WHERE clause is
/// compiled again whenever it runs with another value once ANALYZE has sampled that index: the
/// statement cache would keep the register look-up in name only. The bundled SQLite is built
/// without STAT4 (`.cargo/config.toml`), so ANALYZE writes no samples.
#[tokio::test]
async fn sqlite_keeps_no_stat4_samples_that_would_recompile_cached_statements() {
    let t = fresh_db();
    if !t.db.is_sqlite() {
        return;
    }
    let id = submitted(&t.db).await.application.id;
    service::write(&t.db, officer(), move |tx| decide::decide(tx, grant(id))).await.unwrap();
    let mut conn = t.db.get().unwrap();
    let used = diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_STAT4') AS n")
        .get_result::<Count>(&mut conn)
        .unwrap();
    assert_eq!(used.n, 0, "SQLite was built with STAT4: is LIBSQLITE3_FLAGS set?");
    diesel::sql_query("ANALYZE").execute(&mut conn).unwrap();
    let stat4 = diesel::sql_query("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat4'")
        .get_result::<Count>(&mut conn)
        .unwrap();
    assert_eq!(stat4.n, 0);
    // STAT1 still guides the planner.
    let stat1 =
        diesel::sql_query("SELECT count(*) AS n FROM sqlite_stat1").get_result::<Count>(&mut conn).unwrap();
    assert!(stat1.n > 0);
}
