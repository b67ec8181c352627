//! Watching and mending the outbox: the counts behind `/ready`, the administrator's list of
//! messages and putting a failed message back in the queue.

use crate::db::outbox::{self as store, OutboxEntry, OutboxStatus};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// How the outbox stands: what the readiness probe shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSummary {
    pub pending: i64,
    pub failed: i64,
    /// Age of the oldest pending message in whole seconds; 0 when nothing is pending.
    pub oldest_pending_seconds: i64,
}

pub fn summary(tx: &mut Tx) -> AppResult<OutboxSummary> {
    let c = store::counts(tx.conn)?;
    Ok(OutboxSummary {
        pending: c.pending,
        failed: c.failed,
        oldest_pending_seconds: c.oldest_pending.map_or(0, |t| (tx.now - t).num_seconds().max(0)),
    })
}

/// One page of the administrator's list.
pub struct ListOutbox {
    pub status: Option<OutboxStatus>,
    /// Id of the last message of the previous page.
    pub after: Option<String>,
    /// Rows to load (the page size plus one, to know whether there is a next page).
    pub limit: i64,
}

/// Messages newest first; 422 naming `#/query/cursor` for a cursor that names no message.
pub fn list(tx: &mut Tx, q: ListOutbox) -> AppResult<Vec<OutboxEntry>> {
    let after = match q.after {
        None => None,
        Some(id) => {
            let row = store::find(tx.conn, &id)?
                .ok_or_else(|| AppError::field("#/query/cursor", "is not a valid cursor"))?;
            Some((row.created_at, row.id))
        }
    };
    store::list(tx.conn, q.status, after, q.limit)
}

/// Puts a failed message back in the queue: due now, attempts kept, retried for a new horizon
/// from now. 404 for an unknown id, 409 for a message that has not failed.
pub fn requeue(tx: &mut Tx, id: &str) -> AppResult<OutboxEntry> {
    let before =
        store::find(tx.conn, id)?.ok_or_else(|| AppError::NotFound("no such outbox message".into()))?;
    if before.status != OutboxStatus::Failed || !store::requeue(tx.conn, id, tx.now)? {
        return Err(AppError::conflict("only a failed message can be requeued"));
    }
    tx.audit(
        Audit::of(before.municipality_code.as_deref(), "outbox_message", id, "requeue")
            .before(serde_json::json!({"status": "failed", "attempts": before.attempts,
                "last_error": before.last_error}))
            .after(serde_json::json!({"status": "pending"})),
    )?;
    store::list_one(tx.conn, id)?.ok_or_else(|| AppError::NotFound("no such outbox message".into()))
}
