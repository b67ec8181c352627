//! `service::idempotency::idempotent` in the unit of work: the key commits with the create or not
//! at all; a replay runs nothing; another request under the key is refused naming the header;
//! keys are per caller; an expired key is free again and purged.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::{QueryDsl, RunQueryDsl};
use huurtoezicht::db::schema::idempotency_keys;
use huurtoezicht::error::AppError;
use huurtoezicht::service::idempotency::{idempotent, Answer, Key, Keyed};
use huurtoezicht::service::{self, Audit, Ctx};

use crate::common::{fresh_db, now, officer, MUNICIPALITY};

fn keyed(key: &str, fingerprint: &str) -> Option<Keyed> {
    Some(Keyed {
        key: Key::parse(key).unwrap(),
        route: "POST /v1/things".into(),
        fingerprint: fingerprint.into(),
        ttl: chrono::Duration::hours(24),
    })
}

/// Creates "a thing": one audit row, and counts how often it ran.
async fn create(
    db: &huurtoezicht::db::Db,
    ctx: Ctx,
    k: Option<Keyed>,
    runs: Arc<AtomicUsize>,
    fail: bool,
) -> Result<(Answer, bool), AppError> {
    service::write(db, ctx, move |tx| {
        let out = idempotent(tx, k, |tx| {
            let n = runs.fetch_add(1, Ordering::SeqCst);
            tx.audit(Audit::of(Some(MUNICIPALITY), "thing", &format!("t-{n}"), "create"))?;
            if fail {
                return Err(AppError::conflict("refused"));
            }
            Ok(Answer { status: 201, body: format!("{{\"id\":\"t-{n}\"}}") })
        })?;
        Ok((out.answer, out.replayed))
    })
    .await
}

fn key_rows(db: &huurtoezicht::db::Db) -> i64 {
    let mut c = db.get().unwrap();
    idempotency_keys::table.count().get_result(&mut *c).unwrap()
}

fn other_officer() -> Ctx {
    let mut ctx = officer();
    ctx.actor.id = Some("officer-2".into());
    ctx
}

#[tokio::test]
async fn a_replay_runs_nothing_and_answers_the_stored_answer() {
    let t = fresh_db();
    let runs = Arc::new(AtomicUsize::new(0));
    let (first, replayed) =
        create(&t.db, officer(), keyed("key-number-1", "f"), runs.clone(), false).await.unwrap();
    assert!(!replayed);
    let (again, replayed) =
        create(&t.db, officer(), keyed("key-number-1", "f"), runs.clone(), false).await.unwrap();
    assert!(replayed);
    assert_eq!(again, first);
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // Another request under the key: 422 naming the header; nothing runs.
    match create(&t.db, officer(), keyed("key-number-1", "g"), runs.clone(), false).await {
        Err(AppError::Validation(errs)) => assert_eq!(errs[0].pointer, "#/header/Idempotency-Key"),
        other => panic!("{other:?}"),
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // Another caller's key is its own.
    let (theirs, replayed) =
        create(&t.db, other_officer(), keyed("key-number-1", "g"), runs.clone(), false).await.unwrap();
    assert!(!replayed);
    assert_ne!(theirs, first);
    assert_eq!(key_rows(&t.db), 2);
}

#[tokio::test]
async fn a_failed_create_leaves_no_key_and_a_retry_runs_again() {
    let t = fresh_db();
    let runs = Arc::new(AtomicUsize::new(0));
    assert!(create(&t.db, officer(), keyed("key-number-2", "f"), runs.clone(), true).await.is_err());
    assert_eq!(key_rows(&t.db), 0);
    let (_, replayed) =
        create(&t.db, officer(), keyed("key-number-2", "f"), runs.clone(), false).await.unwrap();
    assert!(!replayed);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn without_a_key_every_call_creates() {
    let t = fresh_db();
    let runs = Arc::new(AtomicUsize::new(0));
    for _ in 0..2 {
        let (_, replayed) = create(&t.db, officer(), None, runs.clone(), false).await.unwrap();
        assert!(!replayed);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    assert_eq!(key_rows(&t.db), 0);
}

#[tokio::test]
async fn an_expired_key_is_free_again_and_purged() {
    let t = fresh_db();
    let runs = Arc::new(AtomicUsize::new(0));
    create(&t.db, officer(), keyed("key-number-3", "f"), runs.clone(), false).await.unwrap();
    let mut later = officer();
    later.now = now() + chrono::Duration::hours(24);
    let (_, replayed) =
        create(&t.db, later.clone(), keyed("key-number-3", "g"), runs.clone(), false).await.unwrap();
    assert!(!replayed, "the key expired at exactly 24 hours");
    create(&t.db, officer(), keyed("key-number-4", "f"), runs.clone(), false).await.unwrap();
    assert_eq!(key_rows(&t.db), 2);
    let purge = Ctx::system(now() + chrono::Duration::hours(24), later.today);
    let gone = service::write(&t.db, purge, huurtoezicht::service::idempotency::purge_expired).await.unwrap();
    assert_eq!(gone, 1, "only the key of 24 hours ago");
    assert_eq!(key_rows(&t.db), 1);
}
