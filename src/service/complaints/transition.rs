//! A state change of a complaint: `received → triaged → investigating → (referred |
//! action_taken | closed_unfounded | closed_no_action)`, decided by the domain's state machine.

use std::sync::Arc;

use crate::db::complaints::Complaint;
use crate::domain::code::Code;
use crate::domain::complaints::{
    self as rules, Catalogue, ComplaintAction, TransitionError, TransitionFacts,
};
use crate::error::{AppError, AppResult};
use crate::letters::complaints::Notice;
use crate::service::Tx;

use super::{audit_of, change, not_merged, notify_all, refresh_retention};

#[derive(Debug, Clone)]
pub struct Transition {
    pub complaint_id: String,
    pub action: ComplaintAction,
    /// Why (audited).
    pub reason: String,
    pub catalogue: Arc<Catalogue>,
}

/// Applies the action; illegal changes are a conflict naming the allowed actions. Closing sets
/// the outcome date and with it the deletion date (MP-08); the reporters are told.
pub fn transition(tx: &mut Tx, cmd: Transition) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        not_merged(cpl)?;
        let from = cpl.status;
        let to = rules::transition(
            TransitionFacts {
                status: from,
                has_signals: cpl.has_signals,
                has_referral: cpl.has_referral,
                has_no_referral_reason: cpl.no_referral_reason.is_some(),
            },
            cmd.action,
        )
        .map_err(|e| refused(cmd.action, e))?;
        cpl.status = to;
        cpl.status_changed_at = tx.now;
        if !to.is_open() {
            cpl.outcome_on = Some(tx.today);
            cpl.awaiting_information = false;
        }
        refresh_retention(tx, cpl)?;
        tx.audit(
            audit_of(cpl, cmd.action.code())
                .before(serde_json::json!({"status": from}))
                .after(serde_json::json!({"status": to, "personal_data_due_on": cpl.personal_data_due_on}))
                .reason(cmd.reason.trim()),
        )?;
        notify_all(tx, &cmd.catalogue, cpl, Notice::StatusChanged(to))
    })
}

/// The conflict answering a refused state change.
fn refused(action: ComplaintAction, e: TransitionError) -> AppError {
    match e {
        TransitionError::NotAllowed { from, allowed } => AppError::Conflict {
            detail: format!("{} is not allowed from {from}", action.code()),
            allowed_actions: Some(allowed.iter().map(|a| a.code().to_string()).collect()),
        },
        TransitionError::ReferralDecisionRequired => AppError::Conflict {
            detail: "this complaint carries exploitation signals: record a referral (POST …/referrals) \
                     or the reason not to refer (POST …/no-referral) before closing it"
                .into(),
            allowed_actions: Some(vec!["add_referral".into(), "record_no_referral".into()]),
        },
        TransitionError::ReferralMissing => AppError::Conflict {
            detail: "record the referral (POST …/referrals) before marking the complaint referred".into(),
            allowed_actions: Some(vec!["add_referral".into()]),
        },
    }
}
