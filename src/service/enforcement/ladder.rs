//! What the ladder needs to know about a case: the facts per open violation and the landlord's
//! history (all addresses), loaded with a fixed number of queries.

use chrono::NaiveDate;

use super::rule_of;
use crate::db::convert::from_json_text;
use crate::db::enforcement::{self as q, CaseRow, SanctionRow, ViolationRow};
use crate::db::DbConnection;
use crate::domain::code::Code;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::fines::PriorFine;
use crate::domain::general_rules::RuleCode;
use crate::domain::ladder::{Aggravation, CaseFacts, CaseKey, LandlordHistory, WarningRecord};
use crate::domain::licensing_codes::LicenceState;
use crate::domain::sanction_lifecycle::{SanctionKind, ViolationStatus};
use crate::domain::sanction_procedure::{sub_years_sat, WarningState};
use crate::error::AppResult;

pub(super) struct LadderContext {
    pub history: LandlordHistory,
    /// (violation, facts, running sanctions that block a proposal)
    pub items: Vec<(ViolationRow, CaseFacts, Vec<String>)>,
}

fn fine_facts_to_prior(f: q::FineFacts) -> AppResult<Option<PriorFine>> {
    let Some(decision_date) = f.decision_date else { return Ok(None) };
    Ok(Some(PriorFine {
        rule: rule_of(&f.rule)?,
        violation_date: f.violation_date,
        rapport_date: f.rapport_date,
        decision_date,
        final_date: f.final_date,
        annulled: f.annulled,
        violation_id: f.violation_id,
    }))
}

/// The fines that can count for recidive or takeover ground G1 for violations established
/// from `earliest` on (one indexed query over the landlord's fines, columns only).
pub(super) fn landlord_prior_fines(
    c: &mut DbConnection,
    landlord_id: &str,
    policy: &EnforcementPolicy,
    earliest: NaiveDate,
) -> AppResult<Vec<PriorFine>> {
    let years = policy.fines.recidive.window_years.max(policy.ladder.takeover.window_years);
    let since = sub_years_sat(earliest, years);
    let mut out = Vec::new();
    for f in q::landlord_fine_facts(c, landlord_id, since)? {
        out.extend(fine_facts_to_prior(f)?);
    }
    Ok(out)
}

fn landlord_history(
    c: &mut DbConnection,
    landlord_id: &str,
    policy: &EnforcementPolicy,
    earliest_established: NaiveDate,
    latest_established: NaiveDate,
) -> AppResult<LandlordHistory> {
    let fines = landlord_prior_fines(c, landlord_id, policy, earliest_established)?;
    // Only "was there a warning in the window before the violation" matters to the ladder, so
    // distinct warning dates suffice (no per-warning state parsing).
    let since = sub_years_sat(earliest_established, policy.ladder.prior_warning_years);
    let mut warnings = Vec::new();
    for issued_on in q::landlord_warning_dates(c, landlord_id, since, latest_established)? {
        warnings.push(WarningRecord {
            rule: RuleCode::Gr00,
            issued_on,
            remedy_deadline: issued_on,
            remedied: true,
        });
    }
    Ok(LandlordHistory { fines, warnings })
}

/// The warning on a violation as the ladder sees it, and whether the violation still goes on.
fn warning_record(rule: RuleCode, own: &[&SanctionRow]) -> AppResult<(Option<WarningRecord>, bool)> {
    let warning_row =
        own.iter().rev().find(|s| s.kind == SanctionKind::Warning && s.state_name != "withdrawn");
    Ok(match warning_row {
        None => (None, true),
        Some(s) => match from_json_text::<WarningState>(&s.state)? {
            WarningState::Issued { issued_on, remedy_deadline } => {
                (Some(WarningRecord { rule, issued_on, remedy_deadline, remedied: false }), false)
            }
            WarningState::NotRemedied { issued_on, remedy_deadline, .. } => {
                (Some(WarningRecord { rule, issued_on, remedy_deadline, remedied: false }), true)
            }
            WarningState::Remedied { issued_on, remedied_on } => {
                (Some(WarningRecord { rule, issued_on, remedy_deadline: remedied_on, remedied: true }), false)
            }
            WarningState::Withdrawn { .. } => (None, true),
        },
    })
}

pub(super) fn ladder_context(
    c: &mut DbConnection,
    case: &CaseRow,
    policy: &EnforcementPolicy,
    only_violation: Option<&str>,
) -> AppResult<LadderContext> {
    let violations: Vec<ViolationRow> = q::case_violations(c, &case.id)?
        .into_iter()
        .filter(|v| v.status == ViolationStatus::Open && only_violation.is_none_or(|id| id == v.id))
        .collect();
    let sanctions = q::case_sanctions(c, &case.id)?;
    let mut earliest = NaiveDate::MAX;
    let mut latest = NaiveDate::MIN;
    for v in &violations {
        let d = v.established_on;
        earliest = earliest.min(d);
        latest = latest.max(d);
    }
    let history = if violations.is_empty() {
        LandlordHistory::default()
    } else {
        landlord_history(c, &case.landlord_id, policy, earliest, latest)?
    };
    let licence = match &case.licence_id {
        Some(id) => q::find_licence(c, id)?,
        None => None,
    };
    let has_licence =
        licence.as_ref().is_some_and(|l| matches!(l.state, LicenceState::Active | LicenceState::Suspended));
    let licence_revoked = licence.as_ref().is_some_and(|l| l.state == LicenceState::Revoked);
    // G2: a licence application for this dwelling was refused, and the violation (letting)
    // was established on or after the refusal.
    let refused_on = match &case.property_id {
        Some(pid) => q::latest_refusal(c, &case.landlord_id, pid)?,
        None => None,
    };
    let landlord_kind = case.landlord_kind;
    let mut items = Vec::new();
    for v in violations {
        let rule = rule_of(&v.rule)?;
        let own: Vec<&SanctionRow> = sanctions.iter().filter(|s| s.violation_id == v.id).collect();
        let (warning, still_violating) = warning_record(rule, &own)?;
        let aggravating: Vec<Aggravation> = from_json_text(&v.aggravations)?;
        let facts = CaseFacts {
            key: CaseKey {
                landlord_id: case.landlord_id.clone(),
                address_id: case.address_key.clone(),
                rule,
            },
            established_on: v.established_on,
            landlord_kind,
            aggravating,
            warning,
            still_violating,
            has_licence,
            // NOTE: "while let" is read as: a violation (so letting) established on or after
            // the refusal date.
            licence_refused_while_let: refused_on.is_some_and(|r| r <= v.established_on),
            licence_revoked,
        };
        let running: Vec<String> = own
            .iter()
            .filter(|s| s.kind.blocks_proposal(&s.state_name, &s.state))
            .map(|s| format!("{} ({})", s.kind.code(), s.state_name))
            .collect();
        items.push((v, facts, running));
    }
    Ok(LadderContext { history, items })
}
