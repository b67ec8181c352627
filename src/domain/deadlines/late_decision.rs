//! The dwangsom bij niet tijdig beslissen (Awb 4:17–4:18): when it starts, how much is owed and
//! when its amount must be fixed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::{
    DWANGSOM_FIX_WITHIN_DAYS, DWANGSOM_GRACE_DAYS, DWANGSOM_MAX_DAYS, DWANGSOM_TIER1_CENTS,
    DWANGSOM_TIER2_CENTS, DWANGSOM_TIER3_CENTS, DWANGSOM_TIER_DAYS,
};
use crate::domain::calendar::add_days_signed;
use crate::domain::money::Money;

/// Why no dwangsom for late decision is due.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DwangsomError {
    #[error("the ingebrekestelling was received before the decision term lapsed on {due}")]
    PrematureNoticeOfDefault { due: NaiveDate },
}

/// Dwangsom bij niet tijdig beslissen (Awb 4:17–4:18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateDecisionPenalty {
    /// First day the dwangsom runs (Awb 4:17 lid 2).
    pub first_day: NaiveDate,
    /// Days in default so far (0..=42).
    pub days: u32,
    /// Last dwangsom day counted, if any.
    pub last_day: Option<NaiveDate>,
    pub amount: Money,
    /// Whether the 42-day maximum has been reached (Awb 4:17 lid 1).
    pub maximum_reached: bool,
    /// Deadline to fix the amount by beschikking (Awb 4:18), once the dwangsom stopped
    /// running (decision given or maximum reached).
    pub fix_by: Option<NaiveDate>,
}

/// Amount for `days` dwangsom days, tiered €20 / €30 / €40 (Awb 4:17 lid 2).
pub(super) fn dwangsom_amount(days: i64) -> Money {
    let tier1 = days.clamp(0, DWANGSOM_TIER_DAYS);
    let tier2 = (days - DWANGSOM_TIER_DAYS).clamp(0, DWANGSOM_TIER_DAYS);
    let tier3 = (days - 2 * DWANGSOM_TIER_DAYS).clamp(0, DWANGSOM_MAX_DAYS - 2 * DWANGSOM_TIER_DAYS);
    let cents = tier1 * DWANGSOM_TIER1_CENTS + tier2 * DWANGSOM_TIER2_CENTS + tier3 * DWANGSOM_TIER3_CENTS;
    Money::from_cents(cents).unwrap_or(Money::ZERO)
}

/// The dwangsom owed for a late decision.
///
/// * `due`: the decision due date (from [`DecisionClock`]);
/// * `notice_received_on`: the day the written ingebrekestelling was received;
/// * `decided_on`: the day the decision was sent, or `None` if still undecided;
/// * `today`: used when undecided.
///
/// The day the decision is given does not count (scenario 24: 2025-05-20 → 2025-06-03 is
/// 14 days). The exclusions of Awb 4:17 lid 6 (notice unreasonably late, applicant not a
/// belanghebbende, application manifestly inadmissible/unfounded) are for the officer to
/// record; they are not decided here.
pub fn late_decision_penalty(
    due: NaiveDate,
    notice_received_on: NaiveDate,
    decided_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<LateDecisionPenalty, DwangsomError> {
    if notice_received_on <= due {
        return Err(DwangsomError::PrematureNoticeOfDefault { due });
    }
    let first_day = add_days_signed(notice_received_on, DWANGSOM_GRACE_DAYS);
    let stop = decided_on.unwrap_or(today);
    let raw_days = (stop - first_day).num_days().max(0);
    let days = raw_days.min(DWANGSOM_MAX_DAYS);
    let maximum_reached = raw_days >= DWANGSOM_MAX_DAYS;
    let last_day = (days > 0).then(|| add_days_signed(first_day, days - 1));
    let stopped = decided_on.is_some() || maximum_reached;
    let fix_by = if stopped { last_day.map(|l| add_days_signed(l, DWANGSOM_FIX_WITHIN_DAYS)) } else { None };
    Ok(LateDecisionPenalty {
        first_day,
        days: u32::try_from(days).unwrap_or(0),
        last_day,
        amount: dwangsom_amount(days),
        maximum_reached,
        fix_by,
    })
}
