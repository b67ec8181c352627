//! One state change for many complaints at once (e.g. closing the duplicates of a campaign):
//! each item runs the single-complaint [`transition`] use case in its own unit of work, so an
//! item that fails changes nothing and stops nothing else, and every changed complaint has the
//! audit row (and domain event) of that use case. Items run a few at a time: on SQLite the
//! group-commit writer then commits many of them together.

use std::sync::Arc;

use futures_util::stream::{self, StreamExt};

use super::transition::{self, Transition};
use crate::db::complaints::Complaint;
use crate::db::Db;
use crate::domain::complaints::{Catalogue, ComplaintAction};
use crate::domain::versions::IfMatch;
use crate::error::AppResult;
use crate::service::{write, Ctx, Precondition};

/// The same action, with the same reason, for each item.
#[derive(Debug, Clone)]
pub struct BulkTransition {
    pub action: ComplaintAction,
    /// Why (required; audited with each item).
    pub reason: String,
    pub items: Vec<BulkItem>,
    pub catalogue: Arc<Catalogue>,
}

/// One complaint of a bulk change, optionally with the version the caller read (the item then
/// fails as stale when the complaint has another one, like a single change with `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub id: String,
    pub version: Option<i32>,
}

/// Runs the transition for every item, at most `concurrency` at a time, each in its own
/// transaction with the caller's context. Answers per item, in the order of the items: the
/// complaint as saved, or why it was not changed (not found or outside the caller's
/// municipalities, not allowed in its status, a stale version, …).
pub async fn transition_each(
    db: &Db,
    ctx: Ctx,
    cmd: BulkTransition,
    concurrency: usize,
) -> Vec<(String, AppResult<Complaint>)> {
    let BulkTransition { action, reason, items, catalogue } = cmd;
    stream::iter(items)
        .map(|item| {
            let expected = item
                .version
                .map(|v| Precondition { subject: item.id.clone(), if_match: IfMatch::Tags(vec![Some(v)]) });
            let ctx = ctx.clone().expecting(expected);
            let one = Transition {
                complaint_id: item.id.clone(),
                action,
                reason: reason.clone(),
                catalogue: catalogue.clone(),
            };
            async move { (item.id, write(db, ctx, move |tx| transition::transition(tx, one)).await) }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await
}
