//! The delivery log of a subscription and replaying one delivery.

use serde_json::json;

use crate::db::webhooks::deliveries::{self as store, Attempt, Delivery};
use crate::domain::webhooks::DeliveryState;
use crate::error::{AppError, AppResult};
use crate::service::webhooks::{get, Viewer};
use crate::service::{Audit, Tx};

/// A delivery with its attempts, oldest attempt first.
pub struct LoggedDelivery {
    pub delivery: Delivery,
    pub attempts: Vec<Attempt>,
}

pub struct ListDeliveries {
    pub subscription_id: String,
    pub state: Option<DeliveryState>,
    /// `seq` of the last delivery of the previous page.
    pub before: Option<i64>,
    /// Rows to load (page size plus one).
    pub limit: i64,
}

/// Deliveries of a subscription the viewer may see, newest first, with their attempts.
pub fn list(tx: &mut Tx, viewer: &Viewer, q: ListDeliveries) -> AppResult<Vec<LoggedDelivery>> {
    let s = get(tx, viewer, &q.subscription_id)?;
    let rows = store::list(tx.conn, &s.id, q.state, q.before, q.limit)?;
    let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
    let mut attempts = store::attempts_of(tx.conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|delivery| {
            let (mine, rest): (Vec<Attempt>, Vec<Attempt>) =
                attempts.drain(..).partition(|a| a.delivery_id == delivery.id);
            attempts = rest;
            LoggedDelivery { delivery, attempts: mine }
        })
        .collect())
}

/// Replays one delivery, whatever its state: pending again, due now, a fresh retry schedule.
/// Audited.
pub fn redeliver(tx: &mut Tx, viewer: &Viewer, subscription_id: &str, id: &str) -> AppResult<LoggedDelivery> {
    let s = get(tx, viewer, subscription_id)?;
    let before =
        store::find(tx.conn, &s.id, id)?.ok_or_else(|| AppError::NotFound("no such delivery".into()))?;
    store::redeliver(tx.conn, id, tx.now)?;
    tx.audit(
        Audit::of(Some(&s.municipality_code), "webhook_delivery", id, "redeliver")
            .before(json!({"state": before.state, "attempts": before.attempts, "subscription_id": s.id}))
            .after(json!({"state": "pending"})),
    )?;
    let delivery =
        store::find(tx.conn, &s.id, id)?.ok_or_else(|| AppError::NotFound("no such delivery".into()))?;
    let attempts = store::attempts_of(tx.conn, std::slice::from_ref(&delivery.id))?;
    Ok(LoggedDelivery { delivery, attempts })
}
