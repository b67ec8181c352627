//! Delivery: once, with a stable Message-ID, across relay outages and with two instances.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use huurtoezicht::clock::Clock;

use super::sink::{free_port, message_id, rows, smtp_settings, start_smtp_sink, wait_rows};
use crate::helpers::*;

#[tokio::test]
async fn without_smtp_mail_lands_once_as_eml_file_with_a_message_id_from_the_outbox_row() {
    let from: HashMap<String, String> =
        [("HUURTOEZICHT_MAIL_FROM".to_string(), "Gemeente Rotterdam <post@gemeente.test>".to_string())]
            .into();
    let app = spawn_app_with(from, Clock::system()).await;
    app.register_only("eml@example.nl").await;
    let mails = app.wait_for_mail(1, 10).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: eml@example.nl"), "{}", mails[0]);
    assert!(mails[0].contains("Subject: "));
    let id = rows(&app)[0].id.clone();
    assert_eq!(message_id(&mails[0]), Some(format!("<{id}@gemeente.test>")), "{}", mails[0]);
    // Several more worker passes must not send it again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.mails().len(), 1);
}

#[tokio::test]
async fn a_failed_registration_sends_no_mail() {
    let app = spawn_app().await;
    app.register_only("een@example.nl").await;
    // Duplicate: the transaction rolls back, and with it the outbox row.
    let res = app
        .post(
            "/v1/accounts/landlords",
            &serde_json::json!({"email": "een@example.nl", "password": PASSWORD, "name": "Twee", "kind": "natural_person"}),
            None,
        )
        .await;
    assert_eq!(res.status(), 409);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.wait_for_mail(1, 5).await.len(), 1);
}

#[tokio::test]
async fn a_stopped_relay_keeps_mail_pending_for_hours_and_a_restarted_one_gets_it_once_promptly() {
    // The app's clock stands still: a retry only comes due when the test moves the clock, or
    // when a successful delivery wakes the waiting messages.
    let clock = Clock::fixed(chrono::Utc::now());
    let port = free_port();
    let app = spawn_app_with(smtp_settings(port, &[]), clock.clone()).await;
    app.register_only("eerste@example.nl").await;
    let r = wait_rows(&app, 15, |r| r.len() == 1 && r[0].attempts >= 1).await;
    assert_eq!((r[0].status.as_str(), r[0].attempts), ("pending", 1), "one failed attempt, still pending");

    // Eleven minutes and then two hours of outage: it used to be failed for ever after 10.6
    // minutes; now it is still retried (the horizon is a day).
    for (by, attempts) in [(chrono::Duration::minutes(11), 2), (chrono::Duration::hours(2), 3)] {
        clock.advance(by);
        let r = wait_rows(&app, 15, |r| r[0].attempts >= attempts).await;
        assert_eq!((r[0].status.as_str(), r[0].attempts), ("pending", attempts));
    }
    let ready: serde_json::Value = app.get("/ready", None).await.json().await.unwrap();
    assert_eq!(ready["outbox"]["pending"], 1, "{ready}");
    assert_eq!(ready["outbox"]["failed"], 0, "{ready}");
    assert!(ready["outbox"]["oldest_pending_seconds"].as_i64().unwrap() >= 2 * 3600, "{ready}");

    // The relay is back. The first message waits for a retry that this clock never reaches;
    // the next successful delivery makes it due at once.
    let sink = start_smtp_sink(port, 0.0).await;
    app.register_only("tweede@example.nl").await;
    assert_eq!(sink.wait_for(2, 20).await, 2, "both delivered after the relay came back");
    let r = wait_rows(&app, 10, |r| r.iter().all(|m| m.status == "sent")).await;
    assert!(r.iter().all(|m| m.status == "sent"), "{r:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let msgs = sink.messages();
    assert_eq!(msgs.len(), 2, "each exactly once");
    for to in ["eerste@example.nl", "tweede@example.nl"] {
        assert_eq!(msgs.iter().filter(|m| m.contains(&format!("To: {to}"))).count(), 1, "{to}");
    }
    let ready: serde_json::Value = app.get("/ready", None).await.json().await.unwrap();
    assert_eq!(ready["outbox"], serde_json::json!({"pending": 0, "failed": 0, "oldest_pending_seconds": 0}));
}

/// Two instances on one database and a relay that takes a second per message. A lease of 8 s
/// with a send timeout of 3 s: a worker that claimed a batch and sent it one by one would outlive
/// its lease, and the other instance would send the rest again.
#[tokio::test]
async fn two_instances_and_a_slow_relay_deliver_every_message_exactly_once() {
    const MAILS: usize = 10;
    let sink = start_smtp_sink(free_port(), 1.0).await;
    // Passes 4 s apart: the mails are all queued when a worker next looks, as under load.
    let settings = smtp_settings(
        sink.port,
        &[("HUURTOEZICHT_OUTBOX_LEASE_SECONDS", "8"), ("HUURTOEZICHT_OUTBOX_POLL_MS", "4000")],
    );
    let a = spawn_app_with(settings.clone(), Clock::system()).await;
    let mut second = settings;
    second.insert("DATABASE_URL".into(), a.database_url.clone());
    let b = spawn_app_with(second, Clock::system()).await;

    let started = std::time::Instant::now();
    futures_util::future::join_all((0..MAILS).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        async move { app.register_only(&format!("traag{i}@example.nl")).await }
    }))
    .await;
    eprintln!("queued {MAILS} mails in {:?}", started.elapsed());
    let r = wait_rows(&a, 45, |r| r.len() == MAILS && r.iter().all(|m| m.status == "sent")).await;
    assert!(r.len() == MAILS && r.iter().all(|m| m.status == "sent"), "every row sent: {r:?}");
    assert!(r.iter().all(|m| m.attempts == 1), "each sent at the first attempt: {r:?}");
    let recipients: HashSet<&str> = r.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(recipients.len(), MAILS, "one row per registration: {r:?}");
    // A second copy in flight would arrive within the relay's delay.
    tokio::time::sleep(Duration::from_millis(2500)).await;

    let ids = sink.message_ids();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), MAILS, "received {} messages for {MAILS} mails: {ids:?}", ids.len());
    assert_eq!(unique.len(), MAILS, "a Message-ID arrived twice: {ids:?}");
    let expected: HashSet<String> = r.iter().map(|m| format!("<{}@huurtoezicht.invalid>", m.id)).collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<HashSet<_>>(),
        expected,
        "one Message-ID per outbox row"
    );
    assert!(a.mails().is_empty() && b.mails().is_empty(), "no .eml fallback when SMTP is configured");
}
