//! Domain events: the unit of work records one with every audited state change, in the same
//! transaction; the feed is in the order of commit, scoped, and survives retention.

use diesel::connection::SimpleConnection;
use huurtoezicht::db::events::{self as store, FeedQuery};
use huurtoezicht::db::scope::Scope;
use huurtoezicht::domain::events::EventType;
use huurtoezicht::error::AppError;
use huurtoezicht::service::{self, events, Audit};
use serde_json::json;

use crate::common::{fresh_db, now, officer, system, MUNICIPALITY};

fn all(limit: i64) -> FeedQuery {
    FeedQuery { after: None, types: vec![], limit }
}

/// The feed as `ctx` reads it once it holds at least `n` events. On PostgreSQL an event is
/// served once every transaction of the cluster that started writing before it has ended, and
/// the cluster is shared with the tests running alongside, so a read may have to wait a moment.
async fn feed_of(
    t: &crate::common::TestDb,
    ctx: fn() -> huurtoezicht::service::Ctx,
    q: FeedQuery,
    n: usize,
) -> events::FeedPage {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let q = q.clone();
        let page = service::read(&t.db, ctx(), move |tx| events::feed(tx, &q)).await.unwrap();
        if page.events.len() >= n || std::time::Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_audited_state_change_records_its_event_in_the_same_transaction() {
    let t = fresh_db();
    service::write(&t.db, officer(), |tx| {
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "licence_application", "a-1", "submit")
                .before(json!({"state": "draft"}))
                .after(json!({"state": "submitted", "decision_due_on": "2027-01-01"})),
        )?;
        // Not a state change of a followed resource: no event.
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "account", "x-1", "create").after(json!({"state": "active"})),
        )?;
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "complaint", "c-1", "add_message").after(json!({"kind": "note"})),
        )
    })
    .await
    .unwrap();
    let page = feed_of(&t, officer, all(10), 1).await;
    assert_eq!(page.events.len(), 1, "{:?}", page.events);
    let e = &page.events[0];
    assert_eq!(e.event_type, EventType::ApplicationSubmitted);
    assert_eq!(e.subject(), "/v1/licence-applications/a-1");
    assert_eq!(e.municipality_code, MUNICIPALITY);
    assert_eq!(e.occurred_at, now());
    assert_eq!(e.data_json(), json!({"id": "a-1", "state": "submitted", "previous_state": "draft"}));
    assert_eq!(page.next_after, Some(e.id));

    // A use case that fails after auditing leaves no event.
    let res: Result<(), AppError> = service::write(&t.db, officer(), |tx| {
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "sanction", "s-1", "decide").after(json!({"state": "decided"})),
        )?;
        Err(AppError::conflict("refused after auditing"))
    })
    .await;
    assert!(res.is_err());
    let page = service::read(&t.db, officer(), |tx| events::feed(tx, &all(10))).await.unwrap();
    assert_eq!(page.events.len(), 1, "the event was rolled back with the change");
}

#[tokio::test]
async fn the_feed_pages_after_a_cursor_filters_by_type_and_keeps_to_the_callers_municipalities() {
    let t = fresh_db();
    {
        let mut conn = t.db.get().unwrap();
        huurtoezicht::db::accounts::ensure_municipality(&mut conn, "GM0363", "Amsterdam", now()).unwrap();
    }
    for (i, (municipality, action)) in
        [(MUNICIPALITY, "create"), ("GM0363", "create"), (MUNICIPALITY, "close"), (MUNICIPALITY, "create")]
            .into_iter()
            .enumerate()
    {
        service::write(&t.db, system(), move |tx| {
            let id = format!("v-{i}");
            tx.audit(Audit::of(Some(municipality), "violation", &id, action).after(json!({"status": "open"})))
        })
        .await
        .unwrap();
    }
    let everything = feed_of(&t, system, all(10), 4).await;
    assert_eq!(everything.events.len(), 4, "the system (and the admin) see every municipality");
    let page = feed_of(&t, officer, all(2), 2).await;
    let ids: Vec<&str> = page.events.iter().map(|e| e.subject_id.as_str()).collect();
    assert_eq!(ids, ["v-0", "v-2"], "Amsterdam's event is not the officer's");
    let after = page.next_after;
    let rest = service::read(&t.db, officer(), move |tx| {
        events::feed(tx, &FeedQuery { after, types: vec![], limit: 10 })
    })
    .await
    .unwrap();
    let ids: Vec<&str> = rest.events.iter().map(|e| e.subject_id.as_str()).collect();
    assert_eq!(ids, ["v-3"]);
    let closed = service::read(&t.db, officer(), |tx| {
        events::feed(tx, &FeedQuery { after: None, types: vec![EventType::ViolationClosed], limit: 10 })
    })
    .await
    .unwrap();
    assert_eq!(closed.events.len(), 1);
    assert_eq!(closed.events[0].subject_id, "v-2");
}

