//! Webhooks in the service layer: the fan-out turns each new event into one delivery per
//! subscription that wants it, once; recorded outcomes move deliveries on, and a subscription
//! whose deliveries keep dying is paused, audited, with a notice to the client's contact.

use diesel::prelude::*;
use huurtoezicht::db::schema::{audit_log, outbox, webhook_deliveries, webhook_subscriptions};
use huurtoezicht::db::webhooks::deliveries::{self as store, Attempt, Next};
use huurtoezicht::domain::api_clients::ClientScopes;
use huurtoezicht::domain::events::EventType;
use huurtoezicht::domain::ids::Email;
use huurtoezicht::domain::roles::ClientScope;
use huurtoezicht::domain::webhooks::CallbackUrl;
use huurtoezicht::service::accounts::{create_api_client, CreateApiClient};
use huurtoezicht::service::webhooks::worker::{self, Outcome};
use huurtoezicht::service::webhooks::{self as subscriptions, CreateSubscription};
use huurtoezicht::service::{self, Audit};
use serde_json::json;

use crate::common::{fresh_db, now, system, TestDb, MUNICIPALITY};

const KEY: &[u8] = b"a-server-key-of-at-least-thirty-two-bytes";

/// An API client with two subscriptions: complaint status changes, and submitted applications.
async fn two_subscriptions(t: &TestDb) -> (String, String) {
    service::write(&t.db, system(), |tx| {
        let client = create_api_client(
            tx,
            CreateApiClient {
                name: "Portaal".into(),
                scopes: ClientScopes::of(vec![ClientScope::WebhooksManage]).unwrap(),
                municipalities: vec![MUNICIPALITY.into()],
                municipalities_pointer: "/municipalities",
                contact_email: Some(Email::parse("koppelingen@portaal.example").unwrap()),
                secret_hash: "unused".into(),
            },
        )?;
        let mut subscribe = |types: Vec<EventType>| {
            subscriptions::create(
                tx,
                CreateSubscription {
                    client_id: client.client.id.clone(),
                    municipality_code: MUNICIPALITY.into(),
                    callback_url: CallbackUrl::parse("https://portaal.example/hook", false).unwrap(),
                    event_types: types,
                    description: None,
                    server_key: KEY.to_vec(),
                },
            )
            .map(|c| c.subscription.id)
        };
        let complaints = subscribe(vec![EventType::ComplaintStatusChanged])?;
        let applications = subscribe(vec![EventType::ApplicationSubmitted])?;
        Ok((complaints, applications))
    })
    .await
    .unwrap()
}

/// Three state changes: a complaint and an application of the municipality, and a complaint of
/// another municipality (which no subscription of this client may receive).
async fn three_changes(t: &TestDb) {
    service::write(&t.db, system(), |tx| {
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "complaint", "c-1", "transition")
                .before(json!({"status": "received"}))
                .after(json!({"status": "triaged"})),
        )?;
        tx.audit(
            Audit::of(Some(MUNICIPALITY), "licence_application", "a-1", "submit")
                .before(json!({"state": "draft"}))
                .after(json!({"state": "submitted"})),
        )?;
        tx.audit(
            Audit::of(Some("GM0363"), "complaint", "c-2", "transition")
                .before(json!({"status": "received"}))
                .after(json!({"status": "triaged"})),
        )
    })
    .await
    .unwrap();
}

