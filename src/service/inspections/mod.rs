//! Inspections (huisbezoek): recording planned and performed inspections, the referral decision
//! that exploitation signals require, and the evaluation of findings against the licence
//! conditions and the rule set's norms.

mod create;
mod evaluate;
mod partners;
mod perform;
mod records;
mod referrals;

pub use create::{create_inspection, CreateInspection};
pub use evaluate::{evaluate_inspection, EvaluateInspection};
pub use partners::{set_partners, SetPartners};
pub use perform::{perform_inspection, PerformInspection};
pub use records::{
    add_complaints, add_entry_attempt, set_parties, AddComplaints, AddEntryAttempt, PartyFound, SetParties,
};
pub use referrals::{add_referral, record_no_referral, AddReferral, RecordNoReferral};

use crate::db::inspection_records::InspectionRecords;
use crate::db::inspections::{self as q, InspectionFilter, InspectionRow};
use crate::db::referrals::ReferralRecord;
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// An inspection with its referrals to partners, the parties found, failed entry attempts and
/// the complaints that led to it.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub row: InspectionRow,
    pub referrals: Vec<ReferralRecord>,
    pub records: InspectionRecords,
    /// The registration signal for burgerzaken the findings made (unregistered occupants).
    pub registration_signal_id: Option<String>,
}

/// The inspection in the caller's scope; 404 otherwise.
pub fn find_inspection(tx: &mut Tx, id: &str) -> AppResult<InspectionRow> {
    q::find_inspection(tx.conn, &tx.scope, id)?.ok_or_else(|| AppError::NotFound("no such inspection".into()))
}

/// One inspection in the caller's scope, with its referrals.
pub fn get_inspection(tx: &mut Tx, id: &str) -> AppResult<Inspection> {
    let row = find_inspection(tx, id)?;
    let referrals = crate::db::referrals::inspection::of_source(tx.conn, &row.id)?;
    let records = crate::db::inspection_records::load(tx.conn, &row.id)?;
    let registration_signal_id =
        crate::db::registration_signals::of_inspection(tx.conn, &row.id)?.map(|s| s.id);
    Ok(Inspection { row, referrals, records, registration_signal_id })
}

/// Inspections of the caller's municipalities, newest first.
pub fn list_inspections(tx: &mut Tx, filter: &InspectionFilter) -> AppResult<Vec<InspectionRow>> {
    q::list_inspections(tx.conn, &tx.scope, filter)
}

/// Audits a change of an inspection: ids, status and flags — never findings text or shared data.
fn audit(
    tx: &mut Tx,
    row: &InspectionRow,
    action: &str,
    after: Option<serde_json::Value>,
    reason: Option<&str>,
) -> AppResult<()> {
    let mut a = Audit::of(Some(&row.municipality_code), "inspection", &row.id, action).reason_opt(reason);
    a.after = after;
    tx.audit(a)
}