#[tokio::test]
async fn retention_removes_old_events_and_an_id_is_never_given_twice() {
    let t = fresh_db();
    let write = |id: &'static str| {
        service::write(&t.db, system(), move |tx| {
            tx.audit(
                Audit::of(Some(MUNICIPALITY), "objection", id, "lodge").after(json!({"state": "lodged"})),
            )
        })
    };
    write("o-1").await.unwrap();
    write("o-2").await.unwrap();
    let before = feed_of(&t, system, all(10), 2).await;
    let (first, last) = (before.events[0].id, before.events[1].id);
    // Everything older than one second after the writes goes, except the newest event: it stays
    // so that the next id is larger than every id given so far (SQLite: largest + 1).
    let cutoff = now() + chrono::Duration::seconds(1);
    let removed = service::write(&t.db, system(), move |tx| events::purge(tx, cutoff)).await.unwrap();
    assert_eq!(removed, 1);
    let none = service::write(&t.db, system(), move |tx| events::purge(tx, cutoff)).await.unwrap();
    assert_eq!(none, 0, "the newest event always stays");
    write("o-3").await.unwrap();
    let after = feed_of(&t, system, all(10), 2).await;
    assert_eq!(after.events.len(), 2);
    assert_eq!(after.events[0].id, last);
    assert!(after.events[1].id > last, "ids go on after a purge");
    // A reader whose cursor event was removed still gets what came after it.
    let from_old = service::read(&t.db, system(), move |tx| {
        events::feed(tx, &FeedQuery { after: Some(first), types: vec![], limit: 10 })
    })
    .await
    .unwrap();
    assert_eq!(from_old.events.len(), 2);
    let mut conn = t.db.get().unwrap();
    assert!(store::find(&mut conn, &Scope::municipality(MUNICIPALITY), first).unwrap().is_none());
    // With the SQLite table of migration 000147 (no AUTOINCREMENT), ids still never repeat when
    // the newest event is the only one left and more are written.
    drop(conn);
    let cutoff = now() + chrono::Duration::days(1);
    service::write(&t.db, system(), move |tx| events::purge(tx, cutoff)).await.unwrap();
    write("o-4").await.unwrap();
    let tail = feed_of(&t, system, all(10), 2).await;
    let ids: Vec<i64> = tail.events.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]) && ids[0] > last, "{ids:?}");
}

/// PostgreSQL takes ids before commit: an event of a transaction still running must not be
/// passed by a reader that already saw a later id.
#[tokio::test]
async fn on_postgresql_the_feed_never_passes_an_event_of_a_running_transaction() {
    let t = fresh_db();
    if !t.url.starts_with("postgres") {
        eprintln!("skipped: PostgreSQL only (set TEST_DATABASE_URL)");
        return;
    }
    let spec = |id: &str| {
        huurtoezicht::domain::events::classify(
            "violation",
            id,
            "create",
            None,
            Some(&json!({"status": "open"})),
        )
        .unwrap()
    };
    let mut slow = t.db.get().unwrap();
    slow.batch_execute("BEGIN").unwrap();
    // The slow transaction writes first (it gets the lower id and the older transaction id)…
    store::insert(&mut slow, now(), MUNICIPALITY, "early", &spec("early")).unwrap();
    // …a quick one writes and commits after it.
    {
        let mut quick = t.db.get().unwrap();
        store::insert(&mut quick, now(), MUNICIPALITY, "late", &spec("late")).unwrap();
    }
    let mut reader = t.db.get().unwrap();
    let seen = store::feed(&mut reader, &Scope::municipality(MUNICIPALITY), &all(10)).unwrap();
    assert!(seen.is_empty(), "nothing is served while an older transaction may still add events: {seen:?}");
    slow.batch_execute("COMMIT").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut seen = Vec::new();
    while seen.len() < 2 && std::time::Instant::now() < deadline {
        seen = store::feed(&mut reader, &Scope::municipality(MUNICIPALITY), &all(10)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let ids: Vec<&str> = seen.iter().map(|e| e.subject_id.as_str()).collect();
    assert_eq!(ids, ["early", "late"]);
}
