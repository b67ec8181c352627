//! Sanction procedures: starting one for a violation (checked against the ladder), performing
//! its steps, and reading them.

mod actions;
mod fine_actions;
mod lod_actions;
mod publication;
mod start;
mod start_terms;

use serde::Serialize;

use super::not_found;
use crate::db::enforcement::{self as q, SanctionRow};
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::fines::FineError;
use crate::domain::roles::Role;
use crate::domain::sanction_lifecycle::SanctionKind;
use crate::domain::sanction_procedure::{LodError, ProcedureError};
use crate::error::{AppError, AppResult};
use crate::service::Tx;

pub use actions::{run_action, Action, RunAction};
pub use start::{start_sanction, Displacement, StartSanction};
pub use start_terms::{StartCoercion, StartFine, StartPenaltyOrder, StartTakeover, StartWarning};

/// One sanction in the caller's scope.
pub fn get_sanction(tx: &mut Tx<'_>, id: &str) -> AppResult<SanctionRow> {
    q::find_sanction(tx.conn, &tx.scope, id)?.ok_or_else(|| not_found("sanction"))
}

/// The sanctions addressed to a landlord (newest first, 200). A fine still at the rapport stage
/// is not yet addressed to the landlord and is left out.
pub fn my_sanctions(tx: &mut Tx<'_>, landlord_id: &str) -> AppResult<Vec<SanctionRow>> {
    Ok(q::landlord_sanctions_page(tx.conn, landlord_id, 200)?
        .into_iter()
        .filter(|r| !(r.kind == SanctionKind::AdministrativeFine && r.state_name == "rapport"))
        .collect())
}

/// The actions the sanction's state allows.
pub fn allowed_actions(row: &SanctionRow, policy: &EnforcementPolicy) -> Vec<String> {
    row.kind.allowed_actions(&row.state_name, &row.state, policy).into_iter().map(str::to_string).collect()
}

/// The actions the sanction's state allows that this role may take: only an enforcement
/// officer acts on sanctions (`POST /v1/sanctions/{id}/actions`); a manager reads them.
pub fn allowed_actions_for(row: &SanctionRow, policy: &EnforcementPolicy, role: Role) -> Vec<String> {
    if role == Role::Officer {
        allowed_actions(row, policy)
    } else {
        Vec::new()
    }
}

/// Writes the state and its derived columns (name, next and last deadline) into the row.
fn set_state<T: Serialize>(row: &mut SanctionRow, name: &str, state: &T) -> AppResult<()> {
    let value = serde_json::to_value(state).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let deadlines = row.kind.deadlines(&value);
    let next = deadlines.first();
    row.state_name = name.to_string();
    row.state = value.to_string();
    row.next_deadline = next.map(|d| d.due_on);
    row.next_deadline_kind = next.map(|d| d.kind.to_string());
    let last = deadlines.last();
    row.last_deadline = last.map(|d| d.due_on);
    row.last_deadline_kind = last.map(|d| d.kind.to_string());
    Ok(())
}

fn lod_error_pointer(e: &LodError) -> &'static str {
    match e {
        LodError::MissingRemedialMeasures => "/penalty_order/remedial_measures",
        LodError::MissingBegunstigingstermijn => "/penalty_order/begunstigingstermijn_days",
        LodError::MissingMaximum | LodError::MaximumBelowAmount => "/penalty_order/maximum_cents",
        LodError::ZeroAmount => "/penalty_order/amount_cents",
        LodError::TooManyPeriods { .. } => "/inspected_on",
    }
}

fn fine_error_pointer(e: &FineError) -> &'static str {
    match e {
        FineError::NoTableForDate { .. } | FineError::PowerLapsed { .. } => "/violation_id",
        FineError::AlreadyFined { .. } => "/violation_id",
        FineError::DecisionBeforeViolation => "/decided_on",
        FineError::RapportAndZienswijzeRequired { .. } => "/action",
        _ => "/amount_cents",
    }
}

fn procedure_error(e: ProcedureError, main_pointer: &'static str) -> AppError {
    match e {
        ProcedureError::IllegalTransition(t) => AppError::Conflict {
            detail: t.to_string(),
            allowed_actions: Some(t.allowed.iter().map(|s| (*s).to_string()).collect()),
        },
        ProcedureError::DateTooEarly { field, .. } | ProcedureError::DateTooLate { field, .. } => {
            let pointer = match field {
                "decided_on" => "/decided_on",
                "notified_on" => "/notified_on",
                "expires_on" => "/expires_on",
                _ => main_pointer,
            };
            AppError::field(pointer, e.to_string())
        }
        ProcedureError::ZeroAmount
        | ProcedureError::AboveMaximum { .. }
        | ProcedureError::AboveOutstanding { .. } => AppError::field("/amount_cents", e.to_string()),
        ProcedureError::PublicationExpiryRequired => AppError::field("/expires_on", e.to_string()),
        other => AppError::field(main_pointer, other.to_string()),
    }
}
