//! Marking a complaint as a duplicate of another (the primary). The duplicate's reporter keeps
//! their code, which then shows the primary's status; signals and urgency carry over.

use std::sync::Arc;

use crate::db::complaints::{self as store, Complaint};
use crate::domain::complaints::{self as rules, Catalogue, ComplaintStatus, Priority};
use crate::error::{AppError, AppResult};
use crate::letters::complaints::Notice;
use crate::service::Tx;

use super::{audit_of, change, hold, notify, refresh_retention};

#[derive(Debug, Clone)]
pub struct Merge {
    /// The duplicate.
    pub complaint_id: String,
    /// The primary (in the caller's scope; the duplicate must be of the same municipality).
    pub into: String,
    pub reason: String,
    pub catalogue: Arc<Catalogue>,
}

/// Merges; answers with the primary.
pub fn merge(tx: &mut Tx, cmd: Merge) -> AppResult<Complaint> {
    if cmd.into == cmd.complaint_id {
        return Err(AppError::field("/into", "a complaint cannot be merged into itself"));
    }
    let catalogue = cmd.catalogue;
    change(tx, &cmd.into, |tx, primary| {
        let now = tx.now;
        let mut dup = store::find_unscoped(tx.conn, &cmd.complaint_id)?
            .filter(|d| d.municipality_code == primary.municipality_code)
            .ok_or_else(|| AppError::NotFound("no such complaint".into()))?;
        // The route changes the duplicate: the caller's If-Match is on it.
        hold(tx, &dup)?;
        let (ds, ps) = (dup.status, primary.status);
        if !rules::can_merge(ds, ps) {
            return Err(AppError::Conflict {
                detail: "one of the complaints is already merged into another".into(),
                allowed_actions: Some(vec![]),
            });
        }
        // Flatten: duplicates of the duplicate now point at the primary.
        for mut d in store::merged_into(tx.conn, &dup.id)? {
            d.merged_into = Some(primary.id.clone());
            d.updated_at = now;
            store::save(tx.conn, &mut d)?;
        }
        dup.status = ComplaintStatus::Merged;
        dup.merged_into = Some(primary.id.clone());
        dup.status_changed_at = now;
        dup.updated_at = now;
        store::save(tx.conn, &mut dup)?;
        let mut signals = rules::signals_from_text(&primary.signals);
        signals.extend(rules::signals_from_text(&dup.signals));
        primary.signals = rules::signals_to_text(&signals);
        primary.has_signals = !signals.is_empty();
        let urgent_category = catalogue.category(&primary.category).is_some_and(|k| k.urgent)
            || catalogue.category(&dup.category).is_some_and(|k| k.urgent);
        if rules::minimum_priority(urgent_category, primary.has_signals).is_some() {
            primary.priority = Priority::Urgent;
            primary.priority_rank = Priority::Urgent.rank();
        }
        refresh_retention(tx, primary)?;
        let reason = cmd.reason.trim();
        tx.audit(
            audit_of(&dup, "merge")
                .before(serde_json::json!({"status": ds}))
                .after(serde_json::json!({"status": "merged", "merged_into": primary.id}))
                .reason(reason),
        )?;
        tx.audit(
            audit_of(primary, "absorb_duplicate")
                .after(serde_json::json!({"duplicate": dup.id, "has_signals": primary.has_signals}))
                .reason(reason),
        )?;
        notify(tx, &catalogue, &dup, Notice::StatusChanged(ComplaintStatus::Merged))
    })
}
