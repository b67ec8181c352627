//! Transactional outbox: messages are written in the transaction of the change that causes them,
//! and delivered later by `jobs::outbox`. Claiming is a conditional UPDATE on a lease, which is
//! atomic on both SQLite and PostgreSQL, so with several instances on one database each message
//! is claimed by one worker at a time; its results are recorded only while that worker still
//! holds the claim.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::outbox;
use super::DbConnection;
use crate::error::AppResult;

/// Where a message stands: waiting (also between retries), delivered, or given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}
crate::closed_set!(OutboxStatus { Pending => "pending", Sent => "sent", Failed => "failed" });
crate::text_columns!(OutboxStatus);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: String,
    pub municipality_code: Option<String>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// When an administrator last requeued it after it failed.
    pub requeued_at: Option<NaiveDateTime>,
}

/// An email to send once the surrounding transaction commits.
pub struct NewEmail<'a> {
    pub municipality_code: Option<&'a str>,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub fn enqueue(conn: &mut DbConnection, now: NaiveDateTime, mail: NewEmail<'_>) -> AppResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(outbox::table)
        .values(OutboxMessage {
            id: id.clone(),
            municipality_code: mail.municipality_code.map(str::to_string),
            recipient: mail.to.to_string(),
            subject: mail.subject.to_string(),
            body: mail.body.to_string(),
            status: OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            locked_by: None,
            locked_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
            requeued_at: None,
        })
        .execute(conn)?;
    Ok(id)
}

/// Claims the next due message for `worker` with a lease of `lease`: one message at a time, so
/// that the lease only has to outlast one send. The UPDATE re-checks that the message is still
/// pending and unclaimed (atomic on SQLite and PostgreSQL), so of two workers racing for a message
/// only one gets it; the loser tries the next candidate.
pub fn claim_next(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
) -> AppResult<Option<OutboxMessage>> {
    let candidates: Vec<String> = outbox::table
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now)))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .select(outbox::id)
        .limit(5)
        .load(conn)?;
    for id in candidates {
        let n = diesel::update(
            outbox::table
                .filter(outbox::id.eq(&id))
                .filter(outbox::status.eq(OutboxStatus::Pending))
                .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now))),
        )
        .set((outbox::locked_by.eq(worker), outbox::locked_until.eq(now + lease)))
        .execute(conn)?;
        if n == 1 {
            return find(conn, &id);
        }
    }
    Ok(None)
}

/// The rows of a message that `worker` still holds: pending and claimed by it.
macro_rules! held_by {
    ($id:expr, $worker:expr) => {
        outbox::table
            .filter(outbox::id.eq($id))
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .filter(outbox::locked_by.eq($worker))
    };
}

/// Records a delivery, only if `worker` still holds the message. `false`: the lease was lost (the
/// message was claimed again by another worker, or requeued), nothing was written.
pub fn mark_sent(conn: &mut DbConnection, id: &str, worker: &str, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(held_by!(id, worker))
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(Some(now)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a failed attempt at `now`, only if `worker` still holds the message: retried at
/// `retry_at`, or given up (`failed`) when there is none. `false`: the lease was lost, nothing
/// was written.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    attempts: i32,
    error: &str,
    now: NaiveDateTime,
    retry_at: Option<NaiveDateTime>,
) -> AppResult<bool> {
    let status = if retry_at.is_some() { OutboxStatus::Pending } else { OutboxStatus::Failed };
    let n = diesel::update(held_by!(id, worker))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(retry_at.unwrap_or(now)),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error.chars().take(500).collect::<String>())),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Makes every pending message that waits for a retry due now (the relay answers again).
/// Returns how many.
pub fn wake_waiting(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .filter(outbox::attempts.gt(0))
            .filter(outbox::next_attempt_at.gt(now))
            .filter(outbox::locked_by.is_null()),
    )
    .set(outbox::next_attempt_at.eq(now))
    .execute(conn)?)
}

/// Counts for the readiness detail.
pub struct OutboxCounts {
    pub pending: i64,
    pub failed: i64,
    /// When the oldest pending message was queued.
    pub oldest_pending: Option<NaiveDateTime>,
}

pub fn counts(conn: &mut DbConnection) -> AppResult<OutboxCounts> {
    let count = |conn: &mut DbConnection, s: OutboxStatus| -> AppResult<i64> {
        Ok(outbox::table.filter(outbox::status.eq(s)).count().get_result(conn)?)
    };
    Ok(OutboxCounts {
        pending: count(conn, OutboxStatus::Pending)?,
        failed: count(conn, OutboxStatus::Failed)?,
        oldest_pending: outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .select(diesel::dsl::min(outbox::created_at))
            .first(conn)?,
    })
}

/// A message as an administrator sees it in a list: no body.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxEntry {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub requeued_at: Option<NaiveDateTime>,
}

/// Newest first (by `created_at`, then id); `after` is the last row of the previous page.
pub fn list(
    conn: &mut DbConnection,
    status: Option<OutboxStatus>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> AppResult<Vec<OutboxEntry>> {
    let mut q = outbox::table.select(OutboxEntry::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(outbox::status.eq(s));
    }
    if let Some((at, id)) = after {
        q = q.filter(outbox::created_at.lt(at).or(outbox::created_at.eq(at).and(outbox::id.lt(id))));
    }
    Ok(q.order((outbox::created_at.desc(), outbox::id.desc())).limit(limit).load(conn)?)
}

/// One message as in [`list`].
pub fn list_one(conn: &mut DbConnection, id: &str) -> AppResult<Option<OutboxEntry>> {
    Ok(outbox::table.find(id).select(OutboxEntry::as_select()).first(conn).optional()?)
}

/// Puts a failed message back in the queue, due at once, its attempts kept and its retry horizon
/// counted from `now`. `false` when the message is not `failed`.
pub fn requeue(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(
        outbox::table.filter(outbox::id.eq(id)).filter(outbox::status.eq(OutboxStatus::Failed)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Pending),
        outbox::next_attempt_at.eq(now),
        outbox::requeued_at.eq(Some(now)),
        outbox::locked_by.eq(None::<String>),
        outbox::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<OutboxMessage>> {
    Ok(outbox::table.find(id).select(OutboxMessage::as_select()).first(conn).optional()?)
}

/// Erasure (meldpunt retention): deletes the messages `ids` whatever their state, so that a
/// pending one is never sent and a failed one cannot be requeued; a worker that holds one in
/// flight finds its row gone when it records the result. Returns how many rows were deleted.
pub fn erase(conn: &mut DbConnection, ids: &[String]) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(outbox::table.filter(outbox::id.eq_any(ids))).execute(conn)?)
}