/// Fans out until the feed has served the three events (on PostgreSQL an event is served once
/// the transactions of the cluster that started before it have ended).
async fn fan_out_all(t: &TestDb) -> usize {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut deliveries = 0;
    let mut events = 0;
    while events < 3 && std::time::Instant::now() < deadline {
        let f =
            service::write(&t.db, system(), |tx| worker::fan_out(tx, 500, "https://huurtoezicht.example"))
                .await
                .unwrap();
        assert!(!f.lost_race, "one dispatcher: it never loses the cursor");
        events += f.events;
        deliveries += f.deliveries;
        if f.events == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    assert_eq!(events, 3, "every event is read once");
    deliveries
}

#[tokio::test]
async fn each_event_becomes_one_delivery_per_subscription_that_wants_it_once() {
    let t = fresh_db();
    let (complaints, applications) = two_subscriptions(&t).await;
    three_changes(&t).await;
    assert_eq!(fan_out_all(&t).await, 2);
    // Nothing new: a second pass writes nothing.
    let again =
        service::write(&t.db, system(), |tx| worker::fan_out(tx, 500, "https://huurtoezicht.example"))
            .await
            .unwrap();
    assert_eq!((again.events, again.deliveries), (0, 0));

    let mut conn = t.db.get().unwrap();
    let rows: Vec<(String, String, String)> = webhook_deliveries::table
        .select((webhook_deliveries::subscription_id, webhook_deliveries::subject, webhook_deliveries::body))
        .order(webhook_deliveries::seq)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), (complaints.as_str(), "/v1/complaints/c-1"));
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str()),
        (applications.as_str(), "/v1/licence-applications/a-1")
    );
    let envelope: serde_json::Value = serde_json::from_str(&rows[0].2).unwrap();
    assert_eq!(envelope["type"], "complaint.status_changed");
    assert_eq!(envelope["source"], "https://huurtoezicht.example");
    assert_eq!(envelope["data"]["status"], "triaged");
}

#[tokio::test]
async fn a_subscription_whose_deliveries_keep_dying_is_paused_audited_and_its_contact_told() {
    let t = fresh_db();
    let (complaints, _) = two_subscriptions(&t).await;
    three_changes(&t).await;
    fan_out_all(&t).await;

    // One worker claims both deliveries; another may not record outcomes of them.
    let mut conn = t.db.get().unwrap();
    let claimed = store::claim(&mut conn, "worker-1", now(), chrono::Duration::seconds(60), 10).unwrap();
    drop(conn);
    assert_eq!(claimed.len(), 2);
    let dead = |d: &store::Delivery| Outcome {
        subscription_id: d.subscription_id.clone(),
        attempt: Attempt {
            id: uuid::Uuid::now_v7().to_string(),
            delivery_id: d.id.clone(),
            attempted_at: now(),
            status_code: Some(500),
            latency_ms: 3,
            error: Some("the receiver answered HTTP 500".into()),
        },
        next: Next::DeadLetter,
    };
    let outcomes: Vec<Outcome> = claimed.iter().map(dead).collect();
    let stranger = service::write(&t.db, system(), move |tx| worker::record(tx, "worker-2", &outcomes, 1))
        .await
        .unwrap();
    assert_eq!(
        (stranger.recorded, stranger.lease_lost),
        (0, 2),
        "a worker without the claim records nothing"
    );

    // With the claim: dead letters; a threshold of one pauses the subscription at once.
    let outcomes: Vec<Outcome> = claimed.iter().map(dead).collect();
    let done = service::write(&t.db, system(), move |tx| worker::record(tx, "worker-1", &outcomes, 1))
        .await
        .unwrap();
    assert_eq!(done.recorded, 2);
    assert!(done.paused.contains(&complaints), "{:?}", done.paused);

    let mut conn = t.db.get().unwrap();
    let state: String = webhook_subscriptions::table
        .find(&complaints)
        .select(webhook_subscriptions::state)
        .first(&mut *conn)
        .unwrap();
    assert_eq!(state, "paused");
    let pauses: i64 = audit_log::table
        .filter(audit_log::entity_type.eq("webhook_subscription"))
        .filter(audit_log::entity_id.eq(&complaints))
        .filter(audit_log::action.eq("pause"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(pauses, 1);
    let told: i64 = outbox::table
        .filter(outbox::recipient.eq("koppelingen@portaal.example"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert!(told >= 1, "the client's contact is told");
    let states: Vec<String> =
        webhook_deliveries::table.select(webhook_deliveries::state).load(&mut *conn).unwrap();
    assert!(states.iter().all(|s| s == "dead_letter"), "{states:?}");
}
