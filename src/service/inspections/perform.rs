//! Recording the outcome of a planned inspection.

use chrono::NaiveDate;

use super::Inspection;
use crate::db::convert::json_text;
use crate::db::inspections as q;
use crate::domain::inspection::{self, Findings, InspectionStatus};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

pub struct PerformInspection {
    pub id: String,
    /// Not in the future.
    pub performed_on: NaiveDate,
    /// Trimmed names; replace the planned ones when given.
    pub officers: Option<Vec<String>>,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    /// Findings that keep the entry rule.
    pub findings: Findings,
}

/// The planned inspection becomes performed with its findings; the licence in force on that date
/// is linked when the property is known. 409 when it was performed already.
pub fn perform_inspection(tx: &mut Tx, cmd: PerformInspection) -> AppResult<Inspection> {
    let mut row = super::find_inspection(tx, &cmd.id)?;
    if row.status != InspectionStatus::Planned {
        return Err(AppError::Conflict {
            detail: "the inspection was already performed".into(),
            allowed_actions: Some(vec!["evaluate".into()]),
        });
    }
    if row.licence_id.is_none() {
        if let Some(pid) = &row.property_id {
            row.licence_id =
                crate::db::enforcement::licence_in_force(tx.conn, pid, cmd.performed_on)?.map(|l| l.id);
        }
    }
    row.status = InspectionStatus::Performed;
    row.performed_on = Some(cmd.performed_on);
    if let Some(o) = &cmd.officers {
        row.officers = json_text(o)?;
    }
    row.interpreter_used = cmd.interpreter_used;
    row.interpreter_language = cmd.interpreter_language;
    row.findings = json_text(&cmd.findings)?;
    row.urgent = inspection::is_urgent(&cmd.findings);
    row.has_signals = !cmd.findings.exploitation_signals.is_empty();
    row.updated_at = tx.now;
    q::perform_inspection(tx.conn, &row)?;
    let referrals = crate::db::referrals::inspection::of_source(tx.conn, &row.id)?;
    let after = serde_json::json!({"from": "planned", "status": row.status, "urgent": row.urgent,
        "performed_on": row.performed_on, "licence_id": row.licence_id});
    super::audit(tx, &row, "perform", Some(after), None)?;
    // Unregistered occupants: a signal for burgerzaken, in this transaction (never a sanction).
    let registration_signal_id = crate::service::registration_signals::record_for_inspection(
        tx,
        &row,
        cmd.findings.unregistered_occupants,
    )?;
    let records = crate::db::inspection_records::load(tx.conn, &row.id)?;
    Ok(Inspection { row, referrals, records, registration_signal_id })
}
