//! Deliveries (`webhook_deliveries`) and their attempts (`webhook_attempts`).
//!
//! Claiming is a lease, as in `db::outbox`: a conditional UPDATE that re-checks the delivery is
//! still pending and unclaimed, so with several instances each delivery is attempted by one worker
//! at a time; a result is recorded only while that worker still holds the claim.
//!
//! In order per subject: a delivery is a candidate only when no earlier delivery (lower `seq`) of
//! the same subscription and subject is still pending (waiting for a retry or in flight).

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::super::schema::{webhook_attempts as a, webhook_deliveries as d, webhook_subscriptions as s};
use super::super::DbConnection;
use crate::domain::events::EventType;
use crate::domain::webhooks::{DeliveryState, SubscriptionState};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = d)]
pub struct Delivery {
    pub id: String,
    pub subscription_id: String,
    pub seq: i64,
    pub event_id: i64,
    pub event_type: EventType,
    pub subject: String,
    /// The CloudEvents envelope, as sent.
    pub body: String,
    pub state: DeliveryState,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
pub struct Attempt {
    pub id: String,
    pub delivery_id: String,
    pub attempted_at: NaiveDateTime,
    /// The receiver's HTTP status; `None` when there was no answer.
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
}

/// Fresh planner statistics of the deliveries after a large fan-out (PostgreSQL; SQLite plans the
/// claim by the index without them). Without statistics of a backlog that arrived at once (an
/// outage, a bulk change) PostgreSQL joins the active subscriptions first and sorts every pending
/// delivery on each claim (86 ms with 15,000 waiting) instead of walking `webhook_deliveries_due`
/// (1.5 ms); autovacuum would analyse only a minute or more later.
pub fn refresh_statistics(conn: &mut DbConnection) -> AppResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("ANALYZE webhook_deliveries").execute(pg)?;
    }
    Ok(())
}

/// Claims up to `limit` due deliveries for `worker` until `now + lease`, oldest first, at most one
/// per subscription and subject, only of active subscriptions.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> AppResult<Vec<Delivery>> {
    let earlier = diesel::alias!(super::super::schema::webhook_deliveries as earlier);
    let blocked = earlier
        .filter(earlier.field(d::subscription_id).eq(d::subscription_id))
        .filter(earlier.field(d::subject).eq(d::subject))
        .filter(earlier.field(d::seq).lt(d::seq))
        .filter(earlier.field(d::state).eq(DeliveryState::Pending));
    let active = s::table.filter(s::state.eq(SubscriptionState::Active)).select(s::id);
    let candidates: Vec<String> = d::table
        .filter(d::state.eq(DeliveryState::Pending))
        .filter(d::next_attempt_at.le(now))
        .filter(d::locked_until.is_null().or(d::locked_until.lt(now)))
        .filter(d::subscription_id.eq_any(active))
        .filter(not(exists(blocked)))
        .order((d::next_attempt_at.asc(), d::seq.asc()))
        .select(d::id)
        .limit(limit)
        .load(conn)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let until = now + lease;
    diesel::update(
        d::table
            .filter(d::id.eq_any(&candidates))
            .filter(d::state.eq(DeliveryState::Pending))
            .filter(d::locked_until.is_null().or(d::locked_until.lt(now))),
    )
    .set((d::locked_by.eq(worker), d::locked_until.eq(until)))
    .execute(conn)?;
    Ok(d::table
        .filter(d::id.eq_any(&candidates))
        .filter(d::locked_by.eq(worker))
        .filter(d::locked_until.eq(until))
        .order(d::seq.asc())
        .select(Delivery::as_select())
        .load(conn)?)
}

/// How an attempt ended, as the worker records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Delivered,
    RetryAt(NaiveDateTime),
    DeadLetter,
}

/// Records an attempt of a delivery `worker` holds, and where the delivery goes next. `false`:
/// the claim was lost (claimed again, redelivered or deleted): nothing was written.
pub fn record(conn: &mut DbConnection, worker: &str, attempt: &Attempt, next: Next) -> AppResult<bool> {
    let held = d::table
        .filter(d::id.eq(&attempt.delivery_id))
        .filter(d::state.eq(DeliveryState::Pending))
        .filter(d::locked_by.eq(worker));
    let unlock = (
        d::locked_by.eq(None::<String>),
        d::locked_until.eq(None::<NaiveDateTime>),
        d::attempts.eq(d::attempts + 1),
    );
    let n = match next {
        Next::Delivered => diesel::update(held)
            .set((
                unlock,
                d::state.eq(DeliveryState::Delivered),
                d::delivered_at.eq(Some(attempt.attempted_at)),
            ))
            .execute(conn)?,
        Next::RetryAt(at) => diesel::update(held).set((unlock, d::next_attempt_at.eq(at))).execute(conn)?,
        Next::DeadLetter => {
            diesel::update(held).set((unlock, d::state.eq(DeliveryState::DeadLetter))).execute(conn)?
        }
    };
    if n != 1 {
        return Ok(false);
    }
    diesel::insert_into(a::table).values(attempt.clone()).execute(conn)?;
    Ok(true)
}

pub fn find(conn: &mut DbConnection, subscription: &str, id: &str) -> AppResult<Option<Delivery>> {
    Ok(d::table
        .filter(d::subscription_id.eq(subscription))
        .filter(d::id.eq(id))
        .select(Delivery::as_select())
        .first(conn)
        .optional()?)
}

/// Deliveries of a subscription, newest first (by `seq`), before `before`, optionally in one state.
pub fn list(
    conn: &mut DbConnection,
    subscription: &str,
    state: Option<DeliveryState>,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<Delivery>> {
    let mut q = d::table.filter(d::subscription_id.eq(subscription)).into_boxed();
    if let Some(st) = state {
        q = q.filter(d::state.eq(st));
    }
    if let Some(b) = before {
        q = q.filter(d::seq.lt(b));
    }
    Ok(q.order(d::seq.desc()).limit(limit).select(Delivery::as_select()).load(conn)?)
}

/// The attempts of `deliveries`, oldest first.
pub fn attempts_of(conn: &mut DbConnection, deliveries: &[String]) -> AppResult<Vec<Attempt>> {
    if deliveries.is_empty() {
        return Ok(Vec::new());
    }
    Ok(a::table
        .filter(a::delivery_id.eq_any(deliveries))
        .order((a::attempted_at.asc(), a::id.asc()))
        .select(Attempt::as_select())
        .load(conn)?)
}

/// Puts a delivery back in the queue, due at once with a fresh retry schedule, whatever its state
/// (a worker that holds it loses its claim).
pub fn redeliver(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(d::table.filter(d::id.eq(id)))
        .set((
            d::state.eq(DeliveryState::Pending),
            d::attempts.eq(0),
            d::next_attempt_at.eq(now),
            d::locked_by.eq(None::<String>),
            d::locked_until.eq(None::<NaiveDateTime>),
            d::delivered_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?
        == 1)
}
