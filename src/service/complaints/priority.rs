//! Setting the priority of a complaint. Unsafe housing and exploitation signals stay urgent.

use std::sync::Arc;

use crate::db::complaints::Complaint;
use crate::domain::complaints::{self as rules, Catalogue, Priority};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::{audit_of, change};

#[derive(Debug, Clone)]
pub struct SetPriority {
    pub complaint_id: String,
    pub priority: Priority,
    pub reason: String,
    pub catalogue: Arc<Catalogue>,
}

pub fn set_priority(tx: &mut Tx, cmd: SetPriority) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        let urgent_category = cmd.catalogue.category(&cpl.category).is_some_and(|k| k.urgent);
        if let Some(min) = rules::minimum_priority(urgent_category, cpl.has_signals) {
            if cmd.priority > min {
                return Err(AppError::field(
                    "/priority",
                    "must stay urgent: unsafe housing and exploitation signals are always urgent",
                ));
            }
        }
        let before = cpl.priority;
        cpl.priority = cmd.priority;
        cpl.priority_rank = cmd.priority.rank();
        tx.audit(
            audit_of(cpl, "set_priority")
                .before(serde_json::json!({"priority": before}))
                .after(serde_json::json!({"priority": cpl.priority}))
                .reason(cmd.reason.trim()),
        )
    })
}
