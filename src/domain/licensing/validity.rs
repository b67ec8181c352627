//! Arbeidsmigrant classification (Wgv art. 1), the transition period, transfer on sale, licence
//! validity and short stay.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::screening::MONTHS_PER_YEAR;
use crate::domain::ruleset::{RuleSet, MIN_TRANSITION_MONTHS};

/// The three facts of the Wgv art. 1 definition, kept separate because each can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerFacts {
    /// National of another EU member state.
    pub eu_national: bool,
    /// Hoofdverblijf in the Netherlands.
    pub hoofdverblijf_nl: bool,
    /// Stays in NL to do temporary work.
    pub temporary_work: bool,
}

impl WorkerFacts {
    /// Wgv art. 1 `[LAW-READ]` [S1]: EU national, hoofdverblijf not in NL, temporary work.
    pub fn is_arbeidsmigrant(self) -> bool {
        self.eu_national && !self.hoofdverblijf_nl && self.temporary_work
    }
}

/// Wgv art. 1: a verblijfsruimte is any building (part) intended or used for housing
/// arbeidsmigranten — an ordinary dwelling or a chalet on employer premises alike (scenario 5).
pub fn is_verblijfsruimte(intended_for_labour_migrants: bool, occupants: &[WorkerFacts]) -> bool {
    intended_for_labour_migrants || occupants.iter().any(|w| w.is_arbeidsmigrant())
}

/// Earliest date a licence can be required for a lease (scenario 6). Leases that existed when
/// the verordening entered into force get the transition period (≥ 6 months, from the rule
/// set); newer leases are covered from their start.
pub fn earliest_licence_requirement(
    verordening_in_force: NaiveDate,
    lease_started_on: NaiveDate,
    rules: &RuleSet,
) -> NaiveDate {
    if lease_started_on >= verordening_in_force {
        return lease_started_on;
    }
    let months = rules.transition_months.max(MIN_TRANSITION_MONTHS);
    verordening_in_force.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whether a licence passes to a buyer (scenario 11). All verordeningen read say
/// "niet overdraagbaar" [S13]; the buyer must apply for a licence of their own.
pub fn licence_transfers_on_sale(rules: &RuleSet) -> bool {
    rules.licence_transferable
}

/// First day the licence is no longer valid, or `None` if indefinite (rule set).
pub fn licence_expires_on(valid_from: NaiveDate, rules: &RuleSet) -> Option<NaiveDate> {
    rules.licence_validity_years.map(|years| {
        valid_from
            .checked_add_months(Months::new(years.saturating_mul(MONTHS_PER_YEAR)))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// Short-stay cap in the pending proposal: 30 days `[SECONDARY]` [S28] (rules.md §7).
const SHORT_STAY_MAX_DAYS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortStayClassification {
    /// Flag off (law in force today): no automatic classification.
    NotClassified,
    /// Within the proposed cap: may be "naar aard van korte duur".
    ShortStayPossible,
    /// Beyond the cap: a regular lease with huurbescherming.
    RegularLease,
}

/// Scenario 63 (feature-flagged).
pub fn classify_short_stay(rules: &RuleSet, agreed_days: u32) -> ShortStayClassification {
    if !rules.features.short_stay_30_days {
        ShortStayClassification::NotClassified
    } else if agreed_days <= SHORT_STAY_MAX_DAYS {
        ShortStayClassification::ShortStayPossible
    } else {
        ShortStayClassification::RegularLease
    }
}
