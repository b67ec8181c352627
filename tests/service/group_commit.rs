//! Group commit (SQLite): writes waiting together run in one transaction, each in its own
//! savepoint; a failing or panicking write fails alone; a write that waits longer than the
//! acquire timeout is answered 503 without being run. On PostgreSQL every write is its own
//! transaction and the same outcomes hold per request.

use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use huurtoezicht::db::{Db, DbConnection, DbOptions};
use huurtoezicht::error::{AppError, AppResult};

use crate::common::fresh_db;

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn insert(c: &mut DbConnection, n: i64) -> AppResult<()> {
    diesel::sql_query(format!("INSERT INTO gc_probe (n) VALUES ({n})")).execute(c)?;
    Ok(())
}

fn numbers(c: &mut DbConnection) -> Vec<i64> {
    let rows: Vec<N> = diesel::sql_query("SELECT n FROM gc_probe ORDER BY n").load(c).unwrap();
    rows.into_iter().map(|r| r.n).collect()
}

async fn create_probe_table(db: &Db) {
    db.write(|c| {
        diesel::sql_query("CREATE TABLE gc_probe (n BIGINT PRIMARY KEY)").execute(c)?;
        Ok(())
    })
    .await
    .unwrap();
}

/// Occupies the writer for `ms` so that the next writes queue behind it.
fn occupy(db: &Db, ms: u64) -> tokio::task::JoinHandle<AppResult<()>> {
    let db = db.clone();
    let handle = tokio::spawn(async move {
        db.write(move |_| {
            std::thread::sleep(Duration::from_millis(ms));
            Ok(())
        })
        .await
    });
    handle
}

async fn pause() {
    tokio::time::sleep(Duration::from_millis(60)).await;
}

#[tokio::test]
async fn waiting_writes_commit_together_and_each_failure_stays_its_own() {
    let t = fresh_db();
    create_probe_table(&t.db).await;
    let blocker = occupy(&t.db, 600);
    pause().await;

    let db = t.db.clone();
    let a = tokio::spawn(async move { db.write(|c| insert(c, 1)).await });
    pause().await;
    let db = t.db.clone();
    let b = tokio::spawn(async move {
        db.write(|c| {
            insert(c, 2)?;
            Err::<(), _>(AppError::BadRequest("refused after writing".into()))
        })
        .await
    });
    pause().await;
    // D writes, then looks through another connection: inside a shared transaction A's row is not
    // committed yet, so it is invisible there.
    let db = t.db.clone();
    let d = tokio::spawn(async move {
        let other = db.clone();
        db.write(move |c| {
            insert(c, 4)?;
            let mut reader = other.get()?;
            Ok(numbers(&mut reader).contains(&1))
        })
        .await
    });
    pause().await;
    let db = t.db.clone();
    let c = tokio::spawn(async move {
        db.write(|c| -> AppResult<()> {
            insert(c, 3)?;
            panic!("a bug in a use case");
        })
        .await
    });
    pause().await;
    let db = t.db.clone();
    let e = tokio::spawn(async move { db.write(|c| insert(c, 5)).await });

    blocker.await.unwrap().unwrap();
    a.await.unwrap().unwrap();
    assert!(matches!(b.await.unwrap(), Err(AppError::BadRequest(_))));
    let a_seen_from_outside = d.await.unwrap().unwrap();
    assert!(matches!(c.await.unwrap(), Err(AppError::Internal(_))), "a panic is a 500 of that request only");
    e.await.unwrap().unwrap();

    let mut conn = t.db.get().unwrap();
    assert_eq!(numbers(&mut conn), vec![1, 4, 5], "the refused and the panicking writes left nothing");
    if t.db.is_sqlite() {
        assert!(!a_seen_from_outside, "A and D shared one transaction (one commit, one fsync)");
    }
}

#[tokio::test]
async fn a_write_that_waits_too_long_for_its_turn_answers_503_and_is_not_run() {
    let t = fresh_db();
    if !t.db.is_sqlite() {
        return; // PostgreSQL: the pool's acquire timeout, tested in tests/api/resilience
    }
    let parsed = huurtoezicht::config::DatabaseUrl::parse(&t.url).unwrap();
    let db = Db::connect_with(
        &parsed,
        &DbOptions { acquire_timeout: Duration::from_millis(100), ..DbOptions::new(2) },
    )
    .unwrap();
    create_probe_table(&db).await;
    let blocker = occupy(&db, 500);
    pause().await;
    let late = db.write(|c| insert(c, 7)).await;
    assert!(matches!(late, Err(AppError::Unavailable(_))), "{late:?}");
    blocker.await.unwrap().unwrap();
    db.write(|c| insert(c, 8)).await.unwrap();
    let mut conn = db.get().unwrap();
    assert_eq!(numbers(&mut conn), vec![8]);
}

#[tokio::test]
async fn the_durability_in_force_is_read_from_the_database() {
    let t = fresh_db();
    let (setting, durable) = t.db.durability().unwrap();
    if !t.db.is_sqlite() {
        assert!(setting.contains("synchronous_commit="), "{setting}");
        return;
    }
    assert_eq!((setting.as_str(), durable), ("sqlite synchronous=FULL", true), "power-loss safe by default");
    let parsed = huurtoezicht::config::DatabaseUrl::parse(&t.url).unwrap();
    let mut options = DbOptions::new(1);
    options.storage.synchronous = huurtoezicht::config::storage::SqliteSync::Normal;
    let normal = Db::connect_with(&parsed, &options).unwrap();
    assert_eq!(normal.durability().unwrap(), ("sqlite synchronous=NORMAL".to_string(), false));
}
