//! The decision not to refer, with the reason: the alternative referral decision for complaints
//! with exploitation signals.

use crate::db::complaints::Complaint;
use crate::error::AppResult;
use crate::service::Tx;

use super::{audit_of, change, not_merged};

#[derive(Debug, Clone)]
pub struct NoReferral {
    pub complaint_id: String,
    /// Why the signals are not referred (not blank).
    pub reason: String,
}

pub fn record_no_referral(tx: &mut Tx, cmd: NoReferral) -> AppResult<Complaint> {
    change(tx, &cmd.complaint_id, |tx, cpl| {
        not_merged(cpl)?;
        cpl.no_referral_reason = Some(cmd.reason.clone());
        tx.audit(audit_of(cpl, "record_no_referral").reason(&cmd.reason))
    })
}
