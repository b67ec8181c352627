//! Transactional outbox: messages are written in the transaction of the change that causes them,
//! and delivered later by `jobs::outbox`. Claiming is a conditional UPDATE on a lease, which is
//! atomic on both SQLite and PostgreSQL, so with several instances on one database each message
//! is claimed — and sent — by exactly one worker.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::outbox;
use super::DbConnection;
use crate::error::AppResult;

/// Where a message stands: waiting (also between retries), delivered, or given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        })
        .execute(conn)?;
    Ok(id)
}

/// Claims up to `limit` due messages for `worker` with a lease of `lease`. Returns the claimed
/// messages; a message claimed by another worker in between is skipped.
pub fn claim_due(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> AppResult<Vec<OutboxMessage>> {
    let candidates: Vec<String> = outbox::table
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now)))
        .order(outbox::next_attempt_at.asc())
        .select(outbox::id)
        .limit(limit)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for id in candidates {
        // The WHERE clause is re-checked under the row lock: only one worker's UPDATE matches.
        let n = diesel::update(
            outbox::table
                .filter(outbox::id.eq(&id))
                .filter(outbox::status.eq(OutboxStatus::Pending))
                .filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now))),
        )
        .set((outbox::locked_by.eq(worker), outbox::locked_until.eq(now + lease)))
        .execute(conn)?;
        if n == 1 {
            if let Some(m) =
                outbox::table.find(&id).select(OutboxMessage::as_select()).first(conn).optional()?
            {
                claimed.push(m);
            }
        }
    }
    Ok(claimed)
}

pub fn mark_sent(conn: &mut DbConnection, id: &str, worker: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::locked_by.eq(worker)))
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(Some(now)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: retried after `retry_at`, or given up (`failed`) after
/// `max_attempts`.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    msg: &OutboxMessage,
    worker: &str,
    error: &str,
    retry_at: NaiveDateTime,
    max_attempts: i32,
) -> AppResult<()> {
    let attempts = msg.attempts.saturating_add(1);
    let status = if attempts >= max_attempts { OutboxStatus::Failed } else { OutboxStatus::Pending };
    diesel::update(outbox::table.filter(outbox::id.eq(&msg.id)).filter(outbox::locked_by.eq(worker)))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(retry_at),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error.chars().take(500).collect::<String>())),
        ))
        .execute(conn)?;
    Ok(())
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
