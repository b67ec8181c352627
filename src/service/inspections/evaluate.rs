//! Evaluating a performed inspection's findings.

use std::sync::Arc;

use crate::db::convert::{from_json_text, json_text};
use crate::db::inspections as q;
use crate::domain::inspection::{self, Evaluation, Findings, LicenceOccupancyConditions};
use crate::domain::ruleset::RuleSetHistory;
use crate::error::{AppError, AppResult};
use crate::service::Tx;

pub struct EvaluateInspection {
    pub id: String,
    /// The municipality's rule set; the version in force on the inspection date applies.
    pub rules: Arc<RuleSetHistory>,
}

/// Compares the findings with the licence conditions in force on the inspection date and the rule
/// set's norms, stores the evaluation and returns it. Nothing becomes a violation here.
pub fn evaluate_inspection(tx: &mut Tx, cmd: EvaluateInspection) -> AppResult<Evaluation> {
    let row = super::find_inspection(tx, &cmd.id)?;
    let Some(performed) = row.performed_on else {
        return Err(AppError::Conflict {
            detail: "a planned inspection has no findings to evaluate".into(),
            allowed_actions: Some(vec![]),
        });
    };
    let mut findings: Findings = from_json_text(&row.findings)?;
    // The registered floor area of the property when the officer did not measure it.
    if findings.usable_floor_area_dm2.is_none() && findings.rooms.iter().any(|r| r.occupants.is_some()) {
        if let Some(pid) = &row.property_id {
            if let Some(p) = crate::db::properties::find(tx.conn, pid)? {
                findings.usable_floor_area_dm2 =
                    u32::try_from(p.usable_floor_area_dm2).ok().filter(|a| *a > 0);
            }
        }
    }
    let licence = match &row.licence_id {
        Some(lid) => licence_conditions(tx, lid, performed)?,
        None => None,
    };
    let rules = cmd.rules.in_force_or_first(performed).cloned().unwrap_or_default();
    let evaluation = inspection::evaluate(&findings, &rules, licence.as_ref());
    q::save_evaluation(tx.conn, &row.id, &json_text(&evaluation)?, evaluation.urgent, tx.now)?;
    let after = serde_json::json!({
        "proposed": evaluation.proposed_violations.iter().map(|p| p.rule.as_str()).collect::<Vec<_>>(),
        "urgent": evaluation.urgent});
    super::audit(tx, &row, "evaluate", Some(after), None)?;
    Ok(evaluation)
}

/// The occupancy conditions of the licence, when it was in force on the inspection date.
fn licence_conditions(
    tx: &mut Tx,
    licence_id: &str,
    on: chrono::NaiveDate,
) -> AppResult<Option<LicenceOccupancyConditions>> {
    let Some(l) = crate::db::enforcement::find_licence(tx.conn, licence_id)? else { return Ok(None) };
    if !l.in_force_on(on) {
        return Ok(None);
    }
    let rooms = crate::db::licensing::room_limits(tx.conn, &l.id)?;
    Ok(Some(LicenceOccupancyConditions {
        licence_id: l.number.clone(),
        max_occupants_total: u32::try_from(l.max_occupants).ok().filter(|m| *m > 0),
        max_occupants_per_room: rooms
            .into_iter()
            .filter_map(|r| u32::try_from(r.max_occupants).ok().map(|m| (r.room_label, m)))
            .collect(),
    }))
}
