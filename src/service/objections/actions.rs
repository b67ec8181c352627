//! One step on an objection: the domain decides, the row is updated, the step audited, and the
//! objector's addressee told of a postponement or the decision.

use super::{get, objection_error};
use crate::db::objections::{self as q, ObjectionRow};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::code::Code;
use crate::domain::objections::{ObjectionAction, MAX_POSTPONEMENT_WEEKS};
use crate::error::AppResult;
use crate::letters::objections::{ObjectionDecided, ObjectionPostponed};
use crate::service::{Audit, Tx};

/// Take `action` on objection `id`.
pub struct Act {
    pub id: String,
    pub action: ObjectionAction,
    pub calendar: HolidayCalendar,
}

pub fn act(tx: &mut Tx<'_>, cmd: Act) -> AppResult<ObjectionRow> {
    let mut row = get(tx, &cmd.id)?;
    let before = row.objection();
    let after = before.apply(&cmd.action, tx.today, &cmd.calendar).map_err(objection_error)?;
    row.set(&after);
    row.updated_at = tx.now;
    q::update(tx.conn, &row)?;
    let name = cmd.action.kind().code();
    tx.audit(
        Audit::of(Some(&row.municipality_code), "objection", &row.id, name)
            .before(
                serde_json::json!({"state": before.state.code(), "decision_due_on": before.decision_due_on}),
            )
            .after(serde_json::json!({
                "state": after.state.code(), "decision_due_on": after.decision_due_on,
                "outcome": after.outcome.map(Code::code), "excusable": after.excusable,
                "appeal_lodged_on": after.appeal_lodged_on,
                "appeal_outcome": after.appeal_outcome.map(Code::code),
                "relief_granted_on": after.relief_granted_on,
                "new_decision_reference": after.new_decision_reference,
            })),
    )?;
    let letter = match &cmd.action {
        ObjectionAction::Postpone { weeks, reason, .. } => Some(
            ObjectionPostponed {
                weeks: (*weeks).min(MAX_POSTPONEMENT_WEEKS),
                reason,
                due: row.decision_due_on,
                objection_id: &row.id,
            }
            .letter()?,
        ),
        ObjectionAction::Decide { decided_on, outcome, .. } => match after.appeal_term_ends_on(&cmd.calendar)
        {
            Some(appeal_end) => Some(
                ObjectionDecided {
                    outcome: outcome.code(),
                    decided_on: *decided_on,
                    appeal_term_ends_on: appeal_end,
                    new_decision: row.new_decision_reference.as_deref().unwrap_or(""),
                    objection_id: &row.id,
                }
                .letter()?,
            ),
            None => None,
        },
        _ => None,
    };
    if let Some(letter) = letter {
        crate::service::licensing::mail_landlord(tx, &row.municipality_code, &row.landlord_id, &letter)?;
    }
    Ok(row)
}
