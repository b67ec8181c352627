//! Recidive (rules.md §4.3; scenario 45): prior fines of the same landlord and which of them
//! count against a new violation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::policy::{RecidiveAnchor, RecidivePolicy};
use crate::domain::calendar::sub_years_sat;
use crate::domain::general_rules::RuleCode;

/// A fine already imposed on the same landlord.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PriorFine {
    /// Identity of the fined violation (for Awb 5:43).
    pub violation_id: String,
    pub rule: RuleCode,
    pub violation_date: NaiveDate,
    pub rapport_date: Option<NaiveDate>,
    pub decision_date: NaiveDate,
    /// Onherroepelijk since.
    pub final_date: Option<NaiveDate>,
    /// Annulled on objection/appeal: does not count.
    #[serde(default)]
    pub annulled: bool,
}

impl PriorFine {
    pub fn anchor(&self, anchor: RecidiveAnchor) -> Option<NaiveDate> {
        match anchor {
            RecidiveAnchor::DecisionDate => Some(self.decision_date),
            RecidiveAnchor::FinalDate => self.final_date,
            RecidiveAnchor::RapportDate => self.rapport_date,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct RecidiveFinding {
    pub is_recidive: bool,
    /// The most recent qualifying prior fine.
    pub qualifying_violation_id: Option<String>,
    pub qualifying_anchor_date: Option<NaiveDate>,
    /// First day of the window (new violation date − N years).
    pub window_start: NaiveDate,
    pub reason: String,
}

/// Prior fines that count for recidive against a new violation of `rule` established on
/// `established_on`: not annulled, same fine regime (general rules: art. 19 lid 1 b; licence
/// rules: lid 3 b), same rule if required, anchor date in `[established_on − N years,
/// established_on)`.
// NOTE: the window is inclusive of its first day and the prior fine must be strictly before the
// new violation's establishment date (a fine decided the same day does not yet count).
pub fn qualifying_prior_fines<'a>(
    rule: RuleCode,
    established_on: NaiveDate,
    prior: &'a [PriorFine],
    policy: &RecidivePolicy,
) -> Vec<(&'a PriorFine, NaiveDate)> {
    let window_start = sub_years_sat(established_on, policy.window_years);
    prior
        .iter()
        .filter(|p| !p.annulled)
        .filter(|p| p.rule.fine_regime() == rule.fine_regime())
        .filter(|p| !policy.same_rule_required || p.rule == rule)
        .filter_map(|p| p.anchor(policy.anchor).map(|a| (p, a)))
        .filter(|(_, a)| window_start <= *a && *a < established_on)
        .collect()
}

/// Recidive determination (rules.md §4.3; scenario 45).
pub fn determine_recidive(
    rule: RuleCode,
    established_on: NaiveDate,
    prior: &[PriorFine],
    policy: &RecidivePolicy,
) -> RecidiveFinding {
    let window_start = sub_years_sat(established_on, policy.window_years);
    let best =
        qualifying_prior_fines(rule, established_on, prior, policy).into_iter().max_by_key(|(_, a)| *a);
    match best {
        Some((p, a)) => RecidiveFinding {
            is_recidive: true,
            qualifying_violation_id: Some(p.violation_id.clone()),
            qualifying_anchor_date: Some(a),
            window_start,
            reason: format!(
                "prior fine for {} ({:?} {a}) within {} years before {established_on}",
                p.rule, policy.anchor, policy.window_years
            ),
        },
        None => RecidiveFinding {
            is_recidive: false,
            qualifying_violation_id: None,
            qualifying_anchor_date: None,
            window_start,
            reason: format!(
                "no prior fine counting for recidive between {window_start} and {established_on}"
            ),
        },
    }
}
