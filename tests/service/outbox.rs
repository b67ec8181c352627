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

/// The worker itself, on a real database whose outbox refuses to record one delivery (a trigger
/// stands in for a database that fails at that moment).
#[tokio::test]
async fn a_database_error_recording_one_delivery_does_not_stop_the_others() {
    use diesel::connection::SimpleConnection;
    use huurtoezicht::clock::Clock;
    use huurtoezicht::jobs::outbox::{Sender, Transport};

    let t = fresh_db();
    let mail_dir = tempfile::tempdir().unwrap();
    let settings: std::collections::HashMap<String, String> =
        [("HUURTOEZICHT_MAIL_DIR".to_string(), mail_dir.path().display().to_string())].into();
    let config = huurtoezicht::config::Config::from_source(&settings).unwrap();
    let transport = Transport::from_settings(&config.mail, config.outbox.send_timeout).unwrap();
    let clock = Clock::fixed(now().and_utc());
    let sender = Sender::new(t.db.clone(), transport, clock.clone(), &config).unwrap();

    let letter = Letter { subject: "Onderwerp / Subject".into(), body: "Tekst / Text".into() };
    // The broken one is the oldest, so it is sent first: the others come after the error.
    let mut ids = Vec::new();
    for (to, age) in [("kapot@example.nl", 60), ("een@example.nl", 0), ("drie@example.nl", 0)] {
        let (l, mut ctx) = (letter.clone(), system());
        ctx.now -= Duration::seconds(age);
        ids.push(service::write(&t.db, ctx, move |tx| tx.mail(None, to, &l)).await.unwrap());
    }
    let broken = ids[0].clone();
    let refuse = if t.db.is_sqlite() {
        "CREATE TRIGGER refuse_sent BEFORE UPDATE OF status ON outbox
           WHEN NEW.status = 'sent' AND OLD.recipient = 'kapot@example.nl'
           BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
    } else {
        "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN
           IF NEW.status = 'sent' AND OLD.recipient = 'kapot@example.nl' THEN RAISE EXCEPTION 'disk full'; END IF;
           RETURN NEW; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_sent();"
    };
    t.db.get().unwrap().batch_execute(refuse).unwrap();

    assert_eq!(sender.run_once().await, 3, "all three were handed to the transport");
    let status = |id: &str| {
        let mut c = t.db.get().unwrap();
        store::find(&mut c, id).unwrap().unwrap().status
    };
    assert_eq!(status(&ids[1]), OutboxStatus::Sent, "the pass went on after the error");
    assert_eq!(status(&ids[2]), OutboxStatus::Sent);
    assert_eq!(status(&broken), OutboxStatus::Pending, "not recorded: still held by its lease");
    assert_eq!(std::fs::read_dir(mail_dir.path()).unwrap().count(), 3);

    // The database recovers; the message is sent again after its lease, with the same id.
    let drop_trigger = if t.db.is_sqlite() {
        "DROP TRIGGER refuse_sent;"
    } else {
        "DROP TRIGGER refuse_sent ON outbox; DROP FUNCTION refuse_sent();"
    };
    t.db.get().unwrap().batch_execute(drop_trigger).unwrap();
    assert_eq!(sender.run_once().await, 0, "held until the lease ends");
    clock.advance(Duration::from_std(config.outbox.lease).unwrap() + Duration::seconds(1));
    assert_eq!(sender.run_once().await, 1);
    assert_eq!(status(&broken), OutboxStatus::Sent);
    let eml = std::fs::read_to_string(mail_dir.path().join(format!("{broken}.eml"))).unwrap();
    assert!(eml.contains(&format!("Message-ID: <{broken}@huurtoezicht.invalid>")), "{eml}");
}
