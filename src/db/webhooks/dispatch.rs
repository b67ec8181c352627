//! The dispatcher: fans new events out into deliveries, exactly once with several instances on
//! one database. It reads the one cursor row (`webhook_dispatch`), reads the feed after it, and
//! in the same transaction advances the cursor with a compare-and-set UPDATE (the cursor and the
//! delivery count it read) before it inserts the deliveries. Of two instances reading the same
//! cursor only one UPDATE matches; the other inserts nothing and tries again on its next pass.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::super::events::{self as events, EventRow, FeedQuery};
use super::super::schema::{webhook_deliveries as d, webhook_dispatch};
use super::super::scope::Scope;
use super::super::DbConnection;
use super::Subscription;
use crate::domain::webhooks::DeliveryState;
use crate::error::AppResult;

const CURSOR: &str = "events";

#[derive(Insertable)]
#[diesel(table_name = d)]
struct NewDelivery {
    id: String,
    subscription_id: String,
    seq: i64,
    event_id: i64,
    event_type: crate::domain::events::EventType,
    subject: String,
    body: String,
    state: DeliveryState,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// What one fan-out did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fanned {
    /// Events read from the feed (0: nothing new).
    pub events: usize,
    /// Deliveries inserted.
    pub deliveries: usize,
    /// Another instance advanced the cursor first: nothing was written.
    pub lost_race: bool,
}

/// Fans out up to `batch` events after the cursor into deliveries of the subscriptions that want
/// them (same municipality, a wanted type, created no later than the event). `body` builds the
/// CloudEvents envelope of an event.
pub fn fan_out(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    batch: i64,
    body: &dyn Fn(&EventRow) -> String,
) -> AppResult<Fanned> {
    let (after, position): (Option<i64>, i64) = webhook_dispatch::table
        .find(CURSOR)
        .select((webhook_dispatch::after_event, webhook_dispatch::position))
        .first(conn)?;
    let rows = events::feed(conn, &Scope::all(), &FeedQuery { after, types: Vec::new(), limit: batch })?;
    let Some(last) = rows.last().map(|e| e.id) else { return Ok(Fanned::default()) };
    let subscriptions = super::all(conn)?;
    let mut new = Vec::new();
    for e in &rows {
        let mut envelope = None;
        for s in subscriptions.iter().filter(|s| wants(s, e)) {
            let text = envelope.get_or_insert_with(|| body(e)).clone();
            new.push(NewDelivery {
                id: uuid::Uuid::now_v7().to_string(),
                subscription_id: s.id.clone(),
                seq: position + i64::try_from(new.len()).unwrap_or(i64::MAX / 2) + 1,
                event_id: e.id,
                event_type: e.event_type,
                subject: e.subject(),
                body: text,
                state: DeliveryState::Pending,
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            });
        }
    }
    let advanced = i64::try_from(new.len()).unwrap_or(0);
    let cursor = webhook_dispatch::table
        .filter(webhook_dispatch::id.eq(CURSOR))
        .filter(webhook_dispatch::position.eq(position));
    let set =
        (webhook_dispatch::after_event.eq(Some(last)), webhook_dispatch::position.eq(position + advanced));
    let n = match after {
        Some(a) => {
            diesel::update(cursor.filter(webhook_dispatch::after_event.eq(a))).set(set).execute(conn)?
        }
        None => {
            diesel::update(cursor.filter(webhook_dispatch::after_event.is_null())).set(set).execute(conn)?
        }
    };
    if n != 1 {
        return Ok(Fanned { events: rows.len(), deliveries: 0, lost_race: true });
    }
    // One row per statement: a multi-row INSERT is not portable across the connection's backends.
    for row in &new {
        diesel::insert_into(d::table).values(row).execute(conn)?;
    }
    Ok(Fanned { events: rows.len(), deliveries: new.len(), lost_race: false })
}

fn wants(s: &Subscription, e: &EventRow) -> bool {
    s.municipality_code == e.municipality_code && s.created_at <= e.occurred_at && s.wants(e.event_type)
}
