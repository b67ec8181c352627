//! The facts the deletion rules (MP-08) depend on: kept for case building (dossieropbouw), and
//! the date the enforcement decision became final.

use chrono::NaiveDate;

use crate::db::complaints::Complaint;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::{audit_of, change, not_merged, refresh_retention};

#[derive(Debug, Clone)]
pub struct SetRetention {
    pub complaint_id: String,
    pub case_building: bool,
    pub enforcement_final_on: Option<NaiveDate>,
    pub reason: String,
}

/// Sets the facts and recomputes the deletion date.
pub fn set_retention(tx: &mut Tx, cmd: SetRetention) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        not_merged(cpl)?;
        if cpl.personal_data_deleted_at.is_some() {
            return Err(AppError::conflict("the personal data of this complaint were already deleted"));
        }
        if cmd.enforcement_final_on.is_some_and(|d| d > tx.today) {
            return Err(AppError::field("/enforcement_final_on", "must not be in the future"));
        }
        let facts = |c: &Complaint| {
            serde_json::json!({"case_building": c.case_building,
                "enforcement_final_on": c.enforcement_final_on, "personal_data_due_on": c.personal_data_due_on})
        };
        let before = facts(cpl);
        cpl.case_building = cmd.case_building;
        cpl.enforcement_final_on = cmd.enforcement_final_on;
        refresh_retention(tx, cpl)?;
        let after = facts(cpl);
        tx.audit(audit_of(cpl, "set_retention").before(before).after(after).reason(cmd.reason.trim()))
    })
}
