//! Enforcement cases (one per landlord + address) and the ladder's proposal for a case.

use std::sync::Arc;

use chrono::NaiveDate;

use super::ladder::ladder_context;
use super::not_found;
use crate::db::enforcement::{self as q, CaseFilter, CaseRow, SanctionRow, ViolationRow};
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::ladder::{next_step, Proposal, SanctionStep};
use crate::domain::sanction_lifecycle::{step_rank, CaseStatus};
use crate::error::AppResult;
use crate::service::Tx;

/// A page of cases in the caller's scope (`filter.limit` rows).
pub fn list_cases(tx: &mut Tx<'_>, filter: CaseFilter) -> AppResult<Vec<CaseRow>> {
    q::list_cases(tx.conn, &tx.scope, &filter)
}

/// One case with its violations and sanctions.
pub fn get_case(tx: &mut Tx<'_>, id: &str) -> AppResult<(CaseRow, Vec<ViolationRow>, Vec<SanctionRow>)> {
    let case = q::find_case(tx.conn, &tx.scope, id)?.ok_or_else(|| not_found("enforcement case"))?;
    let v = q::case_violations(tx.conn, &case.id)?;
    let s = q::case_sanctions(tx.conn, &case.id)?;
    Ok((case, v, s))
}

/// The ladder's proposal for one open violation: none while a procedure for it runs.
pub struct ViolationStep {
    pub violation: ViolationRow,
    pub proposal: Option<Proposal>,
    /// Sanction procedures running for this violation (`kind (state)`).
    pub running: Vec<String>,
}

/// The lawful next step for a case.
pub struct NextStep {
    pub case_id: String,
    /// The most far-reaching step proposed for the open violations.
    pub step: Option<SanctionStep>,
    pub reasons: Vec<String>,
    pub per_violation: Vec<ViolationStep>,
    pub today: NaiveDate,
}

/// The lawful next step (`domain::ladder::next_step`) from the case and the landlord's history
/// (all addresses), per open violation.
pub fn case_next_step(tx: &mut Tx<'_>, case_id: &str, policy: Arc<EnforcementPolicy>) -> AppResult<NextStep> {
    let case = q::find_case(tx.conn, &tx.scope, case_id)?.ok_or_else(|| not_found("enforcement case"))?;
    let ctx = ladder_context(tx.conn, &case, &policy, None)?;
    let today = tx.today;
    let open_items = !ctx.items.is_empty();
    let mut per_violation = Vec::new();
    let mut best: Option<SanctionStep> = None;
    for (violation, facts, running) in ctx.items {
        let proposal = if running.is_empty() {
            Some(next_step(&facts, &ctx.history, &policy.ladder, today))
        } else {
            None
        };
        if let Some(p) = &proposal {
            if best.is_none_or(|b| step_rank(p.step) > step_rank(b)) {
                best = Some(p.step);
            }
        }
        per_violation.push(ViolationStep { violation, proposal, running });
    }
    let reasons = if case.status != CaseStatus::Open {
        vec!["the case is closed".into()]
    } else if !open_items {
        vec!["no open violations".into()]
    } else if best.is_none() {
        vec!["every open violation has a running sanction procedure; follow its deadlines".into()]
    } else {
        vec!["the most far-reaching step proposed for the open violations".into()]
    };
    Ok(NextStep { case_id: case.id, step: best, reasons, per_violation, today })
}
