//! The facts the deletion rules (MP-08) depend on: kept for case building (dossieropbouw), and
//! the date the enforcement decision became final.

use chrono::NaiveDate;

use crate::db::complaints::Complaint;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

use super::enforcement_final::date_from_case;
use super::{audit_of, change, not_merged, refresh_retention};

#[derive(Debug, Clone)]
pub struct SetRetention {
    pub complaint_id: String,
    pub case_building: bool,
    pub enforcement_final_on: Option<NaiveDate>,
    pub reason: String,
}

/// Sets the facts and recomputes the deletion date. A complaint linked to an enforcement case
/// takes the final date from the case: another date is a conflict (409), none keeps the case's.
pub fn set_retention(tx: &mut Tx, cmd: SetRetention) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        not_merged(cpl)?;
        if cpl.personal_data_deleted_at.is_some() {
            return Err(AppError::conflict("the personal data of this complaint were already deleted"));
        }
        if cmd.enforcement_final_on.is_some_and(|d| d > tx.today) {
            return Err(AppError::field("/enforcement_final_on", "must not be in the future"));
        }
        // Rule (d) of a complaint linked to an enforcement case comes from the case's sanctions.
        let final_on = match date_from_case(tx, cpl)? {
            Some(from_case) if cmd.enforcement_final_on.is_some_and(|d| Some(d) != from_case) => {
                return Err(AppError::Conflict {
                    detail: format!(
                        "this complaint is linked to enforcement case {}: the date its enforcement decision became \
                         final ({}) comes from the case's sanctions; leave enforcement_final_on out",
                        cpl.enforcement_case_id.as_deref().unwrap_or_default(),
                        from_case.map_or_else(|| "not yet".to_string(), |d| d.to_string()),
                    ),
                    allowed_actions: None,
                })
            }
            Some(from_case) => from_case,
            None => cmd.enforcement_final_on,
        };
        let facts = |c: &Complaint| {
            serde_json::json!({"case_building": c.case_building,
                "enforcement_final_on": c.enforcement_final_on, "personal_data_due_on": c.personal_data_due_on})
        };
        let before = facts(cpl);
        cpl.case_building = cmd.case_building;
        cpl.enforcement_final_on = final_on;
        refresh_retention(tx, cpl)?;
        let after = facts(cpl);
        tx.audit(audit_of(cpl, "set_retention").before(before).after(after).reason(cmd.reason.trim()))
    })
}
