//! The outbox's claims and results: only the worker that holds a message records its result, a
//! crashed worker's message is claimed again after the lease, a requeue counts from now.

use chrono::Duration;
use huurtoezicht::db::outbox::{self as store, OutboxStatus};
use huurtoezicht::letters::Letter;
use huurtoezicht::service::{self, outbox};

use crate::common::{fresh_db, now, system, MUNICIPALITY};

async fn queue_one(t: &crate::common::TestDb) -> String {
    let letter = Letter { subject: "Onderwerp / Subject".into(), body: "Tekst / Text".into() };
    service::write(&t.db, system(), move |tx| tx.mail(Some(MUNICIPALITY), "jan@example.nl", &letter))
        .await
        .unwrap()
}

#[tokio::test]
async fn only_the_worker_holding_the_lease_records_a_result() {
    let t = fresh_db();
    let id = queue_one(&t).await;
    let mut c = t.db.get().unwrap();
    let lease = Duration::seconds(50);
    let a = store::claim_next(&mut c, "worker-a", now(), lease).unwrap().expect("due");
    assert_eq!(a.id, id);
    assert!(store::claim_next(&mut c, "worker-b", now() + Duration::seconds(49), lease).unwrap().is_none());
    // Worker A stalls (or crashed): after the lease, B claims it and A's results no longer count.
    let later = now() + Duration::seconds(51);
    assert_eq!(store::claim_next(&mut c, "worker-b", later, lease).unwrap().map(|m| m.id), Some(id.clone()));
    assert!(!store::mark_sent(&mut c, &id, "worker-a", later).unwrap(), "A lost the lease");
    assert!(!store::mark_attempt_failed(&mut c, &id, "worker-a", 1, "timeout", later, None).unwrap());
    assert!(store::mark_sent(&mut c, &id, "worker-b", later).unwrap());
    let m = store::find(&mut c, &id).unwrap().unwrap();
    assert_eq!((m.status, m.attempts, m.locked_by), (OutboxStatus::Sent, 1, None));
    assert!(!store::mark_sent(&mut c, &id, "worker-b", later).unwrap(), "a sent message is not sent twice");
}

#[tokio::test]
async fn waiting_messages_wake_and_only_failed_ones_are_requeued_with_a_fresh_horizon() {
    let t = fresh_db();
    let id = queue_one(&t).await;
    let mut c = t.db.get().unwrap();
    let lease = Duration::seconds(50);
    store::claim_next(&mut c, "w", now(), lease).unwrap().expect("due");
    let retry = now() + Duration::minutes(5);
    assert!(store::mark_attempt_failed(&mut c, &id, "w", 1, "refused", now(), Some(retry)).unwrap());
    assert!(store::claim_next(&mut c, "w", now(), lease).unwrap().is_none(), "waits for its retry");
    assert_eq!(store::wake_waiting(&mut c, now()).unwrap(), 1);
    store::claim_next(&mut c, "w", now(), lease).unwrap().expect("due at once after waking");
    assert!(!store::requeue(&mut c, &id, now()).unwrap(), "a pending message is not requeued");
    assert!(store::mark_attempt_failed(&mut c, &id, "w", 2, "refused", now(), None).unwrap());
    drop(c);

    let summary = service::read(&t.db, system(), outbox::summary).await.unwrap();
    assert_eq!((summary.pending, summary.failed), (0, 1));
    let mut ctx = system();
    ctx.now = now() + Duration::hours(30);
    let requeued = service::write(&t.db, ctx.clone(), {
        let id = id.clone();
        move |tx| outbox::requeue(tx, &id)
    })
    .await
    .unwrap();
    assert_eq!((requeued.status, requeued.attempts), (OutboxStatus::Pending, 2));
    assert_eq!(requeued.requeued_at, Some(ctx.now), "the horizon counts from the requeue");
    assert_eq!(requeued.next_attempt_at, ctx.now, "due at once");
    let again = service::write(&t.db, ctx, move |tx| outbox::requeue(tx, &id)).await;
    assert!(matches!(again, Err(huurtoezicht::error::AppError::Conflict { .. })));
}
