//! Validation of a proposed fine against the caps, recidive and the Awb (5:43, 5:45, 5:53):
//! every problem found, or the assessment.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::{FineError, FineRejected};
use super::lapse::{power_lapse, LapseSuspension};
use super::policy::{FinePolicy, OffenderKind};
use super::recidive::{determine_recidive, PriorFine, RecidiveFinding};
use crate::domain::awb::{fine_decision_due, RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS};
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;

/// A fine an officer proposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ProposedFine {
    pub violation_id: String,
    pub rule: RuleCode,
    /// Date of the violation (established); decides the cap table and the 5:45 lapse.
    // NOTE: for a continuing violation the 5:45 term runs from the day it ended; the caller
    // passes that date when known.
    pub violation_date: NaiveDate,
    pub amount: Money,
    pub offender_kind: OffenderKind,
    pub rapport_date: Option<NaiveDate>,
    pub zienswijze_invited_on: Option<NaiveDate>,
    pub decision_date: NaiveDate,
    /// Periods in which an objection or appeal against a fine for this violation ran (5:45):
    /// the lapse term stood still. From any source; merged by the validation.
    #[serde(default)]
    pub lapse_suspensions: Vec<LapseSuspension>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FineAssessment {
    pub statutory_cap: Money,
    pub policy_cap: Money,
    pub recidive: RecidiveFinding,
    pub table_valid_from: NaiveDate,
    pub table_source: String,
    /// 5:45: power to fine lapses on this date (5 years after the violation, plus the days an
    /// objection or appeal against a fine for it ran).
    pub power_lapses_on: NaiveDate,
    /// 5:45: days the lapse term stood still while an objection or appeal ran.
    #[serde(default)]
    pub lapse_suspension_days: u32,
    /// 5:45: the (merged) periods that counted.
    #[serde(default)]
    pub lapse_suspensions: Vec<LapseSuspension>,
    /// 5:51: rapport + 13 weeks.
    pub decision_due: Option<NaiveDate>,
    pub decided_late: bool,
}

/// Validates a proposed fine against the caps, recidive, 5:53, 5:43 and 5:45 (scenarios 43, 45,
/// 48, 49). Returns every problem found, or the assessment.
pub fn validate_fine(
    proposal: &ProposedFine,
    prior: &[PriorFine],
    policy: &FinePolicy,
) -> Result<FineAssessment, FineRejected> {
    let mut errors = Vec::new();
    if let Err(e) = policy.validate() {
        return Err(FineRejected { errors: vec![e] });
    }
    if proposal.amount.cents() <= 0 {
        errors.push(FineError::ZeroAmount);
    }
    if proposal.decision_date < proposal.violation_date {
        errors.push(FineError::DecisionBeforeViolation);
    }
    // 5:53 (scenario 48).
    if proposal.amount.cents() > RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS
        && (proposal.rapport_date.is_none() || proposal.zienswijze_invited_on.is_none())
    {
        errors.push(FineError::RapportAndZienswijzeRequired {
            amount: proposal.amount,
            threshold: Money::from_cents(RAPPORT_AND_ZIENSWIJZE_THRESHOLD_CENTS).unwrap_or(Money::ZERO),
        });
    }
    // 5:43 (scenario 49).
    // NOTE: an annulled prior fine does not block a new one; whether that is right after an
    // annulment on the merits is for a jurist.
    if prior.iter().any(|p| !p.annulled && p.violation_id == proposal.violation_id) {
        errors.push(FineError::AlreadyFined { violation_id: proposal.violation_id.clone() });
    }
    // 5:45, suspended while an objection or appeal ran.
    let lapse = power_lapse(proposal.violation_date, &proposal.lapse_suspensions, proposal.decision_date);
    if lapse.lapsed_by(proposal.decision_date) {
        errors.push(FineError::PowerLapsed {
            violation_date: proposal.violation_date,
            lapsed_on: lapse.lapses_on,
            suspension_days: lapse.suspension_days,
        });
    }
    // Caps (scenarios 43, 45).
    let recidive = determine_recidive(
        proposal.rule,
        proposal.violation_date,
        // The fine for this very violation never makes it recidive.
        &prior.iter().filter(|p| p.violation_id != proposal.violation_id).cloned().collect::<Vec<_>>(),
        &policy.recidive,
    );
    let mut caps = None;
    match policy.tables_for(proposal.rule).table_for(proposal.violation_date) {
        Err(e) => errors.push(e),
        Ok(table) => {
            let statutory_cap = table.cap(recidive.is_recidive);
            let policy_cap = policy.policy_cap(statutory_cap, proposal.offender_kind);
            if proposal.amount > statutory_cap {
                errors.push(FineError::AboveStatutoryCap {
                    proposed: proposal.amount,
                    cap: statutory_cap,
                    recidive: recidive.is_recidive,
                });
            } else if proposal.amount > policy_cap {
                errors.push(FineError::AbovePolicyCap { proposed: proposal.amount, cap: policy_cap });
            }
            caps = Some((statutory_cap, policy_cap, table.valid_from, table.source.clone()));
        }
    }
    match caps {
        Some((statutory_cap, policy_cap, table_valid_from, table_source)) if errors.is_empty() => {
            let decision_due = proposal.rapport_date.map(fine_decision_due);
            Ok(FineAssessment {
                statutory_cap,
                policy_cap,
                recidive,
                table_valid_from,
                table_source,
                power_lapses_on: lapse.lapses_on,
                lapse_suspension_days: lapse.suspension_days,
                lapse_suspensions: lapse.suspensions,
                decision_due,
                decided_late: decision_due.is_some_and(|due| proposal.decision_date > due),
            })
        }
        _ => Err(FineRejected { errors }),
    }
}
